//! Injection kinds that break SSDA903 DfE rules, one per rule, named `903-<code>` after the rule
//! they must trigger (`--inject 903-146=3`). Most kinds write a few cells of one row of this
//! year's return where the rule's conditions hold, so that the rule fires for that child; some
//! add a row (below). The differential test (`tests/it/oracle_903.rs`) checks that every injected
//! break is found.
//!
//! A kind is a row of [`RULE_KINDS`]: the table, which rows qualify, and what to write. Kinds only
//! act on this year's part of a child (but 205A, below): last year's return is context, not
//! validated. The first cell a kind writes is its site, which the framework never lets two
//! injections share; kinds that would undo each other on one row therefore start with the same
//! cell (rewriting its own value where they do not change it), e.g. every PlacedAdoption kind
//! starts with REASON_PLACED_CEASED and every SDQ kind with SDQ_SCORE.
//!
//! A kind must not change who is in the OC2 cohort (looked after continuously all year), which
//! the OC2 kinds rely on: 148 blanks DEC rather than REC, and 149 changes only reasons that
//! already end a period of care.
//!
//! Rules about a row the generator never writes have a kind of [`ADDED_ROW_KINDS`], which adds
//! one whole row for the child (`Part::add_row`), after every other row of the table's file so
//! that no other row moves; the manifest gives the added row's table and row. Such a kind has the
//! child's part to itself, as it relies on the child's episodes and other tables:
//! - 134: an AD1 row for a care leaver (OC3 items) outside the OC2 cohort;
//! - 187: an AD1 row for a child in the OC2 cohort without OC3 rows (an OC3 row would add 215);
//! - 185, 198, 190: an OC2 row with an SDQ score, a reason for none, or the four core outcomes
//!   (182 then passes) for a child of the year's episodes outside the cohort and no care leaver
//!   (which would add 215); the SDQ kinds pick children aged 4 by 31 March and not 17 before
//!   1 April, so that 188 and 189 pass;
//! - 205D: a UASC row this year for a child in last year's return who was not UASC there, aged
//!   11 or more (231 passes);
//! - 205A: a UASC row in *last* year's return, DUC the 18th birthday after that year, for a child
//!   whose episode open on last year's 31 March puts it in this year's return without a UASC row:
//!   the one kind that writes last year's return, as the rule is about a status only last year had;
//! - 215: the four core OC2 outcomes for a care leaver outside the cohort. 190 reports them too,
//!   and that cannot be avoided: a care leaver in the cohort would have 187 report its OC3 items.
//!
//! The 2023/24 transition rules 217t and 230 change a placement type (to P2, H5) only where no
//! other placement rule of that year cares: a placement with neither URN nor a provider rule
//! besides 178 (P1, P3, R1, R2, R5, Z1).
//!
//! The rules that compare URNs with Ofsted's provider lists (219-229, 241) run against the lists
//! the generator writes from the clean returns (`ssda903::ofsted`). Kinds 219, 224, 227, 228 and
//! 229 give a foster or adoption episode the URN of a spare provider of those lists that differs
//! from the placement only where the rule looks (registered for a children's home; with the other
//! private provider code; closed as the year began, which 228 reports too; closed mid-year; set
//! on the wrong side of the LA boundary for PR1/PR2); 221 moves a fixed-setting placement to
//! another postcode of its LA, and 241 a supported accommodation placement to the next LA.
//!
//! Kinds for the previous-year rules (202-208) change this year's value for a child who was in
//! care before the year began and so is in last year's return, where the generator keeps the
//! child's identity, sex, ethnicity, UPN and UASC status.

use chrono::{Days, Months, NaiveDate};

use crate::schema::ReturnKind;
use crate::synth::injection::{Cell, Change, Injected, Kind, Part, Site};
use crate::synth::rng::Rng;
use crate::synth::ssda903::ofsted::{
    Spare, other_postcode_in_la, postcode_in_next_la, spare_registration_end, spare_urn,
};

/// One row of a child's part: read its cells by column name.
struct Row<'a> {
    part: &'a dyn Part,
    table: usize,
    row: usize,
}

impl Row<'_> {
    fn get(&self, column: &str) -> &str {
        self.cell(column)
            .map(|cell| self.part.value(cell))
            .unwrap_or("")
    }

    fn cell(&self, column: &str) -> Option<Cell> {
        column_index(self.part, self.table, column).map(|column| Cell {
            table: self.table,
            row: self.row,
            column,
        })
    }

    fn date(&self, column: &str) -> Option<NaiveDate> {
        NaiveDate::parse_from_str(self.get(column), "%d/%m/%Y").ok()
    }

    /// Every row of another table of the same child.
    fn rows_of(&self, table: &str) -> Vec<Row<'_>> {
        rows(self.part, table)
    }

    fn year(&self) -> u16 {
        self.part.collection_year()
    }
}

fn table_index(part: &dyn Part, name: &str) -> Option<usize> {
    (0..part.table_count()).find(|&t| part.table_name(t) == name)
}

fn column_index(part: &dyn Part, table: usize, name: &str) -> Option<usize> {
    part.cells()
        .into_iter()
        .find(|(cell, _)| cell.table == table && part.column_name(table, cell.column) == name)
        .map(|(cell, _)| cell.column)
}

fn rows<'a>(part: &'a dyn Part, table: &str) -> Vec<Row<'a>> {
    let Some(t) = table_index(part, table) else {
        return Vec::new();
    };
    (0..part.row_count(t))
        .map(|row| Row {
            part,
            table: t,
            row,
        })
        .collect()
}

fn dmy(date: NaiveDate) -> String {
    date.format("%d/%m/%Y").to_string()
}

fn start(year: u16) -> NaiveDate {
    NaiveDate::from_ymd_opt(i32::from(year) - 1, 4, 1).expect("1 April exists")
}

fn end(year: u16) -> NaiveDate {
    NaiveDate::from_ymd_opt(i32::from(year), 3, 31).expect("31 March exists")
}

fn birthday(dob: NaiveDate, age: u32) -> NaiveDate {
    dob.checked_add_months(Months::new(12 * age))
        .unwrap_or(NaiveDate::MAX)
}

/// The year's SEX codes for male and female.
fn sex_codes(year: u16) -> (&'static str, &'static str) {
    if year <= 2024 { ("1", "2") } else { ("M", "F") }
}

/// A date that is wrong in every year and every format: there is no 31 April.
const BAD_DATE: &str = "31/04/2025";

fn present(row: &Row<'_>, column: &str) -> bool {
    !row.get(column).is_empty()
}

