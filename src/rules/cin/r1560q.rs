//! # 1560Q: former UPN wrongly formatted
//!
//! Queries every former UPN that is not a letter followed by 12 digits.
//!
//! ## Why
//! A former UPN is the permanent UPN a child had before; it lets the DfE follow the child across
//! a change of UPN. A temporary UPN (ending in a letter) or any other shape cannot be matched,
//! so the LA is asked to check it.
//!
//! ## Example
//! `K383456789012` passes; `K38345678901A`, `3834567890123` and `K3834` are queried.

use crate::records::cin::ChildIdentifiers;
use crate::rule;
use crate::rules::Flags;
use crate::rules::cin::common::flag_identifiers;
use crate::rules::cin::{Cin, RuleCin};

rule! {
    /// A former UPN is not a letter and 12 digits.
    pub const RULE: RuleCin = {
        code: "1560Q",
        message: "Please check and either amend or provide a reason: Former UPN wrongly formatted",
        severity: Query,
        tables: ["ChildIdentifiers"],
        fields: ["FormerUPN"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [],
        check: check,
    }
}

fn check(data: &Cin<'_>, flags: &mut Flags) {
    flag_identifiers(
        data,
        flags,
        "FormerUPN",
        ChildIdentifiers::former_upn,
        |former| {
            let mut chars = former.chars();
            let well_formed = chars.next().is_some_and(char::is_alphabetic)
                && chars.clone().count() == 12
                && chars.all(|c| c.is_ascii_digit());
            !well_formed
        },
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::cin::fixture::{cell, census, children, flagged, line};

    #[test]
    fn a_letter_and_twelve_digits_pass() {
        let xml = children(&["<FormerUPN>K383456789012</FormerUPN>", ""]);
        assert!(flagged(&RULE, &census(2026, &xml)).is_empty());
    }

    #[test]
    fn temporary_and_malformed_former_upns_are_queried() {
        let xml = children(&[
            "<FormerUPN>K38345678901A</FormerUPN>",
            "<FormerUPN>3834567890123</FormerUPN>",
            "<FormerUPN>K3834</FormerUPN>",
        ]);
        let expected: Vec<_> = ["C1", "C2", "C3"]
            .iter()
            .map(|id| cell("ChildIdentifiers", line(&xml, id), "FormerUPN"))
            .collect();
        assert_eq!(flagged(&RULE, &census(2026, &xml)), expected);
    }
}
