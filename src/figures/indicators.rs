//! The indicators, as code with their metadata: one entry per figure of `spec/indicators.md` that
//! the CIN census or the SSDA903 can answer. Each says what it counts (numerator and denominator),
//! its unit, decimal places and polarity, the return fields it reads, the published series it is
//! benchmarked against, and which function computes it.

use crate::benchmarks::{Polarity, Series};
use crate::calendar::WorkingCalendar;
use crate::schema::ReturnKind;

use super::care;
use super::cin::{self, CinResult};
use super::data::{CareData, CinData};
use super::period::Period;

/// The report's sections, in the order council reports put them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Section {
    FrontDoor,
    Assessment,
    ChildProtection,
    ChildrenInNeed,
    LookedAfter,
    PlacementStability,
    Permanence,
    CareLeavers,
}

impl Section {
    pub const ALL: [Section; 8] = [
        Section::FrontDoor,
        Section::Assessment,
        Section::ChildProtection,
        Section::ChildrenInNeed,
        Section::LookedAfter,
        Section::PlacementStability,
        Section::Permanence,
        Section::CareLeavers,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Section::FrontDoor => "Front door",
            Section::Assessment => "Assessment",
            Section::ChildProtection => "Child protection",
            Section::ChildrenInNeed => "Children in need",
            Section::LookedAfter => "Looked after children",
            Section::PlacementStability => "Placement stability",
            Section::Permanence => "Permanence",
            Section::CareLeavers => "Care leavers",
        }
    }

    pub fn parse(title: &str) -> Option<Self> {
        Section::ALL.into_iter().find(|s| s.title() == title)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Count,
    Percent,
    /// Per 10,000 children aged 0 to 17 (ONS mid-year estimate).
    RatePer10k,
    /// Average number of days.
    Days,
}

impl Unit {
    pub fn as_str(self) -> &'static str {
        match self {
            Unit::Count => "count",
            Unit::Percent => "percent",
            Unit::RatePer10k => "rate per 10,000",
            Unit::Days => "days",
        }
    }
}

/// What kind of measure it is, which decides the periods it is computed for and how reports label
/// it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    /// Events dated in the period.
    Flow,
    /// A count at the period end.
    Snapshot,
    /// The 12 months to the period end.
    Rolling12Months,
    /// A cohort defined by the collection year (care leavers by birthday in the year): the year
    /// and the year to date only.
    YearCohort,
    /// The three years to the period end (adoption scorecard): the year and the year to date only.
    ThreeYears,
}

impl Measure {
    pub fn label(self) -> &'static str {
        match self {
            Measure::Flow => "in the period",
            Measure::Snapshot => "at the period end",
            Measure::Rolling12Months => "12 months to the period end",
            Measure::YearCohort => "collection-year cohort",
            Measure::ThreeYears => "3 years to the period end",
        }
    }

    pub fn applies_to(self, period: &Period) -> bool {
        match self {
            Measure::Flow | Measure::Snapshot | Measure::Rolling12Months => true,
            Measure::YearCohort | Measure::ThreeYears => period.kind.is_from_year_start(),
        }
    }
}

/// Counted values behind one figure: the value is derived from them by the unit.
#[derive(Debug, Clone, PartialEq)]
pub struct Tally {
    /// Category of a breakdown; `None` for the headline figure.
    pub breakdown: Option<String>,
    pub numerator: f64,
    /// For percentages and averages; rates take the population instead.
    pub denominator: Option<f64>,
    /// Why the figure could not be computed as defined, when it could not.
    pub note: Option<String>,
}

impl Tally {
    pub fn count(n: usize) -> Self {
        Tally {
            breakdown: None,
            numerator: n as f64,
            denominator: None,
            note: None,
        }
    }

    pub fn ratio(numerator: usize, denominator: usize) -> Self {
        Tally::ratio_of(numerator as f64, denominator as f64)
    }

    pub fn ratio_of(numerator: f64, denominator: f64) -> Self {
        Tally {
            breakdown: None,
            numerator,
            denominator: Some(denominator),
            note: None,
        }
    }

    pub fn with_note(mut self, note: &str) -> Self {
        self.note = Some(note.to_string());
        self
    }

    pub fn with_breakdown(mut self, label: &str) -> Self {
        self.breakdown = Some(label.to_string());
        self
    }
}

/// How an indicator is computed.
#[derive(Clone, Copy)]
pub enum Compute {
    Cin(fn(&CinData, &Period, &WorkingCalendar) -> CinResult),
    Care(fn(&CareData, &Period) -> Vec<Tally>),
}

impl std::fmt::Debug for Compute {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Compute::Cin(_) => "Compute::Cin",
            Compute::Care(_) => "Compute::Care",
        })
    }
}

/// An indicator: metadata and computation.
#[derive(Debug, Clone, Copy)]
pub struct Indicator {
    /// The `spec/indicators.md` id; a suffix R marks the rate of a count.
    pub id: &'static str,
    pub name: &'static str,
    pub section: Section,
    pub numerator: &'static str,
    pub denominator: &'static str,
    pub unit: Unit,
    pub decimal_places: u8,
    pub polarity: Polarity,
    pub measure: Measure,
    /// `Table.Field` of the return fields read.
    pub fields: &'static [&'static str],
    /// The published series it is compared with, if any.
    pub benchmark: Option<Series>,
    /// The convention chosen where the DfE definition leaves room, when there is one.
    pub convention: &'static str,
    /// Earlier collection years whose returns the figure looks into (from their snapshots).
    pub history_years: u16,
    pub compute: Compute,
}

