//! Writing the employee master back out, with the very headers the import reads, so that
//! export → import changes nothing and export → import → export gives the same file.

use super::employees::Column;
use super::table::TextEncoding;
use rust_xlsxwriter::Workbook;

/// One person as exported: every fixed column as text, then one rating per exported year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportRow {
    /// In the order of [`Column::FIXED`].
    pub fixed: [String; 12],
    /// Aligned with the export's rating years; empty when there is no rating.
    pub ratings: Vec<String>,
}

/// Why an export could not be written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExportError {
    #[error("{0} contains characters that Shift_JIS cannot hold; export as UTF-8 instead")]
    NotShiftJis(String),
    #[error("the Excel file could not be written: {0}")]
    Xlsx(String),
    #[error("the CSV could not be written: {0}")]
    Csv(String),
}

/// Which columns an export carries: exactly the fields the policy grants the exporter
/// ([`crate::policy::person_fields`]), so a download never shows more than a page would.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Selection {
    /// In the order of [`Column::FIXED`].
    fixed: [bool; 12],
    ratings: bool,
}

impl Selection {
    /// Every column: the operator's own export from the command line, and HR's.
    pub const ALL: Selection = Selection {
        fixed: [true; 12],
        ratings: true,
    };

    /// The columns that these granted fields cover.
    pub fn of(fields: crate::policy::PersonFields) -> Selection {
        let mut fixed = [false; 12];
        for (i, (column, _, _)) in Column::FIXED.iter().enumerate() {
            fixed[i] = match column {
                Column::Email => fields.email,
                Column::BirthDate => fields.birth_date,
                Column::HireDate => fields.hire_date,
                Column::Grade => fields.grade,
                Column::ManagerNumber => fields.reporting_line,
                _ => fields.identity,
            };
        }
        Selection {
            fixed,
            ratings: fields.ratings,
        }
    }

    /// Whether this column is exported.
    pub fn includes(&self, column: Column) -> bool {
        match column {
            Column::Rating(_) => self.ratings,
            c => Column::FIXED
                .iter()
                .position(|(k, _, _)| *k == c)
                .is_some_and(|i| self.fixed[i]),
        }
    }
}

fn headers(rating_years: &[i32], selection: &Selection) -> Vec<String> {
    Column::FIXED
        .iter()
        .zip(selection.fixed)
        .filter(|(_, keep)| *keep)
        .map(|((c, _, _), _)| c.header_ja())
        .chain(
            rating_years
                .iter()
                .filter(|_| selection.ratings)
                .map(|y| Column::Rating(*y).header_ja()),
        )
        .collect()
}

fn cells<'a>(row: &'a ExportRow, selection: &'a Selection) -> impl Iterator<Item = &'a str> {
    row.fixed
        .iter()
        .zip(selection.fixed)
        .filter(|(_, keep)| *keep)
        .map(|(v, _)| v)
        .chain(row.ratings.iter().filter(|_| selection.ratings))
        .map(String::as_str)
}

/// CSV for Excel: CRLF line ends; UTF-8 with a BOM, or Shift_JIS (CP932).
pub fn to_csv(
    rows: &[ExportRow],
    rating_years: &[i32],
    selection: &Selection,
    encoding: TextEncoding,
) -> Result<Vec<u8>, ExportError> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let write = |w: &mut csv::Writer<Vec<u8>>, rec: Vec<&str>| {
        w.write_record(rec)
            .map_err(|e| ExportError::Csv(e.to_string()))
    };
    write(
        &mut w,
        headers(rating_years, selection)
            .iter()
            .map(String::as_str)
            .collect(),
    )?;
    for r in rows {
        write(&mut w, cells(r, selection).collect())?;
    }
    let text = String::from_utf8(
        w.into_inner()
            .map_err(|e| ExportError::Csv(e.to_string()))?,
    )
    .map_err(|e| ExportError::Csv(e.to_string()))?;
    match encoding {
        TextEncoding::Utf8 => {
            let mut out = b"\xEF\xBB\xBF".to_vec();
            out.extend_from_slice(text.as_bytes());
            Ok(out)
        }
        TextEncoding::ShiftJis => {
            let (bytes, _, unmappable) = encoding_rs::SHIFT_JIS.encode(&text);
            if unmappable {
                let who = rows
                    .iter()
                    .find(|r| cells(r, selection).any(|c| encoding_rs::SHIFT_JIS.encode(c).2))
                    .map(|r| format!("the row of {}", r.fixed[0]))
                    .unwrap_or_else(|| "a header".into());
                return Err(ExportError::NotShiftJis(who));
            }
            Ok(bytes.into_owned())
        }
    }
}

/// XLSX with one sheet, every cell as text (employee numbers keep their leading zeros).
pub fn to_xlsx(
    rows: &[ExportRow],
    rating_years: &[i32],
    selection: &Selection,
) -> Result<Vec<u8>, ExportError> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let err = |e: rust_xlsxwriter::XlsxError| ExportError::Xlsx(e.to_string());
    sheet.set_name("社員").map_err(err)?;
    for (c, h) in headers(rating_years, selection).iter().enumerate() {
        sheet.write_string(0, c as u16, h).map_err(err)?;
    }
    for (i, r) in rows.iter().enumerate() {
        for (c, v) in cells(r, selection).enumerate() {
            if !v.is_empty() {
                sheet.write_string(i as u32 + 1, c as u16, v).map_err(err)?;
            }
        }
    }
    book.save_to_buffer().map_err(err)
}