/// The cell's value if it has one, else `otherwise`.
fn keep_or(row: &Row<'_>, column: &str, otherwise: String) -> String {
    if present(row, column) {
        row.get(column).to_string()
    } else {
        otherwise
    }
}

fn always(_: &Row<'_>) -> bool {
    true
}

/// An episode of the child that is not a short break and is in the collection year.
fn in_care_this_year(row: &Row<'_>) -> bool {
    let year = row.year();
    row.rows_of("Episodes").iter().any(|e| {
        !matches!(e.get("LS"), "V3" | "V4")
            && e.date("DECOM").is_some_and(|d| d <= end(year))
            && e.date("DEC").is_none_or(|d| d >= start(year))
    })
}

/// Whether the child was in care before this collection year, and so is in last year's return
/// (the generator keeps a child's identity, sex, ethnicity, UPN and UASC status across years).
fn in_last_years_return(row: &Row<'_>) -> bool {
    let from = start(row.year());
    row.rows_of("Episodes")
        .iter()
        .any(|e| e.date("DECOM").is_some_and(|d| d < from))
}

/// The child's episode after this one (by start date), if any.
fn next_episode<'a>(row: &Row<'a>) -> Option<Row<'a>> {
    let decom = row.date("DECOM")?;
    rows(row.part, "Episodes")
        .into_iter()
        .filter(|e| e.date("DECOM").is_some_and(|d| d > decom))
        .min_by_key(|e| e.date("DECOM"))
}

fn is_temporary(place: &str) -> bool {
    matches!(place, "T0" | "T1" | "T2" | "T3" | "T4")
}

/// An episode whose next episode is a change of placement (RNE P, B, T or U) to a placement
/// that is not temporary, from one that is not temporary either and ended with X1.
fn ends_with_placement_change(row: &Row<'_>) -> bool {
    row.get("REC") == "X1"
        && !is_temporary(row.get("PLACE"))
        && next_episode(row).is_some_and(|next| {
            matches!(next.get("RNE"), "P" | "B" | "T" | "U") && !is_temporary(next.get("PLACE"))
        })
}

/// The child's date of birth from its Header row.
fn header_dob(row: &Row<'_>) -> Option<NaiveDate> {
    row.rows_of("Header").first()?.date("DOB")
}

/// Whether both postcodes are given and the child is not UASC (rule 164's scope).
fn distance_expected(row: &Row<'_>) -> bool {
    !matches!(row.get("LS"), "V3" | "V4")
        && present(row, "HOME_POST")
        && present(row, "PL_POST")
        && row.rows_of("UASC").is_empty()
}

/// A placement type with no Ofsted registration and no placement-provider rule but 178's, on an
/// episode without a URN: as P2 or H5 it still needs no URN in 2023/24 (218 and 222 pass) and
/// 178 still passes, so 217t and 230 report it alone.
fn unregistered_placement(row: &Row<'_>) -> bool {
    matches!(row.get("PLACE"), "P1" | "P3" | "R1" | "R2" | "R5" | "Z1") && !present(row, "URN")
}

/// A day of October 2023, when supported accommodation had to be registered with Ofsted from
/// the 28th (rules 217t and 230).
fn registration(day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2023, 10, day).expect("a day of October")
}

/// A postcode in no directory: the ONS uses ZZ99 for pseudo-postcodes, never a real one.
const UNKNOWN_POSTCODE: &str = "ZZ9 9ZZ";

/// What a kind writes into its row: (column, value).
type Writes = fn(&Row<'_>) -> Vec<(&'static str, String)>;

