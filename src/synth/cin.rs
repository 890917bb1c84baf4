//! Synthetic CIN census returns: each child's referrals over several years, with assessments,
//! Section 47 enquiries, conferences, child protection plans with reviews, CIN plans and
//! closures, cut into the census XML of a collection year (every episode open at any time in the
//! census period, activity completed before the period left out).

use chrono::NaiveDate;

use crate::schema::ReturnKind;
use crate::synth::calendar::{add_years, date, days, iso, weekday_on_or_after};
use crate::synth::injection::{Cell, Part};
use crate::synth::rng::Rng;
use crate::synth::upn::permanent_upn;

/// The flat tables of the census (`spec/cin.md` §3), with the columns injection can address.
pub const TABLES: [(&str, &[&str]); 10] = [
    (
        "ChildIdentifiers",
        &[
            "LAchildID",
            "UPN",
            "FormerUPN",
            "UPNunknown",
            "PersonBirthDate",
            "ExpectedPersonBirthDate",
            "GenderCurrent",
            "Sex",
            "PersonDeathDate",
        ],
    ),
    ("ChildCharacteristics", &["LAchildID", "Ethnicity"]),
    ("Disabilities", &["LAchildID", "Disability"]),
    (
        "CINdetails",
        &[
            "LAchildID",
            "CINdetailsID",
            "CINreferralDate",
            "ReferralSource",
            "PrimaryNeedCode",
            "CINclosureDate",
            "ReasonForClosure",
            "DateOfInitialCPC",
            "ReferralNFA",
        ],
    ),
    (
        "Assessments",
        &[
            "LAchildID",
            "CINdetailsID",
            "AssessmentID",
            "AssessmentActualStartDate",
            "AssessmentInternalReviewDate",
            "AssessmentAuthorisationDate",
            "AssessmentFactors",
        ],
    ),
    (
        "AssessmentFactorsList",
        &[
            "LAchildID",
            "CINdetailsID",
            "AssessmentID",
            "AssessmentFactor",
        ],
    ),
    (
        "CINplanDates",
        &[
            "LAchildID",
            "CINdetailsID",
            "CINPlanStartDate",
            "CINPlanEndDate",
        ],
    ),
    (
        "Section47",
        &[
            "LAchildID",
            "CINdetailsID",
            "S47ActualStartDate",
            "InitialCPCtarget",
            "DateOfInitialCPC",
            "ICPCnotRequired",
        ],
    ),
    (
        "ChildProtectionPlans",
        &[
            "LAchildID",
            "CINdetailsID",
            "CPPID",
            "CPPstartDate",
            "CPPendDate",
            "InitialCategoryOfAbuse",
            "LatestCategoryOfAbuse",
            "NumberOfPreviousCPP",
        ],
    ),
    (
        "Reviews",
        &["LAchildID", "CINdetailsID", "CPPID", "CPPreviewDate"],
    ),
];

const CHILD_IDENTIFIERS: usize = 0;
const CHILD_CHARACTERISTICS: usize = 1;
const DISABILITIES: usize = 2;
const CIN_DETAILS: usize = 3;
const ASSESSMENTS: usize = 4;
const FACTORS: usize = 5;
const PLANS: usize = 6;
const SECTION47: usize = 7;
const CPPS: usize = 8;
const REVIEWS: usize = 9;

#[derive(Debug, Clone)]
pub struct Assessment {
    pub start: NaiveDate,
    pub authorised: NaiveDate,
    pub factors: Vec<&'static str>,
}

#[derive(Debug, Clone)]
pub struct Section47 {
    pub start: NaiveDate,
    pub target: NaiveDate,
    /// The initial conference, or `None` when none was needed.
    pub conference: Option<NaiveDate>,
}

#[derive(Debug, Clone)]
pub struct ProtectionPlan {
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub initial_category: &'static str,
    pub latest_category: &'static str,
    pub previous_plans: u32,
    pub reviews: Vec<NaiveDate>,
}

