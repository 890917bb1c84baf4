//! One run of a pipeline at a time: an advisory lock on `<output>/locks/<pipeline>.lock`, held for
//! the whole run. The operating system releases it when the holder exits, however it exits, so a
//! lock left by a killed run is simply taken by the next one: a stale lock cannot block the night.
//! The file also says who holds the lock, for the message a second run prints.
//!
//! The output root must be on a local disk: advisory locks on network shares are not reliable.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{self, Read, Seek, Write};
use std::path::{Path, PathBuf};

#[cfg(unix)]
use std::os::unix::fs::OpenOptionsExt;

use crate::fsutil;

const LOCKS: &str = "locks";

/// A held pipeline lock; dropping it releases the lock.
#[derive(Debug)]
pub struct PipelineLock {
    _file: File,
}

/// Another run holds the lock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Busy {
    /// What the holder wrote: its process id, run id and start time.
    pub holder: String,
}

pub fn lock_path(root: &Path, pipeline: &str) -> PathBuf {
    root.join(LOCKS).join(format!("{pipeline}.lock"))
}

fn open(root: &Path, pipeline: &str) -> io::Result<File> {
    let path = lock_path(root, pipeline);
    fsutil::create_private_dir_all(fsutil::parent_dir(&path))?;
    let mut options = OpenOptions::new();
    // Not truncated on open: the holder's note must survive another process opening the file.
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    options.mode(0o600);
    options.open(&path)
}

impl PipelineLock {
    /// Takes the lock if it is free.
    pub fn try_acquire(
        root: &Path,
        pipeline: &str,
        run_id: &str,
    ) -> io::Result<Result<Self, Busy>> {
        let mut file = open(root, pipeline)?;
        match file.try_lock() {
            Ok(()) => Ok(Ok(Self::held(file, run_id)?)),
            Err(TryLockError::WouldBlock) => {
                let mut holder = String::new();
                file.read_to_string(&mut holder)?;
                Ok(Err(Busy {
                    holder: holder.trim().to_string(),
                }))
            }
            Err(TryLockError::Error(e)) => Err(e),
        }
    }

    /// Takes the lock, waiting for the current holder to finish if there is one; `waiting` is
    /// told who holds it before the wait starts.
    pub fn acquire_waiting(
        root: &Path,
        pipeline: &str,
        run_id: &str,
        waiting: impl FnOnce(&Busy),
    ) -> io::Result<Self> {
        match Self::try_acquire(root, pipeline, run_id)? {
            Ok(lock) => Ok(lock),
            Err(busy) => {
                waiting(&busy);
                let file = open(root, pipeline)?;
                file.lock()?;
                Self::held(file, run_id)
            }
        }
    }

    fn held(mut file: File, run_id: &str) -> io::Result<Self> {
        file.set_len(0)?;
        file.rewind()?;
        writeln!(
            file,
            "process {} (run {run_id}, since {})",
            std::process::id(),
            chrono::Utc::now().format("%Y-%m-%d %H:%M:%S UTC")
        )?;
        file.sync_data()?;
        Ok(PipelineLock { _file: file })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_holder_is_refused_until_the_first_lets_go() {
        let dir = tempfile::tempdir().unwrap();
        let first = PipelineLock::try_acquire(dir.path(), "demo", "run-1")
            .unwrap()
            .unwrap();
        let busy = PipelineLock::try_acquire(dir.path(), "demo", "run-2")
            .unwrap()
            .unwrap_err();
        assert!(
            busy.holder.contains("run run-1")
                && busy.holder.contains(&std::process::id().to_string()),
            "{busy:?}"
        );
        assert!(
            PipelineLock::try_acquire(dir.path(), "other", "run-3")
                .unwrap()
                .is_ok(),
            "pipelines lock separately"
        );
        drop(first);
        PipelineLock::try_acquire(dir.path(), "demo", "run-2")
            .unwrap()
            .unwrap();
    }
}
