//! The employee-master import: which columns mean what (Japanese or English headers, any
//! order), how each value is read, and every problem found — all before anything is
//! written. The store turns the resulting records into a diff and applies it at once.

use super::table::{Row, Table};
use super::values::{DateError, normalise, parse_date, trim_name};
use crate::{EmailAddress, EmployeeNumber};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::{HashMap, HashSet};

/// A column the import understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Column {
    EmployeeNumber,
    Name,
    NameKana,
    Email,
    BirthDate,
    HireDate,
    DepartmentCode,
    DepartmentName,
    Title,
    Grade,
    ManagerNumber,
    Status,
    /// A performance rating for one fiscal year (`評価2025`, `rating_2025`).
    Rating(i32),
}

impl Column {
    /// The fixed columns in export order, with their Japanese and English headers.
    pub const FIXED: [(Column, &'static str, &'static str); 12] = [
        (Column::EmployeeNumber, "社員番号", "employee_number"),
        (Column::Name, "氏名", "name"),
        (Column::NameKana, "フリガナ", "name_kana"),
        (Column::Email, "メール", "email"),
        (Column::BirthDate, "生年月日", "birth_date"),
        (Column::HireDate, "入社日", "hire_date"),
        (Column::DepartmentCode, "所属コード", "department_code"),
        (Column::DepartmentName, "所属", "department_name"),
        (Column::Title, "役職", "title"),
        (Column::Grade, "等級", "grade"),
        (Column::ManagerNumber, "上司社員番号", "manager_number"),
        (Column::Status, "在籍区分", "status"),
    ];

    /// The Japanese header this column is exported under.
    pub fn header_ja(self) -> String {
        match self {
            Column::Rating(fy) => format!("評価{fy}"),
            c => Column::FIXED
                .iter()
                .find(|(k, _, _)| *k == c)
                .map(|(_, ja, _)| ja.to_string())
                .unwrap_or_default(),
        }
    }

    /// Recognises a header written in Japanese or English, with full-width characters,
    /// spaces or different case.
    pub fn from_header(raw: &str) -> Option<Column> {
        let h: String = normalise(raw)
            .to_lowercase()
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '_' && *c != '-')
            .collect();
        const ALIASES: [(&str, Column); 30] = [
            ("社員番号", Column::EmployeeNumber),
            ("従業員番号", Column::EmployeeNumber),
            ("社員コード", Column::EmployeeNumber),
            ("employeenumber", Column::EmployeeNumber),
            ("氏名", Column::Name),
            ("名前", Column::Name),
            ("name", Column::Name),
            ("フリガナ", Column::NameKana),
            ("ふりがな", Column::NameKana),
            ("氏名カナ", Column::NameKana),
            ("namekana", Column::NameKana),
            ("メール", Column::Email),
            ("メールアドレス", Column::Email),
            ("email", Column::Email),
            ("生年月日", Column::BirthDate),
            ("birthdate", Column::BirthDate),
            ("入社日", Column::HireDate),
            ("入社年月日", Column::HireDate),
            ("hiredate", Column::HireDate),
            ("所属コード", Column::DepartmentCode),
            ("departmentcode", Column::DepartmentCode),
            ("所属", Column::DepartmentName),
            ("所属名", Column::DepartmentName),
            ("departmentname", Column::DepartmentName),
            ("役職", Column::Title),
            ("title", Column::Title),
            ("等級", Column::Grade),
            ("grade", Column::Grade),
            ("上司社員番号", Column::ManagerNumber),
            ("managernumber", Column::ManagerNumber),
        ];
        if let Some((_, c)) = ALIASES.iter().find(|(a, _)| *a == h) {
            return Some(*c);
        }
        if h == "在籍区分" || h == "status" {
            return Some(Column::Status);
        }
        let year = h
            .strip_prefix("評価")
            .or_else(|| h.strip_prefix("rating"))
            .map(|y| y.trim_end_matches("年度"));
        match year.and_then(|y| y.parse::<i32>().ok()) {
            Some(fy) if (1900..=2200).contains(&fy) => Some(Column::Rating(fy)),
            _ => None,
        }
    }
}

/// 在籍区分.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PersonStatus {
    /// 在籍
    Active,
    /// 休職
    Leave,
    /// 退職
    Left,
}

impl PersonStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            PersonStatus::Active => "active",
            PersonStatus::Leave => "leave",
            PersonStatus::Left => "left",
        }
    }

    pub fn label_ja(self) -> &'static str {
        match self {
            PersonStatus::Active => "在籍",
            PersonStatus::Leave => "休職",
            PersonStatus::Left => "退職",
        }
    }

    /// The status as stored (`active`, `leave`, `left`); anything else is refused.
    pub fn from_stored(s: &str) -> Option<PersonStatus> {
        [
            PersonStatus::Active,
            PersonStatus::Leave,
            PersonStatus::Left,
        ]
        .into_iter()
        .find(|p| p.as_str() == s)
    }

    pub fn parse(s: &str) -> Option<PersonStatus> {
        match normalise(s).to_lowercase().as_str() {
            "" | "在籍" | "在職" | "active" => Some(PersonStatus::Active),
            "休職" | "休職中" | "leave" | "on_leave" => Some(PersonStatus::Leave),
            "退職" | "退職済" | "left" => Some(PersonStatus::Left),
            _ => None,
        }
    }
}

