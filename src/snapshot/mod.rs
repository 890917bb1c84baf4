//! Immutable Parquet snapshots, one per run of a return-year, under an output root:
//!
//! ```text
//! <root>/snapshots/return=ssda903/year=2026/snapshot=20261124T020000Z-1a2b/
//!     manifest.json                 what, when, from which inputs (sha256), row and issue counts
//!     issues.parquet  issues.csv  validation.xlsx
//!     table=episodes/part-0.parquet one folder per table, hive-style
//! <root>/current/ssda903-2026  ->  ../snapshots/return=ssda903/year=2026/snapshot=...
//! ```
//!
//! A snapshot is written in a temporary folder under `<root>/.tmp`, flushed, and renamed into place
//! in one step; only then does the `current` link move, itself by an atomic rename. A crash at any
//! moment leaves the previous snapshot current, complete and readable; leftovers of dead runs are
//! cleared by the next run.

pub mod manifest;

use std::path::{Path, PathBuf};

use chrono::Utc;

use crate::failpoint;
use crate::frame::{self, ExtraColumn, FrameError};
use crate::fsutil;
use crate::ingest::dataset::Dataset;
use crate::issue::Issue;
use crate::schema::ReturnKind;
use crate::year::CollectionYear;
use manifest::{IssueCounts, Manifest, TableRecord};

pub use manifest::{InputRecord, PreviousYear, RulesRun, SkippedRule};

const SNAPSHOTS: &str = "snapshots";
const CURRENT: &str = "current";
const TEMPORARY: &str = ".tmp";
const MANIFEST: &str = "manifest.json";
pub const ISSUES_PARQUET: &str = "issues.parquet";
pub const ISSUES_CSV: &str = "issues.csv";
pub const WORKBOOK: &str = "validation.xlsx";

#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    #[error("{context}: {source}")]
    Io {
        context: String,
        source: std::io::Error,
    },
    #[error(transparent)]
    Frame(#[from] FrameError),
    #[error("manifest {path} is not valid: {message}")]
    Manifest { path: PathBuf, message: String },
    #[error("{0}")]
    Extra(String),
}

fn io_context(context: impl Into<String>) -> impl FnOnce(std::io::Error) -> SnapshotError {
    let context = context.into();
    move |source| SnapshotError::Io { context, source }
}

/// A unique, sortable run id: UTC time to the second plus a random suffix.
pub fn new_run_id() -> String {
    use std::hash::{BuildHasher, Hasher};
    let now = Utc::now();
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u32(std::process::id());
    hasher.write_i64(now.timestamp_nanos_opt().unwrap_or_default());
    format!(
        "{}-{:04x}",
        now.format("%Y%m%dT%H%M%SZ"),
        hasher.finish() & 0xffff
    )
}

/// What a run knows about itself, for the manifest.
#[derive(Debug, Clone)]
pub struct RunInfo {
    pub run_id: String,
    pub pipeline: Option<String>,
    pub started_at: chrono::DateTime<Utc>,
    pub la_code: Option<String>,
    pub previous_year: Option<PreviousYear>,
    /// Inputs that are not the return's own files (Ofsted provider lists).
    pub extra_inputs: Vec<InputRecord>,
    /// The postcode directory release behind the derived placement fields, when they were derived.
    pub postcode_reference: Option<String>,
    /// Which rules ran and which were skipped, when rules ran.
    pub rules: Option<RulesRun>,
}

/// The snapshots under one output root.
#[derive(Debug, Clone)]
pub struct SnapshotStore {
    root: PathBuf,
}

/// A finished snapshot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnapshotRef {
    pub return_kind: ReturnKind,
    pub year: CollectionYear,
    pub id: String,
    pub dir: PathBuf,
}

impl SnapshotRef {
    pub fn table_file(&self, snapshot_name: &str) -> PathBuf {
        self.dir
            .join(format!("table={snapshot_name}"))
            .join("part-0.parquet")
    }

