//! Turning an uploaded file into a header and rows of text: CSV (UTF-8, UTF-8 with BOM,
//! Shift_JIS/CP932; CRLF, LF or CR line ends; quoted newlines) or XLSX (first sheet or a
//! named one). Nothing here panics on hostile input; every failure is a [`FileError`].

use super::values::excel_serial;
use calamine::{DataRef, Reader, Xlsx};
use std::io::{Cursor, Read};

/// Files larger than this are refused before being read.
pub const MAX_FILE_BYTES: usize = 100 * 1024 * 1024;

/// What a file may hold, checked while it is read and before anything is allocated for
/// it, so that memory follows the real content: a few kilobytes of XLSX can claim a
/// sheet of 17 billion cells or unpack to gigabytes of text. A file over a limit is
/// refused with the limit named ([`FileError::limit`]). The defaults hold an employee
/// master several times the largest Japanese group's (300,000 people, ~30 columns).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The file itself.
    pub file_bytes: usize,
    /// Rows with something in them, the header included.
    pub rows: usize,
    /// Columns of any one row (counted up to its last non-empty cell).
    pub columns: usize,
    /// Cells of the whole table, the empty ones between others included.
    pub cells: usize,
    /// The text of all cells together.
    pub text_bytes: usize,
    /// One cell (Excel itself stops at 32,767 characters).
    pub cell_bytes: usize,
    /// The XML parts of an XLSX, unpacked, together.
    pub unpacked_bytes: u64,
    /// The shared-strings part of an XLSX, unpacked.
    pub shared_strings_bytes: u64,
    /// Distinct texts (shared strings) of an XLSX.
    pub shared_strings: usize,
    /// Any other XML part of an XLSX but a sheet (styles, workbook, relationships).
    pub other_part_bytes: u64,
    /// Cell formats of an XLSX (Excel itself stops at 64,000).
    pub cell_formats: usize,
    /// Entries of the XLSX's zip archive.
    pub zip_entries: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            file_bytes: MAX_FILE_BYTES,
            rows: 1_000_000,
            columns: 256,
            cells: 16_000_000,
            text_bytes: 256 * 1024 * 1024,
            cell_bytes: 128 * 1024,
            unpacked_bytes: 1024 * 1024 * 1024,
            shared_strings_bytes: 128 * 1024 * 1024,
            shared_strings: 2_000_000,
            other_part_bytes: 16 * 1024 * 1024,
            cell_formats: 65_536,
            zip_entries: 10_000,
        }
    }
}

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
    #[error("the file is larger than {} MB", .limit / 1024 / 1024)]
    TooLarge { limit: usize },
    #[error("the file has more than {limit} rows")]
    TooManyRows { limit: usize },
    #[error("row {line} has more than {limit} columns")]
    TooManyColumns { line: usize, limit: usize },
    #[error("the file has more than {limit} cells")]
    TooManyCells { limit: usize },
    #[error("the text in the file's cells is larger than {} MB", .limit / 1024 / 1024)]
    TooMuchText { limit: usize },
    #[error("a cell (or a piece of the Excel file) is longer than {} KB", .limit / 1024)]
    CellTooLong { limit: usize },
    #[error("the Excel file unpacks to more than {} MB", .limit / 1024 / 1024)]
    UnpacksTooLarge { limit: u64 },
    #[error("the Excel file holds more than {limit} distinct texts")]
    TooManyTexts { limit: usize },
    #[error("the Excel file has more than {limit} cell formats")]
    TooManyFormats { limit: usize },
    #[error("the Excel file has more than {limit} parts")]
    TooManyParts { limit: usize },
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
            FileError::TooLarge { .. } => "too_large",
            FileError::TooManyRows { .. } => "too_many_rows",
            FileError::TooManyColumns { .. } => "too_many_columns",
            FileError::TooManyCells { .. } => "too_many_cells",
            FileError::TooMuchText { .. } => "too_much_text",
            FileError::CellTooLong { .. } => "cell_too_long",
            FileError::UnpacksTooLarge { .. } => "unpacks_too_large",
            FileError::TooManyTexts { .. } => "too_many_texts",
            FileError::TooManyFormats { .. } => "too_many_formats",
            FileError::TooManyParts { .. } => "too_many_parts",
            FileError::NoRows => "no_rows",
            FileError::NotText => "not_text",
            FileError::BadEncoding(_) => "bad_encoding",
            FileError::Csv { .. } => "csv",
            FileError::Xlsx(_) => "xlsx",
            FileError::NoSuchSheet(_) => "no_such_sheet",
        }
    }

    /// The limit a file went over, as people read it ("100 MB", "1,000,000"), for the
    /// `{limit}` of the translated message; empty for other errors.
    pub fn limit(&self) -> String {
        let mb = |b: u64| format!("{} MB", b / 1024 / 1024);
        match *self {
            FileError::TooLarge { limit } | FileError::TooMuchText { limit } => mb(limit as u64),
            FileError::UnpacksTooLarge { limit } => mb(limit),
            FileError::CellTooLong { limit } => format!("{} KB", limit / 1024),
            FileError::TooManyRows { limit }
            | FileError::TooManyColumns { limit, .. }
            | FileError::TooManyCells { limit }
            | FileError::TooManyTexts { limit }
            | FileError::TooManyFormats { limit }
            | FileError::TooManyParts { limit } => thousands(limit),
            _ => String::new(),
        }
    }

    /// The row the problem is on, where there is one.
    pub fn line(&self) -> Option<usize> {
        match *self {
            FileError::TooManyColumns { line, .. } | FileError::Csv { line, .. } => Some(line),
            _ => None,
        }
    }
}

