//! # 180: strengths and difficulties questionnaire score is invalid
//!
//! Checks that `SDQ_SCORE`, when given, is a whole number from 0 to 40.
//!
//! ## Why
//! The SDQ total score measures the emotional and behavioural health of children looked after;
//! the national average is published.
//!
//! ## Example
//! `SDQ_SCORE=40` passes; `SDQ_SCORE=41` is flagged.

use crate::rule;
use crate::rules::Flags;
use crate::rules::ssda903::common::is_invalid;
use crate::rules::ssda903::{Rule903, Ssda903};

rule! {
    /// SDQ_SCORE is not a whole number from 0 to 40.
    pub const RULE: Rule903 = {
        code: "180",
        message: "Data entry for the strengths and difficulties questionnaire (SDQ) score is invalid.",
        severity: Error,
        tables: ["OC2"],
        fields: ["SDQ_SCORE"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [],
        check: check,
    }
}

fn check(data: &Ssda903<'_>, flags: &mut Flags) {
    for child in data.children() {
        for row in child.oc2() {
            if is_invalid(&row.sdq_score(), false) {
                flags.cell(row.at("SDQ_SCORE"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::ssda903::fixture::{OC2, cell, dataset, flagged};
    use crate::source::Role;

    #[test]
    fn valid_values_pass() {
        let data = dataset(
            2026,
            Role::ThisYear,
            &[&format!(
                "{OC2}1,01/02/2015,40,,0,0,1,1,1,0,,\n2,01/02/2015,,,0,0,1,1,1,0,,\n"
            )],
        );
        assert!(flagged(&RULE, &data, None, None).is_empty());
    }

    #[test]
    fn invalid_value_is_flagged_on_the_cell() {
        let data = dataset(
            2026,
            Role::ThisYear,
            &[&format!(
                "{OC2}1,01/02/2015,41,,0,0,1,1,1,0,,\n2,01/02/2015,40,,0,0,1,1,1,0,,\n3,01/02/2015,,,0,0,1,1,1,0,,\n"
            )],
        );
        assert_eq!(
            flagged(&RULE, &data, None, None),
            vec![cell("OC2", 2, "SDQ_SCORE")]
        );
    }
}
