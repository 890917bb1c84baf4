//! The shipped return schemas (`schemas/<return>/<end year>.yaml`): every year of both returns loads,
//! tables and code lists change in the years the DfE changed them, and the copies compiled into the
//! binary are the files on disk. Expected values are written out by hand from spec/ssda903.md and
//! spec/cin.md, so an edit to a schema that disagrees with the specification fails here.

use std::collections::BTreeSet;
use std::sync::{Arc, LazyLock};

use csc_returns::schema::{
    ColumnKind, DateFormat, ReturnKind, ReturnSchema, SchemaSet, TableSchema, normalise_header,
};
use csc_returns::year::CollectionYear;

use crate::support::repo_root;

const YEARS: [u16; 5] = [2023, 2024, 2025, 2026, 2027];

static EMBEDDED: LazyLock<SchemaSet> =
    LazyLock::new(|| SchemaSet::embedded().expect("the shipped schemas load"));

fn year(end_year: u16) -> CollectionYear {
    CollectionYear::new(end_year).unwrap()
}

fn schema(kind: ReturnKind, end_year: u16) -> Arc<ReturnSchema> {
    EMBEDDED.get(kind, year(end_year)).unwrap()
}

fn ssda903(end_year: u16) -> Arc<ReturnSchema> {
    schema(ReturnKind::Ssda903, end_year)
}

fn cin(end_year: u16) -> Arc<ReturnSchema> {
    schema(ReturnKind::Cin, end_year)
}

fn table<'a>(schema: &'a ReturnSchema, name: &str) -> &'a TableSchema {
    schema.table(name).unwrap_or_else(|| {
        panic!(
            "{} {} has no table {name}",
            schema.return_kind, schema.collection_year
        )
    })
}

fn words(text: &str) -> BTreeSet<String> {
    text.split_whitespace().map(str::to_string).collect()
}

/// The codes of the list behind `table`.`column`.
fn codes(schema: &ReturnSchema, table_name: &str, column: &str) -> BTreeSet<String> {
    let list = table(schema, table_name)
        .column(column)
        .and_then(|c| c.codes.as_deref())
        .unwrap_or_else(|| panic!("{table_name}.{column} is not a code column"));
    schema.codes(list).iter().map(|e| e.code.clone()).collect()
}

fn column_names(table: &TableSchema) -> Vec<&str> {
    table.columns.iter().map(|c| c.name.as_str()).collect()
}

/// The column a file header resolves to, the way ingest matches headers.
fn column_for_header<'a>(table: &'a TableSchema, header: &str) -> Option<&'a str> {
    let wanted = normalise_header(header);
    table
        .columns
        .iter()
        .find(|c| c.spellings().any(|s| normalise_header(&s) == wanted))
        .map(|c| c.name.as_str())
}

#[test]
fn both_returns_have_a_schema_for_every_year_from_2022_23_to_2026_27() {
    let expected: Vec<CollectionYear> = YEARS.iter().map(|&y| year(y)).collect();
    for kind in ReturnKind::ALL {
        assert_eq!(EMBEDDED.years(kind), expected, "{kind}");
    }
    assert_eq!(EMBEDDED.iter().count(), 10);
    for schema in EMBEDDED.iter() {
        assert_eq!(
            schema.version,
            format!("{}.1", schema.collection_year),
            "{} {}",
            schema.return_kind,
            schema.collection_year
        );
    }
}

