#![forbid(unsafe_code)]

fn main() -> std::process::ExitCode {
    kyoritsu::cli::main()
}
