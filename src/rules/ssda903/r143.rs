//! # 143: reason for new episode code is not valid
//!
//! Checks that an episode's `RNE`, when given, is one of S, L, P, T, U, B.
//!
//! ## Why
//! RNE says why an episode started (a new period of care or a change within one); starts to be
//! looked after and placement moves are counted from it.
//!
//! ## Example
//! `RNE=P` passes; `RNE=X` is flagged.

use crate::rule;
use crate::rules::Flags;
use crate::rules::ssda903::common::is_invalid;
use crate::rules::ssda903::{Rule903, Ssda903};

rule! {
    /// RNE is not a code of the year's list.
    pub const RULE: Rule903 = {
        code: "143",
        message: "The reason for new episode code is not a valid code.",
        severity: Error,
        tables: ["Episodes"],
        fields: ["RNE"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [],
        check: check,
    }
}

fn check(data: &Ssda903<'_>, flags: &mut Flags) {
    for child in data.children() {
        for row in child.episodes() {
            if is_invalid(&row.rne(), false) {
                flags.cell(row.at("RNE"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::ssda903::fixture::{EPISODES, cell, dataset, flagged};
    use crate::source::Role;

    #[test]
    fn valid_values_pass() {
        let data = dataset(
            2026,
            Role::ThisYear,
            &[&format!(
                "{EPISODES}1,01/04/2025,P,C2,N1,U1,PR1,,,,,,\n2,01/04/2025,,C2,N1,U1,PR1,,,,,,\n"
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
                "{EPISODES}1,01/04/2025,X,C2,N1,U1,PR1,,,,,,\n2,01/04/2025,P,C2,N1,U1,PR1,,,,,,\n3,01/04/2025,,C2,N1,U1,PR1,,,,,,\n"
            )],
        );
        assert_eq!(
            flagged(&RULE, &data, None, None),
            vec![cell("Episodes", 2, "RNE")]
        );
    }
}
