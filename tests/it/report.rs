//! issues.csv and the workbook, written from a small synthetic return and read back as the
//! information team's tools would read them.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use calamine::{Data, Reader, Xlsx, open_workbook};

use csc_returns::ingest::push_row;
use csc_returns::issue::{Finding, Issue, IssueSink, Location, Severity};
use csc_returns::report::{Summary, write_issues_csv, write_workbook};
use csc_returns::schema::{ReturnKind, ReturnSchema};
use csc_returns::source::{Role, SourceFile, SourceFormat};
use csc_returns::structural::{Check, check_table};
use csc_returns::table::{RowSource, Table};
use csc_returns::year::CollectionYear;

const SCHEMA: &str = r#"
return: ssda903
collection_year: 2026
version: t
source: t
child_column: CHILD
tables:
  - name: Episodes
    snapshot_name: episodes
    columns:
      - {name: CHILD, type: text, mandatory: true, max_length: 6}
      - {name: DECOM, type: date, format: dd/mm/yyyy, mandatory: true}
      - {name: RNE, type: code, codes: rne}
      - {name: N, type: integer, min: 0, max: 40}
      - {name: HOME_POST, type: text}
  - name: ChildProtectionPlansAndReviewsExtra
    snapshot_name: plans
    columns:
      - {name: CHILD, type: text}
      - {name: START, type: date, format: dd/mm/yyyy}
  - name: Empty
    snapshot_name: empty
    columns:
      - {name: CHILD, type: text}
code_lists:
  rne:
    - {code: S, label: started}
    - {code: P, label: placement change}
"#;

const EPISODES_SHA: &str = "0e5751c026e543b2e8ab2eb06099daed1d1ff1ff5d5f1e7b4bb5aa6cc1f4ae07";

struct Fixture {
    dir: tempfile::TempDir,
    files: Vec<Arc<SourceFile>>,
    tables: Vec<Table>,
    issues: Vec<Issue>,
}

fn source_file(id: u16, path: &str, sha256: &str) -> Arc<SourceFile> {
    Arc::new(SourceFile {
        id,
        path: PathBuf::from(path),
        format: SourceFormat::Csv,
        role: Role::ThisYear,
        size: 120,
        sha256: sha256.into(),
        encoding: Some("windows-1252".into()),
    })
}

/// Episodes.csv has its columns in the order CHILD, RNE, DECOM, N (so RNE is column B and DECOM
/// column C) and no HOME_POST. Row 3 has three bad cells, row 4 a blank mandatory DECOM and a
/// linked query, row 5 repeats row 2.
fn fixture() -> Fixture {
    let schema = Arc::new(ReturnSchema::from_yaml("t.yaml", SCHEMA).unwrap());
    let year = CollectionYear::new(2026).unwrap();
    let mut sink = IssueSink::new("run-1".into(), ReturnKind::Ssda903, year);
    let files = vec![
        source_file(0, "exports/Episodes.csv", EPISODES_SHA),
        source_file(1, "exports/plans.csv", &"b".repeat(64)),
    ];

    let mut episodes = Table::new(schema.clone(), 0);
    episodes.set_layout(0, vec![Some(0), Some(2), Some(1), Some(3), None]);
    for (line, cells) in [
        (
            2,
            [Some("C1"), Some("01/04/2025"), Some("S"), Some("3"), None],
        ),
        (
            3,
            [Some("C2"), Some("1/4/2025"), Some("=1+1"), Some("-5"), None],
        ),
        (4, [Some("C3"), Some(""), Some("s"), Some("7"), None]),
        (
            5,
            [Some("C1"), Some("01/04/2025"), Some("S"), Some("3"), None],
        ),
    ] {
        let source = RowSource { file: 0, line };
        push_row(&mut episodes, &files, source, &cells, &mut sink);
    }
    let table_location = |column: &str| Location {
        file: Some(files[0].clone()),
        table: Some("Episodes".into()),
        column: Some(column.into()),
        ..Location::default()
    };
    sink.push(Check::MissingColumn.finding(
        "HOME_POST is missing from Episodes.csv.",
        table_location("HOME_POST"),
        None,
    ));
    sink.push(Check::EncodingGuessed.finding(
        "Episodes.csv is not UTF-8.",
        Location {
            file: Some(files[0].clone()),
            ..Location::default()
        },
        None,
    ));
    sink.push(Finding {
        rule_code: "433".into(),
        severity: Severity::Error,
        message: "The child's episodes overlap.".into(),
        location: Location {
            child_id: Some("C2".into()),
            ..Location::default()
        },
        flagged_value: None,
    });
    let query_cell = |column: &str, letter: &str, value: Option<&str>| Finding {
        rule_code: "1005".into(),
        severity: Severity::Query,
        message: "Please check: RNE does not fit DECOM.".into(),
        location: Location {
            row: Some(4),
            column_letter: Some(letter.into()),
            child_id: Some("C3".into()),
            ..table_location(column)
        },
        flagged_value: value.map(Into::into),
    };
    sink.push_linked(vec![
        query_cell("DECOM", "C", None),
        query_cell("RNE", "B", Some("s")),
    ]);
    check_table(&episodes, &files, &mut sink);

    let mut plans = Table::new(schema.clone(), 1);
    plans.set_layout(1, vec![Some(0), Some(1)]);
    let source = RowSource { file: 1, line: 2 };
    push_row(
        &mut plans,
        &files,
        source,
        &[Some("C2"), Some("05/05/2025")],
        &mut sink,
    );

    Fixture {
        dir: tempfile::tempdir().unwrap(),
        files,
        tables: vec![episodes, plans, Table::new(schema, 2)],
        issues: sink.into_issues(),
    }
}

