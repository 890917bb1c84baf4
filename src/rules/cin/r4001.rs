//! # 4001: CIN plan open at the same time as a child protection plan
//!
//! Checks that no episode has both an open CIN plan (started, no end date) and an open child
//! protection plan (no end date).
//!
//! ## Why
//! A child on a child protection plan is not also on a CIN plan: the CIN plan ends when the
//! protection plan starts, and may start again when it ends. Both open means an end date is
//! missing, which inflates the number of children on CIN plans at 31 March. The finding links
//! the missing end dates.
//!
//! ## Example
//! An open protection plan and a CIN plan that ended when it started pass; both open is flagged
//! on both end dates.

use crate::rule;
use crate::rules::Flags;
use crate::rules::cin::common::episodes;
use crate::rules::cin::{Cin, RuleCin};

rule! {
    /// An episode has an open CIN plan and an open child protection plan.
    pub const RULE: RuleCin = {
        code: "4001",
        message: "A CIN Plan cannot run concurrently with a Child Protection Plan",
        severity: Error,
        tables: ["CINplanDates", "ChildProtectionPlans"],
        fields: ["CINPlanEndDate", "CPPendDate"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [],
        check: check,
    }
}

fn check(data: &Cin<'_>, flags: &mut Flags) {
    for episode in episodes(data) {
        let open_plans: Vec<_> = episode
            .protection_plans()
            .iter()
            .map(|p| p.plan())
            .filter(|p| p.end_date().is_blank())
            .map(|p| p.at("CPPendDate"))
            .collect();
        let open_cin_plans: Vec<_> = episode
            .cin_plans()
            .into_iter()
            .filter(|p| p.start_date().is_present() && p.end_date().is_blank())
            .map(|p| p.at("CINPlanEndDate"))
            .collect();
        if !open_plans.is_empty() && !open_cin_plans.is_empty() {
            flags.cells(open_cin_plans.into_iter().chain(open_plans));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::cin::fixture::{census, flagged, line, linked, one_episode};

    const OPEN_CPP: &str =
        "<ChildProtectionPlans><CPPstartDate>2025-06-01</CPPstartDate></ChildProtectionPlans>";

    #[test]
    fn a_cin_plan_ended_before_an_open_protection_plan_passes() {
        let xml = one_episode(
            "C1",
            "<CINreferralDate>2025-05-01</CINreferralDate>",
            &format!(
                "<CINPlanDates><CINPlanStartDate>2025-05-10</CINPlanStartDate><CINPlanEndDate>2025-06-01</CINPlanEndDate></CINPlanDates>\n{OPEN_CPP}"
            ),
        );
        assert!(flagged(&RULE, &census(2026, &xml)).is_empty());
    }

    #[test]
    fn both_plans_open_are_flagged_on_both_end_dates() {
        let xml = one_episode(
            "C1",
            "<CINreferralDate>2025-05-01</CINreferralDate>",
            &format!(
                "<CINPlanDates><CINPlanStartDate>2025-05-10</CINPlanStartDate></CINPlanDates>\n{OPEN_CPP}"
            ),
        );
        assert_eq!(
            flagged(&RULE, &census(2026, &xml)),
            vec![linked(&[
                (
                    "CINplanDates",
                    line(&xml, "<CINPlanDates>"),
                    "CINPlanEndDate"
                ),
                (
                    "ChildProtectionPlans",
                    line(&xml, "<ChildProtectionPlans>"),
                    "CPPendDate"
                ),
            ])]
        );
    }
}
