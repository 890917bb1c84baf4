//! # 157: SDQ1 given as the reason for no score for a child of SDQ age
//!
//! Checks children in the OC2 cohort (looked after continuously for 12 months at 31 March,
//! [`continuously_looked_after`](super::common::continuously_looked_after)) who were 4 or over on
//! 1 April and whose 16th birthday is not before 31 March: such a child with no SDQ score must
//! not give `SDQ1` ("child aged under 4 or over 16") as the reason. Ages use the OC2 row's DOB.
//!
//! ## Why
//! SDQ1 excuses a child outside the SDQ age range; for a child inside it the reason is wrong and
//! hides a missing assessment.
//!
//! ## Example
//! In 2025/26 a child born 01/02/2015 (10) in care since 2020 with `SDQ_REASON=SDQ1` is flagged;
//! with `SDQ_REASON=SDQ4` it passes.

use crate::rule;
use crate::rules::Flags;
use crate::rules::ssda903::common::{birthday, oc2_rows_in_cohort};
use crate::rules::ssda903::{Rule903, Ssda903};

rule! {
    /// A child of SDQ age in the OC2 cohort has SDQ1 as the reason for no SDQ score.
    pub const RULE: Rule903 = {
        code: "157",
        message: "Child is aged 4 years or over at the beginning of the year or 16 years or under at the end of the year and Strengths and Difficulties Questionnaire (SDQ) 1 has been recorded as the reason for no Strengths and Difficulties Questionnaire (SDQ) score.",
        severity: Error,
        tables: ["OC2", "Episodes"],
        fields: ["SDQ_REASON", "DOB"],
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
            && birthday(dob, 16) >= end
            && row.sdq_score().is_blank()
            && row.sdq_reason().is("SDQ1")
        {
            flags.cells([row.at("SDQ_REASON"), row.at("DOB")]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::ssda903::fixture::{EPISODES, OC2, cells, dataset, flagged};
    use crate::source::Role;

    const IN_CARE: &str = "1,01/01/2020,S,C2,N1,U1,PR1,,,,,,\n2,01/01/2020,S,C2,N1,U1,PR1,,,,,,\n";

    #[test]
    fn other_reasons_and_children_outside_the_ages_pass() {
        let data = dataset(
            2026,
            Role::ThisYear,
            &[
                &format!("{EPISODES}{IN_CARE}"),
                &format!(
                    "{OC2}1,01/02/2015,,SDQ4,0,0,1,1,1,0,,\n2,01/02/2023,,SDQ1,0,0,1,1,1,0,,\n"
                ),
            ],
        );
        assert!(flagged(&RULE, &data, None, None).is_empty());
    }

    #[test]
    fn sdq1_for_a_child_of_sdq_age_is_flagged() {
        let data = dataset(
            2026,
            Role::ThisYear,
            &[
                &format!("{EPISODES}{IN_CARE}"),
                &format!("{OC2}1,01/02/2015,,SDQ1,0,0,1,1,1,0,,\n"),
            ],
        );
        assert_eq!(
            flagged(&RULE, &data, None, None),
            vec![cells("OC2", 2, &["SDQ_REASON", "DOB"])]
        );
    }
}
