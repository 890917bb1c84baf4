//! # 8606: referral more than 40 weeks before birth
//!
//! Checks that no referral is dated more than 280 days (40 weeks) before the child's date of
//! birth or expected date of birth.
//!
//! ## Why
//! A child can be referred before birth, but not before conception: a referral more than a full
//! pregnancy ahead of the birth has a mistyped date or belongs to a sibling. The finding links
//! the referral date with the birth date it was measured from.
//!
//! ## Example
//! Born 1 March 2026 and referred 25 May 2025 (280 days before) passes; referred 24 May 2025 is
//! flagged with the date of birth.

use chrono::Days;

use crate::rule;
use crate::rules::Flags;
use crate::rules::cin::{Cin, RuleCin};

rule! {
    /// A referral is more than 280 days before the (expected) date of birth.
    pub const RULE: RuleCin = {
        code: "8606",
        message: "Child referral date is more than 40 weeks before DOB or expected DOB",
        severity: Error,
        tables: ["CINdetails", "ChildIdentifiers"],
        fields: ["CINreferralDate", "PersonBirthDate", "ExpectedPersonBirthDate"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [],
        check: check,
    }
}

fn check(data: &Cin<'_>, flags: &mut Flags) {
    for child in data.children() {
        let births: Vec<_> = child
            .identifiers()
            .into_iter()
            .flat_map(|i| {
                [
                    (i.at("PersonBirthDate"), i.person_birth_date().ok()),
                    (
                        i.at("ExpectedPersonBirthDate"),
                        i.expected_person_birth_date().ok(),
                    ),
                ]
            })
            .filter_map(|(cell, date)| Some((cell, date?.checked_sub_days(Days::new(280))?)))
            .collect();
        if births.is_empty() {
            continue;
        }
        for episode in child.episodes() {
            let Some(details) = episode.details() else {
                continue;
            };
            let Some(referral) = details.cin_referral_date().ok() else {
                continue;
            };
            let too_early: Vec<_> = births
                .iter()
                .filter(|(_, earliest)| referral < *earliest)
                .map(|(cell, _)| *cell)
                .collect();
            if !too_early.is_empty() {
                flags.cells(std::iter::once(details.at("CINreferralDate")).chain(too_early));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::cin::fixture::{census, child, episode, flagged, line, linked};

    fn referred(identifiers: &str, referral: &str) -> String {
        child(
            "C1",
            identifiers,
            &episode(
                &format!("<CINreferralDate>{referral}</CINreferralDate>"),
                "",
            ),
        )
    }

    #[test]
    fn referrals_within_40_weeks_of_birth_pass() {
        for identifiers in [
            "<PersonBirthDate>2026-03-01</PersonBirthDate>",
            "<ExpectedPersonBirthDate>2026-03-01</ExpectedPersonBirthDate>",
        ] {
            let xml = referred(identifiers, "2025-05-25");
            assert!(flagged(&RULE, &census(2026, &xml)).is_empty());
        }
    }

    #[test]
    fn an_earlier_referral_is_flagged_with_the_birth_date() {
        for column in ["PersonBirthDate", "ExpectedPersonBirthDate"] {
            let xml = referred(&format!("<{column}>2026-03-01</{column}>"), "2025-05-24");
            assert_eq!(
                flagged(&RULE, &census(2026, &xml)),
                vec![linked(&[
                    ("CINdetails", line(&xml, "<CINdetails>"), "CINreferralDate"),
                    ("ChildIdentifiers", line(&xml, "<ChildIdentifiers>"), column),
                ])]
            );
        }
    }
}
