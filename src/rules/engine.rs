//! Runs the rules of a collection year and turns their flags into issues.
//!
//! Every rule runs on its own, in parallel, over read-only data; a rule that panics is reported as
//! a warning and takes nothing else with it. Rules whose inputs are missing are skipped and listed.

use std::collections::HashSet;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;

use rayon::prelude::*;

use crate::ingest::dataset::Dataset;
use crate::issue::{Finding, IssueSink, Location, Severity};
use crate::records::{CellRef, Year};
use crate::rules::{Flag, Flags, Need, RuleMeta};
use crate::structural::{self, Check};

/// A rule ready to run: its description and its check bound to the data.
pub struct Bound<'a> {
    pub meta: RuleMeta,
    pub check: Box<dyn Fn(&mut Flags) + Sync + 'a>,
}

/// What happened to the rules of a run.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub ran: Vec<&'static str>,
    /// Rules not run, with the inputs they lacked.
    pub skipped: Vec<(&'static str, Vec<Need>)>,
    /// Rules that failed internally, with the reason.
    pub failed: Vec<(&'static str, String)>,
}

/// The datasets a rule's cell references point into.
pub struct Datasets<'a> {
    pub this: &'a Dataset,
    pub previous: Option<&'a Dataset>,
}

impl Datasets<'_> {
    fn of(&self, year: Year) -> Option<&Dataset> {
        match year {
            Year::This => Some(self.this),
            Year::Previous => self.previous,
        }
    }

    /// The location and original text of a cell or row a rule flagged.
    pub fn locate(&self, cell: CellRef) -> (Location, Option<String>) {
        let Some(dataset) = self.of(cell.row.year) else {
            return (Location::default(), None);
        };
        let table = &dataset.tables[cell.row.table];
        match cell.column.and_then(|c| table.column_index(c)) {
            Some(column) => {
                let location =
                    structural::cell_location(table, &dataset.files, column, cell.row.row);
                let value = table.original_text(column, cell.row.row);
                (location, (!value.is_empty()).then(|| value.into_owned()))
            }
            None => (
                structural::row_location(table, &dataset.files, cell.row.row),
                None,
            ),
        }
    }
}

/// Runs `rules`, skipping those whose needs `available` does not meet, and records their findings.
pub fn run(
    rules: Vec<Bound<'_>>,
    available: impl Fn(Need) -> bool,
    datasets: &Datasets<'_>,
    sink: &mut IssueSink,
) -> Outcome {
    let mut outcome = Outcome::default();
    let mut runnable = Vec::new();
    for rule in rules {
        let missing: Vec<Need> = rule
            .meta
            .needs
            .iter()
            .copied()
            .filter(|&need| !available(need))
            .collect();
        if missing.is_empty() {
            runnable.push(rule);
        } else {
            outcome.skipped.push((rule.meta.code, missing));
        }
    }
    let results: Vec<(RuleMeta, Result<Vec<Flag>, String>)> = runnable
        .par_iter()
        .map(|rule| {
            let mut flags = Flags::default();
            let result = catch_unwind(AssertUnwindSafe(|| (rule.check)(&mut flags)));
            (
                rule.meta,
                result.map(|()| flags.into_flags()).map_err(panic_message),
            )
        })
        .collect();
    for (meta, result) in results {
        match result {
            Ok(flags) => {
                outcome.ran.push(meta.code);
                record(&meta, flags, datasets, sink);
            }
            Err(reason) => {
                let message = format!(
                    "Rule {} could not run and reported nothing: {reason}. Other rules are unaffected; please report this.",
                    meta.code
                );
                let finding = Finding {
                    rule_code: meta.code.into(),
                    severity: Severity::Warning,
                    message: message.into(),
                    location: Location::default(),
                    flagged_value: None,
                };
                sink.push(finding);
                outcome.failed.push((meta.code, reason));
            }
        }
    }
    outcome
}

fn record(meta: &RuleMeta, flags: Vec<Flag>, datasets: &Datasets<'_>, sink: &mut IssueSink) {
    let code: Arc<str> = meta.code.into();
    let message: Arc<str> = meta.message.into();
    let finding = |location: Location, flagged_value: Option<String>| Finding {
        rule_code: code.clone(),
        severity: meta.severity,
        message: message.clone(),
        location,
        flagged_value,
    };
    for flag in flags {
        match flag {
            Flag::Cells(cells) => {
                let places = cells
                    .into_iter()
                    .map(|cell| {
                        let (location, value) = datasets.locate(cell);
                        finding(location, value)
                    })
                    .collect();
                sink.push_linked(places);
            }
            Flag::Child(id) => sink.push(finding(
                Location {
                    child_id: Some(id.into()),
                    ..Location::default()
                },
                None,
            )),
            Flag::Return => sink.push(finding(Location::default(), None)),
        }
    }
}

fn panic_message(payload: Box<dyn std::any::Any + Send>) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "it panicked".to_string())
}

/// Drops a structural finding about a cell's type, format, code list or blankness when a DfE rule
/// flagged the same cell: the information team should see the problem once, in the DfE's words.
pub fn supersede_structural(issues: &mut Vec<crate::issue::Issue>) {
    let is_cell_check = |code: &str| {
        matches!(
            Check::from_code(code),
            Some(
                Check::InvalidDate
                    | Check::InvalidCode
                    | Check::InvalidInteger
                    | Check::IntegerOutOfRange
                    | Check::InvalidBoolean
                    | Check::MissingValue
                    | Check::TooLong
            )
        )
    };
    let key = |issue: &crate::issue::Issue| {
        (
            issue.location.file.as_ref().map(|f| f.path.clone()),
            issue.location.table.clone(),
            issue.location.row,
            issue.location.column.clone(),
        )
    };
    let flagged_by_rules: HashSet<_> = issues
        .iter()
        .filter(|i| Check::from_code(&i.rule_code).is_none() && i.location.column.is_some())
        .map(key)
        .collect();
    if !flagged_by_rules.is_empty() {
        issues.retain(|i| !(is_cell_check(&i.rule_code) && flagged_by_rules.contains(&key(i))));
    }
}
