//! Turning the sources a pipeline or command names (files, folders, globs) into the list of files
//! to read, in a stable order.

use std::path::{Path, PathBuf};

use crate::source::SourceFormat;

#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error("source {0:?} is not a valid pattern: {1}")]
    Pattern(String, String),
    #[error("source {0} does not exist; check the path (relative paths are relative to {1})")]
    Missing(PathBuf, String),
    #[error("no input files match {0}; check the export ran and the path or pattern is right")]
    NothingMatched(String),
    #[error("cannot list folder {0}: {1}")]
    Folder(PathBuf, std::io::Error),
}

/// Expands each source relative to `base`: a file is itself, a folder is every file in it with a
/// readable extension (not recursing, so a previous year kept in a subfolder is not mixed in), a
/// pattern with `*`, `?` or `[` is a glob.
pub fn expand(sources: &[String], base: &Path) -> Result<Vec<PathBuf>, SourceError> {
    let mut files = Vec::new();
    for source in sources {
        let path = crate::fsutil::tidy(&base.join(source));
        if source.contains(['*', '?', '[']) {
            let pattern = path.to_string_lossy().into_owned();
            let matches = glob::glob(&pattern)
                .map_err(|e| SourceError::Pattern(source.clone(), e.to_string()))?;
            let mut matched: Vec<PathBuf> = matches
                .filter_map(Result::ok)
                .filter(|p| p.is_file())
                .collect();
            if matched.is_empty() {
                return Err(SourceError::NothingMatched(pattern));
            }
            matched.sort();
            files.extend(matched);
        } else if path.is_dir() {
            let entries =
                std::fs::read_dir(&path).map_err(|e| SourceError::Folder(path.clone(), e))?;
            let mut inside: Vec<PathBuf> = entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| {
                    p.is_file()
                        && SourceFormat::of_path(p).is_some_and(|f| f != SourceFormat::Parquet)
                })
                .collect();
            if inside.is_empty() {
                return Err(SourceError::NothingMatched(path.display().to_string()));
            }
            inside.sort();
            files.extend(inside);
        } else if path.exists() {
            files.push(path);
        } else {
            return Err(SourceError::Missing(path, base.display().to_string()));
        }
    }
    files.dedup();
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_folders_and_globs_expand_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let year = dir.path().join("2025-26");
        std::fs::create_dir_all(year.join("old")).unwrap();
        for name in ["b.csv", "a.csv", "notes.docx", "old/x.csv"] {
            std::fs::write(year.join(name), "x").unwrap();
        }
        let from_folder = expand(&["2025-26".into()], dir.path()).unwrap();
        assert_eq!(from_folder, vec![year.join("a.csv"), year.join("b.csv")]);
        let from_glob = expand(&["2025-26/*.csv".into()], dir.path()).unwrap();
        assert_eq!(from_glob, from_folder);
        let from_file = expand(&["2025-26/old/x.csv".into()], dir.path()).unwrap();
        assert_eq!(from_file, vec![year.join("old/x.csv")]);
    }

    #[test]
    fn missing_sources_are_explained() {
        let dir = tempfile::tempdir().unwrap();
        let err = expand(&["nope.csv".into()], dir.path())
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("nope.csv") && err.contains("does not exist"),
            "{err}"
        );
        let err = expand(&["*.xml".into()], dir.path())
            .unwrap_err()
            .to_string();
        assert!(err.contains("no input files match"), "{err}");
    }
}
