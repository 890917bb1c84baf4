//! The structural checks find exactly the structural errors the generator injected: every injected
//! cell is reported at its file, row and column with the injected check, and nothing else is.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;

use csc_returns::ingest::dataset::{self, LoadRequest};
use csc_returns::ingest::sources;
use csc_returns::schema::{ReturnKind, SchemaSet};
use csc_returns::source::Role;
use csc_returns::structural::Check;
use csc_returns::synth::{self, Options};
use csc_returns::year::CollectionYear;

/// (file relative to the generator's folder, row, column, check code).
type Place = (String, u32, Option<String>, String);

fn found(
    out: &Path,
    return_kind: ReturnKind,
    year: u16,
    role: Role,
    source: &str,
) -> BTreeSet<Place> {
    let files = sources::expand(&[source.to_string()], out).unwrap();
    let request = LoadRequest {
        return_kind,
        year: Some(CollectionYear::new(year).unwrap()),
        role,
        files,
    };
    let (_, sink) = dataset::load(
        &request,
        &SchemaSet::embedded().unwrap(),
        &Arc::from("test"),
    )
    .unwrap();
    sink.into_issues()
        .into_iter()
        .inspect(|issue| {
            assert!(
                Check::from_code(&issue.rule_code).is_some(),
                "only structural checks ran: {issue:?}"
            )
        })
        .map(|issue| {
            let file = issue
                .location
                .file
                .as_ref()
                .expect("injected errors are in files")
                .path
                .strip_prefix(out)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (
                file,
                issue.location.row.expect("a row"),
                issue.location.column.as_deref().map(str::to_string),
                issue.rule_code.to_string(),
            )
        })
        .collect()
}

#[test]
fn structural_checks_find_exactly_the_injected_errors() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path();
    let options = Options {
        out: out.to_path_buf(),
        children: 250,
        seed: 11,
        year: CollectionYear::new(2026).unwrap(),
        returns: ReturnKind::ALL.to_vec(),
        la: "E08000003".into(),
        structural_error_rate: 0.004,
        inject: Vec::new(),
    };
    let manifest = synth::generate(&options).unwrap();
    let datasets = [
        (
            ReturnKind::Ssda903,
            2026,
            Role::ThisYear,
            format!("ssda903/{}", synth::year_folder(2026)),
        ),
        (
            ReturnKind::Ssda903,
            2025,
            Role::PreviousYear,
            format!("ssda903/{}", synth::year_folder(2025)),
        ),
        (
            ReturnKind::Cin,
            2026,
            Role::ThisYear,
            format!("cin/cin_{}.xml", synth::year_folder(2026)),
        ),
        (
            ReturnKind::Cin,
            2025,
            Role::ThisYear,
            format!("cin/cin_{}.xml", synth::year_folder(2025)),
        ),
    ];
    let mut total = 0;
    for (return_kind, year, role, source) in datasets {
        let expected: BTreeSet<Place> = manifest
            .injections
            .iter()
            .filter(|i| i.return_kind == return_kind.as_str() && i.collection_year == year)
            .map(|i| {
                (
                    i.file.clone(),
                    i.row as u32,
                    i.column.clone(),
                    i.check.clone(),
                )
            })
            .collect();
        let found = found(out, return_kind, year, role, &source);
        let missed: Vec<_> = expected.difference(&found).collect();
        let extra: Vec<_> = found.difference(&expected).collect();
        assert!(
            missed.is_empty() && extra.is_empty(),
            "{return_kind} {year}: missed {missed:#?}\nfound but not injected {extra:#?}"
        );
        total += expected.len();
    }
    assert!(
        total > 40,
        "the rate injected a meaningful number of errors ({total})"
    );
}