/// Tables, snapshot names and columns of spec/ssda903.md section 2, in the DfE CSV column order
/// (the columns every form of the return has; optional ones are checked apart).
const SSDA903_TABLES: [(&str, &str, &str); 12] = [
    ("Header", "header", "CHILD SEX DOB ETHNIC UPN MOTHER MC_DOB"),
    (
        "Episodes",
        "episodes",
        "CHILD DECOM RNE LS CIN PLACE PLACE_PROVIDER DEC REC REASON_PLACE_CHANGE HOME_POST PL_POST URN",
    ),
    ("Reviews", "reviews", "CHILD DOB REVIEW REVIEW_CODE"),
    ("UASC", "uasc", "CHILD SEX DOB DUC"),
    (
        "OC2",
        "oc2",
        "CHILD DOB SDQ_SCORE SDQ_REASON CONVICTED HEALTH_CHECK IMMUNISATIONS TEETH_CHECK \
         HEALTH_ASSESSMENT SUBSTANCE_MISUSE INTERVENTION_RECEIVED INTERVENTION_OFFERED",
    ),
    ("OC3", "oc3", "CHILD DOB IN_TOUCH ACTIV ACCOM"),
    (
        "AD1",
        "ad1",
        "CHILD DOB DATE_INT DATE_MATCH FOSTER_CARE NB_ADOPTR SEX_ADOPTR LS_ADOPTR",
    ),
    (
        "PlacedAdoption",
        "placed_for_adoption",
        "CHILD DOB DATE_PLACED DATE_PLACED_CEASED REASON_PLACED_CEASED",
    ),
    (
        "PrevPerm",
        "previous_permanence",
        "CHILD DOB PREV_PERM LA_PERM DATE_PERM",
    ),
    ("Missing", "missing", "CHILD DOB MISSING MIS_START MIS_END"),
    (
        "SWEpisodes",
        "social_worker_episodes",
        "CHILD DOB SW_ID SW_DECOM SW_DEC SW_REASON",
    ),
    ("DoLo", "dolo", "CHILD DOB DOLO_START DOLO_END"),
];

#[test]
fn ssda903_has_the_spec_tables_and_columns_each_year() {
    for end_year in YEARS {
        let schema = ssda903(end_year);
        let expected: Vec<_> = SSDA903_TABLES
            .iter()
            .filter(|(name, _, _)| match *name {
                "SWEpisodes" => end_year >= 2024,
                "DoLo" => end_year >= 2027,
                _ => true,
            })
            .collect();
        let names: Vec<&str> = schema.tables.iter().map(|t| t.name.as_str()).collect();
        let expected_names: Vec<&str> = expected.iter().map(|(name, _, _)| *name).collect();
        assert_eq!(names, expected_names, "{end_year}");
        for (name, snapshot_name, columns) in expected {
            let table = table(&schema, name);
            assert_eq!(table.snapshot_name, *snapshot_name, "{end_year} {name}");
            let required: Vec<&str> = table
                .columns
                .iter()
                .filter(|c| !c.optional)
                .map(|c| c.name.as_str())
                .collect();
            assert_eq!(
                required,
                columns.split_whitespace().collect::<Vec<_>>(),
                "{end_year} {name}"
            );
        }
        let optional: Vec<(&str, &str)> = schema
            .tables
            .iter()
            .flat_map(|t| t.columns.iter().map(move |c| (t, c)))
            .filter(|(_, c)| c.optional)
            .map(|(t, c)| (t.name.as_str(), c.name.as_str()))
            .collect();
        assert_eq!(optional, [("Header", "UASC")], "{end_year}");
        assert_eq!(
            codes(&schema, "Header", "UASC"),
            words("0 1"),
            "{end_year}: the XML return's UASC flag"
        );
        let one_row_per_child: Vec<&str> = schema
            .tables
            .iter()
            .filter(|t| t.one_row_per_child)
            .map(|t| t.name.as_str())
            .collect();
        assert_eq!(
            one_row_per_child,
            ["Header", "UASC", "OC2", "OC3", "AD1", "PrevPerm"],
            "{end_year}"
        );
    }
    assert!(ssda903(2023).table("SWEpisodes").is_none());
    assert!(ssda903(2026).table("DoLo").is_none());
}