/// (severity, rule, row, column) of every issue, in the order both outputs must list them:
/// errors, queries, warnings; DfE codes before named checks; then file, row, and column letter
/// (RNE, column B, before DECOM, column C).
const EXPECTED_ORDER: [(&str, &str, &str, &str); 10] = [
    ("error", "433", "", ""),
    ("error", "duplicate-row", "5", ""),
    ("error", "integer-out-of-range", "3", "N"),
    ("error", "invalid-code", "3", "RNE"),
    ("error", "invalid-date", "3", "DECOM"),
    ("error", "missing-column", "", "HOME_POST"),
    ("error", "missing-value", "4", "DECOM"),
    ("query", "1005", "4", "RNE"),
    ("query", "1005", "4", "DECOM"),
    ("warning", "encoding-guessed", "", ""),
];

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn issues_csv_lists_every_issue_in_order_for_excel() {
    let f = fixture();
    assert_eq!(f.issues.len(), EXPECTED_ORDER.len());
    let path = f.dir.path().join("issues.csv");
    write_issues_csv(&path, &f.issues).unwrap();

    assert_eq!(mode(&path), 0o600);
    let bytes = std::fs::read(&path).unwrap();
    assert_eq!(
        &bytes[..3],
        b"\xEF\xBB\xBF",
        "Excel needs the BOM to read UTF-8"
    );

    let mut reader = csv::Reader::from_path(&path).unwrap();
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        vec![
            "run_id",
            "return",
            "collection_year",
            "finding_id",
            "severity",
            "rule_code",
            "level",
            "file",
            "file_sha256",
            "table",
            "row",
            "column",
            "column_letter",
            "child_id",
            "flagged_value",
            "message",
        ]
    );
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let order: Vec<(&str, &str, &str, &str)> = records
        .iter()
        .map(|r| (&r[4], &r[5], &r[10], &r[11]))
        .collect();
    assert_eq!(order, EXPECTED_ORDER);

    let invalid_code = &records[3];
    assert_eq!(
        invalid_code.iter().take(15).collect::<Vec<_>>(),
        vec![
            "run-1",
            "ssda903",
            "2025/26",
            "2",
            "error",
            "invalid-code",
            "cell",
            "exports/Episodes.csv",
            EPISODES_SHA,
            "Episodes",
            "3",
            "RNE",
            "B",
            "C2",
            "'=1+1",
        ]
    );
    assert!(invalid_code[15].starts_with("RNE is not a valid code for 2025/26"));
    assert_eq!(&records[2][14], "'-5", "a leading minus is defused too");
    assert_eq!(&records[4][14], "1/4/2025", "ordinary values are untouched");
    assert_eq!(&records[0][6], "child");
    assert_eq!(&records[5][6], "table");
    assert_eq!(&records[9][6], "file");
    assert_eq!(
        records[7][3], records[8][3],
        "the linked cells of one query share a finding id"
    );
    assert_ne!(records[7][3], records[6][3]);
}

