//! What the figures tests share: dates, the 2025-26 year, tallies as plain numbers, and small
//! hand-built snapshots (rows by snapshot table and column name, written through the real
//! snapshot writer so that figures read exactly what a run would leave).

use std::sync::Arc;

use chrono::{NaiveDate, TimeZone, Utc};

use crate::ingest::dataset::Dataset;
use crate::issue::{Finding, IssueSink, Location, Severity};
use crate::schema::{ColumnKind, DateFormat, ReturnKind, SchemaSet};
use crate::snapshot::{RunInfo, SnapshotRef, SnapshotStore};
use crate::source::{Role, SourceFile, SourceFormat};
use crate::table::{RowSource, Table, format_date};
use crate::year::CollectionYear;

use super::indicators::Tally;
use super::period::Period;

/// A date from its year, month and day.
pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// The 2025-26 collection year as a period.
pub fn year() -> Period {
    Period::year(CollectionYear::new(2026).unwrap())
}

/// (numerator, denominator) of each tally, for comparing a figure's counts at a glance.
pub fn values(tallies: &[Tally]) -> Vec<(f64, Option<f64>)> {
    tallies
        .iter()
        .map(|t| (t.numerator, t.denominator))
        .collect()
}

/// The tally of one category of a breakdown.
pub fn category<'a>(tallies: &'a [Tally], name: &str) -> &'a Tally {
    tallies
        .iter()
        .find(|t| t.breakdown.as_deref() == Some(name))
        .unwrap_or_else(|| panic!("no {name:?} in {tallies:?}"))
}

pub struct TestSnapshot {
    return_kind: ReturnKind,
    year: CollectionYear,
    rows: Vec<(String, Vec<(String, String)>)>,
    errors: usize,
    la_code: Option<String>,
    taken: NaiveDate,
    id: String,
}

impl TestSnapshot {
    /// An empty snapshot of a return-year, taken after the year ended, for Wokingham (872).
    pub fn new(return_kind: ReturnKind, end_year: u16) -> Self {
        let year = CollectionYear::new(end_year).unwrap();
        TestSnapshot {
            return_kind,
            year,
            rows: Vec::new(),
            errors: 0,
            la_code: Some("E06000041".into()),
            taken: year.end() + chrono::Days::new(30),
            id: format!("{end_year}0501T000000Z-0001"),
        }
    }

    /// A row of a table (by snapshot name); dates are written YYYY-MM-DD.
    pub fn row(mut self, table: &str, cells: &[(&str, &str)]) -> Self {
        self.rows.push((
            table.to_string(),
            cells
                .iter()
                .map(|(c, v)| (c.to_string(), v.to_string()))
                .collect(),
        ));
        self
    }

    /// Leaves `n` DfE-rule errors outstanding, which makes the figures provisional.
    pub fn errors(mut self, n: usize) -> Self {
        self.errors = n;
        self
    }

    pub fn taken(mut self, date: NaiveDate) -> Self {
        self.taken = date;
        self
    }

    pub fn id(mut self, id: &str) -> Self {
        self.id = id.to_string();
        self
    }

    pub fn without_la(mut self) -> Self {
        self.la_code = None;
        self
    }

    pub fn write(self, store: &SnapshotStore) -> SnapshotRef {
        let schema = SchemaSet::embedded()
            .unwrap()
            .get(self.return_kind, self.year)
            .unwrap();
        let mut tables: Vec<Table> = (0..schema.tables.len())
            .map(|i| Table::new(schema.clone(), i))
            .collect();
        for (line, (name, cells)) in self.rows.iter().enumerate() {
            let index = schema
                .tables
                .iter()
                .position(|t| &t.snapshot_name == name)
                .unwrap_or_else(|| panic!("no table {name}"));
            let spec = &schema.tables[index];
            let texts: Vec<Option<String>> = spec
                .columns
                .iter()
                .map(|column| {
                    let (_, value) = cells.iter().find(|(c, _)| c == &column.name)?;
                    Some(
                        match (column.kind, NaiveDate::parse_from_str(value, "%Y-%m-%d")) {
                            (ColumnKind::Date, Ok(date)) => {
                                format_date(date, column.format.unwrap_or(DateFormat::Iso))
                            }
                            _ => value.clone(),
                        },
                    )
                })
                .collect();
            for (c, _) in cells {
                assert!(spec.column_index(c).is_some(), "{name} has no column {c}");
            }
            let refs: Vec<Option<&str>> = texts.iter().map(|t| t.as_deref()).collect();
            tables[index].push_row(
                RowSource {
                    file: 0,
                    line: line as u32 + 2,
                },
                &refs,
                |c, problem| panic!("{name}.{}: {problem:?}", spec.columns[c].name),
            );
        }
        let dataset = Dataset {
            return_kind: self.return_kind,
            year: self.year,
            role: Role::ThisYear,
            schema,
            files: vec![Arc::new(SourceFile {
                id: 0,
                path: "test.csv".into(),
                format: SourceFormat::Csv,
                role: Role::ThisYear,
                size: 1,
                sha256: "0".into(),
                encoding: None,
            })],
            tables,
        };
        let mut sink = IssueSink::new(self.id.as_str().into(), self.return_kind, self.year);
        for _ in 0..self.errors {
            sink.push(Finding {
                rule_code: "100".into(),
                severity: Severity::Error,
                message: "test error".into(),
                location: Location::default(),
                flagged_value: None,
            });
        }
        let run = RunInfo {
            run_id: self.id.clone(),
            pipeline: Some("test".into()),
            started_at: Utc.from_utc_datetime(&self.taken.and_hms_opt(2, 0, 0).unwrap()),
            la_code: self.la_code.clone(),
            previous_year: None,
            extra_inputs: Vec::new(),
            postcode_reference: None,
            rules: None,
        };
        store
            .write(&run, &dataset, &sink.into_issues(), |_| Ok(()))
            .unwrap()
    }
}
