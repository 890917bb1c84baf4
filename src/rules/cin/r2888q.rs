//! # 2888Q: only one disability recorded per child
//!
//! Queries the return when children have disabilities recorded but none has more than one
//! (distinct codes other than `NONE`).
//!
//! ## Why
//! Many disabled children have several disabilities (autism and learning, for example). A return
//! where no child has more than one suggests the case system exports only the first. It is a
//! property of the whole return, so it has no row; a return without any disability is left to
//! 2887Q.
//!
//! ## Example
//! One child with AUT and LD passes; every child with a single code is queried.

use std::collections::HashSet;

use crate::rule;
use crate::rules::Flags;
use crate::rules::cin::{Cin, RuleCin};

rule! {
    /// Some children have a disability, but none has more than one.
    pub const RULE: RuleCin = {
        code: "2888Q",
        message: "Please check and either amend or provide a reason: Only one disability code is recorded per child and multiple disabilities should be recorded where possible.",
        severity: Query,
        tables: ["Disabilities"],
        fields: ["Disability"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [],
        check: check,
    }
}

fn check(data: &Cin<'_>, flags: &mut Flags) {
    let mut most = 0;
    for child in data.children() {
        let codes: HashSet<&str> = child
            .disabilities()
            .iter()
            .filter_map(|d| d.disability().ok())
            .filter(|code| *code != "NONE")
            .collect();
        most = most.max(codes.len());
    }
    if most == 1 {
        flags.whole_return();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::cin::fixture::{census, child, disabled_child, flagged};

    fn disabled(id: &str, codes: &[&str]) -> String {
        disabled_child(id, "", codes, "")
    }

    #[test]
    fn a_child_with_two_disabilities_or_none_at_all_passes() {
        let xml = [disabled("C1", &["AUT"]), disabled("C2", &["AUT", "LD"])].join("\n");
        assert!(flagged(&RULE, &census(2026, &xml)).is_empty());
        let xml = [disabled("C1", &["NONE"]), child("C2", "", "")].join("\n");
        assert!(flagged(&RULE, &census(2026, &xml)).is_empty());
    }

    #[test]
    fn one_code_per_child_is_queried_for_the_return() {
        let xml = [
            disabled("C1", &["AUT", "NONE"]),
            disabled("C2", &["LD", "LD"]),
            disabled("C3", &["NONE"]),
        ]
        .join("\n");
        assert_eq!(
            flagged(&RULE, &census(2026, &xml)),
            vec![vec![("return".into(), 0, String::new())]]
        );
    }
}
