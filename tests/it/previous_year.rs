//! The SSDA903 run's context: last year's return taken from last year's snapshot in the same
//! output root, postcode-derived fields written beside the episodes, Ofsted provider lists, and
//! the rules skipped for want of an input listed in the manifest.

use std::path::Path;

use csc_returns::figures::data::CareData;
use csc_returns::frame;
use csc_returns::pipeline::config::PipelineConfig;
use csc_returns::pipeline::history::Trigger;
use csc_returns::pipeline::nightly::{self, Nightly, Options};
use csc_returns::pipeline::run::ReturnSnapshot;
use csc_returns::snapshot::{SnapshotRef, SnapshotStore};

const HEADER: &str = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n";
const EPISODES: &str = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n";

/// Writes a year's return and a pipeline for it; returns the pipeline file.
fn year(
    dir: &Path,
    label: &str,
    end_year: u16,
    header: &str,
    episodes: &str,
    extra: &str,
) -> std::path::PathBuf {
    let input = dir.join("in").join(label);
    std::fs::create_dir_all(&input).unwrap();
    std::fs::write(input.join("header.csv"), format!("{HEADER}{header}")).unwrap();
    std::fs::write(input.join("episodes.csv"), format!("{EPISODES}{episodes}")).unwrap();
    pipeline(dir, label, end_year, extra)
}

/// Writes the pipeline of a year whose files are in `in/<label>`; returns the pipeline file.
fn pipeline(dir: &Path, label: &str, end_year: u16, extra: &str) -> std::path::PathBuf {
    let path = dir.join(format!("{label}.yaml"));
    let yaml = format!(
        "name: t\nla: {{code: E08000003, number: \"352\"}}\noutput: out\nreturns:\n  - return: ssda903\n    year: {end_year}\n    sources: [in/{label}]\n{extra}"
    );
    std::fs::write(&path, yaml).unwrap();
    path
}

/// Writes a year's return as DfE 903 XML: child 1 with `header` fields after its identity and
/// one open episode; returns the pipeline file.
fn xml_year(dir: &Path, label: &str, end_year: u16, header: &str) -> std::path::PathBuf {
    let input = dir.join("in").join(label);
    std::fs::create_dir_all(&input).unwrap();
    let xml = format!(
        "<EXPSSDA903>\n<CHILD>\n<HEADER><CHILDID>1</CHILDID><SEX>M</SEX><DOB>01/02/2010</DOB>\
         <ETHNIC>WBRI</ETHNIC><UPN>UN1</UPN>{header}</HEADER>\n<EPISODE><DECOM>01/05/2024</DECOM>\
         <RNE>S</RNE><LS>C2</LS><CIN>N1</CIN><PL>U4</PL><PLACE_PROVIDER>PR1</PLACE_PROVIDER>\
         <HOME_POST>M1 1AE</HOME_POST><PL_POST>LS1 1UR</PL_POST><URN>SC123456</URN></EPISODE>\n\
         </CHILD>\n</EXPSSDA903>\n"
    );
    std::fs::write(input.join("903.xml"), xml).unwrap();
    pipeline(dir, label, end_year, "")
}

fn run(pipeline: &Path) -> ReturnSnapshot {
    let config = PipelineConfig::load(pipeline).unwrap();
    let options = Options {
        trigger: Trigger::Manual,
        force: true,
        wait: false,
        pipeline_file: Some(pipeline.to_path_buf()),
    };
    let Nightly::Ran { outcome, .. } = nightly::run_pipeline(&config, &options, |_| {}).unwrap()
    else {
        panic!("the pipeline did not run");
    };
    outcome.returns.into_iter().next().unwrap().result.unwrap()
}

/// (rule, table, row, column) of every issue of a snapshot.
fn issues(snapshot: &SnapshotRef) -> Vec<(String, String, String, String)> {
    let frame = frame::read_parquet(&snapshot.dir.join("issues.parquet")).unwrap();
    let column = |name: &str| {
        frame::string_column(&frame, name)
            .unwrap()
            .into_iter()
            .map(Option::unwrap_or_default)
            .collect::<Vec<_>>()
    };
    let (rules, tables, rows, columns) = (
        column("rule_code"),
        column("table"),
        column("row"),
        column("column"),
    );
    (0..rules.len())
        .map(|i| {
            (
                rules[i].clone(),
                tables[i].clone(),
                rows[i].clone(),
                columns[i].clone(),
            )
        })
        .collect()
}

