//! Typed tables: the in-memory form of every return table after ingest, laid out by the year's
//! schema. Storage is columnar and compact (a date is 4 bytes, a code 2) because a 50,000-child
//! return with its previous year is close to a million rows and the nightly run should fit in a
//! few hundred megabytes.
//!
//! Every cell is [`Val::Blank`], [`Val::Invalid`] (failed its type, format or code list; the
//! original text is kept) or [`Val::Ok`] with a typed value. Where the original text differs from
//! the canonical form (`m` for `M`, ` 01/04/2025`, `ZZ/05/2019`) the original is kept too, so a
//! cell can always be shown exactly as it was typed. Every row keeps the file and row it came from.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;

use chrono::{Datelike, NaiveDate};

use crate::schema::{ColumnKind, ColumnSchema, DateFormat, ReturnSchema, TableSchema};
use crate::source::FileId;

/// A cell as rules see it: a value that failed its structural check is unknown, not an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Val<T> {
    Blank,
    Invalid,
    Ok(T),
}

impl<T> Val<T> {
    pub fn ok(self) -> Option<T> {
        match self {
            Val::Ok(v) => Some(v),
            _ => None,
        }
    }

    pub fn is_blank(&self) -> bool {
        matches!(self, Val::Blank)
    }

    pub fn is_invalid(&self) -> bool {
        matches!(self, Val::Invalid)
    }

    /// Something was entered, valid or not.
    pub fn is_present(&self) -> bool {
        !self.is_blank()
    }

    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Val<U> {
        match self {
            Val::Ok(v) => Val::Ok(f(v)),
            Val::Blank => Val::Blank,
            Val::Invalid => Val::Invalid,
        }
    }
}

impl<T: PartialEq> Val<T> {
    /// A valid value equal to `other`.
    pub fn is(&self, other: T) -> bool {
        matches!(self, Val::Ok(v) if *v == other)
    }
}

impl Val<&str> {
    /// A valid value that is one of `codes`.
    pub fn is_in(&self, codes: &[&str]) -> bool {
        matches!(self, Val::Ok(v) if codes.contains(v))
    }
}

/// Where a row came from: the input file and the row as Excel numbers it (the header is row 1),
/// or the line of the element for XML.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RowSource {
    pub file: FileId,
    pub line: u32,
}

