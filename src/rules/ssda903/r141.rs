//! # 141: date episode began is not a valid date
//!
//! Checks that an episode's `DECOM`, when given, is a real date in the DfE format `dd/mm/YYYY`. A
//! blank DECOM is a missing mandatory value, reported by the structural checks.
//!
//! ## Why
//! Every episode rule orders and compares episodes by their start date.
//!
//! ## Example
//! `DECOM=01/04/2025` passes; `DECOM=31/04/2025` is flagged.

use crate::rule;
use crate::rules::Flags;
use crate::rules::ssda903::common::is_invalid;
use crate::rules::ssda903::{Rule903, Ssda903};

rule! {
    /// The episode's start date is not a valid date.
    pub const RULE: Rule903 = {
        code: "141",
        message: "Date episode began is not a valid date.",
        severity: Error,
        tables: ["Episodes"],
        fields: ["DECOM"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [],
        check: check,
    }
}

fn check(data: &Ssda903<'_>, flags: &mut Flags) {
    for child in data.children() {
        for row in child.episodes() {
            if is_invalid(&row.decom(), false) {
                flags.cell(row.at("DECOM"));
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
                "{EPISODES}1,01/04/2025,S,C2,N1,U1,PR1,,,,,,\n2,,S,C2,N1,U1,PR1,,,,,,\n"
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
                "{EPISODES}1,31/04/2025,S,C2,N1,U1,PR1,,,,,,\n2,01/04/2025,S,C2,N1,U1,PR1,,,,,,\n3,,S,C2,N1,U1,PR1,,,,,,\n"
            )],
        );
        assert_eq!(
            flagged(&RULE, &data, None, None),
            vec![cell("Episodes", 2, "DECOM")]
        );
    }
}