/// A rule kind: on rows of `table` that pass `applies`, write `writes`.
pub struct RuleKind {
    name: &'static str,
    code: &'static str,
    table: &'static str,
    applies: fn(&Row<'_>) -> bool,
    writes: Writes,
}

macro_rules! kind {
    ($code:literal, $table:literal, $applies:expr, $writes:expr) => {
        RuleKind {
            name: concat!("903-", $code),
            code: $code,
            table: $table,
            applies: $applies,
            writes: $writes,
        }
    };
}

fn set(column: &'static str, value: &str) -> Vec<(&'static str, String)> {
    vec![(column, value.to_string())]
}

/// Every SSDA903 rule kind, in rule-code order.
pub const RULE_KINDS: &[RuleKind] = &[
    kind!("101", "Header", always, |_| set("SEX", "X")),
    kind!("102", "Header", always, |_| set("DOB", BAD_DATE)),
    kind!("103", "Header", always, |_| set("ETHNIC", "WXYZ")),
    kind!("104", "UASC", always, |_| set("DUC", BAD_DATE)),
    kind!("112", "AD1", |r| present(r, "DATE_INT"), |_| set(
        "DATE_INT", BAD_DATE
    )),
    kind!("113", "AD1", |r| present(r, "DATE_MATCH"), |_| set(
        "DATE_MATCH",
        BAD_DATE
    )),
    kind!("114", "AD1", |r| present(r, "FOSTER_CARE"), |_| set(
        "FOSTER_CARE",
        "3"
    )),
    kind!(
        "115",
        "PlacedAdoption",
        |r| present(r, "DATE_PLACED"),
        |_| set("DATE_PLACED", BAD_DATE)
    ),
    kind!("116", "PlacedAdoption", always, |_| vec![
        ("REASON_PLACED_CEASED", "RD1".to_string()),
        ("DATE_PLACED_CEASED", BAD_DATE.to_string()),
    ]),
    kind!(
        "117",
        "PlacedAdoption",
        |r| r
            .rows_of("Episodes")
            .iter()
            .any(|e| e.get("REC") != "X1" && e.date("DECOM").is_some()),
        |r| vec![
            ("REASON_PLACED_CEASED", "RD1".to_string()),
            ("DATE_PLACED_CEASED", dmy(end(r.year()) + Days::new(1))),
        ]
    ),
    kind!(
        "118",
        "PlacedAdoption",
        |r| r
            .rows_of("Episodes")
            .iter()
            .any(|e| !matches!(e.get("LS"), "V3" | "V4") && e.date("DECOM").is_some()),
        |r| vec![
            ("REASON_PLACED_CEASED", "RD1".to_string()),
            ("DATE_PLACED_CEASED", dmy(start(r.year()) - Days::new(1))),
        ]
    ),
    kind!(
        "119",
        "PlacedAdoption",
        |r| !present(r, "DATE_PLACED_CEASED") && !present(r, "REASON_PLACED_CEASED"),
        |_| set("REASON_PLACED_CEASED", "RD1")
    ),
    kind!("120", "PlacedAdoption", always, |r| vec![
        ("REASON_PLACED_CEASED", "RD9".to_string()),
        (
            "DATE_PLACED_CEASED",
            keep_or(r, "DATE_PLACED_CEASED", dmy(start(r.year())))
        ),
    ]),
    kind!("131", "OC3", |r| present(r, "IN_TOUCH"), |_| set(
        "IN_TOUCH", "MAYBE"
    )),
    kind!("132", "OC3", |r| present(r, "ACTIV"), |_| set(
        "ACTIV", "F3"
    )),
    kind!("133", "OC3", |r| present(r, "ACCOM"), |_| set(
        "ACCOM", "S1"
    )),
    // Only a middle episode of a child without OC2 or adoption rows: the kinds of those rules
    // rely on the child's episodes, and the oracle crashes on a child whose only DECOM is unreadable.
    kind!(
        "141",
        "Episodes",
        |r| {
            let Some(decom) = r.date("DECOM") else {
                return false;
            };
            let others: Vec<NaiveDate> = r
                .rows_of("Episodes")
                .iter()
                .filter_map(|e| e.date("DECOM"))
                .collect();
            others.iter().any(|d| *d < decom)
                && others.iter().any(|d| *d > decom)
                && r.rows_of("OC2").is_empty()
                && r.rows_of("PlacedAdoption").is_empty()
        },
        |_| set("DECOM", BAD_DATE)
    ),
    kind!(
        "142",
        "Episodes",
        |r| {
            let decom = r.date("DECOM");
            decom.is_some()
                && r.rows_of("Episodes")
                    .iter()
                    .any(|e| e.date("DECOM").is_some_and(|d| Some(d) > decom))
        },
        |_| vec![("DEC", String::new()), ("REC", String::new())]
    ),
    kind!("143", "Episodes", always, |_| set("RNE", "Q")),
    kind!("144", "Episodes", always, |_| set("LS", "C9")),
    kind!("145", "Episodes", always, |_| set("CIN", "N9")),
    kind!("146", "Episodes", always, |_| set("PLACE", "Q1")),
    kind!("147", "Episodes", |r| present(r, "DEC"), |_| set(
        "DEC", BAD_DATE
    )),
    kind!("148", "Episodes", |r| present(r, "REC"), |r| vec![
        ("DEC", String::new()),
        ("REC", r.get("REC").to_string()),
    ]),
    kind!(
        "149",
        "Episodes",
        |r| present(r, "REC") && r.get("REC") != "X1",
        |r| vec![
            ("DEC", r.get("DEC").to_string()),
            ("REC", "E99".to_string()),
        ]
    ),
    kind!(
        "151",
        "AD1",
        |r| [
            "DATE_INT",
            "DATE_MATCH",
            "FOSTER_CARE",
            "NB_ADOPTR",
            "SEX_ADOPTR",
            "LS_ADOPTR"
        ]
        .iter()
        .all(|c| present(r, c)),
        |_| set("LS_ADOPTR", "")
    ),
    kind!(
        "153",
        "OC3",
        |r| ["IN_TOUCH", "ACTIV", "ACCOM"].iter().all(|c| present(r, c)),
        |_| set("ACCOM", "")
    ),
    kind!(
        "157",
        "OC2",
        |r| r.date("DOB").is_some_and(|dob| {
            birthday(dob, 4) <= start(r.year()) && birthday(dob, 16) >= end(r.year())
        }) && present(r, "SDQ_SCORE"),
        |_| vec![
            ("SDQ_SCORE", String::new()),
            ("SDQ_REASON", "SDQ1".to_string())
        ]
    ),
    kind!("158", "OC2", |r| present(r, "SUBSTANCE_MISUSE"), |_| vec![
        ("SUBSTANCE_MISUSE", "1".to_string()),
        ("INTERVENTION_RECEIVED", "1".to_string()),
        ("INTERVENTION_OFFERED", "0".to_string()),
    ]),
    kind!("159", "OC2", |r| present(r, "SUBSTANCE_MISUSE"), |_| vec![
        ("SUBSTANCE_MISUSE", "1".to_string()),
        ("INTERVENTION_RECEIVED", "0".to_string()),
        ("INTERVENTION_OFFERED", String::new()),
    ]),
    kind!("164", "Episodes", distance_expected, |_| set(
        "HOME_POST",
        UNKNOWN_POSTCODE
    )),
    kind!(
        "165",
        "Header",
        |r| r.get("SEX") == sex_codes(r.year()).1 && present(r, "MOTHER") && in_care_this_year(r),
        |r| vec![("SEX", r.get("SEX").to_string()), ("MOTHER", String::new())]
    ),
    kind!("166", "Reviews", |r| present(r, "REVIEW"), |_| vec![
        ("REVIEW", String::new()),
        ("REVIEW_CODE", String::new()),
    ]),
    kind!("167", "Reviews", |r| present(r, "REVIEW"), |r| vec![
        ("REVIEW", r.get("REVIEW").to_string()),
        ("REVIEW_CODE", "PN9".to_string()),
    ]),
    kind!("168", "Header", always, |_| set("UPN", "A12345")),
    kind!(
        "169",
        "Episodes",
        |r| !matches!(r.get("LS"), "V3" | "V4") && present(r, "PL_POST"),
        |_| set("PL_POST", UNKNOWN_POSTCODE)
    ),
    kind!("171", "Header", |r| present(r, "MC_DOB"), |_| set(
        "MC_DOB", BAD_DATE
    )),
    kind!(
        "174",
        "Header",
        |r| r.get("SEX") == sex_codes(r.year()).0,
        |r| vec![
            ("SEX", r.get("SEX").to_string()),
            ("MC_DOB", dmy(start(r.year()))),
        ]
    ),
    kind!("175", "AD1", |r| present(r, "NB_ADOPTR"), |_| set(
        "NB_ADOPTR",
        "3"
    )),
    kind!("176", "AD1", |r| present(r, "SEX_ADOPTR"), |_| set(
        "SEX_ADOPTR",
        "XY"
    )),
    kind!("177", "AD1", |r| present(r, "LS_ADOPTR"), |_| set(
        "LS_ADOPTR",
        "L9"
    )),
    kind!(
        "178",
        "Episodes",
        |r| present(r, "PLACE_PROVIDER"),
        |_| set("PLACE_PROVIDER", "PR9")
    ),
    kind!(
        "179",
        "Episodes",
        |r| !matches!(r.get("LS"), "V3" | "V4") && present(r, "PL_POST"),
        |_| set("PL_POST", "")
    ),
    kind!("180", "OC2", |r| present(r, "SDQ_SCORE"), |_| set(
        "SDQ_SCORE",
        "41"
    )),
    kind!("181", "OC2", |r| present(r, "IMMUNISATIONS"), |_| set(
        "IMMUNISATIONS",
        "2"
    )),
    kind!(
        "182",
        "OC2",
        |r| present(r, "TEETH_CHECK")
            && [
                "CONVICTED",
                "HEALTH_CHECK",
                "INTERVENTION_RECEIVED",
                "INTERVENTION_OFFERED"
            ]
            .iter()
            .any(|c| present(r, c)),
        |_| set("TEETH_CHECK", "")
    ),
    kind!(
        "184",
        "PlacedAdoption",
        |r| r.date("DOB").is_some() && present(r, "DATE_PLACED"),
        |r| {
            let dob = r.date("DOB").expect("applies only with a DOB");
            set("DATE_PLACED", &dmy(dob - Days::new(30)))
        }
    ),
    kind!(
        "186",
        "OC2",
        |r| r.date("DOB").is_some_and(|dob| {
            birthday(dob, 4) <= start(r.year()) && birthday(dob, 17) > end(r.year())
        }) && present(r, "SDQ_SCORE"),
        |_| vec![("SDQ_SCORE", String::new()), ("SDQ_REASON", String::new())]
    ),
    kind!(
        "188",
        "OC2",
        |r| r
            .date("DOB")
            .is_some_and(|dob| birthday(dob, 4) > end(r.year())),
        |r| vec![
            ("SDQ_SCORE", r.get("SDQ_SCORE").to_string()),
            ("SDQ_REASON", "SDQ1".to_string()),
        ]
    ),
    // No synthetic OC2 row is of a young person 17 or over, so the row's DOB is made one; the
    // Header keeps the true DOB, which only the oracle's internal consistency checks compare.
    kind!("189", "OC2", |r| r.date("DOB").is_some(), |r| {
        let reason = if present(r, "SDQ_SCORE") {
            r.get("SDQ_REASON")
        } else {
            "SDQ1"
        };
        vec![
            ("SDQ_SCORE", r.get("SDQ_SCORE").to_string()),
            ("SDQ_REASON", reason.to_string()),
            ("DOB", dmy(start(r.year()) - Months::new(12 * 18))),
        ]
    }),
    kind!("191", "OC2", |r| present(r, "HEALTH_ASSESSMENT"), |_| set(
        "HEALTH_ASSESSMENT",
        ""
    )),
    kind!("192", "OC2", |r| present(r, "SUBSTANCE_MISUSE"), |_| vec![
        ("SUBSTANCE_MISUSE", "1".to_string()),
        ("INTERVENTION_RECEIVED", String::new()),
        ("INTERVENTION_OFFERED", String::new()),
    ]),
    kind!("193", "OC2", |r| present(r, "SUBSTANCE_MISUSE"), |_| vec![
        ("SUBSTANCE_MISUSE", "0".to_string()),
        ("INTERVENTION_RECEIVED", "1".to_string()),
        ("INTERVENTION_OFFERED", String::new()),
    ]),
    kind!("196", "OC2", |r| present(r, "SDQ_SCORE"), |_| vec![
        ("SDQ_SCORE", String::new()),
        ("SDQ_REASON", "SDQ9".to_string()),
    ]),
    kind!("197a", "OC2", |r| present(r, "SDQ_SCORE"), |r| vec![
        ("SDQ_SCORE", r.get("SDQ_SCORE").to_string()),
        ("SDQ_REASON", "SDQ4".to_string()),
    ]),
    kind!(
        "197B",
        "OC2",
        |r| r.date("DOB").is_some_and(|dob| {
            let (s, e) = (start(r.year()), end(r.year()));
            let turning = |age| (s..=e).contains(&birthday(dob, age));
            turning(4) || turning(17)
        }) && (present(r, "SDQ_SCORE") || present(r, "SDQ_REASON")),
        |_| vec![("SDQ_SCORE", String::new()), ("SDQ_REASON", String::new())]
    ),
    kind!(
        "199",
        "Episodes",
        |r| r.get("REC") == "X1" && next_episode(r).is_some(),
        |_| set("REC", "E11")
    ),
    kind!("202", "Header", in_last_years_return, |r| {
        let (male, female) = sex_codes(r.year());
        set("SEX", if r.get("SEX") == male { female } else { male })
    }),
    kind!(
        "203",
        "Header",
        |r| in_last_years_return(r) && r.date("DOB").is_some(),
        |r| set("DOB", &dmy(r.date("DOB").expect("applies") + Days::new(1)))
    ),
    kind!("204", "Header", in_last_years_return, |r| set(
        "ETHNIC",
        if r.get("ETHNIC") == "WBRI" {
            "WIRI"
        } else {
            "WBRI"
        }
    )),
    kind!(
        "205B",
        "UASC",
        |r| in_last_years_return(r) && present(r, "DUC"),
        |_| set("DUC", "01/01/2000")
    ),
    kind!(
        "207",
        "Header",
        // A child born before this year means she was a mother in last year's return already.
        |r| r.get("MOTHER") == "1"
            && r.date("MC_DOB").is_some_and(|d| d < start(r.year()))
            && in_last_years_return(r)
            && in_care_this_year(r),
        |_| set("MOTHER", "0")
    ),
    kind!(
        "208",
        "Header",
        |r| in_last_years_return(r)
            && r.get("UPN").len() == 13
            && r.get("UPN")[1..].bytes().all(|b| b.is_ascii_digit()),
        |r| {
            let upn = r.get("UPN");
            let last = if upn.ends_with('0') { '1' } else { '0' };
            set("UPN", &format!("{}{last}", &upn[..12]))
        }
    ),
    kind!(
        "209",
        "Header",
        |r| r.date("DOB").is_some_and(|dob| {
            birthday(dob, 4) <= NaiveDate::from_ymd_opt(i32::from(r.year()) - 2, 8, 31).unwrap()
        }) && r.get("UPN") != "UN1",
        |_| set("UPN", "UN1")
    ),
    kind!(
        "210",
        "Header",
        |r| {
            let week_before = NaiveDate::from_ymd_opt(i32::from(r.year()), 3, 24).unwrap();
            let episodes = r.rows_of("Episodes");
            episodes.iter().any(|e| !present(e, "DEC"))
                && episodes
                    .iter()
                    .all(|e| e.date("DECOM").is_some_and(|d| d < week_before))
                && r.get("UPN") != "UN4"
        },
        |_| set("UPN", "UN4")
    ),
    kind!(
        "213",
        "Episodes",
        |r| is_temporary(r.get("PLACE")) && !present(r, "PLACE_PROVIDER"),
        |_| set("PLACE_PROVIDER", "PR1")
    ),
    kind!(
        "214",
        "Episodes",
        |r| matches!(r.get("LS"), "V3" | "V4") && !present(r, "PL_POST"),
        |_| set("PL_POST", "M1 1AE")
    ),
    kind!(
        "217",
        "Episodes",
        |r| matches!(r.get("PLACE"), "A3" | "A5") && matches!(r.get("RNE"), "S" | "T" | "U"),
        |_| set("RNE", "P")
    ),
    // 2023/24 only: an unregistered placement open after P2 was withdrawn becomes P2.
    kind!(
        "217t",
        "Episodes",
        |r| r.year() == 2024
            && unregistered_placement(r)
            && (!present(r, "DEC") || r.date("DEC").is_some_and(|d| d > registration(28))),
        |_| set("PLACE", "P2")
    ),
    // 2023/24 only: as for 218, a Manchester placement, whose PL_LA both validators derive.
    kind!(
        "230",
        "Episodes",
        |r| r.year() == 2024
            && unregistered_placement(r)
            && r.get("PL_POST").starts_with('M')
            && (!present(r, "DEC") || r.date("DEC").is_some_and(|d| d >= registration(29))),
        |_| set("PLACE", "H5")
    ),
    kind!(
        "218",
        "Episodes",
        |r| matches!(r.get("PLACE"), "K2" | "U4" | "U6")
            && present(r, "URN")
            && r.get("PL_POST").starts_with('M')
            && r.date("DEC").is_none_or(|d| d >= start(r.year())),
        |_| set("URN", "")
    ),
    kind!(
        "222",
        "Episodes",
        |r| matches!(r.get("PLACE"), "P1" | "R1" | "R2" | "R5") && !present(r, "URN"),
        |_| set("URN", "SC123456")
    ),
    kind!(
        "225",
        "Episodes",
        |r| present(r, "REASON_PLACE_CHANGE") && ends_with_placement_change(r),
        |_| set("REASON_PLACE_CHANGE", "")
    ),
    kind!(
        "226",
        "Episodes",
        |r| is_temporary(r.get("PLACE")) && present(r, "DEC"),
        |_| set("REASON_PLACE_CHANGE", "CARPL")
    ),
    kind!(
        "231",
        "Header",
        |r| r.year() >= 2025 && !r.rows_of("UASC").is_empty(),
        |r| set("DOB", &dmy(end(r.year()) - Months::new(12 * 10)))
    ),
    kind!("232", "Header", |r| r.year() >= 2025, |_| set("SEX", "U")),
    kind!(
        "233",
        "Episodes",
        |r| r.year() >= 2026 && !present(r, "DEC") && !present(r, "REASON_PLACE_CHANGE"),
        |_| set("REASON_PLACE_CHANGE", "CARPL")
    ),
    kind!(
        "234",
        "Episodes",
        |r| {
            let (Some(dob), Some(decom)) = (header_dob(r), r.date("DECOM")) else {
                return false;
            };
            r.year() >= 2026
                && ends_with_placement_change(r)
                && birthday(dob, 10) > decom
                && next_episode(r)
                    .is_some_and(|n| n.date("DECOM").is_some_and(|d| birthday(dob, 10) > d))
        },
        |_| set("REASON_PLACE_CHANGE", "CUSTOD")
    ),
    kind!(
        "242",
        "Episodes",
        |r| r.year() >= 2026 && matches!(r.get("PLACE"), "K2" | "R1") && present(r, "URN"),
        |_| set("URN", "XXXXXXX")
    ),
    kind!(
        "243",
        "Episodes",
        |r| r.year() >= 2026
            && present(r, "URN")
            && !matches!(r.get("LS"), "V3" | "V4")
            && !matches!(r.get("PLACE"), "P1" | "P3" | "R1" | "R2" | "R5"),
        |_| set("PL_POST", "CF10 1AA")
    ),
    kind!(
        "219",
        "Episodes",
        |r| spare(r, "K2", r.get("PLACE_PROVIDER"), Spare::Open).is_some(),
        |r| swap_urn(r, "K2", r.get("PLACE_PROVIDER"), Spare::Open)
    ),
    kind!(
        "221",
        "Episodes",
        |r| {
            let places: &[&str] = if r.year() <= 2024 {
                &["H5", "K1", "K2", "R3", "S1"]
            } else {
                &["K1", "K2", "K3", "R3", "S1"]
            };
            places.contains(&r.get("PLACE"))
                && !matches!(r.get("LS"), "V3" | "V4")
                && has_ofsted_urn(r)
                && other_postcode_in_la(r.get("PL_POST"), r.get("HOME_POST")).is_some()
        },
        |r| set(
            "PL_POST",
            other_postcode_in_la(r.get("PL_POST"), r.get("HOME_POST")).expect("applies")
        )
    ),
    kind!(
        "224",
        "Episodes",
        |r| spare(r, r.get("PLACE"), other_private_provider(r), Spare::Open).is_some(),
        |r| swap_urn(r, r.get("PLACE"), other_private_provider(r), Spare::Open)
    ),
    kind!(
        "227",
        "Episodes",
        |r| spare(
            r,
            r.get("PLACE"),
            r.get("PLACE_PROVIDER"),
            Spare::ClosedAsYearBegan
        )
        .is_some()
            && r.date("DECOM") >= spare_registration_end(Spare::ClosedAsYearBegan, r.year()),
        |r| swap_urn(
            r,
            r.get("PLACE"),
            r.get("PLACE_PROVIDER"),
            Spare::ClosedAsYearBegan
        )
    ),
    kind!(
        "228",
        "Episodes",
        |r| {
            let closed = spare_registration_end(Spare::ClosedMidYear, r.year());
            spare(
                r,
                r.get("PLACE"),
                r.get("PLACE_PROVIDER"),
                Spare::ClosedMidYear,
            )
            .is_some()
                && r.date("DECOM").is_some_and(|d| Some(d) < closed)
                && (!present(r, "DEC") || r.date("DEC") > closed)
        },
        |r| swap_urn(
            r,
            r.get("PLACE"),
            r.get("PLACE_PROVIDER"),
            Spare::ClosedMidYear
        )
    ),
    kind!(
        "229",
        "Episodes",
        |r| matches!(r.get("PLACE_PROVIDER"), "PR1" | "PR2")
            && spare(r, r.get("PLACE"), r.get("PLACE_PROVIDER"), Spare::OtherSide).is_some(),
        |r| swap_urn(r, r.get("PLACE"), r.get("PLACE_PROVIDER"), Spare::OtherSide)
    ),
    // Private provision only: own provision (PR1) outside the LA would be rule 1015's too.
    kind!(
        "241",
        "Episodes",
        |r| r.year() >= 2026
            && r.get("PLACE") == "K3"
            && r.get("PLACE_PROVIDER") == "PR4"
            && has_ofsted_urn(r)
            && postcode_in_next_la(r.get("PL_POST")).is_some(),
        |r| set(
            "PL_POST",
            postcode_in_next_la(r.get("PL_POST")).expect("applies")
        )
    ),
];

/// A URN that the URN rules compare with Ofsted's lists (not the adoption agencies' XXXXXXX).
fn has_ofsted_urn(row: &Row<'_>) -> bool {
    present(row, "URN") && row.get("URN") != "XXXXXXX"
}

/// For a foster or adoption episode with a URN, the URN of the spare Ofsted provider registered
/// for `place` and `provider`. Rule 221 does not compare these placements' postcodes, so the
/// spare's setting matters only to 229.
fn spare(row: &Row<'_>, place: &str, provider: &str, which: Spare) -> Option<String> {
    let foster_or_adoption = matches!(
        row.get("PLACE"),
        "U1" | "U2" | "U3" | "U4" | "U5" | "U6" | "A3" | "A4" | "A5" | "A6"
    );
    if !foster_or_adoption || !has_ofsted_urn(row) {
        return None;
    }
    spare_urn(place, provider, which)
}

fn swap_urn(
    row: &Row<'_>,
    place: &str,
    provider: &str,
    which: Spare,
) -> Vec<(&'static str, String)> {
    set(
        "URN",
        &spare(row, place, provider, which).expect("the kind applies"),
    )
}

/// The other private provider code (PR4 and PR5 have no LA side for 229 to check); blank for
/// other codes, which no spare has.
fn other_private_provider(row: &Row<'_>) -> &'static str {
    match row.get("PLACE_PROVIDER") {
        "PR4" => "PR5",
        "PR5" => "PR4",
        _ => "",
    }
}

impl Kind for &'static RuleKind {
    fn name(&self) -> &str {
        self.name
    }

    fn return_kind(&self) -> Option<ReturnKind> {
        Some(ReturnKind::Ssda903)
    }

    fn sites(&self, part: &dyn Part) -> Vec<Site> {
        if part.return_kind() != ReturnKind::Ssda903 || !part.is_this_year() {
            return Vec::new();
        }
        rows(part, self.table)
            .into_iter()
            .filter(|row| (self.applies)(row))
            .filter_map(|row| {
                Some(Site {
                    cell: row.cell((self.writes)(&row).first()?.0)?,
                    whole_row: false,
                })
            })
            .collect()
    }

    fn inject(&self, part: &mut dyn Part, site: Site, _rng: &mut Rng) -> Option<Injected> {
        let writes: Vec<(Cell, String)> = {
            let row = Row {
                part: &*part,
                table: site.cell.table,
                row: site.cell.row,
            };
            (self.writes)(&row)
                .into_iter()
                .map(|(column, value)| Some((row.cell(column)?, value)))
                .collect::<Option<_>>()?
        };
        let value = writes.first()?.1.clone();
        for (cell, value) in writes {
            part.set(cell, value);
        }
        Some(Injected {
            kind: self.name.to_string(),
            check: self.code.to_string(),
            table: site.cell.table,
            row: site.cell.row,
            change: Change::Cell(site.cell.column),
            value,
        })
    }
}

/// Whether the child is in the OC2 cohort, looked after continuously for at least 12 months at
/// 31 March, as the rules decide it (`rules::ssda903::common::continuously_looked_after`): in
/// care during the year, without entering care (RNE S), leaving it (a REC other than X1 before
/// 31 March) or a short break in the year.
fn continuously_looked_after(row: &Row<'_>) -> bool {
    let (from, to) = (start(row.year()), end(row.year()));
    let mut in_care = false;
    for episode in row.rows_of("Episodes") {
        let (decom, dec) = (episode.date("DECOM"), episode.date("DEC"));
        let during = decom.is_some_and(|d| d <= to) && dec.is_none_or(|d| d >= from);
        in_care |= during;
        let entered = episode.get("RNE") == "S" && decom.is_some_and(|d| d > from && d <= to);
        let left = episode.get("REC") != "X1" && dec.is_some_and(|d| d >= from && d < to);
        let short_break = matches!(episode.get("LS"), "V3" | "V4") && during;
        if entered || left || short_break {
            return false;
        }
    }
    in_care
}

fn has_rows(row: &Row<'_>, table: &str) -> bool {
    !row.rows_of(table).is_empty()
}

/// A care leaver: an OC3 row with any of its three items.
fn care_leaver(row: &Row<'_>) -> bool {
    row.rows_of("OC3")
        .iter()
        .any(|r| ["IN_TOUCH", "ACTIV", "ACCOM"].iter().any(|c| present(r, c)))
}

/// A child in the year's episodes but outside the OC2 cohort, without OC2 or care-leaver rows:
/// an OC2 row added for it is reported by 185, 190 or 198 and, as it is no care leaver, not by 215.
fn outside_oc2_cohort(row: &Row<'_>) -> bool {
    has_rows(row, "Episodes")
        && !continuously_looked_after(row)
        && !has_rows(row, "OC2")
        && !care_leaver(row)
}

/// Of an age to have an SDQ score or reason without rules 188 (under 4 on 31 March) or 189 (17
/// before 1 April) reporting it.
fn sdq_age(row: &Row<'_>) -> bool {
    row.date("DOB").is_some_and(|dob| {
        birthday(dob, 4) <= end(row.year()) && birthday(dob, 17) >= start(row.year())
    })
}

/// A UASC row of the child as the generator writes one: status until the 18th birthday.
fn uasc_row(row: &Row<'_>) -> Vec<(&'static str, String)> {
    let dob = row.date("DOB").expect("applies only with a DOB");
    vec![
        ("SEX", row.get("SEX").to_string()),
        ("DOB", row.get("DOB").to_string()),
        ("DUC", dmy(birthday(dob, 18))),
    ]
}

/// A complete AD1 row (rules 112-114, 151, 175-177 pass), adopted by two adopters in the year.
fn adoption_row(row: &Row<'_>) -> Vec<(&'static str, String)> {
    vec![
        ("DOB", row.get("DOB").to_string()),
        ("DATE_INT", dmy(start(row.year()))),
        ("DATE_MATCH", dmy(start(row.year()) + Months::new(2))),
        ("FOSTER_CARE", "0".to_string()),
        ("NB_ADOPTR", "2".to_string()),
        ("SEX_ADOPTR", "MF".to_string()),
        ("LS_ADOPTR", "L11".to_string()),
    ]
}

/// The four OC2 items every child in the cohort has (rule 182 passes), with no substance misuse
/// (158, 159, 192 and 193 pass) and no SDQ.
fn oc2_outcomes(row: &Row<'_>) -> Vec<(&'static str, String)> {
    vec![
        ("DOB", row.get("DOB").to_string()),
        ("IMMUNISATIONS", "1".to_string()),
        ("TEETH_CHECK", "1".to_string()),
        ("HEALTH_ASSESSMENT", "1".to_string()),
        ("SUBSTANCE_MISUSE", "0".to_string()),
    ]
}

/// A rule kind that adds a row: for a child whose Header row passes `applies`, a row of `table`
/// with the child's identifier and what `writes` gives (from the Header row), added after every
/// other row of the table's file. The kind has the child's part to itself, as what it relies on
/// (the child's episodes, its other tables) is what other kinds change.
pub struct AddedRowKind {
    name: &'static str,
    code: &'static str,
    table: &'static str,
    /// Adds to last year's return rather than this year's: 205A needs a status only last year had.
    last_year: bool,
    applies: fn(&Row<'_>) -> bool,
    writes: Writes,
}

macro_rules! added_row {
    ($code:literal, $table:literal, $applies:expr, $writes:expr) => {
        added_row!($code, $table, false, $applies, $writes)
    };
    ($code:literal, $table:literal, $last_year:expr, $applies:expr, $writes:expr) => {
        AddedRowKind {
            name: concat!("903-", $code),
            code: $code,
            table: $table,
            last_year: $last_year,
            applies: $applies,
            writes: $writes,
        }
    };
}

/// The kinds that add a row, in rule-code order.
pub const ADDED_ROW_KINDS: &[AddedRowKind] = &[
    added_row!(
        "134",
        "AD1",
        |r| care_leaver(r) && !continuously_looked_after(r) && !has_rows(r, "AD1"),
        adoption_row
    ),
    added_row!(
        "185",
        "OC2",
        |r| outside_oc2_cohort(r) && sdq_age(r),
        |r| vec![
            ("DOB", r.get("DOB").to_string()),
            ("SDQ_SCORE", "12".to_string())
        ]
    ),
    added_row!(
        "187",
        "AD1",
        |r| continuously_looked_after(r) && !has_rows(r, "AD1") && !has_rows(r, "OC3"),
        adoption_row
    ),
    added_row!("190", "OC2", outside_oc2_cohort, oc2_outcomes),
    added_row!(
        "198",
        "OC2",
        |r| outside_oc2_cohort(r) && sdq_age(r),
        |r| vec![
            ("DOB", r.get("DOB").to_string()),
            ("SDQ_REASON", "SDQ2".to_string())
        ]
    ),
    // A child in last year's and this year's return, UASC in neither (UN2 is the generator's
    // UPN for UASC children), given a UASC row last year whose DUC, the 18th birthday, is after
    // last year: an episode open on last year's 31 March carries the child into this year.
    added_row!(
        "205A",
        "UASC",
        true,
        |r| r.get("UPN") != "UN2"
            && !has_rows(r, "UASC")
            && r.rows_of("Episodes").iter().any(|e| !present(e, "DEC"))
            && r.date("DOB")
                .is_some_and(|dob| birthday(dob, 18) > end(r.year())),
        uasc_row
    ),
    // Aged 11 or more on 31 March, so that 231 (UASC under 11) does not report it too.
    added_row!(
        "205D",
        "UASC",
        |r| in_last_years_return(r)
            && r.get("UPN") != "UN2"
            && !has_rows(r, "UASC")
            && r.date("DOB").is_some_and(|dob| {
                birthday(dob, 11) <= end(r.year()) && birthday(dob, 18) > end(r.year())
            }),
        uasc_row
    ),
    // A care leaver is outside the OC2 cohort here, so 190 reports the outcomes too; one inside
    // it would have 187 report the care-leaver items instead: 215 never comes alone.
    added_row!(
        "215",
        "OC2",
        |r| care_leaver(r) && !continuously_looked_after(r) && !has_rows(r, "OC2"),
        oc2_outcomes
    ),
];

fn header_row(part: &dyn Part) -> Option<Row<'_>> {
    rows(part, "Header").into_iter().next()
}

impl AddedRowKind {
    fn columns(&self) -> &'static [&'static str] {
        crate::synth::ssda903::TABLES
            .iter()
            .find(|t| t.name == self.table)
            .expect("added-row kinds name a 903 table")
            .columns
    }
}