/// 1000000 → "1,000,000".
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Options for reading.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// Force a CSV encoding instead of detecting it.
    pub encoding: Option<TextEncoding>,
    /// The XLSX sheet to read (default: the first).
    pub sheet: Option<String>,
    /// What the file may hold.
    pub limits: Limits,
}

/// Reads CSV or XLSX bytes (XLSX is recognised by its ZIP signature).
pub fn read_table(bytes: &[u8], opts: &ReadOptions) -> Result<Table, FileError> {
    if bytes.is_empty() {
        return Err(FileError::Empty);
    }
    let limits = &opts.limits;
    if bytes.len() > limits.file_bytes {
        return Err(FileError::TooLarge {
            limit: limits.file_bytes,
        });
    }
    let table = if bytes.starts_with(b"PK\x03\x04") {
        inspect_xlsx(bytes, limits)?;
        read_xlsx(bytes, opts.sheet.as_deref(), limits)?
    } else {
        read_csv(bytes, opts.encoding, limits)?
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
) -> Result<(std::borrow::Cow<'_, str>, TextEncoding, bool), FileError> {
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
        // UTF-8 is read in place: no copy of the file.
        TextEncoding::Utf8 => std::borrow::Cow::Borrowed(
            std::str::from_utf8(body).map_err(|_| FileError::BadEncoding("UTF-8"))?,
        ),
        TextEncoding::ShiftJis => {
            let (text, had_errors) = encoding_rs::SHIFT_JIS.decode_without_bom_handling(body);
            if had_errors {
                return Err(if forced.is_some() {
                    FileError::BadEncoding("Shift_JIS")
                } else {
                    FileError::NotText
                });
            }
            text
        }
    };
    if text.contains('\0') {
        return Err(FileError::NotText);
    }
    Ok((text, encoding, bom))
}

