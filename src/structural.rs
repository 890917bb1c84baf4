//! Structural checks: what is wrong with the shape of the input before any DfE rule looks at it —
//! unreadable or unrecognised files, missing and unknown columns, cells that are not of their
//! column's type, date format or code list, blank mandatory cells, duplicate children and rows.
//!
//! They collect everything and never stop at the first problem. Each has a stable code so that
//! reports, diffs and synthetic-data manifests can name it.

use std::collections::HashMap;
use std::sync::Arc;

use crate::issue::{Finding, IssueSink, Location, Severity};
use crate::source::SourceFile;
use crate::table::{CellProblem, CellValue, Table};

/// Every structural check, with its code, severity and what it means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Check {
    UnreadableFile,
    EmptyFile,
    UnrecognisedFile,
    MalformedXml,
    MissingColumn,
    UnknownColumn,
    DuplicateColumn,
    RaggedRow,
    InvalidDate,
    InvalidCode,
    InvalidInteger,
    IntegerOutOfRange,
    InvalidBoolean,
    TooLong,
    MissingValue,
    DuplicateChild,
    DuplicateRow,
    EncodingGuessed,
    ProviderList,
    PreviousYear,
}

impl Check {
    pub const ALL: [Check; 20] = [
        Check::UnreadableFile,
        Check::EmptyFile,
        Check::UnrecognisedFile,
        Check::MalformedXml,
        Check::MissingColumn,
        Check::UnknownColumn,
        Check::DuplicateColumn,
        Check::RaggedRow,
        Check::InvalidDate,
        Check::InvalidCode,
        Check::InvalidInteger,
        Check::IntegerOutOfRange,
        Check::InvalidBoolean,
        Check::TooLong,
        Check::MissingValue,
        Check::DuplicateChild,
        Check::DuplicateRow,
        Check::EncodingGuessed,
        Check::ProviderList,
        Check::PreviousYear,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Check::UnreadableFile => "unreadable-file",
            Check::EmptyFile => "empty-file",
            Check::UnrecognisedFile => "unrecognised-file",
            Check::MalformedXml => "malformed-xml",
            Check::MissingColumn => "missing-column",
            Check::UnknownColumn => "unknown-column",
            Check::DuplicateColumn => "duplicate-column",
            Check::RaggedRow => "ragged-row",
            Check::InvalidDate => "invalid-date",
            Check::InvalidCode => "invalid-code",
            Check::InvalidInteger => "invalid-integer",
            Check::IntegerOutOfRange => "integer-out-of-range",
            Check::InvalidBoolean => "invalid-boolean",
            Check::TooLong => "too-long",
            Check::MissingValue => "missing-value",
            Check::DuplicateChild => "duplicate-child",
            Check::DuplicateRow => "duplicate-row",
            Check::EncodingGuessed => "encoding-guessed",
            Check::ProviderList => "provider-list",
            Check::PreviousYear => "previous-year",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.code() == code)
    }

    pub fn severity(self) -> Severity {
        match self {
            Check::UnknownColumn
            | Check::EncodingGuessed
            | Check::ProviderList
            | Check::PreviousYear => Severity::Warning,
            _ => Severity::Error,
        }
    }

    /// What the check means and what to do about it.
    pub fn description(self) -> &'static str {
        match self {
            Check::UnreadableFile => {
                "The file could not be read; its data is not in this run. Check permissions and that it is not open elsewhere."
            }
            Check::EmptyFile => "The file is empty or holds only a header.",
            Check::UnrecognisedFile => {
                "The file's headers match no table of the return for this year; it was not loaded."
            }
            Check::MalformedXml => {
                "The XML is not well formed (often a truncated export); data after the fault is not loaded."
            }
            Check::MissingColumn => {
                "A column the table needs is missing from the file; its values are treated as blank."
            }
            Check::UnknownColumn => {
                "A column the table does not have for this year; it is ignored."
            }
            Check::DuplicateColumn => {
                "Two headers in one file name the same column; the first is used."
            }
            Check::RaggedRow => "A row has more or fewer cells than the header.",
            Check::InvalidDate => "Not a valid date in the return's date format.",
            Check::InvalidCode => "Not a code of the field's code list for this collection year.",
            Check::InvalidInteger => "Not a whole number.",
            Check::IntegerOutOfRange => "A whole number outside the field's allowed range.",
            Check::InvalidBoolean => "Not one of true, false, 1 or 0.",
            Check::TooLong => "Longer than the field allows.",
            Check::MissingValue => "A mandatory field is blank.",
            Check::DuplicateChild => {
                "The child appears more than once in a table that allows one row per child."
            }
            Check::DuplicateRow => "The row repeats an earlier row exactly.",
            Check::EncodingGuessed => "The file is not UTF-8; it was read as Windows-1252.",
            Check::ProviderList => {
                "An Ofsted provider list could not be read or its layout was not recognised; its providers are not used."
            }
            Check::PreviousYear => {
                "Last year's return could not be read; the rules comparing with it are skipped."
            }
        }
    }

    pub fn of_problem(problem: CellProblem) -> Check {
        match problem {
            CellProblem::Missing => Check::MissingValue,
            CellProblem::Date(_) => Check::InvalidDate,
            CellProblem::Code => Check::InvalidCode,
            CellProblem::Integer => Check::InvalidInteger,
            CellProblem::OutOfRange => Check::IntegerOutOfRange,
            CellProblem::Boolean => Check::InvalidBoolean,
            CellProblem::TooLong(_) => Check::TooLong,
        }
    }

    /// A finding of this check with the check's own severity.
    pub fn finding(
        self,
        message: impl Into<Arc<str>>,
        location: Location,
        flagged_value: Option<String>,
    ) -> Finding {
        Finding {
            rule_code: self.code().into(),
            severity: self.severity(),
            message: message.into(),
            location,
            flagged_value,
        }
    }
}

