//! # 4004: more than one open CIN plan
//!
//! Checks that an episode has at most one open CIN plan (one without an end date); the open plans
//! of an episode with more are flagged together.
//!
//! ## Why
//! A child has one CIN plan at a time. Two open plans means an earlier plan was never closed, and
//! the child is counted twice among children on CIN plans.
//!
//! ## Example
//! A closed plan and an open one pass; two open plans are flagged on both missing end dates.

use crate::rule;
use crate::rules::Flags;
use crate::rules::cin::common::episodes;
use crate::rules::cin::{Cin, RuleCin};

rule! {
    /// An episode has more than one CIN plan without an end date.
    pub const RULE: RuleCin = {
        code: "4004",
        message: "This child is showing more than one open CIN Plan, i.e. with no End Date",
        severity: Error,
        tables: ["CINplanDates"],
        fields: ["CINPlanEndDate"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [],
        check: check,
    }
}

fn check(data: &Cin<'_>, flags: &mut Flags) {
    for episode in episodes(data) {
        let open: Vec<_> = episode
            .cin_plans()
            .into_iter()
            .filter(|p| p.end_date().is_blank())
            .map(|p| p.at("CINPlanEndDate"))
            .collect();
        if open.len() > 1 {
            flags.cells(open);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::cin::fixture::{
        census, child, episode, flagged, linked, nth_line, one_episode,
    };

    const OPEN: &str =
        "<CINPlanDates><CINPlanStartDate>2025-05-01</CINPlanStartDate></CINPlanDates>";
    const CLOSED: &str = "<CINPlanDates><CINPlanStartDate>2025-04-01</CINPlanStartDate><CINPlanEndDate>2025-04-30</CINPlanEndDate></CINPlanDates>";

    #[test]
    fn one_open_plan_per_episode_passes() {
        let xml = child(
            "C1",
            "",
            &[
                episode(
                    "<CINreferralDate>2025-04-01</CINreferralDate>",
                    &format!("{CLOSED}\n{OPEN}"),
                ),
                episode("<CINreferralDate>2025-06-01</CINreferralDate>", OPEN),
            ]
            .join("\n"),
        );
        assert!(flagged(&RULE, &census(2026, &xml)).is_empty());
    }

    #[test]
    fn two_open_plans_are_flagged_together() {
        let xml = one_episode(
            "C1",
            "<CINreferralDate>2025-04-01</CINreferralDate>",
            &format!("{CLOSED}\n{OPEN}\n{OPEN}"),
        );
        assert_eq!(
            flagged(&RULE, &census(2026, &xml)),
            vec![linked(&[
                (
                    "CINplanDates",
                    nth_line(&xml, "<CINPlanDates>", 1),
                    "CINPlanEndDate"
                ),
                (
                    "CINplanDates",
                    nth_line(&xml, "<CINPlanDates>", 2),
                    "CINPlanEndDate"
                ),
            ])]
        );
    }
}
