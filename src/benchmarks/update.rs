//! `csc-returns benchmarks update`: fetches newer editions of the published tables and stores them
//! beside the shipped ones, never overwriting an edition.
//!
//! What to fetch is configured in YAML (sources are public statistics, so no secrets are involved):
//!
//! ```yaml
//! api: https://api.education.gov.uk/statistics   # the EES public API (default)
//! tables:
//!   - table: cin_c1                                 # a table id (see data/benchmarks/README.md)
//!     data_set: 342f9a01-26f0-2a71-91a1-f8bc0bee8b11  # an EES API data set: its whole CSV
//!   - table: cla_rates
//!     url: https://example.org/cla_rates.csv         # or a CSV (or gzip CSV) download
//! ```
//!
//! A data set's version and publication date come from `GET {api}/v1/data-sets/{id}`, its rows
//! from `GET {api}/v1/data-sets/{id}/csv`. Every download is checked before it is stored: it must
//! have the table's columns and readable years. An edition identical to a stored one is not stored
//! again.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::Utc;
use serde::Deserialize;
use sha2::Digest;

use super::BenchmarkError;
use super::tables::{
    DATA_FILE, EDITION_FILE, Edition, TABLES, TableSpec, edition_folder, parse_table,
    shipped_edition, stored_editions,
};
use crate::fsutil;

const DEFAULT_API: &str = "https://api.education.gov.uk/statistics";

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UpdateConfig {
    /// Base URL of the EES API.
    #[serde(default = "default_api")]
    pub api: String,
    pub tables: Vec<TableSource>,
}

fn default_api() -> String {
    DEFAULT_API.to_string()
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TableSource {
    /// Which published table this is an edition of.
    pub table: String,
    /// An EES API data set id.
    #[serde(default)]
    pub data_set: Option<String>,
    /// A CSV download URL.
    #[serde(default)]
    pub url: Option<String>,
}

impl UpdateConfig {
    pub fn load(path: &Path) -> Result<Self, BenchmarkError> {
        let text = std::fs::read_to_string(path).map_err(|source| BenchmarkError::Io {
            context: format!("reading {}", path.display()),
            source,
        })?;
        let config: UpdateConfig = serde_saphyr::from_str(&text)
            .map_err(|e| BenchmarkError::Config(format!("{}: {e}", path.display())))?;
        config
            .check()
            .map_err(|m| BenchmarkError::Config(format!("{}: {m}", path.display())))?;
        Ok(config)
    }

    fn check(&self) -> Result<(), String> {
        if self.tables.is_empty() {
            return Err("`tables` is empty: list the tables to fetch".into());
        }
        for (i, source) in self.tables.iter().enumerate() {
            if TableSpec::find(&source.table).is_none() {
                let known: Vec<&str> = TABLES.iter().map(|t| t.id).collect();
                return Err(format!(
                    "`tables[{i}].table` {:?} is not a published table csc-returns reads (one of {})",
                    source.table,
                    known.join(", ")
                ));
            }
            if source.data_set.is_some() == source.url.is_some() {
                return Err(format!(
                    "`tables[{i}]` ({}): give exactly one of `data_set` (an EES API data set id) or `url` (a CSV download)",
                    source.table
                ));
            }
        }
        Ok(())
    }
}

/// What happened to one configured table.
#[derive(Debug)]
pub enum Outcome {
    Stored(Edition),
    /// The download is identical to this stored edition.
    Unchanged(Edition),
    Failed {
        table: String,
        error: String,
    },
}

/// Fetches every configured table and stores the new editions under `dir`.
pub fn update(config: &UpdateConfig, dir: &Path) -> Vec<Outcome> {
    let client = match reqwest::blocking::Client::builder()
        .timeout(Duration::from_secs(120))
        .user_agent(concat!("csc-returns/", env!("CARGO_PKG_VERSION")))
        .build()
    {
        Ok(client) => client,
        Err(e) => {
            return config
                .tables
                .iter()
                .map(|s| Outcome::Failed {
                    table: s.table.clone(),
                    error: format!("cannot start an HTTP client: {e}"),
                })
                .collect();
        }
    };
    config
        .tables
        .iter()
        .map(|source| {
            fetch_one(&client, config, source, dir).unwrap_or_else(|e| Outcome::Failed {
                table: source.table.clone(),
                error: e.to_string(),
            })
        })
        .collect()
}

fn get(client: &reqwest::blocking::Client, url: &str) -> Result<Vec<u8>, BenchmarkError> {
    let fetch = |e: reqwest::Error| BenchmarkError::Fetch(format!("GET {url}: {e}"));
    let response = client.get(url).send().map_err(fetch)?;
    let status = response.status();
    let body = response.bytes().map_err(fetch)?;
    if !status.is_success() {
        let text = String::from_utf8_lossy(&body);
        let excerpt: String = text.chars().take(300).collect();
        return Err(BenchmarkError::Fetch(format!(
            "GET {url}: HTTP {status}: {excerpt}"
        )));
    }
    Ok(body.to_vec())
}

/// The body as text, decompressed when it is gzip (the EES CSV endpoint sends gzip).
fn csv_text(body: Vec<u8>, url: &str) -> Result<String, BenchmarkError> {
    let bytes = if body.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(body.as_slice())
            .read_to_end(&mut out)
            .map_err(|e| BenchmarkError::Fetch(format!("{url}: not valid gzip: {e}")))?;
        out
    } else {
        body
    };
    String::from_utf8(bytes)
        .map_err(|_| BenchmarkError::Fetch(format!("{url}: the CSV is not UTF-8 text")))
}

