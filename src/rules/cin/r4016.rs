//! # 4016: CIN plan starting during a child protection plan
//!
//! Checks that no CIN plan of a child starts on or after the start of one of the child's child
//! protection plans and before its end (on or before the ReferenceDate when the protection plan
//! is still open).
//!
//! ## Why
//! While a child is on a protection plan, the protection plan is the plan; a CIN plan may start
//! the day the protection plan ends, not before. 4017 checks the opposite order.
//!
//! ## Example
//! A protection plan from 1 May to 1 August 2025 and a CIN plan from 1 August 2025 pass; a CIN
//! plan from 31 July 2025 is flagged with the protection plan's dates.

use crate::rule;
use crate::rules::Flags;
use crate::rules::cin::common::{
    cin_plan_dates, flag_plans_starting_during, protection_plan_dates,
};
use crate::rules::cin::{Cin, RuleCin};

rule! {
    /// A CIN plan starts while a child protection plan is open.
    pub const RULE: RuleCin = {
        code: "4016",
        message: "A CIN Plan has been reported as open at the same time as a Child Protection Plan.",
        severity: Error,
        tables: ["CINplanDates", "Header", "ChildProtectionPlans"],
        fields: ["CINPlanStartDate", "CPPstartDate", "CPPendDate"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [ReferenceDate],
        check: check,
    }
}

fn check(data: &Cin<'_>, flags: &mut Flags) {
    flag_plans_starting_during(data, flags, cin_plan_dates, protection_plan_dates);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::cin::fixture::{census, flagged, line, linked, one_episode};

    fn child_with(cin_plan_start: &str, protection_end: &str) -> String {
        one_episode(
            "C1",
            "<CINreferralDate>2025-04-01</CINreferralDate>",
            &format!(
                "<ChildProtectionPlans><CPPstartDate>2025-05-01</CPPstartDate>{protection_end}</ChildProtectionPlans>\n<CINPlanDates><CINPlanStartDate>{cin_plan_start}</CINPlanStartDate></CINPlanDates>"
            ),
        )
    }

    #[test]
    fn cin_plans_starting_outside_protection_plans_pass() {
        for start in ["2025-04-30", "2025-08-01"] {
            let xml = child_with(start, "<CPPendDate>2025-08-01</CPPendDate>");
            assert!(flagged(&RULE, &census(2026, &xml)).is_empty(), "{start}");
        }
    }

    #[test]
    fn a_cin_plan_starting_during_a_protection_plan_is_flagged() {
        for (start, end) in [
            ("2025-05-01", "<CPPendDate>2025-08-01</CPPendDate>"),
            ("2025-07-31", "<CPPendDate>2025-08-01</CPPendDate>"),
            ("2026-03-31", ""),
        ] {
            let xml = child_with(start, end);
            let protection = line(&xml, "<ChildProtectionPlans>");
            assert_eq!(
                flagged(&RULE, &census(2026, &xml)),
                vec![linked(&[
                    (
                        "CINplanDates",
                        line(&xml, "<CINPlanDates>"),
                        "CINPlanStartDate"
                    ),
                    ("ChildProtectionPlans", protection, "CPPstartDate"),
                    ("ChildProtectionPlans", protection, "CPPendDate"),
                ])],
                "{start}"
            );
        }
    }
}
