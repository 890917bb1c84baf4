//! # 8540: disability missing or invalid
//!
//! Checks that every born child (with a date of birth) who has a referral going on to further
//! action has at least one disability recorded (`NONE` when the child has none) and that every
//! recorded disability is a DfE code. A child with no disability at all is flagged on its
//! ChildIdentifiers row; invalid codes are flagged on their Disabilities rows.
//!
//! ## Why
//! Disability is collected for every child in need; "no disability" is recorded as NONE, so a
//! missing disability is missing data, not a child without disabilities. The reference validator
//! finds these children but fails while reporting them and reports nobody
//! (`tests/oracle/divergences.md`).
//!
//! ## Example
//! A child with `NONE`, or with `AUT` and `LD`, passes; a child with no Disabilities, or with
//! `ADHD`, is flagged.

use crate::rule;
use crate::rules::Flags;
use crate::rules::cin::common::is_further_action;
use crate::rules::cin::{Cin, RuleCin};

rule! {
    /// A born child in need has no disability recorded, or an invalid one.
    pub const RULE: RuleCin = {
        code: "8540",
        message: "Child’s disability is missing or invalid (see Disability table)",
        severity: Error,
        tables: ["ChildCharacteristics", "ChildIdentifiers", "Disabilities", "CINdetails"],
        fields: ["Disability"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [],
        check: check,
    }
}

fn check(data: &Cin<'_>, flags: &mut Flags) {
    for child in data.children() {
        let identifiers = child.identifiers();
        let born = identifiers
            .iter()
            .any(|i| i.person_birth_date().is_present());
        if !born || !child.episodes().iter().any(is_further_action) {
            continue;
        }
        let disabilities = child.disabilities();
        if disabilities.is_empty() {
            flags.cells(identifiers.iter().map(|i| i.row().whole()));
        } else {
            flags.cells(
                disabilities
                    .iter()
                    .filter(|d| d.disability().ok().is_none())
                    .map(|d| d.at("Disability")),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::cin::fixture::{
        census, child, disabled_child, episode, flagged, line, linked,
    };

    const BORN: &str = "<PersonBirthDate>2015-01-01</PersonBirthDate>";
    const FURTHER_ACTION: &str =
        "<CINreferralDate>2025-05-01</CINreferralDate><ReferralNFA>false</ReferralNFA>";

    #[test]
    fn recorded_disabilities_and_children_outside_the_rule_pass() {
        let xml = [
            disabled_child("C1", BORN, &["NONE"], &episode(FURTHER_ACTION, "")),
            disabled_child("C2", BORN, &["AUT", "LD"], &episode(FURTHER_ACTION, "")),
            // Unborn, or only referrals with no further action: not required.
            child(
                "C3",
                "<ExpectedPersonBirthDate>2026-06-01</ExpectedPersonBirthDate>",
                &episode(FURTHER_ACTION, ""),
            ),
            child(
                "C4",
                BORN,
                &episode(
                    "<CINreferralDate>2025-05-01</CINreferralDate><ReferralNFA>1</ReferralNFA>",
                    "",
                ),
            ),
        ]
        .join("\n");
        assert!(flagged(&RULE, &census(2026, &xml)).is_empty());
    }

    #[test]
    fn missing_and_invalid_disabilities_are_flagged() {
        let xml = [
            child("C1", BORN, &episode(FURTHER_ACTION, "")),
            disabled_child("C2", BORN, &["AUT", "ADHD"], &episode(FURTHER_ACTION, "")),
        ]
        .join("\n");
        assert_eq!(
            flagged(&RULE, &census(2026, &xml)),
            vec![
                linked(&[("ChildIdentifiers", line(&xml, "C1"), "")]),
                linked(&[("Disabilities", line(&xml, "ADHD"), "Disability")]),
            ]
        );
    }
}
