//! # 1104: initial child protection conference before the referral
//!
//! Checks that every initial child protection conference date of an episode — on a section 47
//! enquiry or on the episode itself — is on or after the episode's referral date.
//!
//! ## Why
//! The conference follows the referral it arises from. An earlier date means the conference was
//! recorded against the wrong episode or mistyped, and the conference timeliness measure breaks.
//! The reference validator checks only the section 47 conferences; the DfE message covers any
//! initial conference (`tests/oracle/divergences.md`).
//!
//! ## Example
//! Referral 1 June 2025 and a section 47 conference on 10 June 2025 pass; a conference on 31 May
//! 2025 is flagged, linked with the referral date.

use crate::rule;
use crate::rules::Flags;
use crate::rules::cin::common::flag_before_referral;
use crate::rules::cin::{Cin, RuleCin};

rule! {
    /// An initial child protection conference is dated before its episode's referral.
    pub const RULE: RuleCin = {
        code: "1104",
        message: "The date of the initial child protection conference cannot be before the referral date",
        severity: Error,
        tables: ["Section47", "CINdetails"],
        fields: ["DateOfInitialCPC", "CINreferralDate"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [],
        check: check,
    }
}

fn check(data: &Cin<'_>, flags: &mut Flags) {
    flag_before_referral(data, flags, |episode| {
        let enquiries = episode
            .section47s()
            .into_iter()
            .map(|s| (s.at("DateOfInitialCPC"), s.date_of_initial_cpc()));
        let own = episode
            .details()
            .map(|d| (d.at("DateOfInitialCPC"), d.date_of_initial_cpc()));
        enquiries.chain(own).collect()
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::cin::fixture::{census, flagged, line, linked, one_episode};

    fn enquiry(icpc: &str) -> String {
        format!(
            "<Section47><S47ActualStartDate>2025-06-01</S47ActualStartDate><DateOfInitialCPC>{icpc}</DateOfInitialCPC><ICPCnotRequired>false</ICPCnotRequired></Section47>"
        )
    }

    #[test]
    fn conferences_from_the_referral_day_on_pass() {
        let xml = one_episode(
            "C1",
            "<CINreferralDate>2025-06-01</CINreferralDate><DateOfInitialCPC>2025-06-01</DateOfInitialCPC>",
            &enquiry("2025-06-10"),
        );
        assert!(flagged(&RULE, &census(2026, &xml)).is_empty());
    }

    #[test]
    fn conferences_before_the_referral_are_flagged_at_either_level() {
        let xml = one_episode(
            "C1",
            "<CINreferralDate>2025-06-01</CINreferralDate><DateOfInitialCPC>2025-05-30</DateOfInitialCPC>",
            &enquiry("2025-05-31"),
        );
        let referral = ("CINdetails", line(&xml, "<CINdetails>"), "CINreferralDate");
        assert_eq!(
            flagged(&RULE, &census(2026, &xml)),
            vec![
                linked(&[
                    ("Section47", line(&xml, "<Section47>"), "DateOfInitialCPC"),
                    referral
                ]),
                linked(&[
                    ("CINdetails", line(&xml, "<CINdetails>"), "DateOfInitialCPC"),
                    referral
                ]),
            ]
        );
    }
}
