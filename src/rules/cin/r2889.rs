//! # 2889: section 47 enquiry started before the referral
//!
//! Checks that every section 47 enquiry starts on or after the referral date of its CIN episode.
//!
//! ## Why
//! A section 47 enquiry is opened on a referral; an earlier start date puts it in the wrong
//! episode or is mistyped, and the enquiry counts for the year go wrong.
//!
//! ## Example
//! Referral 1 June 2025 and an enquiry from 2 June 2025 pass; an enquiry from 30 May 2025 is
//! flagged, linked with the referral date.

use crate::rule;
use crate::rules::Flags;
use crate::rules::cin::common::{flag_before_referral, section47_starts};
use crate::rules::cin::{Cin, RuleCin};

rule! {
    /// A section 47 enquiry starts before its episode's referral.
    pub const RULE: RuleCin = {
        code: "2889",
        message: "The S47 start date cannot be before the referral date.",
        severity: Error,
        tables: ["Section47", "CINdetails"],
        fields: ["S47ActualStartDate", "CINreferralDate"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [],
        check: check,
    }
}

fn check(data: &Cin<'_>, flags: &mut Flags) {
    flag_before_referral(data, flags, section47_starts);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::cin::fixture::{census, flagged, line, linked, one_episode};

    fn enquiry(start: &str) -> String {
        format!(
            "<Section47><S47ActualStartDate>{start}</S47ActualStartDate><ICPCnotRequired>true</ICPCnotRequired></Section47>"
        )
    }

    #[test]
    fn enquiries_from_the_referral_day_on_pass() {
        let xml = one_episode(
            "C1",
            "<CINreferralDate>2025-06-01</CINreferralDate>",
            &enquiry("2025-06-01"),
        );
        assert!(flagged(&RULE, &census(2026, &xml)).is_empty());
    }

    #[test]
    fn an_enquiry_before_the_referral_is_flagged() {
        let xml = one_episode(
            "C1",
            "<CINreferralDate>2025-06-01</CINreferralDate>",
            &[enquiry("2025-05-30"), enquiry("2025-06-02")].join("\n"),
        );
        assert_eq!(
            flagged(&RULE, &census(2026, &xml)),
            vec![linked(&[
                ("Section47", line(&xml, "2025-05-30"), "S47ActualStartDate"),
                ("CINdetails", line(&xml, "<CINdetails>"), "CINreferralDate"),
            ])]
        );
    }
}
