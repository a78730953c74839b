//! Turning an uploaded file into a header and rows of text: CSV (UTF-8, UTF-8 with BOM,
//! Shift_JIS/CP932; CRLF, LF or CR line ends; quoted newlines) or XLSX (first sheet or a
//! named one). Nothing here panics on hostile input; every failure is a [`FileError`].

use super::values::excel_serial;
use calamine::{Data, Reader, Xlsx};
use std::io::Cursor;

/// Files larger than this are refused before being read.
pub const MAX_FILE_BYTES: usize = 100 * 1024 * 1024;

/// How a CSV file's bytes are decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TextEncoding {
    Utf8,
    ShiftJis,
}

impl TextEncoding {
    pub fn parse(s: &str) -> Option<TextEncoding> {
        match s.to_ascii_lowercase().replace(['-', '_'], "").as_str() {
            "utf8" => Some(TextEncoding::Utf8),
            "shiftjis" | "sjis" | "cp932" | "windows31j" | "ms932" => Some(TextEncoding::ShiftJis),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "utf-8",
            TextEncoding::ShiftJis => "shift_jis",
        }
    }
}

/// What kind of file was read, for the import record and the preview.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Source {
    Csv { encoding: TextEncoding, bom: bool },
    Xlsx { sheet: String },
}

/// One data row with its line (CSV) or row number (XLSX) in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub line: usize,
    pub cells: Cells,
}

/// The cells of one row, kept in one string: a file of 300,000 rows and 22 columns would
/// otherwise be 6.6 million small strings, and allocating them took longer than reading
/// every value in them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cells {
    text: String,
    /// Where each cell ends in `text`.
    ends: Vec<usize>,
}

impl Cells {
    /// The cell at `i`, if the row has that many.
    pub fn get(&self, i: usize) -> Option<&str> {
        let end = *self.ends.get(i)?;
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        Some(&self.text[start..end])
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &str> {
        (0..self.len()).filter_map(|i| self.get(i))
    }

    pub fn push(&mut self, cell: &str) {
        self.text.push_str(cell);
        self.ends.push(self.text.len());
    }
}

impl<S: AsRef<str>> FromIterator<S> for Cells {
    fn from_iter<I: IntoIterator<Item = S>>(iter: I) -> Self {
        let mut cells = Cells::default();
        for c in iter {
            cells.push(c.as_ref());
        }
        cells
    }
}

impl std::ops::Index<usize> for Cells {
    type Output = str;

    fn index(&self, i: usize) -> &str {
        match self.get(i) {
            Some(c) => c,
            None => panic!("row has {} cells, not {}", self.len(), i + 1),
        }
    }
}

/// A file as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub source: Source,
    pub headers: Vec<String>,
    pub rows: Vec<Row>,
}

/// Why a file could not be read at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FileError {
    #[error("the file is empty")]
    Empty,
    #[error("the file is larger than {} MB", MAX_FILE_BYTES / 1024 / 1024)]
    TooLarge,
    #[error("the file has a header row but no data rows")]
    NoRows,
    #[error("the file is neither UTF-8 nor Shift_JIS text (is it a binary file?)")]
    NotText,
    #[error("the file is not valid {0} text")]
    BadEncoding(&'static str),
    #[error("the CSV could not be read at line {line}: {reason}")]
    Csv { line: usize, reason: String },
    #[error("the Excel file could not be read (damaged, or not an .xlsx file): {0}")]
    Xlsx(String),
    #[error("the Excel file has no sheet named '{0}'")]
    NoSuchSheet(String),
}

impl FileError {
    /// A stable identifier for translation files (`import.file_error.<code>`).
    pub fn code(&self) -> &'static str {
        match self {
            FileError::Empty => "empty",
            FileError::TooLarge => "too_large",
            FileError::NoRows => "no_rows",
            FileError::NotText => "not_text",
            FileError::BadEncoding(_) => "bad_encoding",
            FileError::Csv { .. } => "csv",
            FileError::Xlsx(_) => "xlsx",
            FileError::NoSuchSheet(_) => "no_such_sheet",
        }
    }
}

/// Options for reading.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// Force a CSV encoding instead of detecting it.
    pub encoding: Option<TextEncoding>,
    /// The XLSX sheet to read (default: the first).
    pub sheet: Option<String>,
}