fn read_csv(
    bytes: &[u8],
    forced: Option<TextEncoding>,
    limits: &Limits,
) -> Result<Table, FileError> {
    let (mut text, encoding, bom) = decode(bytes, forced)?;
    if !text.contains('\n') && text.contains('\r') {
        // Old Mac line ends: the CSV reader copes, but it counts lines by '\n'.
        text = std::borrow::Cow::Owned(text.replace('\r', "\n"));
    }
    let mut budget = Budget::new(limits);
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
        budget.row(line, record.len(), record.as_slice().len())?;
        if record.iter().any(|c| c.len() > limits.cell_bytes) {
            return Err(FileError::CellTooLong {
                limit: limits.cell_bytes,
            });
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

/// Counts what a table takes as it grows, refusing it at the first limit crossed.
struct Budget<'a> {
    limits: &'a Limits,
    rows: usize,
    cells: usize,
    text: usize,
}

impl<'a> Budget<'a> {
    fn new(limits: &'a Limits) -> Self {
        Budget {
            limits,
            rows: 0,
            cells: 0,
            text: 0,
        }
    }

    /// One more row of `cells` cells and `text` bytes, found on `line`.
    fn row(&mut self, line: usize, cells: usize, text: usize) -> Result<(), FileError> {
        let l = self.limits;
        self.rows += 1;
        self.cells += cells;
        self.text += text;
        if self.rows > l.rows {
            Err(FileError::TooManyRows { limit: l.rows })
        } else if cells > l.columns {
            Err(FileError::TooManyColumns {
                line,
                limit: l.columns,
            })
        } else if self.cells > l.cells {
            Err(FileError::TooManyCells { limit: l.cells })
        } else if self.text > l.text_bytes {
            Err(FileError::TooMuchText {
                limit: l.text_bytes,
            })
        } else {
            Ok(())
        }
    }
}

fn xlsx_error(e: impl std::fmt::Display) -> FileError {
    FileError::Xlsx(e.to_string())
}

/// Looks inside an XLSX before calamine reads it: every XML part is unpacked once,
/// streamed through a small buffer and never kept, so the checks cost time proportional
/// to the file and no memory. Refuses archives with too many entries, parts that unpack
/// beyond their limit (whatever size their entry claims), a run of text or a tag longer
/// than a cell may be, too many shared strings or cell formats. Parts calamine never
/// opens (pictures, a zip inside the zip) are not unpacked.
fn inspect_xlsx(bytes: &[u8], limits: &Limits) -> Result<(), FileError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(xlsx_error)?;
    if zip.len() > limits.zip_entries {
        return Err(FileError::TooManyParts {
            limit: limits.zip_entries,
        });
    }
    let mut unpacked: u64 = 0;
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).map_err(xlsx_error)?;
        let name = entry.name().map_err(xlsx_error)?.to_ascii_lowercase();
        if !(name.ends_with(".xml") || name.ends_with(".rels")) {
            continue;
        }
        let is_sheet = name.contains("worksheets/");
        let (part_limit, counted, count_limit) = if name.ends_with("sharedstrings.xml") {
            (limits.shared_strings_bytes, "si", limits.shared_strings)
        } else if name.ends_with("styles.xml") {
            (limits.other_part_bytes, "xf", limits.cell_formats)
        } else if is_sheet {
            (u64::MAX, "", 0)
        } else {
            (limits.other_part_bytes, "", 0)
        };
        let left = limits.unpacked_bytes - unpacked;
        let scan = scan_xml(
            &mut entry,
            part_limit.min(left),
            limits.cell_bytes,
            counted,
            count_limit,
        )?;
        unpacked += scan.bytes;
        match scan.over {
            None => {}
            Some(Over::Bytes) if part_limit < left => {
                return Err(if counted == "si" {
                    FileError::TooMuchText {
                        limit: limits.shared_strings_bytes as usize,
                    }
                } else {
                    FileError::UnpacksTooLarge { limit: part_limit }
                });
            }
            Some(Over::Bytes) => {
                return Err(FileError::UnpacksTooLarge {
                    limit: limits.unpacked_bytes,
                });
            }
            Some(Over::Run) => {
                return Err(FileError::CellTooLong {
                    limit: limits.cell_bytes,
                });
            }
            Some(Over::Count) if counted == "si" => {
                return Err(FileError::TooManyTexts {
                    limit: limits.shared_strings,
                });
            }
            Some(Over::Count) => {
                return Err(FileError::TooManyFormats {
                    limit: limits.cell_formats,
                });
            }
        }
    }
    Ok(())
}

/// What [`scan_xml`] found.
struct Scan {
    bytes: u64,
    over: Option<Over>,
}

/// Which limit a part went over.
enum Over {
    Bytes,
    Run,
    Count,
}

/// Streams one XML part: its unpacked size, the longest run of bytes between `<` and
/// `>` (a text or a tag), and how many elements named `counted` start in it (any
/// namespace prefix). Stops at the first limit crossed.
fn scan_xml(
    part: &mut impl Read,
    max_bytes: u64,
    max_run: usize,
    counted: &str,
    max_count: usize,
) -> Result<Scan, FileError> {
    let mut buf = vec![0u8; 64 * 1024];
    let mut bytes: u64 = 0;
    let mut run = 0usize;
    let mut count = 0usize;
    // The name of the tag being read, kept only as long as `counted` (no allocation).
    let mut in_name = false;
    let mut name = [0u8; 16];
    let mut name_len = 0usize;
    let mut name_fits = true;
    let over = |o: Over, bytes| {
        Ok(Scan {
            bytes,
            over: Some(o),
        })
    };
    loop {
        let n = match part.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(xlsx_error(e)),
        };
        bytes += n as u64;
        if bytes > max_bytes {
            return over(Over::Bytes, bytes);
        }
        for &b in &buf[..n] {
            if b == b'<' || b == b'>' {
                run = 0;
            } else {
                run += 1;
                if run > max_run {
                    return over(Over::Run, bytes);
                }
            }
            if counted.is_empty() {
                continue;
            }
            if b == b'<' {
                in_name = true;
                name_len = 0;
                name_fits = true;
            } else if in_name {
                if b == b':' {
                    name_len = 0;
                    name_fits = true;
                } else if b.is_ascii_whitespace() || b == b'>' || b == b'/' {
                    in_name = false;
                    if name_fits && &name[..name_len] == counted.as_bytes() {
                        count += 1;
                        if count > max_count {
                            return over(Over::Count, bytes);
                        }
                    }
                } else if name_len < name.len() {
                    name[name_len] = b;
                    name_len += 1;
                } else {
                    name_fits = false;
                }
            }
        }
    }
    Ok(Scan { bytes, over: None })
}

