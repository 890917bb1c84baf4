//! # 4012Q: CIN plan starting and ending on the same day
//!
//! Queries every CIN plan whose end date is its start date.
//!
//! ## Why
//! A one-day CIN plan is unusual: it is often a placeholder or a plan recorded in error. The LA is
//! asked to check or explain it.
//!
//! ## Example
//! A plan from 1 May to 1 June 2025 passes; from 1 May to 1 May 2025 is queried on both dates.

use crate::rule;
use crate::rules::Flags;
use crate::rules::cin::common::episodes;
use crate::rules::cin::{Cin, RuleCin};

rule! {
    /// A CIN plan starts and ends on the same day.
    pub const RULE: RuleCin = {
        code: "4012Q",
        message: "Please check and either amend or provide a reason: CIN Plan shown as starting and ending on the same day",
        severity: Query,
        tables: ["CINplanDates"],
        fields: ["CINPlanStartDate", "CINPlanEndDate"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [],
        check: check,
    }
}

fn check(data: &Cin<'_>, flags: &mut Flags) {
    for episode in episodes(data) {
        for plan in episode.cin_plans() {
            if let Some(start) = plan.start_date().ok()
                && plan.end_date().is(start)
            {
                flags.cells([plan.at("CINPlanStartDate"), plan.at("CINPlanEndDate")]);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::cin::fixture::{census, flagged, line, one_episode, row_cells};

    fn plan(end: &str) -> String {
        one_episode(
            "C1",
            "<CINreferralDate>2025-04-01</CINreferralDate>",
            &format!(
                "<CINPlanDates><CINPlanStartDate>2025-05-01</CINPlanStartDate>{end}</CINPlanDates>"
            ),
        )
    }

    #[test]
    fn longer_and_open_plans_pass() {
        for end in ["<CINPlanEndDate>2025-06-01</CINPlanEndDate>", ""] {
            assert!(flagged(&RULE, &census(2026, &plan(end))).is_empty());
        }
    }

    #[test]
    fn a_one_day_plan_is_queried() {
        let xml = plan("<CINPlanEndDate>2025-05-01</CINPlanEndDate>");
        assert_eq!(
            flagged(&RULE, &census(2026, &xml)),
            vec![row_cells(
                "CINplanDates",
                line(&xml, "<CINPlanDates>"),
                &["CINPlanStartDate", "CINPlanEndDate"]
            )]
        );
    }
}
