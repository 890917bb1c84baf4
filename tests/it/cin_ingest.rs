//! The CIN census XML reader on good and bad files: every element of the spec, generated keys,
//! line numbers, bad values, broken and empty files, encodings and unknown elements.

use std::path::PathBuf;
use std::sync::Arc;

use chrono::NaiveDate;
use csc_returns::ingest::cin_xml::{self, CinXml};
use csc_returns::ingest::xml::XmlText;
use csc_returns::issue::{Issue, IssueSink, Severity};
use csc_returns::schema::{ReturnKind, ReturnSchema};
use csc_returns::source::{Role, SourceFile, SourceFormat};
use csc_returns::table::{CellValue, Table};

/// The CIN flat tables as `schemas/cin/<year>.yaml` defines them; `GENDER` becomes GenderCurrent
/// (to 2023/24) or Sex (from 2024/25).
const SCHEMA: &str = r#"
return: cin
collection_year: YEAR
version: test
source: test
child_column: LAchildID
tables:
  - name: Header
    snapshot_name: header
    columns:
      - {name: Collection, type: code, codes: collection}
      - {name: Year, type: integer}
      - {name: ReferenceDate, type: date, format: yyyy-mm-dd, mandatory: true}
      - {name: SourceLevel, type: code, codes: source_level}
      - {name: LEA, type: text, mandatory: true}
      - {name: SoftwareCode, type: text}
      - {name: Release, type: text}
      - {name: SerialNo, type: text}
      - {name: DateTime, type: text}
  - name: ChildIdentifiers
    snapshot_name: child_identifiers
    columns:
      - {name: LAchildID, type: text, mandatory: true}
      - {name: UPN, type: text}
      - {name: FormerUPN, type: text}
      - {name: UPNunknown, type: code, codes: upn_unknown}
      - {name: PersonBirthDate, type: date, format: yyyy-mm-dd}
      - {name: ExpectedPersonBirthDate, type: date, format: yyyy-mm-dd}
      - {name: GENDER, type: code, codes: gender, mandatory: true}
      - {name: PersonDeathDate, type: date, format: yyyy-mm-dd}
  - name: ChildCharacteristics
    snapshot_name: child_characteristics
    columns:
      - {name: LAchildID, type: text, mandatory: true}
      - {name: Ethnicity, type: code, codes: ethnicity, mandatory: true}
  - name: Disabilities
    snapshot_name: disabilities
    columns:
      - {name: LAchildID, type: text, mandatory: true}
      - {name: Disability, type: code, codes: disability, mandatory: true}
  - name: CINdetails
    snapshot_name: cin_details
    columns:
      - {name: LAchildID, type: text, mandatory: true}
      - {name: CINdetailsID, type: integer, generated: true}
      - {name: CINreferralDate, type: date, format: yyyy-mm-dd, mandatory: true}
      - {name: ReferralSource, type: code, codes: referral_source, mandatory: true}
      - {name: PrimaryNeedCode, type: code, codes: primary_need}
      - {name: CINclosureDate, type: date, format: yyyy-mm-dd}
      - {name: ReasonForClosure, type: code, codes: reason_for_closure}
      - {name: DateOfInitialCPC, type: date, format: yyyy-mm-dd}
      - {name: ReferralNFA, type: boolean, mandatory: true}
  - name: Assessments
    snapshot_name: assessments
    columns:
      - {name: LAchildID, type: text, mandatory: true}
      - {name: CINdetailsID, type: integer, generated: true}
      - {name: AssessmentID, type: integer, generated: true}
      - {name: AssessmentActualStartDate, type: date, format: yyyy-mm-dd, mandatory: true}
      - {name: AssessmentInternalReviewDate, type: date, format: yyyy-mm-dd}
      - {name: AssessmentAuthorisationDate, type: date, format: yyyy-mm-dd}
  - name: AssessmentFactorsList
    snapshot_name: assessment_factors_list
    columns:
      - {name: LAchildID, type: text, mandatory: true}
      - {name: CINdetailsID, type: integer, generated: true}
      - {name: AssessmentID, type: integer, generated: true}
      - {name: AssessmentFactor, type: code, codes: factor, mandatory: true, synonyms: [AssessmentFactors]}
  - name: CINplanDates
    snapshot_name: cin_plan_dates
    columns:
      - {name: LAchildID, type: text, mandatory: true}
      - {name: CINdetailsID, type: integer, generated: true}
      - {name: CINPlanStartDate, type: date, format: yyyy-mm-dd, mandatory: true}
      - {name: CINPlanEndDate, type: date, format: yyyy-mm-dd}
  - name: Section47
    snapshot_name: section47
    columns:
      - {name: LAchildID, type: text, mandatory: true}
      - {name: CINdetailsID, type: integer, generated: true}
      - {name: S47ActualStartDate, type: date, format: yyyy-mm-dd, mandatory: true}
      - {name: InitialCPCtarget, type: date, format: yyyy-mm-dd}
      - {name: DateOfInitialCPC, type: date, format: yyyy-mm-dd}
      - {name: ICPCnotRequired, type: boolean, mandatory: true}
  - name: ChildProtectionPlans
    snapshot_name: child_protection_plans
    columns:
      - {name: LAchildID, type: text, mandatory: true}
      - {name: CINdetailsID, type: integer, generated: true}
      - {name: CPPID, type: integer, generated: true}
      - {name: CPPstartDate, type: date, format: yyyy-mm-dd, mandatory: true}
      - {name: CPPendDate, type: date, format: yyyy-mm-dd}
      - {name: InitialCategoryOfAbuse, type: code, codes: abuse, mandatory: true}
      - {name: LatestCategoryOfAbuse, type: code, codes: abuse, mandatory: true}
      - {name: NumberOfPreviousCPP, type: integer, min: 0, mandatory: true}
  - name: Reviews
    snapshot_name: reviews
    columns:
      - {name: LAchildID, type: text, mandatory: true}
      - {name: CINdetailsID, type: integer, generated: true}
      - {name: CPPID, type: integer, generated: true}
      - {name: CPPreviewDate, type: date, format: yyyy-mm-dd, mandatory: true}
