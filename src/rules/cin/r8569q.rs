//! # 8569Q: no-further-action referral from before the census year
//!
//! Queries every referral marked as no further action (ReferralNFA true) whose referral date is
//! before the last working day before 1 April, the start of the census year.
//!
//! ## Why
//! An NFA referral is decided within a day or so; one received before the census year belongs to
//! last year's return. A referral carried into this year is returned because the episode was
//! still open, and an open episode led to further action — so one of the two fields is wrong.
//! Referrals of the last working day before 1 April are allowed: they may be decided on 1 April.
//!
//! Working days are Monday to Friday except England and Wales bank holidays, from the calendar
//! in `data/calendar/`. The reference validator rolls a non-working 1 April forward instead of
//! stepping back, and takes a blank ReferralNFA as NFA (`tests/oracle/divergences.md`).
//!
//! ## Example
//! In 2024/25 (1 April 2024 was Easter Monday, 29 March Good Friday) an NFA referral of Thursday
//! 28 March 2024 passes; one of Wednesday 27 March 2024 is queried.

use crate::rule;
use crate::rules::Flags;
use crate::rules::cin::common::{episodes_with_details, is_nfa};
use crate::rules::cin::{Cin, RuleCin};

rule! {
    /// A no-further-action referral is dated before the last working day before the census year.
    pub const RULE: RuleCin = {
        code: "8569Q",
        message: "A case with referral date before one working day prior to the collection start date must not be flagged as a no further action case",
        severity: Query,
        tables: ["CINdetails", "Header"],
        fields: ["ReferralNFA", "CINreferralDate"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [ReferenceDate, BankHolidays],
        check: check,
    }
}

fn check(data: &Cin<'_>, flags: &mut Flags) {
    let (Some((start, _)), Ok(calendar)) = (data.period(), data.working_days()) else {
        return;
    };
    let Ok(threshold) = calendar.subtract_working_days(start, 1) else {
        return;
    };
    for (episode, details) in episodes_with_details(data) {
        if is_nfa(&episode)
            && details
                .cin_referral_date()
                .ok()
                .is_some_and(|referral| referral < threshold)
        {
            flags.cells([details.at("ReferralNFA"), details.at("CINreferralDate")]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::cin::fixture::{census, child, episode, flagged, line, linked};

    fn referrals(referrals: &[(&str, &str)]) -> String {
        let episodes: Vec<String> = referrals
            .iter()
            .map(|(date, nfa)| {
                episode(
                    &format!(
                        "<CINreferralDate>{date}</CINreferralDate><ReferralNFA>{nfa}</ReferralNFA>"
                    ),
                    "",
                )
            })
            .collect();
        child("C1", "", &episodes.join("\n"))
    }

    fn finding(xml: &str, date: &str) -> Vec<(String, u32, String)> {
        let row = line(xml, date);
        linked(&[
            ("CINdetails", row, "ReferralNFA"),
            ("CINdetails", row, "CINreferralDate"),
        ])
    }

    #[test]
    fn nfa_from_the_last_working_day_before_april_and_further_action_pass() {
        // 2024/25: Good Friday 29 March, Easter Monday 1 April 2024.
        let xml = referrals(&[
            ("2024-03-28", "1"),
            ("2024-03-29", "true"),
            ("2024-04-02", "1"),
            ("2024-01-10", "0"),
            ("2024-01-11", ""),
        ]);
        assert!(flagged(&RULE, &census(2025, &xml)).is_empty());
    }

    #[test]
    fn nfa_before_it_is_queried() {
        let xml = referrals(&[("2024-03-27", "1"), ("2023-12-01", "TRUE")]);
        assert_eq!(
            flagged(&RULE, &census(2025, &xml)),
            vec![finding(&xml, "2023-12-01"), finding(&xml, "2024-03-27")]
        );
        // 2025/26: 1 April 2025 is a Tuesday, so the threshold is Monday 31 March.
        let xml = referrals(&[("2025-03-28", "1"), ("2025-03-31", "1")]);
        assert_eq!(
            flagged(&RULE, &census(2026, &xml)),
            vec![finding(&xml, "2025-03-28")]
        );
    }
}
