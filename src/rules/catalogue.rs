//! The rule registries as one catalogue: what `csc-returns rules` lists and shows, and the
//! generated rule reference `docs/rules/<return>.md`. Everything here reads [`RuleMeta`] only, so
//! a new return's rules appear once its registry is listed in [`rules_of`].

use std::fmt::Write;

use crate::rules::{RuleMeta, cin, ssda903};
use crate::schema::ReturnKind;
use crate::year::CollectionYear;

/// Every rule version of a return, in registry order.
pub fn rules_of(return_kind: ReturnKind) -> Vec<&'static RuleMeta> {
    match return_kind {
        ReturnKind::Ssda903 => ssda903::RULES.iter().map(|r| &r.meta).collect(),
        ReturnKind::Cin => cin::RULES.iter().map(|r| &r.meta).collect(),
    }
}

/// The rule versions of a return that apply to `year` (all of them without a year).
pub fn select(return_kind: ReturnKind, year: Option<CollectionYear>) -> Vec<&'static RuleMeta> {
    rules_of(return_kind)
        .into_iter()
        .filter(|meta| year.is_none_or(|y| meta.applies_to(y)))
        .collect()
}

/// Every version of a rule code, across returns; codes compare without regard to case
/// (`197b` finds `197B`).
pub fn find(code: &str) -> Vec<(ReturnKind, &'static RuleMeta)> {
    ReturnKind::ALL
        .into_iter()
        .flat_map(|kind| rules_of(kind).into_iter().map(move |meta| (kind, meta)))
        .filter(|(_, meta)| meta.code.eq_ignore_ascii_case(code.trim()))
        .collect()
}

/// The command that regenerates a return's rule reference.
pub fn docs_command(return_kind: ReturnKind) -> String {
    format!("csc-returns rules docs --return {return_kind} > docs/rules/{return_kind}.md")
}

fn title(return_kind: ReturnKind) -> &'static str {
    match return_kind {
        ReturnKind::Ssda903 => "SSDA903 (children looked after) validation rules",
        ReturnKind::Cin => "CIN census validation rules",
    }
}

/// The rule reference of a return, as Markdown: an index, then one section per rule version
/// with its metadata, the DfE message and the rule's documentation.
pub fn markdown(return_kind: ReturnKind) -> String {
    let rules = rules_of(return_kind);
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", title(return_kind));
    let _ = writeln!(
        out,
        "Generated from the rule registry by `{}`; do not edit by hand.\n",
        docs_command(return_kind)
    );
    let _ = writeln!(
        out,
        "{} rule versions. Years are collection years (2025/26 runs from 1 April 2025 to 31 March 2026).\n",
        rules.len()
    );
    let _ = writeln!(out, "| code | years | severity | message |");
    let _ = writeln!(out, "|---|---|---|---|");
    for meta in &rules {
        let _ = writeln!(
            out,
            "| [{}](#{}) | {} | {} | {} |",
            meta.code,
            anchor(meta),
            meta.years_label(),
            meta.severity,
            meta.message.replace('|', "\\|")
        );
    }
    for meta in &rules {
        let _ = writeln!(out);
        out.push_str(&section(meta));
    }
    out
}

/// The Markdown anchor of a rule version's section.
fn anchor(meta: &RuleMeta) -> String {
    format!(
        "rule-{}-{}",
        meta.code.to_ascii_lowercase(),
        meta.years.first().copied().unwrap_or_default()
    )
}

fn section(meta: &RuleMeta) -> String {
    let documentation = meta.documentation();
    let mut lines = documentation.lines();
    let heading = lines
        .next()
        .and_then(|l| l.strip_prefix("# "))
        .map(str::to_string)
        .unwrap_or_else(|| meta.code.to_string());
    let mut out = String::new();
    let _ = writeln!(out, "<a id=\"{}\"></a>\n", anchor(meta));
    let _ = writeln!(out, "## {heading}\n");
    let _ = writeln!(out, "> {}\n", meta.message);
    let _ = writeln!(out, "- Years: {}", meta.years_label());
    let _ = writeln!(out, "- Severity: {}", meta.severity);
    let _ = writeln!(out, "- Tables: {}", meta.tables.join(", "));
    let _ = writeln!(out, "- Fields: {}", meta.fields.join(", "));
    if !meta.needs.is_empty() {
        let needs: Vec<&str> = meta.needs.iter().map(|n| n.as_str()).collect();
        let _ = writeln!(out, "- Needs: {}", needs.join(", "));
    }
    for line in lines {
        // The rule file's own headings sit one level under the rule's.
        if line.starts_with('#') {
            let _ = writeln!(out, "##{line}");
        } else {
            let _ = writeln!(out, "{line}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_current(return_kind: ReturnKind, committed: &str) {
        let generated = markdown(return_kind);
        assert!(
            generated == committed,
            "docs/rules/{return_kind}.md is out of date with the rule registry; run `{}` to update it",
            docs_command(return_kind)
        );
    }

    #[test]
    fn ssda903_rule_reference_is_current() {
        assert_current(
            ReturnKind::Ssda903,
            include_str!("../../docs/rules/ssda903.md"),
        );
    }

    #[test]
    fn cin_rule_reference_is_current() {
        assert_current(ReturnKind::Cin, include_str!("../../docs/rules/cin.md"));
    }

    #[test]
    fn documentation_is_the_rule_file_module_doc() {
        let meta = find("103")[0].1;
        let doc = meta.documentation();
        assert!(
            doc.starts_with("# 103: ethnicity code is not valid\n"),
            "{doc}"
        );
        assert!(doc.contains("## Why\n"));
        assert!(!doc.contains("use crate"));
    }

    #[test]
    fn code_links_become_plain_text() {
        let doc = find("185")[0].1.documentation();
        assert!(
            doc.contains("31 March,\n`continuously_looked_after`)"),
            "{doc}"
        );
    }

    #[test]
    fn years_are_labelled_as_ranges() {
        let meta = find("146")
            .into_iter()
            .map(|(_, m)| m)
            .find(|m| m.years == [2023, 2024])
            .unwrap();
        assert_eq!(meta.years_label(), "2022/23–2023/24");
        assert_eq!(find("197b")[0].1.code, "197B");
    }

    #[test]
    fn every_rule_is_documented_with_why_and_example() {
        for kind in ReturnKind::ALL {
            for meta in rules_of(kind) {
                let doc = meta.documentation();
                assert!(
                    doc.starts_with(&format!("# {}", meta.code)),
                    "rule {} doc must start with `# {}`",
                    meta.code,
                    meta.code
                );
                for part in ["## Why", "## Example"] {
                    assert!(doc.contains(part), "rule {} doc lacks {part}", meta.code);
                }
            }
        }
    }
}