/// The message for a cell that failed its type check, naming the column and what was expected.
pub fn cell_message(table: &Table, column: usize, problem: CellProblem) -> String {
    let spec = &table.schema().columns[column];
    let year = table.return_schema().collection_year.label();
    match problem {
        CellProblem::Missing => format!("{} is mandatory and is blank.", spec.name),
        CellProblem::Date(format) => format!(
            "{} is not a valid date in the format {}.",
            spec.name,
            format.as_str()
        ),
        CellProblem::Code => {
            let list = spec.codes.as_deref().unwrap_or_default();
            let codes: Vec<&str> = table
                .return_schema()
                .codes(list)
                .iter()
                .map(|e| e.code.as_str())
                .collect();
            let shown = if codes.len() <= 30 {
                codes.join(" ")
            } else {
                format!("{} … ({} codes)", codes[..30].join(" "), codes.len())
            };
            format!(
                "{} is not a valid code for {year}; valid codes: {shown}.",
                spec.name
            )
        }
        CellProblem::Integer => format!("{} is not a whole number.", spec.name),
        CellProblem::OutOfRange => format!(
            "{} must be between {} and {}.",
            spec.name,
            spec.min.map_or("-∞".into(), |v| v.to_string()),
            spec.max.map_or("∞".into(), |v| v.to_string())
        ),
        CellProblem::Boolean => format!("{} must be true, false, 1 or 0.", spec.name),
        CellProblem::TooLong(len) => {
            format!(
                "{} is {len} characters long; at most {} are allowed.",
                spec.name,
                spec.max_length.unwrap_or(0)
            )
        }
    }
}

/// The location of one cell of a table, with the child the row belongs to.
pub fn cell_location(
    table: &Table,
    files: &[Arc<SourceFile>],
    column: usize,
    row: usize,
) -> Location {
    let mut location = row_location(table, files, row);
    location.column = Some(table.schema().columns[column].name.as_str().into());
    location.column_letter = table
        .file_position(column, row)
        .map(|p| crate::issue::column_letter(usize::from(p)).into());
    location
}