#[derive(Debug, Clone)]
pub struct Referral {
    pub date: NaiveDate,
    pub source: &'static str,
    pub need: Option<&'static str>,
    pub no_further_action: bool,
    pub closure: Option<(NaiveDate, &'static str)>,
    pub assessments: Vec<Assessment>,
    pub plans: Vec<(NaiveDate, NaiveDate)>,
    pub section47: Vec<Section47>,
    pub protection_plans: Vec<ProtectionPlan>,
}

#[derive(Debug, Clone)]
pub struct CinChild {
    pub id: String,
    pub upn: String,
    pub dob: Option<NaiveDate>,
    pub expected_dob: Option<NaiveDate>,
    pub male: bool,
    pub ethnicity: &'static str,
    pub disabilities: Vec<&'static str>,
    pub referrals: Vec<Referral>,
}

const SOURCES: [(&str, u32); 24] = [
    ("1A", 5),
    ("1B", 2),
    ("1C", 2),
    ("1D", 1),
    ("2A", 18),
    ("2B", 2),
    ("3A", 3),
    ("3B", 3),
    ("3C", 1),
    ("3D", 2),
    ("3E", 3),
    ("3F", 4),
    ("4", 3),
    ("5A", 4),
    ("5B", 3),
    ("5C", 3),
    ("5D", 4),
    ("6", 28),
    ("7", 2),
    ("8", 4),
    ("9", 1),
    ("10", 2),
    ("1A", 1),
    ("2A", 1),
];

const NEEDS: [(&str, u32); 10] = [
    ("N1", 55),
    ("N2", 5),
    ("N3", 4),
    ("N4", 6),
    ("N5", 15),
    ("N6", 3),
    ("N7", 1),
    ("N8", 3),
    ("N9", 6),
    ("N0", 2),
];

/// Factor codes without 21 (used alone) and without 18A/19A (queried from 2024/25, 8945Q/8950Q).
const FACTORS_LIST: [&str; 44] = [
    "1A", "1B", "1C", "2A", "2B", "2C", "3A", "3B", "3C", "4A", "4B", "4C", "5A", "5B", "5C", "6A",
    "6B", "6C", "7A", "8B", "8C", "8D", "8E", "8F", "9A", "10A", "11A", "12A", "13A", "14A", "15A",
    "16A", "17A", "18B", "18C", "19B", "19C", "20", "22A", "23A", "24A", "3B", "4B", "16A",
];

const DISABILITY_CODES: [&str; 12] = [
    "MOB", "HAND", "PC", "INC", "COMM", "LD", "HEAR", "VIS", "BEH", "CON", "AUT", "DDA",
];

const CATEGORIES: [(&str, u32); 5] = [("NEG", 50), ("EMO", 35), ("PHY", 8), ("SAB", 4), ("MUL", 3)];

const ETHNICITIES: [(&str, u32); 20] = [
    ("WBRI", 620),
    ("WIRI", 5),
    ("WOTH", 50),
    ("WIRT", 3),
    ("WROM", 8),
    ("MWBC", 25),
    ("MWBA", 12),
    ("MWAS", 12),
    ("MOTH", 25),
    ("AIND", 12),
    ("APKN", 35),
    ("ABAN", 12),
    ("AOTH", 15),
    ("BCRB", 12),
    ("BAFR", 40),
    ("BOTH", 10),
    ("CHNE", 3),
    ("OOTH", 20),
    ("REFU", 3),
    ("NOBT", 30),
];

/// Simulates one child's referrals from a few years before the previous census year to the end
/// of the current one.
pub fn generate(
    rng: &mut Rng,
    index: usize,
    la_code: &str,
    window_start: NaiveDate,
    horizon: NaiveDate,
) -> CinChild {
    let unborn = rng.chance(0.02);
    let (dob, expected_dob, first_referral) = if unborn {
        let expected = rng.date(horizon + days(10), horizon + days(150));
        (
            None,
            Some(expected),
            rng.date(horizon - days(100), horizon - days(5)),
        )
    } else {
        let dob = loop {
            let dob = rng.date(add_years(window_start, -17), horizon - days(60));
            if !(matches!(chrono::Datelike::month(&dob), 3 | 4)
                || (chrono::Datelike::month(&dob) == 2 && chrono::Datelike::day(&dob) == 29))
            {
                break dob;
            }
        };
        let earliest = (dob + days(14)).max(window_start - days(700));
        (
            Some(dob),
            None,
            rng.date(earliest.min(horizon - days(5)), horizon - days(5)),
        )
    };
    let mut child = CinChild {
        id: format!("{}", 5_000_000 + index),
        upn: permanent_upn(la_code, 500_000_000 + index as u64),
        dob,
        expected_dob,
        male: rng.chance(0.52),
        ethnicity: rng.weighted(&ETHNICITIES),
        disabilities: Vec::new(),
        referrals: Vec::new(),
    };
    child.disabilities = if rng.chance(0.8) {
        vec!["NONE"]
    } else {
        let mut codes: Vec<&'static str> = Vec::new();
        for _ in 0..rng.range(1, 3) {
            let code = rng.pick(&DISABILITY_CODES);
            if !codes.contains(&code) {
                codes.push(code);
            }
        }
        codes
    };
    let mut referral_date = first_referral;
    let mut previous_plans = 0;
    loop {
        let referral = referral(rng, referral_date, unborn, &mut previous_plans);
        let next = referral
            .closure
            .map(|(closed, _)| closed + days(rng.range(20, 700)));
        child.referrals.push(referral);
        match next {
            Some(next) if next <= horizon - days(3) && !unborn => referral_date = next,
            _ => break,
        }
    }
    child
}

/// Keeps NFA referrals off the first days of April: the reference validator's version of 8569Q
/// moves its threshold forward when 1 April is not a working day.
fn nfa_allowed(day: NaiveDate) -> bool {
    use chrono::Datelike;
    !(day.month() == 4 && day.day() <= 7)
}

fn referral(rng: &mut Rng, start: NaiveDate, unborn: bool, previous_plans: &mut u32) -> Referral {
    let source = rng.weighted(&SOURCES);
    if !unborn && nfa_allowed(start) && rng.chance(0.18) {
        return Referral {
            date: start,
            source,
            need: None,
            no_further_action: true,
            // Closed the day it arrives, like most NFA referrals: one closed after 31 March would
            // be carried into the next census as an NFA case from before the period (8569Q).
            closure: Some((start, "RC7")),
            assessments: Vec::new(),
            plans: Vec::new(),
            section47: Vec::new(),
            protection_plans: Vec::new(),
        };
    }
    let mut referral = Referral {
        date: start,
        source,
        need: Some(rng.weighted(&NEEDS)),
        no_further_action: false,
        closure: None,
        assessments: Vec::new(),
        plans: Vec::new(),
        section47: Vec::new(),
        protection_plans: Vec::new(),
    };
    let assessment_start = start + days(rng.range(0, 5));
    let assessed = assessment_start + days(rng.range(8, 50));
    let no_factors = rng.chance(0.08);
    let factors = if no_factors {
        vec!["21"]
    } else {
        let mut list: Vec<&'static str> = Vec::new();
        for _ in 0..rng.range(1, 4) {
            let factor = rng.pick(&FACTORS_LIST);
            if !list.contains(&factor) {
                list.push(factor);
            }
        }
        list
    };
    referral.assessments.push(Assessment {
        start: assessment_start,
        authorised: assessed,
        factors,
    });
    let path = if no_factors { 0 } else { rng.range(0, 99) };
    let closure = match path {
        0..=24 => {
            let reason = if no_factors || rng.chance(0.6) {
                "RC8"
            } else {
                "RC9"
            };
            // Closed the day the assessment is signed off, so that the closure and the
            // assessment it cites are always in the same census year (8825Q).
            Some((assessed, reason))
        }
        25..=59 => {
            let plan_start = assessed + days(rng.range(1, 10));
            let plan_end = plan_start + days(rng.range(90, 400));
            referral.plans.push((plan_start, plan_end));
            rng.chance(0.85)
                .then(|| (plan_end + days(rng.range(0, 10)), closing_reason(rng)))
        }
        _ => {
            let s47_start = start + days(rng.range(0, 10));
            let target = weekday_on_or_after(s47_start + days(rng.range(10, 14)));
            let held = rng.chance(0.75);
            let conference = held.then(|| weekday_on_or_after(s47_start + days(rng.range(5, 12))));
            referral.section47.push(Section47 {
                start: s47_start,
                target,
                conference,
            });
            // The assessment is signed off no earlier than the enquiry ends, so an enquiry in a
            // census year always has its assessment in that year too (2991Q).
            let completed = conference.unwrap_or(s47_start);
            let assessment = referral.assessments.last_mut().expect("assessed above");
            assessment.authorised = assessment.authorised.max(completed + days(rng.range(0, 3)));
            let assessed = assessment.authorised;
            let after = conference
                .unwrap_or(s47_start + days(rng.range(3, 10)))
                .max(assessed);
            if let Some(icpc) = conference.filter(|_| rng.chance(0.85)) {
                let end = icpc + days(rng.range(120, 540));
                let mut reviews = Vec::new();
                let mut review = icpc + days(rng.range(60, 88));
                while review < end {
                    reviews.push(review);
                    review += days(rng.range(150, 178));
                }
                let initial = rng.weighted(&CATEGORIES);
                let latest = if rng.chance(0.8) {
                    initial
                } else {
                    rng.weighted(&CATEGORIES)
                };
                referral.protection_plans.push(ProtectionPlan {
                    start: icpc,
                    end,
                    initial_category: initial,
                    latest_category: latest,
                    previous_plans: *previous_plans,
                    reviews,
                });
                *previous_plans += 1;
                if rng.chance(0.6) {
                    let plan_start = end + days(1);
                    let plan_end = plan_start + days(rng.range(90, 300));
                    referral.plans.push((plan_start, plan_end));
                    rng.chance(0.9)
                        .then(|| (plan_end + days(rng.range(0, 10)), closing_reason(rng)))
                } else {
                    Some((end + days(rng.range(0, 20)), closing_reason(rng)))
                }
            } else {
                let plan_start = after + days(1);
                let plan_end = plan_start + days(rng.range(90, 300));
                referral.plans.push((plan_start, plan_end));
                Some((plan_end + days(rng.range(0, 10)), closing_reason(rng)))
            }
        }
    };
    referral.closure = closure;
    referral
}

fn closing_reason(rng: &mut Rng) -> &'static str {
    rng.weighted(&[
        ("RC7", 80),
        ("RC3", 5),
        ("RC4", 5),
        ("RC5", 6),
        ("RC6", 1),
        ("RC1", 1),
    ])
}

