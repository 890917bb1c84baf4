//! `csc-returns schemas`: which return schemas this build knows, and what a year's tables hold.

use crate::commands::Failure;
use crate::schema::{ColumnKind, ReturnKind, SchemaSet};
use crate::year::CollectionYear;

#[derive(Debug, clap::Args)]
pub struct SchemasArgs {
    /// Show the tables and columns of this return (ssda903 or cin)...
    #[arg(long = "return", value_parser = parse_return)]
    pub return_kind: Option<ReturnKind>,
    /// ...for this collection year (2026, 2025-26, ...).
    #[arg(long, value_parser = parse_year)]
    pub year: Option<CollectionYear>,
}

pub fn parse_return(text: &str) -> Result<ReturnKind, String> {
    ReturnKind::parse(text).ok_or_else(|| format!("{text:?} is not a return; use ssda903 or cin"))
}

pub fn parse_year(text: &str) -> Result<CollectionYear, String> {
    CollectionYear::parse(text).map_err(|e| e.to_string())
}

pub fn run(args: SchemasArgs) -> Result<(), Failure> {
    let schemas = SchemaSet::embedded().map_err(Failure::config)?;
    match (args.return_kind, args.year) {
        (Some(return_kind), Some(year)) => {
            let schema = schemas.get(return_kind, year).map_err(Failure::config)?;
            println!(
                "{} {} (schema version {})",
                return_kind,
                year.label(),
                schema.version
            );
            for table in &schema.tables {
                println!("\n{} ({})", table.name, table.snapshot_name);
                for column in &table.columns {
                    let kind = match column.kind {
                        ColumnKind::Code => {
                            format!("code: {}", column.codes.as_deref().unwrap_or_default())
                        }
                        ColumnKind::Date => format!(
                            "date {}",
                            column.format.map(|f| f.as_str()).unwrap_or_default()
                        ),
                        other => format!("{other:?}").to_lowercase(),
                    };
                    let mandatory = if column.mandatory { ", mandatory" } else { "" };
                    println!("  {:<28} {kind}{mandatory}", column.name);
                }
            }
        }
        _ => {
            for return_kind in ReturnKind::ALL
                .into_iter()
                .filter(|r| args.return_kind.is_none_or(|a| a == *r))
            {
                let years: Vec<String> = schemas
                    .years(return_kind)
                    .iter()
                    .map(|y| y.label())
                    .collect();
                println!(
                    "{return_kind}: {}",
                    if years.is_empty() {
                        "none".to_string()
                    } else {
                        years.join(", ")
                    }
                );
            }
        }
    }
    Ok(())
}