    /// A snapshot folder given by path (one holding a `manifest.json`), if `dir` is one.
    pub fn at(dir: &Path) -> Option<SnapshotRef> {
        let text = std::fs::read_to_string(dir.join(MANIFEST)).ok()?;
        let manifest: Manifest = serde_json::from_str(&text).ok()?;
        Some(SnapshotRef {
            return_kind: manifest.return_kind,
            year: manifest.collection_year,
            id: manifest.snapshot_id,
            dir: dir.to_path_buf(),
        })
    }

    pub fn manifest(&self) -> Result<Manifest, SnapshotError> {
        let path = self.dir.join(MANIFEST);
        let text = std::fs::read_to_string(&path)
            .map_err(io_context(format!("reading {}", path.display())))?;
        serde_json::from_str(&text).map_err(|e| SnapshotError::Manifest {
            path,
            message: e.to_string(),
        })
    }
}

impl SnapshotStore {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        SnapshotStore { root: root.into() }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    fn year_dir(&self, return_kind: ReturnKind, year: CollectionYear) -> PathBuf {
        self.root
            .join(SNAPSHOTS)
            .join(format!("return={return_kind}"))
            .join(format!("year={year}"))
    }

    fn current_link(&self, return_kind: ReturnKind, year: CollectionYear) -> PathBuf {
        self.root
            .join(CURRENT)
            .join(format!("{return_kind}-{year}"))
    }

    fn reference(&self, return_kind: ReturnKind, year: CollectionYear, id: &str) -> SnapshotRef {
        let dir = self
            .year_dir(return_kind, year)
            .join(format!("snapshot={id}"));
        SnapshotRef {
            return_kind,
            year,
            id: id.to_string(),
            dir,
        }
    }