impl TryFrom<String> for PersonStatus {
    type Error = String;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        PersonStatus::from_stored(&s).ok_or_else(|| format!("unknown person status {s:?}"))
    }
}

/// Where a person belongs: a department code, a path of names from the top, or both.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct DepartmentRef {
    pub code: Option<String>,
    pub path: Vec<String>,
}

/// One person as the file describes them, every value read and checked.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EmployeeRecord {
    pub line: usize,
    pub employee_number: String,
    pub name: String,
    pub name_kana: String,
    pub email: Option<String>,
    pub birth_date: Option<NaiveDate>,
    pub hire_date: Option<NaiveDate>,
    pub department: Option<DepartmentRef>,
    pub title: String,
    pub grade: String,
    pub manager_number: Option<String>,
    pub status: PersonStatus,
    /// (fiscal year, rating). A rating is one of a few values shared by every row that
    /// holds it (300,000 rows hold 2 million ratings).
    pub ratings: Vec<(i32, std::sync::Arc<str>)>,
}

/// What is wrong with a value, a row or the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum ProblemKind {
    MissingColumn,
    DuplicateColumn,
    UnknownColumn,
    Required,
    InvalidEmployeeNumber,
    DuplicateEmployeeNumber {
        first_line: usize,
    },
    InvalidEmail,
    DuplicateEmail {
        first_line: usize,
    },
    UnreadableDate,
    ImpossibleDate,
    DateOutsideEra,
    UnknownStatus,
    ManagerIsSelf,
    UnknownManager,
    ReportingCycle,
    InvalidRating,
    TooManyCells,
    /// A department code that is neither stored nor given a name path in the file.
    UnknownDepartment,
    /// A line break inside a name: usually a quote left open further up the file.
    LineBreakInName,
    /// A rating that is not one of the tenant's levels.
    RatingNotInScale,
}

impl ProblemKind {
    /// A stable identifier for translation files (`import.problem.<code>`).
    pub fn code(&self) -> &'static str {
        match self {
            ProblemKind::MissingColumn => "missing_column",
            ProblemKind::DuplicateColumn => "duplicate_column",
            ProblemKind::UnknownColumn => "unknown_column",
            ProblemKind::Required => "required",
            ProblemKind::InvalidEmployeeNumber => "invalid_employee_number",
            ProblemKind::DuplicateEmployeeNumber { .. } => "duplicate_employee_number",
            ProblemKind::InvalidEmail => "invalid_email",
            ProblemKind::DuplicateEmail { .. } => "duplicate_email",
            ProblemKind::UnreadableDate => "unreadable_date",
            ProblemKind::ImpossibleDate => "impossible_date",
            ProblemKind::DateOutsideEra => "date_outside_era",
            ProblemKind::UnknownStatus => "unknown_status",
            ProblemKind::ManagerIsSelf => "manager_is_self",
            ProblemKind::UnknownManager => "unknown_manager",
            ProblemKind::ReportingCycle => "reporting_cycle",
            ProblemKind::InvalidRating => "invalid_rating",
            ProblemKind::TooManyCells => "too_many_cells",
            ProblemKind::UnknownDepartment => "unknown_department",
            ProblemKind::LineBreakInName => "line_break_in_name",
            ProblemKind::RatingNotInScale => "rating_not_in_scale",
        }
    }

    /// The message in English (the CLI's language); pages translate `code()`.
    pub fn message_en(&self) -> String {
        match self {
            ProblemKind::MissingColumn => "this required column is missing".into(),
            ProblemKind::DuplicateColumn => "this column appears twice".into(),
            ProblemKind::UnknownColumn => "unknown column: it will not be imported".into(),
            ProblemKind::Required => "a value is required".into(),
            ProblemKind::InvalidEmployeeNumber => {
                "an employee number is 1–32 letters, digits, '-' or '_'".into()
            }
            ProblemKind::DuplicateEmployeeNumber { first_line } => {
                format!("this employee number already appears on line {first_line}")
            }
            ProblemKind::InvalidEmail => "not a valid email address".into(),
            ProblemKind::DuplicateEmail { first_line } => {
                format!("this email address is already used on line {first_line}")
            }
            ProblemKind::UnreadableDate => {
                "not a date (write e.g. 1976-04-02, 1976/4/2, 19760402 or 昭和51年4月2日)".into()
            }
            ProblemKind::ImpossibleDate => "no such day exists".into(),
            ProblemKind::DateOutsideEra => "this day is outside the era it names".into(),
            ProblemKind::UnknownStatus => {
                "status must be 在籍, 休職 or 退職 (active, leave, left)".into()
            }
            ProblemKind::ManagerIsSelf => "a person cannot be their own manager".into(),
            ProblemKind::UnknownManager => "no person has this employee number".into(),
            ProblemKind::ReportingCycle => "the reporting line goes round in a circle".into(),
            ProblemKind::InvalidRating => {
                "a rating is 1–8 letters or digits (e.g. S, A, B or 1–5)".into()
            }
            ProblemKind::TooManyCells => {
                "this row has more values than the header has columns".into()
            }
            ProblemKind::UnknownDepartment => {
                "no department has this code; add its name path (所属) to create it".into()
            }
            ProblemKind::LineBreakInName => {
                "a name cannot contain a line break (is a quote (\") left open?)".into()
            }
            ProblemKind::RatingNotInScale => {
                "this rating is not one of the company's rating levels (see the settings)".into()
            }
        }
    }

    /// Problems that stop the import (unknown columns only warn).
    pub fn is_error(&self) -> bool {
        !matches!(self, ProblemKind::UnknownColumn)
    }
}