impl Kind for &'static AddedRowKind {
    fn name(&self) -> &str {
        self.name
    }

    fn return_kind(&self) -> Option<ReturnKind> {
        Some(ReturnKind::Ssda903)
    }

    fn sites(&self, part: &dyn Part) -> Vec<Site> {
        if part.return_kind() != ReturnKind::Ssda903 || part.is_this_year() == self.last_year {
            return Vec::new();
        }
        let (Some(table), Some(header)) = (table_index(part, self.table), header_row(part)) else {
            return Vec::new();
        };
        if !(self.applies)(&header) {
            return Vec::new();
        }
        vec![Site {
            cell: Cell {
                table,
                row: part.row_count(table),
                column: 0,
            },
            whole_row: true,
        }]
    }

    fn inject(&self, part: &mut dyn Part, site: Site, _rng: &mut Rng) -> Option<Injected> {
        let columns = self.columns();
        let writes: Vec<(usize, String)> = (self.writes)(&header_row(part)?)
            .into_iter()
            .map(|(name, value)| Some((columns.iter().position(|c| *c == name)?, value)))
            .collect::<Option<_>>()?;
        let table = site.cell.table;
        let row = part.add_row(table)?;
        for (column, value) in writes {
            part.set(Cell { table, row, column }, value);
        }
        let value = (0..columns.len())
            .map(|column| part.value(Cell { table, row, column }))
            .collect::<Vec<_>>()
            .join(",");
        Some(Injected {
            kind: self.name.to_string(),
            check: self.code.to_string(),
            table,
            row,
            change: Change::Added,
            value,
        })
    }

    fn needs_part_to_itself(&self) -> bool {
        true
    }
}

