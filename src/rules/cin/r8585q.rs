//! # 8585Q: closed as "died" without a date of death
//!
//! Queries every episode closed with reason RC2 (died) for a child with no date of death.
//!
//! ## Why
//! If the child died, the date of death belongs in the return: it is used by the death-related
//! rules and by the DfE's figures on deaths of children in need. Either the closure reason or the
//! missing date is wrong.
//!
//! ## Example
//! Closed RC2 for a child with a date of death passes; closed RC2 with no date of death is
//! queried on the reason and the empty date of death.

use crate::rule;
use crate::rules::Flags;
use crate::rules::cin::{Cin, RuleCin};

rule! {
    /// An episode was closed because the child died, but the child has no date of death.
    pub const RULE: RuleCin = {
        code: "8585Q",
        message: "Please check and either amend or provide a reason: CIN episode shows Died as the Closure Reason, however child has no recorded Date of Death",
        severity: Query,
        tables: ["CINdetails", "ChildIdentifiers"],
        fields: ["ReasonForClosure", "PersonDeathDate"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [],
        check: check,
    }
}

fn check(data: &Cin<'_>, flags: &mut Flags) {
    for child in data.children() {
        let identifiers = child.identifiers();
        if identifiers
            .iter()
            .any(|i| i.person_death_date().is_present())
        {
            continue;
        }
        for episode in child.episodes() {
            if let Some(details) = episode.details()
                && details.reason_for_closure().is("RC2")
            {
                flags.cells(
                    std::iter::once(details.at("ReasonForClosure"))
                        .chain(identifiers.iter().map(|i| i.at("PersonDeathDate"))),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::cin::fixture::{census, child, episode, flagged, line, linked, one_episode};

    const DIED: &str = "<CINreferralDate>2025-05-01</CINreferralDate><CINclosureDate>2025-09-01</CINclosureDate><ReasonForClosure>RC2</ReasonForClosure>";

    #[test]
    fn a_child_with_a_date_of_death_passes() {
        let xml = child(
            "C1",
            "<PersonDeathDate>2025-09-01</PersonDeathDate>",
            &episode(DIED, ""),
        );
        assert!(flagged(&RULE, &census(2026, &xml)).is_empty());
    }

    #[test]
    fn died_without_a_date_of_death_is_queried() {
        let xml = one_episode("C1", DIED, "");
        assert_eq!(
            flagged(&RULE, &census(2026, &xml)),
            vec![linked(&[
                ("CINdetails", line(&xml, "<CINdetails>"), "ReasonForClosure"),
                (
                    "ChildIdentifiers",
                    line(&xml, "<ChildIdentifiers>"),
                    "PersonDeathDate"
                ),
            ])]
        );
    }
}
