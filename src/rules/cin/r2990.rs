//! # 2990: activity on a case closed after assessment
//!
//! Checks that an episode closed with reason RC8 (case closed after assessment, no further
//! action) or RC9 (closed after assessment, referred to early help) has no CIN plan, section 47
//! enquiry, initial child protection conference or child protection plan.
//!
//! ## Why
//! RC8 and RC9 say the assessment was the end of the local authority's involvement. A plan, an
//! enquiry or a conference in the same episode contradicts the closure reason: either the reason
//! is wrong (RC7, services ceased, is usual after a plan) or the activity belongs to another
//! episode. The finding links the closure reason with every activity of the episode.
//!
//! ## Example
//! An episode closed RC8 with only an assessment passes; closed RC9 with a CIN plan is flagged on
//! the reason and the plan.

use crate::rule;
use crate::rules::Flags;
use crate::rules::cin::common::episodes_with_details;
use crate::rules::cin::{Cin, RuleCin};

rule! {
    /// An episode closed as RC8 or RC9 has plans, enquiries or conferences.
    pub const RULE: RuleCin = {
        code: "2990",
        message: "Activity is recorded against a case marked as ‘Case closed after assessment, no further action’ or 'case closed after assessment, referred to early help'.",
        severity: Error,
        tables: ["CINdetails", "CINplanDates", "Section47", "ChildProtectionPlans"],
        fields: ["ReasonForClosure", "DateOfInitialCPC", "CINPlanStartDate", "S47ActualStartDate", "CPPstartDate"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [],
        check: check,
    }
}

fn check(data: &Cin<'_>, flags: &mut Flags) {
    for (episode, details) in episodes_with_details(data) {
        if !details.reason_for_closure().is_in(&["RC8", "RC9"]) {
            continue;
        }
        let conference = details
            .date_of_initial_cpc()
            .is_present()
            .then(|| details.at("DateOfInitialCPC"));
        let activity: Vec<_> = conference
            .into_iter()
            .chain(episode.cin_plans().iter().map(|p| p.at("CINPlanStartDate")))
            .chain(
                episode
                    .section47s()
                    .iter()
                    .map(|s| s.at("S47ActualStartDate")),
            )
            .chain(
                episode
                    .protection_plans()
                    .iter()
                    .map(|p| p.plan().at("CPPstartDate")),
            )
            .collect();
        if !activity.is_empty() {
            flags.cells(std::iter::once(details.at("ReasonForClosure")).chain(activity));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::cin::fixture::{census, flagged, line, linked, one_episode};

    const CLOSED: &str =
        "<CINreferralDate>2025-05-01</CINreferralDate><CINclosureDate>2025-07-01</CINclosureDate>";

    #[test]
    fn a_case_closed_after_assessment_with_only_an_assessment_passes() {
        let xml = [
            one_episode(
                "C1",
                &format!("{CLOSED}<ReasonForClosure>RC8</ReasonForClosure>"),
                "<Assessments><AssessmentActualStartDate>2025-05-02</AssessmentActualStartDate></Assessments>",
            ),
            one_episode(
                "C2",
                &format!("{CLOSED}<ReasonForClosure>RC7</ReasonForClosure>"),
                "<CINPlanDates><CINPlanStartDate>2025-05-10</CINPlanStartDate></CINPlanDates>",
            ),
        ]
        .join("\n");
        assert!(flagged(&RULE, &census(2026, &xml)).is_empty());
    }

    #[test]
    fn plans_enquiries_and_conferences_are_flagged_with_the_reason() {
        let xml = one_episode(
            "C1",
            &format!("{CLOSED}<ReasonForClosure>RC9</ReasonForClosure><DateOfInitialCPC>2025-05-20</DateOfInitialCPC>"),
            &[
                "<CINPlanDates><CINPlanStartDate>2025-05-10</CINPlanStartDate></CINPlanDates>",
                "<Section47><S47ActualStartDate>2025-05-12</S47ActualStartDate></Section47>",
                "<ChildProtectionPlans><CPPstartDate>2025-05-20</CPPstartDate></ChildProtectionPlans>",
            ]
            .join("\n"),
        );
        let episode_line = line(&xml, "<CINdetails>");
        assert_eq!(
            flagged(&RULE, &census(2026, &xml)),
            vec![linked(&[
                ("CINdetails", episode_line, "ReasonForClosure"),
                ("CINdetails", episode_line, "DateOfInitialCPC"),
                (
                    "CINplanDates",
                    line(&xml, "<CINPlanDates>"),
                    "CINPlanStartDate"
                ),
                ("Section47", line(&xml, "<Section47>"), "S47ActualStartDate"),
                (
                    "ChildProtectionPlans",
                    line(&xml, "<ChildProtectionPlans>"),
                    "CPPstartDate"
                ),
            ])]
        );
    }
}
