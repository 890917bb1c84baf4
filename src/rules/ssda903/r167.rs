//! # 167: review participation code is invalid or blank
//!
//! Checks that a review with a `REVIEW` date has a valid `REVIEW_CODE` (PN0 to PN7), and that a
//! row without a review date has no participation code either.
//!
//! ## Why
//! How children take part in their reviews is published; the code belongs to a review, so a
//! review without one, or a code without a review, cannot be counted.
//!
//! ## Example
//! `REVIEW=01/06/2025, REVIEW_CODE=PN1` passes; a blank or `PN8` code on a dated review is
//! flagged, and so is `PN1` on a row with no review date.

use crate::rule;
use crate::rules::Flags;
use crate::rules::ssda903::common::is_invalid;
use crate::rules::ssda903::{Rule903, Ssda903};

rule! {
    /// A review has a missing or invalid participation code, or a code without a review date.
    pub const RULE: Rule903 = {
        code: "167",
        message: "Data entry for participation is invalid or blank.",
        severity: Error,
        tables: ["Reviews"],
        fields: ["REVIEW_CODE"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [],
        check: check,
    }
}

fn check(data: &Ssda903<'_>, flags: &mut Flags) {
    for child in data.children() {
        for review in child.reviews() {
            let code = review.review_code();
            let wrong = if review.review().is_present() {
                is_invalid(&code, true)
            } else {
                code.is_present()
            };
            if wrong {
                flags.cell(review.at("REVIEW_CODE"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::ssda903::fixture::{REVIEWS, cell, dataset, flagged};
    use crate::source::Role;

    #[test]
    fn coded_reviews_pass() {
        let data = dataset(
            2026,
            Role::ThisYear,
            &[&format!(
                "{REVIEWS}1,01/02/2015,01/06/2025,PN1\n1,01/02/2015,01/12/2025,PN0\n"
            )],
        );
        assert!(flagged(&RULE, &data, None, None).is_empty());
    }

    #[test]
    fn missing_invalid_or_undated_codes_are_flagged() {
        let data = dataset(
            2026,
            Role::ThisYear,
            &[&format!(
                "{REVIEWS}1,01/02/2015,01/06/2025,\n1,01/02/2015,01/07/2025,PN8\n1,01/02/2015,01/08/2025,PN2\n2,01/02/2015,,PN1\n"
            )],
        );
        assert_eq!(
            flagged(&RULE, &data, None, None),
            vec![
                cell("Reviews", 2, "REVIEW_CODE"),
                cell("Reviews", 3, "REVIEW_CODE"),
                cell("Reviews", 5, "REVIEW_CODE")
            ]
        );
    }
}
