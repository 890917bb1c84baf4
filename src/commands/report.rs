//! `csc-returns report`: the performance report for councillors, as one self-contained HTML page
//! and a workbook of the same table.

use std::path::PathBuf;

use crate::commands::Failure;
use crate::commands::root::RootArgs;
use crate::figures::{self, report};
use crate::fsutil;

#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    #[command(flatten)]
    pub root: RootArgs,
    /// The LA to benchmark: DfE number (872) or ONS code; default: the snapshots' LA.
    #[arg(long)]
    pub la: Option<String>,
    /// Folder for performance.html and performance.xlsx (default: <output root>/reports).
    #[arg(long)]
    pub dir: Option<PathBuf>,
}

pub fn run(args: ReportArgs) -> Result<(), Failure> {
    let (store, pipeline_la) = args.root.resolve()?;
    let benchmarks = RootArgs::benchmarks(&store)?;
    let rows = figures::outturns(&store, &benchmarks).map_err(Failure::runtime)?;
    if rows.is_empty() {
        return Err(Failure::config(format!(
            "no snapshots in {}: run a pipeline first, or point --output / --pipeline at its output",
            store.root().display()
        )));
    }
    let code = args
        .la
        .or(pipeline_la)
        .or_else(|| rows.iter().find_map(|r| r.la_number.clone()));
    let la = match &code {
        Some(code) => Some(benchmarks.reference().la(code).ok_or_else(|| {
            Failure::config(format!(
                "--la {code:?} is not a known LA number or ONS code"
            ))
        })?),
        None => None,
    };
    let built = report::build(&rows, la, &benchmarks, chrono::Local::now().date_naive())
        .map_err(Failure::runtime)?;
    let dir = args.dir.unwrap_or_else(|| store.root().join("reports"));
    fsutil::create_private_dir_all(&dir)
        .map_err(|e| Failure::runtime(format!("cannot create {}: {e}", dir.display())))?;
    let html = dir.join("performance.html");
    let xlsx = dir.join("performance.xlsx");
    let write = |path: &PathBuf, bytes: &[u8]| {
        fsutil::write_atomic(path, bytes)
            .map_err(|e| Failure::runtime(format!("cannot write {}: {e}", path.display())))
    };
    write(&html, report::html::render(&built).as_bytes())?;
    write(
        &xlsx,
        &report::xlsx::render(&built).map_err(Failure::runtime)?,
    )?;
    println!("{}\n{}", html.display(), xlsx.display());
    Ok(())
}
