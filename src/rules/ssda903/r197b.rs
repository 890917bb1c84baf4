//! # 197B: SDQ score or reason missing for a child turning 4 or 17 in the year
//!
//! Checks that a child in the OC2 cohort (looked after continuously for at least 12 months at
//! 31 March, [`continuously_looked_after`](super::common::continuously_looked_after)) whose 4th
//! or 17th birthday falls in the collection year has an SDQ score or a reason for not having
//! one. Ages use the OC2 row's DOB; the blank `SDQ_REASON` is flagged with the DOB.
//!
//! ## Why
//! Rule 186 covers children of SDQ age all year; children who enter or leave the SDQ age range
//! during the year must still have a score or a reason, typically SDQ1.
//!
//! ## Example
//! In 2025/26 a child born 01/06/2021 (4 in June 2025) in care since 2022 with both blank is
//! flagged; with `SDQ_REASON=SDQ1` it passes.

use crate::rule;
use crate::rules::Flags;
use crate::rules::ssda903::common::{birthday, oc2_rows_in_cohort};
use crate::rules::ssda903::{Rule903, Ssda903};

rule! {
    /// A child turning 4 or 17 in the year in the OC2 cohort has neither an SDQ score nor a reason.
    pub const RULE: Rule903 = {
        code: "197B",
        message: "SDQ score or reason for no SDQ should be reported for 4- or 17-year-olds.",
        severity: Error,
        tables: ["OC2", "Episodes"],
        fields: ["SDQ_REASON", "DOB"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [],
        check: check,
    }
}

fn check(data: &Ssda903<'_>, flags: &mut Flags) {
    for row in oc2_rows_in_cohort(data) {
        let Some(dob) = row.dob().ok() else { continue };
        let turning = data.year.contains(birthday(dob, 4)) || data.year.contains(birthday(dob, 17));
        if turning && row.sdq_score().is_blank() && row.sdq_reason().is_blank() {
            flags.cells([row.at("SDQ_REASON"), row.at("DOB")]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::ssda903::fixture::{EPISODES, OC2, cells, dataset, flagged};
    use crate::source::Role;

    const EPISODE_ROWS: &str =
        "1,01/01/2022,S,C2,N1,U1,PR1,,,,,,\n2,01/01/2022,S,C2,N1,U1,PR1,,,,,,\n";

    #[test]
    fn a_reason_or_a_child_not_turning_4_or_17_passes() {
        let data = dataset(
            2026,
            Role::ThisYear,
            &[
                &format!("{EPISODES}{EPISODE_ROWS}"),
                &format!("{OC2}1,01/06/2021,,SDQ1,0,0,1,1,1,0,,\n2,01/06/2015,,,0,0,1,1,1,0,,\n"),
            ],
        );
        assert!(flagged(&RULE, &data, None, None).is_empty());
    }

    #[test]
    fn neither_score_nor_reason_at_4_is_flagged() {
        let data = dataset(
            2026,
            Role::ThisYear,
            &[
                &format!("{EPISODES}{EPISODE_ROWS}"),
                &format!("{OC2}1,01/06/2021,,,0,0,1,1,1,0,,\n"),
            ],
        );
        assert_eq!(
            flagged(&RULE, &data, None, None),
            vec![cells("OC2", 2, &["SDQ_REASON", "DOB"])]
        );
    }
}
