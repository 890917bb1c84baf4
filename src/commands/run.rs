//! `csc-returns run PIPELINE`: the nightly run of a pipeline file.

use std::path::PathBuf;

use crate::commands::Failure;
use crate::pipeline::config::PipelineConfig;
use crate::pipeline::run::{self, RunError, RunOutcome};

#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// The pipeline file (YAML), e.g. pipelines/demo.yaml.
    pub pipeline: PathBuf,
    /// Exit with code 1 when the data has errors (by default bad data is reported, not fatal).
    #[arg(long)]
    pub fail_on_errors: bool,
}

pub fn run(args: RunArgs) -> Result<(), Failure> {
    let config = PipelineConfig::load(&args.pipeline).map_err(Failure::config)?;
    execute(&config, args.fail_on_errors)
}

/// Runs a pipeline, prints its summary and turns the outcome into an exit status.
pub fn execute(config: &PipelineConfig, fail_on_errors: bool) -> Result<(), Failure> {
    let outcome = run::run(config).map_err(|e| match e {
        RunError::Config(m) => Failure::Config(m),
        RunError::Fault(m) => Failure::Runtime(m),
    })?;
    print!("{}", summary(&config.name, &outcome));
    let failures: Vec<&RunError> = outcome
        .returns
        .iter()
        .filter_map(|r| r.result.as_ref().err())
        .collect();
    if let Some(first) = failures.first() {
        let message = format!(
            "{} of {} returns failed; see above",
            failures.len(),
            outcome.returns.len()
        );
        return Err(match first {
            RunError::Config(_) => Failure::Config(message),
            RunError::Fault(_) => Failure::Runtime(message),
        });
    }
    let figures_failed = outcome
        .returns
        .iter()
        .filter_map(|r| r.result.as_ref().ok())
        .filter(|s| s.figures.is_err())
        .count();
    if figures_failed > 0 {
        return Err(Failure::Runtime(format!(
            "the figures of {figures_failed} snapshots were not computed; see above (the snapshots are complete: fix the cause and run `csc-returns figures --recompute`)"
        )));
    }
    let errors: usize = outcome
        .returns
        .iter()
        .filter_map(|r| r.result.as_ref().ok())
        .map(|s| s.issues.error)
        .sum();
    if fail_on_errors && errors > 0 {
        return Err(Failure::DataErrors(format!(
            "{errors} data errors found (--fail-on-errors)"
        )));
    }
    Ok(())
}

/// The one-screen summary of a run.
pub fn summary(pipeline: &str, outcome: &RunOutcome) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let seconds = (outcome.finished_at - outcome.started_at).num_milliseconds() as f64 / 1000.0;
    writeln!(
        out,
        "Run {} of pipeline {pipeline} ({seconds:.1} s)",
        outcome.run_id
    )
    .unwrap();
    for r in &outcome.returns {
        match &r.result {
            Ok(s) => {
                let total_rows: usize = s.rows.iter().map(|(_, n)| n).sum();
                writeln!(
                    out,
                    "\n{} {}: {} files, {} rows; {} errors, {} queries, {} warnings",
                    r.return_kind,
                    s.year.label(),
                    s.files,
                    total_rows,
                    s.issues.error,
                    s.issues.query,
                    s.issues.warning
                )
                .unwrap();
                let tables: Vec<String> = s
                    .rows
                    .iter()
                    .filter(|(_, n)| *n > 0)
                    .map(|(t, n)| format!("{t} {n}"))
                    .collect();
                writeln!(out, "  rows:     {}", tables.join(", ")).unwrap();
                writeln!(out, "  snapshot: {}", s.snapshot.dir.display()).unwrap();
                let (csv, workbook) = run::report_paths(&s.snapshot);
                writeln!(out, "  issues:   {}", csv.display()).unwrap();
                writeln!(out, "            {}", workbook.display()).unwrap();
                match &s.figures {
                    Ok(path) => writeln!(out, "  figures:  {}", path.display()).unwrap(),
                    Err(e) => writeln!(out, "  figures:  FAILED: {e}").unwrap(),
                }
            }
            Err(e) => writeln!(out, "\n{}: FAILED: {e}", r.return_kind).unwrap(),
        }
    }
    out
}
