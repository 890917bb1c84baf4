//! # 205B: UASC in both years with dates that do not agree
//!
//! Flags a child who is UASC (has a UASC row; in XML, a UASC flag of 1) both this year and last
//! year when the dates UASC
//! ceased (DUC) do not support it: last year's DUC must be the child's 18th birthday (when UASC
//! status ends at the latest), and this year's DUC must either fall in this year's collection
//! period or repeat last year's.
//!
//! ## Why
//! A child who stays UASC keeps the same expected end date (their 18th birthday); a DUC that
//! moves, is missing, or ended before this year contradicts the child still being UASC. Blank
//! dates fail the check; dates that are not valid are left to the date rules.
//!
//! ## Example
//! Born 01/02/2008, DUC 01/02/2026 in both years passes; last year's DUC blank, or this year's
//! DUC 01/03/2025, is flagged on both years' DUC.

use chrono::Months;

use crate::rule;
use crate::rules::Flags;
use crate::rules::ssda903::common::children_with_last;
use crate::rules::ssda903::context::is_uasc;
use crate::rules::ssda903::{Rule903, Ssda903};

rule! {
    /// UASC both years, but the DUCs do not agree with that.
    pub const RULE: Rule903 = {
        code: "205B",
        message: "Child previously identified as UASC is also UASC this year, but date UASC ceased in both years does not support this.",
        severity: Error,
        tables: ["UASC", "UASC_last", "Header", "Header_last"],
        fields: ["DUC", "UASC"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [PreviousYear],
        check: check,
    }
}

fn check(data: &Ssda903<'_>, flags: &mut Flags) {
    for (child, last) in children_with_last(data) {
        if !is_uasc(Some(&child)) || !is_uasc(Some(&last)) {
            continue;
        }
        let (now_rows, last_rows) = (child.uasc(), last.uasc());
        let (Some(now), Some(before)) = (now_rows.first(), last_rows.first()) else {
            continue;
        };
        let (duc, duc_last) = (now.duc(), before.duc());
        let dob_last = before
            .dob()
            .ok()
            .or_else(|| last.header().and_then(|h| h.dob().ok()));
        if duc.is_invalid() || duc_last.is_invalid() || dob_last.is_none() {
            continue;
        }
        let eighteenth = dob_last.and_then(|dob| dob.checked_add_months(Months::new(216)));
        let last_is_eighteenth = duc_last.ok().is_some_and(|d| Some(d) == eighteenth);
        let now_in_year = duc.ok().is_some_and(|d| data.year.contains(d));
        let now_repeats_last = duc.ok().is_some_and(|d| duc_last.is(d));
        if !last_is_eighteenth || !(now_in_year || now_repeats_last) {
            flags.cells([now.at("DUC"), before.at("DUC")]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::Year;
    use crate::rules::ssda903::fixture::{UASC, dataset, flagged, xml_children, xml_dataset};
    use crate::source::Role;

    fn run(last_duc: &str, duc: &str) -> Vec<Vec<(Year, String, u32, String)>> {
        let last = dataset(
            2025,
            Role::PreviousYear,
            &[&format!("{UASC}1,M,01/02/2008,{last_duc}\n")],
        );
        let this = dataset(
            2026,
            Role::ThisYear,
            &[&format!("{UASC}1,M,01/02/2008,{duc}\n")],
        );
        flagged(&RULE, &this, Some(&last), None)
    }

    #[test]
    fn an_eighteenth_birthday_kept_or_reached_this_year_passes() {
        assert!(run("01/02/2026", "01/02/2026").is_empty());
        assert!(run("01/02/2026", "01/12/2025").is_empty());
    }

    #[test]
    fn in_xml_only_children_flagged_uasc_in_both_years_are_judged() {
        let years = ["<UASC>0</UASC>", "<UASC>1</UASC>"];
        let last = xml_dataset(2025, Role::PreviousYear, &xml_children(&years));
        let this = xml_dataset(2026, Role::ThisYear, &xml_children(&years));
        assert_eq!(
            flagged(&RULE, &this, Some(&last), None),
            vec![vec![
                (Year::This, "UASC".to_string(), 3, "DUC".to_string()),
                (Year::Previous, "UASC".to_string(), 3, "DUC".to_string()),
            ]],
            "both have UASC rows without DUC; only the second is UASC"
        );
    }

    #[test]
    fn disagreeing_or_missing_dates_are_flagged() {
        let expected = vec![vec![
            (Year::This, "UASC".to_string(), 2, "DUC".to_string()),
            (Year::Previous, "UASC".to_string(), 2, "DUC".to_string()),
        ]];
        assert_eq!(run("", "01/02/2026"), expected);
        assert_eq!(run("01/01/2026", "01/01/2026"), expected);
        assert_eq!(run("01/02/2026", "01/03/2025"), expected);
        assert_eq!(run("01/02/2026", ""), expected);
    }
}
