//! SSDA903 ingest from CSV folders and workbooks: encodings, header recognition, layout problems,
//! cell problems and where each finding points.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use csc_returns::ingest::dataset::{self, Dataset, LoadRequest};
use csc_returns::issue::{Issue, IssueSink, Level, Severity};
use csc_returns::rules::ssda903::{self, Ssda903};
use csc_returns::schema::{ReturnKind, SchemaSet};
use csc_returns::source::Role;
use csc_returns::table::Val;
use csc_returns::year::CollectionYear;

const HEADER: &str = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB";
const EPISODES: &str =
    "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN";

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

fn load(files: Vec<PathBuf>) -> (Dataset, Vec<Issue>) {
    let request = LoadRequest {
        return_kind: ReturnKind::Ssda903,
        year: Some(CollectionYear::new(2026).unwrap()),
        role: Role::ThisYear,
        files,
    };
    let (dataset, sink) = dataset::load(
        &request,
        &SchemaSet::embedded().unwrap(),
        &Arc::from("test"),
    )
    .unwrap();
    (dataset, sink.into_issues())
}

/// (rule code, file name, row, column) of each issue, for compact assertions.
fn places(issues: &[Issue]) -> Vec<(String, String, Option<u32>, Option<String>)> {
    let mut places: Vec<_> = issues
        .iter()
        .map(|i| {
            (
                i.rule_code.to_string(),
                i.location
                    .file
                    .as_ref()
                    .map(|f| f.name())
                    .unwrap_or_default(),
                i.location.row,
                i.location.column.as_deref().map(str::to_string),
            )
        })
        .collect();
    places.sort();
    places
}

#[test]
fn clean_files_with_any_names_load_into_their_tables() {
    let dir = tempfile::tempdir().unwrap();
    let header = write(
        dir.path(),
        "export_a.csv",
        format!("{HEADER}\n1,M,01/02/2015,WBRI,UN1,,\n").as_bytes(),
    );
    let episodes = write(
        dir.path(),
        "export_b.csv",
        format!("{EPISODES}\n1,01/05/2025,S,C2,N1,U1,PR1,,,,M1 1AE,LS1 1UR,SC123456\n").as_bytes(),
    );
    let (dataset, issues) = load(vec![header, episodes]);
    assert!(issues.is_empty(), "{issues:#?}");
    let episodes = dataset.table("Episodes").unwrap();
    assert_eq!(episodes.len(), 1);
    let decom = episodes.column_index("DECOM").unwrap();
    assert_eq!(
        episodes.date(decom, 0),
        Val::Ok(chrono::NaiveDate::from_ymd_opt(2025, 5, 1).unwrap())
    );
    let header = dataset.table("Header").unwrap();
    assert_eq!(header.len(), 1);
    assert_eq!(
        header.code(header.column_index("UASC").unwrap(), 0),
        Val::Blank,
        "the CSV Header has no UASC flag, and lacks no column for it"
    );
    assert_eq!(dataset.files.len(), 2);
    assert_eq!(dataset.files[0].sha256.len(), 64);
}

#[test]
fn windows_1252_and_bom_files_are_decoded_and_the_guess_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    // A UASC file in UTF-8 with BOM, a Header file in Windows-1252 with é (0xE9) in an unknown column.
    let mut uasc = b"\xEF\xBB\xBF".to_vec();
    uasc.extend(b"CHILD,SEX,DOB,DUC\n1,M,01/02/2010,01/01/2026\n");
    let uasc = write(dir.path(), "uasc.csv", &uasc);
    let mut header = format!("{HEADER},Nom\n").into_bytes();
    header.extend(b"1,M,01/02/2010,WBRI,UN2,,,Ren\xE9e\n");
    let header = write(dir.path(), "header.csv", &header);
    let (dataset, issues) = load(vec![uasc, header]);
    assert_eq!(dataset.files[0].encoding.as_deref(), Some("UTF-8 with BOM"));
    assert_eq!(dataset.files[1].encoding.as_deref(), Some("windows-1252"));
    assert_eq!(
        dataset.table("UASC").unwrap().len(),
        1,
        "the BOM does not hide the CHILD header"
    );
    assert_eq!(
        places(&issues),
        vec![
            ("encoding-guessed".into(), "header.csv".into(), None, None),
            (
                "unknown-column".into(),
                "header.csv".into(),
                None,
                Some("Nom".into())
            ),
        ]
    );
    let unknown = issues
        .iter()
        .find(|i| &*i.rule_code == "unknown-column")
        .unwrap();
    assert_eq!(unknown.location.column_letter.as_deref(), Some("H"));
    assert_eq!(unknown.severity, Severity::Warning);
}