/// A generic view of one cell, for snapshots, displays and structural checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CellValue<'a> {
    Blank,
    Invalid(&'a str),
    Text(&'a str),
    Date(NaiveDate),
    Integer(i64),
    Code(&'a str),
    Boolean(bool),
}

/// Why a cell failed its structural check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellProblem {
    Missing,
    Date(DateFormat),
    Code,
    Integer,
    OutOfRange,
    Boolean,
    TooLong(usize),
}

const DATE_BLANK: i32 = i32::MIN;
const DATE_INVALID: i32 = i32::MIN + 1;
const INT_BLANK: i64 = i64::MIN;
const INT_INVALID: i64 = i64::MIN + 1;
const CODE_BLANK: u16 = u16::MAX;
const CODE_INVALID: u16 = u16::MAX - 1;
const BOOL_BLANK: u8 = 2;
const BOOL_INVALID: u8 = 3;

#[derive(Debug, Clone)]
enum ColumnData {
    Text { bytes: String, ends: Vec<u32> },
    Date(Vec<i32>),
    Integer(Vec<i64>),
    Code(Vec<u16>),
    Boolean(Vec<u8>),
}

#[derive(Debug, Clone)]
struct Column {
    data: ColumnData,
    /// Original text of cells whose text is not their canonical form (including every invalid
    /// cell), by row.
    originals: HashMap<u32, Box<str>>,
}

/// One table of one return-year.
#[derive(Debug, Clone)]
pub struct Table {
    schema: Arc<ReturnSchema>,
    index: usize,
    columns: Vec<Column>,
    sources: Vec<RowSource>,
    /// For each contributing file, the 0-based position in that file of each schema column (for
    /// column letters); `None` where the file lacks the column.
    layouts: HashMap<FileId, Arc<[Option<u16>]>>,
}

impl Table {
    pub fn new(schema: Arc<ReturnSchema>, index: usize) -> Self {
        let columns = schema.tables[index]
            .columns
            .iter()
            .map(|c| Column {
                data: match c.kind {
                    ColumnKind::Text => ColumnData::Text {
                        bytes: String::new(),
                        ends: Vec::new(),
                    },
                    ColumnKind::Date => ColumnData::Date(Vec::new()),
                    ColumnKind::Integer => ColumnData::Integer(Vec::new()),
                    ColumnKind::Code => ColumnData::Code(Vec::new()),
                    ColumnKind::Boolean => ColumnData::Boolean(Vec::new()),
                },
                originals: HashMap::new(),
            })
            .collect();
        Table {
            schema,
            index,
            columns,
            sources: Vec::new(),
            layouts: HashMap::new(),
        }
    }

    pub fn schema(&self) -> &TableSchema {
        &self.schema.tables[self.index]
    }

    pub fn return_schema(&self) -> &Arc<ReturnSchema> {
        &self.schema
    }

    pub fn name(&self) -> &str {
        &self.schema().name
    }

    pub fn len(&self) -> usize {
        self.sources.len()
    }

    pub fn is_empty(&self) -> bool {
        self.sources.is_empty()
    }

    pub fn source(&self, row: usize) -> RowSource {
        self.sources[row]
    }

    pub fn column_index(&self, name: &str) -> Option<usize> {
        self.schema().column_index(name)
    }

    /// Declares the column layout of a file whose rows are about to be pushed.
    pub fn set_layout(&mut self, file: FileId, positions: Vec<Option<u16>>) {
        self.layouts.insert(file, positions.into());
    }

    /// The 0-based position of a column in the file a row came from, for its Excel letter.
    pub fn file_position(&self, column: usize, row: usize) -> Option<u16> {
        self.layouts
            .get(&self.sources[row].file)
            .and_then(|layout| layout.get(column).copied().flatten())
    }

    /// Appends a row. `cells[c]` is the text of schema column `c`, `None` when the input has no
    /// such column (then the cell is blank and no per-cell problem is raised: the missing column is
    /// reported once). Problems are passed to `problem` as (column, problem).
    pub fn push_row(
        &mut self,
        source: RowSource,
        cells: &[Option<&str>],
        mut problem: impl FnMut(usize, CellProblem),
    ) {
        let row = self.sources.len() as u32;
        let table = &self.schema.tables[self.index];
        for (c, column) in self.columns.iter_mut().enumerate() {
            let spec = &table.columns[c];
            let text = cells.get(c).copied().flatten();
            if let Some(p) = column.push(&self.schema, spec, text, row)
                && (text.is_some() || p != CellProblem::Missing)
            {
                problem(c, p);
            }
        }
        self.sources.push(source);
    }

    /// Moves every row of `other` (the same table, read from another file) to the end of this one.
    pub fn append(&mut self, other: Table) {
        assert_eq!(
            self.index, other.index,
            "appending rows of a different table"
        );
        let offset = self.sources.len() as u32;
        for (mine, theirs) in self.columns.iter_mut().zip(other.columns) {
            mine.originals.extend(
                theirs
                    .originals
                    .into_iter()
                    .map(|(row, text)| (row + offset, text)),
            );
            match (&mut mine.data, theirs.data) {
                (ColumnData::Text { bytes, ends }, ColumnData::Text { bytes: b, ends: e }) => {
                    let base = bytes.len() as u32;
                    bytes.push_str(&b);
                    ends.extend(e.into_iter().map(|end| end + base));
                }
                (ColumnData::Date(a), ColumnData::Date(b)) => a.extend(b),
                (ColumnData::Integer(a), ColumnData::Integer(b)) => a.extend(b),
                (ColumnData::Code(a), ColumnData::Code(b)) => a.extend(b),
                (ColumnData::Boolean(a), ColumnData::Boolean(b)) => a.extend(b),
                _ => unreachable!("columns of the same schema have the same kind"),
            }
        }
        self.sources.extend(other.sources);
        self.layouts.extend(other.layouts);
    }

    /// Sets a generated column (CIN CINdetailsID and friends) on the last pushed row.
    pub fn set_generated(&mut self, column: usize, value: i64) {
        if let ColumnData::Integer(values) = &mut self.columns[column].data
            && let Some(last) = values.last_mut()
        {
            *last = value;
        }
    }

    pub fn cell(&self, column: usize, row: usize) -> CellValue<'_> {
        let col = &self.columns[column];
        let original = || col.originals.get(&(row as u32)).map(|s| &**s).unwrap_or("");
        match &col.data {
            ColumnData::Text { bytes, ends } => {
                let start = if row == 0 { 0 } else { ends[row - 1] as usize };
                let text = &bytes[start..ends[row] as usize];
                if text.is_empty() {
                    CellValue::Blank
                } else {
                    CellValue::Text(text)
                }
            }
            ColumnData::Date(values) => match values[row] {
                DATE_BLANK => CellValue::Blank,
                DATE_INVALID => CellValue::Invalid(original()),
                days => CellValue::Date(
                    NaiveDate::from_num_days_from_ce_opt(days).expect("stored from a date"),
                ),
            },
            ColumnData::Integer(values) => match values[row] {
                INT_BLANK => CellValue::Blank,
                INT_INVALID => CellValue::Invalid(original()),
                n => CellValue::Integer(n),
            },
            ColumnData::Code(values) => match values[row] {
                CODE_BLANK => CellValue::Blank,
                CODE_INVALID => CellValue::Invalid(original()),
                i => {
                    let list = self.schema().columns[column]
                        .codes
                        .as_deref()
                        .expect("code column has a list");
                    CellValue::Code(&self.schema.codes(list)[usize::from(i)].code)
                }
            },
            ColumnData::Boolean(values) => match values[row] {
                BOOL_BLANK => CellValue::Blank,
                BOOL_INVALID => CellValue::Invalid(original()),
                b => CellValue::Boolean(b == 1),
            },
        }
    }

    /// The cell's text exactly as it was in the input.
    pub fn original_text(&self, column: usize, row: usize) -> Cow<'_, str> {
        if let Some(original) = self.columns[column].originals.get(&(row as u32)) {
            return Cow::Borrowed(original);
        }
        match self.cell(column, row) {
            CellValue::Blank => Cow::Borrowed(""),
            CellValue::Invalid(text) | CellValue::Text(text) | CellValue::Code(text) => {
                Cow::Borrowed(text)
            }
            CellValue::Date(date) => {
                let format = self.schema().columns[column]
                    .format
                    .unwrap_or(DateFormat::Iso);
                Cow::Owned(format_date(date, format))
            }
            CellValue::Integer(n) => Cow::Owned(n.to_string()),
            CellValue::Boolean(b) => Cow::Borrowed(if b { "true" } else { "false" }),
        }
    }

    pub fn date(&self, column: usize, row: usize) -> Val<NaiveDate> {
        match self.cell(column, row) {
            CellValue::Date(d) => Val::Ok(d),
            CellValue::Blank => Val::Blank,
            _ => Val::Invalid,
        }
    }

    pub fn code(&self, column: usize, row: usize) -> Val<&str> {
        match self.cell(column, row) {
            CellValue::Code(c) => Val::Ok(c),
            CellValue::Blank => Val::Blank,
            _ => Val::Invalid,
        }
    }

    pub fn integer(&self, column: usize, row: usize) -> Val<i64> {
        match self.cell(column, row) {
            CellValue::Integer(n) => Val::Ok(n),
            CellValue::Blank => Val::Blank,
            _ => Val::Invalid,
        }
    }

    pub fn boolean(&self, column: usize, row: usize) -> Val<bool> {
        match self.cell(column, row) {
            CellValue::Boolean(b) => Val::Ok(b),
            CellValue::Blank => Val::Blank,
            _ => Val::Invalid,
        }
    }

    pub fn text(&self, column: usize, row: usize) -> Val<&str> {
        match self.cell(column, row) {
            CellValue::Text(t) => Val::Ok(t),
            CellValue::Blank => Val::Blank,
            _ => Val::Invalid,
        }
    }
}

