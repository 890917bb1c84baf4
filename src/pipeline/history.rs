//! The run log: one JSON file per run under `<output>/runs/`, named by run id so that listing the
//! folder lists runs in time order. A run writes its record as `running` before it reads anything
//! and rewrites it when it ends, each time atomically, so a record is never half-written. A run
//! killed outright (SIGKILL, power cut) leaves `running` behind; the next run of the pipeline,
//! which holds the pipeline lock and so knows no other run is alive, marks it `interrupted`.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::fsutil;
use crate::issue::{Issue, Severity};
use crate::issue_diff::DiffCounts;
use crate::schema::ReturnKind;
use crate::snapshot::manifest::IssueCounts;
use crate::source::Role;
use crate::year::CollectionYear;

const RUNS: &str = "runs";

/// Bumped when the record changes incompatibly.
pub const FORMAT_VERSION: u32 = 1;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Trigger {
    /// Started by a person (or a script) with `csc-returns run`.
    Manual,
    /// Started by `csc-returns schedule`, cron or a systemd timer.
    Scheduled,
}

impl Trigger {
    pub fn as_str(self) -> &'static str {
        match self {
            Trigger::Manual => "manual",
            Trigger::Scheduled => "scheduled",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Running,
    /// Every return was snapshotted (the data may still have errors: see the counts).
    Succeeded,
    /// At least one return could not be snapshotted.
    Failed,
    /// Not run: the inputs were unchanged, or another run of the pipeline was under way.
    Skipped,
    /// The process ended without finishing (killed, power cut); nothing it wrote was published.
    Interrupted,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Running => "running",
            Outcome::Succeeded => "succeeded",
            Outcome::Failed => "failed",
            Outcome::Skipped => "skipped",
            Outcome::Interrupted => "interrupted",
        }
    }
}

/// One input file as a run read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InputHash {
    #[serde(rename = "return")]
    pub return_kind: ReturnKind,
    pub role: Role,
    pub path: String,
    pub size: u64,
    pub sha256: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleCount {
    pub rule_code: String,
    pub severity: Severity,
    /// Findings (the linked cells of one finding count once).
    pub findings: usize,
}

/// Rule by rule counts of findings, most frequent first.
pub fn rule_counts(issues: &[Issue]) -> Vec<RuleCount> {
    let mut counts: std::collections::BTreeMap<(&str, Severity), std::collections::BTreeSet<u32>> =
        Default::default();
    for issue in issues {
        counts
            .entry((&issue.rule_code, issue.severity))
            .or_default()
            .insert(issue.finding_id);
    }
    let mut rules: Vec<RuleCount> = counts
        .into_iter()
        .map(|((code, severity), findings)| RuleCount {
            rule_code: code.to_string(),
            severity,
            findings: findings.len(),
        })
        .collect();
    rules.sort_by(|a, b| {
        (a.severity, std::cmp::Reverse(a.findings), &a.rule_code).cmp(&(
            b.severity,
            std::cmp::Reverse(b.findings),
            &b.rule_code,
        ))
    });
    rules
}

/// What one return of a run did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReturnRecord {
    #[serde(rename = "return")]
    pub return_kind: ReturnKind,
    pub year: Option<CollectionYear>,
    /// Why the return was not snapshotted; `None` when it was.
    pub error: Option<String>,
    pub snapshot_id: Option<String>,
    pub files: usize,
    pub rows: usize,
    pub issues: IssueCounts,
    pub rules: Vec<RuleCount>,
    /// The run the issue diff compared with, if there was one.
    pub compared_with: Option<String>,
    pub diff: Option<DiffCounts>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunRecord {
    pub format_version: u32,
    pub run_id: String,
    pub pipeline: String,
    /// The pipeline file, when the run had one.
    pub pipeline_file: Option<String>,
    pub trigger: Trigger,
    /// The process that ran it, for telling a live run from a dead one.
    pub pid: u32,
    pub started_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    pub outcome: Outcome,
    /// Why the run was skipped, failed or interrupted.
    pub message: Option<String>,
    /// Run even though the inputs were unchanged.
    pub forced: bool,
    /// One hash over the inputs, the pipeline file and the tool version: equal fingerprints mean
    /// a run would produce the same snapshot.
    pub fingerprint: Option<String>,
    pub inputs: Vec<InputHash>,
    pub returns: Vec<ReturnRecord>,
    /// Earlier runs of the pipeline this run found dead and marked interrupted.
    #[serde(default)]
    pub found_interrupted: Vec<String>,
    /// What happened to the webhook notification, if one was due.
    pub notification: Option<String>,
}

