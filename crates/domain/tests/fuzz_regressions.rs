//! Every file the fuzzer (`fuzz/`, target `read_table`) was seeded with or found worth
//! keeping is read as an employee master, in every encoding, and checked: none may panic,
//! and every one either reads or is refused with a file error.

use domain::import::{employees, table};
use std::path::Path;

#[test]
fn kept_fuzz_inputs_are_read_or_refused_without_panicking() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fuzz");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("fixtures/fuzz")
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    assert!(
        files.len() >= 10,
        "the kept corpus is missing: {}",
        dir.display()
    );
    for path in files {
        let bytes = std::fs::read(&path).expect("read fixture");
        for encoding in [
            None,
            Some(table::TextEncoding::Utf8),
            Some(table::TextEncoding::ShiftJis),
        ] {
            let opts = table::ReadOptions {
                encoding,
                sheet: None,
            };
            let result = std::panic::catch_unwind(|| match table::read_table(&bytes, &opts) {
                Ok(t) => {
                    let _ = employees::parse_employees(&t, &Default::default(), false);
                    let p = employees::parse_employees(&t, &Default::default(), true);
                    // Every problem names where it is and says what is wrong.
                    assert!(p.errors.iter().all(|e| !e.message.is_empty()));
                }
                Err(e) => assert!(!e.to_string().is_empty()),
            });
            assert!(result.is_ok(), "{} ({encoding:?}) panicked", path.display());
        }
    }
}