#[test]
fn cin_has_the_flat_tables_and_gender_becomes_sex_in_2024_25() {
    let expected = [
        ("Header", "header"),
        ("ChildIdentifiers", "child_identifiers"),
        ("ChildCharacteristics", "child_characteristics"),
        ("Disabilities", "disabilities"),
        ("CINdetails", "cin_details"),
        ("Assessments", "assessments"),
        ("AssessmentFactorsList", "assessment_factors"),
        ("CINplanDates", "cin_plan_dates"),
        ("Section47", "section47"),
        ("ChildProtectionPlans", "child_protection_plans"),
        ("Reviews", "cpp_reviews"),
    ];
    for end_year in YEARS {
        let schema = cin(end_year);
        let tables: Vec<(&str, &str)> = schema
            .tables
            .iter()
            .map(|t| (t.name.as_str(), t.snapshot_name.as_str()))
            .collect();
        assert_eq!(tables, expected, "{end_year}");
        let sex = if end_year <= 2024 {
            "GenderCurrent"
        } else {
            "Sex"
        };
        let identifiers = format!(
            "LAchildID UPN FormerUPN UPNunknown PersonBirthDate ExpectedPersonBirthDate {sex} PersonDeathDate"
        );
        assert_eq!(
            column_names(table(&schema, "ChildIdentifiers")),
            identifiers.split_whitespace().collect::<Vec<_>>(),
            "{end_year}"
        );
        assert_eq!(
            column_names(table(&schema, "Assessments")),
            [
                "LAchildID",
                "CINdetailsID",
                "AssessmentID",
                "AssessmentActualStartDate",
                "AssessmentInternalReviewDate",
                "AssessmentAuthorisationDate"
            ],
            "{end_year}: factors are rows of AssessmentFactorsList, not a column"
        );
        let generated: Vec<String> = schema
            .tables
            .iter()
            .flat_map(|t| {
                t.columns
                    .iter()
                    .filter(|c| c.generated)
                    .map(move |c| format!("{}.{}", t.name, c.name))
            })
            .collect();
        assert_eq!(
            generated,
            [
                "CINdetails.CINdetailsID",
                "Assessments.CINdetailsID",
                "Assessments.AssessmentID",
                "AssessmentFactorsList.CINdetailsID",
                "AssessmentFactorsList.AssessmentID",
                "CINplanDates.CINdetailsID",
                "Section47.CINdetailsID",
                "ChildProtectionPlans.CINdetailsID",
                "ChildProtectionPlans.CPPID",
                "Reviews.CINdetailsID",
                "Reviews.CPPID",
            ],
            "{end_year}"
        );
    }
}

#[test]
fn codes_valid_in_one_year_are_invalid_in_another() {
    // (return, table, column, code, a year it is valid, a year it is not)
    let cases = [
        (ReturnKind::Ssda903, "Header", "SEX", "1", 2024, 2025),
        (ReturnKind::Ssda903, "Header", "SEX", "2", 2024, 2025),
        (ReturnKind::Ssda903, "Header", "SEX", "M", 2025, 2024),
        (ReturnKind::Ssda903, "Header", "SEX", "U", 2025, 2024),
        (ReturnKind::Ssda903, "UASC", "SEX", "F", 2026, 2023),
        (ReturnKind::Ssda903, "Episodes", "PLACE", "K3", 2025, 2024),
        (ReturnKind::Ssda903, "Episodes", "PLACE", "H5", 2024, 2025),
        (ReturnKind::Ssda903, "Episodes", "PLACE", "P2", 2024, 2025),
        (ReturnKind::Ssda903, "Episodes", "PLACE", "Z1", 2025, 2026),
        (ReturnKind::Ssda903, "Episodes", "PLACE", "Z11", 2026, 2025),
        (ReturnKind::Ssda903, "Episodes", "PLACE", "Z14", 2027, 2025),
        (
            ReturnKind::Ssda903,
            "SWEpisodes",
            "SW_REASON",
            "FCONTA",
            2024,
            2023,
        ),
        (
            ReturnKind::Cin,
            "ChildIdentifiers",
            "GenderCurrent",
            "1",
            2024,
            2025,
        ),
        (
            ReturnKind::Cin,
            "ChildIdentifiers",
            "GenderCurrent",
            "9",
            2023,
            2025,
        ),
        (ReturnKind::Cin, "ChildIdentifiers", "Sex", "M", 2025, 2024),
        (ReturnKind::Cin, "ChildIdentifiers", "Sex", "U", 2027, 2023),
    ];
    for (kind, table, column, code, valid_in, invalid_in) in cases {
        assert!(
            schema(kind, valid_in).is_valid_code(table, column, code),
            "{kind} {table}.{column} {code} should be valid in {valid_in}"
        );
        assert!(
            !schema(kind, invalid_in).is_valid_code(table, column, code),
            "{kind} {table}.{column} {code} should be invalid in {invalid_in}"
        );
    }
}

