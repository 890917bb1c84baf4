//! CIN census rules: one module per DfE rule version, listed in [`RULES`].

#[cfg(test)]
pub mod fixture;

mod r8500;

use chrono::{Months, NaiveDate};

use crate::ingest::dataset::Dataset;
use crate::issue::IssueSink;
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
pub const RULES: &[&RuleCin] = &[&r8500::RULE];

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
}

impl<'a> Cin<'a> {
    pub fn new(dataset: &'a Dataset) -> Self {
        let census = Census::new(dataset);
        let reference_date = census.header().and_then(|h| h.reference_date().ok());
        Cin {
            year: dataset.year,
            census,
            reference_date,
        }
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
            Need::PreviousYear
            | Need::Postcodes
            | Need::LaCode
            | Need::ProviderLists
            | Need::BankHolidays => false,
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
    engine::run(bound, |need| data.has(need), &datasets, sink)
}