#[test]
fn missing_and_duplicate_columns_are_table_level_findings_and_the_file_is_still_read() {
    let dir = tempfile::tempdir().unwrap();
    // No MC_DOB column, and DOB twice.
    let header = write(
        dir.path(),
        "h.csv",
        b"CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,DOB\n1,F,01/02/2012,WBRI,UN1,0,02/02/2012\n",
    );
    let (dataset, issues) = load(vec![header]);
    assert_eq!(
        places(&issues),
        vec![
            (
                "duplicate-column".into(),
                "h.csv".into(),
                None,
                Some("DOB".into())
            ),
            (
                "missing-column".into(),
                "h.csv".into(),
                None,
                Some("MC_DOB".into())
            ),
        ]
    );
    assert!(issues.iter().all(|i| i.level() == Level::Table));
    let header = dataset.table("Header").unwrap();
    let dob = header.column_index("DOB").unwrap();
    assert_eq!(
        header.original_text(dob, 0),
        "01/02/2012",
        "the first DOB column is used"
    );
}

#[test]
fn bad_cells_are_reported_with_excel_rows_columns_letters_children_and_values() {
    let dir = tempfile::tempdir().unwrap();
    // Row 2 fine; row 3 has a quoted line break in URN (still one Excel row); row 4 is blank;
    // row 5 has a bad date and a wrong code; columns in a shuffled order.
    let text = "DECOM,CHILD,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n\
                01/05/2025,1,S,C2,N1,U1,PR1,,,,,,SC1\n\
                01/06/2025,2,S,C2,N1,U1,PR1,,,,,,\"SC\n2\"\n\
                \n\
                31/02/2025,3,S,C2,N1,QQ,PR1,,,,,,SC3\n";
    let episodes = write(dir.path(), "episodes.csv", text.as_bytes());
    let (dataset, issues) = load(vec![episodes]);
    assert_eq!(dataset.table("Episodes").unwrap().len(), 3);
    assert_eq!(
        places(&issues),
        vec![
            (
                "invalid-code".into(),
                "episodes.csv".into(),
                Some(5),
                Some("PLACE".into())
            ),
            (
                "invalid-date".into(),
                "episodes.csv".into(),
                Some(5),
                Some("DECOM".into())
            ),
        ]
    );
    let date = issues
        .iter()
        .find(|i| &*i.rule_code == "invalid-date")
        .unwrap();
    assert_eq!(date.location.column_letter.as_deref(), Some("A"));
    assert_eq!(date.location.child_id.as_deref(), Some("3"));
    assert_eq!(date.flagged_value.as_deref(), Some("31/02/2025"));
    assert!(date.message.contains("dd/mm/yyyy"), "{}", date.message);
    let code = issues
        .iter()
        .find(|i| &*i.rule_code == "invalid-code")
        .unwrap();
    assert_eq!(code.location.column_letter.as_deref(), Some("F"));
    assert!(
        code.message.contains("U1"),
        "the message lists the valid codes: {}",
        code.message
    );
    assert_eq!(date.location.file.as_ref().unwrap().sha256.len(), 64);
}

#[test]
fn one_bad_cell_hides_nothing_else_in_its_row() {
    let dir = tempfile::tempdir().unwrap();
    let episodes = write(
        dir.path(),
        "e.csv",
        format!("{EPISODES}\n1,2025-05-01,S,C2,N1,U1,PR1,01/07/2025,E11,,,,SC1\n").as_bytes(),
    );
    let (dataset, issues) = load(vec![episodes]);
    assert_eq!(issues.len(), 1);
    let table = dataset.table("Episodes").unwrap();
    assert_eq!(
        table.date(table.column_index("DECOM").unwrap(), 0),
        Val::Invalid
    );
    assert_eq!(
        table.code(table.column_index("REC").unwrap(), 0),
        Val::Ok("E11")
    );
    assert!(
        table
            .date(table.column_index("DEC").unwrap(), 0)
            .ok()
            .is_some()
    );
}

