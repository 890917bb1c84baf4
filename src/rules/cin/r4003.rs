//! # 4003: protection plan review held while a CIN plan was open
//!
//! Checks that no review of a child protection plan falls within a CIN plan of the same episode:
//! on or after the CIN plan's start and before its end (any time after its start when it has no
//! end). A review on the day its protection plan ended is allowed: the review conference that
//! ends a protection plan often starts a CIN plan the same day.
//!
//! ## Why
//! Reviews happen while a child is on a protection plan, and a child is not on a CIN plan and a
//! protection plan at once. A review inside a CIN plan means the CIN plan's dates (or the
//! review's) are wrong. Every review date is checked; the reference validator sees only the
//! first review of each plan, joins plans across episodes, and ignores open CIN plans
//! (`tests/oracle/divergences.md`).
//!
//! ## Example
//! A CIN plan from 1 May to 1 June 2025 and a review on 1 July 2025 pass; a review on 15 May 2025
//! is flagged with the CIN plan's start and the protection plan.

use chrono::NaiveDate;

use crate::rule;
use crate::rules::Flags;
use crate::rules::cin::common::{cin_plan_dates, episodes};
use crate::rules::cin::{Cin, RuleCin};

rule! {
    /// A protection plan review falls inside a CIN plan.
    pub const RULE: RuleCin = {
        code: "4003",
        message: "A CPP review date is shown as being held at the same time as an open CIN Plan.",
        severity: Error,
        tables: ["Reviews", "CINplanDates", "ChildProtectionPlans"],
        fields: ["CPPreviewDate", "CINPlanStartDate", "CPPstartDate"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [],
        check: check,
    }
}

fn check(data: &Cin<'_>, flags: &mut Flags) {
    for episode in episodes(data) {
        let cin_plans: Vec<_> = cin_plan_dates(&episode)
            .into_iter()
            .filter_map(|p| Some((p.span()?, p)))
            .collect();
        if cin_plans.is_empty() {
            continue;
        }
        for plan in episode.protection_plans() {
            let protection = plan.plan();
            let ended = protection.end_date().ok();
            for review in plan.reviews() {
                let Some(date) = review.review_date().ok() else {
                    continue;
                };
                if ended == Some(date) {
                    continue;
                }
                for (span, cin_plan) in &cin_plans {
                    if span.holds_before_end(date, NaiveDate::MAX) {
                        flags.cells([
                            review.at("CPPreviewDate"),
                            cin_plan.start.0,
                            protection.at("CPPstartDate"),
                        ]);
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::cin::fixture::{census, flagged, line, linked, one_episode};

    fn protection_plan(end: &str, reviews: &[&str]) -> String {
        let reviews: String = reviews
            .iter()
            .map(|r| format!("\n<CPPreviewDate>{r}</CPPreviewDate>"))
            .collect();
        format!(
            "<ChildProtectionPlans><CPPstartDate>2025-04-10</CPPstartDate>{end}\n<Reviews>{reviews}\n</Reviews>\n</ChildProtectionPlans>"
        )
    }

    #[test]
    fn reviews_outside_cin_plans_and_on_the_plans_last_day_pass() {
        let xml = one_episode(
            "C1",
            "<CINreferralDate>2025-04-01</CINreferralDate>",
            &[
                "<CINPlanDates><CINPlanStartDate>2025-07-01</CINPlanStartDate><CINPlanEndDate>2025-08-01</CINPlanEndDate></CINPlanDates>",
                "<CINPlanDates><CINPlanStartDate>2025-09-01</CINPlanStartDate></CINPlanDates>",
                &protection_plan(
                    "<CPPendDate>2025-09-01</CPPendDate>",
                    &["2025-06-30", "2025-08-01", "2025-09-01"],
                ),
            ]
            .join("\n"),
        );
        assert!(flagged(&RULE, &census(2026, &xml)).is_empty());
    }

    #[test]
    fn every_review_inside_a_cin_plan_is_flagged() {
        let xml = one_episode(
            "C1",
            "<CINreferralDate>2025-04-01</CINreferralDate>",
            &[
                "<CINPlanDates><CINPlanStartDate>2025-05-01</CINPlanStartDate><CINPlanEndDate>2025-06-01</CINPlanEndDate></CINPlanDates>",
                "<CINPlanDates><CINPlanStartDate>2025-09-01</CINPlanStartDate></CINPlanDates>",
                &protection_plan("", &["2025-04-20", "2025-05-15", "2025-10-01"]),
            ]
            .join("\n"),
        );
        let plan = line(&xml, "<ChildProtectionPlans>");
        assert_eq!(
            flagged(&RULE, &census(2026, &xml)),
            vec![
                linked(&[
                    ("Reviews", line(&xml, "2025-05-15"), "CPPreviewDate"),
                    ("CINplanDates", line(&xml, "2025-05-01"), "CINPlanStartDate"),
                    ("ChildProtectionPlans", plan, "CPPstartDate"),
                ]),
                linked(&[
                    ("Reviews", line(&xml, "2025-10-01"), "CPPreviewDate"),
                    ("CINplanDates", line(&xml, "2025-09-01"), "CINPlanStartDate"),
                    ("ChildProtectionPlans", plan, "CPPstartDate"),
                ]),
            ]
        );
    }
}
