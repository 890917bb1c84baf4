//! # 218: Ofsted URN missing (2025/26 on)
//!
//! As [the earlier versions](super::r218_2023), with Z11-Z14 replacing Z1 among the exempt
//! placement types (P1, P3, R1, R2, R5, T0-T4, Z11-Z14), and "outside England" now the DfE's
//! list of PL_LA codes CON, NIR, SCO, WAL and NUK.
//!
//! ## Why
//! Placements with registered providers in England must name the provider's URN.
//!
//! ## Example
//! `PLACE=Z11, URN=` passes; `PLACE=U4, PL_POST=LS1 1UR, URN=` is flagged on the URN.

use crate::rule;
use crate::rules::Flags;
use crate::rules::ssda903::context::OUTSIDE_ENGLAND;
use crate::rules::ssda903::r218_2023::flag_missing_urns;
use crate::rules::ssda903::{Rule903, Ssda903};

rule! {
    /// An Ofsted-registered placement in England in the year has no URN (2025/26 list).
    pub const RULE: Rule903 = {
        code: "218",
        message: "Ofsted Unique reference number (URN) is required.",
        severity: Error,
        tables: ["Episodes"],
        fields: ["URN"],
        years: [2026, 2027],
        needs: [Postcodes],
        check: check,
    }
}

const EXEMPT: [&str; 14] = [
    "P1", "P3", "R1", "R2", "R5", "T0", "T1", "T2", "T3", "T4", "Z11", "Z12", "Z13", "Z14",
];

fn outside_england(pl_la: &str) -> bool {
    OUTSIDE_ENGLAND.contains(&pl_la)
}

fn check(data: &Ssda903<'_>, flags: &mut Flags) {
    flag_missing_urns(data, flags, &EXEMPT, outside_england);
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::rules::ssda903::fixture::{Flagged, cells, flagged_with_postcodes};

    fn run(rows: &str) -> Flagged {
        flagged_with_postcodes(&RULE, 2026, rows, None)
    }

    #[test]
    fn exempt_types_and_placements_outside_england_pass() {
        assert!(run(
            "1,01/04/2025,S,C2,N1,Z11,,,,,,LS1 1UR,\n2,01/04/2025,S,C2,N1,U4,PR4,,,,,JE1 1AA,\n3,01/04/2025,S,C2,N1,U4,PR4,,,,,BT1 1AA,\n"
        )
        .is_empty());
    }

    #[test]
    fn a_registered_placement_in_england_without_a_urn_is_flagged() {
        assert_eq!(
            run("1,01/04/2025,S,C2,N1,U4,PR4,,,,,LS1 1UR,\n"),
            vec![cells("Episodes", 2, &["URN", "PLACE"])]
        );
    }
}