fn open(path: &Path) -> Xlsx<std::io::BufReader<std::fs::File>> {
    open_workbook(path).unwrap()
}

fn text(sheet: &calamine::Range<Data>, row: u32, column: u32) -> String {
    match sheet.get_value((row, column)) {
        Some(Data::String(s)) => s.clone(),
        Some(Data::Empty) | None => String::new(),
        Some(other) => panic!("({row}, {column}) is {other:?}, not text"),
    }
}

fn number(sheet: &calamine::Range<Data>, row: u32, column: u32) -> f64 {
    match sheet.get_value((row, column)) {
        Some(Data::Float(n)) => *n,
        other => panic!("({row}, {column}) is {other:?}, not a number"),
    }
}

/// The solid fill colour of a cell as 0xRRGGBB, if it has one.
fn fill(styles: &calamine::StyleRange, row: u32, column: u32) -> Option<u32> {
    let fill = styles.get((row, column))?.fill.as_ref()?;
    if fill.pattern != calamine::FillPattern::Solid {
        return None;
    }
    let c = fill.foreground_color?;
    Some(u32::from(c.red) << 16 | u32::from(c.green) << 8 | u32::from(c.blue))
}

const ERROR_FILL: u32 = 0xFFC7CE;
const QUERY_FILL: u32 = 0xFFEB9C;
const WARNING_FILL: u32 = 0xDDEBF7;
const HEADER_FILL: u32 = 0xD9E1F2;

fn write_fixture_workbook(f: &Fixture) -> PathBuf {
    let path = f.dir.path().join("validation.xlsx");
    let summary = Summary {
        facts: vec![
            ("Run".into(), "run-1".into()),
            ("Return".into(), "SSDA903 2025/26".into()),
            ("Local authority".into(), "=Synthetic".into()),
        ],
        files: f.files.clone(),
    };
    let tables: Vec<&Table> = f.tables.iter().collect();
    write_workbook(&path, &summary, &f.issues, &tables).unwrap();
    path
}

#[test]
fn workbook_has_a_summary_issues_children_and_one_sheet_per_table() {
    let f = fixture();
    let path = write_fixture_workbook(&f);
    assert_eq!(mode(&path), 0o600);
    assert_eq!(
        std::fs::read_dir(f.dir.path()).unwrap().count(),
        1,
        "no temporary file is left beside the workbook"
    );
    let mut book = open(&path);
    assert_eq!(
        book.sheet_names(),
        vec![
            "Summary",
            "Issues",
            "By child",
            "Episodes",
            "ChildProtectionPlansAndReviewsE",
        ],
        "the empty table has no sheet; a long name is cut to Excel's 31 characters"
    );

    let issues = book.worksheet_range("Issues").unwrap();
    let headers: Vec<String> = (0..16).map(|c| text(&issues, 0, c)).collect();
    assert_eq!(
        headers,
        vec![
            "Run",
            "Return",
            "Collection year",
            "Finding",
            "Severity",
            "Rule",
            "Level",
            "File",
            "File SHA-256",
            "Table",
            "Row",
            "Column",
            "Column letter",
            "Child",
            "Value",
            "Message",
        ]
    );
    assert_eq!(issues.height(), 1 + EXPECTED_ORDER.len());
    for (index, (severity, rule, row, column)) in EXPECTED_ORDER.into_iter().enumerate() {
        let at = index as u32 + 1;
        assert_eq!(text(&issues, at, 4), severity, "row {at}");
        assert_eq!(text(&issues, at, 5), rule, "row {at}");
        let shown_row = match issues.get_value((at, 10)) {
            Some(Data::Float(n)) => n.to_string(),
            _ => String::new(),
        };
        assert_eq!(shown_row, row, "row {at}: rows are numbers Excel can sort");
        assert_eq!(text(&issues, at, 11), column, "row {at}");
    }
    assert_eq!(
        text(&issues, 4, 14),
        "=1+1",
        "the value as typed, no guard quote"
    );
    assert_eq!(text(&issues, 4, 7), "exports/Episodes.csv");
    assert_eq!(text(&issues, 4, 12), "B");
    assert_eq!(number(&issues, 4, 3), 2.0);
    let formulas = book.worksheet_formula("Issues").unwrap();
    assert!(
        formulas.used_cells().all(|(_, _, f)| f.is_empty()),
        "text starting with = is written as text, never as a formula"
    );
    let issue_styles = book.worksheet_style("Issues").unwrap();
    assert_eq!(fill(&issue_styles, 1, 4), Some(ERROR_FILL));
    assert_eq!(fill(&issue_styles, 8, 4), Some(QUERY_FILL));
    assert_eq!(fill(&issue_styles, 10, 4), Some(WARNING_FILL));
}

