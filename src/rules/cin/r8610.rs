//! # 8610: primary need missing for a referral with further action
//!
//! Checks that every referral that went on to further action (ReferralNFA false) has a primary
//! need code.
//!
//! ## Why
//! The primary need (abuse or neglect, disability, family stress...) is identified at assessment
//! for every child who goes on to be a child in need, and the national statistics of children in
//! need are broken down by it. NFA referrals have no assessment and no need code.
//!
//! ## Example
//! A further-action referral with `N1` passes; one without a PrimaryNeedCode is flagged on the
//! flag and the missing code.

use crate::rule;
use crate::rules::Flags;
use crate::rules::cin::common::{episodes_with_details, is_further_action};
use crate::rules::cin::{Cin, RuleCin};

rule! {
    /// A referral with further action has no primary need code.
    pub const RULE: RuleCin = {
        code: "8610",
        message: "Primary Need code is missing for a referral which led to further action.",
        severity: Error,
        tables: ["CINdetails"],
        fields: ["ReferralNFA", "PrimaryNeedCode"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [],
        check: check,
    }
}

fn check(data: &Cin<'_>, flags: &mut Flags) {
    for (episode, details) in episodes_with_details(data) {
        if is_further_action(&episode) && details.primary_need_code().is_blank() {
            flags.cells([details.at("ReferralNFA"), details.at("PrimaryNeedCode")]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::cin::fixture::{census, flagged, line, linked, one_episode};

    fn referral(fields: &str) -> String {
        one_episode(
            "C1",
            &format!("<CINreferralDate>2025-05-01</CINreferralDate>{fields}"),
            "",
        )
    }

    #[test]
    fn further_action_with_a_need_and_nfa_without_pass() {
        for fields in [
            "<PrimaryNeedCode>N1</PrimaryNeedCode><ReferralNFA>false</ReferralNFA>",
            "<ReferralNFA>true</ReferralNFA>",
        ] {
            assert!(flagged(&RULE, &census(2026, &referral(fields))).is_empty());
        }
    }

    #[test]
    fn further_action_without_a_need_is_flagged() {
        let xml = referral("<ReferralNFA>0</ReferralNFA>");
        let row = line(&xml, "<CINdetails>");
        assert_eq!(
            flagged(&RULE, &census(2026, &xml)),
            vec![linked(&[
                ("CINdetails", row, "ReferralNFA"),
                ("CINdetails", row, "PrimaryNeedCode"),
            ])]
        );
    }
}
