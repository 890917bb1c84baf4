//! The one issue model. Every finding — an unreadable file, a missing column, a bad cell, a DfE rule
//! broken by a child, an LA-level query — is an [`Issue`] with the same fields, so that the CSV,
//! the workbook, the snapshot and the night-over-night diff all read one shape.
//!
//! A finding that points at several cells (an episode that overlaps the next one) is several
//! issues sharing a `finding_id`.

use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::schema::ReturnKind;
use crate::source::SourceFile;
use crate::year::CollectionYear;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Must be fixed (or bypassed with the DfE's agreement) before the return is accepted.
    Error,
    /// Must be checked and explained; the data may be right.
    Query,
    /// Something csc-returns noticed that the DfE does not check (an extra column, an encoding
    /// guess); nothing to submit about.
    Warning,
}

impl Severity {
    pub const ALL: [Severity; 3] = [Severity::Error, Severity::Query, Severity::Warning];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Query => "query",
            Severity::Warning => "warning",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What an issue is about, from the widest to the narrowest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// The whole return (an LA-level rule such as CIN 2887Q).
    La,
    /// One input file.
    File,
    /// One table, or a column of it.
    Table,
    /// One child, across tables.
    Child,
    /// One row.
    Row,
    /// One cell.
    Cell,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::La => "la",
            Level::File => "file",
            Level::Table => "table",
            Level::Child => "child",
            Level::Row => "row",
            Level::Cell => "cell",
        }
    }
}

/// Where an issue points. Rows are numbered as Excel numbers them (the header is row 1, the first
/// data row is row 2); for XML input the row is the line of the element in the file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Location {
    pub file: Option<Arc<SourceFile>>,
    pub table: Option<Arc<str>>,
    pub row: Option<u32>,
    pub column: Option<Arc<str>>,
    pub column_letter: Option<Arc<str>>,
    pub child_id: Option<Arc<str>>,
}

impl Location {
    /// A whole input file.
    pub fn file(file: &Arc<SourceFile>) -> Self {
        Location {
            file: Some(file.clone()),
            ..Location::default()
        }
    }

    pub fn level(&self) -> Level {
        match (
            &self.file,
            &self.table,
            self.row,
            &self.column,
            &self.child_id,
        ) {
            (_, _, Some(_), Some(_), _) => Level::Cell,
            (_, _, Some(_), None, _) => Level::Row,
            (_, _, None, _, Some(_)) => Level::Child,
            (_, Some(_), None, _, None) => Level::Table,
            (Some(_), None, None, _, None) => Level::File,
            _ => Level::La,
        }
    }
}

/// A finding before it is stamped with the run it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub rule_code: Arc<str>,
    pub severity: Severity,
    pub message: Arc<str>,
    pub location: Location,
    pub flagged_value: Option<String>,
}

/// One issue as stored and reported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    pub run_id: Arc<str>,
    pub return_kind: ReturnKind,
    pub year: CollectionYear,
    /// Issues sharing this number are the linked cells of one finding.
    pub finding_id: u32,
    pub rule_code: Arc<str>,
    pub severity: Severity,
    pub message: Arc<str>,
    pub location: Location,
    pub flagged_value: Option<String>,
}

impl Issue {
    pub fn level(&self) -> Level {
        self.location.level()
    }
}

/// Collects the issues of one run of one return. Every producer (ingest, structural checks,
/// rules) pushes findings here; the sink numbers them and stamps the run.
#[derive(Debug)]
pub struct IssueSink {
    run_id: Arc<str>,
    return_kind: ReturnKind,
    year: CollectionYear,
    next_finding: u32,
    issues: Vec<Issue>,
}

impl IssueSink {
    pub fn new(run_id: Arc<str>, return_kind: ReturnKind, year: CollectionYear) -> Self {
        Self {
            run_id,
            return_kind,
            year,
            next_finding: 1,
            issues: Vec::new(),
        }
    }

    /// Records a finding that points at one place.
    pub fn push(&mut self, finding: Finding) {
        self.push_linked(vec![finding]);
    }

    /// Records one finding that points at several places (cells of one episode, rows of two
    /// tables): one issue per place, all with the same finding id.
    pub fn push_linked(&mut self, places: Vec<Finding>) {
        if places.is_empty() {
            return;
        }
        let finding_id = self.next_finding;
        self.next_finding += 1;
        for finding in places {
            self.issues.push(Issue {
                run_id: self.run_id.clone(),
                return_kind: self.return_kind,
                year: self.year,
                finding_id,
                rule_code: finding.rule_code,
                severity: finding.severity,
                message: finding.message,
                location: finding.location,
                flagged_value: finding.flagged_value,
            });
        }
    }

    /// Takes over the issues of another sink of the same run (a file ingested on another thread),
    /// renumbering its findings after ours.
    pub fn absorb(&mut self, other: IssueSink) {
        let offset = self.next_finding - 1;
        for mut issue in other.issues {
            issue.finding_id += offset;
            self.issues.push(issue);
        }
        self.next_finding += other.next_finding - 1;
    }

    /// A sink for the same run, to collect issues elsewhere and absorb them later.
    pub fn fork(&self) -> IssueSink {
        IssueSink::new(self.run_id.clone(), self.return_kind, self.year)
    }

    pub fn issues(&self) -> &[Issue] {
        &self.issues
    }

    pub fn into_issues(self) -> Vec<Issue> {
        self.issues
    }

    pub fn run_id(&self) -> &Arc<str> {
        &self.run_id
    }

    pub fn return_kind(&self) -> ReturnKind {
        self.return_kind
    }

    pub fn year(&self) -> CollectionYear {
        self.year
    }
}

/// Counts issues by severity.
pub fn count_by_severity(issues: &[Issue]) -> [(Severity, usize); 3] {
    Severity::ALL.map(|severity| {
        (
            severity,
            issues.iter().filter(|i| i.severity == severity).count(),
        )
    })
}

/// Excel's name for a 0-based column position: 0 → A, 25 → Z, 26 → AA.
pub fn column_letter(position: usize) -> String {
    let mut n = position + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    String::from_utf8(letters).expect("ASCII letters")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters_follow_excel() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(701), "ZZ");
        assert_eq!(column_letter(702), "AAA");
    }

    fn finding(code: &str) -> Finding {
        Finding {
            rule_code: code.into(),
            severity: Severity::Error,
            message: "m".into(),
            location: Location::default(),
            flagged_value: None,
        }
    }

    #[test]
    fn linked_places_share_a_finding_id_and_absorbed_sinks_are_renumbered() {
        let year = CollectionYear::new(2026).unwrap();
        let mut sink = IssueSink::new("run".into(), ReturnKind::Ssda903, year);
        sink.push(finding("101"));
        sink.push_linked(vec![finding("433"), finding("433")]);
        let mut other = sink.fork();
        other.push(finding("102"));
        sink.absorb(other);
        sink.push(finding("103"));
        let ids: Vec<u32> = sink.issues().iter().map(|i| i.finding_id).collect();
        assert_eq!(ids, vec![1, 2, 2, 3, 4]);
    }

    #[test]
    fn level_follows_the_narrowest_location() {
        let mut location = Location::default();
        assert_eq!(location.level(), Level::La);
        location.child_id = Some("C1".into());
        assert_eq!(location.level(), Level::Child);
        location.table = Some("Episodes".into());
        location.row = Some(2);
        assert_eq!(location.level(), Level::Row);
        location.column = Some("DECOM".into());
        assert_eq!(location.level(), Level::Cell);
    }
}
