//! # 8600: referral date missing or after the census
//!
//! Checks that every referral has a date and that it is not after the ReferenceDate.
//!
//! ## Why
//! The referral date opens the CIN episode: without it the episode cannot be placed in the year
//! and every "on or after the referral" rule is blind; a referral after 31 March belongs to next
//! year's census. Referrals before the period are normal for episodes still open. An unreadable
//! date is reported by the format check instead.
//!
//! ## Example
//! In 2025/26 a referral on 31 March 2026 passes; a missing referral date or 1 April 2026 is
//! flagged.

use crate::rule;
use crate::rules::Flags;
use crate::rules::cin::common::{flag_missing_or_after_reference_date, referral_dates};
use crate::rules::cin::{Cin, RuleCin};

rule! {
    /// A referral has no date or is dated after the ReferenceDate.
    pub const RULE: RuleCin = {
        code: "8600",
        message: "Child referral date missing or after data collection period",
        severity: Error,
        tables: ["CINdetails", "Header"],
        fields: ["CINreferralDate"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [ReferenceDate],
        check: check,
    }
}

fn check(data: &Cin<'_>, flags: &mut Flags) {
    flag_missing_or_after_reference_date(data, flags, referral_dates);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::cin::fixture::{cell, census, child, episode, flagged, nth_line};

    fn referrals(dates: &[&str]) -> String {
        let episodes: Vec<String> = dates
            .iter()
            .map(|d| episode(&format!("<ReferralSource>1A</ReferralSource>{d}"), ""))
            .collect();
        child("C1", "", &episodes.join("\n"))
    }

    #[test]
    fn referrals_by_the_reference_date_pass() {
        let xml = referrals(&[
            "<CINreferralDate>2020-01-01</CINreferralDate>",
            "<CINreferralDate>2026-03-31</CINreferralDate>",
        ]);
        assert!(flagged(&RULE, &census(2026, &xml)).is_empty());
    }

    #[test]
    fn missing_and_late_referral_dates_are_flagged() {
        let xml = referrals(&["<CINreferralDate>2026-04-01</CINreferralDate>", ""]);
        assert_eq!(
            flagged(&RULE, &census(2026, &xml)),
            vec![
                cell(
                    "CINdetails",
                    nth_line(&xml, "<CINdetails>", 0),
                    "CINreferralDate"
                ),
                cell(
                    "CINdetails",
                    nth_line(&xml, "<CINdetails>", 1),
                    "CINreferralDate"
                ),
            ]
        );
    }
}