/// The location of one row of a table, with the child it belongs to.
pub fn row_location(table: &Table, files: &[Arc<SourceFile>], row: usize) -> Location {
    let source = table.source(row);
    let child_column = table.return_schema().child_column.as_str();
    let child_id = table
        .column_index(child_column)
        .and_then(|c| match table.cell(c, row) {
            CellValue::Text(id) => Some(id.into()),
            _ => None,
        });
    Location {
        file: files.get(usize::from(source.file)).cloned(),
        table: Some(table.name().into()),
        row: Some(source.line),
        column: None,
        column_letter: None,
        child_id,
    }
}

/// Checks that need the whole table: a child twice in a one-row-per-child table, and rows that
/// repeat an earlier row exactly (often the same export loaded twice).
pub fn check_table(table: &Table, files: &[Arc<SourceFile>], sink: &mut IssueSink) {
    if table.schema().one_row_per_child {
        check_one_row_per_child(table, files, sink);
    }
    check_duplicate_rows(table, files, sink);
}

fn check_one_row_per_child(table: &Table, files: &[Arc<SourceFile>], sink: &mut IssueSink) {
    let Some(child_column) = table.column_index(&table.return_schema().child_column) else {
        return;
    };
    let mut rows_by_child: HashMap<&str, Vec<usize>> = HashMap::new();
    for row in 0..table.len() {
        if let CellValue::Text(id) = table.cell(child_column, row) {
            rows_by_child.entry(id).or_default().push(row);
        }
    }
    let mut duplicated: Vec<(&str, Vec<usize>)> = rows_by_child
        .into_iter()
        .filter(|(_, rows)| rows.len() > 1)
        .collect();
    duplicated.sort_by_key(|(_, rows)| rows[0]);
    for (child, rows) in duplicated {
        let message: Arc<str> = format!(
            "Child {child} appears {} times in {}; it may appear only once.",
            rows.len(),
            table.name()
        )
        .into();
        let places = rows
            .iter()
            .map(|&row| {
                Check::DuplicateChild.finding(
                    message.clone(),
                    cell_location(table, files, child_column, row),
                    Some(child.to_string()),
                )
            })
            .collect();
        sink.push_linked(places);
    }
}

fn check_duplicate_rows(table: &Table, files: &[Arc<SourceFile>], sink: &mut IssueSink) {
    use std::hash::{BuildHasher, Hash, Hasher};
    let columns = table.schema().columns.len();
    let cells = |row: usize| (0..columns).map(move |c| table.cell(c, row));
    let hasher = std::collections::hash_map::RandomState::new();
    // Rows are keyed by a hash of their cells; equal hashes are confirmed cell by cell.
    let mut first_seen: HashMap<u64, Vec<usize>> = HashMap::with_capacity(table.len());
    for row in 0..table.len() {
        if cells(row).all(|cell| cell == CellValue::Blank) {
            continue;
        }
        let mut state = hasher.build_hasher();
        cells(row).for_each(|cell| cell.hash(&mut state));
        let candidates = first_seen.entry(state.finish()).or_default();
        match candidates
            .iter()
            .find(|&&earlier| cells(earlier).eq(cells(row)))
        {
            None => candidates.push(row),
            Some(&first_row) => {
                let first_source = table.source(first_row);
                let message = format!(
                    "This row repeats {} row {}{} exactly.",
                    table.name(),
                    first_source.line,
                    files
                        .get(usize::from(first_source.file))
                        .map(|f| format!(" of {}", f.name()))
                        .unwrap_or_default()
                );
                sink.push(Check::DuplicateRow.finding(
                    message,
                    row_location(table, files, row),
                    None,
                ));
            }
        }
    }
}