impl Indicator {
    pub fn return_kind(&self) -> ReturnKind {
        match self.compute {
            Compute::Cin(_) => ReturnKind::Cin,
            Compute::Care(_) => ReturnKind::Ssda903,
        }
    }

    /// The figure's value from its counts (`population` for rates), unrounded.
    pub fn value(&self, tally: &Tally, population: Option<f64>) -> Option<f64> {
        let ratio = |n: f64, d: f64| (d > 0.0).then(|| n / d);
        match self.unit {
            Unit::Count => Some(tally.numerator),
            Unit::Percent => ratio(tally.numerator, tally.denominator?).map(|r| r * 100.0),
            Unit::Days => ratio(tally.numerator, tally.denominator?),
            Unit::RatePer10k => ratio(tally.numerator, population?).map(|r| r * 10_000.0),
        }
    }

    pub fn find(id: &str) -> Option<&'static Indicator> {
        INDICATORS.iter().find(|i| i.id.eq_ignore_ascii_case(id))
    }
}

const C1: &str = "cin_c1";

const fn ees(
    table: &'static str,
    filters: &'static [(&'static str, &'static str)],
    value: &'static str,
    numerator: Option<&'static str>,
    denominator: Option<&'static str>,
) -> Option<Series> {
    Some(Series::Ees {
        table,
        filters,
        value,
        numerator,
        denominator,
    })
}

const CLA_AT_31_MARCH: &[(&str, &str)] = &[(
    "population_type",
    "Children looked after on 31 March each year",
)];
const CLA_STARTING: &[(&str, &str)] = &[(
    "population_type",
    "Children starting to be looked after each year",
)];
const CLA_CEASING: &[(&str, &str)] = &[(
    "population_type",
    "Children ceasing to be looked after each year",
)];

const WORKING_DAYS: &str = "Working days exclude weekends and England and Wales bank holidays; the \
     start day is day 0 (the DfE duration bands begin with \"same day\").";
const SHORT_BREAKS: &str = "Children looked after under an agreed series of short breaks (LS V3, V4) \
     are left out.";

/// Fields read by the figures on plans open or ended (count, rate and duration alike).
const PLAN_DATES: &[&str] = &[
    "ChildProtectionPlans.CPPstartDate",
    "ChildProtectionPlans.CPPendDate",
];
/// Fields read by the children in need count and its rate.
const CIN_EPISODE_OPEN: &[&str] = &[
    "CINdetails.CINreferralDate",
    "CINdetails.CINclosureDate",
    "CINdetails.ReferralNFA",
];
/// Fields read by adoption scorecard A1 and its foster-carer-adjusted form A10.
const ADOPTION_A1: &[&str] = &[
    "Episodes.DECOM",
    "Episodes.DEC",
    "Episodes.REC",
    "Episodes.PLACE",
    "Episodes.RNE",
];