/// One child's episode, open from May 2024, in both years' returns.
const EPISODE: &str = "1,01/05/2024,S,C2,N1,U4,PR1,,,,M1 1AE,LS1 1UR,SC123456\n";

/// Runs the 2024/25 return of one child with [`EPISODE`].
fn run_last_year(dir: &Path) -> ReturnSnapshot {
    let pipeline = year(
        dir,
        "2024-25",
        2025,
        "1,M,01/02/2015,WBRI,UN1,,\n",
        EPISODE,
        "",
    );
    run(&pipeline)
}

#[test]
fn last_years_snapshot_is_compared_automatically() {
    let dir = tempfile::tempdir().unwrap();
    let last = run_last_year(dir.path());
    assert_eq!(
        last.previous_year, None,
        "no 2023/24 snapshot to compare with"
    );

    let this = year(
        dir.path(),
        "2025-26",
        2026,
        "1,M,02/01/2015,WBRI,UN1,,\n",
        EPISODE,
        "",
    );
    let this = run(&this);
    let previous = this.previous_year.clone().expect("compared with last year");
    assert_eq!(
        previous.snapshot_id.as_deref(),
        Some(last.snapshot.id.as_str())
    );

    let found: Vec<_> = issues(&this.snapshot)
        .into_iter()
        .filter(|(rule, ..)| rule == "203")
        .collect();
    assert_eq!(
        found,
        vec![
            ("203".into(), "Header".into(), "2".into(), "DOB".into()),
            ("203".into(), "Header".into(), "2".into(), "DOB".into()),
        ],
        "this year's DOB and last year's, as one finding"
    );
    let manifest = this.snapshot.manifest().unwrap();
    assert_eq!(
        manifest.previous_year.unwrap().snapshot_id,
        Some(last.snapshot.id.clone())
    );
    assert!(
        manifest
            .postcode_reference
            .unwrap()
            .contains("November 2025")
    );
    let rules = manifest.rules.unwrap();
    let year = csc_returns::year::CollectionYear::new(2026).unwrap();
    assert_eq!(
        rules.ran + rules.skipped.len(),
        csc_returns::rules::ssda903::rules_for(year).count()
    );
    let skipped: Vec<&str> = rules.skipped.iter().map(|s| s.code.as_str()).collect();
    assert!(
        skipped.contains(&"219") && skipped.contains(&"241"),
        "{skipped:?}"
    );
    assert!(
        rules.skipped.iter().all(|s| s.needs == ["provider_lists"]),
        "{:?}",
        rules.skipped
    );
}

#[test]
fn the_xml_uasc_flag_is_kept_in_the_snapshot_and_read_back_as_last_years_status() {
    let dir = tempfile::tempdir().unwrap();
    let last = run(&xml_year(dir.path(), "2024-25", 2025, "<UASC>0</UASC>"));
    let header = frame::read_parquet(&last.snapshot.table_file("header")).unwrap();
    assert_eq!(
        frame::string_column(&header, "UASC").unwrap(),
        vec![Some("0".to_string())]
    );

    let this = xml_year(
        dir.path(),
        "2025-26",
        2026,
        "<UASC>0</UASC><DUC>01/02/2026</DUC>",
    );
    let this = run(&this);
    assert!(this.previous_year.is_some(), "compared with last year");
    let found: Vec<_> = issues(&this.snapshot)
        .into_iter()
        .filter(|(rule, ..)| rule == "205C" || rule == "105")
        .collect();
    assert_eq!(
        found,
        vec![
            ("205C".into(), "Header".into(), "3".into(), "UASC".into()),
            ("205C".into(), "UASC".into(), "3".into(), "DUC".into()),
        ],
        "not UASC in either year, with a date UASC ceased"
    );
    let store = SnapshotStore::new(dir.path().join("out"));
    let care = CareData::load(&store, &this.snapshot).unwrap();
    assert!(
        care.uasc.is_empty(),
        "the UASC row that <UASC>0</UASC> makes does not count the child as UASC in the figures"
    );
}