impl Column {
    /// Parses `text` by the column's type and appends it; returns the problem, if any.
    fn push(
        &mut self,
        schema: &ReturnSchema,
        spec: &ColumnSchema,
        text: Option<&str>,
        row: u32,
    ) -> Option<CellProblem> {
        let raw = text.unwrap_or("");
        let trimmed = raw.trim();
        let mut problem = None;
        // `trimmed` is a slice of `raw`: equal lengths mean equal text, without comparing bytes.
        let mut keep_original = trimmed.len() != raw.len();
        match &mut self.data {
            ColumnData::Text { bytes, ends } => {
                bytes.push_str(trimmed);
                ends.push(bytes.len() as u32);
                if let Some(max) = spec.max_length {
                    let len = trimmed.chars().count();
                    if len > max {
                        problem = Some(CellProblem::TooLong(len));
                    }
                }
            }
            ColumnData::Date(values) => {
                let format = spec.format.unwrap_or(DateFormat::Iso);
                values.push(if trimmed.is_empty() {
                    DATE_BLANK
                } else {
                    match parse_date(trimmed, format, spec.partial) {
                        Some((date, exact)) => {
                            keep_original |= !exact;
                            date.num_days_from_ce()
                        }
                        None => {
                            problem = Some(CellProblem::Date(format));
                            DATE_INVALID
                        }
                    }
                });
            }
            ColumnData::Integer(values) => {
                values.push(if trimmed.is_empty() {
                    INT_BLANK
                } else {
                    match trimmed.parse::<i64>() {
                        Ok(n)
                            if spec.min.is_some_and(|min| n < min)
                                || spec.max.is_some_and(|max| n > max) =>
                        {
                            problem = Some(CellProblem::OutOfRange);
                            INT_INVALID
                        }
                        Ok(n) if n > INT_INVALID => {
                            keep_original |= n.to_string() != trimmed;
                            n
                        }
                        _ => {
                            problem = Some(CellProblem::Integer);
                            INT_INVALID
                        }
                    }
                });
            }
            ColumnData::Code(values) => {
                values.push(if trimmed.is_empty() {
                    CODE_BLANK
                } else {
                    let list = spec.codes.as_deref().expect("checked at schema load");
                    // Codes are almost always typed in upper case already: allocate only when not.
                    let upper = if trimmed.bytes().any(|b| b.is_ascii_lowercase()) {
                        Cow::Owned(trimmed.to_ascii_uppercase())
                    } else {
                        Cow::Borrowed(trimmed)
                    };
                    match schema.code_position(list, &upper) {
                        Some(i) => {
                            keep_original |= matches!(upper, Cow::Owned(_));
                            i
                        }
                        None => {
                            problem = Some(CellProblem::Code);
                            CODE_INVALID
                        }
                    }
                });
            }
            ColumnData::Boolean(values) => {
                let is = |word: &str| trimmed.eq_ignore_ascii_case(word);
                values.push(if trimmed.is_empty() {
                    BOOL_BLANK
                } else if is("true") || trimmed == "1" {
                    keep_original |= trimmed != "true";
                    1
                } else if is("false") || trimmed == "0" {
                    keep_original |= trimmed != "false";
                    0
                } else {
                    problem = Some(CellProblem::Boolean);
                    BOOL_INVALID
                });
            }
        }
        if problem.is_some() && !matches!(problem, Some(CellProblem::TooLong(_))) {
            keep_original = true;
        }
        if keep_original {
            self.originals.insert(row, raw.into());
        }
        if problem.is_none() && spec.mandatory && !spec.generated && trimmed.is_empty() {
            problem = Some(CellProblem::Missing);
        }
        problem
    }
}