/// Every indicator, in report order.
pub static INDICATORS: &[Indicator] = &[
    Indicator {
        id: "FD02",
        name: "Referrals",
        section: Section::FrontDoor,
        numerator: "Referrals (CIN episodes) with a referral date in the period; a child referred twice counts twice; NFA referrals included",
        denominator: "",
        unit: Unit::Count,
        decimal_places: 0,
        polarity: Polarity::None,
        measure: Measure::Flow,
        fields: &["CINdetails.CINreferralDate"],
        benchmark: ees(C1, &[], "referral_count", None, None),
        convention: "",
        history_years: 0,
        compute: Compute::Cin(cin::referrals),
    },
    Indicator {
        id: "FD02R",
        name: "Referrals per 10,000 children",
        section: Section::FrontDoor,
        numerator: "Referrals with a referral date in the period",
        denominator: "Children aged 0 to 17 (ONS mid-year estimate before the year end)",
        unit: Unit::RatePer10k,
        decimal_places: 1,
        polarity: Polarity::None,
        measure: Measure::Flow,
        fields: &["CINdetails.CINreferralDate"],
        benchmark: Some(Series::EesRate {
            table: C1,
            filters: &[],
            count: "referral_count",
        }),
        convention: "Rates for quarters and months are not annualised.",
        history_years: 0,
        compute: Compute::Cin(cin::referrals),
    },
    Indicator {
        id: "FD03",
        name: "Re-referrals within 12 months",
        section: Section::FrontDoor,
        numerator: "Referrals in the period where the child had an earlier referral within the 12 months before",
        denominator: "Referrals in the period",
        unit: Unit::Percent,
        decimal_places: 1,
        polarity: Polarity::Low,
        measure: Measure::Flow,
        fields: &["CINdetails.CINreferralDate", "ChildIdentifiers.LAchildID"],
        benchmark: ees(
            C1,
            &[],
            "rereferral_percent",
            Some("rereferral_count"),
            Some("referral_count"),
        ),
        convention: "Within 12 months = an earlier referral on or after the same date 12 calendar months before (29 February → 28 February), so exactly 12 months counts. Earlier referrals come from this return and the current snapshots of earlier years.",
        history_years: 1,
        compute: Compute::Cin(cin::rereferrals),
    },
    Indicator {
        id: "FD04",
        name: "Referrals resulting in no further action",
        section: Section::FrontDoor,
        numerator: "Referrals in the period with ReferralNFA true",
        denominator: "Referrals in the period",
        unit: Unit::Percent,
        decimal_places: 1,
        polarity: Polarity::None,
        measure: Measure::Flow,
        fields: &["CINdetails.CINreferralDate", "CINdetails.ReferralNFA"],
        benchmark: ees(
            C1,
            &[],
            "no_further_action_percent",
            Some("no_further_action_count"),
            Some("referral_count"),
        ),
        convention: "",
        history_years: 0,
        compute: Compute::Cin(cin::referrals_nfa),
    },
    Indicator {
        id: "FD05",
        name: "Referrals assessed as not in need",
        section: Section::FrontDoor,
        numerator: "Referrals in the period with an assessment and closed RC8 (no further action) or RC9 (early help)",
        denominator: "Referrals in the period",
        unit: Unit::Percent,
        decimal_places: 1,
        polarity: Polarity::None,
        measure: Measure::Flow,
        fields: &[
            "CINdetails.CINreferralDate",
            "CINdetails.ReasonForClosure",
            "Assessments.AssessmentActualStartDate",
        ],
        benchmark: ees(
            C1,
            &[],
            "not_in_need_percent",
            Some("not_in_need_count"),
            Some("referral_count"),
        ),
        convention: "",
        history_years: 0,
        compute: Compute::Cin(cin::referrals_not_in_need),
    },
    Indicator {
        id: "AS01",
        name: "Assessments completed",
        section: Section::Assessment,
        numerator: "Assessments with an authorisation date in the period",
        denominator: "",
        unit: Unit::Count,
        decimal_places: 0,
        polarity: Polarity::None,
        measure: Measure::Flow,
        fields: &["Assessments.AssessmentAuthorisationDate"],
        benchmark: None,
        convention: "",
        history_years: 0,
        compute: Compute::Cin(cin::assessments_completed),
    },
    Indicator {
        id: "AS02",
        name: "Assessments completed within 45 working days",
        section: Section::Assessment,
        numerator: "Assessments authorised in the period within 45 working days of their start",
        denominator: "Assessments authorised in the period with a start date on or before authorisation",
        unit: Unit::Percent,
        decimal_places: 1,
        polarity: Polarity::High,
        measure: Measure::Flow,
        fields: &[
            "Assessments.AssessmentActualStartDate",
            "Assessments.AssessmentAuthorisationDate",
        ],
        benchmark: Some(Series::Lait {
            measure: "Continue_Assess_Comp",
        }),
        convention: WORKING_DAYS,
        history_years: 0,
        compute: Compute::Cin(cin::assessments_within_45_days),
    },
    Indicator {
        id: "CP01",
        name: "Section 47 enquiries started",
        section: Section::ChildProtection,
        numerator: "Section 47 enquiries with a start date in the period",
        denominator: "",
        unit: Unit::Count,
        decimal_places: 0,
        polarity: Polarity::None,
        measure: Measure::Flow,
        fields: &["Section47.S47ActualStartDate"],
        benchmark: None,
        convention: "",
        history_years: 0,
        compute: Compute::Cin(cin::enquiries_started),
    },
    Indicator {
        id: "CP01R",
        name: "Section 47 enquiries per 10,000 children",
        section: Section::ChildProtection,
        numerator: "Section 47 enquiries with a start date in the period",
        denominator: "Children aged 0 to 17",
        unit: Unit::RatePer10k,
        decimal_places: 1,
        polarity: Polarity::None,
        measure: Measure::Flow,
        fields: &["Section47.S47ActualStartDate"],
        benchmark: Some(Series::Lait {
            measure: "Section_47",
        }),
        convention: "Rates for quarters and months are not annualised.",
        history_years: 0,
        compute: Compute::Cin(cin::enquiries_started),
    },
    Indicator {
        id: "CP03",
        name: "Initial child protection conferences",
        section: Section::ChildProtection,
        numerator: "ICPCs dated in the period: after a section 47 enquiry, or without one in the episode",
        denominator: "",
        unit: Unit::Count,
        decimal_places: 0,
        polarity: Polarity::None,
        measure: Measure::Flow,
        fields: &["Section47.DateOfInitialCPC", "CINdetails.DateOfInitialCPC"],
        benchmark: None,
        convention: "",
        history_years: 0,
        compute: Compute::Cin(cin::conferences),
    },
    Indicator {
        id: "CP03R",
        name: "Initial child protection conferences per 10,000 children",
        section: Section::ChildProtection,
        numerator: "ICPCs dated in the period",
        denominator: "Children aged 0 to 17",
        unit: Unit::RatePer10k,
        decimal_places: 1,
        polarity: Polarity::None,
        measure: Measure::Flow,
        fields: &["Section47.DateOfInitialCPC", "CINdetails.DateOfInitialCPC"],
        benchmark: Some(Series::Lait {
            measure: "ISCP_Conf",
        }),
        convention: "",
        history_years: 0,
        compute: Compute::Cin(cin::conferences),
    },
    Indicator {
        id: "CP04",
        name: "ICPCs within 15 working days of the section 47 start",
        section: Section::ChildProtection,
        numerator: "ICPCs in the period within 15 working days of their section 47 enquiry's start",
        denominator: "ICPCs in the period following a section 47 enquiry that started on or before them",
        unit: Unit::Percent,
        decimal_places: 1,
        polarity: Polarity::High,
        measure: Measure::Flow,
        fields: &["Section47.S47ActualStartDate", "Section47.DateOfInitialCPC"],
        benchmark: Some(Series::Lait {
            measure: "CP_conf_15days",
        }),
        convention: WORKING_DAYS,
        history_years: 0,
        compute: Compute::Cin(cin::conferences_within_15_days),
    },
    Indicator {
        id: "CP06",
        name: "Child protection plans starting",
        section: Section::ChildProtection,
        numerator: "Plans with a start date in the period (occasions)",
        denominator: "",
        unit: Unit::Count,
        decimal_places: 0,
        polarity: Polarity::None,
        measure: Measure::Flow,
        fields: &["ChildProtectionPlans.CPPstartDate"],
        benchmark: ees("cin_d3", &[], "CPP_start", None, None),
        convention: "",
        history_years: 0,
        compute: Compute::Cin(cin::plans_starting),
    },
    Indicator {
        id: "CP06R",
        name: "Child protection plans starting per 10,000 children",
        section: Section::ChildProtection,
        numerator: "Plans with a start date in the period",
        denominator: "Children aged 0 to 17",
        unit: Unit::RatePer10k,
        decimal_places: 1,
        polarity: Polarity::Low,
        measure: Measure::Flow,
        fields: &["ChildProtectionPlans.CPPstartDate"],
        benchmark: Some(Series::Lait {
            measure: "CPP_Abuse_Rate",
        }),
        convention: "",
        history_years: 0,
        compute: Compute::Cin(cin::plans_starting),
    },
    Indicator {
        id: "CP07",
        name: "Children on a child protection plan",
        section: Section::ChildProtection,
        numerator: "Plans started on or before the period end and not ended by it",
        denominator: "",
        unit: Unit::Count,
        decimal_places: 0,
        polarity: Polarity::None,
        measure: Measure::Snapshot,
        fields: PLAN_DATES,
        benchmark: ees("cin_d5", &[], "CPP_At31", None, None),
        convention: "",
        history_years: 0,
        compute: Compute::Cin(cin::plans_open),
    },
    Indicator {
        id: "CP07R",
        name: "Children on a child protection plan per 10,000 children",
        section: Section::ChildProtection,
        numerator: "Plans open at the period end",
        denominator: "Children aged 0 to 17",
        unit: Unit::RatePer10k,
        decimal_places: 1,
        polarity: Polarity::None,
        measure: Measure::Snapshot,
        fields: PLAN_DATES,
        benchmark: Some(Series::Lait {
            measure: "CPP_rate",
        }),
        convention: "",
        history_years: 0,
        compute: Compute::Cin(cin::plans_open),
    },
    Indicator {
        id: "CP08",
        name: "Children on a plan by initial category of abuse",
        section: Section::ChildProtection,
        numerator: "Plans open at the period end with the category as InitialCategoryOfAbuse",
        denominator: "Plans open at the period end",
        unit: Unit::Percent,
        decimal_places: 1,
        polarity: Polarity::None,
        measure: Measure::Snapshot,
        fields: &["ChildProtectionPlans.InitialCategoryOfAbuse"],
        benchmark: None,
        convention: "",
        history_years: 0,
        compute: Compute::Cin(cin::plans_open_by_category),
    },
    Indicator {
        id: "CP08S",
        name: "Plans starting by initial category of abuse",
        section: Section::ChildProtection,
        numerator: "Plans starting in the period with the category as InitialCategoryOfAbuse",
        denominator: "Plans starting in the period",
        unit: Unit::Percent,
        decimal_places: 1,
        polarity: Polarity::None,
        measure: Measure::Flow,
        fields: &["ChildProtectionPlans.InitialCategoryOfAbuse"],
        benchmark: None,
        convention: "",
        history_years: 0,
        compute: Compute::Cin(cin::plans_starting_by_category),
    },
    Indicator {
        id: "CP09",
        name: "Plans that are a second or subsequent plan",
        section: Section::ChildProtection,
        numerator: "Plans starting in the period for a child who had a plan before, at any time",
        denominator: "Plans starting in the period",
        unit: Unit::Percent,
        decimal_places: 1,
        polarity: Polarity::Low,
        measure: Measure::Flow,
        fields: &[
            "ChildProtectionPlans.CPPstartDate",
            "ChildProtectionPlans.NumberOfPreviousCPP",
        ],
        benchmark: ees(
            "cin_d3",
            &[],
            "CPP_subsequent_percent",
            Some("CPP_subsequent"),
            Some("CPP_start"),
        ),
        convention: "Earlier plan = NumberOfPreviousCPP above 0, or an earlier plan for the child in this return or the current snapshot of an earlier year.",
        history_years: 0,
        compute: Compute::Cin(cin::plans_second_or_subsequent),
    },
    Indicator {
        id: "CP10",
        name: "Plans open at the period end lasting 2 years or more",
        section: Section::ChildProtection,
        numerator: "Plans open at the period end that started 729 days or more before it",
        denominator: "Plans open at the period end",
        unit: Unit::Percent,
        decimal_places: 1,
        polarity: Polarity::Low,
        measure: Measure::Snapshot,
        fields: PLAN_DATES,
        benchmark: ees(
            "cin_d5",
            &[],
            "2_years_or_more_percent",
            Some("2_years_or_more"),
            Some("CPP_At31"),
        ),
        convention: "2 years = more than 729 calendar days including the last day (DfE/LAIT), i.e. end − start ≥ 729 days.",
        history_years: 0,
        compute: Compute::Cin(cin::plans_open_two_years),
    },
    Indicator {
        id: "CP11",
        name: "Plans ended in the period that lasted 2 years or more",
        section: Section::ChildProtection,
        numerator: "Plans ending in the period that lasted more than 729 days including the day of cessation",
        denominator: "Plans ending in the period",
        unit: Unit::Percent,
        decimal_places: 1,
        polarity: Polarity::Low,
        measure: Measure::Flow,
        fields: PLAN_DATES,
        benchmark: Some(Series::Lait {
            measure: "CPPlans2yrs",
        }),
        convention: "2 years = end − start ≥ 729 days.",
        history_years: 0,
        compute: Compute::Cin(cin::plans_ended_two_years),
    },
    Indicator {
        id: "CN01",
        name: "Children in need",
        section: Section::ChildrenInNeed,
        numerator: "CIN episodes open at the period end (referred on or before it, not closed by it), NFA referrals excluded",
        denominator: "",
        unit: Unit::Count,
        decimal_places: 0,
        polarity: Polarity::None,
        measure: Measure::Snapshot,
        fields: CIN_EPISODE_OPEN,
        benchmark: ees("cin_b1", &[], "At31_episodes", None, None),
        convention: "",
        history_years: 0,
        compute: Compute::Cin(cin::children_in_need),
    },
    Indicator {
        id: "CN01R",
        name: "Children in need per 10,000 children",
        section: Section::ChildrenInNeed,
        numerator: "CIN episodes open at the period end",
        denominator: "Children aged 0 to 17",
        unit: Unit::RatePer10k,
        decimal_places: 1,
        polarity: Polarity::None,
        measure: Measure::Snapshot,
        fields: CIN_EPISODE_OPEN,
        benchmark: Some(Series::EesRate {
            table: "cin_b1",
            filters: &[],
            count: "At31_episodes",
        }),
        convention: "",
        history_years: 0,
        compute: Compute::Cin(cin::children_in_need),
    },
    Indicator {
        id: "LA01",
        name: "Children looked after",
        section: Section::LookedAfter,
        numerator: "Children with an episode open at the period end",
        denominator: "",
        unit: Unit::Count,
        decimal_places: 0,
        polarity: Polarity::None,
        measure: Measure::Snapshot,
        fields: &["Episodes.DECOM", "Episodes.DEC", "Episodes.LS"],
        benchmark: ees("cla_rates", CLA_AT_31_MARCH, "children_count", None, None),
        convention: SHORT_BREAKS,
        history_years: 0,
        compute: Compute::Care(care::looked_after),
    },
    Indicator {
        id: "LA02",
        name: "Children looked after per 10,000 children",
        section: Section::LookedAfter,
        numerator: "Children looked after at the period end",
        denominator: "Children aged 0 to 17",
        unit: Unit::RatePer10k,
        decimal_places: 0,
        polarity: Polarity::None,
        measure: Measure::Snapshot,
        fields: &["Episodes.DECOM", "Episodes.DEC", "Episodes.LS"],
        benchmark: ees(
            "cla_rates",
            CLA_AT_31_MARCH,
            "rate_per_10000",
            Some("children_count"),
            Some("population_estimate"),
        ),
        convention: SHORT_BREAKS,
        history_years: 0,
        compute: Compute::Care(care::looked_after),
    },
    Indicator {
        id: "LA03",
        name: "Children starting to be looked after",
        section: Section::LookedAfter,
        numerator: "Children with an RNE S episode starting in the period (first occasion only)",
        denominator: "",
        unit: Unit::Count,
        decimal_places: 0,
        polarity: Polarity::None,
        measure: Measure::Flow,
        fields: &["Episodes.RNE", "Episodes.DECOM", "Episodes.LS"],
        benchmark: ees("cla_rates", CLA_STARTING, "children_count", None, None),
        convention: SHORT_BREAKS,
        history_years: 0,
        compute: Compute::Care(care::started),
    },
    Indicator {
        id: "LA03R",
        name: "Children starting to be looked after per 10,000 children",
        section: Section::LookedAfter,
        numerator: "Children starting to be looked after in the period",
        denominator: "Children aged 0 to 17",
        unit: Unit::RatePer10k,
        decimal_places: 0,
        polarity: Polarity::None,
        measure: Measure::Flow,
        fields: &["Episodes.RNE", "Episodes.DECOM", "Episodes.LS"],
        benchmark: ees(
            "cla_rates",
            CLA_STARTING,
            "rate_per_10000",
            Some("children_count"),
            Some("population_estimate"),
        ),
        convention: SHORT_BREAKS,
        history_years: 0,
        compute: Compute::Care(care::started),
    },
    Indicator {
        id: "LA04",
        name: "Children ceasing to be looked after",
        section: Section::LookedAfter,
        numerator: "Children with an episode ending in the period with a reason other than X1 (last occasion only)",
        denominator: "",
        unit: Unit::Count,
        decimal_places: 0,
        polarity: Polarity::None,
        measure: Measure::Flow,
        fields: &["Episodes.DEC", "Episodes.REC", "Episodes.LS"],
        benchmark: ees("cla_rates", CLA_CEASING, "children_count", None, None),
        convention: SHORT_BREAKS,
        history_years: 0,
        compute: Compute::Care(care::ceased),
    },
    Indicator {
        id: "LA04R",
        name: "Children ceasing to be looked after per 10,000 children",
        section: Section::LookedAfter,
        numerator: "Children ceasing to be looked after in the period",
        denominator: "Children aged 0 to 17",
        unit: Unit::RatePer10k,
        decimal_places: 0,
        polarity: Polarity::None,
        measure: Measure::Flow,
        fields: &["Episodes.DEC", "Episodes.REC", "Episodes.LS"],
        benchmark: ees(
            "cla_rates",
            CLA_CEASING,
            "rate_per_10000",
            Some("children_count"),
            Some("population_estimate"),
        ),
        convention: SHORT_BREAKS,
        history_years: 0,
        compute: Compute::Care(care::ceased),
    },
    Indicator {
        id: "LA05A",
        name: "Children looked after by age",
        section: Section::LookedAfter,
        numerator: "Children looked after at the period end in the age band (age at the period end)",
        denominator: "Children looked after at the period end",
        unit: Unit::Percent,
        decimal_places: 0,
        polarity: Polarity::None,
        measure: Measure::Snapshot,
        fields: &["Header.DOB", "Episodes.DECOM", "Episodes.DEC"],
        benchmark: None,
        convention: SHORT_BREAKS,
        history_years: 0,
        compute: Compute::Care(care::by_age),
    },
    Indicator {
        id: "LA05S",
        name: "Children looked after by sex",
        section: Section::LookedAfter,
        numerator: "Children looked after at the period end of the sex",
        denominator: "Children looked after at the period end",
        unit: Unit::Percent,
        decimal_places: 0,
        polarity: Polarity::None,
        measure: Measure::Snapshot,
        fields: &["Header.SEX", "Episodes.DECOM", "Episodes.DEC"],
        benchmark: None,
        convention: SHORT_BREAKS,
        history_years: 0,
        compute: Compute::Care(care::by_sex),
    },
    Indicator {
        id: "LA05E",
        name: "Children looked after by ethnicity",
        section: Section::LookedAfter,
        numerator: "Children looked after at the period end in the ethnic group (ETHNIC major group; refused and not obtained as not recorded)",
        denominator: "Children looked after at the period end",
        unit: Unit::Percent,
        decimal_places: 0,
        polarity: Polarity::None,
        measure: Measure::Snapshot,
        fields: &["Header.ETHNIC", "Episodes.DECOM", "Episodes.DEC"],
        benchmark: None,
        convention: SHORT_BREAKS,
        history_years: 0,
        compute: Compute::Care(care::by_ethnicity),
    },
    Indicator {
        id: "LA05L",
        name: "Children looked after by legal status",
        section: Section::LookedAfter,
        numerator: "Children looked after at the period end by the legal status of the open episode",
        denominator: "Children looked after at the period end",
        unit: Unit::Percent,
        decimal_places: 0,
        polarity: Polarity::None,
        measure: Measure::Snapshot,
        fields: &["Episodes.LS"],
        benchmark: None,
        convention: SHORT_BREAKS,
        history_years: 0,
        compute: Compute::Care(care::by_legal_status),
    },
    Indicator {
        id: "LA05P",
        name: "Children looked after by placement",
        section: Section::LookedAfter,
        numerator: "Children looked after at the period end by the placement type of the open episode",
        denominator: "Children looked after at the period end",
        unit: Unit::Percent,
        decimal_places: 0,
        polarity: Polarity::None,
        measure: Measure::Snapshot,
        fields: &["Episodes.PLACE"],
        benchmark: None,
        convention: SHORT_BREAKS,
        history_years: 0,
        compute: Compute::Care(care::by_placement),
    },
    Indicator {
        id: "LA06",
        name: "Unaccompanied asylum-seeking children looked after",
        section: Section::LookedAfter,
        numerator: "Children looked after at the period end recorded as UASC (a UASC row, unless the XML return's UASC flag is 0) whose status had not ceased (DUC blank or later)",
        denominator: "",
        unit: Unit::Count,
        decimal_places: 0,
        polarity: Polarity::None,
        measure: Measure::Snapshot,
        fields: &[
            "UASC.CHILD",
            "UASC.DUC",
            "Header.UASC",
            "Episodes.DECOM",
            "Episodes.DEC",
        ],
        benchmark: Some(Series::Lait {
            measure: "Unacc_Asylmn_Seek_Childn",
        }),
        convention: SHORT_BREAKS,
        history_years: 0,
        compute: Compute::Care(care::uasc),
    },
    Indicator {
        id: "ST01",
        name: "Children looked after with 3 or more placements",
        section: Section::PlacementStability,
        numerator: "Children looked after at the period end with 3 or more placements in the 12 months to it",
        denominator: "Children looked after at the period end",
        unit: Unit::Percent,
        decimal_places: 0,
        polarity: Polarity::Low,
        measure: Measure::Rolling12Months,
        fields: &[
            "Episodes.DECOM",
            "Episodes.DEC",
            "Episodes.RNE",
            "Episodes.PLACE",
            "Episodes.PL_POST",
            "Episodes.LS",
        ],
        benchmark: ees(
            "cla_stability",
            &[
                ("cla_group", "CLA on 31 March"),
                (
                    "placement_stability",
                    "With 3 or more placements during the year",
                ),
            ],
            "children_percent",
            Some("children_count"),
            None,
        ),
        convention: "Placements = the one open at the start of the 12 months plus each episode with new carers (RNE S, P, B). Not counted: T, U, L (same carers), placed for adoption with current foster carers (A3, A5), temporary placements (T0–T4) and the return from one to the placement held before it, and placements ending the day they began. For the year this is the DfE's \"during the year\".",
        history_years: 1,
        compute: Compute::Care(care::three_or_more_placements),
    },
    Indicator {
        id: "ST03",
        name: "Long-term placement stability",
        section: Section::PlacementStability,
        numerator: "Of the cohort, children living with the same carers for 2 years or more (placed for adoption: the adoptive placement and the one before it together)",
        denominator: "Children under 16 looked after at the period end, continuously for 2.5 years or more",
        unit: Unit::Percent,
        decimal_places: 0,
        polarity: Polarity::High,
        measure: Measure::Snapshot,
        fields: &[
            "Header.DOB",
            "Episodes.DECOM",
            "Episodes.DEC",
            "Episodes.RNE",
            "Episodes.REC",
            "Episodes.PLACE",
        ],
        benchmark: ees(
            "cla_stability",
            &[
                (
                    "cla_group",
                    "Children looked after continuously for at least 2.5 years on 31 March aged under 16 years",
                ),
                (
                    "placement_stability",
                    "Living with the same carer for at least 2 years",
                ),
            ],
            "children_percent",
            Some("children_count"),
            None,
        ),
        convention: "2.5 years = in care (one period of care) since 30 calendar months before the period end or earlier; 2 years = same carers since 24 calendar months before it or earlier. Periods of care before this year come from earlier snapshots.",
        history_years: 3,
        compute: Compute::Care(care::long_term_stability),
    },
    Indicator {
        id: "ST04",
        name: "Children looked after placed outside the LA and more than 20 miles from home",
        section: Section::PlacementStability,
        numerator: "Children looked after at the period end whose placement is outside the LA (PL_LOCATION OUT) and more than 20 miles from home (PL_DISTANCE)",
        denominator: "Children looked after at the period end",
        unit: Unit::Percent,
        decimal_places: 0,
        polarity: Polarity::Low,
        measure: Measure::Snapshot,
        fields: &[
            "Episodes.HOME_POST",
            "Episodes.PL_POST",
            "Episodes.PL_LOCATION",
            "Episodes.PL_DISTANCE",
        ],
        benchmark: Some(Series::Lait {
            measure: "LACDistance",
        }),
        convention: "PL_LOCATION and PL_DISTANCE are the DfE's derivations from the postcodes (ONS postcode directory, DfE distance formula) stored in the snapshot's episodes; children without a distance (UASC, postcodes not found) count in the denominator only. Without derived fields in the snapshot the figure is blank.",
        history_years: 0,
        compute: Compute::Care(care::placed_outside_over_20_miles),
    },
    Indicator {
        id: "PM01",
        name: "Children ceasing to be looked after who were adopted",
        section: Section::Permanence,
        numerator: "Children ceasing in the period whose last cessation was adoption (REC E11, E12)",
        denominator: "Children ceasing to be looked after in the period",
        unit: Unit::Percent,
        decimal_places: 0,
        polarity: Polarity::High,
        measure: Measure::Flow,
        fields: &["Episodes.DEC", "Episodes.REC"],
        benchmark: Some(Series::Lait {
            measure: "%_of LAC Adopted",
        }),
        convention: SHORT_BREAKS,
        history_years: 0,
        compute: Compute::Care(care::ceased_adopted),
    },
    Indicator {
        id: "PM02",
        name: "Children ceasing to be looked after on a special guardianship order",
        section: Section::Permanence,
        numerator: "Children ceasing in the period whose last cessation was an SGO (REC E43, E44 before 2024/25; E45–E48)",
        denominator: "Children ceasing to be looked after in the period",
        unit: Unit::Percent,
        decimal_places: 0,
        polarity: Polarity::None,
        measure: Measure::Flow,
        fields: &["Episodes.DEC", "Episodes.REC"],
        benchmark: Some(Series::Lait {
            measure: "LAC_ceased_SGO%",
        }),
        convention: SHORT_BREAKS,
        history_years: 0,
        compute: Compute::Care(care::ceased_special_guardianship),
    },
    Indicator {
        id: "PM04",
        name: "A1: days from entering care to moving in with the adoptive family",
        section: Section::Permanence,
        numerator: "Sum of days from the start of the period of care to the first placed-for-adoption episode (PLACE A3–A6), for children adopted in the 3 years to the period end",
        denominator: "Children adopted in the 3 years with a placed-for-adoption episode",
        unit: Unit::Days,
        decimal_places: 0,
        polarity: Polarity::Low,
        measure: Measure::ThreeYears,
        fields: ADOPTION_A1,
        benchmark: None,
        convention: "3 years = adoptions dated from the day after the same date 36 months before the period end. Earlier years' episodes come from their current snapshots; the note says when some are missing.",
        history_years: 3,
        compute: Compute::Care(care::adoption_a1),
    },
    Indicator {
        id: "PM05",
        name: "A2: days from court authority to place to a match with adopters",
        section: Section::Permanence,
        numerator: "Sum of days from the first placement order or freeing order episode (LS E1, D1) to AD1 DATE_MATCH (0 if matched first), for children adopted in the 3 years to the period end",
        denominator: "Children adopted in the 3 years with both dates",
        unit: Unit::Days,
        decimal_places: 0,
        polarity: Polarity::Low,
        measure: Measure::ThreeYears,
        fields: &[
            "Episodes.LS",
            "Episodes.DECOM",
            "Episodes.REC",
            "AD1.DATE_MATCH",
        ],
        benchmark: None,
        convention: "As A1.",
        history_years: 3,
        compute: Compute::Care(care::adoption_a2),
    },
    Indicator {
        id: "PM07",
        name: "A10: days from entering care to moving in with the adoptive family, adjusted for foster carer adoptions",
        section: Section::Permanence,
        numerator: "As A1, but the clock stops when the child moved in with the carers it was placed for adoption with (the start of that placement)",
        denominator: "Children adopted in the 3 years with a placed-for-adoption episode",
        unit: Unit::Days,
        decimal_places: 0,
        polarity: Polarity::Low,
        measure: Measure::ThreeYears,
        fields: ADOPTION_A1,
        benchmark: None,
        convention: "Same carers are followed back through RNE T, U and L episodes (and A3/A5, placed with current foster carers).",
        history_years: 3,
        compute: Compute::Care(care::adoption_a10),
    },
    Indicator {
        id: "CL01",
        name: "Care leavers aged 19 to 21 in suitable accommodation",
        section: Section::CareLeavers,
        numerator: "Care leavers aged 19 to 21 (on their birthday in the year) in accommodation recorded as suitable (ACCOM ending 1)",
        denominator: "Care leavers aged 19 to 21, less those who died, returned home for 6 months or more, are abroad, deported or whose residence is not known",
        unit: Unit::Percent,
        decimal_places: 0,
        polarity: Polarity::High,
        measure: Measure::YearCohort,
        fields: &["OC3.DOB", "OC3.IN_TOUCH", "OC3.ACCOM"],
        benchmark: ees(
            "care_leavers_accommodation",
            &[
                ("care_leaver_age", "19 to 21 years"),
                ("breakdown", "Accommodation considered suitable"),
            ],
            "care_leaver_percent",
            Some("care_leaver_count"),
            None,
        ),
        convention: "Year to date: care leavers whose birthday in the year has passed.",
        history_years: 0,
        compute: Compute::Care(care::care_leavers_suitable_accommodation),
    },
    Indicator {
        id: "CL02",
        name: "Care leavers aged 19 to 21 in education, employment or training",
        section: Section::CareLeavers,
        numerator: "Care leavers aged 19 to 21 in education, employment or training (ACTIV F1 P1 F2 P2 F4 P4 F5 P5)",
        denominator: "Care leavers aged 19 to 21, less those who died or returned home for 6 months or more (not known stays in)",
        unit: Unit::Percent,
        decimal_places: 0,
        polarity: Polarity::High,
        measure: Measure::YearCohort,
        fields: &["OC3.DOB", "OC3.IN_TOUCH", "OC3.ACTIV"],
        benchmark: ees(
            "care_leavers_activity",
            &[
                ("care_leaver_age", "19 to 21 years"),
                ("breakdown", "Total in education, employment or training"),
            ],
            "care_leaver_percent",
            Some("care_leaver_count"),
            None,
        ),
        convention: "Year to date: care leavers whose birthday in the year has passed.",
        history_years: 0,
        compute: Compute::Care(care::care_leavers_in_education_employment_training),
    },
    Indicator {
        id: "CL04",
        name: "Care leavers staying put with former foster carers",
        section: Section::CareLeavers,
        numerator: "Of the cohort, those living with their former foster carers (ACCOM Z1, Z2)",
        denominator: "Care leavers aged 18 to 20 who left care on their 18th birthday from a foster placement (U1–U6), not transferred to another LA, less those who died or returned home",
        unit: Unit::Percent,
        decimal_places: 0,
        polarity: Polarity::High,
        measure: Measure::YearCohort,
        fields: &[
            "OC3.DOB",
            "OC3.IN_TOUCH",
            "OC3.ACCOM",
            "Episodes.DEC",
            "Episodes.REC",
            "Episodes.PLACE",
        ],
        benchmark: Some(Series::Lait {
            measure: "StayingPut",
        }),
        convention: "Care ending on the 18th birthday is read from this and earlier years' episodes.",
        history_years: 3,
        compute: Compute::Care(care::staying_put),
    },
];

