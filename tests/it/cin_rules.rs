//! CIN rule findings end to end: a census with known faults, validated by the binary, reaches
//! issues.csv, the snapshot's issues.parquet and the workbook beside the 903's kinds of finding:
//! cells, linked cells, and LA-level findings without a row.

use std::path::Path;
use std::process::Command;

use calamine::{Data, Reader, Xlsx, open_workbook};
use csc_returns::frame;
use csc_returns::schema::ReturnKind;
use csc_returns::snapshot::{ISSUES_CSV, ISSUES_PARQUET, SnapshotStore, WORKBOOK};
use csc_returns::year::CollectionYear;

fn child(id: &str, upn: &str, plan: &str) -> String {
    format!(
        "<Child>
<ChildIdentifiers><LAchildID>{id}</LAchildID><UPN>{upn}</UPN><PersonBirthDate>2015-01-01</PersonBirthDate><Sex>F</Sex></ChildIdentifiers>
<ChildCharacteristics><Ethnicity>WBRI</Ethnicity><Disabilities><Disability>NONE</Disability></Disabilities></ChildCharacteristics>
<CINdetails><CINreferralDate>2025-05-01</CINreferralDate><ReferralSource>1A</ReferralSource><PrimaryNeedCode>N1</PrimaryNeedCode><ReferralNFA>false</ReferralNFA>
{plan}
</CINdetails>
</Child>"
    )
}

fn census() -> String {
    let good_plan = "<CINPlanDates><CINPlanStartDate>2025-05-10</CINPlanStartDate></CINPlanDates>";
    let backwards_plan = "<CINPlanDates><CINPlanStartDate>2025-06-10</CINPlanStartDate><CINPlanEndDate>2025-06-01</CINPlanEndDate></CINPlanDates>";
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>
<Message>
<Header><CollectionDetails><Collection>CIN</Collection><Year>2026</Year><ReferenceDate>2026-03-31</ReferenceDate></CollectionDetails><Source><SourceLevel>L</SourceLevel><LEA>383</LEA></Source></Header>
<Children>
{}
{}
{}
</Children>
</Message>
",
        child("C1", "Z383456789012", backwards_plan),
        child("C2", "K383000000001", good_plan),
        child("C3", "K383000000001", good_plan),
    )
}

fn validate(dir: &Path) {
    let input = dir.join("cin_2025-26.xml");
    std::fs::write(&input, census()).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_csc-returns"))
        .arg("validate")
        .arg(&input)
        .arg("--output")
        .arg(dir.join("out"))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn cin_findings_reach_the_issue_list_the_snapshot_and_the_workbook() {
    let dir = tempfile::tempdir().unwrap();
    validate(dir.path());
    let snapshot = SnapshotStore::new(dir.path().join("out"))
        .current(ReturnKind::Cin, CollectionYear::new(2026).unwrap())
        .unwrap()
        .expect("a current CIN snapshot");

    let mut reader = csv::Reader::from_path(snapshot.dir.join(ISSUES_CSV)).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    // (rule_code, level, table, row, column, child_id) of the DfE rule findings.
    let findings: Vec<(String, String, String, String, String, String)> = rows
        .iter()
        .filter(|r| r[5].chars().next().is_some_and(|c| c.is_ascii_digit()))
        .map(|r| {
            let f = |i: usize| r[i].to_string();
            (f(5), f(6), f(9), f(10), f(11), f(13))
        })
        .collect();
    let has = |code: &str, level: &str, table: &str, row: &str, column: &str, child: &str| {
        findings.contains(&(
            code.into(),
            level.into(),
            table.into(),
            row.into(),
            column.into(),
            child.into(),
        ))
    };
    // C1's plan is on line 9: a linked finding on both of its dates.
    assert!(has(
        "4011",
        "cell",
        "CINplanDates",
        "9",
        "CINPlanEndDate",
        "C1"
    ));
    assert!(has(
        "4011",
        "cell",
        "CINplanDates",
        "9",
        "CINPlanStartDate",
        "C1"
    ));
    // C2 and C3 share a UPN: one finding on both children's identifiers.
    assert!(has("1520", "cell", "ChildIdentifiers", "13", "UPN", "C2"));
    assert!(has("1520", "cell", "ChildIdentifiers", "20", "UPN", "C3"));
    // Only NONE is used: the LA-level query has no row.
    assert!(has("2887Q", "la", "", "", "", ""));
    let linked_ids: Vec<&str> = rows
        .iter()
        .filter(|r| &r[5] == "1520")
        .map(|r| r.get(3).unwrap())
        .collect();
    assert_eq!(linked_ids.len(), 2);
    assert_eq!(
        linked_ids[0], linked_ids[1],
        "one finding links both records"
    );
    let message = rows.iter().find(|r| &r[5] == "2887Q").unwrap();
    assert_eq!(&message[4], "query");
    assert_eq!(
        &message[15],
        "Please check and either amend or provide a reason: Less than 8 disability codes have been used in your return"
    );

    let issues = frame::read_parquet(&snapshot.dir.join(ISSUES_PARQUET)).unwrap();
    let codes = frame::string_column(&issues, "rule_code").unwrap();
    for code in ["4011", "1520", "2887Q"] {
        assert!(codes.iter().any(|c| c.as_deref() == Some(code)), "{code}");
    }

    let mut workbook: Xlsx<_> = open_workbook(snapshot.dir.join(WORKBOOK)).unwrap();
    let sheet = workbook.worksheet_range("Issues").unwrap();
    let in_sheet = |code: &str| {
        sheet
            .rows()
            .any(|row| row.iter().any(|cell| *cell == Data::String(code.into())))
    };
    assert!(in_sheet("4011") && in_sheet("2887Q") && in_sheet("1520"));
}
