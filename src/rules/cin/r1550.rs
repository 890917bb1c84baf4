//! # 1550: UPN character 13
//!
//! Checks that the last character of every 13-character UPN is a digit or a capital letter other
//! than I, O and S.
//!
//! ## Why
//! A permanent UPN ends in a digit; a temporary one ends in a check letter, and the DfE never
//! uses I, O or S (they read as 1, 0 and 5). Any other ending is a typing error.
//!
//! ## Example
//! `K383456789012` and `K38345678901A` pass; `K38345678901O` and `K38345678901a` are flagged.

use crate::records::cin::ChildIdentifiers;
use crate::rule;
use crate::rules::Flags;
use crate::rules::cin::common::flag_identifiers;
use crate::rules::cin::{Cin, RuleCin};

rule! {
    /// The 13th character of a UPN is not a digit or an allowed letter.
    pub const RULE: RuleCin = {
        code: "1550",
        message: "UPN invalid (character 13 not a recognised value)",
        severity: Error,
        tables: ["ChildIdentifiers"],
        fields: ["UPN"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [],
        check: check,
    }
}

fn check(data: &Cin<'_>, flags: &mut Flags) {
    let allowed = |c: char| c.is_ascii_digit() || (c.is_ascii_uppercase() && !"IOS".contains(c));
    flag_identifiers(data, flags, "UPN", ChildIdentifiers::upn, |upn| {
        upn.chars().count() == 13 && !upn.chars().last().is_some_and(allowed)
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::cin::fixture::{cell, census, children, flagged, line};

    #[test]
    fn digits_and_check_letters_pass() {
        let xml = children(&[
            "<UPN>K383456789012</UPN>",
            "<UPN>K38345678901A</UPN>",
            "<UPN>K38345678901Z</UPN>",
            "<UPN>K3834567890O</UPN>",
        ]);
        assert!(flagged(&RULE, &census(2026, &xml)).is_empty());
    }

    #[test]
    fn i_o_s_lower_case_and_symbols_are_flagged() {
        let xml = children(&[
            "<UPN>K38345678901I</UPN>",
            "<UPN>K38345678901O</UPN>",
            "<UPN>K38345678901S</UPN>",
            "<UPN>K38345678901a</UPN>",
            "<UPN>K38345678901-</UPN>",
        ]);
        let expected: Vec<_> = ["C1", "C2", "C3", "C4", "C5"]
            .iter()
            .map(|id| cell("ChildIdentifiers", line(&xml, id), "UPN"))
            .collect();
        assert_eq!(flagged(&RULE, &census(2026, &xml)), expected);
    }
}
