//! Options shared by the commands that read an output root: where it is (directly, or from a
//! pipeline file), the benchmarks stored in it, and plain-text tables for the terminal.

use std::path::PathBuf;

use crate::benchmarks::Benchmarks;
use crate::commands::Failure;
use crate::pipeline::config::PipelineConfig;
use crate::snapshot::SnapshotStore;

#[derive(Debug, Clone, clap::Args)]
pub struct RootArgs {
    /// A pipeline file: its output root and LA are used.
    #[arg(long, conflicts_with = "output")]
    pub pipeline: Option<PathBuf>,
    /// The output root holding snapshots (as given to `run` or `validate`).
    #[arg(long)]
    pub output: Option<PathBuf>,
}

/// The folder of an output root where fetched benchmark editions are stored.
pub fn benchmarks_dir(store: &SnapshotStore) -> PathBuf {
    crate::benchmarks::store_dir(store.root())
}

impl RootArgs {
    /// The snapshot store, and the LA code the pipeline names (if one was given).
    pub fn resolve(&self) -> Result<(SnapshotStore, Option<String>), Failure> {
        match (&self.pipeline, &self.output) {
            (Some(path), _) => {
                let config = PipelineConfig::load(path).map_err(Failure::config)?;
                let la = config.la.as_ref().map(|la| la.code.clone());
                Ok((SnapshotStore::new(config.output_root()), la))
            }
            (None, Some(root)) => Ok((SnapshotStore::new(root), None)),
            (None, None) => Ok((SnapshotStore::new("csc-returns-output"), None)),
        }
    }

    pub fn benchmarks(store: &SnapshotStore) -> Result<Benchmarks, Failure> {
        Benchmarks::load(&benchmarks_dir(store)).map_err(Failure::config)
    }
}

/// Columns padded to their widest cell; numbers right-aligned.
pub fn text_table(headers: &[String], rows: &[Vec<String>]) -> String {
    let widths: Vec<usize> = (0..headers.len())
        .map(|c| {
            rows.iter()
                .map(|r| r.get(c).map_or(0, |s| s.chars().count()))
                .chain([headers[c].chars().count()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let numeric = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|ch| ch.is_ascii_digit() || matches!(ch, '.' | ',' | '-' | '%'))
    };
    let line = |cells: &[String]| {
        let mut out = String::new();
        for (c, width) in widths.iter().enumerate() {
            let cell = cells.get(c).map_or("", String::as_str);
            let pad = width - cell.chars().count();
            if c > 0 {
                out.push_str("  ");
            }
            if numeric(cell) {
                out.push_str(&" ".repeat(pad));
                out.push_str(cell);
            } else {
                out.push_str(cell);
                out.push_str(&" ".repeat(pad));
            }
        }
        out.trim_end().to_string()
    };
    let mut out = line(headers);
    out.push('\n');
    out.push_str(&line(
        &widths.iter().map(|w| "-".repeat(*w)).collect::<Vec<_>>(),
    ));
    out.push('\n');
    for row in rows {
        out.push_str(&line(row));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_align_text_left_and_numbers_right() {
        let text = text_table(
            &["name".into(), "value".into()],
            &[
                vec!["a".into(), "1,234".into()],
                vec!["longer".into(), "5".into()],
            ],
        );
        assert_eq!(
            text,
            "name    value\n------  -----\na       1,234\nlonger      5\n"
        );
    }
}
