//! # 149: reason episode ceased code is not valid
//!
//! Checks that an episode's `REC`, when given, is one of the year's reasons (E11 … E17, X1).
//! Whether it must be given is rule 148.
//!
//! ## Why
//! Reasons for leaving care (adoption, special guardianship, return home) are headline figures.
//!
//! ## Example
//! `REC=E11` passes; `REC=E1` is flagged.

use crate::rule;
use crate::rules::Flags;
use crate::rules::ssda903::common::is_invalid;
use crate::rules::ssda903::{Rule903, Ssda903};

rule! {
    /// REC is not a code of the year's list.
    pub const RULE: Rule903 = {
        code: "149",
        message: "Reason episode ceased code is not valid.",
        severity: Error,
        tables: ["Episodes"],
        fields: ["REC"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [],
        check: check,
    }
}

fn check(data: &Ssda903<'_>, flags: &mut Flags) {
    for child in data.children() {
        for row in child.episodes() {
            if is_invalid(&row.rec(), false) {
                flags.cell(row.at("REC"));
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
                "{EPISODES}1,01/04/2025,S,C2,N1,U1,PR1,,E11,,,,\n2,01/04/2025,S,C2,N1,U1,PR1,,,,,,\n"
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
                "{EPISODES}1,01/04/2025,S,C2,N1,U1,PR1,,E1,,,,\n2,01/04/2025,S,C2,N1,U1,PR1,,E11,,,,\n3,01/04/2025,S,C2,N1,U1,PR1,,,,,,\n"
            )],
        );
        assert_eq!(
            flagged(&RULE, &data, None, None),
            vec![cell("Episodes", 2, "REC")]
        );
    }
}