fn fetch_one(
    client: &reqwest::blocking::Client,
    config: &UpdateConfig,
    source: &TableSource,
    dir: &Path,
) -> Result<Outcome, BenchmarkError> {
    let spec = TableSpec::find(&source.table).expect("checked at load");
    let api = config.api.trim_end_matches('/');
    let (url, description, version, published) = match (&source.data_set, &source.url) {
        (Some(id), _) => {
            let meta_url = format!("{api}/v1/data-sets/{id}");
            let meta: serde_json::Value = serde_json::from_slice(&get(client, &meta_url)?)
                .map_err(|e| BenchmarkError::Fetch(format!("{meta_url}: not JSON: {e}")))?;
            let latest = &meta["latestVersion"];
            let version = latest["version"].as_str().map(str::to_string);
            let published = latest["published"].as_str().map(str::to_string);
            let title = meta["title"].as_str().unwrap_or(id.as_str()).to_string();
            (
                format!("{api}/v1/data-sets/{id}/csv"),
                format!("EES data set {id}: {title}"),
                version,
                published,
            )
        }
        (None, Some(url)) => (url.clone(), format!("CSV download {url}"), None, None),
        (None, None) => unreachable!("checked at load"),
    };
    let text = csv_text(get(client, &url)?, &url)?;
    let parsed = parse_table(spec, &url, &text)
        .map_err(|e| BenchmarkError::Fetch(format!("{url} was not stored: {e}")))?;
    let sha256: String = sha2::Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let stored = stored_editions(dir)?;
    if let Some((same, _)) = stored
        .iter()
        .find(|(e, _)| e.table == spec.id && e.sha256 == sha256)
    {
        return Ok(Outcome::Unchanged(same.clone()));
    }
    let shipped = shipped_edition(spec);
    if shipped.sha256 == sha256 {
        return Ok(Outcome::Unchanged(shipped));
    }
    let now = Utc::now();
    let base = match &version {
        Some(v) => format!("v{v}"),
        None => now.format("%Y%m%dT%H%M%SZ").to_string(),
    };
    let name = if stored
        .iter()
        .any(|(e, _)| e.table == spec.id && e.name == base)
    {
        format!("{base}-{}", &sha256[..8])
    } else {
        base
    };
    let edition = Edition {
        table: spec.id.to_string(),
        name,
        source: description,
        url: Some(url),
        data_set_version: version,
        published,
        retrieved_at: now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        sha256,
        rows: parsed.table.records.len(),
        latest_year: parsed.keys.iter().map(|(y, _, _)| *y).max(),
    };
    store(dir, &edition, &text)?;
    Ok(Outcome::Stored(edition))
}

/// Writes an edition into a temporary folder and renames it into place: an edition folder is
/// either complete or absent, and an existing one is never replaced.
fn store(dir: &Path, edition: &Edition, text: &str) -> Result<(), BenchmarkError> {
    let io = |context: String| move |source| BenchmarkError::Io { context, source };
    let folder = edition_folder(dir, &edition.table, &edition.name);
    if folder.exists() {
        return Err(BenchmarkError::Config(format!(
            "edition folder {} already exists; editions are never overwritten",
            folder.display()
        )));
    }
    let parent = folder.parent().expect("editions are in a table folder");
    fsutil::create_private_dir_all(parent).map_err(io(format!("creating {}", parent.display())))?;
    let staging: PathBuf = fsutil::temporary_sibling(&folder);
    fsutil::create_private_dir_all(&staging)
        .map_err(io(format!("creating {}", staging.display())))?;
    let result = (|| {
        let (meta, data) = (staging.join(EDITION_FILE), staging.join(DATA_FILE));
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        encoder
            .write_all(text.as_bytes())
            .and_then(|()| encoder.finish())
            .and_then(|gz| write_new(&data, &gz))
            .map_err(io(format!("writing {}", data.display())))?;
        let json = serde_json::to_vec_pretty(edition).expect("editions serialise");
        write_new(&meta, &json).map_err(io(format!("writing {}", meta.display())))?;
        fsutil::sync_dir(&staging).map_err(io(format!("flushing {}", staging.display())))?;
        std::fs::rename(&staging, &folder)
            .map_err(io(format!("moving the edition into {}", folder.display())))?;
        fsutil::sync_dir(parent).map_err(io(format!("flushing {}", parent.display())))
    })();
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    result
}

fn write_new(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut file = fsutil::create_new_private_file(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(text: &str) -> Result<UpdateConfig, BenchmarkError> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("benchmarks.yaml");
        std::fs::write(&path, text).unwrap();
        UpdateConfig::load(&path)
    }

    #[test]
    fn configuration_errors_name_the_entry_and_what_to_do() {
        let ok = config("tables:\n  - table: cin_c1\n    data_set: abc\n").unwrap();
        assert_eq!(ok.api, DEFAULT_API);
        for (text, expected) in [
            ("tables: []\n", "`tables` is empty"),
            ("tables:\n  - table: cin_z9\n    url: http://x\n", "cin_z9"),
            ("tables:\n  - table: cin_c1\n", "exactly one of"),
            (
                "tables:\n  - table: cin_c1\n    url: u\n    data_set: d\n",
                "exactly one of",
            ),
            (
                "tables:\n  - table: cin_c1\n    url: u\n    colour: red\n",
                "colour",
            ),
        ] {
            let err = config(text).unwrap_err().to_string();
            assert!(
                err.contains(expected) && err.contains("benchmarks.yaml"),
                "{expected}: {err}"
            );
        }
    }
}
