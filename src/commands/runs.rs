//! `csc-returns runs`: the run log. Lists every run (scheduled or manual) recorded under the
//! output roots of the pipelines, or shows one with its issues summary.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use crate::commands::Failure;
use crate::commands::schedule::pipeline_files;
use crate::pipeline::config::PipelineConfig;
use crate::pipeline::history::{Outcome, RunLog, RunRecord};
use crate::pipeline::lock::PipelineLock;
use crate::source::Role;

#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct RunsArgs {
    #[command(subcommand)]
    pub action: Option<RunsAction>,
    #[command(flatten)]
    pub roots: Roots,
    /// How many of the most recent runs to list.
    #[arg(long, default_value_t = 30)]
    pub limit: usize,
}

#[derive(Debug, clap::Subcommand)]
pub enum RunsAction {
    /// Show one run: its inputs, outcome, snapshots, issues by rule and changes since the previous run.
    Show {
        /// The run id, as `csc-returns runs` lists it.
        id: String,
        #[command(flatten)]
        roots: Roots,
    },
}

/// Where to look for run logs.
#[derive(Debug, Clone, clap::Args)]
pub struct Roots {
    /// A pipeline file or a folder of them; their output roots hold the run logs.
    #[arg(long, default_value = "pipelines")]
    pub pipelines: PathBuf,
    /// An output root to read instead of the pipelines' (repeatable).
    #[arg(long)]
    pub output: Vec<PathBuf>,
}

impl Roots {
    /// The output roots with the time zone to show their times in.
    fn resolve(&self) -> Result<Vec<(PathBuf, Tz)>, Failure> {
        if !self.output.is_empty() {
            return Ok(self
                .output
                .iter()
                .map(|root| (root.clone(), chrono_tz::Europe::London))
                .collect());
        }
        let files = pipeline_files(&self.pipelines).map_err(|e| {
            Failure::config(format!(
                "{e}; give --pipelines (a pipeline file or folder) or --output (an output root)"
            ))
        })?;
        let mut roots: BTreeMap<PathBuf, Tz> = BTreeMap::new();
        let mut errors = Vec::new();
        for file in files {
            match PipelineConfig::load(&file) {
                Ok(config) => {
                    roots
                        .entry(config.output_root())
                        .or_insert_with(|| config.time_zone());
                }
                Err(e) => errors.push(e.to_string()),
            }
        }
        // One broken pipeline file must not hide the runs of the others.
        if roots.is_empty() && !errors.is_empty() {
            return Err(Failure::config(errors.join("\n")));
        }
        for error in errors {
            eprintln!("csc-returns: skipped: {error}");
        }
        Ok(roots.into_iter().collect())
    }
}

pub fn run(args: RunsArgs) -> Result<(), Failure> {
    match args.action {
        Some(RunsAction::Show { id, roots }) => show(&id, &roots),
        None => list(&args.roots, args.limit),
    }
}

/// Records of every root, oldest first, with runs that died marked interrupted.
fn records(roots: &[(PathBuf, Tz)]) -> Result<Vec<(RunRecord, Tz, PathBuf)>, Failure> {
    let mut all = Vec::new();
    for (root, zone) in roots {
        let log = RunLog::new(root);
        recover(root, &log)?;
        for record in log.list().map_err(Failure::runtime)? {
            all.push((record, *zone, root.clone()));
        }
    }
    all.sort_by(|a, b| a.0.run_id.cmp(&b.0.run_id));
    Ok(all)
}

/// A `running` record whose pipeline lock is free belongs to a run that died: taking the lock
/// for an instant proves no run of that pipeline is alive.
fn recover(root: &Path, log: &RunLog) -> Result<(), Failure> {
    let mut pipelines: Vec<String> = log
        .list()
        .map_err(Failure::runtime)?
        .into_iter()
        .filter(|r| r.outcome == Outcome::Running)
        .map(|r| r.pipeline)
        .collect();
    pipelines.sort();
    pipelines.dedup();
    for pipeline in pipelines {
        if let Ok(Ok(_lock)) = PipelineLock::try_acquire(root, &pipeline, "runs") {
            log.recover_interrupted(&pipeline)
                .map_err(Failure::runtime)?;
        }
    }
    Ok(())
}

fn local(time: DateTime<Utc>, zone: Tz) -> String {
    time.with_timezone(&zone)
        .format("%Y-%m-%d %H:%M %Z")
        .to_string()
}

fn duration(record: &RunRecord) -> String {
    match record.finished_at {
        Some(end) => format!(
            "{:.1} s",
            (end - record.started_at).num_milliseconds() as f64 / 1000.0
        ),
        None => "-".into(),
    }
}

