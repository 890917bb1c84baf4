//! CIN census rules: one module per DfE rule version, listed in [`RULES`].

#[cfg(test)]
pub mod fixture;

mod common;
mod r100;
mod r1103;
mod r1104;
mod r1105;
mod r1510;
mod r1520;
mod r1530_2023;
mod r1530_2024;
mod r1540;
mod r1550;
mod r1560q;
mod r1570;
mod r1580;
mod r2883;
mod r2884;
mod r2885;
mod r2886q_2023;
mod r2886q_2025;
mod r2887q;
mod r2888q;
mod r2889;
mod r2990;
mod r2991q;
mod r4000;
mod r4001;
mod r4003;
mod r4004;
mod r4008;
mod r4009q;
mod r4010;
mod r4011;
mod r4012q;
mod r4013;
mod r4014;
mod r4015;
mod r4016;
mod r4017;
mod r4180_2023;
mod r4180_2025;
mod r4220;
mod r8500;
mod r8510;
mod r8520;
mod r8525q;
mod r8530q;
mod r8535q;
mod r8540;
mod r8545q;
mod r8555q;
mod r8565;
mod r8568;
mod r8569q;
mod r8585q;
mod r8590;
mod r8600;
mod r8606;
mod r8608;
mod r8610;

use chrono::{Days, Months, NaiveDate};

use crate::calendar::{CalendarError, WorkingCalendar};

use crate::ingest::dataset::Dataset;
use crate::issue::{Finding, IssueSink, Location, Severity};
use crate::records::cin::{Census, CinChild};
use crate::rules::engine::{self, Bound, Datasets, Outcome};
use crate::rules::{Flags, Need, RuleMeta};
use crate::year::CollectionYear;

/// A CIN census rule: its description and its check.
pub struct RuleCin {
    pub meta: RuleMeta,
    pub check: for<'a, 'b> fn(&'b Cin<'a>, &mut Flags),
}

impl RuleCin {
    pub const fn new(meta: RuleMeta, check: for<'a, 'b> fn(&'b Cin<'a>, &mut Flags)) -> Self {
        RuleCin { meta, check }
    }
}

/// Every CIN rule version, in the order of the DfE rule list.
pub const RULES: &[&RuleCin] = &[
    &r100::RULE,
    &r1103::RULE,
    &r1104::RULE,
    &r1105::RULE,
    &r1510::RULE,
    &r1520::RULE,
    &r1530_2023::RULE,
    &r1530_2024::RULE,
    &r1540::RULE,
    &r1550::RULE,
    &r1560q::RULE,
    &r1570::RULE,
    &r1580::RULE,
    &r2883::RULE,
    &r2884::RULE,
    &r2885::RULE,
    &r2886q_2023::RULE,
    &r2886q_2025::RULE,
    &r2887q::RULE,
    &r2888q::RULE,
    &r2889::RULE,
    &r2990::RULE,
    &r2991q::RULE,
    &r4000::RULE,
    &r4001::RULE,
    &r4003::RULE,
    &r4004::RULE,
    &r4008::RULE,
    &r4009q::RULE,
    &r4010::RULE,
    &r4011::RULE,
    &r4012q::RULE,
    &r4013::RULE,
    &r4014::RULE,
    &r4015::RULE,
    &r4016::RULE,
    &r4017::RULE,
    &r4180_2023::RULE,
    &r4180_2025::RULE,
    &r4220::RULE,
    &r8500::RULE,
    &r8510::RULE,
    &r8520::RULE,
    &r8525q::RULE,
    &r8530q::RULE,
    &r8535q::RULE,
    &r8540::RULE,
    &r8545q::RULE,
    &r8555q::RULE,
    &r8565::RULE,
    &r8568::RULE,
    &r8569q::RULE,
    &r8585q::RULE,
    &r8590::RULE,
    &r8600::RULE,
    &r8606::RULE,
    &r8608::RULE,
    &r8610::RULE,
];

/// The rules that apply to a collection year.
pub fn rules_for(year: CollectionYear) -> impl Iterator<Item = &'static RuleCin> {
    RULES
        .iter()
        .copied()
        .filter(move |r| r.meta.applies_to(year))
}

/// What the CIN rules read: the census grouped by child, and its census period.
pub struct Cin<'a> {
    pub year: CollectionYear,
    pub census: Census<'a>,
    /// The header's ReferenceDate, when it is a valid date.
    pub reference_date: Option<NaiveDate>,
    calendar: &'a WorkingCalendar,
}

