//! # 189: SDQ score or reason given for a child 17 or over at the start of the year
//!
//! Checks that an OC2 row of a child whose 17th birthday is before 1 April (by the row's DOB)
//! gives neither `SDQ_SCORE` nor `SDQ_REASON`. The given items are flagged with the DOB.
//!
//! ## Why
//! The SDQ is for children aged 4 to 16; for an older young person neither a score nor a reason
//! for no score applies.
//!
//! ## Example
//! In 2025/26 a young person born 01/02/2008 (17 on 1 April 2025) with `SDQ_REASON=SDQ1` is
//! flagged; one born 01/05/2008 is not.

use crate::rule;
use crate::rules::Flags;
use crate::rules::ssda903::common::birthday;
use crate::rules::ssda903::r188::sdq_given;
use crate::rules::ssda903::{Rule903, Ssda903};

rule! {
    /// A young person 17 or over at the start of the year has an SDQ score or reason.
    pub const RULE: Rule903 = {
        code: "189",
        message: "Child is aged 17 years or over at the beginning of the year, but an Strengths and Difficulties (SDQ) score or a reason for no Strengths and Difficulties (SDQ) score has been completed.",
        severity: Error,
        tables: ["OC2"],
        fields: ["DOB", "SDQ_SCORE", "SDQ_REASON"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [],
        check: check,
    }
}

fn check(data: &Ssda903<'_>, flags: &mut Flags) {
    let start = data.collection_start();
    for child in data.children() {
        for row in child.oc2() {
            let Some(dob) = row.dob().ok() else { continue };
            let given = sdq_given(&row);
            if birthday(dob, 17) < start && !given.is_empty() {
                flags.cells(std::iter::once(row.at("DOB")).chain(given));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::ssda903::fixture::{OC2, cells, dataset, flagged};
    use crate::source::Role;

    #[test]
    fn sdq_under_17_and_none_over_17_pass() {
        let data = dataset(
            2026,
            Role::ThisYear,
            &[&format!(
                "{OC2}1,01/05/2008,,SDQ1,0,0,1,1,1,0,,\n2,01/02/2008,,,0,0,1,1,1,0,,\n"
            )],
        );
        assert!(flagged(&RULE, &data, None, None).is_empty());
    }

    #[test]
    fn sdq_over_17_is_flagged_with_the_dob() {
        let data = dataset(
            2026,
            Role::ThisYear,
            &[&format!("{OC2}1,01/02/2008,,SDQ1,0,0,1,1,1,0,,\n")],
        );
        assert_eq!(
            flagged(&RULE, &data, None, None),
            vec![cells("OC2", 2, &["DOB", "SDQ_REASON"])]
        );
    }
}
