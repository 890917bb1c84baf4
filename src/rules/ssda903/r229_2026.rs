//! # 229: placement provider code disagrees with where the provider is (2025/26 on)
//!
//! As [the earlier version](super::r229_2023), no longer applied to placement types whose
//! provider may be anywhere: K3, P1, P3, R1, R2, R5, T0-T4 and Z11-Z14.
//!
//! ## Why
//! Supported accommodation providers and the other exempt types have settings in many LAs, so
//! the postcode of one setting says little about whether they are the LA's own provision.
//!
//! ## Example
//! For Manchester, `PLACE=K3, PLACE_PROVIDER=PR1` with a Leeds setting passes; `PLACE=K2` with
//! the same is flagged.

use crate::rule;
use crate::rules::Flags;
use crate::rules::ssda903::r229_2023::flag_provider_areas;
use crate::rules::ssda903::{Rule903, Ssda903};

rule! {
    /// PR1 outside the LA, or PR2 inside it, by the URN's settings (fixed-setting placements).
    pub const RULE: Rule903 = {
        code: "229",
        message: "Placement provider does not match between the placing authority and the local authority code of the provider. [NOTE: The provider's LA code is inferred from the its postcode, and may be inaccurate in some cases.]",
        severity: Error,
        tables: ["Episodes", "Provider Info"],
        fields: ["URN", "PLACE_PROVIDER"],
        years: [2026, 2027],
        needs: [LaCode, ProviderLists],
        check: check,
    }
}

const EXEMPT: [&str; 15] = [
    "K3", "P1", "P3", "R1", "R2", "R5", "T0", "T1", "T2", "T3", "T4", "Z11", "Z12", "Z13", "Z14",
];

fn check(data: &Ssda903<'_>, flags: &mut Flags) {
    flag_provider_areas(data, flags, &EXEMPT);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::ssda903::context::ProviderLists;
    use crate::rules::ssda903::context::testing::provider;
    use crate::rules::ssda903::fixture::{Flagged, cells, flagged_with_providers};

    const LA: Option<&str> = Some("E08000003");

    fn run(rows: &str) -> Flagged {
        flagged_with_providers(
            &RULE,
            2026,
            rows,
            LA,
            ProviderLists::of([(
                "2222222",
                provider(&["K2", "K3"], &["PR1"], None, None, Some("E08000035")),
            )]),
        )
    }

    #[test]
    fn exempt_placement_types_pass() {
        assert!(run("1,01/04/2025,S,C2,N1,K3,PR1,,,,,,2222222\n").is_empty());
    }

    #[test]
    fn fixed_setting_placements_are_still_checked() {
        assert_eq!(
            run("1,01/04/2025,S,C2,N1,K2,PR1,,,,,,2222222\n"),
            vec![cells("Episodes", 2, &["PLACE_PROVIDER", "URN"])]
        );
    }
}