/// One line of the pretty-printed XML, with the table row and cell it carries, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub depth: u8,
    pub name: &'static str,
    pub body: Body,
    pub cell: Option<Cell>,
    /// Set on the start tag of a table row: (table, row within the child).
    pub row: Option<(usize, usize)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    Open,
    Close,
    Text(String),
}

/// One child's `<Child>` element, line by line.
#[derive(Debug, Clone)]
pub struct ChildXml {
    pub child: String,
    pub lines: Vec<Line>,
    pub year: u16,
    /// False for last year's census, written beside the year asked for.
    pub this_year: bool,
}

struct Builder {
    lines: Vec<Line>,
    depth: u8,
    rows: [usize; 10],
}

impl Builder {
    fn open(&mut self, name: &'static str, row_of: Option<usize>) {
        let row = row_of.map(|t| (t, self.next_row(t)));
        self.lines.push(Line {
            depth: self.depth,
            name,
            body: Body::Open,
            cell: None,
            row,
        });
        self.depth += 1;
    }

    fn close(&mut self, name: &'static str) {
        self.depth -= 1;
        self.lines.push(Line {
            depth: self.depth,
            name,
            body: Body::Close,
            cell: None,
            row: None,
        });
    }

    fn next_row(&mut self, table: usize) -> usize {
        let row = self.rows[table];
        self.rows[table] += 1;
        row
    }

