//! # 8510: LA child ID used by more than one child
//!
//! Checks that no LAchildID appears on more than one ChildIdentifiers record; the records of a
//! repeated id are flagged together.
//!
//! ## Why
//! The LA's child id is the key of the whole census: every referral, plan and enquiry is joined
//! to the child through it. Two children with one id are merged into one, and their episodes
//! overlap or double up. Children without an id are 8500's.
//!
//! ## Example
//! Two `<Child>` elements both with LAchildID `C1` are flagged together; distinct ids pass.

use crate::rule;
use crate::rules::Flags;
use crate::rules::cin::{Cin, RuleCin};

rule! {
    /// Several child records share one LA child ID.
    pub const RULE: RuleCin = {
        code: "8510",
        message: "More than one child record with the same LA Child ID",
        severity: Error,
        tables: ["ChildIdentifiers"],
        fields: ["LAchildID"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [],
        check: check,
    }
}

fn check(data: &Cin<'_>, flags: &mut Flags) {
    for child in data.children() {
        let records = child.identifiers();
        if records.len() > 1 {
            flags.cells(records.iter().map(|r| r.at("LAchildID")));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::cin::fixture::{census, child, flagged, linked, nth_line};

    #[test]
    fn distinct_ids_and_missing_ids_pass() {
        let xml = [
            child("C1", "", ""),
            child("C2", "", ""),
            child("", "", ""),
            child("", "", ""),
        ]
        .join("\n");
        assert!(flagged(&RULE, &census(2026, &xml)).is_empty());
    }

    #[test]
    fn records_sharing_an_id_are_flagged_together() {
        let xml = [
            child("C1", "", ""),
            child("C2", "", ""),
            child("C1", "", ""),
        ]
        .join("\n");
        assert_eq!(
            flagged(&RULE, &census(2026, &xml)),
            vec![linked(&[
                ("ChildIdentifiers", nth_line(&xml, ">C1<", 0), "LAchildID"),
                ("ChildIdentifiers", nth_line(&xml, ">C1<", 1), "LAchildID"),
            ])]
        );
    }
}