/// XLSX with several named sheets of text cells (reports: a programme's figures, rosters).
/// Cells that a spreadsheet would read as a formula are written as plain strings anyway,
/// since every cell is written with `write_string`.
pub fn sheets_to_xlsx(sheets: &[(String, Vec<Vec<String>>)]) -> Result<Vec<u8>, ExportError> {
    let mut book = Workbook::new();
    let err = |e: rust_xlsxwriter::XlsxError| ExportError::Xlsx(e.to_string());
    for (name, rows) in sheets {
        let sheet = book.add_worksheet();
        sheet.set_name(name).map_err(err)?;
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                if !v.is_empty() {
                    sheet.write_string(r as u32, c as u16, v).map_err(err)?;
                }
            }
        }
    }
    book.save_to_buffer().map_err(err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn named_sheets_round_trip_through_the_xlsx_reader() {
        let bytes = sheets_to_xlsx(&[
            (
                "進み具合".into(),
                vec![
                    vec!["段階".into(), "人数".into()],
                    vec!["対象者".into(), "11".into()],
                ],
            ),
            (
                "参加者".into(),
                vec![vec!["社員番号".into()], vec!["=1+1".into()]],
            ),
        ])
        .expect("xlsx");
        let t = crate::import::table::read_table(
            &bytes,
            &crate::import::table::ReadOptions {
                sheet: Some("参加者".into()),
                ..Default::default()
            },
        )
        .expect("read");
        assert_eq!(t.headers, vec!["社員番号".to_string()]);
        assert_eq!(&t.rows[0].cells[0], "=1+1", "kept as text");
    }
    use crate::import::employees::{Existing, parse_employees};
    use crate::import::table::{ReadOptions, read_table};

    fn row(n: &str, name: &str) -> ExportRow {
        let mut fixed: [String; 12] = Default::default();
        fixed[0] = n.into();
        fixed[1] = name.into();
        fixed[4] = "1976-04-02".into();
        fixed[11] = "在籍".into();
        ExportRow {
            fixed,
            ratings: vec!["A".into()],
        }
    }

    #[test]
    fn every_format_reads_back_to_the_same_records() {
        let rows = vec![row("0001", "佐藤 花子"), row("E2", "髙橋 﨑子")];
        for bytes in [
            to_csv(&rows, &[2025], &Selection::ALL, TextEncoding::Utf8).expect("utf8"),
            to_csv(&rows, &[2025], &Selection::ALL, TextEncoding::ShiftJis).expect("sjis"),
            to_xlsx(&rows, &[2025], &Selection::ALL).expect("xlsx"),
        ] {
            let t = read_table(&bytes, &ReadOptions::default()).expect("read back");
            let p = parse_employees(&t, &Existing::default(), true);
            assert!(
                p.errors.is_empty() && p.warnings.is_empty(),
                "{:?} {:?}",
                p.errors,
                p.warnings
            );
            assert_eq!(p.records[0].employee_number, "0001");
            assert_eq!(p.records[1].name, "髙橋 﨑子");
            assert_eq!(p.records[1].ratings, vec![(2025, "A".into())]);
        }
    }

    #[test]
    fn an_export_carries_only_the_granted_fields() {
        use crate::policy::{Actor, Relation, person_fields};
        use crate::{Role, RoleSet, TenantId, UserId};
        let admin = Actor {
            user_id: UserId(1),
            tenant_id: TenantId(1),
            person_id: None,
            roles: RoleSet::new([Role::Admin]),
        };
        let fields = person_fields(&admin, Relation::Outside).expect("admin sees identity");
        let selection = Selection::of(fields);
        for hidden in [
            Column::BirthDate,
            Column::HireDate,
            Column::Grade,
            Column::Rating(2025),
        ] {
            assert!(!selection.includes(hidden), "{hidden:?}");
        }
        assert!(selection.includes(Column::EmployeeNumber));
        assert!(selection.includes(Column::Email));
        let rows = vec![row("0001", "佐藤 花子")];
        let csv = to_csv(&rows, &[2025], &selection, TextEncoding::Utf8).expect("csv");
        let text = String::from_utf8_lossy(&csv);
        assert!(
            !text.contains("生年月日") && !text.contains("1976-04-02"),
            "{text}"
        );
        assert!(!text.contains("評価2025") && !text.contains(",A"), "{text}");
        let header = text.lines().next().expect("header");
        let first = text.lines().nth(1).expect("row");
        assert_eq!(header.split(',').count(), first.split(',').count());
        let xlsx = to_xlsx(&rows, &[2025], &selection).expect("xlsx");
        let t = read_table(&xlsx, &ReadOptions::default()).expect("read back");
        assert!(!t.headers.iter().any(|h| h == "生年月日" || h == "評価2025"));
    }

    #[test]
    fn characters_outside_shift_jis_are_refused_not_mangled() {
        let rows = vec![row("E1", "佐藤 😀")];
        assert_eq!(
            to_csv(&rows, &[2025], &Selection::ALL, TextEncoding::ShiftJis),
            Err(ExportError::NotShiftJis("the row of E1".into()))
        );
        assert!(to_csv(&rows, &[2025], &Selection::ALL, TextEncoding::Utf8).is_ok());
    }
}
