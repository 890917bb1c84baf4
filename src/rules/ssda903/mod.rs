//! SSDA903 rules: one module per DfE rule version, listed in [`RULES`].

pub mod context;
#[cfg(test)]
pub mod fixture;

mod r103;
mod r164;
mod r169;
mod r179;
mod r199;
mod r202;
mod r203;
mod r204;
mod r205a;
mod r205b;
mod r205d;
mod r207;
mod r208;
mod r209;
mod r210;
mod r213_2023;
mod r213_2026;
mod r214;
mod r215;
mod r217;
mod r218_2023;
mod r218_2025;
mod r218_2026;
mod r219;
mod r221_2023;
mod r221_2024;
mod r221_2025;
mod r222_2023;
mod r222_2024;
mod r222_2025;
mod r222_2026;
mod r224;
mod r225;
mod r226_2023;
mod r226_2026;
mod r227;
mod r228;
mod r229_2023;
mod r229_2026;
mod r231;
mod r232;
mod r233;
mod r234;
mod r241;
mod r242;
mod r243;

use chrono::NaiveDate;

use crate::ingest::dataset::Dataset;
use crate::issue::IssueSink;
use crate::records::Year;
use crate::records::ssda903::{Child, Grouped};
use crate::rules::engine::{self, Bound, Datasets, Outcome};
use crate::rules::{Flags, Need, RuleMeta};
use crate::year::CollectionYear;
use context::Context;

/// An SSDA903 rule: its description and its check.
pub struct Rule903 {
    pub meta: RuleMeta,
    pub check: for<'a, 'b> fn(&'b Ssda903<'a>, &mut Flags),
}

impl Rule903 {
    pub const fn new(meta: RuleMeta, check: for<'a, 'b> fn(&'b Ssda903<'a>, &mut Flags)) -> Self {
        Rule903 { meta, check }
    }
}

/// Every SSDA903 rule version, in code order.
pub const RULES: &[&Rule903] = &[
    &r103::RULE,
    &r164::RULE,
    &r169::RULE,
    &r179::RULE,
    &r199::RULE,
    &r202::RULE,
    &r203::RULE,
    &r204::RULE,
    &r205a::RULE,
    &r205b::RULE,
    &r205d::RULE,
    &r207::RULE,
    &r208::RULE,
    &r209::RULE,
    &r210::RULE,
    &r213_2023::RULE,
    &r213_2026::RULE,
    &r214::RULE,
    &r215::RULE,
    &r217::RULE,
    &r218_2023::RULE,
    &r218_2025::RULE,
    &r218_2026::RULE,
    &r219::RULE,
    &r221_2023::RULE,
    &r221_2024::RULE,
    &r221_2025::RULE,
    &r222_2023::RULE,
    &r222_2024::RULE,
    &r222_2025::RULE,
    &r222_2026::RULE,
    &r224::RULE,
    &r225::RULE,
    &r226_2023::RULE,
    &r226_2026::RULE,
    &r227::RULE,
    &r228::RULE,
    &r229_2023::RULE,
    &r229_2026::RULE,
    &r231::RULE,
    &r232::RULE,
    &r233::RULE,
    &r234::RULE,
    &r241::RULE,
    &r242::RULE,
    &r243::RULE,
];

/// The rules that apply to a collection year.
pub fn rules_for(year: CollectionYear) -> impl Iterator<Item = &'static Rule903> {
    RULES
        .iter()
        .copied()
        .filter(move |r| r.meta.applies_to(year))
}

static EMPTY_CONTEXT: Context = Context::empty();

/// What the SSDA903 rules read: this year's return grouped by child, last year's when available,
/// and the context of the run.
pub struct Ssda903<'a> {
    pub year: CollectionYear,
    pub this: Grouped<'a>,
    pub previous: Option<Grouped<'a>>,
    /// The responsible LA's ONS code.
    pub la_code: Option<&'a str>,
    /// Postcode-derived placement fields and Ofsted provider lists, when the run has them.
    pub context: &'a Context,
}

impl<'a> Ssda903<'a> {
    pub fn new(this: &'a Dataset, previous: Option<&'a Dataset>, la_code: Option<&'a str>) -> Self {
        Ssda903 {
            year: this.year,
            this: Grouped::new(this, Year::This),
            previous: previous.map(|p| Grouped::new(p, Year::Previous)),
            la_code,
            context: &EMPTY_CONTEXT,
        }
    }

    /// The same data with the run's context (derived placement fields, provider lists).
    pub fn with_context(self, context: &'a Context) -> Self {
        Ssda903 { context, ..self }
    }

    /// Every child in this year's return.
    pub fn children(&self) -> impl Iterator<Item = Child<'_>> + '_ {
        self.this.children()
    }

    /// The child with the same id in last year's return.
    pub fn previous_child(&self, id: &str) -> Option<Child<'_>> {
        self.previous.as_ref()?.child(id)
    }

    /// 1 April of the collection year.
    pub fn collection_start(&self) -> NaiveDate {
        self.year.start()
    }

    /// 31 March of the collection year.
    pub fn collection_end(&self) -> NaiveDate {
        self.year.end()
    }

    fn has(&self, need: Need) -> bool {
        match need {
            Need::PreviousYear => self.previous.is_some(),
            Need::LaCode => self.la_code.is_some(),
            Need::Postcodes => self.context.placements.is_some(),
            Need::ProviderLists => self.context.providers.is_some(),
            Need::ReferenceDate | Need::BankHolidays => false,
        }
    }
}

/// Runs every rule of the year on `data` and records the findings in `sink`.
pub fn validate(data: &Ssda903<'_>, sink: &mut IssueSink) -> Outcome {
    let bound = rules_for(data.year)
        .map(|rule| Bound {
            meta: rule.meta,
            check: Box::new(move |flags: &mut Flags| (rule.check)(data, flags)),
        })
        .collect();
    let datasets = Datasets {
        this: data.this.dataset(),
        previous: data.previous.as_ref().map(|p| p.dataset()),
    };
    engine::run(bound, |need| data.has(need), &datasets, sink)
}
