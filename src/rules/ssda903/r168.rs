//! # 168: unique pupil number is not valid
//!
//! Checks that a given `UPN` is either a unique pupil number — a letter other than I, O or S,
//! then 12 digits, or 11 digits and a letter — or one of the codes for an unknown UPN, UN1 to
//! UN5. Letters are compared regardless of case. A blank UPN is a missing mandatory value,
//! reported by the structural checks.
//!
//! ## Why
//! The UPN links the return to the National Pupil Database for the educational outcomes of
//! children looked after; a malformed one links to nobody.
//!
//! ## Example
//! `A123456789012`, `A12345678901B` and `UN2` pass; `I123456789012`, `A12345` and `UN6` are
//! flagged.

use crate::rule;
use crate::rules::Flags;
use crate::rules::ssda903::{Rule903, Ssda903};
use crate::table::Val;

rule! {
    /// The UPN is neither a well-formed pupil number nor UN1 to UN5.
    pub const RULE: Rule903 = {
        code: "168",
        message: "Unique Pupil Number (UPN) is not valid. If unknown, default codes should be UN1, UN2, UN3, UN4 or UN5.",
        severity: Error,
        tables: ["Header"],
        fields: ["UPN"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [],
        check: check,
    }
}

/// A pupil number, or a code for an unknown one (ssda903.md §3).
fn is_valid_upn(upn: &str) -> bool {
    let upn = upn.to_ascii_uppercase();
    let bytes = upn.as_bytes();
    if matches!(upn.as_str(), "UN1" | "UN2" | "UN3" | "UN4" | "UN5") {
        return true;
    }
    if bytes.len() != 13 {
        return false;
    }
    let first_ok = bytes[0].is_ascii_uppercase() && !matches!(bytes[0], b'I' | b'O' | b'S');
    let middle_ok = bytes[1..12].iter().all(u8::is_ascii_digit);
    let last_ok = bytes[12].is_ascii_digit() || bytes[12].is_ascii_uppercase();
    first_ok && middle_ok && last_ok
}

fn check(data: &Ssda903<'_>, flags: &mut Flags) {
    for child in data.children() {
        for header in child.headers() {
            let wrong = match header.upn() {
                Val::Ok(upn) => !is_valid_upn(upn),
                Val::Invalid => true,
                Val::Blank => false,
            };
            if wrong {
                flags.cell(header.at("UPN"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::ssda903::fixture::{HEADER, cell, dataset, flagged};
    use crate::source::Role;

    #[test]
    fn pupil_numbers_and_unknown_codes_pass() {
        let data = dataset(
            2026,
            Role::ThisYear,
            &[&format!(
                "{HEADER}1,M,01/02/2015,WBRI,A123456789012,,\n2,M,01/02/2015,WBRI,a12345678901b,,\n3,M,01/02/2015,WBRI,UN2,,\n"
            )],
        );
        assert!(flagged(&RULE, &data, None, None).is_empty());
    }

    #[test]
    fn malformed_numbers_are_flagged() {
        let data = dataset(
            2026,
            Role::ThisYear,
            &[&format!(
                "{HEADER}1,M,01/02/2015,WBRI,I123456789012,,\n2,M,01/02/2015,WBRI,A12345,,\n3,M,01/02/2015,WBRI,UN6,,\n4,M,01/02/2015,WBRI,UN1,,\n"
            )],
        );
        assert_eq!(
            flagged(&RULE, &data, None, None),
            vec![
                cell("Header", 2, "UPN"),
                cell("Header", 3, "UPN"),
                cell("Header", 4, "UPN")
            ]
        );
    }
}
