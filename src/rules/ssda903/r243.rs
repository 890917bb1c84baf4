//! # 243: URN for a placement outside England
//!
//! Flags an episode with a URN whose placement is outside England (PL_LA CON, NIR, SCO, WAL or
//! NUK).
//!
//! ## Why
//! Ofsted registers providers in England only; a provider in Wales, Scotland, Northern Ireland or
//! abroad has no Ofsted URN, so one recorded for it is wrong.
//!
//! ## Example
//! `PL_POST=CF10 1AA, URN=` passes; `PL_POST=CF10 1AA, URN=1234567` is flagged on the URN.

use crate::rule;
use crate::rules::Flags;
use crate::rules::ssda903::context::OUTSIDE_ENGLAND;
use crate::rules::ssda903::{Rule903, Ssda903};

rule! {
    /// A placement outside England has a URN.
    pub const RULE: Rule903 = {
        code: "243",
        message: "Only placements with providers registered with Ofsted should have a URN reported.",
        severity: Error,
        tables: ["Episodes"],
        fields: ["URN"],
        years: [2026, 2027],
        needs: [Postcodes],
        check: check,
    }
}

fn check(data: &Ssda903<'_>, flags: &mut Flags) {
    for child in data.children() {
        for episode in child.episodes() {
            let outside = data
                .placement(&episode)
                .la
                .is_some_and(|la| OUTSIDE_ENGLAND.contains(&la));
            if outside && episode.urn().is_present() {
                flags.cells([episode.at("URN"), episode.at("PL_POST")]);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::rules::ssda903::fixture::{Flagged, cells, flagged_with_postcodes};

    fn run(rows: &str) -> Flagged {
        flagged_with_postcodes(&RULE, 2026, rows, None)
    }

    #[test]
    fn placements_in_england_or_without_a_urn_pass() {
        assert!(run("1,01/04/2025,S,C2,N1,K2,PR4,,,,,LS1 1UR,1234567\n2,01/04/2025,S,C2,N1,U4,PR4,,,,,CF10 1AA,\n").is_empty());
    }

    #[test]
    fn a_urn_outside_england_is_flagged() {
        assert_eq!(
            run(
                "1,01/04/2025,S,C2,N1,K2,PR4,,,,,CF10 1AA,1234567\n2,01/04/2025,S,C2,N1,K2,PR4,,,,,BT1 1AA,1234567\n"
            ),
            vec![
                cells("Episodes", 2, &["URN", "PL_POST"]),
                cells("Episodes", 3, &["URN", "PL_POST"])
            ]
        );
    }
}