/// One problem, located: line in the file (1 = header), column as written, value as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub line: usize,
    pub column: String,
    pub value: String,
    #[serde(flatten)]
    pub kind: ProblemKind,
    pub message: String,
}

impl Problem {
    pub fn new(line: usize, column: &str, value: &str, kind: ProblemKind) -> Self {
        let message = kind.message_en();
        Problem {
            line,
            column: column.to_string(),
            value: value.chars().take(200).collect(),
            kind,
            message,
        }
    }
}

/// The outcome of reading an employee file.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ParsedEmployees {
    /// The columns the file has (a column it lacks is left untouched on stored people).
    pub columns: Vec<Column>,
    pub records: Vec<EmployeeRecord>,
    /// Stop the import when not empty.
    pub errors: Vec<Problem>,
    /// Worth telling (unknown columns), but the import may go ahead.
    pub warnings: Vec<Problem>,
    /// Fiscal years that have a rating column.
    pub rating_years: Vec<i32>,
}

/// What the import checks against: people already stored (number → manager number).
#[derive(Debug, Default)]
pub struct Existing {
    pub managers: HashMap<String, Option<String>>,
    /// The tenant's rating scale: ratings outside it are refused.
    pub rating_scale: Option<crate::rating::RatingScale>,
}

/// Reads and checks every row. `full`: the file is the whole company, so managers must be in it.
pub fn parse_employees(table: &Table, existing: &Existing, full: bool) -> ParsedEmployees {
    parse(&table.headers, Rows::Borrowed(&table.rows), existing, full)
}

/// The same, taking the table: each row is dropped as soon as it is read, so the file's
/// text and the records are not held in full at once (at 300,000 rows that was the
/// import's peak memory).
pub fn parse_employees_owned(table: Table, existing: &Existing, full: bool) -> ParsedEmployees {
    let Table { headers, rows, .. } = table;
    parse(&headers, Rows::Owned(rows), existing, full)
}

/// A table's rows, lent or given.
enum Rows<'a> {
    Borrowed(&'a [Row]),
    Owned(Vec<Row>),
}

impl Rows<'_> {
    fn len(&self) -> usize {
        match self {
            Rows::Borrowed(r) => r.len(),
            Rows::Owned(r) => r.len(),
        }
    }
}

/// Reads every row, each thread its own share, into one list in file order. The list is
/// allocated once: its slots are filled in place and later become the records' own
/// list, so no second copy of 300,000 records is ever made.
fn read_rows(reader: &RowReader, rows: Rows, per_thread: usize) -> Vec<Option<ReadRow>> {
    fn fill<R: std::borrow::Borrow<Row>>(
        reader: &RowReader,
        slots: &mut [Option<ReadRow>],
        share: Vec<R>,
    ) {
        let mut ratings = Ratings::default();
        // Each row (when owned) is dropped as soon as it is read.
        for (slot, row) in slots.iter_mut().zip(share) {
            *slot = Some(reader.read(row.borrow(), &mut ratings));
        }
    }
    fn on_threads<R: std::borrow::Borrow<Row> + Send>(
        reader: &RowReader,
        shares: Vec<Vec<R>>,
        count: usize,
        per_thread: usize,
    ) -> Vec<Option<ReadRow>> {
        let mut slots: Vec<Option<ReadRow>> = std::iter::repeat_with(|| None).take(count).collect();
        if shares.len() <= 1 {
            for share in shares {
                fill(reader, &mut slots, share);
            }
            return slots;
        }
        std::thread::scope(|scope| {
            for (chunk, share) in slots.chunks_mut(per_thread).zip(shares) {
                scope.spawn(move || fill(reader, chunk, share));
            }
        });
        slots
    }
    let count = rows.len();
    match rows {
        Rows::Borrowed(rows) => on_threads(
            reader,
            rows.chunks(per_thread)
                .map(|c| c.iter().collect::<Vec<&Row>>())
                .collect(),
            count,
            per_thread,
        ),
        Rows::Owned(mut rows) => {
            let mut shares = Vec::new();
            while rows.len() > per_thread {
                let rest = rows.split_off(per_thread);
                shares.push(rows);
                rows = rest;
            }
            shares.push(rows);
            on_threads(reader, shares, count, per_thread)
        }
    }
}

