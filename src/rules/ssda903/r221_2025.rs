//! # 221: URN does not match the placement postcode (2024/25 on)
//!
//! As [the 2022/23 version](super::r221_2023), for placements of type K1, K2, K3, R3 or S1.
//!
//! ## Why
//! Registered supported accommodation (K3) replaces H5.
//!
//! ## Example
//! URN 1234567 at M1 1AE with `PLACE=K3, PL_POST=LS1 1UR` is flagged.

use crate::rule;
use crate::rules::Flags;
use crate::rules::ssda903::r221_2023::flag_postcodes;
use crate::rules::ssda903::{Rule903, Ssda903};

rule! {
    /// The placement postcode is not the URN's setting (K1, K2, K3, R3 or S1).
    pub const RULE: Rule903 = {
        code: "221",
        message: "The Ofsted Unique reference number (URN) provided for the child's placement does not match the placement postcode provided.",
        severity: Error,
        tables: ["Episodes", "Provider Info"],
        fields: ["PL_POST"],
        years: [2025, 2026, 2027],
        needs: [ProviderLists],
        check: check,
    }
}

fn check(data: &Ssda903<'_>, flags: &mut Flags) {
    flag_postcodes(data, flags, &["K1", "K2", "K3", "R3", "S1"]);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::ssda903::context::ProviderLists;
    use crate::rules::ssda903::context::testing::provider;
    use crate::rules::ssda903::fixture::{Flagged, cells, flagged_with_providers};

    fn run(rows: &str) -> Flagged {
        flagged_with_providers(
            &RULE,
            2025,
            rows,
            None,
            ProviderLists::of([(
                "1234567",
                provider(&["K3"], &["PR4"], None, Some("M1 1AE"), None),
            )]),
        )
    }

    #[test]
    fn the_setting_postcode_passes() {
        assert!(run("1,01/04/2024,S,C2,N1,K3,PR4,,,,,M1 1AE,1234567\n").is_empty());
    }

    #[test]
    fn another_postcode_is_flagged() {
        assert_eq!(
            run("1,01/04/2024,S,C2,N1,K3,PR4,,,,,LS1 1UR,1234567\n"),
            vec![cells("Episodes", 2, &["PL_POST", "URN"])]
        );
    }
}
