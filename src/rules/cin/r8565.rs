//! # 8565: activity after the case was closed
//!
//! Checks, for every closed CIN episode, that no activity of the episode is dated after its
//! closure: the episode's initial conference, assessment starts and authorisations, section 47
//! starts and conferences, child protection plan ends, and CIN plan starts and ends. Each episode
//! with late activity is one finding: the closure date and every later date.
//!
//! ## Why
//! Closing the episode ends the LA's involvement; activity after it means the closure date is too
//! early (and the episode is wrongly counted as closed) or the activity belongs to a later
//! episode. The reference validator never checks protection plan ends and fails on many files
//! (`tests/oracle/divergences.md`).
//!
//! ## Example
//! An episode closed on 1 August 2025 whose plan ended that day passes; an assessment authorised
//! on 2 August 2025 is flagged with the closure date.

use crate::rule;
use crate::rules::Flags;
use crate::rules::cin::common::episodes_with_details;
use crate::rules::cin::{Cin, RuleCin};

rule! {
    /// Activity of an episode is dated after the episode's closure.
    pub const RULE: RuleCin = {
        code: "8565",
        message: "Activity shown after a case has been closed",
        severity: Error,
        tables: ["ChildProtectionPlans", "CINdetails", "Assessments", "CINplanDates", "Section47"],
        fields: ["CINclosureDate", "DateOfInitialCPC", "AssessmentActualStartDate", "AssessmentAuthorisationDate", "S47ActualStartDate", "CPPendDate", "CINPlanStartDate", "CINPlanEndDate"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [],
        check: check,
    }
}

fn check(data: &Cin<'_>, flags: &mut Flags) {
    for (episode, details) in episodes_with_details(data) {
        let Some(closed) = details.cin_closure_date().ok() else {
            continue;
        };
        let mut dates = vec![(
            details.at("DateOfInitialCPC"),
            details.date_of_initial_cpc(),
        )];
        for assessment in episode.assessments() {
            let a = assessment.assessment();
            dates.push((a.at("AssessmentActualStartDate"), a.actual_start_date()));
            dates.push((a.at("AssessmentAuthorisationDate"), a.authorisation_date()));
        }
        for s in episode.section47s() {
            dates.push((s.at("S47ActualStartDate"), s.actual_start_date()));
            dates.push((s.at("DateOfInitialCPC"), s.date_of_initial_cpc()));
        }
        for plan in episode.protection_plans() {
            let p = plan.plan();
            dates.push((p.at("CPPendDate"), p.end_date()));
        }
        for p in episode.cin_plans() {
            dates.push((p.at("CINPlanStartDate"), p.start_date()));
            dates.push((p.at("CINPlanEndDate"), p.end_date()));
        }
        let late: Vec<_> = dates
            .into_iter()
            .filter(|(_, date)| date.ok().is_some_and(|d| d > closed))
            .map(|(cell, _)| cell)
            .collect();
        if !late.is_empty() {
            flags.cells(std::iter::once(details.at("CINclosureDate")).chain(late));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::cin::fixture::{census, flagged, line, linked, one_episode};

    const CLOSED: &str = "<CINreferralDate>2025-05-01</CINreferralDate><CINclosureDate>2025-08-01</CINclosureDate><ReasonForClosure>RC7</ReasonForClosure>";

    #[test]
    fn activity_up_to_the_closure_day_and_open_episodes_pass() {
        let xml = [
            one_episode(
                "C1",
                CLOSED,
                &[
                    "<Assessments><AssessmentActualStartDate>2025-05-02</AssessmentActualStartDate><AssessmentAuthorisationDate>2025-06-01</AssessmentAuthorisationDate></Assessments>",
                    "<CINPlanDates><CINPlanStartDate>2025-06-01</CINPlanStartDate><CINPlanEndDate>2025-08-01</CINPlanEndDate></CINPlanDates>",
                ]
                .join("\n"),
            ),
            one_episode(
                "C2",
                "<CINreferralDate>2025-05-01</CINreferralDate>",
                "<CINPlanDates><CINPlanStartDate>2025-06-01</CINPlanStartDate></CINPlanDates>",
            ),
        ]
        .join("\n");
        assert!(flagged(&RULE, &census(2026, &xml)).is_empty());
    }

    #[test]
    fn every_later_date_is_flagged_with_the_closure() {
        let xml = one_episode(
            "C1",
            &format!("{CLOSED}<DateOfInitialCPC>2025-08-05</DateOfInitialCPC>"),
            &[
                "<Assessments><AssessmentActualStartDate>2025-05-02</AssessmentActualStartDate><AssessmentAuthorisationDate>2025-08-02</AssessmentAuthorisationDate></Assessments>",
                "<Section47><S47ActualStartDate>2025-08-03</S47ActualStartDate><DateOfInitialCPC>2025-08-04</DateOfInitialCPC></Section47>",
                "<ChildProtectionPlans><CPPstartDate>2025-07-01</CPPstartDate><CPPendDate>2025-08-06</CPPendDate></ChildProtectionPlans>",
                "<CINPlanDates><CINPlanStartDate>2025-06-01</CINPlanStartDate><CINPlanEndDate>2025-08-07</CINPlanEndDate></CINPlanDates>",
            ]
            .join("\n"),
        );
        let episode_line = line(&xml, "<CINdetails>");
        let enquiry = line(&xml, "<Section47>");
        assert_eq!(
            flagged(&RULE, &census(2026, &xml)),
            vec![linked(&[
                ("CINdetails", episode_line, "CINclosureDate"),
                ("CINdetails", episode_line, "DateOfInitialCPC"),
                (
                    "Assessments",
                    line(&xml, "<Assessments>"),
                    "AssessmentAuthorisationDate"
                ),
                ("Section47", enquiry, "S47ActualStartDate"),
                ("Section47", enquiry, "DateOfInitialCPC"),
                (
                    "ChildProtectionPlans",
                    line(&xml, "<ChildProtectionPlans>"),
                    "CPPendDate"
                ),
                (
                    "CINplanDates",
                    line(&xml, "<CINPlanDates>"),
                    "CINPlanEndDate"
                ),
            ])]
        );
    }
}
