//! # 8608: assessment authorised before it started
//!
//! Checks that no assessment's authorisation (completion) date is earlier than its start date.
//!
//! ## Why
//! An assessment ends after it starts; a completion before the start has a mistyped date, and
//! the assessment's duration — the DfE's timeliness measure — comes out negative.
//!
//! ## Example
//! Started 1 May, authorised 20 May 2025 passes; started 20 May, authorised 1 May 2025 is flagged
//! on both dates.

use crate::rule;
use crate::rules::Flags;
use crate::rules::cin::common::{assessment_dates, episodes};
use crate::rules::cin::{Cin, RuleCin};

rule! {
    /// An assessment is authorised before it starts.
    pub const RULE: RuleCin = {
        code: "8608",
        message: "Assessment Start Date cannot be later than its End Date",
        severity: Error,
        tables: ["Assessments"],
        fields: ["AssessmentActualStartDate", "AssessmentAuthorisationDate"],
        years: [2023, 2024, 2025, 2026, 2027],
        needs: [],
        check: check,
    }
}

fn check(data: &Cin<'_>, flags: &mut Flags) {
    for assessment in episodes(data).flat_map(|episode| assessment_dates(&episode)) {
        if assessment.ends_before_start() {
            flags.cells([assessment.start.0, assessment.end.0]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::cin::fixture::{census, flagged, line, one_episode, row_cells};

    fn assessed(start: &str, end: &str) -> String {
        one_episode(
            "C1",
            "<CINreferralDate>2025-04-01</CINreferralDate>",
            &format!(
                "<Assessments><AssessmentActualStartDate>{start}</AssessmentActualStartDate><AssessmentAuthorisationDate>{end}</AssessmentAuthorisationDate></Assessments>"
            ),
        )
    }

    #[test]
    fn authorised_on_or_after_the_start_passes() {
        for (start, end) in [("2025-05-01", "2025-05-20"), ("2025-05-01", "2025-05-01")] {
            assert!(flagged(&RULE, &census(2026, &assessed(start, end))).is_empty());
        }
    }

    #[test]
    fn authorised_before_the_start_is_flagged() {
        let xml = assessed("2025-05-20", "2025-05-01");
        assert_eq!(
            flagged(&RULE, &census(2026, &xml)),
            vec![row_cells(
                "Assessments",
                line(&xml, "<Assessments>"),
                &["AssessmentActualStartDate", "AssessmentAuthorisationDate"]
            )]
        );
    }
}
