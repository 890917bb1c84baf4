//! # 1540: UPN characters 5–12 not numeric
//!
//! Checks that characters 5 to 12 of every UPN are digits (a UPN too short to have them fails).
//!
//! ## Why
//! After the check letter and LA code, a UPN carries the school's establishment number and a
//! serial number, all digits; anything else is a typing error or a local id in the wrong field.
//!
//! ## Example
//! `K383456789012` passes; `K3834567A9012` and `K3834` are flagged.

use crate::records::cin::ChildIdentifiers;
use crate::rule;
use crate::rules::Flags;
use crate::rules::cin::common::flag_identifiers;
use crate::rules::cin::{Cin, RuleCin};

rule! {
    /// Characters 5–12 of a UPN are not all digits.
    pub const RULE: RuleCin = {
        code: "1540",
        message: "UPN invalid (characters 5-12 not all numeric)",
        severity: Error,
        tables: ["ChildIdentifiers"],
        fields: ["UPN"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [],
        check: check,
    }
}

fn check(data: &Cin<'_>, flags: &mut Flags) {
    flag_identifiers(data, flags, "UPN", ChildIdentifiers::upn, |upn| {
        let middle: Vec<char> = upn.chars().skip(4).take(8).collect();
        middle.len() < 8 || !middle.iter().all(char::is_ascii_digit)
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::cin::fixture::{cell, census, children, flagged, line};

    #[test]
    fn digits_in_characters_5_to_12_pass() {
        let xml = children(&["<UPN>K383456789012</UPN>", "<UPN>K38345678901A</UPN>", ""]);
        assert!(flagged(&RULE, &census(2026, &xml)).is_empty());
    }

    #[test]
    fn letters_or_missing_characters_are_flagged() {
        let xml = children(&["<UPN>K3834567A9012</UPN>", "<UPN>K3834</UPN>"]);
        assert_eq!(
            flagged(&RULE, &census(2026, &xml)),
            vec![
                cell("ChildIdentifiers", line(&xml, "C1"), "UPN"),
                cell("ChildIdentifiers", line(&xml, "C2"), "UPN"),
            ]
        );
    }
}