/// How far before the census period the working-day rules may count (8569Q looks one working
/// day before 1 April; a fortnight covers any run of holidays).
const DAYS_BEFORE_THE_PERIOD: u64 = 14;

impl<'a> Cin<'a> {
    /// The census with the shipped England and Wales calendar.
    pub fn new(dataset: &'a Dataset) -> Self {
        Self::with_calendar(dataset, WorkingCalendar::england())
    }

    pub fn with_calendar(dataset: &'a Dataset, calendar: &'a WorkingCalendar) -> Self {
        let census = Census::new(dataset);
        let reference_date = census.header().and_then(|h| h.reference_date().ok());
        Cin {
            year: dataset.year,
            census,
            reference_date,
            calendar,
        }
    }

    /// The working-day calendar, when it covers every day the working-day rules count: from a
    /// fortnight before the census period to its end. Rules that need it declare `BankHolidays`
    /// and are skipped, with a warning that says how to extend the calendar, without it.
    pub fn working_days(&self) -> Result<&'a WorkingCalendar, CalendarError> {
        if let Some((start, end)) = self.period() {
            let earliest = start
                .checked_sub_days(Days::new(DAYS_BEFORE_THE_PERIOD))
                .unwrap_or(start);
            self.calendar.is_working_day(earliest)?;
            self.calendar.is_working_day(end)?;
        }
        Ok(self.calendar)
    }

    pub fn children(&self) -> impl Iterator<Item = CinChild<'_>> + '_ {
        self.census.children()
    }

    /// The census period, ReferenceDate − 1 year + 1 day … ReferenceDate, as every DfE date rule
    /// takes it (cin.md §1). Rules that need it declare `ReferenceDate` and are skipped without it.
    pub fn period(&self) -> Option<(NaiveDate, NaiveDate)> {
        let end = self.reference_date?;
        let start = end.checked_sub_months(Months::new(12))?.succ_opt()?;
        Some((start, end))
    }

    fn has(&self, need: Need) -> bool {
        match need {
            Need::ReferenceDate => self.reference_date.is_some(),
            Need::BankHolidays => self.working_days().is_ok(),
            Need::PreviousYear | Need::Postcodes | Need::LaCode | Need::ProviderLists => false,
        }
    }
}

/// Runs every rule of the year on `data` and records the findings in `sink`.
pub fn validate(data: &Cin<'_>, sink: &mut IssueSink) -> Outcome {
    let bound = rules_for(data.year)
        .map(|rule| Bound {
            meta: rule.meta,
            check: Box::new(move |flags: &mut Flags| (rule.check)(data, flags)),
        })
        .collect();
    let datasets = Datasets {
        this: data.census.dataset(),
        previous: None,
    };
    let outcome = engine::run(bound, |need| data.has(need), &datasets, sink);
    if let Err(error) = data.working_days() {
        for (code, needs) in &outcome.skipped {
            if needs.contains(&Need::BankHolidays) {
                sink.push(Finding {
                    rule_code: (*code).into(),
                    severity: Severity::Warning,
                    message: format!("Rule {code} was not run: {error}.").into(),
                    location: Location::default(),
                    flagged_value: None,
                });
            }
        }
    }
    outcome
}

#[cfg(test)]
mod tests {
    //! The registry against the DfE rule list (`data/rules/cin_rules.tsv`, copied unchanged from
    //! the domain reference `spec/rules/cin_rules.tsv`): every version of every code we implement
    //! is registered, with the DfE's message, severity and years, in the list's order.

    use super::*;
    use crate::issue::Severity;

    const TSV: &str = include_str!("../../../data/rules/cin_rules.tsv");

    /// The 55 codes csc-returns implements (issue 4: codes 100 to 8610 of the 2025/26 ruleset).
    const IMPLEMENTED: &[&str] = &[
        "100", "1103", "1104", "1105", "1510", "1520", "1530", "1540", "1550", "1560Q", "1570",
        "1580", "2883", "2884", "2885", "2886Q", "2887Q", "2888Q", "2889", "2990", "2991Q", "4000",
        "4001", "4003", "4004", "4008", "4009Q", "4010", "4011", "4012Q", "4013", "4014", "4015",
        "4016", "4017", "4180", "4220", "8500", "8510", "8520", "8525Q", "8530Q", "8535Q", "8540",
        "8545Q", "8555Q", "8565", "8568", "8569Q", "8585Q", "8590", "8600", "8606", "8608", "8610",
    ];

