//! # 4220: ethnicity missing or invalid
//!
//! Checks that every child's `Ethnicity` is one of the DfE ethnicity codes.
//!
//! ## Why
//! Ethnicity is mandatory for every child in need (REFU and NOBT exist for refused and not yet
//! obtained); national statistics break every count down by it.
//!
//! ## Example
//! `<Ethnicity>WBRI</Ethnicity>` passes; a missing ethnicity or `WB` is flagged.

use crate::rule;
use crate::rules::Flags;
use crate::rules::cin::{Cin, RuleCin};

rule! {
    /// A child's ethnicity is missing or not a DfE code.
    pub const RULE: RuleCin = {
        code: "4220",
        message: "Ethnicity is missing or invalid (see Ethnicity table)",
        severity: Error,
        tables: ["ChildCharacteristics"],
        fields: ["Ethnicity"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [],
        check: check,
    }
}

fn check(data: &Cin<'_>, flags: &mut Flags) {
    for child in data.children() {
        for characteristics in child.characteristics() {
            if characteristics.ethnicity().ok().is_none() {
                flags.cell(characteristics.at("Ethnicity"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::cin::fixture::{cell, census, flagged, line};

    fn child(id: &str, ethnicity: &str) -> String {
        format!(
            "<Child>\n<ChildIdentifiers><LAchildID>{id}</LAchildID></ChildIdentifiers>\n<ChildCharacteristics>{ethnicity}</ChildCharacteristics>\n</Child>"
        )
    }

    #[test]
    fn dfe_codes_pass() {
        let xml = [
            child("C1", "<Ethnicity>WBRI</Ethnicity>"),
            child("C2", "<Ethnicity>NOBT</Ethnicity>"),
        ]
        .join("\n");
        assert!(flagged(&RULE, &census(2026, &xml)).is_empty());
    }

    #[test]
    fn missing_and_unknown_codes_are_flagged() {
        let xml = [child("C1", ""), child("C2", "<Ethnicity>WB</Ethnicity>")].join("\n");
        assert_eq!(
            flagged(&RULE, &census(2026, &xml)),
            vec![
                cell("ChildCharacteristics", line(&xml, "C1") + 1, "Ethnicity"),
                cell("ChildCharacteristics", line(&xml, "C2") + 1, "Ethnicity"),
            ]
        );
    }
}