    /// A leaf carrying the cell `column` of the table row opened last.
    fn leaf(&mut self, name: &'static str, table: usize, value: String) {
        let row = self.rows[table] - 1;
        let column = TABLES[table]
            .1
            .iter()
            .position(|c| *c == name)
            .expect("element is a column of its table");
        self.lines.push(Line {
            depth: self.depth,
            name,
            body: Body::Text(value),
            cell: Some(Cell { table, row, column }),
            row: None,
        });
    }

    /// A leaf that is itself a table row (Disability, AssessmentFactors, CPPreviewDate).
    fn leaf_row(&mut self, name: &'static str, table: usize, column: &'static str, value: String) {
        let row = self.next_row(table);
        let column = TABLES[table]
            .1
            .iter()
            .position(|c| *c == column)
            .expect("column of its table");
        self.lines.push(Line {
            depth: self.depth,
            name,
            body: Body::Text(value),
            cell: Some(Cell { table, row, column }),
            row: Some((table, row)),
        });
    }
}

/// Booleans as `1`/`0`: the only spellings every year's DfE XSD accepts.
fn flag(value: bool) -> String {
    if value { "1".into() } else { "0".into() }
}

/// The child's element in the census for `year`, or `None` when no referral of theirs was open
/// during the census period.
pub fn cut(child: &CinChild, year: u16) -> Option<ChildXml> {
    let start = date(i32::from(year) - 1, 4, 1);
    let end = date(i32::from(year), 3, 31);
    let known = |day: NaiveDate| (day <= end).then_some(day);
    let referrals: Vec<&Referral> = child
        .referrals
        .iter()
        .filter(|r| r.date <= end && r.closure.is_none_or(|(closed, _)| closed >= start))
        .collect();
    if referrals.is_empty() || child.dob.is_some_and(|d| d > end) {
        return None;
    }
    let mut b = Builder {
        lines: Vec::new(),
        depth: 2,
        rows: [0; 10],
    };
    b.open("Child", None);
    b.open("ChildIdentifiers", Some(CHILD_IDENTIFIERS));
    b.leaf("LAchildID", CHILD_IDENTIFIERS, child.id.clone());
    let school_age = child
        .dob
        .is_some_and(|dob| dob <= date(i32::from(year) - 6, 8, 31));
    if school_age {
        b.leaf("UPN", CHILD_IDENTIFIERS, child.upn.clone());
    } else {
        b.leaf("UPNunknown", CHILD_IDENTIFIERS, "UN1".into());
    }
    if let Some(dob) = child.dob {
        b.leaf("PersonBirthDate", CHILD_IDENTIFIERS, iso(dob));
    }
    if let Some(expected) = child.expected_dob {
        b.leaf("ExpectedPersonBirthDate", CHILD_IDENTIFIERS, iso(expected));
    }
    let unborn = child.dob.is_none();
    if year <= 2024 {
        let gender = match (unborn, child.male) {
            (true, _) => "0",
            (false, true) => "1",
            (false, false) => "2",
        };
        b.leaf("GenderCurrent", CHILD_IDENTIFIERS, gender.into());
    } else {
        let sex = match (unborn, child.male) {
            (true, _) => "U",
            (false, true) => "M",
            (false, false) => "F",
        };
        b.leaf("Sex", CHILD_IDENTIFIERS, sex.into());
    }
    b.close("ChildIdentifiers");
    b.open("ChildCharacteristics", Some(CHILD_CHARACTERISTICS));
    b.leaf("Ethnicity", CHILD_CHARACTERISTICS, child.ethnicity.into());
    if !unborn {
        b.open("Disabilities", None);
        for code in &child.disabilities {
            b.leaf_row("Disability", DISABILITIES, "Disability", (*code).into());
        }
        b.close("Disabilities");
    }
    b.close("ChildCharacteristics");
    for referral in referrals {
        let closure = referral.closure.filter(|(closed, _)| *closed <= end);
        b.open("CINdetails", Some(CIN_DETAILS));
        b.leaf("CINreferralDate", CIN_DETAILS, iso(referral.date));
        b.leaf("ReferralSource", CIN_DETAILS, referral.source.into());
        if let Some(need) = referral.need {
            b.leaf("PrimaryNeedCode", CIN_DETAILS, need.into());
        }
        if let Some((closed, reason)) = closure {
            b.leaf("CINclosureDate", CIN_DETAILS, iso(closed));
            b.leaf("ReasonForClosure", CIN_DETAILS, reason.into());
        }
        for assessment in referral
            .assessments
            .iter()
            .filter(|a| a.start <= end && a.authorised >= start)
        {
            b.open("Assessments", Some(ASSESSMENTS));
            b.leaf(
                "AssessmentActualStartDate",
                ASSESSMENTS,
                iso(assessment.start),
            );
            if let Some(done) = known(assessment.authorised) {
                b.leaf("AssessmentAuthorisationDate", ASSESSMENTS, iso(done));
                b.open("FactorsIdentifiedAtAssessment", None);
                for factor in &assessment.factors {
                    b.leaf_row(
                        "AssessmentFactors",
                        FACTORS,
                        "AssessmentFactor",
                        (*factor).into(),
                    );
                }
                b.close("FactorsIdentifiedAtAssessment");
            }
            b.close("Assessments");
        }
        for &(plan_start, plan_end) in referral
            .plans
            .iter()
            .filter(|(s, e)| *s <= end && *e >= start)
        {
            b.open("CINPlanDates", Some(PLANS));
            b.leaf("CINPlanStartDate", PLANS, iso(plan_start));
            if let Some(ended) = known(plan_end) {
                b.leaf("CINPlanEndDate", PLANS, iso(ended));
            }
            b.close("CINPlanDates");
        }
        for s47 in referral.section47.iter().filter(|s| s.start <= end) {
            let completed = s47.conference.unwrap_or(s47.start);
            if completed < start {
                continue;
            }
            b.open("Section47", Some(SECTION47));
            b.leaf("S47ActualStartDate", SECTION47, iso(s47.start));
            let conference = s47.conference.and_then(known);
            if s47.conference.is_some() {
                b.leaf("InitialCPCtarget", SECTION47, iso(s47.target));
            }
            if let Some(held) = conference {
                b.leaf("DateOfInitialCPC", SECTION47, iso(held));
            }
            let not_required = s47.conference.is_none();
            b.leaf("ICPCnotRequired", SECTION47, flag(not_required));
            b.close("Section47");
        }
        b.leaf("ReferralNFA", CIN_DETAILS, flag(referral.no_further_action));
        for plan in referral
            .protection_plans
            .iter()
            .filter(|p| p.start <= end && p.end >= start)
        {
            b.open("ChildProtectionPlans", Some(CPPS));
            b.leaf("CPPstartDate", CPPS, iso(plan.start));
            if let Some(ended) = known(plan.end) {
                b.leaf("CPPendDate", CPPS, iso(ended));
            }
            b.leaf("InitialCategoryOfAbuse", CPPS, plan.initial_category.into());
            b.leaf("LatestCategoryOfAbuse", CPPS, plan.latest_category.into());
            b.leaf("NumberOfPreviousCPP", CPPS, plan.previous_plans.to_string());
            let reviews: Vec<NaiveDate> = plan
                .reviews
                .iter()
                .copied()
                .filter(|r| start <= *r && *r <= end)
                .collect();
            if !reviews.is_empty() {
                b.open("Reviews", None);
                for review in reviews {
                    b.leaf_row("CPPreviewDate", REVIEWS, "CPPreviewDate", iso(review));
                }
                b.close("Reviews");
            }
            b.close("ChildProtectionPlans");
        }
        b.close("CINdetails");
    }
    b.close("Child");
    Some(ChildXml {
        child: child.id.clone(),
        lines: b.lines,
        year,
        this_year: true,
    })
}

