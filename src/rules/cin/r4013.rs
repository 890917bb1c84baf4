//! # 4013: CIN plan end date outside the census year
//!
//! Checks that every CIN plan end date falls within the census period (1 April to the
//! ReferenceDate).
//!
//! ## Why
//! The census returns plans open at some time in the year; a plan that ended before 1 April
//! belongs to last year's census, and an end after 31 March is in the future.
//!
//! ## Example
//! In 2025/26 a plan ending 1 April 2025 or 31 March 2026 passes; ending 31 March 2025 or
//! 1 April 2026 is flagged.

use crate::rule;
use crate::rules::Flags;
use crate::rules::cin::common::{cin_plan_ends, flag_episode_dates, in_period};
use crate::rules::cin::{Cin, RuleCin};

rule! {
    /// A CIN plan ends outside the census period.
    pub const RULE: RuleCin = {
        code: "4013",
        message: "CIN Plan end date must fall within the census year",
        severity: Error,
        tables: ["CINplanDates", "Header"],
        fields: ["CINPlanEndDate"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [ReferenceDate],
        check: check,
    }
}

fn check(data: &Cin<'_>, flags: &mut Flags) {
    let Some(period) = data.period() else { return };
    flag_episode_dates(data, flags, cin_plan_ends, |end| {
        end.ok().is_some_and(|end| !in_period(end, period))
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::cin::fixture::{cell, census, flagged, line, one_episode};

    fn plans(ends: &[&str]) -> String {
        let plans: Vec<String> = ends
            .iter()
            .map(|e| format!("<CINPlanDates><CINPlanStartDate>2024-05-01</CINPlanStartDate><CINPlanEndDate>{e}</CINPlanEndDate></CINPlanDates>"))
            .collect();
        one_episode(
            "C1",
            "<CINreferralDate>2024-04-01</CINreferralDate>",
            &plans.join("\n"),
        )
    }

    #[test]
    fn ends_within_the_period_pass() {
        let xml = plans(&["2025-04-01", "2026-03-31"]);
        assert!(flagged(&RULE, &census(2026, &xml)).is_empty());
    }

    #[test]
    fn ends_outside_the_period_are_flagged() {
        let xml = plans(&["2025-03-31", "2026-04-01"]);
        assert_eq!(
            flagged(&RULE, &census(2026, &xml)),
            vec![
                cell("CINplanDates", line(&xml, "2025-03-31"), "CINPlanEndDate"),
                cell("CINplanDates", line(&xml, "2026-04-01"), "CINPlanEndDate"),
            ]
        );
    }
}
