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
                ..Default::default()
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

/// The bombs of `scripts/make_xlsx_bombs.py`: a few kilobytes to a few megabytes each,
/// claiming or unpacking to gigabytes. Each is refused with the limit it went over,
/// before the reader allocates for what it claims (the web test uploads them while the
/// server keeps answering).
#[test]
fn xlsx_bombs_are_refused_with_the_limit_they_go_over() {
    use table::FileError;
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fuzz");
    let limits = table::Limits::default();
    for (file, expected) in [
        (
            "seed_bomb_sparse_dimension.xlsx",
            FileError::TooManyColumns {
                line: 1_048_576,
                limit: limits.columns,
            },
        ),
        (
            "seed_bomb_huge_shared_string.xlsx",
            FileError::CellTooLong {
                limit: limits.cell_bytes,
            },
        ),
        (
            "seed_bomb_many_shared_strings.xlsx",
            FileError::TooManyTexts {
                limit: limits.shared_strings,
            },
        ),
    ] {
        let bytes = std::fs::read(dir.join(file)).expect("bomb");
        let got = table::read_table(&bytes, &table::ReadOptions::default());
        assert_eq!(got.as_ref().err(), Some(&expected), "{file}");
        assert!(!expected.limit().is_empty());
    }
    // A part unpacking beyond the size its entry claims is caught by the zip reader.
    let bytes = std::fs::read(dir.join("seed_bomb_false_sizes.xlsx")).expect("bomb");
    assert!(matches!(
        table::read_table(&bytes, &table::ReadOptions::default()),
        Err(FileError::Xlsx(_))
    ));
    // A zip of zips inside the workbook is never opened: the sheet itself reads.
    let bytes = std::fs::read(dir.join("seed_bomb_nested_zip.xlsx")).expect("bomb");
    let t = table::read_table(&bytes, &table::ReadOptions::default()).expect("the sheet reads");
    assert_eq!(t.headers, ["社員番号"]);
}

/// Smaller limits, to show each one is checked where it should be without building
/// files of the real size.
#[test]
fn every_limit_is_checked_on_csv_and_xlsx() {
    use table::{FileError, Limits, ReadOptions};
    let read = |bytes: &[u8], limits: Limits| {
        table::read_table(
            bytes,
            &ReadOptions {
                limits,
                ..Default::default()
            },
        )
    };
    let csv = "社員番号,氏名\nE1,佐藤\nE2,鈴木\nE3,高橋\n".as_bytes();
    let small = |f: fn(&mut Limits)| {
        let mut l = Limits::default();
        f(&mut l);
        l
    };
    assert_eq!(
        read(csv, small(|l| l.file_bytes = 10)),
        Err(FileError::TooLarge { limit: 10 })
    );
    assert_eq!(
        read(csv, small(|l| l.rows = 3)),
        Err(FileError::TooManyRows { limit: 3 })
    );
    assert_eq!(
        read(csv, small(|l| l.columns = 1)),
        Err(FileError::TooManyColumns { line: 1, limit: 1 })
    );
    assert_eq!(
        read(csv, small(|l| l.cells = 5)),
        Err(FileError::TooManyCells { limit: 5 })
    );
    assert_eq!(
        read(csv, small(|l| l.text_bytes = 20)),
        Err(FileError::TooMuchText { limit: 20 })
    );
    assert_eq!(
        read(csv, small(|l| l.cell_bytes = 5)),
        Err(FileError::CellTooLong { limit: 5 })
    );
    assert!(read(csv, Limits::default()).is_ok());
    // The same file as XLSX, written by the exporter.
    let rows: Vec<Vec<String>> = csv
        .split(|b| *b == b'\n')
        .filter(|l| !l.is_empty())
        .map(|l| {
            String::from_utf8_lossy(l)
                .split(',')
                .map(str::to_string)
                .collect()
        })
        .collect();
    let xlsx = domain::import::export::sheets_to_xlsx(&[("社員".into(), rows)]).expect("xlsx");
    assert!(read(&xlsx, Limits::default()).is_ok());
    assert_eq!(
        read(&xlsx, small(|l| l.rows = 3)),
        Err(FileError::TooManyRows { limit: 3 })
    );
    assert_eq!(
        read(&xlsx, small(|l| l.columns = 1)),
        Err(FileError::TooManyColumns { line: 1, limit: 1 })
    );
    assert_eq!(
        read(&xlsx, small(|l| l.shared_strings = 3)),
        Err(FileError::TooManyTexts { limit: 3 })
    );
    assert_eq!(
        read(&xlsx, small(|l| l.zip_entries = 2)),
        Err(FileError::TooManyParts { limit: 2 })
    );
    assert_eq!(
        read(&xlsx, small(|l| l.unpacked_bytes = 1000)),
        Err(FileError::UnpacksTooLarge { limit: 1000 })
    );
    assert_eq!(
        read(&xlsx, small(|l| l.other_part_bytes = 100)),
        Err(FileError::UnpacksTooLarge { limit: 100 })
    );
    assert_eq!(
        read(&xlsx, small(|l| l.cell_formats = 0)),
        Err(FileError::TooManyFormats { limit: 0 })
    );
}

/// Cells keep their columns when a sheet starts right of A or leaves cells empty.
#[test]
fn xlsx_cells_keep_their_columns() {
    let rows = vec![
        vec!["".into(), "社員番号".into(), "".into(), "氏名".into()],
        vec!["".into(), "E1".into(), "".into(), "佐藤".into()],
    ];
    let xlsx = domain::import::export::sheets_to_xlsx(&[("社員".into(), rows)]).expect("xlsx");
    let t = table::read_table(&xlsx, &table::ReadOptions::default()).expect("read");
    assert_eq!(t.headers, ["", "社員番号", "", "氏名"]);
    assert_eq!(
        t.rows[0].cells.iter().collect::<Vec<_>>(),
        ["", "E1", "", "佐藤"]
    );
    assert_eq!(t.rows[0].line, 2);
}