impl ChildXml {
    fn line_of(&self, cell: Cell) -> usize {
        self.lines
            .iter()
            .position(|l| l.cell == Some(cell))
            .expect("cell exists")
    }

    fn start_of(&self, table: usize, row: usize) -> Option<usize> {
        self.lines.iter().position(|l| l.row == Some((table, row)))
    }
}

impl Part for ChildXml {
    fn return_kind(&self) -> ReturnKind {
        ReturnKind::Cin
    }
    fn child_id(&self) -> &str {
        &self.child
    }
    fn table_name(&self, table: usize) -> &'static str {
        TABLES[table].0
    }
    fn column_name(&self, table: usize, column: usize) -> &'static str {
        TABLES[table].1[column]
    }
    fn cells(&self) -> Vec<(Cell, &str)> {
        self.lines
            .iter()
            .filter_map(|l| match (&l.cell, &l.body) {
                (Some(cell), Body::Text(value)) => Some((*cell, value.as_str())),
                _ => None,
            })
            .collect()
    }
    fn value(&self, cell: Cell) -> &str {
        match &self.lines[self.line_of(cell)].body {
            Body::Text(value) => value,
            _ => "",
        }
    }
    fn set(&mut self, cell: Cell, value: String) {
        let line = self.line_of(cell);
        self.lines[line].body = Body::Text(value);
    }
    fn rows_equal(&self, table: usize, a: usize, b: usize) -> bool {
        let values = |row: usize| -> Vec<(usize, &str)> {
            self.cells()
                .into_iter()
                .filter(|(c, _)| c.table == table && c.row == row)
                .map(|(c, v)| (c.column, v))
                .collect()
        };
        // Rows of tables keyed by generated IDs differ by their position; only leaf-row tables
        // (one value per row under the child) can repeat.
        matches!(table, DISABILITIES) && values(a) == values(b)
    }
    fn row_count(&self, table: usize) -> usize {
        self.lines
            .iter()
            .filter(|l| l.row.is_some_and(|(t, _)| t == table))
            .count()
    }
    fn table_count(&self) -> usize {
        TABLES.len()
    }
    fn duplicate_row(&mut self, _table: usize, _row: usize) -> Option<usize> {
        None
    }
    fn collection_year(&self) -> u16 {
        self.year
    }
    fn is_this_year(&self) -> bool {
        self.this_year
    }
    fn enclosing_row(&self, table: usize, row: usize, outer: usize) -> Option<usize> {
        // Rows nest by position: the enclosing row is the nearest start tag of `outer` above.
        let start = self.start_of(table, row)?;
        self.lines[..start].iter().rev().find_map(|l| match l.row {
            Some((t, r)) if t == outer => Some(r),
            _ => None,
        })
    }
    fn add_cell(&mut self, table: usize, row: usize, column: usize, value: String) -> Option<Cell> {
        let cell = Cell { table, row, column };
        if self.lines.iter().any(|l| l.cell == Some(cell)) {
            self.set(cell, value);
            return Some(cell);
        }
        let start = self.start_of(table, row)?;
        if self.lines[start].body != Body::Open {
            return None;
        }
        // After the row's fields that come before it, so the element order stays the DfE's.
        let after = self
            .lines
            .iter()
            .rposition(|l| {
                l.cell
                    .is_some_and(|c| (c.table, c.row) == (table, row) && c.column < column)
            })
            .unwrap_or(start);
        self.lines.insert(
            after + 1,
            Line {
                depth: self.lines[start].depth + 1,
                name: TABLES[table].1[column],
                body: Body::Text(value),
                cell: Some(cell),
                row: None,
            },
        );
        Some(cell)
    }
}

