//! Executes a pipeline: for each return, ingest → structural checks → validation → issue diff →
//! snapshot. Returns are independent: a missing CIN file does not stop the SSDA903 snapshot, but
//! the run reports the failure and exits non-zero. The inputs come resolved (local paths listed,
//! URLs downloaded) in a [`RunPlan`]; `nightly.rs` does that, and the locking and run log around it.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::Utc;

use crate::benchmarks::{self, Benchmarks};
use crate::figures;
use crate::ingest::dataset::{self, Dataset, LoadError, LoadRequest};
use crate::ingest::sources::{self, SourceError};
use crate::issue::Issue;
use crate::issue_diff::{self, DiffSummary};
use crate::pipeline::config::{PipelineConfig, ReturnConfig};
use crate::pipeline::history::{self, RuleCount};
use crate::report;
use crate::rules::cin::Cin;
use crate::rules::ssda903::Ssda903;
use crate::rules::{self, engine};
use crate::schema::{ReturnKind, SchemaSet};
use crate::snapshot::manifest::IssueCounts;
use crate::snapshot::{self, PreviousYear, RunInfo, SnapshotError, SnapshotRef, SnapshotStore};
use crate::source::Role;
use crate::table::Table;
use crate::year::CollectionYear;

/// What happened to one return in a run.
#[derive(Debug)]
pub struct ReturnOutcome {
    pub return_kind: ReturnKind,
    pub result: Result<ReturnSnapshot, RunError>,
}

/// A return that was snapshotted.
#[derive(Debug)]
pub struct ReturnSnapshot {
    pub year: CollectionYear,
    pub snapshot: SnapshotRef,
    pub files: usize,
    /// (table, rows) in schema order.
    pub rows: Vec<(String, usize)>,
    pub issues: IssueCounts,
    pub rules: Vec<RuleCount>,
    /// What changed since the previous run of the pipeline for this return-year.
    pub diff: DiffSummary,
    /// Where the snapshot's figures were written, or why they were not.
    pub figures: Result<PathBuf, String>,
}

#[derive(Debug)]
pub struct RunOutcome {
    pub run_id: String,
    pub started_at: chrono::DateTime<Utc>,
    pub finished_at: chrono::DateTime<Utc>,
    pub returns: Vec<ReturnOutcome>,
}

impl RunOutcome {
    /// Whether every return was snapshotted.
    pub fn succeeded(&self) -> bool {
        self.returns.iter().all(|r| r.result.is_ok())
    }
}

/// Why a return could not be snapshotted, split by who must act: the user (configuration) or
/// whoever runs the server (a fault).
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("{0}")]
    Config(String),
    #[error("{0}")]
    Fault(String),
}

impl From<SourceError> for RunError {
    fn from(error: SourceError) -> Self {
        match error {
            SourceError::Pattern(..) => RunError::Config(error.to_string()),
            _ => RunError::Fault(error.to_string()),
        }
    }
}

impl From<LoadError> for RunError {
    fn from(error: LoadError) -> Self {
        match error {
            LoadError::NothingReadable { .. } => RunError::Fault(error.to_string()),
            _ => RunError::Config(error.to_string()),
        }
    }
}

impl From<SnapshotError> for RunError {
    fn from(error: SnapshotError) -> Self {
        RunError::Fault(format!(
            "the snapshot was not written (the previous one is still current): {error}"
        ))
    }
}

/// A run about to start: its id, and the input files of each return of the pipeline, in order.
#[derive(Debug)]
pub struct RunPlan {
    pub run_id: String,
    pub started_at: chrono::DateTime<Utc>,
    /// Per return: its files, or why they could not be had (a download that failed).
    pub inputs: Vec<Result<Vec<PathBuf>, RunError>>,
}

/// Runs every return of a pipeline.
pub fn run(config: &PipelineConfig, plan: RunPlan) -> Result<RunOutcome, RunError> {
    let schemas = match config.schema_dir() {
        Some(dir) => SchemaSet::from_dir(&dir),
        None => SchemaSet::embedded(),
    }
    .map_err(|e| RunError::Config(e.to_string()))?;
    let store = SnapshotStore::new(config.output_root());
    let benchmarks = Benchmarks::load(&benchmarks::store_dir(store.root()))
        .map_err(|e| format!("the benchmarks cannot be read: {e}"));
    let RunPlan {
        run_id,
        started_at,
        inputs,
    } = plan;
    let returns = config
        .returns
        .iter()
        .zip(inputs)
        .map(|(r, files)| ReturnOutcome {
            return_kind: r.return_kind,
            result: files.and_then(|files| {
                let mut done = run_return(config, r, files, &schemas, &store, &run_id, started_at)?;
                done.figures = match &benchmarks {
                    Ok(benchmarks) => {
                        figures::write_for_snapshot(&store, &done.snapshot, benchmarks, None)
                            .map_err(|e| e.to_string())
                    }
                    Err(e) => Err(e.clone()),
                };
                Ok(done)
            }),
        })
        .collect();
    Ok(RunOutcome {
        run_id,
        started_at,
        finished_at: Utc::now(),
        returns,
    })
}

