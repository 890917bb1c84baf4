//! `csc-returns query "SELECT ..."`: SQL (polars SQL) over a snapshot's tables, issues and figures.
//!
//! By default the current snapshot of each return (its latest year, or `--year`) is queried; its
//! tables are registered under their snapshot names (`episodes`, `header`, `cin_details`, …) and,
//! always, as `<return>_<name>` (`ssda903_header`, `cin_header`): a name both returns use is only
//! available that way unless `--return` picks one. `issues` and `figures` hold the rows of every
//! snapshot queried; `figures_all` holds the figures of every snapshot in the output root, for
//! comparing provisional and validated figures over time.

use std::collections::HashMap;
use std::path::PathBuf;

use crate::commands::Failure;
use crate::commands::root::{RootArgs, text_table};
use crate::commands::schemas::{parse_return, parse_year};
use crate::figures;
use crate::frame::{self, SqlSource};
use crate::schema::ReturnKind;
use crate::snapshot::{ISSUES_PARQUET, SnapshotRef};
use crate::year::CollectionYear;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum QueryFormat {
    Table,
    Csv,
    Parquet,
}

#[derive(Debug, clap::Args)]
pub struct QueryArgs {
    /// The query, e.g. "SELECT LS, COUNT(*) AS n FROM episodes GROUP BY LS".
    #[arg(required_unless_present = "tables")]
    pub sql: Option<String>,
    #[command(flatten)]
    pub root: RootArgs,
    /// Query this snapshot (by id) instead of the current ones.
    #[arg(long)]
    pub snapshot: Option<String>,
    /// Only this return (ssda903 or cin).
    #[arg(long = "return", value_parser = parse_return)]
    pub return_kind: Option<ReturnKind>,
    /// The collection year (default: the latest with snapshots, per return).
    #[arg(long, value_parser = parse_year)]
    pub year: Option<CollectionYear>,
    #[arg(long, value_enum, default_value = "table")]
    pub format: QueryFormat,
    /// Write the result to this file instead of the terminal (needed for parquet).
    #[arg(long)]
    pub to: Option<PathBuf>,
    /// List the tables a query can use, with their snapshots, and stop.
    #[arg(long)]
    pub tables: bool,
    /// Also register a CSV or Parquet file as a table, e.g. --with targets=targets.csv
    /// (repeatable): join your own lookups such as local targets or team names.
    #[arg(long = "with", value_name = "NAME=FILE", value_parser = parse_with)]
    pub with: Vec<(String, PathBuf)>,
}

fn parse_with(text: &str) -> Result<(String, PathBuf), String> {
    let (name, file) = text
        .split_once('=')
        .ok_or_else(|| format!("{text:?} is not NAME=FILE (e.g. targets=targets.csv)"))?;
    let valid = !name.is_empty()
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !name.starts_with(|c: char| c.is_ascii_digit());
    if !valid {
        return Err(format!(
            "{name:?} is not a table name: use letters, digits and _"
        ));
    }
    Ok((name.to_string(), PathBuf::from(file)))
}

