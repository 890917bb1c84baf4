//! # 4010: CIN plan start date missing or after the census
//!
//! Checks that every CIN plan has a start date and that it is not after the ReferenceDate.
//!
//! ## Why
//! A plan without a start cannot be counted or timed, and a plan starting after 31 March belongs
//! to next year's census. Plans may start before the census period (they are returned while
//! open). An unreadable date is reported by the format check instead.
//!
//! ## Example
//! A plan from 1 May 2025 passes in 2025/26; a plan without a start date or from 1 April 2026 is
//! flagged.

use crate::rule;
use crate::rules::Flags;
use crate::rules::cin::common::{cin_plan_starts, flag_missing_or_after_reference_date};
use crate::rules::cin::{Cin, RuleCin};

rule! {
    /// A CIN plan has no start date or starts after the ReferenceDate.
    pub const RULE: RuleCin = {
        code: "4010",
        message: "CIN Plan start date is missing or out of data collection period",
        severity: Error,
        tables: ["CINplanDates", "Header"],
        fields: ["CINPlanStartDate"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [ReferenceDate],
        check: check,
    }
}

fn check(data: &Cin<'_>, flags: &mut Flags) {
    flag_missing_or_after_reference_date(data, flags, cin_plan_starts);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::cin::fixture::{cell, census, flagged, line, one_episode};

    fn plans(plans: &[&str]) -> String {
        one_episode(
            "C1",
            "<CINreferralDate>2024-05-01</CINreferralDate>",
            &plans.join("\n"),
        )
    }

    #[test]
    fn plans_starting_by_the_reference_date_pass() {
        let xml = plans(&[
            "<CINPlanDates><CINPlanStartDate>2024-06-01</CINPlanStartDate></CINPlanDates>",
            "<CINPlanDates><CINPlanStartDate>2026-03-31</CINPlanStartDate></CINPlanDates>",
        ]);
        assert!(flagged(&RULE, &census(2026, &xml)).is_empty());
    }

    #[test]
    fn missing_and_late_starts_are_flagged() {
        let xml = plans(&[
            "<CINPlanDates><CINPlanEndDate>2025-06-01</CINPlanEndDate></CINPlanDates>",
            "<CINPlanDates><CINPlanStartDate>2026-04-01</CINPlanStartDate></CINPlanDates>",
        ]);
        assert_eq!(
            flagged(&RULE, &census(2026, &xml)),
            vec![
                cell("CINplanDates", line(&xml, "2025-06-01"), "CINPlanStartDate"),
                cell("CINplanDates", line(&xml, "2026-04-01"), "CINPlanStartDate"),
            ]
        );
    }
}
