//! # 2883: more child protection plans starting than initial conferences
//!
//! Counts, over the whole return, the child protection plans that start in the census period and
//! the initial child protection conferences held in it (on section 47 enquiries and on CIN
//! episodes); flags the return when there are more plans than conferences.
//!
//! ## Why
//! Every plan is agreed at an initial conference, so a year cannot start more plans than it held
//! conferences. More plans means conferences are missing from the return, which understates the
//! LA's conference activity and breaks the plans-per-conference figures. It is a property of the
//! whole return, so it has no row.
//!
//! ## Example
//! Three plans starting in 2025/26 and three conferences held in 2025/26 pass; three plans and
//! two conferences are flagged once for the return.

use crate::rule;
use crate::rules::Flags;
use crate::rules::cin::common::{episodes, in_period};
use crate::rules::cin::{Cin, RuleCin};

rule! {
    /// More plans start in the period than initial conferences are held.
    pub const RULE: RuleCin = {
        code: "2883",
        message: "There are more child protection plans starting than initial conferences taking place",
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
    let (mut plans, mut conferences) = (0usize, 0usize);
    for episode in episodes(data) {
        let held = |date: Option<chrono::NaiveDate>| date.is_some_and(|d| in_period(d, period));
        plans += episode
            .protection_plans()
            .iter()
            .filter(|p| held(p.plan().start_date().ok()))
            .count();
        conferences += episode
            .section47s()
            .iter()
            .filter(|s| held(s.date_of_initial_cpc().ok()))
            .count();
        conferences += usize::from(held(
            episode.details().and_then(|d| d.date_of_initial_cpc().ok()),
        ));
    }
    if plans > conferences {
        flags.whole_return();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::cin::fixture::{census, flagged, one_episode};

    fn plan(start: &str) -> String {
        format!("<ChildProtectionPlans><CPPstartDate>{start}</CPPstartDate></ChildProtectionPlans>")
    }

    fn enquiry(icpc: &str) -> String {
        format!(
            "<Section47><S47ActualStartDate>2025-05-01</S47ActualStartDate><DateOfInitialCPC>{icpc}</DateOfInitialCPC></Section47>"
        )
    }

    #[test]
    fn as_many_conferences_as_plans_pass() {
        let xml = [
            one_episode(
                "C1",
                "<CINreferralDate>2025-05-01</CINreferralDate>",
                &[enquiry("2025-05-10"), plan("2025-05-10")].join("\n"),
            ),
            one_episode(
                "C2",
                "<CINreferralDate>2025-05-01</CINreferralDate><DateOfInitialCPC>2025-06-01</DateOfInitialCPC>",
                &plan("2025-06-01"),
            ),
            // A plan that started last year needs no conference this year.
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
    fn more_plans_than_conferences_in_the_period_flag_the_return() {
        let xml = [one_episode(
            "C1",
            "<CINreferralDate>2025-05-01</CINreferralDate>",
            // The conference of the previous year does not count for this one.
            &[enquiry("2025-03-31"), plan("2025-05-10")].join("\n"),
        )]
        .join("\n");
        assert_eq!(
            flagged(&RULE, &census(2026, &xml)),
            vec![vec![("return".into(), 0, String::new())]]
        );
    }
}