    /// The snapshot the `current` pointer names, if any.
    pub fn current(
        &self,
        return_kind: ReturnKind,
        year: CollectionYear,
    ) -> Result<Option<SnapshotRef>, SnapshotError> {
        let link = self.current_link(return_kind, year);
        let target = match read_pointer(&link) {
            Ok(target) => target,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(io_context(format!("reading {}", link.display()))(e)),
        };
        let id = target
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.strip_prefix("snapshot="))
            .ok_or_else(|| SnapshotError::Manifest {
                path: link.clone(),
                message: format!("points at {}", target.display()),
            })?;
        Ok(Some(self.reference(return_kind, year, id)))
    }

    /// Every finished snapshot of a return-year, oldest first.
    pub fn list(
        &self,
        return_kind: ReturnKind,
        year: CollectionYear,
    ) -> Result<Vec<SnapshotRef>, SnapshotError> {
        let dir = self.year_dir(return_kind, year);
        let entries = match std::fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(io_context(format!("listing {}", dir.display()))(e)),
        };
        let mut ids: Vec<String> = entries
            .filter_map(|e| e.ok())
            .filter_map(|e| {
                e.file_name()
                    .to_str()
                    .and_then(|n| n.strip_prefix("snapshot="))
                    .map(str::to_string)
            })
            .collect();
        ids.sort();
        Ok(ids
            .iter()
            .map(|id| self.reference(return_kind, year, id))
            .collect())
    }

    /// The current snapshot of a return-year, or failing a pointer the newest one.
    pub fn latest(
        &self,
        return_kind: ReturnKind,
        year: CollectionYear,
    ) -> Result<Option<SnapshotRef>, SnapshotError> {
        match self.current(return_kind, year)? {
            Some(current) => Ok(Some(current)),
            None => Ok(self.list(return_kind, year)?.pop()),
        }
    }

    /// Finds a snapshot by id in any return-year.
    pub fn find(&self, id: &str) -> Result<Option<SnapshotRef>, SnapshotError> {
        for (return_kind, year) in self.return_years()? {
            if let Some(found) = self
                .list(return_kind, year)?
                .into_iter()
                .find(|s| s.id == id)
            {
                return Ok(Some(found));
            }
        }
        Ok(None)
    }

    /// Every (return, year) that has snapshots.
    pub fn return_years(&self) -> Result<Vec<(ReturnKind, CollectionYear)>, SnapshotError> {
        let mut found = Vec::new();
        for return_kind in ReturnKind::ALL {
            let dir = self
                .root
                .join(SNAPSHOTS)
                .join(format!("return={return_kind}"));
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for entry in entries.filter_map(|e| e.ok()) {
                let name = entry.file_name();
                if let Some(year) = name
                    .to_str()
                    .and_then(|n| n.strip_prefix("year="))
                    .and_then(|y| y.parse().ok())
                    && let Ok(year) = CollectionYear::new(year)
                {
                    found.push((return_kind, year));
                }
            }
        }
        found.sort();
        Ok(found)
    }

    /// Writes a snapshot of `dataset` with its `issues`, then makes it current. `extras` writes
    /// further files (reports) into the snapshot folder before it is published.
    pub fn write(
        &self,
        run: &RunInfo,
        dataset: &Dataset,
        issues: &[Issue],
        extras: impl FnOnce(&Path) -> Result<(), String>,
    ) -> Result<SnapshotRef, SnapshotError> {
        self.write_with_columns(run, dataset, &[], issues, extras)
    }

    /// As [`write`](Self::write), with computed columns added to the files of the named tables
    /// (the SSDA903 derived placement fields in `episodes`).
    pub fn write_with_columns(
        &self,
        run: &RunInfo,
        dataset: &Dataset,
        columns: &[(&str, Vec<ExtraColumn>)],
        issues: &[Issue],
        extras: impl FnOnce(&Path) -> Result<(), String>,
    ) -> Result<SnapshotRef, SnapshotError> {
        self.clear_abandoned();
        let (return_kind, year) = (dataset.return_kind, dataset.year);
        let temporary = self.root.join(TEMPORARY).join(format!(
            "{}-{return_kind}-{year}-{}",
            run.run_id,
            std::process::id()
        ));
        fsutil::create_private_dir_all(&temporary)
            .map_err(io_context(format!("creating {}", temporary.display())))?;
        let result = self
            .fill(&temporary, run, dataset, columns, issues, extras)
            .and_then(|()| {
                let target = self.reference(return_kind, year, &run.run_id);
                let parent = target.dir.parent().expect("snapshot folders have a parent");
                fsutil::create_private_dir_all(parent)
                    .map_err(io_context(format!("creating {}", parent.display())))?;
                failpoint::hit("snapshot-publish")
                    .map_err(io_context("publishing the snapshot"))?;
                std::fs::rename(&temporary, &target.dir).map_err(io_context(format!(
                    "moving the snapshot into {}",
                    target.dir.display()
                )))?;
                fsutil::sync_dir(parent)
                    .map_err(io_context(format!("flushing {}", parent.display())))?;
                self.point_current_at(&target)?;
                Ok(target)
            });
        if result.is_err() {
            let _ = std::fs::remove_dir_all(&temporary);
        }
        result
    }

    fn fill(
        &self,
        dir: &Path,
        run: &RunInfo,
        dataset: &Dataset,
        columns: &[(&str, Vec<ExtraColumn>)],
        issues: &[Issue],
        extras: impl FnOnce(&Path) -> Result<(), String>,
    ) -> Result<(), SnapshotError> {
        let mut tables = Vec::with_capacity(dataset.tables.len());
        for table in &dataset.tables {
            let snapshot_name = &table.schema().snapshot_name;
            let relative = format!("table={snapshot_name}/part-0.parquet");
            let path = dir.join(&relative);
            let folder = path.parent().expect("table files are in a folder");
            fsutil::create_private_dir_all(folder)
                .map_err(io_context(format!("creating {}", folder.display())))?;
            let mut frame = frame::table_frame(table, &dataset.files)?;
            if let Some((_, extra)) = columns.iter().find(|(name, _)| *name == table.name()) {
                frame::add_columns(&mut frame, extra)?;
            }
            frame::write_parquet(&mut frame, &path)?;
            failpoint::hit(&format!("snapshot-table:{snapshot_name}"))
                .map_err(io_context(format!("writing {relative}")))?;
            fsutil::sync_dir(folder)
                .map_err(io_context(format!("flushing {}", folder.display())))?;
            tables.push(TableRecord {
                name: table.name().to_string(),
                snapshot_name: snapshot_name.clone(),
                rows: table.len(),
                file: relative,
            });
        }
        frame::write_parquet(&mut frame::issues_frame(issues)?, &dir.join(ISSUES_PARQUET))?;
        extras(dir).map_err(SnapshotError::Extra)?;
        let manifest = Manifest {
            format_version: manifest::FORMAT_VERSION,
            snapshot_id: run.run_id.clone(),
            run_id: run.run_id.clone(),
            pipeline: run.pipeline.clone(),
            started_at: run.started_at,
            finished_at: Utc::now(),
            tool_version: env!("CARGO_PKG_VERSION").to_string(),
            return_kind: dataset.return_kind,
            collection_year: dataset.year,
            la_code: run.la_code.clone(),
            schema_version: dataset.schema.version.clone(),
            inputs: dataset
                .files
                .iter()
                .map(|f| InputRecord::from(f.as_ref()))
                .chain(run.extra_inputs.iter().cloned())
                .collect(),
            previous_year: run.previous_year.clone(),
            postcode_reference: run.postcode_reference.clone(),
            rules: run.rules.clone(),
            tables,
            issues: IssueCounts::of(issues),
        };
        let json = serde_json::to_vec_pretty(&manifest).expect("manifests serialise");
        let path = dir.join(MANIFEST);
        let mut file = fsutil::create_new_private_file(&path)
            .map_err(io_context(format!("creating {}", path.display())))?;
        std::io::Write::write_all(&mut file, &json)
            .map_err(io_context(format!("writing {}", path.display())))?;
        file.sync_all()
            .map_err(io_context(format!("flushing {}", path.display())))?;
        fsutil::sync_dir(dir).map_err(io_context(format!("flushing {}", dir.display())))
    }

    /// Moves the `current` pointer of a return-year to `target` atomically.
    fn point_current_at(&self, target: &SnapshotRef) -> Result<(), SnapshotError> {
        let link = self.current_link(target.return_kind, target.year);
        let folder = link.parent().expect("current links are in a folder");
        fsutil::create_private_dir_all(folder)
            .map_err(io_context(format!("creating {}", folder.display())))?;
        let relative = Path::new("..").join(
            target
                .dir
                .strip_prefix(&self.root)
                .expect("snapshots live under the root"),
        );
        let staged = fsutil::temporary_sibling(&link);
        write_pointer(&relative, &staged)
            .map_err(io_context(format!("creating {}", staged.display())))?;
        failpoint::hit("snapshot-current").map_err(io_context("moving the current pointer"))?;
        std::fs::rename(&staged, &link)
            .map_err(io_context(format!("moving {}", link.display())))?;
        fsutil::sync_dir(folder).map_err(io_context(format!("flushing {}", folder.display())))
    }

    /// Removes temporary folders left by runs that died mid-write (their process is gone).
    fn clear_abandoned(&self) {
        let Ok(entries) = std::fs::read_dir(self.root.join(TEMPORARY)) else {
            return;
        };
        for entry in entries.filter_map(|e| e.ok()) {
            let name = entry.file_name().to_string_lossy().into_owned();
            let pid = name.rsplit('-').next().and_then(|p| p.parse::<u32>().ok());
            if pid.is_some_and(|pid| !process_is_alive(pid)) {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
    }
}

/// Whether a process with this id is running (on Linux, from /proc; elsewhere, assume it is).
pub fn process_is_alive(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    if cfg!(target_os = "linux") {
        Path::new("/proc").join(pid.to_string()).exists()
    } else {
        true
    }
}

#[cfg(unix)]
fn write_pointer(target: &Path, at: &Path) -> std::io::Result<()> {
    std::os::unix::fs::symlink(target, at)
}

#[cfg(unix)]
fn read_pointer(link: &Path) -> std::io::Result<PathBuf> {
    std::fs::read_link(link)
}

// Without symlinks, the pointer is a small file holding the relative path.
#[cfg(not(unix))]
fn write_pointer(target: &Path, at: &Path) -> std::io::Result<()> {
    std::fs::write(at, target.to_string_lossy().as_bytes())
}

#[cfg(not(unix))]
fn read_pointer(link: &Path) -> std::io::Result<PathBuf> {
    Ok(PathBuf::from(std::fs::read_to_string(link)?.trim()))
}
