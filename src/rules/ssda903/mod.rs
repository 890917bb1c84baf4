//! SSDA903 rules: one module per DfE rule version, listed in [`RULES`].

pub mod context;
#[cfg(test)]
pub mod fixture;

pub mod common;
mod r101_2023;
mod r101_2025;
mod r102;
mod r103;
mod r104;
mod r105;
mod r112;
mod r113;
mod r114;
mod r115;
mod r116;
mod r117;
mod r118;
mod r119;
mod r120;
mod r131;
mod r132;
mod r133;
mod r134;
mod r141;
mod r142;
mod r143;
mod r144;
mod r145;
mod r146_2023;
mod r146_2025;
mod r146_2026;
mod r147;
mod r148;
mod r149;
mod r151;
mod r153;
mod r157;
mod r158;
mod r159;
mod r164;
mod r165;
mod r166;
mod r167;
mod r168;
mod r169;
mod r171;
mod r174_2023;
mod r174_2025;
mod r175;
mod r176;
mod r177;
mod r178_2023;
mod r178_2026;
mod r179;
mod r180;
mod r181;
mod r182;
mod r184;
mod r185;
mod r186;
mod r187;
mod r188;
mod r189;
mod r190;
mod r191;
mod r192;
mod r193;
mod r196;
mod r197a;
mod r197b;
mod r198;
mod r199;
mod r202;
mod r203;
mod r204;
mod r205a;
mod r205b;
mod r205c;
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
mod r217t;
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
mod r230;
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
    &r101_2023::RULE,
    &r101_2025::RULE,
    &r102::RULE,
    &r103::RULE,
    &r104::RULE,
    &r105::RULE,
    &r112::RULE,
    &r113::RULE,
    &r114::RULE,
    &r115::RULE,
    &r116::RULE,
    &r117::RULE,
    &r118::RULE,
    &r119::RULE,
    &r120::RULE,
    &r131::RULE,
    &r132::RULE,
    &r133::RULE,
    &r134::RULE,
    &r141::RULE,
    &r142::RULE,
    &r143::RULE,
    &r144::RULE,
    &r145::RULE,
    &r146_2023::RULE,
    &r146_2025::RULE,
    &r146_2026::RULE,
    &r147::RULE,
    &r148::RULE,
    &r149::RULE,
    &r151::RULE,
    &r153::RULE,
    &r157::RULE,
    &r158::RULE,
    &r159::RULE,
    &r164::RULE,
    &r165::RULE,
    &r166::RULE,
    &r167::RULE,
    &r168::RULE,
    &r169::RULE,
    &r171::RULE,
    &r174_2023::RULE,
    &r174_2025::RULE,
    &r175::RULE,
    &r176::RULE,
    &r177::RULE,
    &r178_2023::RULE,
    &r178_2026::RULE,
    &r179::RULE,
    &r180::RULE,
    &r181::RULE,
    &r182::RULE,
    &r184::RULE,
    &r185::RULE,
    &r186::RULE,
    &r187::RULE,
    &r188::RULE,
    &r189::RULE,
    &r190::RULE,
    &r191::RULE,
    &r192::RULE,
    &r193::RULE,
    &r196::RULE,
    &r197a::RULE,
    &r197b::RULE,
    &r198::RULE,
    &r199::RULE,
    &r202::RULE,
    &r203::RULE,
    &r204::RULE,
    &r205a::RULE,
    &r205b::RULE,
    &r205c::RULE,
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
    &r217t::RULE,
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
    &r230::RULE,
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

#[cfg(test)]
mod registry_tests {
    use std::collections::{BTreeMap, BTreeSet};

    use super::RULES;

    /// The DfE rule list (`data/rules/ssda903_rules.tsv`): (code, years, message) per rule version.
    fn dfe_versions() -> Vec<(String, Vec<u16>, String)> {
        include_str!("../../../data/rules/ssda903_rules.tsv")
            .lines()
            .skip(1)
            .map(|line| {
                let fields: Vec<&str> = line.split('\t').collect();
                let years = fields[1].split(';').map(|y| y.parse().unwrap()).collect();
                (fields[0].to_string(), years, fields[6].to_string())
            })
            .collect()
    }