fn parse(headers: &[String], rows: Rows, existing: &Existing, full: bool) -> ParsedEmployees {
    let mut out = ParsedEmployees::default();
    let mut columns: Vec<Option<Column>> = Vec::new();
    let mut seen: HashMap<Column, usize> = HashMap::new();
    for (i, h) in headers.iter().enumerate() {
        let c = Column::from_header(h);
        match c {
            None if h.trim().is_empty() => {}
            None => out
                .warnings
                .push(Problem::new(1, h, h, ProblemKind::UnknownColumn)),
            Some(col) => {
                if seen.insert(col, i).is_some() {
                    out.errors
                        .push(Problem::new(1, h, h, ProblemKind::DuplicateColumn));
                }
                if let Column::Rating(fy) = col {
                    out.rating_years.push(fy);
                }
                out.columns.push(col);
            }
        }
        columns.push(c);
    }
    for (col, ja, _) in [Column::FIXED[0], Column::FIXED[1]] {
        if !seen.contains_key(&col) {
            out.errors
                .push(Problem::new(1, ja, "", ProblemKind::MissingColumn));
        }
    }
    if !out.errors.is_empty() {
        return out;
    }
    let reader = RowReader {
        headers,
        existing,
        seen: &seen,
        // Where each column sits in a row, looked up once rather than per cell.
        fixed: std::array::from_fn(|k| seen.get(&Column::FIXED[k].0).copied()),
        rating_at: out
            .rating_years
            .iter()
            .map(|fy| (*fy, seen.get(&Column::Rating(*fy)).copied()))
            .collect(),
    };
    // Rows are read on every core, each on its own; duplicates across rows are found
    // afterwards, in file order, so the first occurrence is the one kept.
    let count = rows.len();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let per_thread = count.div_ceil(threads).max(PARALLEL_FROM_ROWS);
    let mut read = read_rows(&reader, rows, per_thread);
    let mut numbers: HashMap<&str, usize> = HashMap::with_capacity(count);
    let mut emails: HashMap<&str, usize> = HashMap::with_capacity(count);
    let clean = RowExtra::clean();
    for r in read.iter_mut().flatten() {
        let ReadRow { record, extra } = r;
        let record: &EmployeeRecord = record;
        let line = record.line;
        let e = extra.as_deref().unwrap_or(&clean);
        let mut found = Vec::new();
        if let Some(slot) = e.number_slot
            && let Some(first) = first_line(&mut numbers, &record.employee_number, line)
        {
            let kind = ProblemKind::DuplicateEmployeeNumber { first_line: first };
            let value = e.raw_number.as_deref().unwrap_or(&record.employee_number);
            found.push((
                slot,
                reader.problem(line, Column::EmployeeNumber, value, kind),
            ));
        }
        if let (Some(slot), Some(email)) = (e.email_slot, &record.email)
            && let Some(first) = first_line(&mut emails, email, line)
        {
            let value = e.raw_email.as_deref().unwrap_or(email);
            let kind = ProblemKind::DuplicateEmail { first_line: first };
            found.push((slot, reader.problem(line, Column::Email, value, kind)));
        }
        if found.is_empty() {
            continue;
        }
        let extra = extra.get_or_insert_with(|| Box::new(RowExtra::clean()));
        // Later slots first, so earlier ones still point at the right place.
        for (slot, problem) in found.into_iter().rev() {
            extra.problems.insert(slot, problem);
        }
    }
    drop((numbers, emails));
    // In place: the list of read rows becomes the list of records.
    let errors = &mut out.errors;
    out.records = read
        .into_iter()
        .filter_map(|r| {
            r.map(|r| {
                if let Some(extra) = r.extra {
                    errors.extend(extra.problems);
                }
                r.record
            })
        })
        .collect();
    check_reporting_lines(
        &mut out,
        existing,
        full,
        reader.header(Column::ManagerNumber).to_string(),
    );
    out.errors.sort_by_key(|p| p.line);
    out
}

/// The line `key` was first seen on, or `None` (and `line` remembered) if this is the first.
fn first_line<'a>(seen: &mut HashMap<&'a str, usize>, key: &'a str, line: usize) -> Option<usize> {
    match seen.entry(key) {
        std::collections::hash_map::Entry::Occupied(e) => Some(*e.get()),
        std::collections::hash_map::Entry::Vacant(e) => {
            e.insert(line);
            None
        }
    }
}

/// Below this many rows a file is read on one thread (starting threads costs more).
const PARALLEL_FROM_ROWS: usize = 20_000;

/// What reading one row needs: where each column is, and what values are checked against.
struct RowReader<'a> {
    headers: &'a [String],
    existing: &'a Existing,
    seen: &'a HashMap<Column, usize>,
    fixed: [Option<usize>; 12],
    rating_at: Vec<(i32, Option<usize>)>,
}

/// One row read on its own. Whether its employee number or email repeats an earlier
/// row's is decided afterwards; the slots say where such a problem goes among `problems`,
/// so problems keep the order of the columns.
struct ReadRow {
    record: EmployeeRecord,
    /// Only for a row with problems, or typed otherwise than normalised: most rows of a
    /// good file have none, so the list of rows stays the size of the list of records.
    extra: Option<Box<RowExtra>>,
}

