//! # 158: intervention offered given although an intervention was received
//!
//! Checks that an OC2 row with `INTERVENTION_RECEIVED=1` leaves `INTERVENTION_OFFERED` blank.
//!
//! ## Why
//! "Offered" is asked only of children who did not receive an intervention, to tell refusals from
//! unmet need; for a child who received one it double-counts.
//!
//! ## Example
//! `INTERVENTION_RECEIVED=1` with `INTERVENTION_OFFERED` blank passes; with
//! `INTERVENTION_OFFERED=1` both cells are flagged.

use crate::rule;
use crate::rules::Flags;
use crate::rules::ssda903::{Rule903, Ssda903};

rule! {
    /// INTERVENTION_OFFERED is given although INTERVENTION_RECEIVED is 1.
    pub const RULE: Rule903 = {
        code: "158",
        message: "If a child has been recorded as receiving an intervention for their substance misuse problem, then the additional item on whether an intervention was offered should be left blank.",
        severity: Error,
        tables: ["OC2"],
        fields: ["INTERVENTION_RECEIVED", "INTERVENTION_OFFERED"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [],
        check: check,
    }
}

fn check(data: &Ssda903<'_>, flags: &mut Flags) {
    for child in data.children() {
        for row in child.oc2() {
            if row.intervention_received().is("1") && row.intervention_offered().is_present() {
                flags.cells([
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
    fn offered_blank_after_received_passes() {
        let data = dataset(
            2026,
            Role::ThisYear,
            &[&format!(
                "{OC2}1,01/02/2015,10,,0,0,1,1,1,1,1,\n2,01/02/2015,10,,0,0,1,1,1,1,0,1\n"
            )],
        );
        assert!(flagged(&RULE, &data, None, None).is_empty());
    }

    #[test]
    fn offered_given_after_received_is_flagged() {
        let data = dataset(
            2026,
            Role::ThisYear,
            &[&format!("{OC2}1,01/02/2015,10,,0,0,1,1,1,1,1,0\n")],
        );
        assert_eq!(
            flagged(&RULE, &data, None, None),
            vec![cells(
                "OC2",
                2,
                &["INTERVENTION_RECEIVED", "INTERVENTION_OFFERED"]
            )]
        );
    }
}