pub fn run(args: QueryArgs) -> Result<(), Failure> {
    let (store, _) = args.root.resolve()?;
    let snapshots = select(&args, &store)?;
    let benchmarks = RootArgs::benchmarks(&store)?;
    let mut registered: Vec<(String, SqlSource, String)> = Vec::new();
    let mut by_name: HashMap<String, Vec<(ReturnKind, PathBuf)>> = HashMap::new();
    let (mut issues, mut figure_files) = (Vec::new(), Vec::new());
    for snapshot in &snapshots {
        let manifest = snapshot.manifest().map_err(Failure::runtime)?;
        for table in &manifest.tables {
            let path = snapshot.dir.join(&table.file);
            by_name
                .entry(table.snapshot_name.clone())
                .or_default()
                .push((snapshot.return_kind, path.clone()));
            registered.push((
                format!("{}_{}", snapshot.return_kind, table.snapshot_name),
                SqlSource::Files(vec![path]),
                snapshot.id.clone(),
            ));
        }
        issues.push(snapshot.dir.join(ISSUES_PARQUET));
        figures::ensure_for_snapshot(&store, snapshot, &benchmarks).map_err(Failure::runtime)?;
        figure_files.push(figures::figures_path(&store, snapshot));
    }
    let ids: Vec<&str> = snapshots.iter().map(|s| s.id.as_str()).collect();
    for (name, sources) in by_name {
        if let [(_, path)] = sources.as_slice() {
            let id = snapshots
                .iter()
                .find(|s| path.starts_with(&s.dir))
                .map(|s| s.id.clone())
                .unwrap_or_default();
            registered.push((name, SqlSource::Files(vec![path.clone()]), id));
        }
    }
    registered.push(("issues".into(), SqlSource::Files(issues), ids.join(",")));
    registered.push((
        "figures".into(),
        SqlSource::Files(figure_files),
        ids.join(","),
    ));
    let all = figures::all_figure_files(&store).map_err(Failure::runtime)?;
    registered.push((
        "figures_all".into(),
        if all.is_empty() {
            SqlSource::Frame(frame::figures_frame(&[]).map_err(Failure::runtime)?)
        } else {
            SqlSource::Files(all)
        },
        "every snapshot".into(),
    ));
    for (name, path) in &args.with {
        let source = match path.extension().and_then(|e| e.to_str()) {
            Some("parquet") => SqlSource::Files(vec![path.clone()]),
            Some("csv") => SqlSource::Frame(frame::read_csv(path).map_err(Failure::config)?),
            _ => {
                return Err(Failure::config(format!(
                    "--with {name}={}: give a .csv or .parquet file",
                    path.display()
                )));
            }
        };
        registered.retain(|(existing, _, _)| existing != name);
        registered.push((name.clone(), source, path.display().to_string()));
    }
    registered.sort_by(|a, b| a.0.cmp(&b.0));
    if args.tables {
        let rows: Vec<Vec<String>> = registered
            .iter()
            .map(|(name, _, from)| vec![name.clone(), from.clone()])
            .collect();
        print!(
            "{}",
            text_table(&["table".into(), "snapshot".into()], &rows)
        );
        return Ok(());
    }
    let tables: Vec<(String, SqlSource)> = registered.into_iter().map(|(n, s, _)| (n, s)).collect();
    let query = args.sql.as_deref().unwrap_or_default();
    let mut result = frame::sql(&tables, query).map_err(|e| {
        Failure::config(format!(
            "{e}\n(`csc-returns query --tables` lists the tables you can use)"
        ))
    })?;
    match (args.format, &args.to) {
        (QueryFormat::Parquet, None) => Err(Failure::config(
            "--format parquet needs --to FILE (Parquet is not for the terminal)",
        )),
        (QueryFormat::Parquet, Some(path)) => {
            if path.exists() {
                std::fs::remove_file(path).map_err(Failure::runtime)?;
            }
            frame::write_parquet(&mut result, path).map_err(Failure::runtime)?;
            eprintln!(
                "{} rows written to {}",
                frame::height(&result),
                path.display()
            );
            Ok(())
        }
        (QueryFormat::Csv, to) => {
            let mut out: Box<dyn std::io::Write> = match to {
                Some(path) => Box::new(crate::fsutil::create_private_file(path).map_err(|e| {
                    Failure::runtime(format!("cannot write {}: {e}", path.display()))
                })?),
                None => Box::new(std::io::stdout().lock()),
            };
            frame::write_csv(&mut result, &mut out).map_err(Failure::runtime)
        }
        (QueryFormat::Table, to) => {
            let (headers, rows) = frame::text_cells(&result).map_err(Failure::runtime)?;
            let text = text_table(&headers, &rows);
            match to {
                Some(path) => crate::fsutil::write_atomic(path, text.as_bytes())
                    .map_err(|e| Failure::runtime(format!("cannot write {}: {e}", path.display()))),
                None => {
                    print!("{text}");
                    Ok(())
                }
            }
        }
    }
}

/// The snapshots a query reads.
fn select(
    args: &QueryArgs,
    store: &crate::snapshot::SnapshotStore,
) -> Result<Vec<SnapshotRef>, Failure> {
    if let Some(id) = &args.snapshot {
        return match store.find(id).map_err(Failure::runtime)? {
            Some(snapshot) => Ok(vec![snapshot]),
            None => Err(Failure::config(format!(
                "no snapshot {id:?} in {}",
                store.root().display()
            ))),
        };
    }
    let mut chosen = Vec::new();
    let years = store.return_years().map_err(Failure::runtime)?;
    for return_kind in ReturnKind::ALL {
        if args.return_kind.is_some_and(|r| r != return_kind) {
            continue;
        }
        let year = match args.year {
            Some(year) => Some(year),
            None => years
                .iter()
                .filter(|(r, _)| *r == return_kind)
                .map(|(_, y)| *y)
                .max(),
        };
        if let Some(year) = year
            && let Some(snapshot) = store.latest(return_kind, year).map_err(Failure::runtime)?
        {
            chosen.push(snapshot);
        }
    }
    if chosen.is_empty() {
        return Err(Failure::config(format!(
            "no snapshots to query in {}: run a pipeline, or point --output / --pipeline at its output",
            store.root().display()
        )));
    }
    Ok(chosen)
}
