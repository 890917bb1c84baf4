//! The demo pipeline end to end: the shipped pipeline file and data run to two complete snapshots
//! whose findings are exactly the errors injected into the demo data.

use std::collections::BTreeSet;
use std::process::Command;

use csc_returns::frame;
use csc_returns::pipeline::config::PipelineConfig;
use csc_returns::schema::ReturnKind;
use csc_returns::snapshot::SnapshotStore;
use csc_returns::synth::manifest::Manifest;
use csc_returns::year::CollectionYear;

use crate::support::repo_root;

#[test]
fn the_demo_pipeline_runs_end_to_end() {
    let shipped = PipelineConfig::load(&repo_root().join("pipelines/demo.yaml")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    // The shipped pipeline, writing to a temporary output root instead of out/demo.
    let text = std::fs::read_to_string(repo_root().join("pipelines/demo.yaml")).unwrap();
    let pipeline = repo_root()
        .join("pipelines")
        .join(format!(".demo-test-{}.yaml", std::process::id()));
    std::fs::write(
        &pipeline,
        text.replace(
            "output: ../out/demo",
            &format!("output: {}", dir.path().display()),
        ),
    )
    .unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_csc-returns"))
        .arg("run")
        .arg(&pipeline)
        .arg("--force")
        .output()
        .unwrap();
    std::fs::remove_file(&pipeline).unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        stdout.contains("ssda903 2025/26") && stdout.contains("cin 2025/26"),
        "{stdout}"
    );

    let manifest: Manifest = serde_json::from_str(
        &std::fs::read_to_string(repo_root().join("data/demo/synth-manifest.json")).unwrap(),
    )
    .unwrap();
    let store = SnapshotStore::new(dir.path());
    let year = CollectionYear::new(2026).unwrap();
    for return_kind in [ReturnKind::Ssda903, ReturnKind::Cin] {
        let snapshot = store
            .current(return_kind, year)
            .unwrap()
            .expect("a current snapshot");
        let written = snapshot.manifest().unwrap();
        assert_eq!(
            written.la_code.as_deref(),
            Some(shipped.la.as_ref().unwrap().code.as_str())
        );
        assert!(
            written.tables.iter().map(|t| t.rows).sum::<usize>() > 1000,
            "{return_kind}: a few hundred children"
        );
        for name in ["issues.csv", "validation.xlsx", "issues.parquet"] {
            assert!(snapshot.dir.join(name).is_file(), "{return_kind}: {name}");
        }
        // Every injected error of this year's demo return is found where it was injected, and no
        // child without an injected error has any finding (clean data is clean; an error may cascade
        // within its own child).
        let issues = frame::read_parquet(&snapshot.dir.join("issues.parquet")).unwrap();
        let column = |name| frame::string_column(&issues, name).unwrap();
        let file_name = |path: &str| {
            std::path::Path::new(path)
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned()
        };
        let found: BTreeSet<(String, String, String)> = column("file")
            .into_iter()
            .zip(column("row"))
            .zip(column("column"))
            .map(|((file, row), col)| {
                (
                    file_name(&file.unwrap()),
                    row.unwrap_or_default(),
                    col.unwrap_or_default(),
                )
            })
            .collect();
        let injected: Vec<_> = manifest
            .injections
            .iter()
            .filter(|i| i.return_kind == return_kind.as_str() && i.role == "this_year")
            .collect();
        assert!(!injected.is_empty());
        for injection in &injected {
            let place = (
                file_name(&injection.file),
                injection.row.to_string(),
                injection.column.clone().unwrap_or_default(),
            );
            assert!(
                found.contains(&place),
                "{return_kind}: injected {injection:?} not found"
            );
        }
        let injected_children: BTreeSet<&str> =
            injected.iter().map(|i| i.child_id.as_str()).collect();
        for child in column("child_id").into_iter().flatten() {
            assert!(
                injected_children.contains(child.as_str()),
                "{return_kind}: a finding for clean child {child}"
            );
        }
    }
    assert_eq!(
        std::fs::read_dir(dir.path().join("runs")).unwrap().count(),
        1,
        "the run is in the run log"
    );
}
