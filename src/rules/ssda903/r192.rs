//! # 192: intervention received missing for a child with a substance misuse problem
//!
//! Checks that an OC2 row with `SUBSTANCE_MISUSE=1` gives `INTERVENTION_RECEIVED`.
//!
//! ## Why
//! For a child identified with a substance misuse problem, whether an intervention was received
//! is the outcome the item exists to measure.
//!
//! ## Example
//! `SUBSTANCE_MISUSE=1, INTERVENTION_RECEIVED=1` passes; with `INTERVENTION_RECEIVED` blank both
//! cells are flagged.

use crate::rule;
use crate::rules::Flags;
use crate::rules::ssda903::{Rule903, Ssda903};

rule! {
    /// INTERVENTION_RECEIVED is blank for a child with a substance misuse problem.
    pub const RULE: Rule903 = {
        code: "192",
        message: "Child has been identified as having a substance misuse problem but the additional item on whether an intervention was received has been left blank.",
        severity: Error,
        tables: ["OC2"],
        fields: ["SUBSTANCE_MISUSE", "INTERVENTION_RECEIVED"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [],
        check: check,
    }
}

fn check(data: &Ssda903<'_>, flags: &mut Flags) {
    for child in data.children() {
        for row in child.oc2() {
            if row.substance_misuse().is("1") && row.intervention_received().is_blank() {
                flags.cells([row.at("SUBSTANCE_MISUSE"), row.at("INTERVENTION_RECEIVED")]);
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
    fn intervention_given_passes() {
        let data = dataset(
            2026,
            Role::ThisYear,
            &[&format!(
                "{OC2}1,01/02/2010,10,,0,0,1,1,1,1,1,\n2,01/02/2010,10,,0,0,1,1,1,0,,\n"
            )],
        );
        assert!(flagged(&RULE, &data, None, None).is_empty());
    }

    #[test]
    fn intervention_missing_is_flagged() {
        let data = dataset(
            2026,
            Role::ThisYear,
            &[&format!("{OC2}1,01/02/2010,10,,0,0,1,1,1,1,,\n")],
        );
        assert_eq!(
            flagged(&RULE, &data, None, None),
            vec![cells(
                "OC2",
                2,
                &["SUBSTANCE_MISUSE", "INTERVENTION_RECEIVED"]
            )]
        );
    }
}