code_lists:
  collection: [{code: CIN, label: CIN}]
  source_level: [{code: L, label: LA}]
  upn_unknown: [{code: UN1, label: a}, {code: UN2, label: b}]
  gender: GENDER_CODES
  ethnicity: [{code: WBRI, label: a}, {code: MWBA, label: b}, {code: NOBT, label: c}]
  disability: [{code: NONE, label: a}, {code: MOB, label: b}, {code: HAND, label: c}, {code: AUT, label: d}]
  referral_source: [{code: 1A, label: a}, {code: 2A, label: b}, {code: "6", label: c}]
  primary_need: [{code: N1, label: a}, {code: N4, label: b}]
  reason_for_closure: [{code: RC1, label: a}, {code: RC8, label: b}]
  factor: [{code: 1A, label: a}, {code: 2B, label: b}, {code: 3C, label: c}, {code: "21", label: d}]
  abuse: [{code: NEG, label: a}, {code: PHY, label: b}, {code: MUL, label: c}]
"#;

fn schema(year: u16) -> Arc<ReturnSchema> {
    let (gender, codes) = if year <= 2024 {
        (
            "GenderCurrent",
            "[{code: '1', label: m}, {code: '2', label: f}, {code: '0', label: u}, {code: '9', label: i}]",
        )
    } else {
        (
            "Sex",
            "[{code: M, label: m}, {code: F, label: f}, {code: U, label: u}]",
        )
    };
    let yaml = SCHEMA
        .replace("YEAR", &year.to_string())
        .replace("GENDER_CODES", codes)
        .replace("GENDER", gender);
    Arc::new(ReturnSchema::from_yaml("test.yaml", &yaml).unwrap())
}

struct Read {
    cin: CinXml,
    issues: Vec<Issue>,
    encoding: &'static str,
    /// Time spent in `cin_xml::read` alone (decoding and hashing excluded).
    took: std::time::Duration,
}

impl Read {
    fn table(&self, name: &str) -> &Table {
        self.cin.tables.iter().find(|t| t.name() == name).unwrap()
    }

    /// Column `column` of every row of `table`, as text.
    fn column(&self, table: &str, column: &str) -> Vec<String> {
        let table = self.table(table);
        let c = table.column_index(column).unwrap();
        (0..table.len())
            .map(|row| table.original_text(c, row).into_owned())
            .collect()
    }

    /// Asserts each (column, text of every row) of `table`.
    fn assert_columns(&self, table: &str, expected: &[(&str, &[&str])]) {
        for (column, values) in expected {
            assert_eq!(self.column(table, column), *values, "{table}.{column}");
        }
    }

    fn lines(&self, table: &str) -> Vec<u32> {
        let table = self.table(table);
        (0..table.len()).map(|row| table.source(row).line).collect()
    }

    fn codes(&self) -> Vec<&str> {
        self.issues.iter().map(|i| &*i.rule_code).collect()
    }
}

fn read_bytes(bytes: &[u8], year: u16) -> Read {
    read_with(&schema(year), bytes)
}

fn read_with(schema: &Arc<ReturnSchema>, bytes: &[u8]) -> Read {
    let year = schema.collection_year;
    let text = XmlText::decode(bytes);
    let file = Arc::new(SourceFile {
        id: 0,
        path: PathBuf::from("cin.xml"),
        format: SourceFormat::Xml,
        role: Role::ThisYear,
        size: bytes.len() as u64,
        sha256: csc_returns::source::sha256_hex(bytes),
        encoding: Some(text.encoding().to_string()),
    });
    let mut sink = IssueSink::new("test".into(), ReturnKind::Cin, year);
    let start = std::time::Instant::now();
    let cin = cin_xml::read(&text, &file, std::slice::from_ref(&file), schema, &mut sink);
    let took = start.elapsed();
    Read {
        cin,
        issues: sink.into_issues(),
        encoding: text.encoding(),
        took,
    }
}

fn read(xml: &str) -> Read {
    read_bytes(xml.as_bytes(), 2024)
}

