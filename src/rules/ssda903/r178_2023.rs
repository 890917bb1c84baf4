//! # 178 (2022/23–2024/25): placement provider code is not valid
//!
//! Checks that a given `PLACE_PROVIDER` is one of PR0 to PR5, and that no provider is given for a
//! placement that has none: temporary placements (T0–T4) and Z1 ("other placement") until
//! 2024/25. A blank provider is not this rule's concern (rule 526 requires it where needed).
//!
//! ## Why
//! Provider type (own provision, other LA, private, voluntary) drives the sufficiency and cost
//! figures; a temporary placement keeps the provider of the placement it interrupts.
//!
//! ## Example
//! `PLACE=U1, PLACE_PROVIDER=PR1` passes, as does `PLACE=T1` with no provider; `PR6`, and `PR1`
//! with `PLACE=T1`, are flagged.

use crate::rule;
use crate::rules::Flags;
use crate::rules::ssda903::{Rule903, Ssda903};
use crate::table::Val;

rule! {
    /// PLACE_PROVIDER is not a valid code, or is given for a placement without a provider.
    pub const RULE: Rule903 = {
        code: "178",
        message: "Placement provider code is not a valid code.",
        severity: Error,
        tables: ["Episodes"],
        fields: ["PLACE_PROVIDER"],
        years: [2023, 2024, 2025],
        needs: [],
        check: check,
    }
}

const WITHOUT_PROVIDER: [&str; 6] = ["T0", "T1", "T2", "T3", "T4", "Z1"];

fn check(data: &Ssda903<'_>, flags: &mut Flags) {
    flag_providers(data, flags, &WITHOUT_PROVIDER);
}

/// Flags a provider that is invalid, or given for a placement type in `without_provider`.
pub(super) fn flag_providers(data: &Ssda903<'_>, flags: &mut Flags, without_provider: &[&str]) {
    for child in data.children() {
        for episode in child.episodes() {
            let wrong = match episode.place_provider() {
                Val::Blank => false,
                Val::Invalid => true,
                Val::Ok(_) => episode.place().is_in(without_provider),
            };
            if wrong {
                flags.cell(episode.at("PLACE_PROVIDER"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::ssda903::fixture::{EPISODES, cell, dataset, flagged};
    use crate::source::Role;

    #[test]
    fn providers_of_ordinary_placements_pass() {
        let data = dataset(
            2025,
            Role::ThisYear,
            &[&format!(
                "{EPISODES}1,01/04/2024,S,C2,N1,U1,PR1,,,,,,\n2,01/04/2024,S,C2,N1,T1,,,,,,,\n3,01/04/2024,S,C2,N1,Z1,,,,,,,\n"
            )],
        );
        assert!(flagged(&RULE, &data, None, None).is_empty());
    }

    #[test]
    fn invalid_codes_and_providers_of_temporary_placements_are_flagged() {
        let data = dataset(
            2025,
            Role::ThisYear,
            &[&format!(
                "{EPISODES}1,01/04/2024,S,C2,N1,U1,PR6,,,,,,\n2,01/04/2024,S,C2,N1,T4,PR1,,,,,,\n3,01/04/2024,S,C2,N1,Z1,PR4,,,,,,\n"
            )],
        );
        assert_eq!(
            flagged(&RULE, &data, None, None),
            vec![
                cell("Episodes", 2, "PLACE_PROVIDER"),
                cell("Episodes", 3, "PLACE_PROVIDER"),
                cell("Episodes", 4, "PLACE_PROVIDER")
            ]
        );
    }
}
