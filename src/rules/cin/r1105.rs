//! # 1105: child protection plan started before the referral
//!
//! Checks that every child protection plan starts on or after the referral date of its CIN
//! episode.
//!
//! ## Why
//! A plan comes out of the conference that follows a referral; a plan starting before the
//! referral sits in the wrong episode or carries a mistyped date.
//!
//! ## Example
//! Referral 1 June 2025 and a plan from 20 June 2025 pass; a plan from 20 May 2025 is flagged,
//! linked with the referral date.

use crate::rule;
use crate::rules::Flags;
use crate::rules::cin::common::{flag_before_referral, protection_plan_starts};
use crate::rules::cin::{Cin, RuleCin};

rule! {
    /// A child protection plan starts before its episode's referral.
    pub const RULE: RuleCin = {
        code: "1105",
        message: "The child protection plan start date cannot be before the referral date",
        severity: Error,
        tables: ["ChildProtectionPlans", "CINdetails"],
        fields: ["CPPstartDate", "CINreferralDate"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [],
        check: check,
    }
}

fn check(data: &Cin<'_>, flags: &mut Flags) {
    flag_before_referral(data, flags, protection_plan_starts);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::cin::fixture::{census, flagged, line, linked, one_episode};

    fn plan(start: &str) -> String {
        format!(
            "<ChildProtectionPlans><CPPstartDate>{start}</CPPstartDate><InitialCategoryOfAbuse>NEG</InitialCategoryOfAbuse><LatestCategoryOfAbuse>NEG</LatestCategoryOfAbuse><NumberOfPreviousCPP>0</NumberOfPreviousCPP></ChildProtectionPlans>"
        )
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
            &[plan("2025-05-20"), plan("2025-06-20")].join("\n"),
        );
        assert_eq!(
            flagged(&RULE, &census(2026, &xml)),
            vec![linked(&[
                (
                    "ChildProtectionPlans",
                    line(&xml, "2025-05-20"),
                    "CPPstartDate"
                ),
                ("CINdetails", line(&xml, "<CINdetails>"), "CINreferralDate"),
            ])]
        );
    }
}
