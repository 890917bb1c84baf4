//! # 4014: overlapping CIN plans
//!
//! Checks that no two CIN plans of a child overlap: a plan must not start on or before the end of
//! a plan that started on or before it (before or on the ReferenceDate when that plan is still
//! open). Each overlapping pair is one finding: the later plan's start with the earlier plan's
//! dates.
//!
//! ## Why
//! A child has one CIN plan at a time; overlapping plans double-count the child's time on a plan
//! and usually mean a plan was closed with the wrong date or recorded twice.
//!
//! ## Example
//! Plans from 1 May to 1 June 2025 and from 2 June 2025 pass; a second plan starting on 1 June
//! 2025 is flagged with the first plan's start and end.

use crate::rule;
use crate::rules::Flags;
use crate::rules::cin::common::cin_plan_dates;
use crate::rules::cin::{Cin, RuleCin};

rule! {
    /// Two CIN plans of a child overlap.
    pub const RULE: RuleCin = {
        code: "4014",
        message: "CIN Plan data contains overlapping dates",
        severity: Error,
        tables: ["CINplanDates", "Header"],
        fields: ["CINPlanStartDate", "CINPlanEndDate"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [ReferenceDate],
        check: check,
    }
}

fn check(data: &Cin<'_>, flags: &mut Flags) {
    let Some((_, reference_date)) = data.period() else {
        return;
    };
    for child in data.children() {
        let plans: Vec<_> = child
            .episodes()
            .iter()
            .flat_map(cin_plan_dates)
            .filter_map(|p| Some((p.span()?, p)))
            .collect();
        for (i, first) in plans.iter().enumerate() {
            for second in &plans[i + 1..] {
                let (later, earlier) = if second.0.holds_through_end(first.0.start, reference_date)
                {
                    (first, second)
                } else if first.0.holds_through_end(second.0.start, reference_date) {
                    (second, first)
                } else {
                    continue;
                };
                flags.cells([later.1.start.0, earlier.1.start.0, earlier.1.end.0]);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::cin::fixture::{census, child, episode, flagged, line, linked};

    fn plans(plans: &[&str]) -> String {
        child(
            "C1",
            "",
            &[
                episode("<CINreferralDate>2025-04-01</CINreferralDate>", plans[0]),
                episode(
                    "<CINreferralDate>2025-09-01</CINreferralDate>",
                    &plans[1..].join("\n"),
                ),
            ]
            .join("\n"),
        )
    }

    #[test]
    fn consecutive_plans_pass() {
        let xml = plans(&[
            "<CINPlanDates><CINPlanStartDate>2025-05-01</CINPlanStartDate><CINPlanEndDate>2025-06-01</CINPlanEndDate></CINPlanDates>",
            "<CINPlanDates><CINPlanStartDate>2025-06-02</CINPlanStartDate><CINPlanEndDate>2025-09-01</CINPlanEndDate></CINPlanDates>",
            "<CINPlanDates><CINPlanStartDate>2025-09-10</CINPlanStartDate></CINPlanDates>",
        ]);
        assert!(flagged(&RULE, &census(2026, &xml)).is_empty());
    }

    #[test]
    fn overlapping_plans_across_episodes_are_flagged_once_per_pair() {
        let xml = plans(&[
            "<CINPlanDates><CINPlanStartDate>2025-05-01</CINPlanStartDate></CINPlanDates>",
            "<CINPlanDates><CINPlanStartDate>2025-09-10</CINPlanStartDate><CINPlanEndDate>2025-10-01</CINPlanEndDate></CINPlanDates>",
            "<CINPlanDates><CINPlanStartDate>2025-10-01</CINPlanStartDate></CINPlanDates>",
        ]);
        let open = line(&xml, "2025-05-01");
        let closed = line(&xml, "2025-09-10");
        let last = line(&xml, "<CINPlanStartDate>2025-10-01");
        assert_eq!(
            flagged(&RULE, &census(2026, &xml)),
            vec![
                linked(&[
                    ("CINplanDates", closed, "CINPlanStartDate"),
                    ("CINplanDates", open, "CINPlanStartDate"),
                    ("CINplanDates", open, "CINPlanEndDate"),
                ]),
                linked(&[
                    ("CINplanDates", last, "CINPlanStartDate"),
                    ("CINplanDates", open, "CINPlanStartDate"),
                    ("CINplanDates", open, "CINPlanEndDate"),
                ]),
                linked(&[
                    ("CINplanDates", last, "CINPlanStartDate"),
                    ("CINplanDates", closed, "CINPlanStartDate"),
                    ("CINplanDates", closed, "CINPlanEndDate"),
                ]),
            ]
        );
    }
}