fn cell_text(c: &DataRef<'_>) -> String {
    match c {
        DataRef::Empty => String::new(),
        DataRef::String(s) => s.clone(),
        DataRef::SharedString(s) => s.to_string(),
        DataRef::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        DataRef::Float(f) => f.to_string(),
        DataRef::Int(i) => i.to_string(),
        DataRef::Bool(b) => b.to_string(),
        DataRef::DateTime(dt) => excel_serial(dt.as_f64())
            .map(|d| d.to_string())
            .unwrap_or_else(|_| dt.as_f64().to_string()),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::Error(e) => format!("#{e:?}"),
    }
}

/// Reads a sheet cell by cell, as stored: only the cells in the file take memory,
/// whatever range the sheet's `<dimension>` claims. Cells keep their column positions
/// (empty ones before them are filled in, up to the row's last non-empty cell).
fn read_xlsx(bytes: &[u8], sheet: Option<&str>, limits: &Limits) -> Result<Table, FileError> {
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(xlsx_error)?;
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
    let mut reader = book.worksheet_cells_reader(&name).map_err(xlsx_error)?;
    let mut budget = Budget::new(limits);
    let mut headers: Option<Vec<String>> = None;
    let mut rows = Vec::new();
    // The row being read: its index and its non-empty cells by column.
    let mut current: Option<(u32, Vec<(u32, String)>)> = None;
    let finish = |row: u32,
                  mut cells: Vec<(u32, String)>,
                  budget: &mut Budget,
                  headers: &mut Option<Vec<String>>,
                  rows: &mut Vec<Row>|
     -> Result<(), FileError> {
        if cells.iter().all(|(_, c)| c.trim().is_empty()) {
            return Ok(());
        }
        // A file may list a row's cells out of order, or one twice: the last one counts.
        cells.sort_by_key(|(col, _)| *col);
        cells.dedup_by(|later, earlier| {
            let same = later.0 == earlier.0;
            if same {
                std::mem::swap(&mut later.1, &mut earlier.1);
            }
            same
        });
        let line = row as usize + 1;
        let width = cells.last().map_or(0, |(col, _)| *col as usize + 1);
        let text: usize = cells.iter().map(|(_, c)| c.len()).sum();
        budget.row(line, width, text)?;
        let mut out = Cells::default();
        out.text.reserve(text);
        out.ends.reserve(width);
        for (col, c) in cells {
            while out.len() < col as usize {
                out.push("");
            }
            out.push(&c);
        }
        match headers {
            None => *headers = Some(out.iter().map(str::to_string).collect()),
            Some(_) => rows.push(Row { line, cells: out }),
        }
        Ok(())
    };
    while let Some(cell) = reader.next_cell().map_err(xlsx_error)? {
        let (row, col) = cell.get_position();
        if col as usize >= limits.columns {
            return Err(FileError::TooManyColumns {
                line: row as usize + 1,
                limit: limits.columns,
            });
        }
        let value = cell_text(cell.get_value());
        if value.len() > limits.cell_bytes {
            return Err(FileError::CellTooLong {
                limit: limits.cell_bytes,
            });
        }
        match &mut current {
            Some((r, cells)) if *r == row => {
                if cells.len() >= limits.columns {
                    return Err(FileError::TooManyColumns {
                        line: row as usize + 1,
                        limit: limits.columns,
                    });
                }
                if !value.is_empty() {
                    cells.push((col, value));
                }
            }
            _ => {
                if let Some((r, cells)) = current.take() {
                    finish(r, cells, &mut budget, &mut headers, &mut rows)?;
                }
                let cells = if value.is_empty() {
                    Vec::new()
                } else {
                    vec![(col, value)]
                };
                current = Some((row, cells));
            }
        }
    }
    if let Some((r, cells)) = current.take() {
        finish(r, cells, &mut budget, &mut headers, &mut rows)?;
    }
    drop(reader);
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
