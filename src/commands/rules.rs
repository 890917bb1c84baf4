//! `csc-returns rules`: the DfE validation rules this build checks — list them by return and
//! year, show one rule's message, metadata and documentation, or write the rule reference.

use std::io::Write;

use crate::commands::Failure;
use crate::commands::schemas::{parse_return, parse_year};
use crate::rules::RuleMeta;
use crate::rules::catalogue;
use crate::schema::ReturnKind;
use crate::year::CollectionYear;

#[derive(Debug, clap::Args)]
pub struct RulesArgs {
    #[command(subcommand)]
    pub command: RulesCommand,
}

#[derive(Debug, clap::Subcommand)]
pub enum RulesCommand {
    /// List the rules: code, years, severity, message.
    List {
        /// Only the rules of this return (ssda903 or cin).
        #[arg(long = "return", value_parser = parse_return)]
        return_kind: Option<ReturnKind>,
        /// Only the rules that apply to this collection year (2026, 2025-26, ...).
        #[arg(long, value_parser = parse_year)]
        year: Option<CollectionYear>,
    },
    /// Show a rule: its DfE message, severity, tables, fields, years and documentation.
    Show {
        /// The DfE rule code (103, 197B, 8500, ...).
        code: String,
        /// Only the version that applies to this collection year.
        #[arg(long, value_parser = parse_year)]
        year: Option<CollectionYear>,
    },
    /// Print a return's rule reference as Markdown (the source of docs/rules/<return>.md).
    Docs {
        #[arg(long = "return", value_parser = parse_return)]
        return_kind: ReturnKind,
    },
}

pub fn run(args: RulesArgs) -> Result<(), Failure> {
    let text = match args.command {
        RulesCommand::List { return_kind, year } => list(return_kind, year),
        RulesCommand::Show { code, year } => show(&code, year)?,
        RulesCommand::Docs { return_kind } => catalogue::markdown(return_kind),
    };
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
        .map_err(|e| Failure::runtime(format!("could not write to standard output: {e}")))
}

fn list(return_kind: Option<ReturnKind>, year: Option<CollectionYear>) -> String {
    let mut out = String::new();
    for kind in ReturnKind::ALL
        .into_iter()
        .filter(|k| return_kind.is_none_or(|r| r == *k))
    {
        let rules = catalogue::select(kind, year);
        let scope = year
            .map(|y| format!(" in {}", y.label()))
            .unwrap_or_default();
        out.push_str(&format!("{kind}: {} rule versions{scope}\n", rules.len()));
        for meta in rules {
            out.push_str(&format!(
                "  {:<9} {:<32} {:<6} {}\n",
                meta.code,
                meta.years_label(),
                meta.severity,
                meta.message
            ));
        }
    }
    out
}

fn show(code: &str, year: Option<CollectionYear>) -> Result<String, Failure> {
    let versions: Vec<(ReturnKind, &RuleMeta)> = catalogue::find(code)
        .into_iter()
        .filter(|(_, meta)| year.is_none_or(|y| meta.applies_to(y)))
        .collect();
    if versions.is_empty() {
        let scope = year
            .map(|y| format!(" in {}", y.label()))
            .unwrap_or_default();
        return Err(Failure::config(format!(
            "no rule {code:?}{scope}; `csc-returns rules list` shows the codes"
        )));
    }
    let mut out = String::new();
    for (i, (kind, meta)) in versions.into_iter().enumerate() {
        if i > 0 {
            out.push_str("\n---\n\n");
        }
        out.push_str(&format!("Rule {} ({kind})\n", meta.code));
        out.push_str(&format!("Message:  {}\n", meta.message));
        out.push_str(&format!("Severity: {}\n", meta.severity));
        out.push_str(&format!("Years:    {}\n", meta.years_label()));
        out.push_str(&format!("Tables:   {}\n", meta.tables.join(", ")));
        out.push_str(&format!("Fields:   {}\n", meta.fields.join(", ")));
        if !meta.needs.is_empty() {
            let needs: Vec<&str> = meta.needs.iter().map(|n| n.how_to_provide()).collect();
            out.push_str(&format!("Needs:    {}\n", needs.join("; ")));
        }
        out.push('\n');
        out.push_str(&meta.documentation());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_filters_by_return_and_year() {
        let text = list(
            Some(ReturnKind::Ssda903),
            Some(CollectionYear::new(2025).unwrap()),
        );
        assert!(text.starts_with("ssda903: "));
        assert!(text.contains("  146       2024/25"));
        assert!(!text.contains("2022/23–2023/24"), "{text}");
        assert!(!text.contains("cin:"));
    }

    #[test]
    fn show_gives_every_version_or_the_year_s_one() {
        let all = show("101", None).unwrap();
        assert!(all.contains("Gender code is not valid."));
        assert!(all.contains("The child or young person’s reported sex is not valid."));
        let one = show("101", Some(CollectionYear::new(2026).unwrap())).unwrap();
        assert!(!one.contains("Gender code"));
        assert!(one.contains("Fields:   SEX\n"));
        assert!(one.contains("## Why"));
    }

    #[test]
    fn show_of_an_unknown_code_says_where_to_look() {
        let err = show("999X", None).unwrap_err();
        assert!(err.to_string().contains("csc-returns rules list"));
    }
}