#[test]
fn a_table_split_over_two_files_is_one_table_with_each_row_traced_to_its_file() {
    let dir = tempfile::tempdir().unwrap();
    let first = write(
        dir.path(),
        "episodes_1.csv",
        format!("{EPISODES}\n1,01/05/2025,S,C2,N1,U1,PR1,,,,,,SC1\n").as_bytes(),
    );
    let second =
        write(dir.path(), "episodes_2.csv", format!("{EPISODES}\n2,01/06/2025,S,C2,N1,U1,PR1,,,,,,SC1\n3,01/06/2025,S,V2,N1,U1,PR1,,,,,,SC1\n").as_bytes());
    let (dataset, issues) = load(vec![first, second]);
    assert!(issues.is_empty(), "{issues:#?}");
    let table = dataset.table("Episodes").unwrap();
    assert_eq!(table.len(), 3);
    let sources: Vec<(String, u32)> = (0..3)
        .map(|r| {
            (
                dataset.files[usize::from(table.source(r).file)].name(),
                table.source(r).line,
            )
        })
        .collect();
    assert_eq!(
        sources,
        vec![
            ("episodes_1.csv".into(), 2),
            ("episodes_2.csv".into(), 2),
            ("episodes_2.csv".into(), 3)
        ]
    );
}

#[test]
fn duplicate_rows_and_children_are_found_across_files() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(
        dir.path(),
        "a.csv",
        format!("{HEADER}\n1,M,01/02/2015,WBRI,UN1,,\n").as_bytes(),
    );
    let b = write(
        dir.path(),
        "b.csv",
        format!("{HEADER}\n1,M,01/02/2015,WBRI,UN1,,\n").as_bytes(),
    );
    let (_, issues) = load(vec![a, b]);
    let codes: Vec<&str> = issues.iter().map(|i| &*i.rule_code).collect();
    assert_eq!(
        codes,
        vec!["duplicate-child", "duplicate-child", "duplicate-row"]
    );
    let duplicate_row = issues
        .iter()
        .find(|i| &*i.rule_code == "duplicate-row")
        .unwrap();
    assert_eq!(
        duplicate_row.location.file.as_ref().unwrap().name(),
        "b.csv"
    );
    assert!(
        duplicate_row.message.contains("row 2 of a.csv"),
        "{}",
        duplicate_row.message
    );
}

#[test]
fn empty_unrecognised_and_ragged_files_are_reported_and_others_still_load() {
    let dir = tempfile::tempdir().unwrap();
    let empty = write(dir.path(), "empty.csv", b"");
    let other = write(dir.path(), "staff.csv", b"Name,Team\nA,B\n");
    let ragged = write(
        dir.path(),
        "h.csv",
        format!("{HEADER}\n1,M,01/02/2015,WBRI,UN1\n").as_bytes(),
    );
    let (dataset, issues) = load(vec![empty, other, ragged]);
    assert_eq!(
        places(&issues),
        vec![
            ("empty-file".into(), "empty.csv".into(), None, None),
            ("ragged-row".into(), "h.csv".into(), Some(2), None),
            ("unrecognised-file".into(), "staff.csv".into(), None, None),
        ]
    );
    assert_eq!(dataset.table("Header").unwrap().len(), 1);
    let unrecognised = issues
        .iter()
        .find(|i| &*i.rule_code == "unrecognised-file")
        .unwrap();
    assert!(
        unrecognised.message.contains("Name, Team") && unrecognised.message.contains("Episodes")
    );
}

#[test]
fn workbooks_hold_one_table_per_sheet_with_excel_dates_and_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("903.xlsx");
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let date_format = rust_xlsxwriter::Format::new().set_num_format("dd/mm/yyyy");
    let header = workbook.add_worksheet().set_name("Children").unwrap();
    for (c, h) in HEADER.split(',').enumerate() {
        header.write_string(0, c as u16, h).unwrap();
    }
    header.write_number(1, 0, 1001.0).unwrap();
    header.write_string(1, 1, "F").unwrap();
    let dob = rust_xlsxwriter::ExcelDateTime::from_ymd(2012, 2, 1).unwrap();
    header
        .write_datetime_with_format(1, 2, &dob, &date_format)
        .unwrap();
    header.write_string(1, 3, "WBRI").unwrap();
    header.write_string(1, 4, "UN1").unwrap();
    header.write_number(1, 5, 0.0).unwrap();
    // A second sheet offset to start at column B, with a bad code at C3.
    let reviews = workbook.add_worksheet().set_name("Reviews").unwrap();
    for (c, h) in ["CHILD", "DOB", "REVIEW", "REVIEW_CODE"].iter().enumerate() {
        reviews.write_string(0, c as u16 + 1, *h).unwrap();
    }
    reviews.write_string(1, 1, "1001").unwrap();
    reviews.write_string(1, 2, "01/02/2012").unwrap();
    reviews.write_string(1, 3, "10/10/2025").unwrap();
    reviews.write_string(1, 4, "PN9").unwrap();
    workbook.save(&path).unwrap();

    let (dataset, issues) = load(vec![path]);
    let header = dataset.table("Header").unwrap();
    assert_eq!(header.len(), 1);
    assert_eq!(
        header.text(header.column_index("CHILD").unwrap(), 0),
        Val::Ok("1001")
    );
    assert_eq!(
        header.original_text(header.column_index("DOB").unwrap(), 0),
        "01/02/2012"
    );
    assert_eq!(
        header.code(header.column_index("MOTHER").unwrap(), 0),
        Val::Ok("0")
    );
    assert_eq!(
        places(&issues),
        vec![(
            "invalid-code".into(),
            "903.xlsx".into(),
            Some(2),
            Some("REVIEW_CODE".into())
        )]
    );
    assert_eq!(issues[0].location.column_letter.as_deref(), Some("E"));
}

