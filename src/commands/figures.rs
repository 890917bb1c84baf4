//! `csc-returns figures`: an LA's figures for a year and period, provisional and validated side by
//! side, with England, region and statistical-neighbour benchmarks. Without snapshots for the year
//! it prints the published figures alone, so it also answers "how did LA X do in 2025?".

use crate::benchmarks::{Comparison, format_number};
use crate::commands::Failure;
use crate::commands::root::{RootArgs, text_table};
use crate::commands::schemas::{parse_return, parse_year};
use crate::figures::{self, FigureRow, INDICATORS, Indicator};
use crate::schema::ReturnKind;
use crate::year::CollectionYear;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TextFormat {
    Table,
    Csv,
}

#[derive(Debug, clap::Args)]
pub struct FiguresArgs {
    #[command(flatten)]
    pub root: RootArgs,
    /// The LA: DfE number (872) or ONS code (E06000041); default: the snapshots' LA.
    #[arg(long)]
    pub la: Option<String>,
    /// Collection year (2026 or 2025-26); default: the latest with snapshots.
    #[arg(long, value_parser = parse_year)]
    pub year: Option<CollectionYear>,
    /// The period: year (the year, or the year to date while it runs), ytd, Q1 to Q4, or a month
    /// such as 2025-11.
    #[arg(long, default_value = "year")]
    pub period: String,
    /// Only this return (ssda903 or cin).
    #[arg(long = "return", value_parser = parse_return)]
    pub return_kind: Option<ReturnKind>,
    /// Recompute every snapshot's figures first: after `benchmarks update`, or when an earlier
    /// year's return was re-run.
    #[arg(long)]
    pub recompute: bool,
    #[arg(long, value_enum, default_value = "table")]
    pub format: TextFormat,
    /// Print the indicator definitions (Markdown) and stop.
    #[arg(long)]
    pub definitions: bool,
}

pub fn run(args: FiguresArgs) -> Result<(), Failure> {
    if args.definitions {
        print!("{}", figures::indicators::definitions_markdown());
        return Ok(());
    }
    let (store, pipeline_la) = args.root.resolve()?;
    let benchmarks = RootArgs::benchmarks(&store)?;
    if args.recompute {
        for (return_kind, year) in store.return_years().map_err(Failure::runtime)? {
            for snapshot in store.list(return_kind, year).map_err(Failure::runtime)? {
                figures::write_for_snapshot(&store, &snapshot, &benchmarks, None)
                    .map_err(Failure::runtime)?;
            }
        }
    }
    let rows = figures::outturns(&store, &benchmarks).map_err(Failure::runtime)?;
    let la_code = args
        .la
        .clone()
        .or(pipeline_la)
        .or_else(|| rows.iter().find_map(|r| r.la_number.clone()));
    let la = match &la_code {
        Some(code) => Some(benchmarks.reference().la(code).ok_or_else(|| {
            Failure::config(format!(
                "--la {code:?} is not an LA the DfE publishes figures for: give its three-digit number (872) or ONS code (E06000041)"
            ))
        })?),
        None => None,
    };
    let year = match args.year {
        Some(year) => year,
        None => match rows.iter().map(|r| r.collection_year).max() {
            Some(y) => CollectionYear::new(y).map_err(Failure::runtime)?,
            None => {
                return Err(Failure::config(format!(
                    "no snapshots in {}: give --year to see published figures, or run a pipeline first",
                    store.root().display()
                )));
            }
        },
    };
    let of_year: Vec<&FigureRow> = rows
        .iter()
        .filter(|r| r.collection_year == year.end_year())
        .collect();
    let wanted: Vec<&FigureRow> = of_year
        .iter()
        .copied()
        .filter(|r| period_matches(r, &args.period))
        .collect();
    if wanted.is_empty() && !of_year.is_empty() {
        let mut labels: Vec<&str> = of_year.iter().map(|r| r.period.as_str()).collect();
        labels.sort_unstable();
        labels.dedup();
        return Err(Failure::config(format!(
            "--period {:?} matches none of {}'s periods: {}",
            args.period,
            year.label(),
            labels.join(", ")
        )));
    }
    let headers: Vec<String> = [
        "ref",
        "indicator",
        "breakdown",
        "period",
        "value",
        "numerator",
        "denominator",
        "status",
        "snapshot",
        "published",
        "la published",
        "england",
        "region",
        "sn mean",
        "sn median",
        "sn used",
        "rank",
        "quartile",
        "published trend",
    ]
    .map(String::from)
    .to_vec();
    let mut table = Vec::new();
    for indicator in INDICATORS
        .iter()
        .filter(|i| args.return_kind.is_none_or(|r| i.return_kind() == r))
    {
        let comparison = match (indicator.benchmark, la) {
            (Some(series), Some(la)) => {
                let dp = indicator.decimal_places;
                match benchmarks
                    .latest_year(&series, dp, year.end_year())
                    .map_err(Failure::config)?
                {
                    Some(y) => benchmarks
                        .compare(&series, dp, indicator.polarity, &la.number, y)
                        .map_err(Failure::config)?,
                    None => None,
                }
            }
            _ => None,
        };
        let mine: Vec<&FigureRow> = wanted
            .iter()
            .copied()
            .filter(|r| r.indicator == indicator.id)
            .collect();
        if mine.is_empty() {
            if comparison.is_some() {
                table.push(line(indicator, None, comparison.as_ref()));
            }
            continue;
        }
        for row in mine {
            let comparison = comparison.as_ref().filter(|_| row.breakdown.is_none());
            table.push(line(indicator, Some(row), comparison));
        }
    }
    match args.format {
        TextFormat::Table => {
            let title = match la {
                Some(la) => format!("{} ({}), {}", la.name, la.number, year.label()),
                None => year.label(),
            };
            println!("{title}, period {}\n", args.period);
            print!("{}", text_table(&headers, &table));
        }
        TextFormat::Csv => {
            let mut writer = csv::Writer::from_writer(std::io::stdout().lock());
            writer.write_record(&headers).map_err(Failure::runtime)?;
            for row in &table {
                writer.write_record(row).map_err(Failure::runtime)?;
            }
            writer.flush().map_err(Failure::runtime)?;
        }
    }
    Ok(())
}