#[test]
fn ssda903_code_lists_are_the_spec_lists_each_year() {
    let place_to_2024 =
        "A3 A4 A5 A6 H5 K1 K2 P1 P2 P3 R1 R2 R3 R5 S1 T0 T1 T2 T3 T4 U1 U2 U3 U4 U5 U6 Z1";
    let place_2025 =
        "A3 A4 A5 A6 K1 K2 K3 P1 P3 R1 R2 R3 R5 S1 T0 T1 T2 T3 T4 U1 U2 U3 U4 U5 U6 Z1";
    let place_from_2026 = "A3 A4 A5 A6 K1 K2 K3 P1 P3 R1 R2 R3 R5 S1 T0 T1 T2 T3 T4 U1 U2 U3 U4 U5 U6 Z11 Z12 Z13 Z14";
    let rec = "E11 E12 E2 E3 E4A E4B E13 E41 E45 E46 E47 E48 E5 E6 E7 E8 E9 E14 E15 E16 E17 X1";
    let ls = "C1 C2 D1 E1 V2 V3 V4 J1 J2 J3 L1 L2 L3";
    let ethnic = "WBRI WIRI WOTH WIRT WROM MWBC MWBA MWAS MOTH AIND APKN ABAN AOTH BCRB BAFR BOTH \
                  CHNE OOTH REFU NOBT";
    let accom = "B1 B2 C1 C2 D1 D2 E1 E2 G1 G2 H1 H2 K1 K2 R1 R2 S2 T1 T2 U1 U2 V1 V2 W1 W2 X2 Y1 \
                 Y2 Z1 Z2 0";
    for end_year in YEARS {
        let schema = ssda903(end_year);
        let place = match end_year {
            ..=2024 => place_to_2024,
            2025 => place_2025,
            _ => place_from_2026,
        };
        assert_eq!(
            codes(&schema, "Episodes", "PLACE"),
            words(place),
            "{end_year} PLACE"
        );
        assert_eq!(codes(&schema, "Episodes", "REC"), words(rec), "{end_year}");
        assert_eq!(codes(&schema, "Episodes", "LS"), words(ls), "{end_year}");
        assert_eq!(
            codes(&schema, "Header", "ETHNIC"),
            words(ethnic),
            "{end_year}"
        );
        assert_eq!(codes(&schema, "OC3", "ACCOM"), words(accom), "{end_year}");
        let sex = if end_year <= 2024 { "1 2" } else { "M F U" };
        assert_eq!(codes(&schema, "Header", "SEX"), words(sex), "{end_year}");
        assert_eq!(
            codes(&schema, "Header", "SEX"),
            codes(&schema, "UASC", "SEX")
        );
    }
}

#[test]
fn la_perm_holds_current_and_former_dfe_la_codes_and_the_non_english_codes() {
    let schema = ssda903(2026);
    let la_perm = codes(&schema, "PrevPerm", "LA_PERM");
    // Live authorities, authorities abolished in reorganisations (their orders still stand), and
    // the codes for information not available and for placements outside England.
    for code in [
        "201", "838", "839", "940", "941", "942", "943", "835", "836", "837", "909", "928", "999",
        "WAL", "SCO", "NIR", "NUK",
    ] {
        assert!(la_perm.contains(code), "LA_PERM should accept {code}");
    }
    for code in ["702", "000", "ENG", ""] {
        assert!(!la_perm.contains(code), "LA_PERM should reject {code:?}");
    }
}

