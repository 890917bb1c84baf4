//! Pipeline files: what one nightly run reads, for which LA and year, and where it writes. Checked
//! once at load; every error names the file, the option and the bad value.
//!
//! ```yaml
//! name: demo
//! la:
//!   code: E08000035      # ONS code of the responsible (upper-tier) LA
//!   number: "383"        # DfE three-digit LA number
//! output: ../out/demo     # relative paths are relative to this file
//! returns:
//!   - return: ssda903
//!     year: 2026           # optional: else from file or folder names
//!     sources: [../data/demo/ssda903/2025-26]
//!     previous_year: [../data/demo/ssda903/2024-25]   # optional
//!   - return: cin
//!     sources: [../data/demo/cin/cin_2025-26.xml]
//! schedule: {cron: "30 1 * * *"}  # optional: for `csc-returns schedule` (see schedule.rs)
//! notify:                          # optional: see notify.rs
//!   webhook: {url_env: CSC_RETURNS_WEBHOOK_URL}
//! ```
//!
//! A source may also be a URL, fetched at the start of each run (see `ingest/fetch.rs`).

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::ingest::fetch::SourceSpec;
use crate::pipeline::notify::NotifyConfig;
use crate::pipeline::schedule::Schedule;
use crate::schema::ReturnKind;
use crate::year::CollectionYear;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PipelineConfig {
    /// Names the pipeline in run logs and snapshot manifests.
    pub name: String,
    /// The responsible LA. Required in pipeline files; ad hoc validation may omit it, and the
    /// rules that need it are then skipped.
    #[serde(default)]
    pub la: Option<LaConfig>,
    /// Output root for snapshots, reports and run logs.
    pub output: PathBuf,
    pub returns: Vec<ReturnConfig>,
    /// Folder of schema YAML files replacing the built-in ones (`<dir>/ssda903/2026.yaml`).
    #[serde(default)]
    pub schemas: Option<PathBuf>,
    /// When `csc-returns schedule` runs the pipeline.
    #[serde(default)]
    pub schedule: Option<Schedule>,
    /// Who hears about failed runs and new errors.
    #[serde(default)]
    pub notify: Option<NotifyConfig>,
    /// Folder the pipeline file is in; relative paths are resolved against it.
    #[serde(skip)]
    pub base: PathBuf,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LaConfig {
    /// ONS code of the responsible upper-tier LA (E06…, E08…, E09…, E10…).
    pub code: String,
    /// DfE three-digit LA number.
    #[serde(default)]
    pub number: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
}

impl LaConfig {
    fn check(&self) -> Result<(), String> {
        let code = &self.code;
        let well_formed = code.len() == 9
            && code.starts_with('E')
            && code[1..].bytes().all(|b| b.is_ascii_digit());
        if !well_formed {
            return Err(format!(
                "`la.code` {code:?} is not an ONS LA code like E08000035 (E, then eight digits)"
            ));
        }
        if let Some(number) = &self.number
            && !(number.len() == 3 && number.bytes().all(|b| b.is_ascii_digit()))
        {
            return Err(format!(
                "`la.number` {number:?} is not a DfE three-digit LA number like \"383\""
            ));
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReturnConfig {
    #[serde(rename = "return")]
    pub return_kind: ReturnKind,
    #[serde(default)]
    pub year: Option<CollectionYear>,
    /// Files, folders, glob patterns or URLs of this year's return.
    pub sources: Vec<SourceSpec>,
    /// The previous year's return, when it is not already a snapshot in the output root.
    #[serde(default)]
    pub previous_year: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read pipeline file {0}: {1}")]
    Read(PathBuf, std::io::Error),
    #[error("pipeline file {0}: {1}")]
    Invalid(PathBuf, String),
}

impl PipelineConfig {
    pub fn load(path: &Path) -> Result<Self, ConfigError> {
        let text =
            std::fs::read_to_string(path).map_err(|e| ConfigError::Read(path.to_path_buf(), e))?;
        let mut config: PipelineConfig = serde_saphyr::from_str(&text)
            .map_err(|e| ConfigError::Invalid(path.to_path_buf(), e.to_string()))?;
        let folder = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        config.base =
            std::path::absolute(folder).map_err(|e| ConfigError::Read(path.to_path_buf(), e))?;
        config
            .check()
            .map_err(|message| ConfigError::Invalid(path.to_path_buf(), message))?;
        Ok(config)
    }

    fn check(&self) -> Result<(), String> {
        if self.name.trim().is_empty() || self.name.contains(['/', '\\']) {
            return Err(format!(
                "`name` {:?} must be a non-empty name without slashes",
                self.name
            ));
        }
        let Some(la) = &self.la else {
            return Err(
                "`la` is missing: give the LA's ONS code (la.code) and DfE number (la.number)"
                    .into(),
            );
        };
        la.check()?;
        if self.returns.is_empty() {
            return Err(
                "`returns` is empty: list at least one return (ssda903 or cin) with its sources"
                    .into(),
            );
        }
        for (i, r) in self.returns.iter().enumerate() {
            if r.sources.is_empty() {
                return Err(format!(
                    "`returns[{i}].sources` is empty: give the {} files, folders or patterns",
                    r.return_kind
                ));
            }
            let mut downloads: Vec<String> = Vec::new();
            for source in &r.sources {
                if let SourceSpec::Url(url) = source {
                    let name = url.file_name();
                    if downloads.contains(&name) {
                        return Err(format!(
                            "`returns[{i}].sources`: two URLs would both be saved as {name:?}; set \
                             `file:` on one of them"
                        ));
                    }
                    downloads.push(name);
                }
            }
            if r.return_kind == ReturnKind::Cin && !r.previous_year.is_empty() {
                return Err(format!(
                    "`returns[{i}].previous_year`: the CIN census has no previous-year rules; remove it"
                ));
            }
        }
        for (i, a) in self.returns.iter().enumerate() {
            if self.returns[..i]
                .iter()
                .any(|b| b.return_kind == a.return_kind && b.year == a.year)
            {
                return Err(format!(
                    "`returns[{i}]`: {} is listed twice for the same year",
                    a.return_kind
                ));
            }
        }
        if let Some(notify) = &self.notify {
            notify.check()?;
        }
        Ok(())
    }

    /// A pipeline built in code (ad hoc validation), checked like a file.
    pub fn ad_hoc(
        la: Option<LaConfig>,
        output: PathBuf,
        returns: Vec<ReturnConfig>,
    ) -> Result<Self, String> {
        let config = PipelineConfig {
            name: "ad-hoc".into(),
            la,
            output,
            returns,
            schemas: None,
            schedule: None,
            notify: None,
            base: std::env::current_dir()
                .map_err(|e| format!("cannot read the current folder: {e}"))?,
        };
        if let Some(la) = &config.la {
            la.check()?;
        }
        Ok(config)
    }

    /// The output root, resolved against the pipeline file's folder.
    pub fn output_root(&self) -> PathBuf {
        crate::fsutil::tidy(&self.base.join(&self.output))
    }

    pub fn schema_dir(&self) -> Option<PathBuf> {
        self.schemas
            .as_ref()
            .map(|dir| crate::fsutil::tidy(&self.base.join(dir)))
    }

    /// The time zone of the pipeline's schedule: the one its dates (first seen, nights open) are
    /// counted in.
    pub fn time_zone(&self) -> chrono_tz::Tz {
        self.schedule
            .as_ref()
            .map_or(chrono_tz::Europe::London, Schedule::time_zone)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "name: demo\nla: {code: E08000035, number: \"383\"}\noutput: out\nreturns:\n  - return: ssda903\n    year: 2026\n    sources: [data/2025-26]\n";

    fn load(text: &str) -> Result<PipelineConfig, ConfigError> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.yaml");
        std::fs::write(&path, text).unwrap();
        PipelineConfig::load(&path)
    }

    #[test]
    fn a_good_pipeline_loads_with_paths_relative_to_it() {
        let config = load(GOOD).unwrap();
        assert_eq!(
            config.returns[0].year,
            Some(CollectionYear::new(2026).unwrap())
        );
        assert!(config.output_root().ends_with("out"));
        assert!(config.output_root().is_absolute());
    }

    #[test]
    fn a_schedule_defaults_to_london_time() {
        let config = load(&format!("{GOOD}schedule:\n  cron: \"30 1 * * *\"\n")).unwrap();
        let schedule = config.schedule.unwrap();
        assert_eq!(schedule.expression(), "30 1 * * *");
        assert_eq!(schedule.time_zone(), chrono_tz::Europe::London);
    }

    #[test]
    fn errors_name_the_option_and_value() {
        let cases = [
            (GOOD.replace("E08000035", "Leeds"), "la.code"),
            (GOOD.replace("\"383\"", "\"38\""), "la.number"),
            (
                GOOD.replace("output: out", "output: out\ncolour: red"),
                "colour",
            ),
            (GOOD.replace("return: ssda903", "return: lac2"), "lac2"),
            (GOOD.replace("year: 2026", "year: 1999"), "1999"),
            (GOOD.replace("[data/2025-26]", "[]"), "returns[0].sources"),
            (
                format!("{GOOD}schedule: {{cron: \"30 25 * * *\"}}\n"),
                "hour 25 is out of range",
            ),
            (
                format!("{GOOD}schedule: {{cron: \"30 1 * * *\", tz: UTC}}\n"),
                "tz",
            ),
            (
                format!("{GOOD}notify: {{webhook: {{}}}}\n"),
                "`notify.webhook`: give either `url` or `url_env`",
            ),
            (
                format!("{GOOD}notify: {{webhook: {{url_env: HOOK, on: [sometimes]}}}}\n"),
                "sometimes",
            ),
            (
                GOOD.replace(
                    "[data/2025-26]",
                    "[\"https://c.example/a/e.csv\", \"https://c.example/b/e.csv\"]",
                ),
                "both be saved as \"e.csv\"",
            ),
        ];
        for (text, expected) in cases {
            let err = load(&text).unwrap_err().to_string();
            assert!(
                err.contains(expected) && err.contains("p.yaml"),
                "{expected}: {err}"
            );
        }
    }
}
