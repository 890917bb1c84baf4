//! # 196: SDQ reason is not a valid code
//!
//! Checks that `SDQ_REASON` (why no SDQ score was returned), when given, is one of SDQ1 to SDQ5.
//!
//! ## Why
//! The reasons SDQ scores are missing are monitored nationally.
//!
//! ## Example
//! `SDQ_REASON=SDQ5` passes; `SDQ_REASON=SDQ6` is flagged.

use crate::rule;
use crate::rules::Flags;
use crate::rules::ssda903::common::is_invalid;
use crate::rules::ssda903::{Rule903, Ssda903};

rule! {
    /// SDQ_REASON is not a code of the year's list.
    pub const RULE: Rule903 = {
        code: "196",
        message: "Strengths and Difficulties (SDQ) reason is not a valid code.",
        severity: Error,
        tables: ["OC2"],
        fields: ["SDQ_REASON"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [],
        check: check,
    }
}

fn check(data: &Ssda903<'_>, flags: &mut Flags) {
    for child in data.children() {
        for row in child.oc2() {
            if is_invalid(&row.sdq_reason(), false) {
                flags.cell(row.at("SDQ_REASON"));
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
                "{OC2}1,01/02/2015,10,SDQ5,0,0,1,1,1,0,,\n2,01/02/2015,10,,0,0,1,1,1,0,,\n"
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
                "{OC2}1,01/02/2015,10,SDQ6,0,0,1,1,1,0,,\n2,01/02/2015,10,SDQ5,0,0,1,1,1,0,,\n3,01/02/2015,10,,0,0,1,1,1,0,,\n"
            )],
        );
        assert_eq!(
            flagged(&RULE, &data, None, None),
            vec![cell("OC2", 2, "SDQ_REASON")]
        );
    }
}
