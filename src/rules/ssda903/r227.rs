//! # 227: URN no longer registered when the episode started
//!
//! Flags an episode whose Ofsted URN (not `XXXXXXX`) had stopped being registered by the
//! episode's start: every setting of the URN in the Ofsted lists has a registration end on or
//! before DECOM.
//!
//! ## Why
//! A child cannot be placed with a provider after its registration ended; the URN or the date is
//! wrong. URNs the lists do not hold are left to rule 219.
//!
//! ## Example
//! A URN closed on 30/06/2025: an episode starting 01/06/2025 passes; one starting 30/06/2025 is
//! flagged.

use crate::rule;
use crate::rules::Flags;
use crate::rules::ssda903::context::registered_until;
use crate::rules::ssda903::{Rule903, Ssda903};

rule! {
    /// The URN's registration had ended by the episode's start.
    pub const RULE: Rule903 = {
        code: "227",
        message: "Ofsted Unique reference number (URN) is not valid for the episode start date.",
        severity: Error,
        tables: ["Episodes", "Provider Info"],
        fields: ["URN", "DECOM"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [ProviderLists],
        check: check,
    }
}

fn check(data: &Ssda903<'_>, flags: &mut Flags) {
    for (episode, providers) in data.episodes_with_urn() {
        let Some(decom) = episode.decom().ok() else {
            continue;
        };
        if registered_until(providers).is_some_and(|end| decom >= end) {
            flags.cells([episode.at("URN"), episode.at("DECOM")]);
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
                (
                    "1234567",
                    provider(&["K2"], &["PR4"], Some("30/06/2025"), None, None),
                ),
                (
                    "2222222",
                    provider(&["K2"], &["PR4"], Some("30/06/2025"), None, None),
                ),
                ("2222222", provider(&["K2"], &["PR4"], None, None, None)),
            ]),
        )
    }

    #[test]
    fn episodes_starting_while_registered_pass() {
        assert!(run("1,01/06/2025,S,C2,N1,K2,PR4,,,,,,1234567\n2,01/08/2025,S,C2,N1,K2,PR4,,,,,,2222222\n3,01/08/2025,S,C2,N1,K2,PR4,,,,,,9999999\n").is_empty());
    }

    #[test]
    fn episodes_starting_after_registration_ended_are_flagged() {
        assert_eq!(
            run("1,30/06/2025,S,C2,N1,K2,PR4,,,,,,1234567\n"),
            vec![cells("Episodes", 2, &["URN", "DECOM"])]
        );
    }
}