#[test]
fn table_sheets_show_rows_as_typed_and_mark_the_cells_at_fault() {
    let f = fixture();
    let path = write_fixture_workbook(&f);
    let mut book = open(&path);
    let sheet = book.worksheet_range("Episodes").unwrap();
    let styles = book.worksheet_style("Episodes").unwrap();
    let header: Vec<String> = (0..8).map(|c| text(&sheet, 0, c)).collect();
    assert_eq!(
        header,
        vec![
            "File",
            "Row",
            "Issues",
            "CHILD",
            "DECOM",
            "RNE",
            "N",
            "HOME_POST"
        ]
    );
    assert_eq!(
        fill(&styles, 0, 7),
        Some(ERROR_FILL),
        "the missing column's header"
    );
    assert_eq!(fill(&styles, 0, 4), Some(HEADER_FILL));
    assert_eq!(sheet.height(), 5);

    // Row 2 of the file is clean.
    assert_eq!(text(&sheet, 1, 0), "Episodes.csv");
    assert_eq!(number(&sheet, 1, 1), 2.0);
    assert_eq!(text(&sheet, 1, 2), "");
    assert_eq!(
        (3..7).map(|c| text(&sheet, 1, c)).collect::<Vec<_>>(),
        vec!["C1", "01/04/2025", "S", "3"]
    );
    assert!((0..8).all(|c| fill(&styles, 1, c).is_none()));

    // Row 3: three bad cells, shown exactly as typed and filled; the good one is not.
    assert_eq!(number(&sheet, 2, 1), 3.0);
    assert_eq!(
        text(&sheet, 2, 2),
        "N: integer-out-of-range; RNE: invalid-code; DECOM: invalid-date"
    );
    assert_eq!(
        (3..7).map(|c| text(&sheet, 2, c)).collect::<Vec<_>>(),
        vec!["C2", "1/4/2025", "=1+1", "-5"]
    );
    assert_eq!(fill(&styles, 2, 2), Some(ERROR_FILL));
    assert_eq!(fill(&styles, 2, 3), None, "CHILD is fine");
    for column in 4..7 {
        assert_eq!(
            fill(&styles, 2, column),
            Some(ERROR_FILL),
            "column {column}"
        );
    }

    // Row 4: the blank mandatory DECOM is filled although empty; the lower-case code is kept as
    // typed and carries the query's colour; the row's worst issue colours its Issues cell.
    assert_eq!(
        text(&sheet, 3, 2),
        "DECOM: missing-value; RNE: 1005; DECOM: 1005"
    );
    assert_eq!(text(&sheet, 3, 4), "");
    assert_eq!(fill(&styles, 3, 4), Some(ERROR_FILL));
    assert_eq!(text(&sheet, 3, 5), "s");
    assert_eq!(fill(&styles, 3, 5), Some(QUERY_FILL));
    assert_eq!(fill(&styles, 3, 2), Some(ERROR_FILL));

    // Row 5 repeats row 2: the row number carries the row-level issue.
    assert_eq!(text(&sheet, 4, 2), "duplicate-row");
    assert_eq!(fill(&styles, 4, 1), Some(ERROR_FILL));
    assert_eq!(fill(&styles, 4, 3), None);

    let plans = book
        .worksheet_range("ChildProtectionPlansAndReviewsE")
        .unwrap();
    assert_eq!(
        (0..5).map(|c| text(&plans, 0, c)).collect::<Vec<_>>(),
        vec!["File", "Row", "Issues", "CHILD", "START"]
    );
    assert_eq!(text(&plans, 1, 0), "plans.csv");
    assert_eq!(text(&plans, 1, 4), "05/05/2025");
}

