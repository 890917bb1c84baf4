//! # 4180 (2022/23–2023/24): gender missing
//!
//! Checks that every child has a `GenderCurrent` of the DfE list: 1 (male), 2 (female), 0 (not
//! recorded or unborn) or 9 (indeterminate).
//!
//! ## Why
//! Gender is mandatory; 0 is there for children whose gender is not known. A blank or an unknown
//! code means the case system's field did not map. From 2024/25 the census records sex instead
//! (see that version).
//!
//! ## Example
//! `<GenderCurrent>2</GenderCurrent>` passes; no GenderCurrent or `F` is flagged.

use crate::rule;
use crate::rules::Flags;
use crate::rules::cin::{Cin, RuleCin};

rule! {
    /// A child's gender is missing or not a code of the list.
    pub const RULE: RuleCin = {
        code: "4180",
        message: "Gender is missing",
        severity: Error,
        tables: ["ChildIdentifiers"],
        fields: ["GenderCurrent"],
        years: [2023, 2024],
        needs: [],
        check: check,
    }
}

fn check(data: &Cin<'_>, flags: &mut Flags) {
    for child in data.children() {
        for identifiers in child.identifiers() {
            if identifiers.gender_current().ok().is_none() {
                flags.cell(identifiers.at("GenderCurrent"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::cin::fixture::{cell, census, child, children, flagged, line};

    #[test]
    fn listed_codes_pass() {
        let xml = ["1", "2", "0", "9"]
            .iter()
            .map(|g| {
                child(
                    &format!("C{g}"),
                    &format!("<GenderCurrent>{g}</GenderCurrent>"),
                    "",
                )
            })
            .collect::<Vec<_>>()
            .join("\n");
        assert!(flagged(&RULE, &census(2024, &xml)).is_empty());
    }

    #[test]
    fn missing_and_unknown_codes_are_flagged() {
        let xml = children(&["", "<GenderCurrent>F</GenderCurrent>"]);
        assert_eq!(
            flagged(&RULE, &census(2023, &xml)),
            vec![
                cell("ChildIdentifiers", line(&xml, "C1"), "GenderCurrent"),
                cell("ChildIdentifiers", line(&xml, "C2"), "GenderCurrent"),
            ]
        );
    }
}
