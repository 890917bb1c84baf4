//! # 2884: initial conference recorded at both levels
//!
//! Checks that an initial child protection conference recorded on a CIN episode is not recorded
//! again, on the same date, on a section 47 enquiry of the same episode.
//!
//! ## Why
//! The episode-level conference date is for conferences that did not follow a section 47 enquiry
//! in the episode. The same conference at both levels is counted twice in the conference figures
//! and in 2883. The reference validator compares across all of a child's episodes; the DfE rule
//! is about one episode (`tests/oracle/divergences.md`).
//!
//! ## Example
//! An episode with `DateOfInitialCPC` 10 June 2025 and a section 47 enquiry whose conference is
//! also 10 June 2025 is flagged on both dates; a conference on the enquiry only passes.

use crate::rule;
use crate::rules::Flags;
use crate::rules::cin::common::episodes_with_details;
use crate::rules::cin::{Cin, RuleCin};

rule! {
    /// The same initial conference is on the episode and on one of its section 47 enquiries.
    pub const RULE: RuleCin = {
        code: "2884",
        message: "An initial child protection conference is recorded at both the S47 and CIN Details level and it should only be recorded in one",
        severity: Error,
        tables: ["Section47", "CINdetails"],
        fields: ["DateOfInitialCPC"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [],
        check: check,
    }
}

fn check(data: &Cin<'_>, flags: &mut Flags) {
    for (episode, details) in episodes_with_details(data) {
        let Some(conference) = details.date_of_initial_cpc().ok() else {
            continue;
        };
        for enquiry in episode.section47s() {
            if enquiry.date_of_initial_cpc().is(conference) {
                flags.cells([
                    enquiry.at("DateOfInitialCPC"),
                    details.at("DateOfInitialCPC"),
                ]);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::cin::fixture::{census, child, episode, flagged, line, linked, one_episode};

    fn enquiry(icpc: &str) -> String {
        format!(
            "<Section47><S47ActualStartDate>2025-05-01</S47ActualStartDate><DateOfInitialCPC>{icpc}</DateOfInitialCPC></Section47>"
        )
    }

    #[test]
    fn a_conference_at_one_level_per_episode_passes() {
        let xml = child(
            "C1",
            "",
            &[
                episode("<CINreferralDate>2025-05-01</CINreferralDate>", &enquiry("2025-06-10")),
                // Another episode's conference on the same day is another conference.
                episode(
                    "<CINreferralDate>2025-06-01</CINreferralDate><DateOfInitialCPC>2025-06-10</DateOfInitialCPC>",
                    &enquiry("2025-07-01"),
                ),
            ]
            .join("\n"),
        );
        assert!(flagged(&RULE, &census(2026, &xml)).is_empty());
    }

    #[test]
    fn the_same_conference_at_both_levels_is_flagged() {
        let xml = one_episode(
            "C1",
            "<CINreferralDate>2025-05-01</CINreferralDate><DateOfInitialCPC>2025-06-10</DateOfInitialCPC>",
            &enquiry("2025-06-10"),
        );
        assert_eq!(
            flagged(&RULE, &census(2026, &xml)),
            vec![linked(&[
                ("Section47", line(&xml, "<Section47>"), "DateOfInitialCPC"),
                ("CINdetails", line(&xml, "<CINdetails>"), "DateOfInitialCPC"),
            ])]
        );
    }
}
