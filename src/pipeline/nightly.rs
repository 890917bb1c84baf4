//! A run as the night sees it, around the executor in `run.rs`: take the pipeline's lock (or wait
//! for it, or record the run as skipped), mark runs that died as interrupted, record this run as
//! running, fetch and hash the inputs, skip the run when they are unchanged since the last
//! successful run, run, record the outcome, and notify.

use std::path::{Path, PathBuf};

use chrono::Utc;

use crate::ingest::fetch::{self, FetchError, SourceSpec};
use crate::ingest::sources;
use crate::pipeline::config::{PipelineConfig, ReturnConfig};
use crate::pipeline::history::{
    HistoryError, InputHash, Outcome, ReturnRecord, RunLog, RunRecord, Trigger,
};
use crate::pipeline::lock::PipelineLock;
use crate::pipeline::run::{self, RunError, RunOutcome, RunPlan};
use crate::snapshot;
use crate::source::{Role, hash_file, sha256_hex};

const SCRATCH: &str = ".tmp";

#[derive(Debug, Clone)]
pub struct Options {
    pub trigger: Trigger,
    /// Run even when the inputs are unchanged.
    pub force: bool,
    /// Wait for another run of the pipeline to finish instead of skipping.
    pub wait: bool,
    /// The pipeline file, hashed into the fingerprint so that an edited pipeline runs again.
    pub pipeline_file: Option<PathBuf>,
}

/// How a run ended.
#[derive(Debug)]
pub enum Nightly {
    /// Not run: another run of the pipeline held the lock.
    Busy(RunRecord),
    /// Not run: the inputs were the same as at `last`, whose snapshots are still current.
    Unchanged { record: RunRecord, last: RunRecord },
    Ran {
        record: RunRecord,
        outcome: RunOutcome,
    },
}

impl Nightly {
    pub fn record(&self) -> &RunRecord {
        match self {
            Nightly::Busy(record)
            | Nightly::Unchanged { record, .. }
            | Nightly::Ran { record, .. } => record,
        }
    }
}

/// What the run proper did, under the lock.
enum Locked {
    Unchanged(RunRecord),
    Ran(RunOutcome),
}

fn history_fault(error: HistoryError) -> RunError {
    RunError::Fault(format!("the run log could not be written: {error}"))
}

/// Runs a pipeline with its lock, run log, change detection and notification. `progress` hears
/// what the run is waiting for or retrying.
pub fn run_pipeline(
    config: &PipelineConfig,
    options: &Options,
    mut progress: impl FnMut(&str),
) -> Result<Nightly, RunError> {
    let root = config.output_root();
    let log = RunLog::new(&root);
    let run_id = snapshot::new_run_id();
    let lock_fault = |e: std::io::Error| {
        RunError::Fault(format!(
            "cannot lock the pipeline under {}: {e}",
            root.display()
        ))
    };
    let _lock = match PipelineLock::try_acquire(&root, &config.name, &run_id).map_err(lock_fault)? {
        Ok(lock) => lock,
        Err(busy) if options.wait => {
            progress(&format!(
                "another run of {} is under way ({}); waiting for it to finish",
                config.name, busy.holder
            ));
            PipelineLock::acquire_waiting(&root, &config.name, &run_id, |_| {})
                .map_err(lock_fault)?
        }
        Err(busy) => {
            let mut record = start_record(config, options, &run_id);
            record.finish(
                Outcome::Skipped,
                Some(format!(
                    "another run of {} is under way ({}), so this one was skipped; use --wait to \
                     wait for it instead",
                    config.name, busy.holder
                )),
            );
            log.write(&record).map_err(history_fault)?;
            return Ok(Nightly::Busy(record));
        }
    };
    let mut record = start_record(config, options, &run_id);
    record.found_interrupted = log
        .recover_interrupted(&config.name)
        .map_err(history_fault)?;
    log.write(&record).map_err(history_fault)?;

    let result = run_locked(config, options, &log, &mut record, &mut progress);
    if let Err(error) = &result {
        record.finish(Outcome::Failed, Some(error.to_string()));
    }
    notify(config, &mut record, &mut progress);
    log.write(&record).map_err(history_fault)?;
    result.map(|locked| match locked {
        Locked::Ran(outcome) => Nightly::Ran { record, outcome },
        Locked::Unchanged(last) => Nightly::Unchanged { record, last },
    })
}

