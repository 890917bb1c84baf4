//! # 169: placement LA cannot be derived
//!
//! Flags an episode (other than a short break, V3/V4) whose placement postcode gives no
//! PL_LA: it is missing, not in the ONS postcode directory, or has no local authority district.
//!
//! ## Why
//! PL_LA, the upper-tier LA the child is placed in, is derived from the placement postcode and
//! feeds the in/out-of-area statistics. The derivation maps every current district (including
//! those created since 2021, which the reference validator misses: `spec/oracle-defects.md` A5).
//!
//! ## Example
//! `PL_POST=LS1 1UR` passes; `PL_POST=ZZ9 9ZZ` and a blank `PL_POST` are flagged.

use crate::rule;
use crate::rules::Flags;
use crate::rules::ssda903::{Rule903, Ssda903};

rule! {
    /// The placement postcode gives no placement LA.
    pub const RULE: Rule903 = {
        code: "169",
        message: "Local Authority (LA) of placement is not valid or is missing. Please check a valid postcode has been entered.",
        severity: Error,
        tables: ["Episodes"],
        fields: ["PL_LA"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [Postcodes],
        check: check,
    }
}

fn check(data: &Ssda903<'_>, flags: &mut Flags) {
    for child in data.children() {
        for episode in child.episodes() {
            if !episode.ls().is_in(&["V3", "V4"]) && data.placement(&episode).la.is_none() {
                flags.cell(episode.at("PL_POST"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::rules::ssda903::fixture::{Flagged, cell, flagged_with_postcodes};

    fn run(rows: &str) -> Flagged {
        flagged_with_postcodes(&RULE, 2026, rows, None)
    }

    #[test]
    fn placements_in_any_current_district_or_country_pass() {
        assert!(run(
            "1,01/04/2025,S,C2,N1,U4,PR1,,,,,CA13 0AA,\n2,01/04/2025,S,C2,N1,U4,PR1,,,,,CF10 1AA,\n\
             3,01/04/2025,S,C2,N1,U4,PR1,,,,,BT1 1AA,\n4,01/04/2025,S,V4,N1,K2,PR1,,,,,,\n"
        )
        .is_empty());
    }

    #[test]
    fn unknown_and_missing_placement_postcodes_are_flagged() {
        assert_eq!(
            run(
                "1,01/04/2025,S,C2,N1,U4,PR1,,,,,ZZ9 9ZZ,\n2,01/04/2025,S,C2,N1,U4,PR1,,,,,,\n3,01/04/2025,S,C2,N1,U4,PR1,,,,,AB11 3AG,\n"
            ),
            vec![
                cell("Episodes", 2, "PL_POST"),
                cell("Episodes", 3, "PL_POST"),
                cell("Episodes", 4, "PL_POST")
            ]
        );
    }
}