/// The kinds as the injection framework lists them.
pub fn kinds() -> impl Iterator<Item = Box<dyn Kind>> {
    RULE_KINDS
        .iter()
        .map(|kind| Box::new(kind) as Box<dyn Kind>)
        .chain(
            ADDED_ROW_KINDS
                .iter()
                .map(|kind| Box::new(kind) as Box<dyn Kind>),
        )
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::rules::catalogue;
    use crate::synth::ssda903::{ChildRows, TABLES, tables_for};

    #[test]
    fn every_kind_is_named_after_a_registered_rule_once() {
        let codes: BTreeSet<&str> = catalogue::rules_of(ReturnKind::Ssda903)
            .iter()
            .map(|m| m.code)
            .collect();
        let mut names = BTreeSet::new();
        let kinds = RULE_KINDS
            .iter()
            .map(|k| (k.name, k.code))
            .chain(ADDED_ROW_KINDS.iter().map(|k| (k.name, k.code)));
        for (name, code) in kinds {
            assert!(codes.contains(code), "no rule {code} for {name}");
            assert_eq!(name, format!("903-{code}"));
            assert!(names.insert(name), "{name} listed twice");
        }
    }

    /// Child 1's part of the 2025/26 return (2024/25 when not `this_year`), from CSV rows.
    fn part(this_year: bool, rows: &[(&str, &str)]) -> ChildRows {
        part_of(if this_year { 2026 } else { 2025 }, this_year, rows)
    }

    fn part_of(year: u16, this_year: bool, rows: &[(&str, &str)]) -> ChildRows {
        let mut tables = vec![Vec::new(); tables_for(year).count()];
        for (table, line) in rows {
            let t = TABLES.iter().position(|d| d.name == *table).unwrap();
            let values: Vec<String> = line.split(',').map(str::to_string).collect();
            assert_eq!(values.len(), TABLES[t].columns.len(), "{table}: {line}");
            tables[t].push(values);
        }
        ChildRows {
            child: "1".into(),
            tables,
            year,
            this_year,
            added: Vec::new(),
        }
    }

    const HEADER_12: (&str, &str) = ("Header", "1,M,01/06/2013,WBRI,A123456789012,,");

    /// In care since 2020 with its OC2 row: in the cohort, and in last year's return.
    fn in_care_all_year(this_year: bool) -> ChildRows {
        part(
            this_year,
            &[
                HEADER_12,
                ("Episodes", "1,01/01/2020,S,C2,N1,U1,PR1,,,,,,"),
                ("OC2", "1,01/06/2013,10,,0,,1,1,1,0,,"),
            ],
        )
    }

    /// Entered care in June 2025: outside the cohort.
    fn entered_this_year() -> ChildRows {
        part(
            true,
            &[HEADER_12, ("Episodes", "1,01/06/2025,S,C2,N1,U1,PR1,,,,,,")],
        )
    }

    fn care_leaver_of_18() -> ChildRows {
        part(
            true,
            &[
                ("Header", "1,M,01/06/2007,WBRI,A123456789012,,"),
                ("OC3", "1,01/06/2007,YES,F2,B1"),
            ],
        )
    }

    fn fitting(part: &ChildRows) -> BTreeSet<&'static str> {
        ADDED_ROW_KINDS
            .iter()
            .filter(|kind| !(*kind).sites(part).is_empty())
            .map(|kind| kind.name)
            .collect()
    }

    #[test]
    fn each_added_row_kind_fits_the_children_its_rule_is_about() {
        let names = |names: &[&'static str]| names.iter().copied().collect::<BTreeSet<_>>();
        assert_eq!(
            fitting(&in_care_all_year(true)),
            names(&["903-187", "903-205D"])
        );
        assert_eq!(fitting(&in_care_all_year(false)), names(&["903-205A"]));
        assert_eq!(
            fitting(&entered_this_year()),
            names(&["903-185", "903-190", "903-198"])
        );
        assert_eq!(
            fitting(&care_leaver_of_18()),
            names(&["903-134", "903-215"])
        );
        let mut uasc = in_care_all_year(true);
        uasc.tables[0][0][4] = "UN2".into();
        assert!(!fitting(&uasc).contains("903-205D"));
    }

    #[test]
    fn an_added_row_kind_appends_a_complete_row_and_records_it() {
        let kind = ADDED_ROW_KINDS
            .iter()
            .find(|k| k.name == "903-185")
            .unwrap();
        let mut part = entered_this_year();
        let site = kind.sites(&part)[0];
        let injected = kind.inject(&mut part, site, &mut Rng::new(1)).unwrap();
        let oc2 = TABLES.iter().position(|t| t.name == "OC2").unwrap();
        assert_eq!((injected.table, injected.row), (oc2, 0));
        assert_eq!(injected.change, Change::Added);
        assert_eq!(injected.check, "185");
        assert_eq!(injected.value, "1,01/06/2013,12,,,,,,,,,");
        assert_eq!(part.tables[oc2][0].join(","), injected.value);
        assert_eq!(part.added, vec![(oc2, 0)]);
        let uasc = ADDED_ROW_KINDS
            .iter()
            .find(|k| k.name == "903-205D")
            .unwrap();
        let mut part = in_care_all_year(true);
        let site = uasc.sites(&part)[0];
        let injected = uasc.inject(&mut part, site, &mut Rng::new(1)).unwrap();
        assert_eq!(injected.value, "1,M,01/06/2013,01/06/2031");
    }

    #[test]
    fn transition_kinds_change_only_unregistered_placements_open_after_october_2023() {
        let kinds: Vec<&'static RuleKind> = RULE_KINDS
            .iter()
            .filter(|k| matches!(k.code, "217t" | "230"))
            .collect();
        let fitting = |year: u16, episode: &str| -> Vec<&str> {
            let part = part_of(year, true, &[HEADER_12, ("Episodes", episode)]);
            kinds
                .iter()
                .filter(|kind| !kind.sites(&part).is_empty())
                .map(|kind| kind.code)
                .collect()
        };
        let open = "1,01/04/2023,S,C2,N1,P1,PR0,,,,M1 1AE,M1 1AE,";
        assert_eq!(fitting(2024, open), ["217t", "230"]);
        assert_eq!(
            fitting(
                2024,
                "1,01/04/2023,S,C2,N1,P1,PR0,28/10/2023,E8,,M1 1AE,M1 1AE,"
            ),
            Vec::<&str>::new()
        );
        assert_eq!(
            fitting(2024, "1,01/04/2023,S,C2,N1,P1,PR0,,,,M1 1AE,LS1 1UR,"),
            ["217t"]
        );
        assert_eq!(
            fitting(
                2024,
                "1,01/04/2023,S,C2,N1,K2,PR1,,,,M1 1AE,M1 1AE,SC123456"
            ),
            Vec::<&str>::new()
        );
        assert_eq!(fitting(2025, open), Vec::<&str>::new());
    }
}