impl RunRecord {
    pub fn start(
        run_id: &str,
        pipeline: &str,
        pipeline_file: Option<&Path>,
        trigger: Trigger,
        forced: bool,
    ) -> Self {
        RunRecord {
            format_version: FORMAT_VERSION,
            run_id: run_id.to_string(),
            pipeline: pipeline.to_string(),
            pipeline_file: pipeline_file.map(|p| p.display().to_string()),
            trigger,
            pid: std::process::id(),
            started_at: Utc::now(),
            finished_at: None,
            outcome: Outcome::Running,
            message: None,
            forced,
            fingerprint: None,
            inputs: Vec::new(),
            returns: Vec::new(),
            found_interrupted: Vec::new(),
            notification: None,
        }
    }

    /// Ends the record with an outcome.
    pub fn finish(&mut self, outcome: Outcome, message: Option<String>) {
        self.outcome = outcome;
        self.message = message;
        self.finished_at = Some(Utc::now());
    }

    pub fn errors(&self) -> usize {
        self.returns.iter().map(|r| r.issues.error).sum()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    #[error("{context}: {source}")]
    Io {
        context: String,
        source: std::io::Error,
    },
    #[error("run record {path} is not valid: {message}")]
    Invalid { path: PathBuf, message: String },
}

/// The run records under one output root.
#[derive(Debug, Clone)]
pub struct RunLog {
    dir: PathBuf,
}

impl RunLog {
    pub fn new(root: &Path) -> Self {
        RunLog {
            dir: root.join(RUNS),
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn path(&self, run_id: &str) -> PathBuf {
        self.dir.join(format!("{run_id}.json"))
    }

    /// Writes (or rewrites) a record atomically.
    pub fn write(&self, record: &RunRecord) -> Result<(), HistoryError> {
        fsutil::create_private_dir_all(&self.dir).map_err(|source| HistoryError::Io {
            context: format!("creating {}", self.dir.display()),
            source,
        })?;
        let path = self.path(&record.run_id);
        let json = serde_json::to_vec_pretty(record).expect("run records serialise");
        fsutil::write_atomic(&path, &json).map_err(|source| HistoryError::Io {
            context: format!("writing {}", path.display()),
            source,
        })
    }

    pub fn read(&self, run_id: &str) -> Result<Option<RunRecord>, HistoryError> {
        let path = self.path(run_id);
        match std::fs::read(&path) {
            Ok(bytes) => parse(&path, &bytes).map(Some),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(source) => Err(HistoryError::Io {
                context: format!("reading {}", path.display()),
                source,
            }),
        }
    }

    /// Every record, oldest first.
    pub fn list(&self) -> Result<Vec<RunRecord>, HistoryError> {
        let entries = match std::fs::read_dir(&self.dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(source) => {
                return Err(HistoryError::Io {
                    context: format!("listing {}", self.dir.display()),
                    source,
                });
            }
        };
        let paths: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.extension().is_some_and(|e| e == "json")
                    && !p
                        .file_name()
                        .is_some_and(|n| n.to_string_lossy().starts_with('.'))
            })
            .collect();
        let mut records = Vec::with_capacity(paths.len());
        for path in &paths {
            let bytes = std::fs::read(path).map_err(|source| HistoryError::Io {
                context: format!("reading {}", path.display()),
                source,
            })?;
            // Records are written atomically, so a bad one was edited by hand: it must not stop
            // the nightly runs, which read the log to skip unchanged inputs.
            match parse(path, &bytes) {
                Ok(record) => records.push(record),
                Err(e) => eprintln!(
                    "csc-returns: ignoring {e}; move the file out of {} if it was edited by hand",
                    self.dir.display()
                ),
            }
        }
        // Run ids sort by the second only; the start time orders runs within one second.
        records.sort_by(|a, b| (a.started_at, &a.run_id).cmp(&(b.started_at, &b.run_id)));
        Ok(records)
    }

