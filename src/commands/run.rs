//! `csc-returns run PIPELINE`: the nightly run of a pipeline file, with its one-screen summary and
//! exit status.

use std::fmt::Write as _;
use std::path::PathBuf;

use crate::commands::Failure;
use crate::issue_diff::DiffSummary;
use crate::pipeline::config::PipelineConfig;
use crate::pipeline::history::{RunLog, Trigger};
use crate::pipeline::nightly::{self, Nightly, Options};
use crate::pipeline::run::{self, RunError, RunOutcome};

#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// The pipeline file (YAML), e.g. pipelines/demo.yaml.
    pub pipeline: PathBuf,
    /// Exit with code 1 when the data has errors (by default bad data is reported, not fatal).
    #[arg(long)]
    pub fail_on_errors: bool,
    /// Run even when the inputs are the same as at the last successful run.
    #[arg(long)]
    pub force: bool,
    /// When another run of this pipeline is under way, wait for it instead of skipping.
    #[arg(long)]
    pub wait: bool,
    /// Who started the run, for the run log; schedulers pass `scheduled`.
    #[arg(long, value_enum, default_value = "manual")]
    pub trigger: Trigger,
}

pub fn run(args: RunArgs) -> Result<(), Failure> {
    let config = PipelineConfig::load(&args.pipeline).map_err(Failure::config)?;
    let options = Options {
        trigger: args.trigger,
        force: args.force,
        wait: args.wait,
        pipeline_file: Some(std::path::absolute(&args.pipeline).unwrap_or(args.pipeline.clone())),
    };
    execute(&config, &options, args.fail_on_errors)
}

/// Runs a pipeline, prints its summary and turns the outcome into an exit status.
pub fn execute(
    config: &PipelineConfig,
    options: &Options,
    fail_on_errors: bool,
) -> Result<(), Failure> {
    let nightly = nightly::run_pipeline(config, options, |message| {
        eprintln!("csc-returns: {message}")
    })
    .map_err(|e| match e {
        RunError::Config(m) => Failure::Config(m),
        RunError::Fault(m) => Failure::Runtime(m),
    })?;
    let record = nightly.record();
    let log_file = RunLog::new(&config.output_root())
        .dir()
        .join(format!("{}.json", record.run_id));
    let skipped = || {
        println!(
            "Run {} of pipeline {} skipped: {}",
            record.run_id,
            config.name,
            record.message.as_deref().unwrap_or_default()
        )
    };
    let outcome = match &nightly {
        Nightly::Busy(_) => {
            skipped();
            return Ok(());
        }
        Nightly::Unchanged { last, .. } => {
            skipped();
            // The data is what it was: its errors still count for --fail-on-errors.
            let errors = last.errors();
            if fail_on_errors && errors > 0 {
                return Err(Failure::DataErrors(format!(
                    "{errors} data errors remain, unchanged since run {} (--fail-on-errors)",
                    last.run_id
                )));
            }
            return Ok(());
        }
        Nightly::Ran { outcome, .. } => outcome,
    };
    print!("{}", summary(&config.name, outcome));
    for id in &record.found_interrupted {
        println!(
            "\nNote: run {id} had been interrupted (its process died); nothing it wrote was published."
        );
    }
    println!("\nRun log: {}", log_file.display());
    if let Some(notification) = &record.notification {
        println!("Webhook: {notification}");
    }
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
                    "\n{} {}: {}, {}; {}, {}, {}",
                    r.return_kind,
                    s.year.label(),
                    count(s.files, "file", "files"),
                    count(total_rows, "row", "rows"),
                    count(s.issues.error, "error", "errors"),
                    count(s.issues.query, "query", "queries"),
                    count(s.issues.warning, "warning", "warnings"),
                )
                .unwrap();
                let tables: Vec<String> = s
                    .rows
                    .iter()
                    .filter(|(_, n)| *n > 0)
                    .map(|(t, n)| format!("{t} {n}"))
                    .collect();
                writeln!(out, "  rows:     {}", tables.join(", ")).unwrap();
                out.push_str(&diff_lines(&s.diff));
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

/// What changed since the previous run, in two lines at most.
fn diff_lines(diff: &DiffSummary) -> String {
    let counts = diff.counts;
    let Some(previous) = &diff.compared_with else {
        return format!(
            "  changes:  first run of this pipeline for the year: {} issues, all new\n",
            counts.new
        );
    };
    let mut out = format!(
        "  changes:  since run {previous}: {} new ({} errors), {} fixed, {} still open",
        counts.new, counts.new_errors, counts.fixed, counts.still_open
    );
    if let Some((first_seen, nights)) = diff.oldest_open
        && nights > 1
    {
        write!(out, " (the oldest since {first_seen}, {nights} nights)").unwrap();
    }
    out.push('\n');
    let rules = |label: &str, by_rule: &[(String, usize)]| {
        if by_rule.is_empty() {
            return None;
        }
        const SHOWN: usize = 6;
        let mut parts: Vec<String> = by_rule
            .iter()
            .take(SHOWN)
            .map(|(rule, n)| format!("{rule} ×{n}"))
            .collect();
        if by_rule.len() > SHOWN {
            parts.push(format!("{} more rules", by_rule.len() - SHOWN));
        }
        Some(format!("{label} {}", parts.join(", ")))
    };
    let detail: Vec<String> = [
        rules("new:", &diff.new_by_rule),
        rules("fixed:", &diff.fixed_by_rule),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !detail.is_empty() {
        writeln!(out, "            {}", detail.join("; ")).unwrap();
    }
    out
}

/// `1 file`, `2 files`.
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
