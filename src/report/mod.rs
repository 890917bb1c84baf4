//! What information teams work from: `issues.csv` (every issue, one per line, for filters, pivots
//! and their own tools) and a workbook (a summary, the issues, the children with issues, and every
//! table as it was typed with the cells at fault highlighted) to hand to social workers.
//!
//! Both list issues in the same order and with the same columns, so a row of
//! one is easy to find in the other. Both are written beside the snapshot through
//! [`crate::fsutil`]: readable by their owner only, and replaced atomically so that a reader never
//! sees half a report.

mod issues_csv;
mod order;
mod table_sheet;
mod tally;
mod workbook;

use std::borrow::Cow;
use std::sync::Arc;

use crate::issue::Issue;
use crate::source::SourceFile;

pub use self::issues_csv::write_issues_csv;
pub use self::order::sorted_issues;
pub use self::workbook::write_workbook;

/// What the workbook's Summary sheet says about the run, besides the counts it works out itself.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    /// Run facts in the order they are shown (`Run`, `Return`, `Collection year`, `LA`...).
    pub facts: Vec<(String, String)>,
    /// Every input file of the run: listed on the Summary sheet, and named on the table sheets
    /// beside each row they hold.
    pub files: Vec<Arc<SourceFile>>,
}

/// One column of the issue list, as the CSV and `issues.parquet` name it and as the workbook heads
/// it.
pub struct IssueColumn {
    pub name: &'static str,
    header: &'static str,
    /// Width on the Issues sheet, in characters.
    width: f64,
    /// Holds [`Field::Number`] values (or nothing), never text.
    pub numeric: bool,
    value: fn(&Issue) -> Field<'_>,
}

/// A value of an issue column: text, a number Excel can sort as a number, or nothing.
#[derive(Debug, PartialEq, Eq)]
pub enum Field<'a> {
    Text(Cow<'a, str>),
    Number(u32),
    Empty,
}

impl IssueColumn {
    pub fn value<'a>(&self, issue: &'a Issue) -> Field<'a> {
        (self.value)(issue)
    }
}

fn text(value: &str) -> Field<'_> {
    Field::Text(Cow::Borrowed(value))
}

fn optional(value: Option<&str>) -> Field<'_> {
    value.map_or(Field::Empty, text)
}

/// The columns of `issues.csv`, `issues.parquet` and the workbook's Issues sheet. `file` is the path as the run
/// was given it, so that it names the exact file even when two folders hold an `Episodes.csv`.
pub const ISSUE_COLUMNS: [IssueColumn; 16] = [
    IssueColumn {
        name: "run_id",
        header: "Run",
        width: 20.0,
        numeric: false,
        value: |i| text(&i.run_id),
    },
    IssueColumn {
        name: "return",
        header: "Return",
        width: 9.0,
        numeric: false,
        value: |i| text(i.return_kind.as_str()),
    },
    IssueColumn {
        name: "collection_year",
        header: "Collection year",
        width: 10.0,
        numeric: false,
        value: |i| Field::Text(Cow::Owned(i.year.label())),
    },
    IssueColumn {
        name: "finding_id",
        header: "Finding",
        width: 9.0,
        numeric: true,
        value: |i| Field::Number(i.finding_id),
    },
    IssueColumn {
        name: "severity",
        header: "Severity",
        width: 9.0,
        numeric: false,
        value: |i| text(i.severity.as_str()),
    },
    IssueColumn {
        name: "rule_code",
        header: "Rule",
        width: 16.0,
        numeric: false,
        value: |i| text(&i.rule_code),
    },
    IssueColumn {
        name: "level",
        header: "Level",
        width: 7.0,
        numeric: false,
        value: |i| text(i.level().as_str()),
    },
    IssueColumn {
        name: "file",
        header: "File",
        width: 30.0,
        numeric: false,
        value: |i| {
            i.location
                .file
                .as_ref()
                .map_or(Field::Empty, |f| Field::Text(f.path.to_string_lossy()))
        },
    },
    IssueColumn {
        name: "file_sha256",
        header: "File SHA-256",
        width: 16.0,
        numeric: false,
        value: |i| optional(i.location.file.as_ref().map(|f| f.sha256.as_str())),
    },
    IssueColumn {
        name: "table",
        header: "Table",
        width: 16.0,
        numeric: false,
        value: |i| optional(i.location.table.as_deref()),
    },
    IssueColumn {
        name: "row",
        header: "Row",
        width: 8.0,
        numeric: true,
        value: |i| i.location.row.map_or(Field::Empty, Field::Number),
    },
    IssueColumn {
        name: "column",
        header: "Column",
        width: 16.0,
        numeric: false,
        value: |i| optional(i.location.column.as_deref()),
    },
    IssueColumn {
        name: "column_letter",
        header: "Column letter",
        width: 8.0,
        numeric: false,
        value: |i| optional(i.location.column_letter.as_deref()),
    },
    IssueColumn {
        name: "child_id",
        header: "Child",
        width: 14.0,
        numeric: false,
        value: |i| optional(i.location.child_id.as_deref()),
    },
    IssueColumn {
        name: "flagged_value",
        header: "Value",
        width: 16.0,
        numeric: false,
        value: |i| optional(i.flagged_value.as_deref()),
    },
    IssueColumn {
        name: "message",
        header: "Message",
        width: 90.0,
        numeric: false,
        value: |i| text(&i.message),
    },
];
