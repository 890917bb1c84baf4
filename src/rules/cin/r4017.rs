//! # 4017: child protection plan starting during a CIN plan
//!
//! Checks that no child protection plan of a child starts on or after the start of one of the
//! child's CIN plans and before its end (on or before the ReferenceDate when the CIN plan is
//! still open).
//!
//! ## Why
//! When a child becomes subject to a protection plan the CIN plan ends, at the latest, the day
//! the protection plan starts. A protection plan starting inside an open CIN plan means the CIN
//! plan's end date is missing or wrong. 4016 checks the opposite order.
//!
//! ## Example
//! A CIN plan from 1 May to 1 August 2025 and a protection plan from 1 August 2025 pass; a
//! protection plan from 31 July 2025 is flagged with the CIN plan's dates.

use crate::rule;
use crate::rules::Flags;
use crate::rules::cin::common::{
    cin_plan_dates, flag_plans_starting_during, protection_plan_dates,
};
use crate::rules::cin::{Cin, RuleCin};

rule! {
    /// A child protection plan starts while a CIN plan is open.
    pub const RULE: RuleCin = {
        code: "4017",
        message: "A CIN Plan has been reported as open at the same time as a Child Protection Plan.",
        severity: Error,
        tables: ["CINplanDates", "Header", "ChildProtectionPlans"],
        fields: ["CPPstartDate", "CINPlanStartDate", "CINPlanEndDate"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [ReferenceDate],
        check: check,
    }
}

fn check(data: &Cin<'_>, flags: &mut Flags) {
    flag_plans_starting_during(data, flags, protection_plan_dates, cin_plan_dates);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::cin::fixture::{census, flagged, line, linked, one_episode};

    fn child_with(protection_start: &str, cin_plan_end: &str) -> String {
        one_episode(
            "C1",
            "<CINreferralDate>2025-04-01</CINreferralDate>",
            &format!(
                "<CINPlanDates><CINPlanStartDate>2025-05-01</CINPlanStartDate>{cin_plan_end}</CINPlanDates>\n<ChildProtectionPlans><CPPstartDate>{protection_start}</CPPstartDate></ChildProtectionPlans>"
            ),
        )
    }

    #[test]
    fn protection_plans_starting_outside_cin_plans_pass() {
        for start in ["2025-04-30", "2025-08-01"] {
            let xml = child_with(start, "<CINPlanEndDate>2025-08-01</CINPlanEndDate>");
            assert!(flagged(&RULE, &census(2026, &xml)).is_empty(), "{start}");
        }
    }

    #[test]
    fn a_protection_plan_starting_during_a_cin_plan_is_flagged() {
        for (start, end) in [
            ("2025-05-01", "<CINPlanEndDate>2025-08-01</CINPlanEndDate>"),
            ("2025-07-31", "<CINPlanEndDate>2025-08-01</CINPlanEndDate>"),
            ("2026-03-31", ""),
        ] {
            let xml = child_with(start, end);
            let plan = line(&xml, "<CINPlanDates>");
            assert_eq!(
                flagged(&RULE, &census(2026, &xml)),
                vec![linked(&[
                    (
                        "ChildProtectionPlans",
                        line(&xml, "<ChildProtectionPlans>"),
                        "CPPstartDate"
                    ),
                    ("CINplanDates", plan, "CINPlanStartDate"),
                    ("CINplanDates", plan, "CINPlanEndDate"),
                ])],
                "{start}"
            );
        }
    }
}
