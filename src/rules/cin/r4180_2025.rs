//! # 4180 (2024/25 on): sex missing or invalid
//!
//! Checks that every child has a `Sex` of M, F or U (unknown, also used for unborn children).
//!
//! ## Why
//! Sex is mandatory from 2024/25, replacing gender; U exists for children whose sex is not known,
//! so a blank or any other value means the case system's field did not map.
//!
//! ## Example
//! `<Sex>F</Sex>` passes; no Sex, `2` or `X` is flagged.

use crate::rule;
use crate::rules::Flags;
use crate::rules::cin::{Cin, RuleCin};

rule! {
    /// A child's sex is missing or not M, F or U.
    pub const RULE: RuleCin = {
        code: "4180",
        message: "Sex must be provided and equal M, F, or U",
        severity: Error,
        tables: ["ChildIdentifiers"],
        fields: ["Sex"],
        years: [2025, 2026, 2027],
        needs: [],
        check: check,
    }
}

fn check(data: &Cin<'_>, flags: &mut Flags) {
    for child in data.children() {
        for identifiers in child.identifiers() {
            if identifiers.sex().ok().is_none() {
                flags.cell(identifiers.at("Sex"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::cin::fixture::{cell, census, child, children, flagged, line};

    #[test]
    fn m_f_and_u_pass() {
        let xml = ["M", "F", "U"]
            .iter()
            .map(|s| child(&format!("C{s}"), &format!("<Sex>{s}</Sex>"), ""))
            .collect::<Vec<_>>()
            .join("\n");
        assert!(flagged(&RULE, &census(2025, &xml)).is_empty());
    }

    #[test]
    fn missing_and_other_values_are_flagged() {
        let xml = children(&["", "<Sex>2</Sex>", "<Sex>X</Sex>"]);
        let expected: Vec<_> = ["C1", "C2", "C3"]
            .iter()
            .map(|id| cell("ChildIdentifiers", line(&xml, id), "Sex"))
            .collect();
        assert_eq!(flagged(&RULE, &census(2026, &xml)), expected);
    }
}