    /// The newest run of `pipeline` that succeeded.
    pub fn last_succeeded(&self, pipeline: &str) -> Result<Option<RunRecord>, HistoryError> {
        Ok(self
            .list()?
            .into_iter()
            .rev()
            .find(|r| r.pipeline == pipeline && r.outcome == Outcome::Succeeded))
    }

    /// Marks the `running` records of `pipeline` as interrupted. Only call this while holding the
    /// pipeline's lock: then no run of it is alive, whatever the records say. Returns the ids.
    pub fn recover_interrupted(&self, pipeline: &str) -> Result<Vec<String>, HistoryError> {
        let mut recovered = Vec::new();
        for mut record in self.list()? {
            if record.pipeline != pipeline || record.outcome != Outcome::Running {
                continue;
            }
            let message = format!(
                "process {} ended without finishing (killed, crashed or the server stopped); \
                 found at {}. Nothing it wrote was published: the previous snapshot stayed current",
                record.pid,
                Utc::now().format("%Y-%m-%d %H:%M:%S UTC")
            );
            record.outcome = Outcome::Interrupted;
            record.message = Some(message);
            self.write(&record)?;
            recovered.push(record.run_id);
        }
        Ok(recovered)
    }
}

fn parse(path: &Path, bytes: &[u8]) -> Result<RunRecord, HistoryError> {
    serde_json::from_slice(bytes).map_err(|e| HistoryError::Invalid {
        path: path.to_path_buf(),
        message: e.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_round_trip_in_time_order_and_running_ones_become_interrupted() {
        let dir = tempfile::tempdir().unwrap();
        let log = RunLog::new(dir.path());
        let mut first = RunRecord::start(
            "20260101T013000Z-aaaa",
            "demo",
            None,
            Trigger::Scheduled,
            false,
        );
        first.finish(Outcome::Succeeded, None);
        log.write(&first).unwrap();
        let second = RunRecord::start(
            "20260102T013000Z-bbbb",
            "demo",
            None,
            Trigger::Manual,
            false,
        );
        log.write(&second).unwrap();
        let other = RunRecord::start(
            "20260102T013000Z-cccc",
            "other",
            None,
            Trigger::Manual,
            false,
        );
        log.write(&other).unwrap();

        let ids: Vec<String> = log.list().unwrap().into_iter().map(|r| r.run_id).collect();
        assert_eq!(
            ids,
            [
                first.run_id.clone(),
                second.run_id.clone(),
                other.run_id.clone()
            ]
        );
        assert_eq!(log.last_succeeded("demo").unwrap().unwrap(), first);
        assert_eq!(log.last_succeeded("other").unwrap(), None);

        assert_eq!(
            log.recover_interrupted("demo").unwrap(),
            [second.run_id.as_str()]
        );
        let recovered = log.read(&second.run_id).unwrap().unwrap();
        assert_eq!(recovered.outcome, Outcome::Interrupted);
        assert!(
            recovered
                .message
                .unwrap()
                .contains("ended without finishing")
        );
        assert_eq!(
            log.read(&other.run_id).unwrap().unwrap().outcome,
            Outcome::Running,
            "another pipeline's records are its own lock holder's business"
        );
    }
}
