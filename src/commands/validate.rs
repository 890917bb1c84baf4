//! `csc-returns validate PATH...`: ingest, check and snapshot files ad hoc, without a pipeline file.

use std::path::PathBuf;

use crate::commands::Failure;
use crate::commands::schemas::{parse_return, parse_year};
use crate::ingest::fetch::SourceSpec;
use crate::pipeline::config::{LaConfig, PipelineConfig, ReturnConfig};
use crate::pipeline::history::Trigger;
use crate::pipeline::nightly::Options;
use crate::schema::ReturnKind;
use crate::source::SourceFormat;
use crate::year::CollectionYear;

#[derive(Debug, clap::Args)]
pub struct ValidateArgs {
    /// Files or folders of one return (CSV, XLSX or XML).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// The return: ssda903 or cin (default: cin for XML files with a <Message> root, else ssda903).
    #[arg(long = "return", value_parser = parse_return)]
    pub return_kind: Option<ReturnKind>,
    /// The collection year, e.g. 2026 or 2025-26 (default: from the CIN ReferenceDate or file names).
    #[arg(long, value_parser = parse_year)]
    pub year: Option<CollectionYear>,
    /// Files or folders of last year's SSDA903 return, for the rules that compare years.
    #[arg(long = "previous-year")]
    pub previous_year: Vec<PathBuf>,
    /// ONS code of the responsible LA (e.g. E08000035); rules that need it are skipped without it.
    #[arg(long = "la")]
    pub la_code: Option<String>,
    /// Output root for the snapshot and reports.
    #[arg(long, default_value = "csc-returns-output")]
    pub output: PathBuf,
    /// Exit with code 1 when the data has errors.
    #[arg(long)]
    pub fail_on_errors: bool,
}

pub fn run(args: ValidateArgs) -> Result<(), Failure> {
    let return_kind = match args.return_kind {
        Some(kind) => kind,
        None => guess_return(&args.paths),
    };
    let text = |paths: &[PathBuf]| {
        paths
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
    };
    let returns = vec![ReturnConfig {
        return_kind,
        year: args.year,
        sources: text(&args.paths)
            .into_iter()
            .map(SourceSpec::from)
            .collect(),
        previous_year: text(&args.previous_year),
    }];
    let la = args.la_code.map(|code| LaConfig {
        code,
        number: None,
        name: None,
    });
    let config = PipelineConfig::ad_hoc(la, args.output, returns).map_err(Failure::config)?;
    // A check asked for by hand always runs, whatever ran before.
    let options = Options {
        trigger: Trigger::Manual,
        force: true,
        wait: true,
        pipeline_file: None,
    };
    crate::commands::run::execute(&config, &options, args.fail_on_errors)
}

/// XML files whose root is the CIN census `<Message>` are CIN; anything else is SSDA903.
fn guess_return(paths: &[PathBuf]) -> ReturnKind {
    let is_cin_xml = |path: &PathBuf| {
        let mut head = Vec::with_capacity(4096);
        SourceFormat::of_path(path) == Some(SourceFormat::Xml)
            && std::fs::File::open(path).is_ok_and(|file| {
                std::io::Read::read_to_end(&mut std::io::Read::take(file, 4096), &mut head).is_ok()
            })
            && String::from_utf8_lossy(&head).contains("<Message")
    };
    if paths.iter().any(is_cin_xml) {
        ReturnKind::Cin
    } else {
        ReturnKind::Ssda903
    }
}
