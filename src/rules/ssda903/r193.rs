//! # 193: intervention items given for a child without a substance misuse problem
//!
//! Checks that an OC2 row whose `SUBSTANCE_MISUSE` is `0` or blank gives neither
//! `INTERVENTION_RECEIVED` nor `INTERVENTION_OFFERED`. The given items are flagged with
//! `SUBSTANCE_MISUSE`.
//!
//! ## Why
//! The intervention items follow up an identified problem; without one they are meaningless and
//! inflate the published intervention counts.
//!
//! ## Example
//! `SUBSTANCE_MISUSE=0` with both intervention items blank passes; with
//! `INTERVENTION_OFFERED=1` it is flagged.

use crate::rule;
use crate::rules::Flags;
use crate::rules::ssda903::{Rule903, Ssda903};

rule! {
    /// Intervention items are given for a child without a substance misuse problem.
    pub const RULE: Rule903 = {
        code: "193",
        message: "Child not identified as having a substance misuse problem but at least one of the two additional items on whether an intervention were offered and received have been completed.",
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
            let misuse = row.substance_misuse();
            if !(misuse.is_blank() || misuse.is("0")) {
                continue;
            }
            let mut cells = Vec::new();
            if row.intervention_received().is_present() {
                cells.push(row.at("INTERVENTION_RECEIVED"));
            }
            if row.intervention_offered().is_present() {
                cells.push(row.at("INTERVENTION_OFFERED"));
            }
            if !cells.is_empty() {
                cells.insert(0, row.at("SUBSTANCE_MISUSE"));
                flags.cells(cells);
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
    fn no_interventions_without_a_problem_passes() {
        let data = dataset(
            2026,
            Role::ThisYear,
            &[&format!(
                "{OC2}1,01/02/2010,10,,0,0,1,1,1,0,,\n2,01/02/2010,10,,0,0,1,1,1,1,0,1\n"
            )],
        );
        assert!(flagged(&RULE, &data, None, None).is_empty());
    }

    #[test]
    fn interventions_without_a_problem_are_flagged() {
        let data = dataset(
            2026,
            Role::ThisYear,
            &[&format!("{OC2}1,01/02/2010,10,,0,0,1,1,1,0,,1\n")],
        );
        assert_eq!(
            flagged(&RULE, &data, None, None),
            vec![cells(
                "OC2",
                2,
                &["SUBSTANCE_MISUSE", "INTERVENTION_OFFERED"]
            )]
        );
    }
}