#[test]
fn cin_code_lists_are_the_dfe_xsd_lists_each_year() {
    let referral_source = "1A 1B 1C 1D 2A 2B 3A 3B 3C 3D 3E 3F 4 5A 5B 5C 5D 6 7 8 9 10";
    let factors = "1A 1B 1C 2A 2B 2C 3A 3B 3C 4A 4B 4C 5A 5B 5C 6A 6B 6C 7A 8B 8C 8D 8E 8F 9A \
                   10A 11A 12A 13A 14A 15A 16A 17A 18A 18B 18C 19A 19B 19C 20 21 22A 23A 24A";
    let ethnicity = "WBRI WIRI WIRT WOTH WROM MWBC MWBA MWAS MOTH AIND APKN ABAN AOTH BCRB BAFR \
                     BOTH CHNE OOTH REFU NOBT";
    let lists = [
        ("CINdetails", "ReferralSource", referral_source),
        ("AssessmentFactorsList", "AssessmentFactor", factors),
        ("ChildCharacteristics", "Ethnicity", ethnicity),
        (
            "CINdetails",
            "ReasonForClosure",
            "RC1 RC2 RC3 RC4 RC5 RC6 RC7 RC8 RC9",
        ),
        (
            "ChildProtectionPlans",
            "LatestCategoryOfAbuse",
            "NEG PHY SAB EMO MUL",
        ),
        (
            "ChildIdentifiers",
            "UPNunknown",
            "UN1 UN2 UN3 UN4 UN5 UN6 UN7",
        ),
    ];
    for end_year in YEARS {
        let schema = cin(end_year);
        for (table, column, list) in lists {
            assert_eq!(
                codes(&schema, table, column),
                words(list),
                "{end_year} {table}.{column}"
            );
        }
    }
    let primary_need_n1 = |end_year| {
        cin(end_year)
            .codes("primary_need")
            .iter()
            .find(|e| e.code == "N1")
            .map(|e| e.label.clone())
            .unwrap()
    };
    assert_eq!(primary_need_n1(2025), "Abuse or neglect");
    assert_eq!(primary_need_n1(2026), "Abuse, neglect and exploitation");
}

#[test]
fn column_types_follow_each_returns_conventions() {
    for schema in EMBEDDED.iter() {
        let (date_format, child) = match schema.return_kind {
            ReturnKind::Ssda903 => (DateFormat::DayMonthYear, "CHILD"),
            ReturnKind::Cin => (DateFormat::Iso, "LAchildID"),
        };
        assert_eq!(schema.child_column, child);
        for table in &schema.tables {
            let here = format!(
                "{} {} {}",
                schema.return_kind, schema.collection_year, table.name
            );
            for column in &table.columns {
                if column.kind == ColumnKind::Date {
                    assert_eq!(column.format, Some(date_format), "{here}.{}", column.name);
                }
                let partial =
                    (table.name.as_str(), column.name.as_str()) == ("PrevPerm", "DATE_PERM");
                assert_eq!(column.partial, partial, "{here}.{}", column.name);
            }
            if (schema.return_kind, table.name.as_str()) == (ReturnKind::Cin, "Header") {
                assert!(table.column(child).is_none());
                continue;
            }
            let child_column = table
                .column(child)
                .unwrap_or_else(|| panic!("{here} has no {child}"));
            assert!(
                child_column.kind == ColumnKind::Text && child_column.mandatory,
                "{here}.{child} should be mandatory text"
            );
            assert_eq!(table.key.first().map(String::as_str), Some(child), "{here}");
        }
    }
    for end_year in YEARS {
        let schema = ssda903(end_year);
        let child = table(&schema, "Episodes").column("CHILD").unwrap();
        assert_eq!(child.max_length, Some(10));
        let sdq = table(&schema, "OC2").column("SDQ_SCORE").unwrap();
        assert_eq!(
            (sdq.kind, sdq.min, sdq.max),
            (ColumnKind::Integer, Some(0), Some(40))
        );
        let schema = cin(end_year);
        let lea = table(&schema, "Header").column("LEA").unwrap();
        assert_eq!((lea.kind, lea.max_length), (ColumnKind::Text, Some(3)));
        for (table_name, column) in [
            ("CINdetails", "ReferralNFA"),
            ("Section47", "ICPCnotRequired"),
        ] {
            let spec = table(&schema, table_name).column(column).unwrap();
            assert_eq!(
                (spec.kind, spec.mandatory),
                (ColumnKind::Boolean, true),
                "{end_year} {table_name}.{column}"
            );
        }
        let target = table(&schema, "Section47")
            .column("InitialCPCtarget")
            .unwrap();
        assert_eq!(target.kind, ColumnKind::Date);
    }
}