    struct Version<'t> {
        code: &'t str,
        years: Vec<u16>,
        severity: Severity,
        message: &'t str,
    }

    fn dfe_versions() -> Vec<Version<'static>> {
        let mut lines = TSV.lines();
        let header: Vec<&str> = lines.next().unwrap().split('\t').collect();
        let column = |name: &str| header.iter().position(|h| *h == name).unwrap();
        let (code, years, severity, message) = (
            column("code"),
            column("collection_years"),
            column("severity"),
            column("message"),
        );
        lines
            .map(|line| {
                let fields: Vec<&str> = line.split('\t').collect();
                Version {
                    code: fields[code],
                    years: fields[years]
                        .split(';')
                        .map(|y| y.parse().unwrap())
                        .collect(),
                    severity: Severity::parse(fields[severity]).unwrap(),
                    message: fields[message],
                }
            })
            .collect()
    }

    #[test]
    fn every_dfe_version_of_an_implemented_code_is_registered_as_the_dfe_lists_it() {
        for version in dfe_versions()
            .iter()
            .filter(|v| IMPLEMENTED.contains(&v.code))
        {
            let registered: Vec<_> = RULES
                .iter()
                .filter(|r| r.meta.code == version.code && r.meta.years == version.years)
                .collect();
            assert_eq!(
                registered.len(),
                1,
                "{} for {:?} is registered once",
                version.code,
                version.years
            );
            assert_eq!(
                registered[0].meta.message, version.message,
                "{}",
                version.code
            );
            assert_eq!(
                registered[0].meta.severity, version.severity,
                "{}",
                version.code
            );
        }
        for code in IMPLEMENTED {
            for year in 2023..=2027 {
                let applies = |years: &[u16]| years.contains(&year);
                let dfe = dfe_versions()
                    .iter()
                    .filter(|v| v.code == *code && applies(&v.years))
                    .count();
                let ours = RULES
                    .iter()
                    .filter(|r| r.meta.code == *code && applies(r.meta.years))
                    .count();
                assert_eq!(ours, dfe, "versions of {code} applying to {year}");
            }
        }
    }

    #[test]
    fn registered_rules_are_dfe_versions_in_the_dfe_lists_order() {
        let versions = dfe_versions();
        let positions: Vec<usize> = RULES
            .iter()
            .map(|rule| {
                versions
                    .iter()
                    .position(|v| v.code == rule.meta.code && v.years == rule.meta.years)
                    .unwrap_or_else(|| {
                        panic!(
                            "{} {:?} is not in the DfE list",
                            rule.meta.code, rule.meta.years
                        )
                    })
            })
            .collect();
        assert!(
            positions.windows(2).all(|w| w[0] < w[1]),
            "RULES follows data/rules/cin_rules.tsv"
        );
        assert!(RULES.iter().all(|r| IMPLEMENTED.contains(&r.meta.code)));
        assert_eq!(IMPLEMENTED.len(), 55);
    }

    #[test]
    fn the_shipped_calendar_covers_every_collection_year_with_a_schema() {
        for year in 2023..=2027 {
            let data = fixture::census(year, "");
            let cin = Cin::new(&data);
            assert!(cin.working_days().is_ok(), "{year}");
            assert!(cin.has(Need::BankHolidays), "{year}");
        }
    }

    #[test]
    fn without_the_years_in_the_calendar_working_day_rules_are_skipped_with_a_warning() {
        let calendar =
            WorkingCalendar::from_csv("date,name\n2020-01-01,New Year\n2021-01-01,New Year\n")
                .unwrap();
        let data = fixture::census(2026, "");
        let cin = Cin::with_calendar(&data, &calendar);
        let mut sink = IssueSink::new("test".into(), crate::schema::ReturnKind::Cin, cin.year);
        let outcome = validate(&cin, &mut sink);
        assert_eq!(outcome.skipped, vec![("8569Q", vec![Need::BankHolidays])]);
        let warning = sink
            .issues()
            .iter()
            .find(|i| i.rule_code.as_ref() == "8569Q")
            .expect("a warning for the skipped rule");
        assert_eq!(warning.severity, Severity::Warning);
        assert!(
            warning.message.starts_with("Rule 8569Q was not run: 2025-03-18 is outside the bank-holiday calendar, which covers 2020-01-01 to 2021-12-31")
                && warning.message.contains("data/calendar/england_bank_holidays.csv"),
            "{}",
            warning.message
        );
    }

    #[test]
    fn every_rule_says_what_it_checks_and_where() {
        for rule in RULES {
            assert!(!rule.meta.doc.trim().is_empty(), "{}", rule.meta.code);
            assert!(!rule.meta.fields.is_empty() && !rule.meta.tables.is_empty());
        }
    }
}
