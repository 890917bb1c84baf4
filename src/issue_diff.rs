//! The night-over-night issue diff: which issues are new since the previous run of the same
//! pipeline and return-year, which were fixed, and which are still open, since when and for how
//! many nights. Written into each snapshot as `issues_diff.parquet` and shown in the run summary,
//! so that an information team sees what yesterday's data entry fixed or broke.
//!
//! "The same issue" on two nights is the same rule at the same place, where the place is named by
//! what data entry does not move: the table, the column, the child, and the row's natural key from
//! the schema's `key` columns (an episode is `CHILD=…, DECOM=…`) as the file spells them. The
//! Excel row is not part of it, because adding one row above moves every row below. Issues about a
//! whole file or table also carry the file name. The message and flagged value are not part of it
//! either: a date corrected to another wrong date is the same issue, still open.
//!
//! CIN rows whose key holds a generated number (CINdetailsID, AssessmentID, CPPID) are numbered
//! in document order within the child, so inserting an earlier episode renumbers the later ones.
//!
//! Each diff carries the first-seen date of every open issue, so the next run reads only the
//! previous snapshot's diff to carry the dates on.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::frame;
use crate::ingest::dataset::Dataset;
use crate::issue::{Issue, Severity};
use crate::schema::ReturnKind;
use crate::snapshot::SnapshotStore;
use crate::table::Table;
use crate::year::CollectionYear;

pub const ISSUES_DIFF_PARQUET: &str = "issues_diff.parquet";

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    New,
    Fixed,
    StillOpen,
}

impl Status {
    pub const ALL: [Status; 3] = [Status::New, Status::Fixed, Status::StillOpen];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::New => "new",
            Status::Fixed => "fixed",
            Status::StillOpen => "still_open",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }
}

/// One issue in the diff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffEntry {
    pub status: Status,
    /// The identity of the issue across nights (see the module documentation), as JSON text.
    pub issue_key: String,
    pub severity: Severity,
    pub rule_code: String,
    pub table: Option<String>,
    pub column: Option<String>,
    pub child_id: Option<String>,
    /// The row's natural key, `CHILD=1, DECOM=01/05/2025`.
    pub row_key: Option<String>,
    /// Where the issue is tonight, or was when last seen for a fixed one.
    pub file: Option<String>,
    pub row: Option<u32>,
    pub flagged_value: Option<String>,
    pub message: String,
    /// The date (in the pipeline's time zone) of the run that first reported the issue.
    pub first_seen: NaiveDate,
    pub first_seen_run: String,
    /// Nights from the first report to this run, both counted; for a fixed issue, the nights it
    /// was open.
    pub nights_open: u32,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DiffCounts {
    pub new: usize,
    pub new_errors: usize,
    pub fixed: usize,
    pub still_open: usize,
}

/// The diff of one return-year's issues against its previous run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssueDiff {
    pub run_id: String,
    pub return_kind: ReturnKind,
    pub year: CollectionYear,
    /// The run compared with, or `None` on the first run (every issue is then new).
    pub compared_with: Option<String>,
    /// New, then fixed, then still open; by severity and rule within each.
    pub entries: Vec<DiffEntry>,
}

/// The issues an earlier run left open, as its diff recorded them.
#[derive(Debug, Clone)]
pub struct Previous {
    pub run_id: String,
    pub open: Vec<DiffEntry>,
}

/// What the run summary and the run log say about a diff.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DiffSummary {
    pub compared_with: Option<String>,
    pub counts: DiffCounts,
    /// (rule, issues), most first.
    pub new_by_rule: Vec<(String, usize)>,
    pub fixed_by_rule: Vec<(String, usize)>,
    /// The longest-open issue still open: (first seen, nights).
    pub oldest_open: Option<(NaiveDate, u32)>,
}

impl IssueDiff {
    pub fn counts(&self) -> DiffCounts {
        let mut counts = DiffCounts::default();
        for entry in &self.entries {
            match entry.status {
                Status::New => {
                    counts.new += 1;
                    if entry.severity == Severity::Error {
                        counts.new_errors += 1;
                    }
                }
                Status::Fixed => counts.fixed += 1,
                Status::StillOpen => counts.still_open += 1,
            }
        }
        counts
    }

