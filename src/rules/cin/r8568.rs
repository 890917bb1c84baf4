//! # 8568: referral NFA flag missing or invalid
//!
//! Checks that every referral has a ReferralNFA that is a boolean: `true`/`false` or `1`/`0`, in
//! any letter case (the DfE schemas of different years list different spellings; all mean the
//! same).
//!
//! ## Why
//! Whether a referral led to further action decides whether the child counts as a child in need
//! and which other rules apply (4000, 8610, 8540...). A missing or unreadable flag leaves all of
//! that undecided. The reference validator accepts the same spellings; its documentation once
//! rejected upper case.
//!
//! ## Example
//! `<ReferralNFA>false</ReferralNFA>`, `0` and `TRUE` pass; a missing flag or `N` is flagged.

use crate::rule;
use crate::rules::Flags;
use crate::rules::cin::common::episodes_with_details;
use crate::rules::cin::{Cin, RuleCin};

rule! {
    /// A referral's NFA flag is missing or not a boolean.
    pub const RULE: RuleCin = {
        code: "8568",
        message: "RNFA flag is missing or invalid",
        severity: Error,
        tables: ["CINdetails"],
        fields: ["ReferralNFA"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [],
        check: check,
    }
}

fn check(data: &Cin<'_>, flags: &mut Flags) {
    for (_, details) in episodes_with_details(data) {
        if details.referral_nfa().ok().is_none() {
            flags.cell(details.at("ReferralNFA"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::cin::fixture::{cell, census, child, episode, flagged, line};

    fn referrals(flags: &[&str]) -> String {
        let episodes: Vec<String> = flags
            .iter()
            .enumerate()
            .map(|(i, flag)| {
                episode(
                    &format!(
                        "<CINreferralDate>2025-05-{:02}</CINreferralDate>{flag}",
                        i + 1
                    ),
                    "",
                )
            })
            .collect();
        child("C1", "", &episodes.join("\n"))
    }

    #[test]
    fn booleans_in_any_spelling_pass() {
        let xml = referrals(&[
            "<ReferralNFA>false</ReferralNFA>",
            "<ReferralNFA>0</ReferralNFA>",
            "<ReferralNFA>TRUE</ReferralNFA>",
            "<ReferralNFA>1</ReferralNFA>",
        ]);
        assert!(flagged(&RULE, &census(2026, &xml)).is_empty());
    }

    #[test]
    fn missing_and_other_values_are_flagged() {
        let xml = referrals(&["", "<ReferralNFA>N</ReferralNFA>", "<ReferralNFA/>"]);
        let expected: Vec<_> = ["2025-05-01", "2025-05-02", "2025-05-03"]
            .iter()
            .map(|d| cell("CINdetails", line(&xml, d), "ReferralNFA"))
            .collect();
        assert_eq!(flagged(&RULE, &census(2026, &xml)), expected);
    }
}
