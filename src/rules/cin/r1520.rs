//! # 1520: UPN used by more than one child
//!
//! Checks that no UPN appears on more than one ChildIdentifiers record.
//!
//! ## Why
//! A UPN identifies one pupil. Two children with the same UPN means one of them is wrong, and
//! the match to the school census would merge two children. All records sharing the UPN are
//! flagged together, so the team sees which children to compare.
//!
//! ## Example
//! Children C1 and C2 both with UPN `K012345678911` are flagged in one finding; a child whose
//! UPN no one else has passes.

use std::collections::HashMap;

use crate::records::CellRef;
use crate::rule;
use crate::rules::Flags;
use crate::rules::cin::{Cin, RuleCin};

rule! {
    /// Several child records share one UPN.
    pub const RULE: RuleCin = {
        code: "1520",
        message: "More than one record with the same UPN.",
        severity: Error,
        tables: ["ChildIdentifiers"],
        fields: ["UPN"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [],
        check: check,
    }
}

fn check(data: &Cin<'_>, flags: &mut Flags) {
    let mut records: HashMap<&str, Vec<CellRef>> = HashMap::new();
    let mut order = Vec::new();
    for child in data.children() {
        for identifiers in child.identifiers() {
            if let Some(upn) = identifiers.upn().ok() {
                let cells = records.entry(upn).or_default();
                if cells.is_empty() {
                    order.push(upn);
                }
                cells.push(identifiers.at("UPN"));
            }
        }
    }
    for upn in order {
        let cells = &records[upn];
        if cells.len() > 1 {
            flags.cells(cells.iter().copied());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::cin::fixture::{census, children, flagged, line, linked};

    #[test]
    fn distinct_upns_pass() {
        let xml = children(&[
            "<UPN>K012345678911</UPN>",
            "<UPN>A000000000000</UPN>",
            "",
            "",
        ]);
        assert!(flagged(&RULE, &census(2026, &xml)).is_empty());
    }

    #[test]
    fn every_record_sharing_a_upn_is_flagged_in_one_finding() {
        let xml = children(&[
            "<UPN>K012345678911</UPN>",
            "<UPN>A000000000000</UPN>",
            "<UPN>K012345678911</UPN>",
        ]);
        assert_eq!(
            flagged(&RULE, &census(2026, &xml)),
            vec![linked(&[
                ("ChildIdentifiers", line(&xml, "C1"), "UPN"),
                ("ChildIdentifiers", line(&xml, "C3"), "UPN"),
            ])]
        );
    }
}