/// The rating values seen so far, each held once and shared by every row with it.
#[derive(Default)]
struct Ratings(HashMap<String, std::sync::Arc<str>>);

impl Ratings {
    fn get(&mut self, value: String) -> std::sync::Arc<str> {
        if let Some(shared) = self.0.get(&value) {
            return shared.clone();
        }
        let shared: std::sync::Arc<str> = value.as_str().into();
        self.0.insert(value, shared.clone());
        shared
    }
}

/// What a row needs besides its record to place a duplicate's problem later.
#[derive(Default)]
struct RowExtra {
    problems: Vec<Problem>,
    /// Set when the employee number is valid (so it may be a duplicate).
    number_slot: Option<usize>,
    /// Set when the email is valid.
    email_slot: Option<usize>,
    /// The employee number and email as typed, where they differ from the record's
    /// normalised values: a duplicate's problem quotes them after the row is gone.
    raw_number: Option<String>,
    raw_email: Option<String>,
}

impl RowExtra {
    /// What a row without problems, typed as normalised, stands for: its number (valid)
    /// and its email (if any) would take the first slot.
    fn clean() -> RowExtra {
        RowExtra {
            number_slot: Some(0),
            email_slot: Some(0),
            ..Default::default()
        }
    }
}

impl RowReader<'_> {
    fn cell<'r>(&self, row: &'r Row, c: Column) -> &'r str {
        let i = match c {
            Column::Rating(fy) => self
                .rating_at
                .iter()
                .find(|(y, _)| *y == fy)
                .and_then(|(_, at)| *at),
            c => Column::FIXED
                .iter()
                .position(|(f, _, _)| *f == c)
                .and_then(|k| self.fixed[k]),
        };
        i.and_then(|i| row.cells.get(i)).unwrap_or("")
    }

    /// The column's header as the file spells it.
    fn header(&self, c: Column) -> &str {
        self.seen
            .get(&c)
            .map(|i| self.headers[*i].as_str())
            .unwrap_or("")
    }

    fn problem(&self, line: usize, c: Column, value: &str, kind: ProblemKind) -> Problem {
        Problem::new(line, self.header(c), value, kind)
    }

    fn add(&self, to: &mut Vec<Problem>, line: usize, c: Column, value: &str, kind: ProblemKind) {
        to.push(self.problem(line, c, value, kind));
    }

    fn read(&self, row: &Row, interned: &mut Ratings) -> ReadRow {
        let cell = |c: Column| self.cell(row, c);
        let mut problems = Vec::new();
        let width = self.headers.len();
        if row.cells.iter().skip(width).any(|c| !c.trim().is_empty()) {
            problems.push(Problem::new(row.line, "", "", ProblemKind::TooManyCells));
        }

        let raw_number = cell(Column::EmployeeNumber);
        let number = normalise(raw_number);
        let mut number_slot = None;
        if number.is_empty() {
            self.add(
                &mut problems,
                row.line,
                Column::EmployeeNumber,
                raw_number,
                ProblemKind::Required,
            );
        } else if EmployeeNumber::parse(&number).is_err() {
            self.add(
                &mut problems,
                row.line,
                Column::EmployeeNumber,
                raw_number,
                ProblemKind::InvalidEmployeeNumber,
            );
        } else {
            number_slot = Some(problems.len());
        }
        let name = trim_name(cell(Column::Name));
        if name.is_empty() {
            self.add(
                &mut problems,
                row.line,
                Column::Name,
                cell(Column::Name),
                ProblemKind::Required,
            );
        } else if name.contains(['\n', '\r']) {
            self.add(
                &mut problems,
                row.line,
                Column::Name,
                cell(Column::Name),
                ProblemKind::LineBreakInName,
            );
        }
        let mut email_slot = None;
        let email = match normalise(cell(Column::Email)) {
            e if e.is_empty() => None,
            e => match EmailAddress::parse(&e) {
                Ok(ok) => {
                    email_slot = Some(problems.len());
                    Some(ok.as_str().to_string())
                }
                Err(_) => {
                    self.add(
                        &mut problems,
                        row.line,
                        Column::Email,
                        cell(Column::Email),
                        ProblemKind::InvalidEmail,
                    );
                    None
                }
            },
        };
        let mut date = |c: Column| -> Option<NaiveDate> {
            let raw = cell(c);
            if raw.trim().is_empty() {
                return None;
            }
            match parse_date(raw) {
                Ok(d) => Some(d),
                Err(e) => {
                    let kind = match e {
                        DateError::Unreadable => ProblemKind::UnreadableDate,
                        DateError::Impossible => ProblemKind::ImpossibleDate,
                        DateError::OutsideEra => ProblemKind::DateOutsideEra,
                    };
                    self.add(&mut problems, row.line, c, raw, kind);
                    None
                }
            }
        };
        let birth_date = date(Column::BirthDate);
        let hire_date = date(Column::HireDate);
        let status = PersonStatus::parse(cell(Column::Status)).unwrap_or_else(|| {
            self.add(
                &mut problems,
                row.line,
                Column::Status,
                cell(Column::Status),
                ProblemKind::UnknownStatus,
            );
            PersonStatus::Active
        });
        let code = Some(normalise(cell(Column::DepartmentCode))).filter(|c| !c.is_empty());
        let path: Vec<String> = trim_name(cell(Column::DepartmentName))
            .split(['/', '／'])
            .map(trim_name)
            .filter(|p| !p.is_empty())
            .collect();
        let department = if code.is_none() && path.is_empty() {
            None
        } else {
            Some(DepartmentRef { code, path })
        };
        let manager_raw = cell(Column::ManagerNumber);
        let manager_number = Some(normalise(manager_raw)).filter(|m| !m.is_empty());
        if manager_number.as_deref() == Some(number.as_str()) && !number.is_empty() {
            self.add(
                &mut problems,
                row.line,
                Column::ManagerNumber,
                manager_raw,
                ProblemKind::ManagerIsSelf,
            );
        }
        let mut ratings = Vec::new();
        for (fy, _) in &self.rating_at {
            let raw = cell(Column::Rating(*fy));
            let r = normalise(raw).to_uppercase();
            if r.is_empty() {
                continue;
            }
            if r.chars().count() > 8
                || !r
                    .chars()
                    .all(|c| c.is_alphanumeric() || c == '+' || c == '-')
            {
                self.add(
                    &mut problems,
                    row.line,
                    Column::Rating(*fy),
                    raw,
                    ProblemKind::InvalidRating,
                );
            } else if self
                .existing
                .rating_scale
                .as_ref()
                .is_some_and(|s| s.value(&r).is_none())
            {
                self.add(
                    &mut problems,
                    row.line,
                    Column::Rating(*fy),
                    raw,
                    ProblemKind::RatingNotInScale,
                );
            } else {
                ratings.push((*fy, interned.get(r)));
            }
        }
        // Kept only when needed: the number or email as typed, if a duplicate would
        // quote something other than the normalised value.
        let raw_number =
            (number_slot.is_some() && raw_number != number).then(|| raw_number.to_string());
        let raw_email = match (&email, email_slot) {
            (Some(e), Some(_)) if cell(Column::Email) != e => Some(cell(Column::Email).to_string()),
            _ => None,
        };
        ReadRow {
            record: EmployeeRecord {
                line: row.line,
                employee_number: number,
                name,
                name_kana: trim_name(cell(Column::NameKana)),
                email,
                birth_date,
                hire_date,
                department,
                title: trim_name(cell(Column::Title)),
                grade: normalise(cell(Column::Grade)),
                manager_number,
                status,
                ratings,
            },
            // A row without problems, typed as normalised: its number (valid) and its
            // email (if any) would take the first slot; nothing else to keep.
            extra: (!problems.is_empty()
                || raw_number.is_some()
                || raw_email.is_some()
                || number_slot != Some(0)
                || (email_slot.is_some() && email_slot != Some(0)))
            .then(|| {
                Box::new(RowExtra {
                    problems,
                    number_slot,
                    email_slot,
                    raw_number,
                    raw_email,
                })
            }),
        }
    }
}