/// The header of a census file for `year`, line by line after the XML declaration.
pub fn header_lines(year: u16, lea: &str) -> Vec<String> {
    let reference = iso(date(i32::from(year), 3, 31));
    vec![
        "<Message>".into(),
        "  <Header>".into(),
        "    <CollectionDetails>".into(),
        "      <Collection>CIN</Collection>".into(),
        format!("      <Year>{year}</Year>"),
        format!("      <ReferenceDate>{reference}</ReferenceDate>"),
        "    </CollectionDetails>".into(),
        "    <Source>".into(),
        "      <SourceLevel>L</SourceLevel>".into(),
        format!("      <LEA>{lea}</LEA>"),
        "      <SoftwareCode>csc-returns synth</SoftwareCode>".into(),
        "      <Release>1</Release>".into(),
        "      <SerialNo>001</SerialNo>".into(),
        format!("      <DateTime>{year}-04-01T09:00:00</DateTime>"),
        "    </Source>".into(),
        "  </Header>".into(),
        "  <Children>".into(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A child with identifiers, one disability, an episode with a plan, and a second episode.
    fn child() -> ChildXml {
        let mut b = Builder {
            lines: Vec::new(),
            depth: 0,
            rows: [0; 10],
        };
        b.open("Child", None);
        b.open("ChildIdentifiers", Some(CHILD_IDENTIFIERS));
        b.leaf("LAchildID", CHILD_IDENTIFIERS, "C1".into());
        b.leaf("Sex", CHILD_IDENTIFIERS, "F".into());
        b.close("ChildIdentifiers");
        b.open("ChildCharacteristics", Some(CHILD_CHARACTERISTICS));
        b.open("Disabilities", None);
        b.leaf_row("Disability", DISABILITIES, "Disability", "NONE".into());
        b.close("Disabilities");
        b.close("ChildCharacteristics");
        for referral in ["2025-05-01", "2025-09-01"] {
            b.open("CINdetails", Some(CIN_DETAILS));
            b.leaf("CINreferralDate", CIN_DETAILS, referral.into());
            b.open("CINPlanDates", Some(PLANS));
            b.leaf("CINPlanStartDate", PLANS, referral.into());
            b.close("CINPlanDates");
            b.leaf("ReferralNFA", CIN_DETAILS, "0".into());
            b.close("CINdetails");
        }
        b.close("Child");
        ChildXml {
            child: "C1".into(),
            lines: b.lines,
            year: 2026,
            this_year: true,
        }
    }

    fn names(xml: &ChildXml) -> Vec<&str> {
        xml.lines.iter().map(|l| l.name).collect()
    }

    #[test]
    fn rows_know_the_episode_they_are_in() {
        let xml = child();
        assert_eq!(xml.enclosing_row(PLANS, 0, CIN_DETAILS), Some(0));
        assert_eq!(xml.enclosing_row(PLANS, 1, CIN_DETAILS), Some(1));
        assert_eq!(xml.enclosing_row(DISABILITIES, 0, CIN_DETAILS), None);
    }

    #[test]
    fn added_fields_go_after_the_rows_earlier_fields() {
        let mut xml = child();
        let death = xml.add_cell(CHILD_IDENTIFIERS, 0, 8, "2025-09-01".into());
        assert_eq!(
            death,
            Some(Cell {
                table: CHILD_IDENTIFIERS,
                row: 0,
                column: 8
            })
        );
        assert_eq!(
            names(&xml)[..5],
            [
                "Child",
                "ChildIdentifiers",
                "LAchildID",
                "Sex",
                "PersonDeathDate"
            ]
        );
        assert_eq!(xml.lines[4].depth, 2);
        // The second episode's conference goes before its plan and its ReferralNFA.
        xml.add_cell(CIN_DETAILS, 1, 7, "2025-09-10".into())
            .unwrap();
        let second = xml
            .lines
            .iter()
            .position(|l| l.row == Some((CIN_DETAILS, 1)))
            .unwrap();
        assert_eq!(
            names(&xml)[second..second + 4],
            [
                "CINdetails",
                "CINreferralDate",
                "DateOfInitialCPC",
                "CINPlanDates"
            ]
        );
        assert_eq!(
            xml.value(Cell {
                table: CIN_DETAILS,
                row: 1,
                column: 7
            }),
            "2025-09-10"
        );
        // A field the row has is overwritten, not repeated.
        let lines = xml.lines.len();
        xml.add_cell(CHILD_IDENTIFIERS, 0, 7, "M".into()).unwrap();
        assert_eq!(xml.lines.len(), lines);
        assert_eq!(
            xml.value(Cell {
                table: CHILD_IDENTIFIERS,
                row: 0,
                column: 7
            }),
            "M"
        );
        // A one-value row (a disability) takes no fields.
        assert_eq!(xml.add_cell(DISABILITIES, 0, 0, "C1".into()), None);
    }
}
