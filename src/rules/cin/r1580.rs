//! # 1580: LA child ID with characters other than letters and digits
//!
//! Checks that every LAchildID consists of letters and digits only (from 2024/25).
//!
//! ## Why
//! Spaces, hyphens and slashes in the LA's child identifier are lost or changed by the systems
//! the return passes through, and the id then no longer matches the child's other records.
//!
//! ## Example
//! `C1234` passes; `C-1234` and `C 1234` are flagged.

use crate::records::cin::ChildIdentifiers;
use crate::rule;
use crate::rules::Flags;
use crate::rules::cin::common::flag_identifiers;
use crate::rules::cin::{Cin, RuleCin};

rule! {
    /// An LA child ID has a character that is not a letter or a digit.
    pub const RULE: RuleCin = {
        code: "1580",
        message: "LA Child ID must not contain any non-alphanumeric characters",
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
        |id| !id.chars().all(char::is_alphanumeric),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::cin::fixture::{cell, census, child, flagged, line};

    #[test]
    fn letters_and_digits_pass() {
        let xml = child("C1234", "", "");
        assert!(flagged(&RULE, &census(2026, &xml)).is_empty());
    }

    #[test]
    fn punctuation_and_spaces_are_flagged() {
        let xml = [child("C-1234", "", ""), child("C 1234", "", "")].join("\n");
        assert_eq!(
            flagged(&RULE, &census(2026, &xml)),
            vec![
                cell("ChildIdentifiers", line(&xml, "C-1234"), "LAchildID"),
                cell("ChildIdentifiers", line(&xml, "C 1234"), "LAchildID"),
            ]
        );
    }
}
