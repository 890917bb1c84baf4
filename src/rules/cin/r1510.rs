//! # 1510: UPN check letter
//!
//! Checks the first character of every permanent UPN (13 characters, the last 12 digits) against
//! the DfE check letter: digit i (i = 2..13) weighted by i, summed, modulo 23, mapped to
//! `ABCDEFGHJKLMNPQRTUVWXYZ`.
//!
//! ## Why
//! The UPN links a child in need to the school census; a UPN with the wrong check letter was
//! mistyped and matches nobody (or the wrong child). Temporary UPNs (ending in a letter) carry no
//! check of this kind and are left to 1550.
//!
//! ## Example
//! `K012345678911` passes (the weighted sum is 400, 400 mod 23 = 9 → K); `A012345678911` is
//! flagged.

use crate::records::cin::ChildIdentifiers;
use crate::rule;
use crate::rules::Flags;
use crate::rules::cin::common::flag_identifiers;
use crate::rules::cin::{Cin, RuleCin};
use crate::upn::expected_first_letter;

rule! {
    /// A permanent UPN's first character is not its check letter.
    pub const RULE: RuleCin = {
        code: "1510",
        message: "UPN invalid (wrong check letter at character 1)",
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
        expected_first_letter(upn).is_some_and(|letter| !upn.starts_with(letter))
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::cin::fixture::{cell, census, children, flagged, line};

    #[test]
    fn right_check_letters_and_temporary_upns_pass() {
        let xml = children(&[
            "<UPN>K012345678911</UPN>",
            "<UPN>A000000000000</UPN>",
            "<UPN>Z01234567891A</UPN>",
            "<UPN>K0123</UPN>",
        ]);
        assert!(flagged(&RULE, &census(2026, &xml)).is_empty());
    }

    #[test]
    fn a_wrong_check_letter_is_flagged() {
        let xml = children(&["<UPN>A012345678911</UPN>", "<UPN>k012345678911</UPN>"]);
        assert_eq!(
            flagged(&RULE, &census(2026, &xml)),
            vec![
                cell("ChildIdentifiers", line(&xml, "A012345678911"), "UPN"),
                cell("ChildIdentifiers", line(&xml, "k012345678911"), "UPN"),
            ]
        );
    }
}