/// Unknown managers and cycles, over the file laid on top of the people already stored.
fn check_reporting_lines(
    out: &mut ParsedEmployees,
    existing: &Existing,
    full: bool,
    header: String,
) {
    let in_file: HashMap<&str, &EmployeeRecord> = out
        .records
        .iter()
        .map(|r| (r.employee_number.as_str(), r))
        .collect();
    let manager_of = |n: &str| -> Option<&str> {
        match in_file.get(n) {
            Some(r) => r.manager_number.as_deref(),
            None if !full => existing.managers.get(n).and_then(|m| m.as_deref()),
            None => None,
        }
    };
    let known = |n: &str| in_file.contains_key(n) || (!full && existing.managers.contains_key(n));
    let mut problems = Vec::new();
    for r in &out.records {
        let Some(m) = &r.manager_number else { continue };
        if *m != r.employee_number && !known(m) {
            problems.push(Problem::new(
                r.line,
                &header,
                m,
                ProblemKind::UnknownManager,
            ));
        }
    }
    // Every person on a reporting cycle, each chain walked once: a walk stops at a person
    // already settled, or finds a cycle when it meets itself. A manager who is themselves
    // is reported as ManagerIsSelf, not as a cycle.
    #[derive(Clone, Copy, PartialEq)]
    enum Walk {
        Current(usize),
        Settled,
    }
    let mut state: HashMap<&str, Walk> = HashMap::with_capacity(in_file.len());
    let mut on_cycle: HashSet<&str> = HashSet::new();
    let mut path: Vec<&str> = Vec::new();
    for r in &out.records {
        path.clear();
        let mut cur = Some(r.employee_number.as_str());
        while let Some(n) = cur {
            match state.get(n) {
                Some(Walk::Settled) => break,
                Some(Walk::Current(at)) => {
                    if path.len() - at > 1 {
                        on_cycle.extend(path[*at..].iter().copied());
                    }
                    break;
                }
                None => {}
            }
            state.insert(n, Walk::Current(path.len()));
            path.push(n);
            cur = manager_of(n).filter(|m| known(m));
        }
        for n in &path {
            state.insert(n, Walk::Settled);
        }
    }
    for r in &out.records {
        if on_cycle.contains(r.employee_number.as_str()) {
            problems.push(Problem::new(
                r.line,
                &header,
                r.manager_number.as_deref().unwrap_or(""),
                ProblemKind::ReportingCycle,
            ));
        }
    }
    out.errors.extend(problems);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::table::{ReadOptions, read_table};

    fn parse(csv: &str) -> ParsedEmployees {
        parse_employees(
            &read_table(csv.as_bytes(), &ReadOptions::default()).expect("table"),
            &Existing::default(),
            false,
        )
    }

    fn codes(p: &ParsedEmployees) -> Vec<(usize, &'static str)> {
        p.errors.iter().map(|e| (e.line, e.kind.code())).collect()
    }

    #[test]
    fn japanese_headers_in_any_order_with_era_dates_and_full_width_digits() {
        let p = parse(
            "氏名,社員番号,生年月日,入社日,所属,上司社員番号,在籍区分,評価2025,備考\n\
             佐藤 花子,Ｅ００１,昭和51年4月2日,1999/4/1,営業本部／東日本営業部/第一課,,在籍,Ａ,メモ\n\
             鈴木 一郎,E002,S52.4.1,19990401,営業本部/東日本営業部/第一課,E001,休職,b,\n",
        );
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        assert_eq!(p.warnings.len(), 1, "備考 is reported as an unknown column");
        assert_eq!(p.warnings[0].column, "備考");
        let a = &p.records[0];
        assert_eq!(a.employee_number, "E001");
        assert_eq!(a.birth_date, NaiveDate::from_ymd_opt(1976, 4, 2));
        assert_eq!(
            a.department.as_ref().map(|d| d.path.clone()),
            Some(vec![
                "営業本部".into(),
                "東日本営業部".into(),
                "第一課".into()
            ])
        );
        assert_eq!(a.ratings, vec![(2025, "A".into())]);
        assert_eq!(p.records[1].manager_number.as_deref(), Some("E001"));
        assert_eq!(p.records[1].status, PersonStatus::Leave);
        assert_eq!(p.records[1].ratings, vec![(2025, "B".into())]);
    }

    #[test]
    fn english_headers_work_too() {
        let p = parse(
            "employee_number,name,birth_date,email\nE1,Hanako Sato,1976-04-02,HANAKO@example.jp\n",
        );
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        assert_eq!(p.records[0].email.as_deref(), Some("hanako@example.jp"));
    }

    #[test]
    fn every_problem_is_listed_with_line_column_and_value() {
        let p = parse(
            "社員番号,氏名,生年月日,メール,上司社員番号,在籍区分\n\
             E1,佐藤,1976年2月30日,a@example.jp,,在籍\n\
             E1,鈴木,平成31年5月1日,a@example.jp,E9,在籍\n\
             E3,,来年,not-an-email,E3,転籍\n",
        );
        assert_eq!(
            codes(&p),
            vec![
                (2, "impossible_date"),
                (3, "duplicate_employee_number"),
                (3, "duplicate_email"),
                (3, "date_outside_era"),
                (3, "unknown_manager"),
                (4, "required"),
                (4, "invalid_email"),
                (4, "unreadable_date"),
                (4, "unknown_status"),
                (4, "manager_is_self"),
            ]
        );
        let e = &p.errors[0];
        assert_eq!(
            (e.column.as_str(), e.value.as_str()),
            ("生年月日", "1976年2月30日")
        );
    }

    #[test]
    fn a_large_file_read_on_several_threads_finds_duplicates_across_them_in_file_order() {
        let rows = PARALLEL_FROM_ROWS * 3;
        let mut csv = String::from("社員番号,氏名,メール,生年月日\n");
        for i in 0..rows {
            let (number, email) = match i {
                // Both repeat a row far before them: found across the threads' halves.
                _ if i == rows - 2 => ("E000001".to_string(), "p0@example.jp".to_string()),
                _ if i == rows - 1 => (format!("E{:06}", rows - 1), "p1@example.jp".into()),
                _ => (format!("E{i:06}"), format!("p{i}@example.jp")),
            };
            let birth = if i == rows / 2 {
                "1976年2月30日"
            } else {
                "1976-04-02"
            };
            csv.push_str(&format!("{number},社員{i},{email},{birth}\n"));
        }
        let p = parse(&csv);
        assert_eq!(p.records.len(), rows);
        assert_eq!(
            p.records[rows - 1].employee_number,
            format!("E{:06}", rows - 1)
        );
        assert_eq!(
            codes(&p),
            vec![
                (rows / 2 + 2, "impossible_date"),
                (rows, "duplicate_employee_number"),
                (rows, "duplicate_email"),
                (rows + 1, "duplicate_email"),
            ]
        );
        assert_eq!(
            p.errors[1].kind,
            ProblemKind::DuplicateEmployeeNumber { first_line: 3 }
        );
        assert_eq!(
            p.errors[3].kind,
            ProblemKind::DuplicateEmail { first_line: 3 }
        );
    }

    #[test]
    fn reading_a_taken_table_gives_the_same_records_and_problems_quoting_what_was_typed() {
        let rows = PARALLEL_FROM_ROWS * 3;
        let mut csv = String::from("社員番号,氏名,メール\n");
        for i in 0..rows {
            csv.push_str(&format!("E{i:06},社員{i},p{i}@example.jp\n"));
        }
        // Typed otherwise than stored: full-width digits, an upper-case address.
        csv.push_str("Ｅ０００００１,重複,P1@Example.JP\n");
        let table = read_table(csv.as_bytes(), &ReadOptions::default()).expect("read");
        let lent = parse_employees(&table, &Existing::default(), false);
        let taken = parse_employees_owned(table, &Existing::default(), false);
        assert_eq!(lent.records, taken.records);
        assert_eq!(lent.errors, taken.errors);
        let values: Vec<&str> = taken.errors.iter().map(|e| e.value.as_str()).collect();
        assert_eq!(values, ["Ｅ０００００１", "P1@Example.JP"]);
    }

    #[test]
    fn an_unclosed_quote_is_caught_instead_of_swallowing_rows() {
        let p = parse("社員番号,氏名\nE1,\"佐藤 花子\nE2,鈴木\n");
        assert_eq!(codes(&p), vec![(2, "line_break_in_name")]);
    }

    #[test]
    fn a_missing_required_column_is_reported_before_rows() {
        let p = parse("氏名,生年月日\n佐藤,1976-04-02\n");
        assert_eq!(codes(&p), vec![(1, "missing_column")]);
        assert_eq!(p.errors[0].column, "社員番号");
    }

    #[test]
    fn reporting_cycles_are_found_across_the_file_and_stored_people() {
        let p = parse("社員番号,氏名,上司社員番号\nA,a,B\nB,b,C\nC,c,A\nD,d,A\n");
        assert_eq!(
            codes(&p),
            vec![
                (2, "reporting_cycle"),
                (3, "reporting_cycle"),
                (4, "reporting_cycle")
            ]
        );
        // A chain ending at someone who is their own manager is not a cycle of its own.
        let p = parse("社員番号,氏名,上司社員番号\nA,a,A\nB,b,A\nC,c,B\n");
        assert_eq!(codes(&p), vec![(2, "manager_is_self")]);
        // Two separate cycles, and a long chain into one of them.
        let p = parse("社員番号,氏名,上司社員番号\nA,a,B\nB,b,A\nC,c,C2\nC2,c,C\nE,e,F\nF,f,A\n");
        assert_eq!(
            codes(&p),
            vec![
                (2, "reporting_cycle"),
                (3, "reporting_cycle"),
                (4, "reporting_cycle"),
                (5, "reporting_cycle")
            ]
        );
        // X is stored reporting to Y; the file makes Y report to X.
        let existing = Existing {
            managers: HashMap::from([
                ("X".to_string(), Some("Y".to_string())),
                ("Y".to_string(), None),
            ]),
            ..Default::default()
        };
        let t = read_table(
            "社員番号,氏名,上司社員番号\nY,y,X\n".as_bytes(),
            &ReadOptions::default(),
        )
        .expect("t");
        let p = parse_employees(&t, &existing, false);
        assert_eq!(codes(&p), vec![(2, "reporting_cycle")]);
        // Ratings must be levels of the tenant's scale when one is given.
        let t2 = read_table(
            "社員番号,氏名,評価2025\nA,a,S\nB,b,Z\n".as_bytes(),
            &ReadOptions::default(),
        )
        .expect("t");
        let with_scale = Existing {
            rating_scale: Some(crate::rating::RatingScale::default()),
            ..Default::default()
        };
        assert_eq!(
            codes(&parse_employees(&t2, &with_scale, false)),
            vec![(3, "rating_not_in_scale")]
        );
        // In a full import the stored people do not count: X is unknown.
        let p = parse_employees(&t, &existing, true);
        assert_eq!(codes(&p), vec![(2, "unknown_manager")]);
    }

    #[test]
    fn headers_are_recognised_loosely_but_not_guessed() {
        assert_eq!(
            Column::from_header(" 社員番号 "),
            Some(Column::EmployeeNumber)
        );
        assert_eq!(
            Column::from_header("Employee Number"),
            Some(Column::EmployeeNumber)
        );
        assert_eq!(
            Column::from_header("評価２０２４"),
            Some(Column::Rating(2024))
        );
        assert_eq!(
            Column::from_header("評価2024年度"),
            Some(Column::Rating(2024))
        );
        assert_eq!(
            Column::from_header("rating_2023"),
            Some(Column::Rating(2023))
        );
        assert_eq!(Column::from_header("社員"), None);
        assert_eq!(Column::from_header("評価"), None);
    }
}
