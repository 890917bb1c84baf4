//! # 4011: CIN plan ending before it starts
//!
//! Checks that no CIN plan's end date is earlier than its start date.
//!
//! ## Why
//! A plan that ends before it starts has a mistyped date, and its duration (used in the CIN plan
//! figures) is negative.
//!
//! ## Example
//! A plan from 1 May to 1 June 2025 passes; from 1 June to 1 May 2025 is flagged on both dates.

use crate::rule;
use crate::rules::Flags;
use crate::rules::cin::common::{cin_plan_dates, episodes};
use crate::rules::cin::{Cin, RuleCin};

rule! {
    /// A CIN plan ends before it starts.
    pub const RULE: RuleCin = {
        code: "4011",
        message: "CIN Plan End Date earlier than Start Date",
        severity: Error,
        tables: ["CINplanDates"],
        fields: ["CINPlanEndDate", "CINPlanStartDate"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [],
        check: check,
    }
}

fn check(data: &Cin<'_>, flags: &mut Flags) {
    for plan in episodes(data).flat_map(|episode| cin_plan_dates(&episode)) {
        if plan.ends_before_start() {
            flags.cells([plan.end.0, plan.start.0]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::cin::fixture::{census, flagged, line, one_episode, row_cells};

    fn plan(start: &str, end: &str) -> String {
        one_episode(
            "C1",
            "<CINreferralDate>2025-04-01</CINreferralDate>",
            &format!(
                "<CINPlanDates><CINPlanStartDate>{start}</CINPlanStartDate><CINPlanEndDate>{end}</CINPlanEndDate></CINPlanDates>"
            ),
        )
    }

    #[test]
    fn plans_ending_on_or_after_their_start_pass() {
        for (start, end) in [("2025-05-01", "2025-06-01"), ("2025-05-01", "2025-05-01")] {
            assert!(flagged(&RULE, &census(2026, &plan(start, end))).is_empty());
        }
    }

    #[test]
    fn a_plan_ending_before_its_start_is_flagged_on_both_dates() {
        let xml = plan("2025-06-01", "2025-05-01");
        assert_eq!(
            flagged(&RULE, &census(2026, &xml)),
            vec![row_cells(
                "CINplanDates",
                line(&xml, "<CINPlanDates>"),
                &["CINPlanEndDate", "CINPlanStartDate"]
            )]
        );
    }
}