    pub fn summary(&self) -> DiffSummary {
        let by_rule = |status: Status| {
            let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
            for entry in self.entries.iter().filter(|e| e.status == status) {
                *counts.entry(&entry.rule_code).or_default() += 1;
            }
            let mut counts: Vec<(String, usize)> = counts
                .into_iter()
                .map(|(r, n)| (r.to_string(), n))
                .collect();
            counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            counts
        };
        DiffSummary {
            compared_with: self.compared_with.clone(),
            counts: self.counts(),
            new_by_rule: by_rule(Status::New),
            fixed_by_rule: by_rule(Status::Fixed),
            oldest_open: self
                .entries
                .iter()
                .filter(|e| e.status != Status::Fixed)
                .map(|e| (e.first_seen, e.nights_open))
                .min(),
        }
    }

    /// Writes `issues_diff.parquet` into a snapshot folder.
    pub fn write(&self, dir: &Path) -> Result<(), String> {
        let path = dir.join(ISSUES_DIFF_PARQUET);
        let mut frame = frame::issues_diff_frame(self).map_err(|e| e.to_string())?;
        frame::write_parquet(&mut frame, &path)
            .map(drop)
            .map_err(|e| e.to_string())
    }
}

/// The issues left open by the newest snapshot of `pipeline` for the return-year, if it has a
/// diff. A snapshot written before diffs existed starts the count afresh.
pub fn previous(
    store: &SnapshotStore,
    pipeline: &str,
    return_kind: ReturnKind,
    year: CollectionYear,
) -> Result<Option<Previous>, String> {
    // Snapshot ids sort by the second only; the manifests' start times order runs within one.
    let mut newest = None;
    for snapshot in store.list(return_kind, year).map_err(|e| e.to_string())? {
        let manifest = snapshot.manifest().map_err(|e| e.to_string())?;
        if manifest.pipeline.as_deref() == Some(pipeline)
            && newest
                .as_ref()
                .is_none_or(|(started, _, _)| manifest.started_at >= *started)
        {
            newest = Some((manifest.started_at, manifest.run_id, snapshot.dir));
        }
    }
    let Some((_, run_id, dir)) = newest else {
        return Ok(None);
    };
    let path = dir.join(ISSUES_DIFF_PARQUET);
    if !path.exists() {
        return Ok(None);
    }
    let entries = frame::read_issues_diff(&path).map_err(|e| e.to_string())?;
    Ok(Some(Previous {
        run_id,
        open: entries
            .into_iter()
            .filter(|e| e.status != Status::Fixed)
            .collect(),
    }))
}

/// Compares tonight's issues with the issues a previous run left open.
pub fn compare(
    previous: Option<&Previous>,
    issues: &[Issue],
    dataset: &Dataset,
    run_id: &str,
    today: NaiveDate,
) -> IssueDiff {
    let mut keys = RowKeys::new(dataset);
    let mut tonight: Vec<DiffEntry> = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for issue in issues {
        let row_key = keys.of(issue);
        let key = issue_key(issue, row_key.as_deref());
        if seen.contains_key(&key) {
            continue;
        }
        seen.insert(key.clone(), tonight.len());
        tonight.push(DiffEntry {
            status: Status::New,
            issue_key: key,
            severity: issue.severity,
            rule_code: issue.rule_code.to_string(),
            table: issue.location.table.as_deref().map(str::to_string),
            column: issue.location.column.as_deref().map(str::to_string),
            child_id: issue.location.child_id.as_deref().map(str::to_string),
            row_key,
            file: issue
                .location
                .file
                .as_ref()
                .map(|f| f.path.display().to_string()),
            row: issue.location.row,
            flagged_value: issue.flagged_value.clone(),
            message: issue.message.to_string(),
            first_seen: today,
            first_seen_run: run_id.to_string(),
            nights_open: 1,
        });
    }
    let mut entries = tonight;
    if let Some(previous) = previous {
        for open in &previous.open {
            match seen.get(&open.issue_key) {
                Some(&index) => {
                    let entry = &mut entries[index];
                    entry.status = Status::StillOpen;
                    entry.first_seen = open.first_seen;
                    entry.first_seen_run = open.first_seen_run.clone();
                    entry.nights_open = nights_between(open.first_seen, today);
                }
                None => entries.push(DiffEntry {
                    status: Status::Fixed,
                    ..open.clone()
                }),
            }
        }
    }
    entries.sort_by(|a, b| {
        (
            a.status,
            a.severity,
            &a.rule_code,
            &a.child_id,
            &a.issue_key,
        )
            .cmp(&(
                b.status,
                b.severity,
                &b.rule_code,
                &b.child_id,
                &b.issue_key,
            ))
    });
    IssueDiff {
        run_id: run_id.to_string(),
        return_kind: dataset.return_kind,
        year: dataset.year,
        compared_with: previous.map(|p| p.run_id.clone()),
        entries,
    }
}

