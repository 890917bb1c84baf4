//! # 228: URN no longer registered when the episode ended
//!
//! Flags an episode whose Ofsted URN (not `XXXXXXX`) stopped being registered before the episode
//! ended: the latest registration end of the URN's settings is before DEC or, for an episode
//! still open, before 31 March.
//!
//! ## Why
//! A child cannot stay with a provider after its registration ended. As the DfE's note says, an
//! open episode at a provider that closed during the year is flagged although the child may have
//! moved since; the LA should close the episode. URNs the lists do not hold are left to 219.
//!
//! ## Example
//! A URN closed on 30/06/2025: an episode ending 30/06/2025 passes; one ending 01/07/2025, or
//! still open, is flagged.

use crate::rule;
use crate::rules::Flags;
use crate::rules::ssda903::context::registered_until;
use crate::rules::ssda903::{Rule903, Ssda903};
use crate::table::Val;

rule! {
    /// The URN's registration ended before the episode did.
    pub const RULE: Rule903 = {
        code: "228",
        message: "Ofsted Unique reference number (URN) is not valid for the episode end date [NOTE: may give false positives on open episodes at providers who close during the year]",
        severity: Error,
        tables: ["Episodes", "Provider Info"],
        fields: ["URN", "DEC"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [ProviderLists],
        check: check,
    }
}

fn check(data: &Ssda903<'_>, flags: &mut Flags) {
    for (episode, providers) in data.episodes_with_urn() {
        let end = match episode.dec() {
            Val::Ok(dec) => dec,
            Val::Blank => data.collection_end(),
            Val::Invalid => continue,
        };
        if registered_until(providers).is_some_and(|until| end > until) {
            flags.cells([episode.at("URN"), episode.at("DEC")]);
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
                ("2222222", provider(&["K2"], &["PR4"], None, None, None)),
            ]),
        )
    }

    #[test]
    fn episodes_ending_while_registered_pass() {
        assert!(run("1,01/04/2025,S,C2,N1,K2,PR4,30/06/2025,E8,,,,1234567\n2,01/04/2025,S,C2,N1,K2,PR4,,,,,,2222222\n").is_empty());
    }

    #[test]
    fn episodes_ending_after_registration_or_still_open_are_flagged() {
        assert_eq!(
            run(
                "1,01/04/2025,S,C2,N1,K2,PR4,01/07/2025,E8,,,,1234567\n2,01/04/2025,S,C2,N1,K2,PR4,,,,,,1234567\n"
            ),
            vec![
                cells("Episodes", 2, &["URN", "DEC"]),
                cells("Episodes", 3, &["URN", "DEC"])
            ]
        );
    }
}
