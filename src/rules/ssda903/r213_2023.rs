//! # 213: placement provider given for a temporary placement (2022/23 to 2024/25)
//!
//! Flags an episode whose placement is temporary (T0-T4) but has a placement provider.
//!
//! ## Why
//! A temporary move (hospital, holiday, respite of seven days or less) is not a placement with a
//! provider: the child's placement and its provider are those of the episode before and after.
//! Recording a provider on it double-counts provision.
//!
//! ## Example
//! `PLACE=T1, PLACE_PROVIDER=` passes; `PLACE=T1, PLACE_PROVIDER=PR1` is flagged on both cells.

use crate::rule;
use crate::rules::Flags;
use crate::rules::ssda903::context::TEMPORARY;
use crate::rules::ssda903::{Rule903, Ssda903};

rule! {
    /// A temporary placement (T0-T4) has a placement provider.
    pub const RULE: Rule903 = {
        code: "213",
        message: "Placement provider information not required.",
        severity: Error,
        tables: ["Episodes"],
        fields: ["PLACE_PROVIDER"],
        years: [2023, 2024, 2025],
        needs: [],
        check: check,
    }
}

fn check(data: &Ssda903<'_>, flags: &mut Flags) {
    flag_providers(data, flags, &TEMPORARY);
}

/// Flags every episode whose PLACE is one of `places` and that has a placement provider.
pub(super) fn flag_providers(data: &Ssda903<'_>, flags: &mut Flags, places: &[&str]) {
    for child in data.children() {
        for episode in child.episodes() {
            if episode.place().is_in(places) && episode.place_provider().is_present() {
                flags.cells([episode.at("PLACE_PROVIDER"), episode.at("PLACE")]);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::ssda903::fixture::{EPISODES, cells, dataset, flagged};
    use crate::source::Role;

    #[test]
    fn temporary_placements_without_a_provider_pass() {
        let data = dataset(
            2025,
            Role::ThisYear,
            &[&format!(
                "{EPISODES}1,01/04/2024,S,C2,N1,T1,,,,,,,\n2,01/04/2024,S,C2,N1,U4,PR1,,,,,,\n"
            )],
        );
        assert!(flagged(&RULE, &data, None, None).is_empty());
    }

    #[test]
    fn a_provider_on_a_temporary_placement_is_flagged() {
        let data = dataset(
            2025,
            Role::ThisYear,
            &[&format!(
                "{EPISODES}1,01/04/2024,S,C2,N1,T4,PR1,,,,,,\n2,01/04/2024,S,C2,N1,U4,PR1,,,,,,\n"
            )],
        );
        assert_eq!(
            flagged(&RULE, &data, None, None),
            vec![cells("Episodes", 2, &["PLACE_PROVIDER", "PLACE"])]
        );
    }
}