/// Reads CSV or XLSX bytes (XLSX is recognised by its ZIP signature).
pub fn read_table(bytes: &[u8], opts: &ReadOptions) -> Result<Table, FileError> {
    if bytes.is_empty() {
        return Err(FileError::Empty);
    }
    if bytes.len() > MAX_FILE_BYTES {
        return Err(FileError::TooLarge);
    }
    let table = if bytes.starts_with(b"PK\x03\x04") {
        read_xlsx(bytes, opts.sheet.as_deref())?
    } else {
        read_csv(bytes, opts.encoding)?
    };
    if table.headers.iter().all(|h| h.trim().is_empty()) {
        return Err(FileError::Empty);
    }
    if table.rows.is_empty() {
        return Err(FileError::NoRows);
    }
    Ok(table)
}

fn decode(
    bytes: &[u8],
    forced: Option<TextEncoding>,
) -> Result<(String, TextEncoding, bool), FileError> {
    let (bom, body) = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => (true, rest),
        None => (false, bytes),
    };
    let encoding = match forced {
        Some(e) => e,
        None if bom || std::str::from_utf8(body).is_ok() => TextEncoding::Utf8,
        None => TextEncoding::ShiftJis,
    };
    let text = match encoding {
        TextEncoding::Utf8 => std::str::from_utf8(body)
            .map_err(|_| FileError::BadEncoding("UTF-8"))?
            .to_string(),
        TextEncoding::ShiftJis => {
            let (text, had_errors) = encoding_rs::SHIFT_JIS.decode_without_bom_handling(body);
            if had_errors {
                return Err(if forced.is_some() {
                    FileError::BadEncoding("Shift_JIS")
                } else {
                    FileError::NotText
                });
            }
            text.into_owned()
        }
    };
    if text.contains('\0') {
        return Err(FileError::NotText);
    }
    Ok((text, encoding, bom))
}

