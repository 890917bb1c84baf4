//! # 188: SDQ score or reason given for a child under 4 at the end of the year
//!
//! Checks that an OC2 row of a child whose 4th birthday is after 31 March (by the row's DOB)
//! gives neither `SDQ_SCORE` nor `SDQ_REASON`. The given items are flagged.
//!
//! ## Why
//! The SDQ is for children aged 4 to 16; for a younger child neither a score nor a reason for no
//! score applies.
//!
//! ## Example
//! In 2025/26 a child born 01/02/2023 with both blank passes; with `SDQ_SCORE=5` it is flagged.

use crate::rule;
use crate::rules::Flags;
use crate::rules::ssda903::common::birthday;
use crate::rules::ssda903::{Rule903, Ssda903};

rule! {
    /// A child under 4 at the end of the year has an SDQ score or reason.
    pub const RULE: Rule903 = {
        code: "188",
        message: "Child is aged under 4 years at the end of the year, but a Strengths and Difficulties (SDQ) score or a reason for no SDQ score has been completed.",
        severity: Error,
        tables: ["OC2"],
        fields: ["SDQ_SCORE", "SDQ_REASON"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [],
        check: check,
    }
}

fn check(data: &Ssda903<'_>, flags: &mut Flags) {
    let end = data.collection_end();
    for child in data.children() {
        for row in child.oc2() {
            let Some(dob) = row.dob().ok() else { continue };
            if birthday(dob, 4) > end {
                flags.cells(sdq_given(&row));
            }
        }
    }
}

/// The SDQ score and reason cells of an OC2 row that are given (shared with rule 189).
pub(super) fn sdq_given(row: &crate::records::ssda903::Oc2<'_>) -> Vec<crate::records::CellRef> {
    let mut cells = Vec::new();
    if row.sdq_score().is_present() {
        cells.push(row.at("SDQ_SCORE"));
    }
    if row.sdq_reason().is_present() {
        cells.push(row.at("SDQ_REASON"));
    }
    cells
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::ssda903::fixture::{OC2, cell, dataset, flagged};
    use crate::source::Role;

    #[test]
    fn no_sdq_under_4_and_sdq_over_4_pass() {
        let data = dataset(
            2026,
            Role::ThisYear,
            &[&format!(
                "{OC2}1,01/02/2023,,,0,0,1,1,1,0,,\n2,01/03/2022,10,,0,0,1,1,1,0,,\n"
            )],
        );
        assert!(flagged(&RULE, &data, None, None).is_empty());
    }

    #[test]
    fn sdq_under_4_is_flagged() {
        let data = dataset(
            2026,
            Role::ThisYear,
            &[&format!("{OC2}1,01/04/2022,5,,0,0,1,1,1,0,,\n")],
        );
        assert_eq!(
            flagged(&RULE, &data, None, None),
            vec![cell("OC2", 2, "SDQ_SCORE")]
        );
    }
}
