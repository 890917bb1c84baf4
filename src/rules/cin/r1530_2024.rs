//! # 1530 (2023/24 on): UPN LA code
//!
//! Checks that characters 2–4 of every 13-character UPN are a DfE LA code: the 2022/23 list plus
//! 942 (Cumberland) and 943 (Westmorland and Furness), created in April 2023.
//!
//! ## Why
//! A UPN is issued by the LA of the school that first registered the pupil; characters 2–4 name
//! that LA. Any other value means the UPN was mistyped or made up.
//!
//! ## Example
//! `K942456789012` passes from 2023/24; `K999456789012` is flagged.

use crate::rule;
use crate::rules::Flags;
use crate::rules::cin::common::{UPN_LA_CODES_2023, flag_upn_la_codes};
use crate::rules::cin::{Cin, RuleCin};

rule! {
    /// Characters 2–4 of a UPN are not an LA code.
    pub const RULE: RuleCin = {
        code: "1530",
        message: "UPN invalid (characters 2-4 not a recognised LA code)",
        severity: Error,
        tables: ["ChildIdentifiers"],
        fields: ["UPN"],
        years: [2024, 2025, 2026, 2027],
        needs: [],
        check: check,
    }
}

/// The LAs created in April 2023.
const NEW_IN_2023_24: &[(u16, u16)] = &[(942, 943)];

fn check(data: &Cin<'_>, flags: &mut Flags) {
    flag_upn_la_codes(data, flags, &[UPN_LA_CODES_2023, NEW_IN_2023_24]);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::cin::fixture::{cell, census, children, flagged, line};

    #[test]
    fn cumberland_and_westmorland_codes_pass() {
        let xml = children(&[
            "<UPN>K942456789012</UPN>",
            "<UPN>K943456789012</UPN>",
            "<UPN>K383456789012</UPN>",
        ]);
        assert!(flagged(&RULE, &census(2024, &xml)).is_empty());
    }

    #[test]
    fn unknown_codes_are_flagged() {
        let xml = children(&["<UPN>K944456789012</UPN>", "<UPN>K000456789012</UPN>"]);
        assert_eq!(
            flagged(&RULE, &census(2026, &xml)),
            vec![
                cell("ChildIdentifiers", line(&xml, "C1"), "UPN"),
                cell("ChildIdentifiers", line(&xml, "C2"), "UPN"),
            ]
        );
    }
}