#[test]
fn summary_and_by_child_count_findings_per_rule_and_child() {
    let f = fixture();
    let path = write_fixture_workbook(&f);
    let mut book = open(&path);
    let summary = book.worksheet_range("Summary").unwrap();
    let column_a: Vec<String> = (0..summary.height() as u32)
        .map(|r| text(&summary, r, 0))
        .collect();
    let row_of = |label: &str| {
        column_a
            .iter()
            .position(|a| a == label)
            .unwrap_or_else(|| panic!("no {label} row")) as u32
    };

    assert_eq!(text(&summary, 0, 0), "Validation summary");
    let facts: Vec<(String, String)> = (2..5)
        .map(|r| (text(&summary, r, 0), text(&summary, r, 1)))
        .collect();
    assert_eq!(
        facts,
        vec![
            ("Run".to_string(), "run-1".to_string()),
            ("Return".to_string(), "SSDA903 2025/26".to_string()),
            ("Local authority".to_string(), "=Synthetic".to_string()),
        ],
        "facts in the order given, as text"
    );

    let severity = row_of("Severity");
    assert_eq!(
        (1..4)
            .map(|c| text(&summary, severity, c))
            .collect::<Vec<_>>(),
        vec!["Issues", "Findings", "Children"]
    );
    let counts = |row: u32| -> Vec<f64> { (1..4).map(|c| number(&summary, row, c)).collect() };
    assert_eq!(text(&summary, severity + 1, 0), "error");
    assert_eq!(counts(severity + 1), vec![7.0, 7.0, 3.0]);
    assert_eq!(text(&summary, severity + 2, 0), "query");
    assert_eq!(
        counts(severity + 2),
        vec![2.0, 1.0, 1.0],
        "two cells, one finding"
    );
    assert_eq!(text(&summary, severity + 3, 0), "warning");
    assert_eq!(counts(severity + 3), vec![1.0, 1.0, 0.0]);

    let rule = row_of("Rule");
    assert_eq!(
        (0..5).map(|c| text(&summary, rule, c)).collect::<Vec<_>>(),
        vec!["Rule", "Severity", "Findings", "Children", "Message"]
    );
    let rule_codes: Vec<String> = (1..=9).map(|i| text(&summary, rule + i, 0)).collect();
    assert_eq!(
        rule_codes,
        vec![
            "433",
            "duplicate-row",
            "integer-out-of-range",
            "invalid-code",
            "invalid-date",
            "missing-column",
            "missing-value",
            "1005",
            "encoding-guessed",
        ]
    );
    let query = rule + 8;
    assert_eq!(text(&summary, query, 1), "query");
    assert_eq!(number(&summary, query, 2), 1.0);
    assert_eq!(number(&summary, query, 3), 1.0);
    assert_eq!(
        text(&summary, query, 4),
        "Please check: RNE does not fit DECOM."
    );
    assert_eq!(
        text(&summary, rule + 5, 4),
        Check::InvalidDate.description()
    );

    let files = row_of("Input file");
    assert_eq!(text(&summary, files + 1, 0), "exports/Episodes.csv");
    assert_eq!(text(&summary, files + 1, 4), EPISODES_SHA);
    assert_eq!(text(&summary, files + 2, 0), "exports/plans.csv");

    let children = book.worksheet_range("By child").unwrap();
    let rows: Vec<(String, Vec<f64>, String)> = (1..children.height() as u32)
        .map(|r| {
            (
                text(&children, r, 0),
                (1..4).map(|c| number(&children, r, c)).collect(),
                text(&children, r, 4),
            )
        })
        .collect();
    assert_eq!(
        rows,
        vec![
            ("C1".into(), vec![1.0, 0.0, 0.0], "duplicate-row".into()),
            (
                "C2".into(),
                vec![4.0, 0.0, 0.0],
                "433, integer-out-of-range, invalid-code, invalid-date".into()
            ),
            (
                "C3".into(),
                vec![1.0, 1.0, 0.0],
                "1005, missing-value".into()
            ),
        ]
    );
}