fn start_record(config: &PipelineConfig, options: &Options, run_id: &str) -> RunRecord {
    RunRecord::start(
        run_id,
        &config.name,
        options.pipeline_file.as_deref(),
        options.trigger,
        options.force,
    )
}

/// The run proper, under the lock.
fn run_locked(
    config: &PipelineConfig,
    options: &Options,
    log: &RunLog,
    record: &mut RunRecord,
    progress: &mut impl FnMut(&str),
) -> Result<Locked, RunError> {
    let root = config.output_root();
    let scratch =
        root.join(SCRATCH)
            .join(format!("fetch-{}-{}", record.run_id, std::process::id()));
    let inputs: Vec<Result<Vec<PathBuf>, RunError>> = config
        .returns
        .iter()
        .map(|spec| resolve(config, spec, &scratch, progress))
        .collect();
    let _ = std::fs::remove_dir_all(&scratch);

    record.inputs = hash_inputs(config, &inputs);
    record.fingerprint = inputs
        .iter()
        .all(Result::is_ok)
        .then(|| fingerprint(options.pipeline_file.as_deref(), &record.inputs));
    if !options.force
        && let Some(fingerprint) = &record.fingerprint
        && let Some(last) = log.last_succeeded(&config.name).map_err(history_fault)?
        && last.fingerprint.as_ref() == Some(fingerprint)
    {
        record.finish(
            Outcome::Skipped,
            Some(format!(
                "the inputs are unchanged since run {} ({}); its snapshots are still current. Use \
                 --force to run anyway",
                last.run_id,
                last.started_at
                    .with_timezone(&config.time_zone())
                    .format("%Y-%m-%d %H:%M %Z")
            )),
        );
        return Ok(Locked::Unchanged(last));
    }

    let plan = RunPlan {
        run_id: record.run_id.clone(),
        started_at: record.started_at,
        inputs,
    };
    let outcome = run::run(config, plan)?;
    record.returns = outcome
        .returns
        .iter()
        .zip(&config.returns)
        .map(|(r, spec)| match &r.result {
            Ok(s) => ReturnRecord {
                return_kind: r.return_kind,
                year: Some(s.year),
                error: None,
                snapshot_id: Some(s.snapshot.id.clone()),
                files: s.files,
                rows: s.rows.iter().map(|(_, n)| n).sum(),
                issues: s.issues,
                rules: s.rules.clone(),
                compared_with: s.diff.compared_with.clone(),
                diff: Some(s.diff.counts),
            },
            Err(e) => ReturnRecord {
                return_kind: r.return_kind,
                year: spec.year,
                error: Some(e.to_string()),
                snapshot_id: None,
                files: 0,
                rows: 0,
                issues: Default::default(),
                rules: Vec::new(),
                compared_with: None,
                diff: None,
            },
        })
        .collect();
    let failed = outcome.returns.iter().filter(|r| r.result.is_err()).count();
    if failed == 0 {
        record.finish(Outcome::Succeeded, None);
    } else {
        record.finish(
            Outcome::Failed,
            Some(format!(
                "{failed} of {} returns failed",
                outcome.returns.len()
            )),
        );
    }
    Ok(Locked::Ran(outcome))
}

