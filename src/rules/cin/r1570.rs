//! # 1570: LA child ID longer than 20 characters
//!
//! Checks that no LAchildID is longer than 20 characters (from 2024/25).
//!
//! ## Why
//! The DfE stores the LA's child identifier in a 20-character field; a longer id is cut and no
//! longer matches the child's other records (last year's census, the SSDA903).
//!
//! ## Example
//! `C1234567890123456789` (20 characters) passes; `C12345678901234567890` (21) is flagged.

use crate::records::cin::ChildIdentifiers;
use crate::rule;
use crate::rules::Flags;
use crate::rules::cin::common::flag_identifiers;
use crate::rules::cin::{Cin, RuleCin};

rule! {
    /// An LA child ID is longer than 20 characters.
    pub const RULE: RuleCin = {
        code: "1570",
        message: "LA Child ID must not be longer than 20 characters",
        severity: Error,
        tables: ["ChildIdentifiers"],
        fields: ["LAchildID"],
        years: [2025, 2026, 2027],
        needs: [],
        check: check,
    }
}

fn check(data: &Cin<'_>, flags: &mut Flags) {
    flag_identifiers(
        data,
        flags,
        "LAchildID",
        ChildIdentifiers::la_child_id,
        |id| id.chars().count() > 20,
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::cin::fixture::{cell, census, child, flagged, line};

    #[test]
    fn twenty_characters_pass() {
        let xml = child("C1234567890123456789", "", "");
        assert!(flagged(&RULE, &census(2026, &xml)).is_empty());
    }

    #[test]
    fn twenty_one_characters_are_flagged() {
        let xml = child("C12345678901234567890", "", "");
        assert_eq!(
            flagged(&RULE, &census(2026, &xml)),
            vec![cell(
                "ChildIdentifiers",
                line(&xml, "<ChildIdentifiers>"),
                "LAchildID"
            )]
        );
    }
}
