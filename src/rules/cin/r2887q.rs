//! # 2887Q: fewer than 8 disability codes used
//!
//! Counts the distinct disability codes (other than `NONE`) used anywhere in the return and
//! queries the return when there are fewer than 8.
//!
//! ## Why
//! Across an LA's children in need, most of the 12 disability categories occur; a return using
//! only a few of them suggests disabilities are not being recorded or exported in full. It is a
//! property of the whole return, so it has no row.
//!
//! The reference validator counts the children recorded with `NONE` instead (and queries when
//! there are 7 or fewer of them), which is unrelated to the DfE message
//! (`tests/oracle/divergences.md`).
//!
//! ## Example
//! A return using MOB, HAND, PC, INC, COMM, LD, HEAR and VIS passes; one using only AUT, LD and
//! NONE is queried.

use std::collections::HashSet;

use crate::rule;
use crate::rules::Flags;
use crate::rules::cin::{Cin, RuleCin};

rule! {
    /// Fewer than 8 distinct disability codes occur in the return.
    pub const RULE: RuleCin = {
        code: "2887Q",
        message: "Please check and either amend or provide a reason: Less than 8 disability codes have been used in your return",
        severity: Query,
        tables: ["Disabilities"],
        fields: ["Disability"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [],
        check: check,
    }
}

fn check(data: &Cin<'_>, flags: &mut Flags) {
    let mut used = HashSet::new();
    for child in data.children() {
        for disability in child.disabilities() {
            if let Some(code) = disability.disability().ok().filter(|c| *c != "NONE") {
                used.insert(code);
            }
        }
    }
    if used.len() < 8 {
        flags.whole_return();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::cin::fixture::{census, disabled_child, flagged};

    fn children_with(codes: &[&str]) -> String {
        codes
            .iter()
            .enumerate()
            .map(|(i, code)| disabled_child(&format!("C{i}"), "", &[code], ""))
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn eight_codes_pass() {
        let xml = children_with(&[
            "MOB", "HAND", "PC", "INC", "COMM", "LD", "HEAR", "VIS", "NONE",
        ]);
        assert!(flagged(&RULE, &census(2026, &xml)).is_empty());
    }

    #[test]
    fn fewer_than_eight_codes_are_queried_for_the_return_however_many_children() {
        let xml = children_with(&[
            "AUT", "LD", "LD", "NONE", "NONE", "NONE", "AUT", "BEH", "XYZ",
        ]);
        assert_eq!(
            flagged(&RULE, &census(2026, &xml)),
            vec![vec![("return".into(), 0, String::new())]]
        );
    }
}
