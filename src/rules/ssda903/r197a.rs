//! # 197a: reason for no SDQ score given with a score
//!
//! Checks that an OC2 row does not give both `SDQ_SCORE` and `SDQ_REASON`.
//!
//! ## Why
//! The reason explains a missing score; with a score present it contradicts it.
//!
//! ## Example
//! `SDQ_SCORE=10` alone passes, as does `SDQ_REASON=SDQ2` alone; both together are flagged.

use crate::rule;
use crate::rules::Flags;
use crate::rules::ssda903::{Rule903, Ssda903};

rule! {
    /// An OC2 row has both an SDQ score and a reason for no score.
    pub const RULE: Rule903 = {
        code: "197a",
        message: "Reason for no Strengths and Difficulties (SDQ) score is not required if Strengths and Difficulties Questionnaire score is filled in.",
        severity: Error,
        tables: ["OC2"],
        fields: ["SDQ_SCORE", "SDQ_REASON"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [],
        check: check,
    }
}

fn check(data: &Ssda903<'_>, flags: &mut Flags) {
    for child in data.children() {
        for row in child.oc2() {
            if row.sdq_score().is_present() && row.sdq_reason().is_present() {
                flags.cells([row.at("SDQ_SCORE"), row.at("SDQ_REASON")]);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::ssda903::fixture::{OC2, cells, dataset, flagged};
    use crate::source::Role;

    #[test]
    fn a_score_or_a_reason_passes() {
        let data = dataset(
            2026,
            Role::ThisYear,
            &[&format!(
                "{OC2}1,01/02/2015,10,,0,0,1,1,1,0,,\n2,01/02/2015,,SDQ2,0,0,1,1,1,0,,\n"
            )],
        );
        assert!(flagged(&RULE, &data, None, None).is_empty());
    }

    #[test]
    fn a_score_with_a_reason_is_flagged() {
        let data = dataset(
            2026,
            Role::ThisYear,
            &[&format!("{OC2}1,01/02/2015,10,SDQ2,0,0,1,1,1,0,,\n")],
        );
        assert_eq!(
            flagged(&RULE, &data, None, None),
            vec![cells("OC2", 2, &["SDQ_SCORE", "SDQ_REASON"])]
        );
    }
}