/// Nights from `first` to `today`, both counted.
fn nights_between(first: NaiveDate, today: NaiveDate) -> u32 {
    u32::try_from((today - first).num_days() + 1)
        .unwrap_or(1)
        .max(1)
}

fn issue_key(issue: &Issue, row_key: Option<&str>) -> String {
    let location = &issue.location;
    // A row's key names it wherever it sits; without one, the file is part of the place.
    let file = match (row_key, &location.file) {
        (None, Some(file)) => Some(file.name()),
        _ => None,
    };
    let parts: [Option<&str>; 6] = [
        Some(&issue.rule_code),
        location.table.as_deref(),
        location.column.as_deref(),
        location.child_id.as_deref(),
        row_key,
        file.as_deref(),
    ];
    serde_json::to_string(&parts).expect("text serialises")
}

/// Finds the natural key of the row an issue points at, from the row's source file and line.
struct RowKeys<'a> {
    dataset: &'a Dataset,
    /// Per table: (file, line) to the rows read from there.
    rows: HashMap<&'a str, HashMap<(u16, u32), Vec<usize>>>,
}

impl<'a> RowKeys<'a> {
    fn new(dataset: &'a Dataset) -> Self {
        RowKeys {
            dataset,
            rows: HashMap::new(),
        }
    }

    fn of(&mut self, issue: &Issue) -> Option<String> {
        let location = &issue.location;
        let (table_name, line, file) = (
            location.table.as_deref()?,
            location.row?,
            location.file.as_ref()?,
        );
        let table = self.dataset.table(table_name)?;
        let rows = self
            .rows
            .entry(table.name())
            .or_insert_with(|| index(table));
        let candidates = rows.get(&(file.id, line))?;
        // Several rows share a line only in XML written on one line; the child tells them apart.
        let row = candidates
            .iter()
            .copied()
            .find(|&row| child_of(table, row) == location.child_id.as_deref())
            .unwrap_or(candidates[0]);
        let key = &table.schema().key;
        if key.is_empty() {
            return Some(format!("row {line}"));
        }
        let parts: Vec<String> = key
            .iter()
            .filter_map(|column| {
                let index = table.column_index(column)?;
                Some(format!("{column}={}", table.original_text(index, row)))
            })
            .collect();
        Some(parts.join(", "))
    }
}

fn index(table: &Table) -> HashMap<(u16, u32), Vec<usize>> {
    let mut rows: HashMap<(u16, u32), Vec<usize>> = HashMap::new();
    for row in 0..table.len() {
        let source = table.source(row);
        rows.entry((source.file, source.line))
            .or_default()
            .push(row);
    }
    rows
}

fn child_of(table: &Table, row: usize) -> Option<&str> {
    let column = table.column_index(&table.return_schema().child_column)?;
    match table.cell(column, row) {
        crate::table::CellValue::Text(id) => Some(id),
        _ => None,
    }
}