/// The files of a return: local paths expanded, URLs downloaded.
fn resolve(
    config: &PipelineConfig,
    spec: &ReturnConfig,
    scratch: &Path,
    progress: &mut impl FnMut(&str),
) -> Result<Vec<PathBuf>, RunError> {
    let mut files = Vec::new();
    let folder = match spec.year {
        Some(year) => format!("{}-{year}", spec.return_kind),
        None => spec.return_kind.to_string(),
    };
    for source in &spec.sources {
        match source {
            SourceSpec::Local(path) => {
                files.extend(sources::expand(std::slice::from_ref(path), &config.base)?)
            }
            SourceSpec::Url(url) => {
                let target = fetch::download_dir(&config.output_root(), &config.name, &folder)
                    .join(url.file_name());
                fetch::fetch(url, &target, scratch, &mut *progress).map_err(|e| match e {
                    FetchError::Config(m) => RunError::Config(m),
                    FetchError::Fault(m) => RunError::Fault(m),
                })?;
                files.push(target);
            }
        }
    }
    files.dedup();
    Ok(files)
}

/// Hashes every input the run will read: this year's resolved files and last year's.
fn hash_inputs(
    config: &PipelineConfig,
    inputs: &[Result<Vec<PathBuf>, RunError>],
) -> Vec<InputHash> {
    let mut hashes = Vec::new();
    for (spec, files) in config.returns.iter().zip(inputs) {
        let this_year = files.as_ref().map(|f| f.as_slice()).unwrap_or_default();
        let previous = sources::expand(&spec.previous_year, &config.base).unwrap_or_default();
        for (role, paths) in [
            (Role::ThisYear, this_year),
            (Role::PreviousYear, &previous[..]),
        ] {
            for path in paths {
                // An unreadable file is reported by the load; it has no hash to compare.
                let Ok((size, sha256)) = hash_file(path) else {
                    continue;
                };
                hashes.push(InputHash {
                    return_kind: spec.return_kind,
                    role,
                    path: path.display().to_string(),
                    size,
                    sha256,
                });
            }
        }
    }
    hashes
}

/// One hash over what decides a run's result: the inputs, the pipeline file and the tool version.
fn fingerprint(pipeline_file: Option<&Path>, inputs: &[InputHash]) -> String {
    let mut text = format!("csc-returns {}\n", env!("CARGO_PKG_VERSION"));
    if let Some(bytes) = pipeline_file.and_then(|p| std::fs::read(p).ok()) {
        text.push_str(&format!("pipeline {}\n", sha256_hex(&bytes)));
    }
    for input in inputs {
        text.push_str(&format!(
            "{} {:?} {} {}\n",
            input.return_kind, input.role, input.path, input.sha256
        ));
    }
    sha256_hex(text.as_bytes())
}

/// Posts the webhook notice if the run calls for one, and notes the result in the record.
fn notify(config: &PipelineConfig, record: &mut RunRecord, progress: &mut impl FnMut(&str)) {
    let Some(notify) = &config.notify else {
        return;
    };
    if record.outcome == Outcome::Skipped {
        return;
    }
    let failed = record.outcome == Outcome::Failed || !record.found_interrupted.is_empty();
    let new_errors: usize = record
        .returns
        .iter()
        .filter_map(|r| r.diff)
        .map(|d| d.new_errors)
        .sum();
    let events = notify.webhook.due(failed, new_errors);
    if events.is_empty() {
        return;
    }
    let text = notice_text(record, new_errors);
    let result = notify.webhook.send(&events, &text, record);
    let at = Utc::now().format("%Y-%m-%d %H:%M:%S UTC");
    record.notification = Some(match result {
        Ok(()) => format!("sent at {at}"),
        Err(e) => {
            progress(&format!("the webhook notification failed: {e}"));
            format!("failed at {at}: {e}")
        }
    });
}

fn notice_text(record: &RunRecord, new_errors: usize) -> String {
    let mut text = format!(
        "csc-returns: run {} of {} {}",
        record.run_id,
        record.pipeline,
        record.outcome.as_str()
    );
    if let Some(message) = &record.message {
        text.push_str(&format!(": {message}"));
    }
    let errors = record.errors();
    text.push_str(&format!(
        ". {errors} errors, {new_errors} new since the previous run."
    ));
    if !record.found_interrupted.is_empty() {
        text.push_str(&format!(
            " Earlier run(s) {} were interrupted.",
            record.found_interrupted.join(", ")
        ));
    }
    text
}
