//! # 8555Q: referral after the child's death
//!
//! Queries every referral of a child dated after the child's date of death.
//!
//! ## Why
//! A child cannot be referred after dying; the referral date, the date of death, or the child the
//! referral was recorded against is wrong.
//!
//! ## Example
//! A child who died on 1 September 2025 with a referral on 1 May 2025 passes; a referral on
//! 2 September 2025 is queried with the date of death.

use crate::rule;
use crate::rules::Flags;
use crate::rules::cin::common::{flag_after_death, referral_dates};
use crate::rules::cin::{Cin, RuleCin};

rule! {
    /// A referral is dated after the child's death.
    pub const RULE: RuleCin = {
        code: "8555Q",
        message: "Child cannot be referred after its recorded date of death",
        severity: Query,
        tables: ["CINdetails", "ChildIdentifiers"],
        fields: ["CINreferralDate", "PersonDeathDate"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [],
        check: check,
    }
}

fn check(data: &Cin<'_>, flags: &mut Flags) {
    flag_after_death(data, flags, referral_dates);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::cin::fixture::{census, child, episode, flagged, line, linked};

    fn died_with_referrals(referrals: &[&str]) -> String {
        let episodes: Vec<String> = referrals
            .iter()
            .map(|r| episode(&format!("<CINreferralDate>{r}</CINreferralDate>"), ""))
            .collect();
        child(
            "C1",
            "<PersonDeathDate>2025-09-01</PersonDeathDate>",
            &episodes.join("\n"),
        )
    }

    #[test]
    fn referrals_by_the_day_of_death_pass() {
        let xml = died_with_referrals(&["2025-05-01", "2025-09-01"]);
        assert!(flagged(&RULE, &census(2026, &xml)).is_empty());
    }

    #[test]
    fn a_referral_after_death_is_queried() {
        let xml = died_with_referrals(&["2025-05-01", "2025-09-02"]);
        assert_eq!(
            flagged(&RULE, &census(2026, &xml)),
            vec![linked(&[
                ("CINdetails", line(&xml, "2025-09-02"), "CINreferralDate"),
                (
                    "ChildIdentifiers",
                    line(&xml, "<ChildIdentifiers>"),
                    "PersonDeathDate"
                ),
            ])]
        );
    }
}