/// Long names cut to fit a terminal (the CSV output keeps them whole).
fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let cut: String = text.chars().take(max - 1).collect();
        format!("{}…", cut.trim_end())
    }
}

/// Whether a figure is for the period asked: `year` takes the year or, while it runs, the year to
/// date; `Q1`…`Q4` a quarter; anything else a period label (`2025-11`, `2025-26 YTD`).
fn period_matches(row: &FigureRow, period: &str) -> bool {
    match period.to_ascii_lowercase().as_str() {
        "year" => matches!(row.period_type.as_str(), "year" | "ytd"),
        "ytd" => row.period_type == "ytd",
        q if q.len() == 2 && q.starts_with('q') => {
            row.period_type == "quarter" && row.period.to_ascii_lowercase().ends_with(q)
        }
        other => row.period.to_ascii_lowercase() == other,
    }
}

fn line(
    indicator: &Indicator,
    row: Option<&FigureRow>,
    comparison: Option<&Comparison>,
) -> Vec<String> {
    let dp = indicator.decimal_places;
    let number = |v: Option<f64>, dp: u8| v.map(|v| format_number(v, dp)).unwrap_or_default();
    let mut cells = vec![
        indicator.id.to_string(),
        shorten(indicator.name, 48),
        shorten(
            &row.and_then(|r| r.breakdown.clone()).unwrap_or_default(),
            28,
        ),
        row.map(|r| r.period.clone()).unwrap_or_default(),
        row.map(|r| number(r.value, dp))
            .unwrap_or_else(|| "–".into()),
        row.map(|r| number(r.numerator, 0)).unwrap_or_default(),
        row.map(|r| number(r.denominator, 0)).unwrap_or_default(),
        row.map(|r| r.status.clone()).unwrap_or_default(),
        row.map(|r| r.snapshot_id.clone()).unwrap_or_default(),
    ];
    match comparison {
        Some(c) => {
            let sn = &c.neighbours;
            cells.extend([
                c.year.to_string(),
                c.la.display(dp),
                c.england.display(dp),
                c.region.display(dp),
                number(sn.mean, dp + 1),
                number(sn.median, dp + 1),
                format!("{}/{}", sn.used, sn.used + sn.ignored),
                c.rank.map(|(r, n)| format!("{r}/{n}")).unwrap_or_default(),
                c.quartile.map(String::from).unwrap_or_default(),
                c.direction
                    .map(|d| {
                        format!("{} {}", d.movement(), d.judgement())
                            .trim()
                            .to_string()
                    })
                    .unwrap_or_default(),
            ]);
        }
        None => cells.extend(std::iter::repeat_n(String::new(), 10)),
    }
    cells
}
