//! The manifest of a snapshot: everything needed to say what a snapshot is and where it came from
//! without opening its tables.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::issue::{Issue, Severity};
use crate::schema::ReturnKind;
use crate::source::{Role, SourceFile, SourceFormat};
use crate::year::CollectionYear;

/// Bumped when the snapshot layout or manifest changes incompatibly.
pub const FORMAT_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub format_version: u32,
    pub snapshot_id: String,
    pub run_id: String,
    pub pipeline: Option<String>,
    pub started_at: DateTime<Utc>,
    pub finished_at: DateTime<Utc>,
    pub tool_version: String,
    #[serde(rename = "return")]
    pub return_kind: ReturnKind,
    pub collection_year: CollectionYear,
    /// The responsible LA's ONS code, when the run was given one.
    pub la_code: Option<String>,
    pub schema_version: String,
    pub inputs: Vec<InputRecord>,
    /// The previous year's return the rules compared against, if any.
    pub previous_year: Option<PreviousYear>,
    /// The postcode directory release the derived placement fields (PL_LA, PL_LOCATION,
    /// PL_DISTANCE) came from; absent when none were derived.
    #[serde(default)]
    pub postcode_reference: Option<String>,
    /// Which DfE rules ran and which were skipped for lack of an input; absent in snapshots of
    /// returns without rules.
    #[serde(default)]
    pub rules: Option<RulesRun>,
    pub tables: Vec<TableRecord>,
    pub issues: IssueCounts,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InputRecord {
    pub path: String,
    pub role: Role,
    pub format: SourceFormat,
    pub size: u64,
    pub sha256: String,
    pub encoding: Option<String>,
}

impl From<&SourceFile> for InputRecord {
    fn from(file: &SourceFile) -> Self {
        InputRecord {
            path: file.path.display().to_string(),
            role: file.role,
            format: file.format,
            size: file.size,
            sha256: file.sha256.clone(),
            encoding: file.encoding.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PreviousYear {
    /// The snapshot it was read from, or `None` when it came from input files.
    pub snapshot_id: Option<String>,
    pub collection_year: CollectionYear,
    pub rows: usize,
}

/// The DfE rules of a run.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RulesRun {
    /// Number of rules that ran.
    pub ran: usize,
    /// Rules not run, with the inputs they lacked.
    pub skipped: Vec<SkippedRule>,
    /// Rules that failed internally (each also reported as a warning), with the reason.
    pub failed: Vec<FailedRule>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SkippedRule {
    pub code: String,
    /// What the rule needed and the run lacked (`prev_year`, `provider_lists`, ...).
    pub needs: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FailedRule {
    pub code: String,
    pub reason: String,
}

impl RulesRun {
    pub fn of(outcome: &crate::rules::engine::Outcome) -> Self {
        RulesRun {
            ran: outcome.ran.len(),
            skipped: outcome
                .skipped
                .iter()
                .map(|(code, needs)| SkippedRule {
                    code: code.to_string(),
                    needs: needs.iter().map(|n| n.as_str().to_string()).collect(),
                })
                .collect(),
            failed: outcome
                .failed
                .iter()
                .map(|(code, reason)| FailedRule {
                    code: code.to_string(),
                    reason: reason.clone(),
                })
                .collect(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TableRecord {
    pub name: String,
    pub snapshot_name: String,
    pub rows: usize,
    /// Path of the Parquet file, relative to the snapshot folder.
    pub file: String,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IssueCounts {
    pub error: usize,
    pub query: usize,
    pub warning: usize,
}

impl IssueCounts {
    /// Counts findings (not cells: the linked cells of one finding count once).
    pub fn of(issues: &[Issue]) -> Self {
        let mut counts = IssueCounts::default();
        let mut seen = std::collections::HashSet::new();
        for issue in issues {
            if !seen.insert(issue.finding_id) {
                continue;
            }
            match issue.severity {
                Severity::Error => counts.error += 1,
                Severity::Query => counts.query += 1,
                Severity::Warning => counts.warning += 1,
            }
        }
        counts
    }

    pub fn total(&self) -> usize {
        self.error + self.query + self.warning
    }

    /// A return with no errors left (queries and warnings allowed) gives validated figures.
    pub fn is_validated(&self) -> bool {
        self.error == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A manifest written before the postcode reference and rule lists were recorded.
    const OLDER: &str = r#"{
        "format_version": 1, "snapshot_id": "s", "run_id": "s", "pipeline": null,
        "started_at": "2025-11-24T02:00:00Z", "finished_at": "2025-11-24T02:00:01Z",
        "tool_version": "0.1.0", "return": "ssda903", "collection_year": 2025, "la_code": null,
        "schema_version": "2025.1", "inputs": [], "previous_year": null, "tables": [],
        "issues": {"error": 0, "query": 0, "warning": 0}
    }"#;

    #[test]
    fn older_manifests_still_read_and_unknown_fields_are_refused() {
        let manifest: Manifest = serde_json::from_str(OLDER).unwrap();
        assert_eq!(manifest.postcode_reference, None);
        assert_eq!(manifest.rules, None);
        let unknown = OLDER.replace("\"tables\"", "\"colour\": 1, \"tables\"");
        assert!(serde_json::from_str::<Manifest>(&unknown).is_err());
    }
}
