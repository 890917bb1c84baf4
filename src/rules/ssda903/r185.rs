//! # 185: SDQ score given for a child not looked after continuously for 12 months
//!
//! Checks that an OC2 row gives no `SDQ_SCORE` unless the child is in the OC2 cohort (looked
//! after continuously for at least 12 months at 31 March,
//! [`continuously_looked_after`](super::common::continuously_looked_after)).
//!
//! ## Why
//! The SDQ is collected only for the OC2 cohort; a score for anyone else would enter the
//! published average for a child it does not describe.
//!
//! ## Example
//! A score for a child in care since 2020 passes; a score for a child who entered care in May
//! 2025 is flagged.

use crate::rule;
use crate::rules::Flags;
use crate::rules::ssda903::common::oc2_rows_outside_cohort;
use crate::rules::ssda903::{Rule903, Ssda903};

rule! {
    /// An SDQ score is given for a child outside the OC2 cohort.
    pub const RULE: Rule903 = {
        code: "185",
        message: "Child has not been looked after continuously for at least 12 months at 31 March but a Strengths and Difficulties (SDQ) score has been completed.",
        severity: Error,
        tables: ["Episodes", "OC2"],
        fields: ["SDQ_SCORE"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [],
        check: check,
    }
}

fn check(data: &Ssda903<'_>, flags: &mut Flags) {
    for row in oc2_rows_outside_cohort(data) {
        if row.sdq_score().is_present() {
            flags.cell(row.at("SDQ_SCORE"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::ssda903::fixture::{EPISODES, OC2, cell, dataset, flagged};
    use crate::source::Role;

    const EPISODE_ROWS: &str =
        "1,01/01/2020,S,C2,N1,U1,PR1,,,,,,\n2,01/05/2025,S,C2,N1,U1,PR1,,,,,,\n";

    #[test]
    fn scores_of_the_cohort_pass() {
        let data = dataset(
            2026,
            Role::ThisYear,
            &[
                &format!("{EPISODES}{EPISODE_ROWS}"),
                &format!("{OC2}1,01/02/2015,10,,0,0,1,1,1,0,,\n2,01/02/2015,,,,,,,,,,\n"),
            ],
        );
        assert!(flagged(&RULE, &data, None, None).is_empty());
    }

    #[test]
    fn a_score_outside_the_cohort_is_flagged() {
        let data = dataset(
            2026,
            Role::ThisYear,
            &[
                &format!("{EPISODES}{EPISODE_ROWS}"),
                &format!("{OC2}2,01/02/2015,12,,,,,,,,,\n3,01/02/2015,12,,,,,,,,,\n"),
            ],
        );
        assert_eq!(
            flagged(&RULE, &data, None, None),
            vec![cell("OC2", 2, "SDQ_SCORE"), cell("OC2", 3, "SDQ_SCORE")]
        );
    }
}