fn run_return(
    config: &PipelineConfig,
    spec: &ReturnConfig,
    files: Vec<PathBuf>,
    schemas: &SchemaSet,
    store: &SnapshotStore,
    run_id: &str,
    started_at: chrono::DateTime<Utc>,
) -> Result<ReturnSnapshot, RunError> {
    let run_id: Arc<str> = run_id.into();
    let request = LoadRequest {
        return_kind: spec.return_kind,
        year: spec.year,
        role: Role::ThisYear,
        files,
    };
    let (dataset, mut sink) = dataset::load(&request, schemas, &run_id)?;
    let previous = load_previous_year(config, spec, &dataset, schemas, &run_id)?;
    let la_code = config.la.as_ref().map(|la| la.code.as_str());
    match spec.return_kind {
        ReturnKind::Ssda903 => {
            let data = Ssda903::new(&dataset, previous.as_ref(), la_code);
            rules::ssda903::validate(&data, &mut sink);
        }
        ReturnKind::Cin => {
            rules::cin::validate(&Cin::new(&dataset), &mut sink);
        }
    }
    let mut issues = sink.into_issues();
    engine::supersede_structural(&mut issues);
    let run = RunInfo {
        run_id: run_id.to_string(),
        pipeline: Some(config.name.clone()),
        started_at,
        la_code: config.la.as_ref().map(|la| la.code.clone()),
        previous_year: previous.as_ref().map(|p| PreviousYear {
            snapshot_id: None,
            collection_year: p.year,
            rows: p.row_count(),
        }),
    };
    let previous = issue_diff::previous(store, &config.name, dataset.return_kind, dataset.year)
        .map_err(|e| {
            RunError::Fault(format!(
                "cannot read the previous snapshot to compare issues with: {e}"
            ))
        })?;
    let today = started_at.with_timezone(&config.time_zone()).date_naive();
    let diff = issue_diff::compare(previous.as_ref(), &issues, &dataset, &run.run_id, today);
    let snapshot = store.write(&run, &dataset, &issues, |dir| {
        write_reports(dir, &run, &dataset, &issues)?;
        diff.write(dir)
    })?;
    Ok(summarise(&dataset, &issues, snapshot, diff.summary()))
}

fn load_previous_year(
    config: &PipelineConfig,
    spec: &ReturnConfig,
    this_year: &Dataset,
    schemas: &SchemaSet,
    run_id: &Arc<str>,
) -> Result<Option<Dataset>, RunError> {
    if spec.previous_year.is_empty() {
        return Ok(None);
    }
    let request = LoadRequest {
        return_kind: spec.return_kind,
        year: Some(this_year.year.previous()),
        role: Role::PreviousYear,
        files: sources::expand(&spec.previous_year, &config.base)?,
    };
    // Last year's return was validated last year; its structural findings are not this run's.
    let (dataset, _) = dataset::load(&request, schemas, run_id)?;
    Ok(Some(dataset))
}

/// Writes `issues.csv` and the validation workbook into the snapshot folder.
fn write_reports(
    dir: &Path,
    run: &RunInfo,
    dataset: &Dataset,
    issues: &[Issue],
) -> Result<(), String> {
    let csv = dir.join(snapshot::ISSUES_CSV);
    report::write_issues_csv(&csv, issues)
        .map_err(|e| format!("writing {}: {e}", csv.display()))?;
    let mut facts = vec![
        ("Run".to_string(), run.run_id.clone()),
        ("Return".to_string(), dataset.return_kind.to_string()),
        ("Collection year".to_string(), dataset.year.label()),
        (
            "Started".to_string(),
            run.started_at.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
        ),
        ("Schema version".to_string(), dataset.schema.version.clone()),
        ("Rows".to_string(), dataset.row_count().to_string()),
    ];
    if let Some(pipeline) = &run.pipeline {
        facts.insert(1, ("Pipeline".to_string(), pipeline.clone()));
    }
    if let Some(la) = &run.la_code {
        facts.push(("LA".to_string(), la.clone()));
    }
    if let Some(previous) = &run.previous_year {
        facts.push((
            "Previous year compared".to_string(),
            format!(
                "{} ({} rows)",
                previous.collection_year.label(),
                previous.rows
            ),
        ));
    }
    let summary = report::Summary {
        facts,
        files: dataset.files.clone(),
    };
    let tables: Vec<&Table> = dataset.tables.iter().collect();
    let workbook = dir.join(snapshot::WORKBOOK);
    report::write_workbook(&workbook, &summary, issues, &tables)
        .map_err(|e| format!("writing {}: {e}", workbook.display()))
}

fn summarise(
    dataset: &Dataset,
    issues: &[Issue],
    snapshot: SnapshotRef,
    diff: DiffSummary,
) -> ReturnSnapshot {
    ReturnSnapshot {
        year: dataset.year,
        files: dataset.files.len(),
        rows: dataset
            .tables
            .iter()
            .map(|t| (t.name().to_string(), t.len()))
            .collect(),
        issues: IssueCounts::of(issues),
        rules: history::rule_counts(issues),
        snapshot,
        diff,
        figures: Err("not computed yet".into()),
    }
}

/// Where a run wrote its reports for a return.
pub fn report_paths(snapshot: &SnapshotRef) -> (PathBuf, PathBuf) {
    (
        snapshot.dir.join(snapshot::ISSUES_CSV),
        snapshot.dir.join(snapshot::WORKBOOK),
    )
}