/// The indicator definitions as a Markdown table (`docs/figures.md` holds it; a test keeps the two
/// the same, and `csc-returns figures --definitions` prints it).
pub fn definitions_markdown() -> String {
    let cell = |text: &str| text.replace('|', "\\|");
    let mut out = String::from(
        "| id | indicator | numerator / denominator | unit | pol. | measure | return fields | benchmark | convention |\n\
         |---|---|---|---|---|---|---|---|---|\n",
    );
    for section in Section::ALL {
        out.push_str(&format!("| **{}** | | | | | | | | |\n", section.title()));
        for i in INDICATORS.iter().filter(|i| i.section == section) {
            let ratio = if i.denominator.is_empty() {
                cell(i.numerator)
            } else {
                format!("{} / {}", cell(i.numerator), cell(i.denominator))
            };
            out.push_str(&format!(
                "| {} | {} | {} | {} ({} dp) | {} | {} | {} | {} | {} |\n",
                i.id,
                cell(i.name),
                ratio,
                i.unit.as_str(),
                i.decimal_places,
                i.polarity.as_str(),
                i.measure.label(),
                i.fields.join(", "),
                i.benchmark
                    .map(|b| format!("`{}`", b.describe()))
                    .unwrap_or_else(|| "–".into()),
                cell(i.convention),
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::benchmarks::TableSpec;

    #[test]
    fn docs_figures_md_holds_the_current_definitions() {
        let docs = include_str!("../../docs/figures.md");
        let table = definitions_markdown();
        assert!(
            docs.contains(&table),
            "docs/figures.md is out of date: replace its definitions table with the output of \
             `cargo run -- figures --definitions`"
        );
    }

    #[test]
    fn ids_are_unique_and_metadata_complete() {
        let mut ids: Vec<&str> = INDICATORS.iter().map(|i| i.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), INDICATORS.len());
        for i in INDICATORS {
            assert!(
                !i.name.is_empty() && !i.numerator.is_empty() && !i.fields.is_empty(),
                "{}",
                i.id
            );
            let needs_denominator = matches!(i.unit, Unit::Percent | Unit::Days | Unit::RatePer10k);
            assert_eq!(needs_denominator, !i.denominator.is_empty(), "{}", i.id);
        }
    }

    #[test]
    fn every_benchmark_reads_columns_its_table_is_checked_for() {
        for i in INDICATORS {
            let Some(series) = i.benchmark else { continue };
            let table = TableSpec::find(series.table()).unwrap_or_else(|| panic!("{}", i.id));
            for column in series.columns() {
                assert!(
                    table.required_columns.contains(&column),
                    "{}: {column}",
                    i.id
                );
            }
        }
    }

    #[test]
    fn every_benchmark_series_has_2025_figures_for_england() {
        let benchmarks = crate::benchmarks::Benchmarks::shipped();
        for i in INDICATORS {
            let Some(series) = i.benchmark else { continue };
            let data = benchmarks.series(&series, i.decimal_places).unwrap();
            let england = data
                .get(2025, &crate::benchmarks::Area::England)
                .map(|p| p.value);
            assert!(
                england
                    .and_then(crate::benchmarks::Published::value)
                    .is_some(),
                "{}: {england:?}",
                i.id
            );
        }
    }
}