/// The 1-based line of the `nth` (0-based) occurrence of `needle`, found independently of the
/// reader.
fn line_of(xml: &str, needle: &str, nth: usize) -> u32 {
    let (at, _) = xml
        .match_indices(needle)
        .nth(nth)
        .unwrap_or_else(|| panic!("{needle} #{nth} not in the fixture"));
    xml[..at].matches('\n').count() as u32 + 1
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

const HEADER: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<Message>
  <Header>
    <CollectionDetails>
      <Collection>CIN</Collection>
      <Year>2024</Year>
      <ReferenceDate>2024-03-31</ReferenceDate>
    </CollectionDetails>
    <Source>
      <SourceLevel>L</SourceLevel>
      <LEA>201</LEA>
      <SoftwareCode>Synthetic</SoftwareCode>
      <Release>1.0</Release>
      <SerialNo>001</SerialNo>
      <DateTime>2024-04-02T08:15:00</DateTime>
    </Source>
  </Header>
  <Children>
"#;

const FOOTER: &str = "  </Children>\n</Message>\n";

/// A child with every element of the spec: two disabilities, two episodes, two assessments with
/// factors, a CIN plan, a section 47 and two plans, one with three reviews.
const FULL_CHILD: &str = r#"    <Child>
      <ChildIdentifiers>
        <LAchildID>SYN0001</LAchildID>
        <UPN>A123456789012</UPN>
        <FormerUPN>B123456789012</FormerUPN>
        <UPNunknown>UN2</UPNunknown>
        <PersonBirthDate>2015-06-01</PersonBirthDate>
        <ExpectedPersonBirthDate/>
        <GenderCurrent>1</GenderCurrent>
        <PersonDeathDate>2024-03-01</PersonDeathDate>
      </ChildIdentifiers>
      <ChildCharacteristics>
        <Ethnicity>WBRI</Ethnicity>
        <Disabilities>
          <Disability>MOB</Disability>
          <Disability>HAND</Disability>
        </Disabilities>
      </ChildCharacteristics>
      <CINdetails>
        <CINreferralDate>2023-05-01</CINreferralDate>
        <ReferralSource>1A</ReferralSource>
        <PrimaryNeedCode>N1</PrimaryNeedCode>
        <CINclosureDate>2024-01-31</CINclosureDate>
        <ReasonForClosure>RC8</ReasonForClosure>
        <DateOfInitialCPC>2023-06-01</DateOfInitialCPC>
        <Assessments>
          <AssessmentActualStartDate>2023-05-02</AssessmentActualStartDate>
          <AssessmentInternalReviewDate>2023-05-20</AssessmentInternalReviewDate>
          <AssessmentAuthorisationDate>2023-05-30</AssessmentAuthorisationDate>
          <FactorsIdentifiedAtAssessment>
            <AssessmentFactors>1A</AssessmentFactors>
            <AssessmentFactors>2B</AssessmentFactors>
          </FactorsIdentifiedAtAssessment>
        </Assessments>
        <Assessments>
          <AssessmentActualStartDate>2023-09-01</AssessmentActualStartDate>
          <AssessmentAuthorisationDate>2023-09-15</AssessmentAuthorisationDate>
          <FactorsIdentifiedAtAssessment>
            <AssessmentFactors>3C</AssessmentFactors>
          </FactorsIdentifiedAtAssessment>
        </Assessments>
        <CINPlanDates>
          <CINPlanStartDate>2023-06-01</CINPlanStartDate>
          <CINPlanEndDate>2023-07-01</CINPlanEndDate>
        </CINPlanDates>
        <Section47>
          <S47ActualStartDate>2023-05-10</S47ActualStartDate>
          <InitialCPCtarget>2023-05-31</InitialCPCtarget>
          <DateOfInitialCPC>2023-06-01</DateOfInitialCPC>
          <ICPCnotRequired>false</ICPCnotRequired>
        </Section47>
        <ReferralNFA>0</ReferralNFA>
        <ChildProtectionPlans>
          <CPPstartDate>2023-06-01</CPPstartDate>
          <CPPendDate>2023-09-01</CPPendDate>
          <InitialCategoryOfAbuse>NEG</InitialCategoryOfAbuse>
          <LatestCategoryOfAbuse>PHY</LatestCategoryOfAbuse>
          <NumberOfPreviousCPP>1</NumberOfPreviousCPP>
          <Reviews>
            <CPPreviewDate>2023-06-15</CPPreviewDate>
            <CPPreviewDate>2023-07-15</CPPreviewDate>
            <CPPreviewDate>2023-08-15</CPPreviewDate>
          </Reviews>
        </ChildProtectionPlans>
        <ChildProtectionPlans>
          <CPPstartDate>2023-10-01</CPPstartDate>
          <InitialCategoryOfAbuse>MUL</InitialCategoryOfAbuse>
          <LatestCategoryOfAbuse>MUL</LatestCategoryOfAbuse>
          <NumberOfPreviousCPP>2</NumberOfPreviousCPP>
        </ChildProtectionPlans>
      </CINdetails>
      <CINdetails>
        <CINreferralDate>2024-02-01</CINreferralDate>
        <ReferralSource>6</ReferralSource>
        <ReferralNFA>true</ReferralNFA>
        <Assessments>
          <AssessmentActualStartDate>2024-02-02</AssessmentActualStartDate>
        </Assessments>
        <ChildProtectionPlans>
          <CPPstartDate>2024-02-10</CPPstartDate>
          <InitialCategoryOfAbuse>NEG</InitialCategoryOfAbuse>
          <LatestCategoryOfAbuse>NEG</LatestCategoryOfAbuse>
          <NumberOfPreviousCPP>0</NumberOfPreviousCPP>
          <Reviews>
            <CPPreviewDate>2024-03-01</CPPreviewDate>
          </Reviews>
        </ChildProtectionPlans>
      </CINdetails>
    </Child>
"#;

/// A second child whose identifiers come after its episode, as some exports write them.
const LATE_ID_CHILD: &str = r#"    <Child>
      <CINdetails>
        <CINreferralDate>2023-11-01</CINreferralDate>
        <ReferralSource>2A</ReferralSource>
        <ReferralNFA>false</ReferralNFA>
        <Assessments>
          <AssessmentActualStartDate>2023-11-02</AssessmentActualStartDate>
          <FactorsIdentifiedAtAssessment>
            <AssessmentFactors>21</AssessmentFactors>
          </FactorsIdentifiedAtAssessment>
        </Assessments>
      </CINdetails>
      <ChildCharacteristics>
        <Ethnicity>MWBA</Ethnicity>
      </ChildCharacteristics>
      <ChildIdentifiers>
        <LAchildID>SYN0002</LAchildID>
        <ExpectedPersonBirthDate>2024-05-01</ExpectedPersonBirthDate>
        <GenderCurrent>0</GenderCurrent>
      </ChildIdentifiers>
    </Child>
"#;

fn file_of(children: &[&str]) -> String {
    format!("{HEADER}{}{FOOTER}", children.concat())
}

#[test]
fn every_element_of_the_spec_lands_in_its_table() {
    let xml = file_of(&[FULL_CHILD, LATE_ID_CHILD]);
    let r = read(&xml);
    assert!(r.issues.is_empty(), "{:#?}", r.issues);
    assert_eq!(r.cin.children, 2);
    assert_eq!(r.cin.reference_date, Some(d(2024, 3, 31)));
    assert_eq!(r.encoding, "UTF-8");

    let header = r.table("Header");
    assert_eq!(header.len(), 1);
    r.assert_columns(
        "Header",
        &[
            ("Collection", &["CIN"]),
            ("Year", &["2024"]),
            ("ReferenceDate", &["2024-03-31"]),
            ("SourceLevel", &["L"]),
            ("LEA", &["201"]),
            ("SoftwareCode", &["Synthetic"]),
            ("Release", &["1.0"]),
            ("SerialNo", &["001"]),
            ("DateTime", &["2024-04-02T08:15:00"]),
        ],
    );

    let ids = r.table("ChildIdentifiers");
    r.assert_columns(
        "ChildIdentifiers",
        &[
            ("LAchildID", &["SYN0001", "SYN0002"]),
            ("UPN", &["A123456789012", ""]),
            ("FormerUPN", &["B123456789012", ""]),
            ("UPNunknown", &["UN2", ""]),
            ("GenderCurrent", &["1", "0"]),
            ("PersonDeathDate", &["2024-03-01", ""]),
        ],
    );
    assert_eq!(ids.date(4, 0).ok(), Some(d(2015, 6, 1)));
    assert!(ids.date(5, 0).is_blank(), "<X/> is blank");
    assert_eq!(ids.date(5, 1).ok(), Some(d(2024, 5, 1)));

    r.assert_columns(
        "ChildCharacteristics",
        &[
            ("LAchildID", &["SYN0001", "SYN0002"]),
            ("Ethnicity", &["WBRI", "MWBA"]),
        ],
    );
    r.assert_columns(
        "Disabilities",
        &[
            ("LAchildID", &["SYN0001", "SYN0001"]),
            ("Disability", &["MOB", "HAND"]),
        ],
    );

    assert_eq!(
        r.column("CINdetails", "LAchildID"),
        ["SYN0001", "SYN0001", "SYN0002"],
        "LAchildID reaches rows read before ChildIdentifiers"
    );
    r.assert_columns(
        "CINdetails",
        &[
            ("CINdetailsID", &["1", "2", "1"]),
            (
                "CINreferralDate",
                &["2023-05-01", "2024-02-01", "2023-11-01"],
            ),
            ("ReferralSource", &["1A", "6", "2A"]),
            ("PrimaryNeedCode", &["N1", "", ""]),
            ("CINclosureDate", &["2024-01-31", "", ""]),
            ("ReasonForClosure", &["RC8", "", ""]),
            ("DateOfInitialCPC", &["2023-06-01", "", ""]),
        ],
    );
    let cin = r.table("CINdetails");
    let nfa: Vec<_> = (0..3).map(|row| cin.boolean(8, row).ok()).collect();
    assert_eq!(nfa, [Some(false), Some(true), Some(false)]);

    r.assert_columns(
        "Assessments",
        &[
            ("CINdetailsID", &["1", "1", "2", "1"]),
            ("AssessmentID", &["1", "2", "1", "1"]),
            (
                "AssessmentActualStartDate",
                &["2023-05-02", "2023-09-01", "2024-02-02", "2023-11-02"],
            ),
            ("AssessmentInternalReviewDate", &["2023-05-20", "", "", ""]),
            (
                "AssessmentAuthorisationDate",
                &["2023-05-30", "2023-09-15", "", ""],
            ),
        ],
    );
    r.assert_columns(
        "AssessmentFactorsList",
        &[
            ("AssessmentFactor", &["1A", "2B", "3C", "21"]),
            ("AssessmentID", &["1", "1", "2", "1"]),
            ("CINdetailsID", &["1", "1", "1", "1"]),
            ("LAchildID", &["SYN0001", "SYN0001", "SYN0001", "SYN0002"]),
        ],
    );
    r.assert_columns(
        "CINplanDates",
        &[
            ("CINPlanStartDate", &["2023-06-01"]),
            ("CINPlanEndDate", &["2023-07-01"]),
            ("CINdetailsID", &["1"]),
        ],
    );
    r.assert_columns(
        "Section47",
        &[
            ("S47ActualStartDate", &["2023-05-10"]),
            ("InitialCPCtarget", &["2023-05-31"]),
            ("DateOfInitialCPC", &["2023-06-01"]),
        ],
    );
    assert_eq!(r.table("Section47").boolean(5, 0).ok(), Some(false));
    r.assert_columns(
        "ChildProtectionPlans",
        &[
            ("CINdetailsID", &["1", "1", "2"]),
            ("CPPID", &["1", "2", "1"]),
            ("CPPstartDate", &["2023-06-01", "2023-10-01", "2024-02-10"]),
            ("CPPendDate", &["2023-09-01", "", ""]),
            ("InitialCategoryOfAbuse", &["NEG", "MUL", "NEG"]),
            ("LatestCategoryOfAbuse", &["PHY", "MUL", "NEG"]),
            ("NumberOfPreviousCPP", &["1", "2", "0"]),
        ],
    );

    assert_eq!(
        r.column("Reviews", "CPPreviewDate"),
        ["2023-06-15", "2023-07-15", "2023-08-15", "2024-03-01"],
        "every review date is a row, not only the first"
    );
    r.assert_columns(
        "Reviews",
        &[
            ("CPPID", &["1", "1", "1", "1"]),
            ("CINdetailsID", &["1", "1", "1", "2"]),
        ],
    );
}

#[test]
fn rows_remember_the_line_of_their_start_tag() {
    let xml = file_of(&[FULL_CHILD, LATE_ID_CHILD]);
    let r = read(&xml);
    for (table, tag, rows) in [
        ("Header", "<Header>", 1),
        ("ChildIdentifiers", "<ChildIdentifiers>", 2),
        ("ChildCharacteristics", "<ChildCharacteristics>", 2),
        ("Disabilities", "<Disability>", 2),
        ("CINdetails", "<CINdetails>", 3),
        ("Assessments", "<Assessments>", 4),
        ("AssessmentFactorsList", "<AssessmentFactors>", 4),
        ("CINplanDates", "<CINPlanDates>", 1),
        ("Section47", "<Section47>", 1),
        ("ChildProtectionPlans", "<ChildProtectionPlans>", 3),
        ("Reviews", "<CPPreviewDate>", 4),
    ] {
        let lines: Vec<u32> = (0..rows).map(|i| line_of(&xml, tag, i)).collect();
        assert_eq!(r.lines(table), lines, "{table}");
    }
    // Spot-check the helper against the fixture as written.
    assert_eq!(r.lines("Header"), [3]);
    assert_eq!(r.lines("ChildIdentifiers")[0], 20);
}

#[test]
fn bad_values_are_reported_at_their_row_and_column() {
    let child = FULL_CHILD
        .replace("<Ethnicity>WBRI</Ethnicity>", "<Ethnicity>XXXX</Ethnicity>")
        .replace(
            "<CINreferralDate>2023-05-01</CINreferralDate>",
            "<CINreferralDate>01/05/2023</CINreferralDate>",
        )
        .replace(
            "<ReferralNFA>0</ReferralNFA>",
            "<ReferralNFA>maybe</ReferralNFA>",
        )
        .replace(
            "<S47ActualStartDate>2023-05-10</S47ActualStartDate>",
            "<S47ActualStartDate/>",
        )
        .replace("<ReferralSource>6</ReferralSource>", "")
        .replace(
            "<NumberOfPreviousCPP>2</NumberOfPreviousCPP>",
            "<NumberOfPreviousCPP>-1</NumberOfPreviousCPP>",
        )
        .replace("<CPPreviewDate>2023-07-15<", "<CPPreviewDate>2023-02-30<");
    let xml = file_of(&[&child]);
    let r = read(&xml);
    let found: Vec<(&str, &str, &str, u32, Option<&str>)> = r
        .issues
        .iter()
        .map(|i| {
            (
                &*i.rule_code,
                i.location.table.as_deref().unwrap(),
                i.location.column.as_deref().unwrap(),
                i.location.row.unwrap(),
                i.flagged_value.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        found,
        vec![
            (
                "invalid-code",
                "ChildCharacteristics",
                "Ethnicity",
                line_of(&xml, "<ChildCharacteristics>", 0),
                Some("XXXX")
            ),
            (
                "invalid-date",
                "CINdetails",
                "CINreferralDate",
                line_of(&xml, "<CINdetails>", 0),
                Some("01/05/2023")
            ),
            (
                "invalid-boolean",
                "CINdetails",
                "ReferralNFA",
                line_of(&xml, "<CINdetails>", 0),
                Some("maybe")
            ),
            (
                "missing-value",
                "Section47",
                "S47ActualStartDate",
                line_of(&xml, "<Section47>", 0),
                None
            ),
            (
                "invalid-date",
                "Reviews",
                "CPPreviewDate",
                line_of(&xml, "<CPPreviewDate>", 1),
                Some("2023-02-30")
            ),
            (
                "integer-out-of-range",
                "ChildProtectionPlans",
                "NumberOfPreviousCPP",
                line_of(&xml, "<ChildProtectionPlans>", 1),
                Some("-1")
            ),
            (
                "missing-value",
                "CINdetails",
                "ReferralSource",
                line_of(&xml, "<CINdetails>", 1),
                None
            ),
        ]
    );
    assert!(
        r.issues
            .iter()
            .all(|i| i.location.child_id.as_deref() == Some("SYN0001")),
        "every cell issue names the child"
    );
    assert_eq!(r.cin.children, 1, "bad values do not drop the child");
    assert_eq!(r.table("CINdetails").len(), 2);
}

#[test]
fn values_are_trimmed_by_typing_and_keep_their_original_text() {
    let child = FULL_CHILD.replace(
        "<Ethnicity>WBRI</Ethnicity>",
        "<Ethnicity>\n  wbri \n</Ethnicity>",
    );
    let xml = file_of(&[&child]).replace(
        "<SoftwareCode>Synthetic</SoftwareCode>",
        "<SoftwareCode>A &amp; B &#233;<![CDATA[ <x> ]]></SoftwareCode>",
    );
    let r = read(&xml);
    assert!(r.issues.is_empty(), "{:#?}", r.issues);
    let table = r.table("ChildCharacteristics");
    assert_eq!(table.code(1, 0).ok(), Some("WBRI"));
    assert_eq!(table.original_text(1, 0), "\n  wbri \n");
    let header = r.table("Header");
    let software = header.column_index("SoftwareCode").unwrap();
    assert_eq!(header.text(software, 0).ok(), Some("A & B é <x>"));
    assert_eq!(header.original_text(software, 0), "A & B é <x> ");
}

#[test]
fn a_child_without_an_id_keeps_its_rows_and_is_reported_once() {
    let anonymous = LATE_ID_CHILD.replace("<LAchildID>SYN0002</LAchildID>", "");
    let no_identifiers = LATE_ID_CHILD.replace(
        &LATE_ID_CHILD[LATE_ID_CHILD.find("      <ChildIdentifiers>").unwrap()
            ..LATE_ID_CHILD.find("    </Child>").unwrap()],
        "",
    );
    let xml = file_of(&[&anonymous, FULL_CHILD, &no_identifiers]);
    let r = read(&xml);
    assert_eq!(r.cin.children, 3);
    let missing: Vec<(&str, &str, u32)> = r
        .issues
        .iter()
        .map(|i| {
            assert_eq!(&*i.rule_code, "missing-value", "{i:?}");
            (
                i.location.table.as_deref().unwrap(),
                i.location.column.as_deref().unwrap(),
                i.location.row.unwrap(),
            )
        })
        .collect();
    assert_eq!(
        missing,
        [
            (
                "ChildIdentifiers",
                "LAchildID",
                line_of(&xml, "<ChildIdentifiers>", 0)
            ),
            ("CINdetails", "LAchildID", line_of(&xml, "<CINdetails>", 3)),
        ],
        "once per child: at ChildIdentifiers, or at the child's first row without it"
    );
    assert_eq!(
        r.column("CINdetails", "LAchildID"),
        ["", "SYN0001", "SYN0001", ""]
    );
    assert_eq!(
        r.column("ChildCharacteristics", "Ethnicity"),
        ["MWBA", "WBRI", "MWBA"]
    );
}

#[test]
fn a_truncated_file_keeps_the_children_before_the_fault() {
    let complete = file_of(&[FULL_CHILD, LATE_ID_CHILD, FULL_CHILD]);
    let cut = complete.rfind("<CPPstartDate>2023-10-01").unwrap();
    let xml = &complete[..cut + 5];
    let r = read(xml);
    assert_eq!(r.cin.children, 2);
    assert_eq!(
        r.column("ChildIdentifiers", "LAchildID"),
        ["SYN0001", "SYN0002"]
    );
    assert_eq!(
        r.table("CINdetails").len(),
        3,
        "the cut-off child's rows are dropped"
    );
    assert_eq!(r.codes(), ["malformed-xml"]);
    let issue = &r.issues[0];
    assert_eq!(issue.severity, Severity::Error);
    assert_eq!(
        issue.location.row,
        Some(xml.matches('\n').count() as u32 + 1)
    );
    let third_child = line_of(xml, "<Child>", 2);
    assert!(
        issue.message.contains(&format!(
            "child starting at line {third_child} (LAchildID SYN0001)"
        )),
        "{}",
        issue.message
    );
    assert!(
        issue.message.contains("2 complete children"),
        "{}",
        issue.message
    );
}

#[test]
fn a_file_cut_between_children_or_broken_mid_file_is_malformed() {
    let complete = file_of(&[FULL_CHILD]);
    let between = &complete[..complete.find(FOOTER).unwrap()];
    let r = read(between);
    assert_eq!(r.cin.children, 1);
    assert_eq!(r.codes(), ["malformed-xml"]);
    assert!(
        r.issues[0]
            .message
            .contains("ends inside <Message><Children>")
    );
    assert!(
        !r.issues[0].message.contains("cut off"),
        "no child was lost"
    );

    let xml = file_of(&[LATE_ID_CHILD, FULL_CHILD, LATE_ID_CHILD]).replacen(
        "</Disabilities>",
        "</Disability>",
        1,
    );
    let r = read(&xml);
    assert_eq!(r.cin.children, 1);
    assert_eq!(r.codes(), ["malformed-xml"]);
    assert_eq!(
        r.issues[0].location.row,
        Some(line_of(&xml, "</Disability>", 2))
    );
    let line = line_of(&xml, "</Disability>", 2);
    assert!(
        r.issues[0]
            .message
            .contains(&format!("broken at line {line}")),
        "{}",
        r.issues[0].message
    );

    let xml = file_of(&[FULL_CHILD]) + "<Message/>";
    let r = read(&xml);
    assert_eq!(r.cin.children, 1);
    assert_eq!(r.codes(), ["malformed-xml"]);
    assert!(r.issues[0].message.contains("after </Message>"));

    let xml = file_of(&[FULL_CHILD]).replace("Synthetic", "S&nbsp;");
    let r = read(&xml);
    assert_eq!(r.codes(), ["malformed-xml"]);
    assert!(r.issues[0].message.contains("&nbsp;"));
    assert!(r.issues[0].message.contains("header starting at line 3"));
}

#[test]
fn empty_and_foreign_files_are_recognised() {
    for empty in [
        "",
        "  \n\n",
        "\u{feff}",
        "<?xml version=\"1.0\"?>\n<!-- nothing -->\n",
    ] {
        let r = read(empty);
        assert_eq!(r.codes(), ["empty-file"], "{empty:?}");
        assert!(r.cin.tables.iter().all(Table::is_empty));
    }
    let r = read(&format!("{HEADER}{FOOTER}"));
    assert_eq!(r.codes(), ["empty-file"]);
    assert!(r.issues[0].message.contains("no <Child>"));
    assert_eq!(r.table("Header").len(), 1, "the header is still read");

    let r = read("<?xml version=\"1.0\"?>\n<ChildrenLookedAfter><Child/></ChildrenLookedAfter>");
    assert_eq!(r.codes(), ["unrecognised-file"]);
    assert!(r.issues[0].message.contains("<ChildrenLookedAfter>"));

    let r = read("CHILD,SEX,DOB\n1,1,01/01/2015\n");
    assert_eq!(r.codes(), ["unrecognised-file"]);
}

#[test]
fn byte_order_marks_and_declared_encodings_are_honoured() {
    let xml = file_of(&[FULL_CHILD]);
    let windows_lines = xml.replace('\n', "\r\n");
    let with_bom = [b"\xEF\xBB\xBF".as_slice(), windows_lines.as_bytes()].concat();
    let r = read_bytes(&with_bom, 2024);
    assert!(r.issues.is_empty(), "{:#?}", r.issues);
    assert_eq!(r.encoding, "UTF-8 with BOM");
    assert_eq!(r.lines("Header"), [3]);
    assert_eq!(
        r.lines("CINdetails"),
        [
            line_of(&xml, "<CINdetails>", 0),
            line_of(&xml, "<CINdetails>", 1)
        ]
    );
    assert_eq!(r.column("Header", "LEA"), ["201"]);

    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(xml.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let r = read_bytes(&utf16, 2024);
    assert!(r.issues.is_empty(), "{:#?}", r.issues);
    assert_eq!(r.encoding, "UTF-16LE");
    assert_eq!(
        r.lines("Reviews"),
        (0..4)
            .map(|i| line_of(&xml, "<CPPreviewDate>", i))
            .collect::<Vec<_>>()
    );

    let latin = xml
        .replace("encoding=\"UTF-8\"", "encoding=\"windows-1252\"")
        .replace("Synthetic", "Syst\u{e8}me");
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(&latin);
    assert!(!unmappable);
    assert!(bytes.contains(&0xE8), "the fixture is really windows-1252");
    let r = read_bytes(&bytes, 2024);
    assert!(r.issues.is_empty(), "{:#?}", r.issues);
    assert_eq!(r.encoding, "windows-1252");
    assert_eq!(r.column("Header", "SoftwareCode"), ["Syst\u{e8}me"]);
}

#[test]
fn a_file_that_is_not_the_utf8_it_claims_is_read_as_windows_1252_with_a_warning() {
    let xml = file_of(&[FULL_CHILD]).replace("Synthetic", "Caf\u{e9}");
    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(&xml);
    let r = read_bytes(&bytes, 2024);
    assert_eq!(r.codes(), ["encoding-guessed"]);
    assert_eq!(r.issues[0].severity, Severity::Warning);
    assert_eq!(r.encoding, "windows-1252");
    assert_eq!(r.column("Header", "SoftwareCode"), ["Caf\u{e9}"]);
}

#[test]
fn unknown_elements_are_reported_once_per_name_with_their_first_line() {
    let with_sex = FULL_CHILD.replace(
        "<GenderCurrent>1</GenderCurrent>",
        "<GenderCurrent>1</GenderCurrent>\n        <Sex>M</Sex>",
    );
    let xml = file_of(&[&with_sex, LATE_ID_CHILD, &with_sex]).replace(
        "  </Header>",
        "    <Content><CBDSLevels><CBDSLevel>Child</CBDSLevel></CBDSLevels></Content>\n  </Header>",
    );
    let xml = xml.replace(
        "<Ethnicity>MWBA</Ethnicity>",
        "<Ethnicity>MWBA<Note>x</Note></Ethnicity>\n        <Keyworker><Name>Z</Name></Keyworker>",
    );
    let r = read(&xml);
    let unknown: Vec<(&str, Option<&str>, u32, Severity)> = r
        .issues
        .iter()
        .map(|i| {
            assert_eq!(&*i.rule_code, "unknown-column");
            (
                i.location.column.as_deref().unwrap(),
                i.location.table.as_deref(),
                i.location.row.unwrap(),
                i.severity,
            )
        })
        .collect();
    assert_eq!(
        unknown,
        [
            (
                "Sex",
                Some("ChildIdentifiers"),
                line_of(&xml, "<Sex>", 0),
                Severity::Warning
            ),
            (
                "Note",
                Some("ChildCharacteristics"),
                line_of(&xml, "<Note>", 0),
                Severity::Warning
            ),
            (
                "Keyworker",
                Some("ChildCharacteristics"),
                line_of(&xml, "<Keyworker>", 0),
                Severity::Warning
            ),
        ],
        "CBDSLevels is ignored silently; Name inside an unknown element is not reported"
    );
    assert!(
        r.issues[0].message.contains("2023/24"),
        "{}",
        r.issues[0].message
    );
    assert_eq!(
        r.column("ChildCharacteristics", "Ethnicity"),
        ["WBRI", "MWBA", "WBRI"]
    );
    assert_eq!(
        r.column("ChildIdentifiers", "GenderCurrent"),
        ["1", "0", "1"]
    );

    // From 2024/25 Sex replaces GenderCurrent.
    let xml = file_of(&[&with_sex, FULL_CHILD]).replace("2024-03-31", "2025-03-31");
    let r = read_bytes(xml.as_bytes(), 2025);
    assert_eq!(r.codes(), ["unknown-column", "missing-value"]);
    assert_eq!(
        r.issues[0].location.column.as_deref(),
        Some("GenderCurrent")
    );
    assert!(
        r.issues[0].message.contains("2024/25"),
        "{}",
        r.issues[0].message
    );
    assert_eq!(r.issues[1].location.column.as_deref(), Some("Sex"));
    assert_eq!(
        r.issues[1].location.row,
        Some(line_of(&xml, "<ChildIdentifiers>", 1))
    );
    assert_eq!(r.column("ChildIdentifiers", "Sex"), ["M", ""]);
}

#[test]
fn a_repeated_field_keeps_the_first_value_and_says_so() {
    let xml = file_of(&[FULL_CHILD]).replace(
        "<LEA>201</LEA>",
        "<LEA>201</LEA>\n    </Source>\n    <Source>\n      <LEA>202</LEA>",
    );
    let r = read(&xml);
    assert_eq!(r.codes(), ["duplicate-column"]);
    assert_eq!(r.issues[0].location.row, Some(line_of(&xml, "<LEA>202", 0)));
    assert!(r.issues[0].message.contains(&format!(
        "lines {} and {}",
        line_of(&xml, "<LEA>201", 0),
        line_of(&xml, "<LEA>202", 0)
    )));
    assert_eq!(r.column("Header", "LEA"), ["201"]);
}

#[test]
fn the_reference_date_is_found_from_the_header_alone() {
    let xml = file_of(&[FULL_CHILD]);
    assert_eq!(
        cin_xml::peek_reference_date(&XmlText::decode(xml.as_bytes())),
        Some(d(2024, 3, 31))
    );
    let header_only = &xml[..xml.find("<Child>").unwrap() + 3];
    assert_eq!(
        cin_xml::peek_reference_date(&XmlText::decode(header_only.as_bytes())),
        Some(d(2024, 3, 31)),
        "nothing after the header is read"
    );
    let no_date = xml.replace("<ReferenceDate>2024-03-31</ReferenceDate>", "");
    assert_eq!(
        cin_xml::peek_reference_date(&XmlText::decode(no_date.as_bytes())),
        None
    );
    let bad_date = xml.replace("2024-03-31", "31/03/2024");
    assert_eq!(
        cin_xml::peek_reference_date(&XmlText::decode(bad_date.as_bytes())),
        None
    );
    let elsewhere = xml
        .replace("<ReferenceDate>2024-03-31</ReferenceDate>", "")
        .replace(
            "<Source>",
            "<Source><ReferenceDate>2024-03-31</ReferenceDate>",
        );
    assert_eq!(
        cin_xml::peek_reference_date(&XmlText::decode(elsewhere.as_bytes())),
        None,
        "only Header/CollectionDetails/ReferenceDate counts"
    );
}

/// A synthetic census of `n` children like [`FULL_CHILD`], with distinct ids.
fn census(n: usize) -> String {
    let mut xml = String::with_capacity(HEADER.len() + n * FULL_CHILD.len());
    xml.push_str(HEADER);
    for i in 0..n {
        xml.push_str(&FULL_CHILD.replace("SYN0001", &format!("SYN{i:07}")));
    }
    xml.push_str(FOOTER);
    xml
}

/// 50,000 children, the size of a large LA's census. Not timed here (timing belongs to the
/// benchmark): run with `cargo test --release --test it cin_ingest -- --ignored --nocapture` to see
/// the time.
#[test]
#[ignore = "large; run in release mode"]
fn a_large_census_reads_completely() {
    let children = 50_000;
    let xml = census(children);
    let r = read(&xml);
    eprintln!(
        "{children} children, {} MB: read in {:?}",
        xml.len() / 1_000_000,
        r.took
    );
    assert!(r.issues.is_empty());
    assert_eq!(r.cin.children, children);
    assert_eq!(r.table("Reviews").len(), children * 4);
    let last_review = line_of(&xml, "<CPPreviewDate>", children * 4 - 1);
    assert_eq!(r.lines("Reviews").last(), Some(&last_review));
    let cpp = r.table("ChildProtectionPlans");
    assert_eq!(
        cpp.cell(0, cpp.len() - 1),
        CellValue::Text(&format!("SYN{:07}", children - 1))
    );
}

#[test]
fn elements_of_a_table_the_year_does_not_have_are_unknown() {
    let without_reviews = SCHEMA[..SCHEMA.find("  - name: Reviews").unwrap()].to_string()
        + &SCHEMA[SCHEMA.find("code_lists:").unwrap()..];
    let yaml = without_reviews
        .replace("YEAR", "2024")
        .replace("GENDER_CODES", "[{code: '1', label: m}]")
        .replace("GENDER", "GenderCurrent");
    let schema = Arc::new(ReturnSchema::from_yaml("test.yaml", &yaml).unwrap());
    let xml = file_of(&[FULL_CHILD]);
    let r = read_with(&schema, xml.as_bytes());
    assert_eq!(r.cin.tables.len(), schema.tables.len());
    let codes: Vec<(&str, Option<&str>, Option<u32>)> = r
        .issues
        .iter()
        .map(|i| (&*i.rule_code, i.location.column.as_deref(), i.location.row))
        .collect();
    assert_eq!(
        codes,
        [(
            "unknown-column",
            Some("CPPreviewDate"),
            Some(line_of(&xml, "<CPPreviewDate>", 0))
        )]
    );
}