fn list(roots: &Roots, limit: usize) -> Result<(), Failure> {
    let all = records(&roots.resolve()?)?;
    if all.is_empty() {
        println!("No runs recorded yet.");
        return Ok(());
    }
    println!(
        "{:<22} {:<14} {:<9} {:<20} {:>8} {:<11} {:>6} {:>5} {:>5}",
        "RUN", "PIPELINE", "TRIGGER", "STARTED", "TIME", "OUTCOME", "ERRORS", "NEW", "FIXED"
    );
    for (record, zone, _) in all.iter().skip(all.len().saturating_sub(limit)) {
        let diffs: Vec<_> = record.returns.iter().filter_map(|r| r.diff).collect();
        let (new, fixed) = if diffs.is_empty() {
            ("-".to_string(), "-".to_string())
        } else {
            (
                diffs.iter().map(|d| d.new).sum::<usize>().to_string(),
                diffs.iter().map(|d| d.fixed).sum::<usize>().to_string(),
            )
        };
        let errors = if record.returns.is_empty() {
            "-".to_string()
        } else {
            record.errors().to_string()
        };
        println!(
            "{:<22} {:<14} {:<9} {:<20} {:>8} {:<11} {:>6} {:>5} {:>5}",
            record.run_id,
            record.pipeline,
            record.trigger.as_str(),
            local(record.started_at, *zone),
            duration(record),
            record.outcome.as_str(),
            errors,
            new,
            fixed
        );
    }
    println!("\n`csc-returns runs show RUN` shows one run in full.");
    Ok(())
}

fn show(id: &str, roots: &Roots) -> Result<(), Failure> {
    let all = records(&roots.resolve()?)?;
    let Some((record, zone, root)) = all.into_iter().find(|(r, _, _)| r.run_id == id) else {
        return Err(Failure::config(format!(
            "no run {id} in the run logs; `csc-returns runs` lists the runs"
        )));
    };
    print!("{}", describe(&record, zone, &root));
    Ok(())
}

/// A run in full, as `runs show` prints it.
pub fn describe(record: &RunRecord, zone: Tz, root: &Path) -> String {
    let mut out = String::new();
    writeln!(out, "Run {} of pipeline {}", record.run_id, record.pipeline).unwrap();
    if let Some(file) = &record.pipeline_file {
        writeln!(out, "  pipeline file: {file}").unwrap();
    }
    writeln!(out, "  trigger:  {}", record.trigger.as_str()).unwrap();
    writeln!(out, "  started:  {}", local(record.started_at, zone)).unwrap();
    if let Some(end) = record.finished_at {
        writeln!(
            out,
            "  finished: {} ({})",
            local(end, zone),
            duration(record)
        )
        .unwrap();
    }
    writeln!(
        out,
        "  outcome:  {}{}",
        record.outcome.as_str(),
        if record.forced { " (forced)" } else { "" }
    )
    .unwrap();
    if let Some(message) = &record.message {
        writeln!(out, "            {message}").unwrap();
    }
    for id in &record.found_interrupted {
        writeln!(out, "  found run {id} interrupted and marked it so").unwrap();
    }
    if !record.inputs.is_empty() {
        writeln!(out, "  inputs:").unwrap();
        for input in &record.inputs {
            writeln!(
                out,
                "    {} {} {} ({} bytes, sha256 {})",
                input.return_kind,
                match input.role {
                    Role::ThisYear => "this year",
                    Role::PreviousYear => "previous year",
                },
                input.path,
                input.size,
                input.sha256
            )
            .unwrap();
        }
    }
    for r in &record.returns {
        let year = r.year.map(|y| y.label()).unwrap_or_default();
        writeln!(out, "\n  {} {year}", r.return_kind).unwrap();
        if let Some(error) = &r.error {
            writeln!(out, "    FAILED: {error}").unwrap();
            continue;
        }
        if let Some(snapshot) = &r.snapshot_id {
            writeln!(
                out,
                "    snapshot {snapshot} under {}",
                root.join("snapshots").display()
            )
            .unwrap();
        }
        writeln!(
            out,
            "    {} files, {} rows; {} errors, {} queries, {} warnings",
            r.files, r.rows, r.issues.error, r.issues.query, r.issues.warning
        )
        .unwrap();
        if let Some(diff) = r.diff {
            let since = match &r.compared_with {
                Some(previous) => format!("since run {previous}"),
                None => "first run for the year".to_string(),
            };
            writeln!(
                out,
                "    changes {since}: {} new ({} errors), {} fixed, {} still open",
                diff.new, diff.new_errors, diff.fixed, diff.still_open
            )
            .unwrap();
        }
        if !r.rules.is_empty() {
            writeln!(
                out,
                "    {:<24} {:<8} {:>8}",
                "rule", "severity", "findings"
            )
            .unwrap();
            for rule in &r.rules {
                writeln!(
                    out,
                    "    {:<24} {:<8} {:>8}",
                    rule.rule_code,
                    rule.severity.as_str(),
                    rule.findings
                )
                .unwrap();
            }
        }
    }
    if let Some(notification) = &record.notification {
        writeln!(out, "\n  webhook: {notification}").unwrap();
    }
    out
}
