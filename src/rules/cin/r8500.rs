//! # 8500: LA child ID missing
//!
//! Checks that every child has an `LAchildID`.
//!
//! ## Why
//! The LA's child identifier links a child's referrals across censuses and to the SSDA903; a child
//! without one cannot be matched or counted once. The reference validator usually crashes on a
//! missing id (oracle-defects B, 8500); csc-returns flags the child's ChildIdentifiers row and keeps
//! the child, keyed by where it is in the file, for every other rule.
//!
//! ## Example
//! `<ChildIdentifiers><LAchildID>C1</LAchildID>…` passes; `<LAchildID/>` or no `<LAchildID>` is
//! flagged on the ChildIdentifiers row.

use crate::rule;
use crate::rules::Flags;
use crate::rules::cin::{Cin, RuleCin};

rule! {
    /// The child has no LA child ID.
    pub const RULE: RuleCin = {
        code: "8500",
        message: "LA Child ID missing",
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
        for identifiers in child.identifiers() {
            if identifiers.la_child_id().is_blank() {
                flags.cell(identifiers.at("LAchildID"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::cin::fixture::{cell, census, flagged};

    fn child(id: &str) -> String {
        format!(
            "<Child>\n<ChildIdentifiers>\n{id}\n<PersonBirthDate>2015-01-01</PersonBirthDate>\n<Sex>M</Sex>\n</ChildIdentifiers>\n<ChildCharacteristics><Ethnicity>WBRI</Ethnicity></ChildCharacteristics>\n<CINdetails>\n<CINreferralDate>2025-06-01</CINreferralDate>\n<ReferralSource>1A</ReferralSource>\n<ReferralNFA>0</ReferralNFA>\n</CINdetails>\n</Child>"
        )
    }

    #[test]
    fn children_with_ids_pass() {
        let data = census(2026, &child("<LAchildID>C1</LAchildID>"));
        assert!(flagged(&RULE, &data).is_empty());
    }

    #[test]
    fn empty_and_absent_ids_are_flagged_on_each_child_and_do_not_merge_the_children() {
        let children = [
            child("<LAchildID/>"),
            child(""),
            child("<LAchildID>C3</LAchildID>"),
        ]
        .join("\n");
        let data = census(2026, &children);
        // Each child is 13 lines long; ChildIdentifiers is its second line; children start at line 12.
        assert_eq!(
            flagged(&RULE, &data),
            vec![
                cell("ChildIdentifiers", 13, "LAchildID"),
                cell("ChildIdentifiers", 26, "LAchildID")
            ]
        );
        assert_eq!(
            crate::records::cin::Census::new(&data).len(),
            3,
            "two unidentified children stay apart"
        );
    }
}
