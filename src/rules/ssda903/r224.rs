//! # 224: URN does not match the placement provider
//!
//! Flags an episode whose Ofsted URN (not the `XXXXXXX` sentinel) is not listed by Ofsted with
//! the episode's placement provider code (PR0-PR5) — including a URN the lists do not hold.
//!
//! ## Why
//! Ofsted records whether a provider is the LA itself, another LA, the private or the voluntary
//! sector; the provider code on the episode must agree. A blank or invalid provider code is left
//! to rules 178 and 526.
//!
//! ## Example
//! URN 1234567 listed as PR4 with `PLACE_PROVIDER=PR4` passes; with `PR1` it is flagged.

use crate::rule;
use crate::rules::Flags;
use crate::rules::ssda903::{Rule903, Ssda903};

rule! {
    /// The URN's provider code is not the episode's.
    pub const RULE: Rule903 = {
        code: "224",
        message: "The Ofsted Unique reference number (URN) provided for the child's placement does not match the placement provider recorded.",
        severity: Error,
        tables: ["Episodes", "Provider Info"],
        fields: ["PLACE_PROVIDER"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [ProviderLists],
        check: check,
    }
}

fn check(data: &Ssda903<'_>, flags: &mut Flags) {
    for (episode, providers) in data.episodes_with_urn() {
        let Some(provider) = episode.place_provider().ok() else {
            continue;
        };
        let listed = providers
            .iter()
            .any(|p| p.provider_codes.iter().any(|c| c == provider));
        if !listed {
            flags.cells([episode.at("PLACE_PROVIDER"), episode.at("URN")]);
        }
    }
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
            2026,
            rows,
            None,
            ProviderLists::of([
                ("1234567", provider(&["K2"], &["PR4"], None, None, None)),
                ("1234567", provider(&["K2"], &["PR5"], None, None, None)),
            ]),
        )
    }

    #[test]
    fn a_listed_provider_code_passes() {
        assert!(run("1,01/04/2025,S,C2,N1,K2,PR4,,,,,,1234567\n2,01/04/2025,S,C2,N1,K2,PR5,,,,,,1234567\n").is_empty());
    }

    #[test]
    fn other_codes_and_unknown_urns_are_flagged() {
        assert_eq!(
            run(
                "1,01/04/2025,S,C2,N1,K2,PR1,,,,,,1234567\n2,01/04/2025,S,C2,N1,K2,PR4,,,,,,7654321\n"
            ),
            vec![
                cells("Episodes", 2, &["PLACE_PROVIDER", "URN"]),
                cells("Episodes", 3, &["PLACE_PROVIDER", "URN"])
            ]
        );
    }
}
