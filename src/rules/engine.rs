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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::RowRef;
    use crate::rules::ssda903::fixture::dataset;
    use crate::schema::ReturnKind;
    use crate::source::Role;
    use crate::year::CollectionYear;

    const HEADER: &str = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n1,M,01/02/2015,WBRI,UN2,,\n2,M,01/02/2015,XXXX,UN2,,\n";

    fn rule<'a>(
        code: &'static str,
        needs: &'static [Need],
        check: impl Fn(&mut Flags) + Sync + 'a,
    ) -> Bound<'a> {
        Bound {
            meta: RuleMeta {
                code,
                message: "Test rule.",
                severity: Severity::Error,
                tables: &["Header"],
                fields: &["ETHNIC"],
                years: &[2026],
                needs,
                doc: "",
                source: "",
            },
            check: Box::new(check),
        }
    }

    fn sink() -> IssueSink {
        IssueSink::new(
            "test".into(),
            ReturnKind::Ssda903,
            CollectionYear::new(2026).unwrap(),
        )
    }

    /// Child 2's ETHNIC cell (the second data row, Excel row 3).
    fn second_ethnic(this: &Dataset) -> CellRef {
        RowRef {
            year: Year::This,
            table: this.schema.table_index("Header").unwrap(),
            row: 1,
        }
        .at("ETHNIC")
    }

    #[test]
    fn a_rule_that_panics_is_reported_and_the_others_still_run() {
        let this = dataset(2026, Role::ThisYear, &[HEADER]);
        let cell = second_ethnic(&this);
        let mut sink = sink();
        let outcome = run(
            vec![
                rule("900", &[], |_| panic!("index out of bounds")),
                rule("901", &[], move |flags| flags.cell(cell)),
            ],
            |_| true,
            &Datasets {
                this: &this,
                previous: None,
            },
            &mut sink,
        );
        assert_eq!(outcome.ran, ["901"]);
        assert_eq!(outcome.failed, [("900", "index out of bounds".to_string())]);
        let issues = sink.issues();
        assert_eq!(issues.len(), 2, "{issues:#?}");
        let failed = issues.iter().find(|i| &*i.rule_code == "900").unwrap();
        assert_eq!(failed.severity, Severity::Warning);
        assert!(failed.message.contains("Rule 900 could not run"));
        let found = issues.iter().find(|i| &*i.rule_code == "901").unwrap();
        assert_eq!(found.location.row, Some(3));
        assert_eq!(found.location.column.as_deref(), Some("ETHNIC"));
        assert_eq!(found.flagged_value.as_deref(), Some("XXXX"));
    }

    #[test]
    fn rules_lacking_an_input_are_skipped_and_listed_with_what_they_lack() {
        let this = dataset(2026, Role::ThisYear, &[HEADER]);
        let mut sink = sink();
        let outcome = run(
            vec![
                rule("902", &[Need::PreviousYear, Need::LaCode], |_| {
                    panic!("a skipped rule does not run")
                }),
                rule("903", &[Need::LaCode], Flags::whole_return),
            ],
            |need| need == Need::LaCode,
            &Datasets {
                this: &this,
                previous: None,
            },
            &mut sink,
        );
        assert_eq!(outcome.ran, ["903"]);
        assert_eq!(outcome.skipped, [("902", vec![Need::PreviousYear])]);
        assert!(outcome.failed.is_empty());
        assert_eq!(sink.issues().len(), 1);
    }

    #[test]
    fn a_rule_finding_supersedes_the_structural_finding_on_the_same_cell_only() {
        let at = |row: u32, column: &str| Location {
            table: Some("Header".into()),
            row: Some(row),
            column: Some(column.into()),
            ..Location::default()
        };
        let mut sink = sink();
        sink.push(Check::InvalidCode.finding("ETHNIC is not a code.", at(3, "ETHNIC"), None));
        sink.push(Check::InvalidDate.finding("DOB is not a date.", at(3, "DOB"), None));
        sink.push(Finding {
            rule_code: "103".into(),
            severity: Severity::Error,
            message: "The ethnicity code is either not valid or has not been entered.".into(),
            location: at(3, "ETHNIC"),
            flagged_value: Some("XXXX".into()),
        });
        let mut issues = sink.into_issues();
        supersede_structural(&mut issues);
        let codes: Vec<&str> = issues.iter().map(|i| &*i.rule_code).collect();
        assert_eq!(codes, [Check::InvalidDate.code(), "103"]);
    }
}