    /// Codes 101–299 whose every DfE version must be in [`RULES`]. Extend as rules land.
    const IMPLEMENTED: &[&str] = &[
        "101", "102", "103", "104", "105", "112", "113", "114", "115", "116", "117", "118", "119",
        "120", "131", "132", "133", "134", "141", "142", "143", "144", "145", "146", "147", "148",
        "149", "151", "153", "157", "158", "159", "164", "165", "166", "167", "168", "169", "171",
        "174", "175", "176", "177", "178", "179", "180", "181", "182", "184", "185", "186", "187",
        "188", "189", "190", "191", "192", "193", "196", "197B", "197a", "198", "199", "202",
        "203", "204", "205A", "205B", "205C", "205D", "207", "208", "209", "210", "213", "214",
        "215", "217", "217t", "218", "219", "221", "222", "224", "225", "226", "227", "228", "229",
        "230", "231", "232", "233", "234", "241", "242", "243",
    ];

    /// DfE codes of 101-299 that are not rules csc-returns runs. None today: 105 and 205C, which
    /// need the XML return's per-child UASC flag, read it from the Header's optional UASC column
    /// (filled from `<UASC>` by the XML reader, absent from CSV exports, where they find nothing).
    const NOT_APPLICABLE: &[&str] = &[];

    fn in_scope(code: &str) -> bool {
        let digits: String = code.chars().take_while(char::is_ascii_digit).collect();
        digits.len() == 3 && ("101".."300").contains(&digits.as_str())
    }

    #[test]
    fn no_two_versions_of_a_rule_share_a_year() {
        let mut seen = BTreeSet::new();
        for rule in RULES {
            for year in rule.meta.years {
                assert!(
                    seen.insert((rule.meta.code, *year)),
                    "rule {} has two versions for {year}",
                    rule.meta.code
                );
            }
        }
    }

    #[test]
    fn rules_are_listed_in_code_order() {
        let codes: Vec<&str> = RULES.iter().map(|r| r.meta.code).collect();
        let mut sorted = codes.clone();
        sorted.sort_by_key(|code| {
            let digits: String = code.chars().take_while(char::is_ascii_digit).collect();
            (
                digits.parse::<u32>().unwrap_or(u32::MAX),
                code.to_ascii_lowercase(),
            )
        });
        assert_eq!(codes, sorted);
    }

    #[test]
    fn every_version_matches_the_dfe_list() {
        let dfe = dfe_versions();
        let mut by_code: BTreeMap<&str, Vec<(&[u16], &str)>> = BTreeMap::new();
        for rule in RULES {
            by_code
                .entry(rule.meta.code)
                .or_default()
                .push((rule.meta.years, rule.meta.message));
        }
        for (code, versions) in &by_code {
            for (years, message) in versions {
                let matching = dfe.iter().find(|(c, y, _)| c == code && y == years);
                let Some((_, _, dfe_message)) = matching else {
                    panic!("rule {code} for years {years:?} is not a DfE rule version");
                };
                assert_eq!(message, dfe_message, "message of rule {code} {years:?}");
            }
        }
        for (code, years, _) in dfe
            .iter()
            .filter(|(c, ..)| IMPLEMENTED.contains(&c.as_str()))
        {
            assert!(
                by_code
                    .get(code.as_str())
                    .is_some_and(|v| v.iter().any(|(y, _)| y == years)),
                "DfE rule {code} for years {years:?} is not in the registry"
            );
        }
    }

    #[test]
    fn every_dfe_code_from_101_to_299_is_implemented_or_not_applicable() {
        let listed: BTreeSet<&str> = IMPLEMENTED.iter().chain(NOT_APPLICABLE).copied().collect();
        let dfe_codes: BTreeSet<String> = dfe_versions()
            .into_iter()
            .filter(|(code, years, _)| {
                in_scope(code) && years.iter().any(|y| (2023..=2027).contains(y))
            })
            .map(|(code, ..)| code)
            .collect();
        let missing: Vec<&String> = dfe_codes
            .iter()
            .filter(|c| !listed.contains(c.as_str()))
            .collect();
        assert!(
            missing.is_empty(),
            "DfE codes not accounted for: {missing:?}"
        );
        for code in &listed {
            assert!(
                dfe_codes.contains(*code),
                "{code} is not a DfE code of 101-299"
            );
        }
        for rule in RULES.iter().filter(|r| in_scope(r.meta.code)) {
            assert!(
                IMPLEMENTED.contains(&rule.meta.code),
                "rule {} is registered but not in IMPLEMENTED",
                rule.meta.code
            );
        }
    }
}
