//! # 218: Ofsted URN missing (2024/25)
//!
//! As [the earlier version](super::r218_2023), with H5 and P2 withdrawn from the exempt
//! placement types (K3, registered supported accommodation, replaces H5 and needs a URN):
//! exempt are P1, P3, R1, R2, R5, T0-T4 and Z1.
//!
//! ## Why
//! Supported accommodation has been Ofsted-registered since October 2023.
//!
//! ## Example
//! `PLACE=K3, URN=` with a placement in England is flagged on the URN.

use crate::rule;
use crate::rules::Flags;
use crate::rules::ssda903::r218_2023::{flag_missing_urns, outside_england_by_letter};
use crate::rules::ssda903::{Rule903, Ssda903};

rule! {
    /// An Ofsted-registered placement in England in the year has no URN (2024/25 list).
    pub const RULE: Rule903 = {
        code: "218",
        message: "Ofsted Unique reference number (URN) is required.",
        severity: Error,
        tables: ["Episodes"],
        fields: ["URN"],
        years: [2025],
        needs: [Postcodes],
        check: check,
    }
}

const EXEMPT: [&str; 11] = [
    "P1", "P3", "R1", "R2", "R5", "T0", "T1", "T2", "T3", "T4", "Z1",
];

fn check(data: &Ssda903<'_>, flags: &mut Flags) {
    flag_missing_urns(data, flags, &EXEMPT, outside_england_by_letter);
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::rules::ssda903::fixture::{Flagged, cells, flagged_with_postcodes};

    fn run(rows: &str) -> Flagged {
        flagged_with_postcodes(&RULE, 2025, rows, None)
    }

    #[test]
    fn exempt_types_pass() {
        assert!(run("1,01/04/2024,S,C2,N1,Z1,,,,,,LS1 1UR,\n2,01/04/2024,S,C2,N1,K3,PR4,,,,,LS1 1UR,1234567\n").is_empty());
    }

    #[test]
    fn supported_accommodation_without_a_urn_is_flagged() {
        assert_eq!(
            run("1,01/04/2024,S,C2,N1,K3,PR4,,,,,LS1 1UR,\n"),
            vec![cells("Episodes", 2, &["URN", "PLACE"])]
        );
    }
}
