//! # 159: intervention offered missing when no intervention was received
//!
//! Checks that an OC2 row with `SUBSTANCE_MISUSE=1` and `INTERVENTION_RECEIVED=0` gives
//! `INTERVENTION_OFFERED`. The three cells are flagged together.
//!
//! ## Why
//! For a child with a substance misuse problem who received no intervention, whether one was
//! offered tells a refusal from unmet need.
//!
//! ## Example
//! `SUBSTANCE_MISUSE=1, INTERVENTION_RECEIVED=0, INTERVENTION_OFFERED=1` passes; with
//! `INTERVENTION_OFFERED` blank it is flagged.

use crate::rule;
use crate::rules::Flags;
use crate::rules::ssda903::{Rule903, Ssda903};

rule! {
    /// INTERVENTION_OFFERED is blank for a child with substance misuse who received no intervention.
    pub const RULE: Rule903 = {
        code: "159",
        message: "If a child has been recorded as not receiving an intervention for their substance misuse problem, then the additional item on whether an intervention was offered should be completed as well.",
        severity: Error,
        tables: ["OC2"],
        fields: ["SUBSTANCE_MISUSE", "INTERVENTION_RECEIVED", "INTERVENTION_OFFERED"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [],
        check: check,
    }
}

fn check(data: &Ssda903<'_>, flags: &mut Flags) {
    for child in data.children() {
        for row in child.oc2() {
            if row.substance_misuse().is("1")
                && row.intervention_received().is("0")
                && row.intervention_offered().is_blank()
            {
                flags.cells([
                    row.at("SUBSTANCE_MISUSE"),
                    row.at("INTERVENTION_RECEIVED"),
                    row.at("INTERVENTION_OFFERED"),
                ]);
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
    fn offered_given_passes() {
        let data = dataset(
            2026,
            Role::ThisYear,
            &[&format!(
                "{OC2}1,01/02/2015,10,,0,0,1,1,1,1,0,1\n2,01/02/2015,10,,0,0,1,1,1,1,1,\n"
            )],
        );
        assert!(flagged(&RULE, &data, None, None).is_empty());
    }

    #[test]
    fn offered_missing_is_flagged() {
        let data = dataset(
            2026,
            Role::ThisYear,
            &[&format!("{OC2}1,01/02/2015,10,,0,0,1,1,1,1,0,\n")],
        );
        assert_eq!(
            flagged(&RULE, &data, None, None),
            vec![cells(
                "OC2",
                2,
                &[
                    "SUBSTANCE_MISUSE",
                    "INTERVENTION_RECEIVED",
                    "INTERVENTION_OFFERED"
                ]
            )]
        );
    }
}
