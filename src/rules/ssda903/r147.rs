//! # 147: date episode ceased is not a valid date
//!
//! Checks that an episode's `DEC`, when given, is a real date in the DfE format `dd/mm/YYYY`. A
//! blank DEC means the episode was open on 31 March.
//!
//! ## Why
//! Episode ends define periods of care, leaving care and every duration measure.
//!
//! ## Example
//! `DEC=01/06/2025` passes; `DEC=31/06/2025` is flagged.

use crate::rule;
use crate::rules::Flags;
use crate::rules::ssda903::common::is_invalid;
use crate::rules::ssda903::{Rule903, Ssda903};

rule! {
    /// The episode's end date is not a valid date.
    pub const RULE: Rule903 = {
        code: "147",
        message: "Date episode ceased is not a valid date.",
        severity: Error,
        tables: ["Episodes"],
        fields: ["DEC"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [],
        check: check,
    }
}

fn check(data: &Ssda903<'_>, flags: &mut Flags) {
    for child in data.children() {
        for row in child.episodes() {
            if is_invalid(&row.dec(), false) {
                flags.cell(row.at("DEC"));
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
                "{EPISODES}1,01/04/2025,S,C2,N1,U1,PR1,01/06/2025,,,,,\n2,01/04/2025,S,C2,N1,U1,PR1,,,,,,\n"
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
                "{EPISODES}1,01/04/2025,S,C2,N1,U1,PR1,31/06/2025,,,,,\n2,01/04/2025,S,C2,N1,U1,PR1,01/06/2025,,,,,\n3,01/04/2025,S,C2,N1,U1,PR1,,,,,,\n"
            )],
        );
        assert_eq!(
            flagged(&RULE, &data, None, None),
            vec![cell("Episodes", 2, "DEC")]
        );
    }
}
