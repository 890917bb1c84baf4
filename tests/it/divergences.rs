//! `tests/oracle/divergences.md` as both differential tests read it: per rule code, which
//! directions of difference from the reference validator are explained, in which years and tables.

use std::collections::BTreeMap;

use crate::support::repo_root;

/// Which differences of one rule the file explains.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Explained {
    /// The oracle reports findings we do not.
    pub oracle_only: bool,
    /// We report findings the oracle does not.
    pub ours_only: bool,
    /// Only these collection years (end years); every year when empty.
    pub years: Vec<u16>,
    /// Only findings on these tables; every table when empty.
    pub tables: Vec<String>,
}

impl Explained {
    /// Whether a difference is explained: one the oracle reports (`oracle_only`) or one we report,
    /// in a collection year, on a table (last year's `<Table>_last` counts as `<Table>`).
    pub fn explains(&self, oracle_only: bool, year: u16, table: &str) -> bool {
        let direction = if oracle_only {
            self.oracle_only
        } else {
            self.ours_only
        };
        let table = table.trim_end_matches("_last");
        direction
            && (self.years.is_empty() || self.years.contains(&year))
            && (self.tables.is_empty() || self.tables.iter().any(|t| t == table))
    }
}

/// Every section of `tests/oracle/divergences.md`, by rule code. A section heading is `## CODE:
/// title`; its `- Explains:`, `- Years:` and `- Tables:` lines say what it explains.
pub fn read() -> BTreeMap<String, Explained> {
    let path = repo_root().join("tests/oracle/divergences.md");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    parse(&text)
}

fn parse(text: &str) -> BTreeMap<String, Explained> {
    let mut sections = BTreeMap::new();
    let mut current: Option<String> = None;
    let mut in_example = false;
    for line in text.lines() {
        if line.starts_with("```") {
            in_example = !in_example;
            continue;
        }
        if in_example {
            continue;
        }
        if let Some(heading) = line.strip_prefix("## ") {
            let code = heading.split(':').next().unwrap_or_default().trim();
            current = Some(code.to_string());
            sections.insert(code.to_string(), Explained::default());
            continue;
        }
        let Some(section) = current.as_ref().and_then(|c| sections.get_mut(c)) else {
            continue;
        };
        let list = |rest: &str| -> Vec<String> {
            rest.split(',')
                .map(|item| item.trim().to_string())
                .filter(|item| !item.is_empty())
                .collect()
        };
        if let Some(rest) = line.strip_prefix("- Explains:") {
            for direction in list(rest) {
                match direction.as_str() {
                    "oracle-only" => section.oracle_only = true,
                    "ours-only" => section.ours_only = true,
                    other => panic!("divergences.md: unknown direction {other:?} in `{line}`"),
                }
            }
        } else if let Some(rest) = line.strip_prefix("- Years:") {
            section.years = list(rest)
                .iter()
                .map(|y| {
                    y.parse()
                        .unwrap_or_else(|_| panic!("divergences.md: bad year in `{line}`"))
                })
                .collect();
        } else if let Some(rest) = line.strip_prefix("- Tables:") {
            section.tables = list(rest);
        }
    }
    sections
}

#[test]
fn sections_say_what_they_explain() {
    let text = "# Title\n\n```\n## CODE: short title\n```\n\n## 8540: disability\n\n- Explains: ours-only\n- Oracle: x\n\n## 4003: reviews\n\n- Explains: oracle-only, ours-only\n- Years: 2025, 2026\n- Tables: Reviews\n";
    let sections = parse(text);
    assert!(
        !sections.contains_key("CODE"),
        "the format's example is not a section"
    );
    assert_eq!(
        sections["8540"],
        Explained {
            ours_only: true,
            ..Explained::default()
        }
    );
    let reviews = &sections["4003"];
    assert!(reviews.explains(true, 2025, "Reviews") && reviews.explains(false, 2026, "Reviews"));
    assert!(reviews.explains(false, 2026, "Reviews_last"));
    assert!(!reviews.explains(false, 2027, "Reviews"));
    assert!(!reviews.explains(false, 2026, "CINdetails"));
}
