//! # 2885: child protection plan not starting on a conference day
//!
//! Checks that every child protection plan starting in the census period starts on the date of
//! an initial child protection conference of its episode: the episode's own `DateOfInitialCPC` or
//! that of one of its section 47 enquiries for which a conference was required.
//!
//! ## Why
//! A plan is agreed at the initial conference and starts that day. A plan starting on another day
//! means the conference or the plan date is wrong, and conference-to-plan figures mislead. The
//! finding links the plan's start with the conference dates it was compared with.
//!
//! The reference validator treats only `1` as "conference not required" and, when an episode has
//! section 47 enquiries, ignores the episode's own conference date; both differ from the DfE rule
//! (`tests/oracle/divergences.md`).
//!
//! ## Example
//! An enquiry with its conference on 10 June 2025 and a plan from 10 June 2025 pass; a plan from
//! 11 June 2025 is flagged with the enquiry's conference date.

use crate::rule;
use crate::rules::Flags;
use crate::rules::cin::common::{episodes, in_period};
use crate::rules::cin::{Cin, RuleCin};

rule! {
    /// A plan starting in the period does not start on one of its episode's conference days.
    pub const RULE: RuleCin = {
        code: "2885",
        message: "Child protection plan shown as starting a different day to the initial child protection conference.",
        severity: Error,
        tables: ["ChildProtectionPlans", "Header", "CINdetails", "Section47"],
        fields: ["CPPstartDate", "DateOfInitialCPC"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [ReferenceDate],
        check: check,
    }
}

fn check(data: &Cin<'_>, flags: &mut Flags) {
    let Some(period) = data.period() else { return };
    for episode in episodes(data) {
        let details = episode.details();
        let own = details.as_ref().map(|d| d.date_of_initial_cpc());
        let enquiries: Vec<_> = episode
            .section47s()
            .into_iter()
            .filter(|s| !s.icpc_not_required().is(true))
            .collect();
        for plan in episode.protection_plans() {
            let plan = plan.plan();
            let Some(start) = plan.start_date().ok().filter(|d| in_period(*d, period)) else {
                continue;
            };
            let on_a_conference_day = own.is_some_and(|c| c.is(start))
                || enquiries.iter().any(|s| s.date_of_initial_cpc().is(start));
            if on_a_conference_day {
                continue;
            }
            let own_cell = details
                .as_ref()
                .filter(|_| own.is_some_and(|c| c.is_present()) || enquiries.is_empty())
                .map(|d| d.at("DateOfInitialCPC"));
            flags.cells(
                std::iter::once(plan.at("CPPstartDate"))
                    .chain(enquiries.iter().map(|s| s.at("DateOfInitialCPC")))
                    .chain(own_cell),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::cin::fixture::{census, flagged, line, linked, one_episode};

    fn enquiry(icpc: &str, not_required: &str) -> String {
        format!(
            "<Section47><S47ActualStartDate>2025-05-01</S47ActualStartDate><DateOfInitialCPC>{icpc}</DateOfInitialCPC><ICPCnotRequired>{not_required}</ICPCnotRequired></Section47>"
        )
    }

    fn plan(start: &str) -> String {
        format!("<ChildProtectionPlans><CPPstartDate>{start}</CPPstartDate></ChildProtectionPlans>")
    }

    #[test]
    fn plans_starting_on_a_conference_day_pass() {
        let xml = [
            one_episode(
                "C1",
                "<CINreferralDate>2025-05-01</CINreferralDate>",
                &[
                    enquiry("", "true"),
                    enquiry("2025-06-10", "false"),
                    plan("2025-06-10"),
                ]
                .join("\n"),
            ),
            one_episode(
                "C2",
                "<CINreferralDate>2025-05-01</CINreferralDate><DateOfInitialCPC>2025-07-01</DateOfInitialCPC>",
                &[enquiry("", "TRUE"), plan("2025-07-01")].join("\n"),
            ),
            // Started before the period: its conference is in last year's return.
            one_episode(
                "C3",
                "<CINreferralDate>2024-05-01</CINreferralDate>",
                &plan("2025-03-31"),
            ),
        ]
        .join("\n");
        assert!(flagged(&RULE, &census(2026, &xml)).is_empty());
    }

    #[test]
    fn a_plan_on_another_day_is_flagged_with_the_conferences_it_was_compared_with() {
        let xml = [
            one_episode(
                "C1",
                "<CINreferralDate>2025-05-01</CINreferralDate>",
                &[enquiry("2025-06-10", "0"), plan("2025-06-11")].join("\n"),
            ),
            one_episode(
                "C2",
                "<CINreferralDate>2025-05-01</CINreferralDate><DateOfInitialCPC>2025-07-01</DateOfInitialCPC>",
                &plan("2025-07-02"),
            ),
            // A conference marked as not required does not count.
            one_episode(
                "C3",
                "<CINreferralDate>2025-05-01</CINreferralDate>",
                &[enquiry("2025-08-01", "1"), plan("2025-08-01")].join("\n"),
            ),
        ]
        .join("\n");
        assert_eq!(
            flagged(&RULE, &census(2026, &xml)),
            vec![
                linked(&[
                    (
                        "ChildProtectionPlans",
                        line(&xml, "2025-06-11"),
                        "CPPstartDate"
                    ),
                    ("Section47", line(&xml, "2025-06-10"), "DateOfInitialCPC"),
                ]),
                linked(&[
                    (
                        "ChildProtectionPlans",
                        line(&xml, "2025-07-02"),
                        "CPPstartDate"
                    ),
                    ("CINdetails", line(&xml, "2025-07-01"), "DateOfInitialCPC"),
                ]),
                linked(&[
                    (
                        "ChildProtectionPlans",
                        line(&xml, "<CPPstartDate>2025-08-01"),
                        "CPPstartDate"
                    ),
                    ("CINdetails", line(&xml, "C3") + 2, "DateOfInitialCPC"),
                ]),
            ]
        );
    }
}
