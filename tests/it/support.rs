//! Helpers shared by the integration tests.

use std::path::PathBuf;

/// The repository root, for shipped schemas and demo data.
#[allow(dead_code)]
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}