/// Parses a date strictly in `format`. With `partial`, `ZZ` may stand for an unknown day, or day
/// and month, read as the latest possible date. Returns the date and whether the text was its exact
/// canonical form.
pub fn parse_date(text: &str, format: DateFormat, partial: bool) -> Option<(NaiveDate, bool)> {
    let b = text.as_bytes();
    if b.len() != 10 {
        return None;
    }
    let digits = |range: std::ops::Range<usize>| -> Option<u32> {
        b[range].iter().try_fold(0u32, |acc, &c| {
            c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
        })
    };
    match format {
        DateFormat::Iso => {
            if b[4] != b'-' || b[7] != b'-' {
                return None;
            }
            let date =
                NaiveDate::from_ymd_opt(digits(0..4)? as i32, digits(5..7)?, digits(8..10)?)?;
            Some((date, true))
        }
        DateFormat::DayMonthYear => {
            if b[2] != b'/' || b[5] != b'/' {
                return None;
            }
            let year = digits(6..10)? as i32;
            let unknown =
                |range: std::ops::Range<usize>| partial && b[range].eq_ignore_ascii_case(b"ZZ");
            let (month, month_unknown) = if unknown(3..5) {
                (12, true)
            } else {
                (digits(3..5)?, false)
            };
            let day = if unknown(0..2) {
                last_day_of_month(year, month)?
            } else if month_unknown {
                return None;
            } else {
                digits(0..2)?
            };
            let date = NaiveDate::from_ymd_opt(year, month, day)?;
            Some((date, !unknown(0..2)))
        }
    }
}

