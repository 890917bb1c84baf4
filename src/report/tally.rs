//! Counts for the Summary and By child sheets. A finding that points at several cells counts once:
//! the team has one thing to fix, not one per cell.

use std::collections::{BTreeMap, HashSet};

use super::order::compare_rule_codes;
use crate::issue::{Issue, Severity};
use crate::structural::Check;

/// Issues, findings and children with issues, for a set of issues.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Counts {
    pub issues: usize,
    pub findings: usize,
    pub children: usize,
}

impl Counts {
    fn of<'a>(issues: impl IntoIterator<Item = &'a Issue>) -> Self {
        let mut counts = Counts::default();
        let mut findings = HashSet::new();
        let mut children = HashSet::new();
        for issue in issues {
            counts.issues += 1;
            findings.insert(issue.finding_id);
            if let Some(child) = issue.location.child_id.as_deref() {
                children.insert(child);
            }
        }
        counts.findings = findings.len();
        counts.children = children.len();
        counts
    }
}

pub(super) fn by_severity(sorted: &[&Issue]) -> [(Severity, Counts); 3] {
    Severity::ALL.map(|severity| {
        let counts = Counts::of(sorted.iter().copied().filter(|i| i.severity == severity));
        (severity, counts)
    })
}

/// One line of the per-rule table.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct RuleLine<'a> {
    pub code: &'a str,
    pub severity: Severity,
    /// The DfE's message for a rule; for a structural check, what it means (its messages differ
    /// by column).
    pub message: &'a str,
    pub counts: Counts,
}

/// Per rule, in report order. `sorted` must be in report order, which keeps each rule's issues
/// together.
pub(super) fn by_rule<'a>(sorted: &[&'a Issue]) -> Vec<RuleLine<'a>> {
    sorted
        .chunk_by(|a, b| a.severity == b.severity && a.rule_code == b.rule_code)
        .map(|group| {
            let first: &'a Issue = group[0];
            RuleLine {
                code: &first.rule_code,
                severity: first.severity,
                message: Check::from_code(&first.rule_code)
                    .map_or(&*first.message, |check| check.description()),
                counts: Counts::of(group.iter().copied()),
            }
        })
        .collect()
}

/// One line of the By child sheet.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct ChildLine<'a> {
    pub child_id: &'a str,
    /// Findings by severity, in the order of [`Severity::ALL`].
    pub findings: [usize; 3],
    /// The rules the child breaks, in report order.
    pub rules: Vec<&'a str>,
}

/// Per child with at least one issue, by child id.
pub(super) fn by_child<'a>(issues: &[&'a Issue]) -> Vec<ChildLine<'a>> {
    let mut children: BTreeMap<&str, ([HashSet<u32>; 3], Vec<&str>)> = BTreeMap::new();
    for issue in issues {
        let Some(child) = issue.location.child_id.as_deref() else {
            continue;
        };
        let (findings, rules) = children.entry(child).or_default();
        findings[issue.severity as usize].insert(issue.finding_id);
        rules.push(&issue.rule_code);
    }
    children
        .into_iter()
        .map(|(child_id, (findings, mut rules))| {
            rules.sort_by(|a, b| compare_rule_codes(a, b));
            rules.dedup();
            ChildLine {
                child_id,
                findings: findings.map(|f| f.len()),
                rules,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::issue::{IssueSink, Location};
    use crate::report::sorted_issues;
    use crate::schema::ReturnKind;
    use crate::year::CollectionYear;

    fn location(child: Option<&str>) -> Location {
        Location {
            child_id: child.map(Into::into),
            ..Location::default()
        }
    }

    fn issues() -> Vec<Issue> {
        let year = CollectionYear::new(2026).unwrap();
        let mut sink = IssueSink::new("run".into(), ReturnKind::Ssda903, year);
        let finding = |code: &str, severity, child| crate::issue::Finding {
            rule_code: code.into(),
            severity,
            message: format!("{code} message").into(),
            location: location(child),
            flagged_value: None,
        };
        // One finding on two cells of C1, counted once.
        sink.push_linked(vec![
            finding("433", Severity::Error, Some("C1")),
            finding("433", Severity::Error, Some("C1")),
        ]);
        sink.push(finding("433", Severity::Error, Some("C2")));
        sink.push(finding("103", Severity::Error, Some("C1")));
        sink.push(finding("2887Q", Severity::Query, None));
        sink.push(finding("invalid-date", Severity::Error, Some("C2")));
        sink.into_issues()
    }

    #[test]
    fn rules_count_findings_and_children_once() {
        let issues = issues();
        let sorted = sorted_issues(&issues);
        let lines = by_rule(&sorted);
        let summary: Vec<_> = lines
            .iter()
            .map(|l| {
                (
                    l.code,
                    l.severity,
                    l.counts.issues,
                    l.counts.findings,
                    l.counts.children,
                )
            })
            .collect();
        assert_eq!(
            summary,
            vec![
                ("103", Severity::Error, 1, 1, 1),
                ("433", Severity::Error, 3, 2, 2),
                ("invalid-date", Severity::Error, 1, 1, 1),
                ("2887Q", Severity::Query, 1, 1, 0),
            ]
        );
        assert_eq!(lines[1].message, "433 message");
        assert_eq!(
            lines[2].message,
            Check::InvalidDate.description(),
            "a structural check is described, not quoted from one column's message"
        );
        let severities = by_severity(&sorted);
        assert_eq!(
            severities[0],
            (
                Severity::Error,
                Counts {
                    issues: 5,
                    findings: 4,
                    children: 2
                }
            )
        );
        assert_eq!(severities[1].1.findings, 1);
        assert_eq!(severities[2].1, Counts::default());
    }

    #[test]
    fn children_list_their_findings_and_rules() {
        let issues = issues();
        let sorted = sorted_issues(&issues);
        assert_eq!(
            by_child(&sorted),
            vec![
                ChildLine {
                    child_id: "C1",
                    findings: [2, 0, 0],
                    rules: vec!["103", "433"],
                },
                ChildLine {
                    child_id: "C2",
                    findings: [2, 0, 0],
                    rules: vec!["433", "invalid-date"],
                },
            ]
        );
    }
}
