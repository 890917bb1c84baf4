//! # 4009Q: CIN plan ending after the child's death
//!
//! Queries every CIN plan of a child that ends after the child's date of death.
//!
//! ## Why
//! A plan ends, at the latest, when the child dies; the LA is asked to check the end date or the
//! date of death (a plan closed administratively some days later is a common, explainable case).
//!
//! ## Example
//! A child who died on 1 September 2025 with a plan ending that day passes; a plan ending on
//! 5 September 2025 is queried with the date of death.

use crate::rule;
use crate::rules::Flags;
use crate::rules::cin::common::{cin_plan_ends, flag_after_death};
use crate::rules::cin::{Cin, RuleCin};

rule! {
    /// A CIN plan ends after the child's date of death.
    pub const RULE: RuleCin = {
        code: "4009Q",
        message: "CIN Plan cannot end after the child’s Date of Death",
        severity: Query,
        tables: ["ChildIdentifiers", "CINplanDates"],
        fields: ["PersonDeathDate", "CINPlanEndDate"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [],
        check: check,
    }
}

fn check(data: &Cin<'_>, flags: &mut Flags) {
    flag_after_death(data, flags, cin_plan_ends);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::cin::fixture::{census, child, episode, flagged, line, linked};

    fn died_with_plan_ending(end: &str) -> String {
        child(
            "C1",
            "<PersonDeathDate>2025-09-01</PersonDeathDate>",
            &episode(
                "<CINreferralDate>2025-05-01</CINreferralDate>",
                &format!(
                    "<CINPlanDates><CINPlanStartDate>2025-06-01</CINPlanStartDate>{end}</CINPlanDates>"
                ),
            ),
        )
    }

    #[test]
    fn plans_ending_by_the_day_of_death_or_open_pass() {
        for end in ["<CINPlanEndDate>2025-09-01</CINPlanEndDate>", ""] {
            let xml = died_with_plan_ending(end);
            assert!(flagged(&RULE, &census(2026, &xml)).is_empty());
        }
    }

    #[test]
    fn a_plan_ending_after_death_is_queried() {
        let xml = died_with_plan_ending("<CINPlanEndDate>2025-09-05</CINPlanEndDate>");
        assert_eq!(
            flagged(&RULE, &census(2026, &xml)),
            vec![linked(&[
                (
                    "CINplanDates",
                    line(&xml, "<CINPlanDates>"),
                    "CINPlanEndDate"
                ),
                (
                    "ChildIdentifiers",
                    line(&xml, "<ChildIdentifiers>"),
                    "PersonDeathDate"
                ),
            ])]
        );
    }
}
