//! `csc-returns benchmarks`: the published benchmark editions in use, and `update` to fetch newer
//! ones (configured in YAML; see `pipelines/benchmarks.yaml`).

use std::path::PathBuf;

use crate::benchmarks::update::{self, Outcome, UpdateConfig};
use crate::commands::Failure;
use crate::commands::root::{RootArgs, benchmarks_dir, text_table};

#[derive(Debug, clap::Args)]
pub struct BenchmarksArgs {
    #[command(subcommand)]
    pub action: BenchmarksAction,
}

#[derive(Debug, clap::Subcommand)]
pub enum BenchmarksAction {
    /// List the edition of each published table in use.
    List {
        #[command(flatten)]
        root: RootArgs,
    },
    /// Fetch newer editions (EES API or CSV downloads) and store them beside the shipped ones.
    Update {
        /// What to fetch, e.g. pipelines/benchmarks.yaml.
        #[arg(long)]
        config: PathBuf,
        #[command(flatten)]
        root: RootArgs,
    },
}

pub fn run(args: BenchmarksArgs) -> Result<(), Failure> {
    match args.action {
        BenchmarksAction::List { root } => {
            let (store, _) = root.resolve()?;
            let benchmarks = RootArgs::benchmarks(&store)?;
            let rows: Vec<Vec<String>> = benchmarks
                .editions()
                .into_iter()
                .map(|e| {
                    vec![
                        e.table.clone(),
                        e.name.clone(),
                        e.latest_year.map(|y| y.to_string()).unwrap_or_default(),
                        e.retrieved_at.clone(),
                        e.source.clone(),
                    ]
                })
                .collect();
            let headers =
                ["table", "edition", "latest year", "retrieved", "source"].map(String::from);
            print!("{}", text_table(&headers, &rows));
            Ok(())
        }
        BenchmarksAction::Update { config, root } => {
            let config = UpdateConfig::load(&config).map_err(Failure::config)?;
            let (store, _) = root.resolve()?;
            let dir = benchmarks_dir(&store);
            let outcomes = update::update(&config, &dir);
            let mut failed = 0;
            for outcome in &outcomes {
                match outcome {
                    Outcome::Stored(e) => println!(
                        "{}: stored edition {} ({} rows, latest year {}) in {}",
                        e.table,
                        e.name,
                        e.rows,
                        e.latest_year
                            .map(|y| y.to_string())
                            .unwrap_or_else(|| "?".into()),
                        dir.join(&e.table).join(&e.name).display()
                    ),
                    Outcome::Unchanged(e) => {
                        println!("{}: unchanged, same as edition {}", e.table, e.name)
                    }
                    Outcome::Failed { table, error } => {
                        failed += 1;
                        println!("{table}: FAILED: {error}");
                    }
                }
            }
            if failed > 0 {
                return Err(Failure::runtime(format!(
                    "{failed} of {} tables could not be updated; the editions in use are unchanged for them",
                    outcomes.len()
                )));
            }
            println!(
                "Run `csc-returns figures --recompute` to compare existing figures with the new editions."
            );
            Ok(())
        }
    }
}
