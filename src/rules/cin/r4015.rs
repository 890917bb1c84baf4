//! # 4015: CIN plan started before the referral
//!
//! Checks that every CIN plan starts on or after the referral date of its CIN episode.
//!
//! ## Why
//! A CIN plan follows the assessment of a referral; a plan starting before the referral belongs
//! to another episode or has a mistyped date.
//!
//! ## Example
//! Referral 1 June 2025 and a plan from 1 July 2025 pass; a plan from 1 May 2025 is flagged,
//! linked with the referral date.

use crate::rule;
use crate::rules::Flags;
use crate::rules::cin::common::{cin_plan_starts, flag_before_referral};
use crate::rules::cin::{Cin, RuleCin};

rule! {
    /// A CIN plan starts before its episode's referral.
    pub const RULE: RuleCin = {
        code: "4015",
        message: "The CIN Plan start date cannot be before the referral date",
        severity: Error,
        tables: ["CINplanDates", "CINdetails"],
        fields: ["CINPlanStartDate", "CINreferralDate"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [],
        check: check,
    }
}

fn check(data: &Cin<'_>, flags: &mut Flags) {
    flag_before_referral(data, flags, cin_plan_starts);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::cin::fixture::{census, flagged, line, linked, one_episode};

    fn plan(start: &str) -> String {
        format!("<CINPlanDates><CINPlanStartDate>{start}</CINPlanStartDate></CINPlanDates>")
    }

    #[test]
    fn plans_from_the_referral_day_on_pass() {
        let xml = one_episode(
            "C1",
            "<CINreferralDate>2025-06-01</CINreferralDate>",
            &plan("2025-06-01"),
        );
        assert!(flagged(&RULE, &census(2026, &xml)).is_empty());
    }

    #[test]
    fn a_plan_before_the_referral_is_flagged() {
        let xml = one_episode(
            "C1",
            "<CINreferralDate>2025-06-01</CINreferralDate>",
            &[plan("2025-05-01"), plan("2025-07-01")].join("\n"),
        );
        assert_eq!(
            flagged(&RULE, &census(2026, &xml)),
            vec![linked(&[
                ("CINplanDates", line(&xml, "2025-05-01"), "CINPlanStartDate"),
                ("CINdetails", line(&xml, "<CINdetails>"), "CINreferralDate"),
            ])]
        );
    }
}
