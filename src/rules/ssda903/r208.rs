//! # 208: UPN differs from last year
//!
//! Flags a child whose UPN this year differs from last year's, except for the changes that
//! record progress in finding it:
//!
//! - from blank or UN1 ("not of school age") to UN2-UN5 (a reason it is unknown);
//! - from blank or any UN code to a real UPN.
//!
//! Everything else is flagged: one UPN replaced by another, a UPN replaced by a UN code or left
//! blank, one of UN2-UN5 replaced by another UN code, and blank replaced by UN1.
//!
//! ## Why
//! A UPN identifies a pupil for life; a change links the child to another pupil's records.
//!
//! ## Example
//! Last year `UN1`, this year `A123456789012` passes; last year `A123456789012`, this year
//! `B123456789012` is flagged on both cells.

use crate::rule;
use crate::rules::Flags;
use crate::rules::ssda903::common::headers_with_last;
use crate::rules::ssda903::{Rule903, Ssda903};
use crate::table::Val;

rule! {
    /// The child's UPN differs from last year's other than by being found.
    pub const RULE: Rule903 = {
        code: "208",
        message: "Unique Pupil Number (UPN) for the current year disagrees with the Unique Pupil Number (UPN) already recorded for this child.",
        severity: Error,
        tables: ["Header", "Header_last"],
        fields: ["UPN"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [PreviousYear],
        check: check,
    }
}

const UNKNOWN: [&str; 5] = ["UN1", "UN2", "UN3", "UN4", "UN5"];

/// A UPN as compared: upper case, `None` when blank.
fn upn(value: Val<&str>) -> Option<Option<String>> {
    match value {
        Val::Ok(text) => Some(Some(text.to_ascii_uppercase())),
        Val::Blank => Some(None),
        Val::Invalid => None,
    }
}

/// Whether going from `before` to `now` is a change the DfE accepts.
fn is_progress(before: Option<&str>, now: Option<&str>) -> bool {
    let unknown = |u: Option<&str>| u.is_none_or(|u| UNKNOWN.contains(&u));
    let reason_found =
        matches!(before, None | Some("UN1")) && now.is_some_and(|n| UNKNOWN[1..].contains(&n));
    reason_found || (unknown(before) && !unknown(now))
}

fn check(data: &Ssda903<'_>, flags: &mut Flags) {
    for (_, header, last) in headers_with_last(data) {
        let (Some(now), Some(before)) = (upn(header.upn()), upn(last.upn())) else {
            continue;
        };
        if now != before && !is_progress(before.as_deref(), now.as_deref()) {
            flags.cells([header.at("UPN"), last.at("UPN")]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::Year;
    use crate::rules::ssda903::fixture::{HEADER, dataset, flagged};
    use crate::source::Role;

    fn pairs(pairs: &[(&str, &str)]) -> Vec<Vec<(Year, String, u32, String)>> {
        let row = |i: usize, upn: &str| format!("{i},F,01/02/2015,WBRI,{upn},0,\n");
        let last: String = pairs
            .iter()
            .enumerate()
            .map(|(i, (b, _))| row(i, b))
            .collect();
        let this: String = pairs
            .iter()
            .enumerate()
            .map(|(i, (_, n))| row(i, n))
            .collect();
        let last = dataset(2025, Role::PreviousYear, &[&format!("{HEADER}{last}")]);
        let this = dataset(2026, Role::ThisYear, &[&format!("{HEADER}{this}")]);
        flagged(&RULE, &this, Some(&last), None)
    }

    #[test]
    fn unchanged_and_found_upns_pass() {
        assert!(
            pairs(&[
                ("A123456789012", "a123456789012"),
                ("UN1", "UN2"),
                ("", "UN3"),
                ("UN4", "A123456789012"),
                ("", "A123456789012"),
                ("", ""),
            ])
            .is_empty()
        );
    }

    #[test]
    fn other_changes_are_flagged_in_both_years() {
        let flagged = pairs(&[
            ("A123456789012", "B123456789012"),
            ("A123456789012", "UN5"),
            ("A123456789012", ""),
            ("UN2", "UN3"),
            ("", "UN1"),
            ("UN1", "UN1"),
        ]);
        let rows: Vec<u32> = flagged.iter().map(|f| f[0].2).collect();
        assert_eq!(rows, vec![2, 3, 4, 5, 6]);
        assert_eq!(
            flagged[0][1],
            (Year::Previous, "Header".to_string(), 2, "UPN".to_string())
        );
    }
}
