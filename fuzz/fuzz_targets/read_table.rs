//! Any bytes, read as an employee master (CSV in every encoding, or XLSX) and checked:
//! nothing may panic, whatever the file holds. Inputs that once broke something are kept
//! in `crates/domain/tests/fixtures/fuzz/` and read by a test on every run.
#![no_main]

use domain::import::{employees, table};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for encoding in [
        None,
        Some(table::TextEncoding::Utf8),
        Some(table::TextEncoding::ShiftJis),
    ] {
        let opts = table::ReadOptions {
            encoding,
            ..Default::default()
        };
        if let Ok(t) = table::read_table(data, &opts) {
            let _ = employees::parse_employees(&t, &Default::default(), false);
            let _ = employees::parse_employees(&t, &Default::default(), true);
        }
    }
});
