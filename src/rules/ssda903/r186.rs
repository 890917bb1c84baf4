//! # 186: SDQ score missing for a child of SDQ age in the OC2 cohort
//!
//! Checks that a child in the OC2 cohort (looked after continuously for at least 12 months at
//! 31 March, [`continuously_looked_after`](super::common::continuously_looked_after)) who was 4
//! or over on 1 April and under 17 on 31 March has an SDQ score or a reason for not having one.
//! Ages use the OC2 row's DOB. The blank `SDQ_SCORE` and `SDQ_REASON` are flagged.
//!
//! ## Why
//! Carers complete the SDQ every year for children of these ages; the published average
//! emotional-wellbeing score is only as good as its coverage.
//!
//! ## Example
//! A 10-year-old in care since 2020 with `SDQ_SCORE=10` (or `SDQ_REASON=SDQ2`) passes; with both
//! blank it is flagged.

use crate::rule;
use crate::rules::Flags;
use crate::rules::ssda903::common::{birthday, oc2_rows_in_cohort};
use crate::rules::ssda903::{Rule903, Ssda903};

rule! {
    /// A child of SDQ age in the OC2 cohort has neither an SDQ score nor a reason.
    pub const RULE: Rule903 = {
        code: "186",
        message: "Children aged 4 or over at the start of the year and children aged under 17 at the end of the year and who have been looked after for at least 12 months continuously should have a Strengths and Difficulties (SDQ) score completed.",
        severity: Error,
        tables: ["Episodes", "OC2"],
        fields: ["SDQ_SCORE"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [],
        check: check,
    }
}

fn check(data: &Ssda903<'_>, flags: &mut Flags) {
    let (start, end) = (data.collection_start(), data.collection_end());
    for row in oc2_rows_in_cohort(data) {
        let Some(dob) = row.dob().ok() else { continue };
        if birthday(dob, 4) <= start
            && birthday(dob, 17) > end
            && row.sdq_score().is_blank()
            && row.sdq_reason().is_blank()
        {
            flags.cells([row.at("SDQ_SCORE"), row.at("SDQ_REASON")]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::ssda903::fixture::{EPISODES, OC2, cells, dataset, flagged};
    use crate::source::Role;

    const EPISODE_ROWS: &str = "1,01/01/2020,S,C2,N1,U1,PR1,,,,,,\n2,01/01/2020,S,C2,N1,U1,PR1,,,,,,\n3,01/01/2020,S,C2,N1,U1,PR1,,,,,,\n";

    #[test]
    fn scores_reasons_and_children_outside_the_ages_pass() {
        let data = dataset(
            2026,
            Role::ThisYear,
            &[
                &format!("{EPISODES}{EPISODE_ROWS}"),
                &format!(
                    "{OC2}1,01/02/2015,10,,0,0,1,1,1,0,,\n2,01/02/2015,,SDQ2,0,0,1,1,1,0,,\n3,01/02/2008,,,0,0,1,1,1,0,,\n"
                ),
            ],
        );
        assert!(flagged(&RULE, &data, None, None).is_empty());
    }

    #[test]
    fn a_child_of_sdq_age_without_score_or_reason_is_flagged() {
        let data = dataset(
            2026,
            Role::ThisYear,
            &[
                &format!("{EPISODES}{EPISODE_ROWS}"),
                &format!("{OC2}1,01/02/2015,,,0,0,1,1,1,0,,\n"),
            ],
        );
        assert_eq!(
            flagged(&RULE, &data, None, None),
            vec![cells("OC2", 2, &["SDQ_SCORE", "SDQ_REASON"])]
        );
    }
}