/// A DfE 903 XML with two children; line numbers are those of this text.
const XML_903: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<EXPSSDA903>
<CHILD>
<HEADER>
<CHILDID>A1</CHILDID>
<UPN>UN2</UPN>
<SEX>M</SEX>
<DOB>01/02/2009</DOB>
<ETHNIC>OOTH</ETHNIC>
<UASC>1</UASC>
<DUC>01/02/2027</DUC>
<AMISSING><MISSING>M</MISSING><MIS_START>03/05/2025</MIS_START><MIS_END>04/05/2025</MIS_END></AMISSING>
<AMISSING><MISSING>A</MISSING><MIS_START>03/06/2025</MIS_START><MIS_END/></AMISSING>
<AREVIEW><REVIEW>10/10/2025</REVIEW><REVIEW_CODE>PN1</REVIEW_CODE></AREVIEW>
<PERMANENCE><PREV_PERM>Z1</PREV_PERM><LA_PERM/><DATE_PERM/></PERMANENCE>
<FAVOURITE_COLOUR>blue</FAVOURITE_COLOUR>
</HEADER>
<EPISODE>
<DECOM>01/04/2025</DECOM><RNE>S</RNE><LS>V2</LS><CIN>N1</CIN><PL>U4</PL>
<PL_POST>LS1 1UR</PL_POST><HOME_POST>M1 1AE</HOME_POST><URN>SC123456</URN><PLACE_PROVIDER>PR1</PLACE_PROVIDER>
</EPISODE>
<EPISODE>
<DECOM>01/09/2025</DECOM><RNE>P</RNE><LS>V2</LS><CIN>N1</CIN><PL>XX</PL><PLACE_PROVIDER>PR1</PLACE_PROVIDER>
</EPISODE>
</CHILD>
<CHILD>
<HEADER>
<CHILDID>B2</CHILDID><UPN>UN1</UPN><SEX>F</SEX><DOB>01/02/2020</DOB><ETHNIC>WBRI</ETHNIC><MOTHER>0</MOTHER>
<DATE_INT>01/06/2025</DATE_INT><DATE_MATCH>01/08/2025</DATE_MATCH><FOSTER_CARE>0</FOSTER_CARE><NB_ADOPTR>2</NB_ADOPTR><SEX_ADOPTR>MF</SEX_ADOPTR><LS_ADOPTR>L0</LS_ADOPTR>
<AD_PLACED><DATE_PLACED>01/06/2025</DATE_PLACED></AD_PLACED>
</HEADER>
</CHILD>
</EXPSSDA903>
"#;

#[test]
fn the_dfe_xml_spreads_each_child_over_the_tables() {
    let dir = tempfile::tempdir().unwrap();
    let (dataset, issues) = load(vec![write(
        dir.path(),
        "903_2025-26.xml",
        XML_903.as_bytes(),
    )]);
    let rows = |name: &str| dataset.table(name).unwrap().len();
    assert_eq!(
        [
            "Header",
            "Episodes",
            "UASC",
            "Missing",
            "Reviews",
            "PrevPerm",
            "AD1",
            "PlacedAdoption",
            "OC3",
            "OC2"
        ]
        .map(rows),
        [2, 2, 1, 2, 1, 1, 1, 1, 0, 0]
    );
    let episodes = dataset.table("Episodes").unwrap();
    let place = episodes.column_index("PLACE").unwrap();
    assert_eq!(episodes.code(place, 0), Val::Ok("U4"), "PL is PLACE");
    assert_eq!(
        episodes.text(episodes.column_index("CHILD").unwrap(), 1),
        Val::Ok("A1"),
        "CHILD comes from the header"
    );
    assert_eq!(episodes.source(1).line, 22);
    let uasc = dataset.table("UASC").unwrap();
    assert_eq!(
        uasc.original_text(uasc.column_index("DOB").unwrap(), 0),
        "01/02/2009"
    );
    let missing = dataset.table("Missing").unwrap();
    assert_eq!((missing.source(0).line, missing.source(1).line), (12, 13));
    assert_eq!(
        places(&issues),
        vec![
            (
                "invalid-code".into(),
                "903_2025-26.xml".into(),
                Some(22),
                Some("PLACE".into())
            ),
            (
                "unknown-column".into(),
                "903_2025-26.xml".into(),
                Some(16),
                Some("FAVOURITE_COLOUR".into())
            ),
        ]
    );
}

