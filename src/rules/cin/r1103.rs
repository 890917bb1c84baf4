//! # 1103: assessment started before the referral
//!
//! Checks that every assessment starts on or after the referral date of its own CIN episode.
//!
//! ## Why
//! An assessment responds to a referral; one that starts earlier belongs to another episode or
//! has a mistyped date, and either way the timeliness figures built on it are wrong.
//!
//! ## Example
//! Referral 1 June 2025, assessment started 1 June 2025 passes; started 31 May 2025 is flagged,
//! linked with the referral date.

use crate::rule;
use crate::rules::Flags;
use crate::rules::cin::common::{assessment_starts, flag_before_referral};
use crate::rules::cin::{Cin, RuleCin};

rule! {
    /// An assessment starts before its episode's referral.
    pub const RULE: RuleCin = {
        code: "1103",
        message: "The assessment start date cannot be before the referral date",
        severity: Error,
        tables: ["Assessments", "CINdetails"],
        fields: ["AssessmentActualStartDate", "CINreferralDate"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [],
        check: check,
    }
}

fn check(data: &Cin<'_>, flags: &mut Flags) {
    flag_before_referral(data, flags, assessment_starts);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::cin::fixture::{census, child, episode, flagged, line, linked, one_episode};

    fn assessment(start: &str) -> String {
        format!(
            "<Assessments><AssessmentActualStartDate>{start}</AssessmentActualStartDate></Assessments>"
        )
    }

    #[test]
    fn assessments_from_the_referral_day_on_pass() {
        let xml = one_episode(
            "C1",
            "<CINreferralDate>2025-06-01</CINreferralDate>",
            &assessment("2025-06-01"),
        );
        assert!(flagged(&RULE, &census(2026, &xml)).is_empty());
    }

    #[test]
    fn an_assessment_before_its_own_episodes_referral_is_flagged() {
        let xml = child(
            "C1",
            "",
            &[
                episode("<CINreferralDate>2025-05-01</CINreferralDate>", ""),
                episode(
                    "<CINreferralDate>2025-06-01</CINreferralDate>",
                    &[
                        assessment("2025-05-20"),
                        assessment("2025-06-02"),
                        assessment("bad"),
                    ]
                    .join("\n"),
                ),
            ]
            .join("\n"),
        );
        assert_eq!(
            flagged(&RULE, &census(2026, &xml)),
            vec![linked(&[
                (
                    "Assessments",
                    line(&xml, "2025-05-20"),
                    "AssessmentActualStartDate"
                ),
                ("CINdetails", line(&xml, "2025-06-01"), "CINreferralDate"),
            ])]
        );
    }
}
