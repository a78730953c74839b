#![forbid(unsafe_code)]

/// mimalloc rather than the system allocator: an import of 300,000 rows spent a third of
/// its time in glibc's malloc and free (measured with perf; see bench/README.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    kyoritsu::cli::main()
}