fn read_csv(bytes: &[u8], forced: Option<TextEncoding>) -> Result<Table, FileError> {
    let (mut text, encoding, bom) = decode(bytes, forced)?;
    if !text.contains('\n') && text.contains('\r') {
        // Old Mac line ends: the CSV reader copes, but it counts lines by '\n'.
        text = text.replace('\r', "\n");
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut headers: Option<Vec<String>> = None;
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    while reader
        .read_record(&mut record)
        .map_err(|e| FileError::Csv {
            line: e.position().map(|p| p.line() as usize).unwrap_or(0),
            reason: e.to_string(),
        })?
    {
        let line = record.position().map(|p| p.line() as usize).unwrap_or(0);
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        match headers {
            None => headers = Some(record.iter().map(str::to_string).collect()),
            Some(_) => rows.push(Row {
                line,
                cells: Cells {
                    text: record.as_slice().to_string(),
                    ends: (0..record.len())
                        .map(|i| record.range(i).map_or(0, |r| r.end))
                        .collect(),
                },
            }),
        }
    }
    Ok(Table {
        source: Source::Csv { encoding, bom },
        headers: headers.ok_or(FileError::Empty)?,
        rows,
    })
}

fn cell_text(c: &Data) -> String {
    match c {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(dt) => excel_serial(dt.as_f64())
            .map(|d| d.to_string())
            .unwrap_or_else(|_| dt.as_f64().to_string()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

fn read_xlsx(bytes: &[u8], sheet: Option<&str>) -> Result<Table, FileError> {
    let mut book: Xlsx<_> =
        Xlsx::new(Cursor::new(bytes)).map_err(|e| FileError::Xlsx(e.to_string()))?;
    let names = book.sheet_names();
    let name = match sheet {
        Some(s) => names
            .iter()
            .find(|n| n.as_str() == s)
            .cloned()
            .ok_or_else(|| FileError::NoSuchSheet(s.to_string()))?,
        None => names
            .first()
            .cloned()
            .ok_or_else(|| FileError::Xlsx("the workbook has no sheets".into()))?,
    };
    let range = book
        .worksheet_range(&name)
        .map_err(|e| FileError::Xlsx(e.to_string()))?;
    let start_row = range.start().map(|(r, _)| r as usize).unwrap_or(0);
    let start_col = range.start().map(|(_, c)| c as usize).unwrap_or(0);
    let mut headers: Option<Vec<String>> = None;
    let mut rows = Vec::new();
    for (i, r) in range.rows().enumerate() {
        // Cells left of the used range are empty; keep column positions as in the sheet.
        let mut cells: Cells = std::iter::repeat_n("", start_col).collect();
        for c in r {
            cells.push(&cell_text(c));
        }
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let line = start_row + i + 1;
        match headers {
            None => headers = Some(cells.iter().map(str::to_string).collect()),
            Some(_) => rows.push(Row { line, cells }),
        }
    }
    Ok(Table {
        source: Source::Xlsx { sheet: name },
        headers: headers.ok_or(FileError::Empty)?,
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sjis(s: &str) -> Vec<u8> {
        encoding_rs::SHIFT_JIS.encode(s).0.into_owned()
    }

    #[test]
    fn detects_utf8_bom_and_shift_jis() {
        let text = "社員番号,氏名\r\nE1,佐藤 花子\r\n";
        let t = read_table(text.as_bytes(), &ReadOptions::default()).expect("utf8");
        assert_eq!(
            t.source,
            Source::Csv {
                encoding: TextEncoding::Utf8,
                bom: false
            }
        );
        let mut with_bom = b"\xEF\xBB\xBF".to_vec();
        with_bom.extend_from_slice(text.as_bytes());
        let t = read_table(&with_bom, &ReadOptions::default()).expect("bom");
        assert_eq!(t.headers, ["社員番号", "氏名"]);
        let t = read_table(&sjis(text), &ReadOptions::default()).expect("sjis");
        assert_eq!(
            t.source,
            Source::Csv {
                encoding: TextEncoding::ShiftJis,
                bom: false
            }
        );
        assert_eq!(
            t.rows[0].cells.iter().collect::<Vec<_>>(),
            ["E1", "佐藤 花子"]
        );
    }

    #[test]
    fn line_ends_and_quoted_newlines() {
        for text in [
            "a,b\nE1,x\nE2,y\n",
            "a,b\r\nE1,x\r\nE2,y",
            "a,b\rE1,x\rE2,y\r",
        ] {
            let t = read_table(text.as_bytes(), &ReadOptions::default()).expect("read");
            assert_eq!(t.rows.len(), 2, "{text:?}");
        }
        let t = read_table(
            "a,b\nE1,\"two\nlines\"\nE2,y\n".as_bytes(),
            &ReadOptions::default(),
        )
        .expect("read");
        assert_eq!(&t.rows[0].cells[1], "two\nlines");
        assert_eq!((t.rows[0].line, t.rows[1].line), (2, 4));
    }

    #[test]
    fn hostile_files_are_refused_with_a_reason() {
        let o = ReadOptions::default();
        assert_eq!(read_table(b"", &o), Err(FileError::Empty));
        assert_eq!(read_table(b"\n\n", &o), Err(FileError::Empty));
        assert_eq!(
            read_table("社員番号,氏名\n".as_bytes(), &o),
            Err(FileError::NoRows)
        );
        assert_eq!(
            read_table(&[0xff, 0xfe, 0x00, 0x41, 0x00, 0x00, 0x81], &o),
            Err(FileError::NotText)
        );
        assert!(matches!(
            read_table(b"PK\x03\x04garbage", &o),
            Err(FileError::Xlsx(_))
        ));
        assert_eq!(
            read_table(b"a,b\n\x00\x01,2\n", &o),
            Err(FileError::NotText)
        );
        let forced = ReadOptions {
            encoding: Some(TextEncoding::Utf8),
            ..Default::default()
        };
        assert_eq!(
            read_table(&sjis("社員番号\nE1\n"), &forced),
            Err(FileError::BadEncoding("UTF-8"))
        );
    }

    #[test]
    fn encoding_names() {
        assert_eq!(
            TextEncoding::parse("Shift_JIS"),
            Some(TextEncoding::ShiftJis)
        );
        assert_eq!(TextEncoding::parse("cp932"), Some(TextEncoding::ShiftJis));
        assert_eq!(TextEncoding::parse("UTF-8"), Some(TextEncoding::Utf8));
        assert_eq!(TextEncoding::parse("latin1"), None);
    }
}