#[test]
fn conditional_fields_are_left_to_the_dfe_rules() {
    // Required only in some circumstances (an ended episode, a girl, a referral with further
    // action): a blank is not always wrong, so it is not a structural error.
    for end_year in YEARS {
        let schema = ssda903(end_year);
        for (table_name, column) in [
            ("Episodes", "DEC"),
            ("Episodes", "REC"),
            ("Episodes", "PLACE_PROVIDER"),
            ("Episodes", "URN"),
            ("Header", "MOTHER"),
            ("Header", "MC_DOB"),
            ("OC2", "SDQ_SCORE"),
        ] {
            assert!(
                !table(&schema, table_name).column(column).unwrap().mandatory,
                "{end_year} {table_name}.{column}"
            );
        }
        for column in ["DECOM", "RNE", "LS", "CIN", "PLACE"] {
            assert!(table(&schema, "Episodes").column(column).unwrap().mandatory);
        }
        let schema = cin(end_year);
        for (table_name, column, mandatory) in [
            ("CINdetails", "PrimaryNeedCode", false),
            ("CINdetails", "CINclosureDate", false),
            ("CINdetails", "ReasonForClosure", false),
            ("CINdetails", "CINreferralDate", true),
            ("CINdetails", "ReferralSource", true),
            ("ChildProtectionPlans", "CPPstartDate", true),
            ("ChildProtectionPlans", "NumberOfPreviousCPP", true),
            ("ChildIdentifiers", "PersonBirthDate", false),
        ] {
            assert_eq!(
                table(&schema, table_name).column(column).unwrap().mandatory,
                mandatory,
                "{end_year} {table_name}.{column}"
            );
        }
    }
}

#[test]
fn headers_from_the_903_xml_and_case_systems_resolve_to_their_columns() {
    let schema = ssda903(2026);
    let cases = [
        ("Episodes", "CHILDID", "CHILD"),
        ("Episodes", "PL", "PLACE"),
        ("Episodes", "Placement type", "PLACE"),
        ("Episodes", "legal_status", "LS"),
        ("Episodes", "Place Provider", "PLACE_PROVIDER"),
        ("Header", "Child ID", "CHILD"),
        ("Header", "Date of birth", "DOB"),
        ("Header", "date-of-birth", "DOB"),
        ("Header", "Gender", "SEX"),
        ("Reviews", "DOB", "DOB"),
        ("Missing", "Date of birth", "DOB"),
    ];
    for (table_name, header, column) in cases {
        assert_eq!(
            column_for_header(table(&schema, table_name), header),
            Some(column),
            "{table_name}: {header:?}"
        );
    }
    assert_eq!(
        column_for_header(table(&schema, "Header"), "Date of birth of mother's child"),
        Some("MC_DOB")
    );
    let cin = cin(2026);
    assert_eq!(
        column_for_header(table(&cin, "AssessmentFactorsList"), "AssessmentFactors"),
        Some("AssessmentFactor")
    );
    let placed = table(&schema, "PlacedAdoption");
    assert!(placed.synonyms.iter().any(|s| s == "placed_for_adoption"));
}

#[test]
fn every_code_list_is_used_by_a_column() {
    for schema in EMBEDDED.iter() {
        let used: BTreeSet<&str> = schema
            .tables
            .iter()
            .flat_map(|t| t.columns.iter().filter_map(|c| c.codes.as_deref()))
            .collect();
        for name in schema.code_lists.keys() {
            // The 903 UPN is text: a UPN or one of these codes, which rule 168 reads.
            let read_by_a_rule = schema.return_kind == ReturnKind::Ssda903 && name == "upn_unknown";
            assert!(
                used.contains(name.as_str()) || read_by_a_rule,
                "{} {}: code list {name} is not used",
                schema.return_kind,
                schema.collection_year
            );
        }
    }
}

#[test]
fn the_embedded_schemas_are_the_files_in_the_schemas_folder() {
    let on_disk = SchemaSet::from_dir(&repo_root().join("schemas")).unwrap();
    for kind in ReturnKind::ALL {
        assert_eq!(on_disk.years(kind), EMBEDDED.years(kind), "{kind}");
        for end_year in EMBEDDED.years(kind) {
            let disk = serde_json::to_value(&*on_disk.get(kind, end_year).unwrap()).unwrap();
            let embedded = serde_json::to_value(&*EMBEDDED.get(kind, end_year).unwrap()).unwrap();
            assert_eq!(disk, embedded, "{kind} {end_year}");
        }
    }
}
