//! # 2991Q: section 47 enquiry without an assessment
//!
//! Queries every episode that has a section 47 enquiry but no assessment, on its enquiries.
//!
//! ## Why
//! A section 47 enquiry is normally carried out alongside (or as part of) a children and
//! families assessment. An episode with an enquiry and no assessment usually means the assessment
//! was recorded in another episode or not exported; the LA is asked to check or explain.
//!
//! ## Example
//! An episode with an assessment and an enquiry passes; an episode with two enquiries and no
//! assessment is queried once, on both enquiries.

use crate::rule;
use crate::rules::Flags;
use crate::rules::cin::common::episodes;
use crate::rules::cin::{Cin, RuleCin};

rule! {
    /// An episode has a section 47 enquiry but no assessment.
    pub const RULE: RuleCin = {
        code: "2991Q",
        message: "Please check and either amend data or provide a reason: A Section 47 module is recorded and there is no assessment on the episode",
        severity: Query,
        tables: ["CINdetails", "Assessments", "Section47"],
        fields: ["S47ActualStartDate"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [],
        check: check,
    }
}

fn check(data: &Cin<'_>, flags: &mut Flags) {
    for episode in episodes(data) {
        let enquiries = episode.section47s();
        if !enquiries.is_empty() && episode.assessments().is_empty() {
            flags.cells(enquiries.iter().map(|s| s.at("S47ActualStartDate")));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::cin::fixture::{
        census, child, episode, flagged, linked, nth_line, one_episode,
    };

    const ENQUIRY: &str =
        "<Section47><S47ActualStartDate>2025-05-12</S47ActualStartDate></Section47>";

    #[test]
    fn an_enquiry_with_an_assessment_in_its_episode_passes() {
        let xml = one_episode(
            "C1",
            "<CINreferralDate>2025-05-01</CINreferralDate>",
            &format!(
                "<Assessments><AssessmentActualStartDate>2025-05-02</AssessmentActualStartDate></Assessments>\n{ENQUIRY}"
            ),
        );
        assert!(flagged(&RULE, &census(2026, &xml)).is_empty());
    }

    #[test]
    fn enquiries_of_an_episode_without_assessment_are_queried_together() {
        let xml = child(
            "C1",
            "",
            &[
                episode(
                    "<CINreferralDate>2025-04-01</CINreferralDate>",
                    "<Assessments><AssessmentActualStartDate>2025-04-02</AssessmentActualStartDate></Assessments>",
                ),
                episode(
                    "<CINreferralDate>2025-05-01</CINreferralDate>",
                    &format!("{ENQUIRY}\n{ENQUIRY}"),
                ),
            ]
            .join("\n"),
        );
        assert_eq!(
            flagged(&RULE, &census(2026, &xml)),
            vec![linked(&[
                (
                    "Section47",
                    nth_line(&xml, "<Section47>", 0),
                    "S47ActualStartDate"
                ),
                (
                    "Section47",
                    nth_line(&xml, "<Section47>", 1),
                    "S47ActualStartDate"
                ),
            ])]
        );
    }
}