#[test]
fn a_truncated_903_xml_keeps_the_children_read_before_the_cut() {
    let dir = tempfile::tempdir().unwrap();
    let cut = &XML_903[..XML_903.find("<AD_PLACED>").unwrap()];
    let (dataset, issues) = load(vec![write(dir.path(), "903.xml", cut.as_bytes())]);
    assert_eq!(
        dataset.table("Header").unwrap().len(),
        1,
        "the first child is kept, the cut one is not"
    );
    let malformed: Vec<&Issue> = issues
        .iter()
        .filter(|i| &*i.rule_code == "malformed-xml")
        .collect();
    assert_eq!(malformed.len(), 1);
    assert!(
        malformed[0].message.contains("cut short"),
        "{}",
        malformed[0].message
    );
    assert_eq!(
        issues.len(),
        3,
        "besides the cut, the first child's own two findings"
    );
}

/// Four children whose `<UASC>` flags are 1, 0, missing and Y; line numbers are those of this text.
const XML_UASC_FLAGS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<EXPSSDA903>
<CHILD>
<HEADER>
<CHILDID>U1</CHILDID><UPN>UN1</UPN><SEX>M</SEX><DOB>01/02/2009</DOB><ETHNIC>OOTH</ETHNIC>
<UASC>1</UASC><DUC>01/02/2027</DUC>
</HEADER>
</CHILD>
<CHILD>
<HEADER>
<CHILDID>U2</CHILDID><UPN>UN1</UPN><SEX>M</SEX><DOB>01/02/2009</DOB><ETHNIC>OOTH</ETHNIC>
<UASC>0</UASC>
</HEADER>
</CHILD>
<CHILD>
<HEADER>
<CHILDID>U3</CHILDID><UPN>UN1</UPN><SEX>M</SEX><DOB>01/02/2009</DOB><ETHNIC>OOTH</ETHNIC>
</HEADER>
</CHILD>
<CHILD>
<HEADER>
<CHILDID>U4</CHILDID><UPN>UN1</UPN><SEX>M</SEX><DOB>01/02/2009</DOB><ETHNIC>OOTH</ETHNIC>
<UASC>Y</UASC>
</HEADER>
</CHILD>
</EXPSSDA903>
"#;

#[test]
fn the_xml_uasc_flag_is_the_headers_uasc_column_and_rule_105_flags_it_missing_or_invalid() {
    let dir = tempfile::tempdir().unwrap();
    let (dataset, issues) = load(vec![write(
        dir.path(),
        "903.xml",
        XML_UASC_FLAGS.as_bytes(),
    )]);
    let header = dataset.table("Header").unwrap();
    let flag = header.column_index("UASC").unwrap();
    assert_eq!(
        (0..4).map(|row| header.code(flag, row)).collect::<Vec<_>>(),
        [Val::Ok("1"), Val::Ok("0"), Val::Blank, Val::Invalid]
    );
    assert_eq!(
        dataset.table("UASC").unwrap().len(),
        3,
        "any text in <UASC> makes a UASC row, as in the reference validator"
    );
    assert_eq!(
        places(&issues),
        vec![(
            "invalid-code".into(),
            "903.xml".into(),
            Some(21),
            Some("UASC".into())
        )]
    );

    let mut sink = IssueSink::new(Arc::from("test"), ReturnKind::Ssda903, dataset.year);
    ssda903::validate(&Ssda903::new(&dataset, None, None), &mut sink);
    let found: Vec<String> = sink
        .into_issues()
        .into_iter()
        .filter(|i| &*i.rule_code == "105")
        .map(|i| {
            let at = &i.location;
            format!(
                "{} {} row {} {} {:?}",
                at.child_id.as_deref().unwrap_or_default(),
                at.table.as_deref().unwrap_or_default(),
                at.row.unwrap_or_default(),
                at.column.as_deref().unwrap_or_default(),
                i.flagged_value
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            "U3 Header row 16 UASC None",
            "U4 Header row 21 UASC Some(\"Y\")"
        ]
    );
}
