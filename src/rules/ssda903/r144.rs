//! # 144: legal status code is not valid
//!
//! Checks that an episode's `LS`, when given, is one of the year's legal status codes.
//!
//! ## Why
//! Legal status decides which children are counted as looked after and under which order.
//!
//! ## Example
//! `LS=V2` passes; `LS=C3` is flagged.

use crate::rule;
use crate::rules::Flags;
use crate::rules::ssda903::common::is_invalid;
use crate::rules::ssda903::{Rule903, Ssda903};

rule! {
    /// LS is not a code of the year's list.
    pub const RULE: Rule903 = {
        code: "144",
        message: "The legal status code is not a valid code.",
        severity: Error,
        tables: ["Episodes"],
        fields: ["LS"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [],
        check: check,
    }
}

fn check(data: &Ssda903<'_>, flags: &mut Flags) {
    for child in data.children() {
        for row in child.episodes() {
            if is_invalid(&row.ls(), false) {
                flags.cell(row.at("LS"));
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
                "{EPISODES}1,01/04/2025,S,V2,N1,U1,PR1,,,,,,\n2,01/04/2025,S,,N1,U1,PR1,,,,,,\n"
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
                "{EPISODES}1,01/04/2025,S,C3,N1,U1,PR1,,,,,,\n2,01/04/2025,S,V2,N1,U1,PR1,,,,,,\n3,01/04/2025,S,,N1,U1,PR1,,,,,,\n"
            )],
        );
        assert_eq!(
            flagged(&RULE, &data, None, None),
            vec![cell("Episodes", 2, "LS")]
        );
    }
}