#[test]
fn derived_placement_fields_are_written_beside_the_episodes() {
    let dir = tempfile::tempdir().unwrap();
    let pipeline = year(
        dir.path(),
        "2025-26",
        2026,
        "1,M,01/02/2015,WBRI,UN1,,\n",
        "1,01/05/2025,S,C2,N1,U4,PR1,,,,M1 1AE,LS1 1UR,SC123456\n",
        "",
    );
    let snapshot = run(&pipeline).snapshot;
    let episodes = frame::read_parquet(&snapshot.table_file("episodes")).unwrap();
    let text = |name: &str| frame::string_column(&episodes, name).unwrap();
    assert_eq!(text("PL_LA"), vec![Some("E08000035".to_string())]);
    assert_eq!(text("PL_LOCATION"), vec![Some("OUT".to_string())]);
    assert_eq!(text("PL_DISTANCE"), vec![Some("35.7".to_string())]);
    assert_eq!(text(frame::SOURCE_ROW_COLUMN), vec![Some("2".to_string())]);
}

#[test]
fn provider_lists_feed_the_urn_rules_and_bad_workbooks_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let lists = dir.path().join("ofsted");
    std::fs::create_dir_all(&lists).unwrap();
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook
        .add_worksheet()
        .set_name("Provider information")
        .unwrap();
    let rows = [
        [
            "URN",
            "Local Authority",
            "Provider Code",
            "Provider Placement Code",
            "Closed Date",
            "Setting Postcode",
        ],
        ["SC123456", "Leeds", "K2", "PR4", "", "LS1 1UR"],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, value) in row.iter().enumerate() {
            sheet.write_string(r as u32, c as u16, *value).unwrap();
        }
    }
    workbook.save(lists.join("children_homes.xlsx")).unwrap();
    std::fs::write(lists.join("notes.xlsx"), b"not a workbook").unwrap();
    let pipeline = year(
        dir.path(),
        "2025-26",
        2026,
        "1,M,01/02/2015,WBRI,UN1,,\n",
        "1,01/05/2025,S,C2,N1,U4,PR4,,,,M1 1AE,LS1 1UR,SC123456\n",
        "    provider_lists: [ofsted]\n",
    );
    let snapshot = run(&pipeline).snapshot;
    let found = issues(&snapshot);
    assert!(
        found.contains(&("219".into(), "Episodes".into(), "2".into(), "PLACE".into())),
        "U4 at a children's home: {found:?}"
    );
    assert!(
        found.iter().any(|(rule, ..)| rule == "provider-list"),
        "{found:?}"
    );
    let manifest = snapshot.manifest().unwrap();
    let rules = manifest.rules.unwrap();
    assert!(
        rules.skipped.iter().all(|s| s.needs == ["prev_year"]),
        "only the previous-year rules are skipped: {:?}",
        rules.skipped
    );
    assert!(
        manifest
            .inputs
            .iter()
            .any(|i| i.path.ends_with("children_homes.xlsx")),
        "provider lists are recorded as inputs"
    );
}

#[test]
fn a_snapshot_folder_can_be_named_and_a_broken_one_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let last = run_last_year(dir.path()).snapshot;

    let named = year(
        dir.path(),
        "2025-26",
        2026,
        "1,F,01/02/2015,WBRI,UN1,0,\n",
        EPISODE,
        "    previous_year: [out/current/ssda903-2025]\n",
    );
    let this = run(&named);
    assert_eq!(
        this.previous_year.unwrap().snapshot_id.as_deref(),
        Some(last.id.as_str())
    );
    assert!(
        issues(&this.snapshot)
            .iter()
            .any(|(rule, ..)| rule == "202")
    );

    std::fs::write(last.dir.join("manifest.json"), "{").unwrap();
    let automatic = year(
        dir.path(),
        "2025-26",
        2026,
        "1,F,01/02/2015,WBRI,UN1,0,\n",
        EPISODE,
        "",
    );
    let this = run(&automatic);
    assert_eq!(this.previous_year, None);
    let found = issues(&this.snapshot);
    assert!(
        found.iter().any(|(rule, ..)| rule == "previous-year"),
        "{found:?}"
    );
    assert!(!found.iter().any(|(rule, ..)| rule == "202"));
}