fn last_day_of_month(year: i32, month: u32) -> Option<u32> {
    let first_of_next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)?
    };
    Some(first_of_next.pred_opt()?.day())
}

pub fn format_date(date: NaiveDate, format: DateFormat) -> String {
    match format {
        DateFormat::Iso => date.format("%Y-%m-%d").to_string(),
        DateFormat::DayMonthYear => date.format("%d/%m/%Y").to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn dates_parse_strictly() {
        assert_eq!(
            parse_date("01/04/2025", DateFormat::DayMonthYear, false),
            Some((d(2025, 4, 1), true))
        );
        assert_eq!(
            parse_date("1/4/2025", DateFormat::DayMonthYear, false),
            None
        );
        assert_eq!(
            parse_date("2025-04-01", DateFormat::DayMonthYear, false),
            None
        );
        assert_eq!(
            parse_date("31/02/2025", DateFormat::DayMonthYear, false),
            None
        );
        assert_eq!(
            parse_date("2025-04-01", DateFormat::Iso, false),
            Some((d(2025, 4, 1), true))
        );
        assert_eq!(parse_date("01/04/2025", DateFormat::Iso, false), None);
    }

    #[test]
    fn partial_dates_read_as_the_latest_possible_day() {
        assert_eq!(
            parse_date("ZZ/05/2019", DateFormat::DayMonthYear, true),
            Some((d(2019, 5, 31), false))
        );
        assert_eq!(
            parse_date("ZZ/02/2024", DateFormat::DayMonthYear, true),
            Some((d(2024, 2, 29), false))
        );
        assert_eq!(
            parse_date("ZZ/ZZ/2019", DateFormat::DayMonthYear, true),
            Some((d(2019, 12, 31), false))
        );
        assert_eq!(
            parse_date("ZZ/05/2019", DateFormat::DayMonthYear, false),
            None
        );
        assert_eq!(
            parse_date("12/ZZ/2019", DateFormat::DayMonthYear, true),
            None
        );
    }

    fn schema() -> Arc<ReturnSchema> {
        let yaml = r#"
return: ssda903
collection_year: 2026
version: t
source: t
child_column: CHILD
tables:
  - name: Episodes
    snapshot_name: episodes
    columns:
      - {name: CHILD, type: text, mandatory: true, max_length: 4}
      - {name: DECOM, type: date, format: dd/mm/yyyy, mandatory: true}
      - {name: RNE, type: code, codes: rne}
      - {name: N, type: integer, min: 0, max: 40}
      - {name: NFA, type: boolean}
code_lists:
  rne:
    - {code: S, label: started}
    - {code: P, label: placement change}
"#;
        Arc::new(ReturnSchema::from_yaml("t.yaml", yaml).unwrap())
    }

    #[test]
    fn cells_are_typed_and_problems_reported_per_cell() {
        let mut table = Table::new(schema(), 0);
        let mut problems = Vec::new();
        let src = |line| RowSource { file: 0, line };
        table.push_row(
            src(2),
            &[
                Some("C1"),
                Some("01/04/2025"),
                Some("s"),
                Some("12"),
                Some("TRUE"),
            ],
            |c, p| problems.push((2, c, p)),
        );
        table.push_row(
            src(3),
            &[
                Some("C12345"),
                Some("1/4/2025"),
                Some("X"),
                Some("41"),
                Some("maybe"),
            ],
            |c, p| problems.push((3, c, p)),
        );
        table.push_row(
            src(4),
            &[Some(""), Some(""), None, Some(" 7 "), Some("0")],
            |c, p| problems.push((4, c, p)),
        );
        assert_eq!(
            problems,
            vec![
                (3, 0, CellProblem::TooLong(6)),
                (3, 1, CellProblem::Date(DateFormat::DayMonthYear)),
                (3, 2, CellProblem::Code),
                (3, 3, CellProblem::OutOfRange),
                (3, 4, CellProblem::Boolean),
                (4, 0, CellProblem::Missing),
                (4, 1, CellProblem::Missing),
            ]
        );
        assert_eq!(table.code(2, 0), Val::Ok("S"));
        assert_eq!(table.original_text(2, 0), "s");
        assert_eq!(table.date(1, 0), Val::Ok(d(2025, 4, 1)));
        assert_eq!(table.original_text(1, 0), "01/04/2025");
        assert_eq!(table.date(1, 1), Val::Invalid);
        assert_eq!(table.original_text(1, 1), "1/4/2025");
        assert_eq!(table.cell(2, 1), CellValue::Invalid("X"));
        assert_eq!(
            table.text(0, 1),
            Val::Ok("C12345"),
            "too long text is kept as typed"
        );
        assert_eq!(table.integer(3, 2), Val::Ok(7));
        assert_eq!(table.original_text(3, 2), " 7 ");
        assert_eq!(table.boolean(4, 0), Val::Ok(true));
        assert_eq!(table.boolean(4, 2), Val::Ok(false));
        assert_eq!(table.code(2, 2), Val::Blank);
        assert_eq!(table.source(1), RowSource { file: 0, line: 3 });
    }

    #[test]
    fn appending_keeps_text_and_originals_aligned() {
        let mut a = Table::new(schema(), 0);
        a.push_row(
            RowSource { file: 0, line: 2 },
            &[Some("A1"), Some("bad"), None, None, None],
            |_, _| {},
        );
        let mut b = Table::new(schema(), 0);
        b.push_row(
            RowSource { file: 1, line: 2 },
            &[Some("B2"), Some("nope"), None, None, None],
            |_, _| {},
        );
        b.set_layout(1, vec![Some(3), Some(0), None, None, None]);
        a.append(b);
        assert_eq!(a.len(), 2);
        assert_eq!(a.text(0, 1), Val::Ok("B2"));
        assert_eq!(a.original_text(1, 1), "nope");
        assert_eq!(a.original_text(1, 0), "bad");
        assert_eq!(a.file_position(0, 1), Some(3));
        assert_eq!(a.file_position(0, 0), None);
    }
}
