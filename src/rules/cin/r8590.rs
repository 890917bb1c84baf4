//! # 8590: child without a CIN episode
//!
//! Checks that every child in the return has at least one CIN episode (`<CINdetails>`).
//!
//! ## Why
//! The census is a return of referrals; a child is in it because of one. A child without any
//! episode is either left over from an export filter or has lost its referrals, and is not
//! counted anywhere.
//!
//! ## Example
//! A child with one referral passes; a child with only identifiers and characteristics is flagged
//! on its LAchildID.

use crate::rule;
use crate::rules::Flags;
use crate::rules::cin::{Cin, RuleCin};

rule! {
    /// A child has no CIN episode.
    pub const RULE: RuleCin = {
        code: "8590",
        message: "Child does not have a recorded CIN episode.",
        severity: Error,
        tables: ["ChildIdentifiers", "CINdetails"],
        fields: ["LAchildID"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [],
        check: check,
    }
}

fn check(data: &Cin<'_>, flags: &mut Flags) {
    for child in data.children() {
        if child.episodes().iter().all(|e| e.details().is_none()) {
            for identifiers in child.identifiers() {
                flags.cell(identifiers.at("LAchildID"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::cin::fixture::{cell, census, child, flagged, line, one_episode};

    #[test]
    fn a_child_with_a_referral_passes() {
        let xml = one_episode("C1", "<CINreferralDate>2025-05-01</CINreferralDate>", "");
        assert!(flagged(&RULE, &census(2026, &xml)).is_empty());
    }

    #[test]
    fn a_child_without_referrals_is_flagged() {
        let xml = [
            child("C1", "", ""),
            one_episode("C2", "<CINreferralDate>2025-05-01</CINreferralDate>", ""),
        ]
        .join("\n");
        assert_eq!(
            flagged(&RULE, &census(2026, &xml)),
            vec![cell("ChildIdentifiers", line(&xml, "C1"), "LAchildID")]
        );
    }
}
