//! # 1530 (2022/23): UPN LA code
//!
//! Checks that characters 2–4 of every 13-character UPN are a DfE LA code (post-April 1998 codes
//! and the pseudo-LA codes of the DfE UPN guide), as the list stood in 2022/23.
//!
//! ## Why
//! A UPN is issued by the LA of the school that first registered the pupil; characters 2–4 name
//! that LA. Any other value means the UPN was mistyped or made up. 2023/24 added the codes of
//! Cumberland (942) and Westmorland and Furness (943): see the 2023/24 version.
//!
//! ## Example
//! `K383456789012` passes (383 Leeds); `K999456789012` and, in 2022/23, `K942456789012` are
//! flagged.

use crate::rule;
use crate::rules::Flags;
use crate::rules::cin::common::{UPN_LA_CODES_2023, flag_upn_la_codes};
use crate::rules::cin::{Cin, RuleCin};

rule! {
    /// Characters 2–4 of a UPN are not an LA code of 2022/23.
    pub const RULE: RuleCin = {
        code: "1530",
        message: "UPN invalid (characters 2-4 not a recognised LA code)",
        severity: Error,
        tables: ["ChildIdentifiers"],
        fields: ["UPN"],
        years: [2023],
        needs: [],
        check: check,
    }
}

fn check(data: &Cin<'_>, flags: &mut Flags) {
    flag_upn_la_codes(data, flags, &[UPN_LA_CODES_2023]);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::cin::fixture::{cell, census, children, flagged, line};

    #[test]
    fn recognised_codes_and_other_lengths_pass() {
        let xml = children(&[
            "<UPN>K383456789012</UPN>",
            "<UPN>K001456789012</UPN>",
            "<UPN>K999</UPN>",
        ]);
        assert!(flagged(&RULE, &census(2023, &xml)).is_empty());
    }

    #[test]
    fn unknown_codes_and_the_2023_24_codes_are_flagged() {
        let xml = children(&[
            "<UPN>K999456789012</UPN>",
            "<UPN>K942456789012</UPN>",
            "<UPN>K1A3456789012</UPN>",
        ]);
        assert_eq!(
            flagged(&RULE, &census(2023, &xml)),
            vec![
                cell("ChildIdentifiers", line(&xml, "C1"), "UPN"),
                cell("ChildIdentifiers", line(&xml, "C2"), "UPN"),
                cell("ChildIdentifiers", line(&xml, "C3"), "UPN"),
            ]
        );
    }
}
