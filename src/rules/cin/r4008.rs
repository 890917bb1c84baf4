//! # 4008: CIN plan starting after the child's death
//!
//! Checks that no CIN plan of a child starts after the child's date of death.
//!
//! ## Why
//! A plan cannot start for a child who has died: either the date of death or the plan's start
//! date is wrong (or the plan belongs to another child).
//!
//! ## Example
//! A child who died on 1 September 2025 with a plan from 1 June 2025 passes; a plan from
//! 2 September 2025 is flagged with the date of death.

use crate::rule;
use crate::rules::Flags;
use crate::rules::cin::common::{cin_plan_starts, flag_after_death};
use crate::rules::cin::{Cin, RuleCin};

rule! {
    /// A CIN plan starts after the child's date of death.
    pub const RULE: RuleCin = {
        code: "4008",
        message: "CIN Plan shown as starting after the child’s Date of Death.",
        severity: Error,
        tables: ["ChildIdentifiers", "CINplanDates"],
        fields: ["PersonDeathDate", "CINPlanStartDate"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [],
        check: check,
    }
}

fn check(data: &Cin<'_>, flags: &mut Flags) {
    flag_after_death(data, flags, cin_plan_starts);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::cin::fixture::{census, child, episode, flagged, line, linked};

    fn died_with_plans(starts: &[&str]) -> String {
        let plans: Vec<String> = starts
            .iter()
            .map(|s| {
                format!("<CINPlanDates><CINPlanStartDate>{s}</CINPlanStartDate></CINPlanDates>")
            })
            .collect();
        child(
            "C1",
            "<PersonBirthDate>2015-01-01</PersonBirthDate><PersonDeathDate>2025-09-01</PersonDeathDate>",
            &episode(
                "<CINreferralDate>2025-05-01</CINreferralDate>",
                &plans.join("\n"),
            ),
        )
    }

    #[test]
    fn plans_starting_by_the_day_of_death_pass() {
        let xml = died_with_plans(&["2025-06-01", "2025-09-01"]);
        assert!(flagged(&RULE, &census(2026, &xml)).is_empty());
    }

    #[test]
    fn a_plan_starting_after_death_is_flagged() {
        let xml = died_with_plans(&["2025-06-01", "2025-09-02"]);
        assert_eq!(
            flagged(&RULE, &census(2026, &xml)),
            vec![linked(&[
                ("CINplanDates", line(&xml, "2025-09-02"), "CINPlanStartDate"),
                (
                    "ChildIdentifiers",
                    line(&xml, "<ChildIdentifiers>"),
                    "PersonDeathDate"
                ),
            ])]
        );
    }
}
