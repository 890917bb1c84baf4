//! `csc-returns synth`: writes synthetic SSDA903 and CIN census returns (this collection year and
//! the one before), with Ofsted provider lists for the 903 URNs and a manifest, optionally with
//! injected errors. Synthetic data only: every child and provider is invented.

use std::path::PathBuf;

use crate::commands::Failure;
use crate::commands::schemas::parse_year;
use crate::schema::ReturnKind;
use crate::synth::injection::Request;
use crate::synth::{self, Options, SynthError};
use crate::year::CollectionYear;

#[derive(Debug, clap::Args)]
pub struct SynthArgs {
    /// Folder to write into (created if missing; existing files of the same names are replaced).
    #[arg(long)]
    pub out: PathBuf,
    /// Children per return.
    #[arg(long, default_value_t = 500)]
    pub children: usize,
    /// Random seed: the same seed, options and version give byte-identical files.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Collection year (end year: 2026 = 2025/26); the year before is written too.
    #[arg(long, value_parser = parse_year, default_value = "2026")]
    pub year: CollectionYear,
    /// Which return to write: ssda903, cin or both.
    #[arg(long = "return", default_value = "both", value_parser = parse_returns)]
    pub returns: ReturnChoice,
    /// Home LA, by ONS code (E08000003) or DfE code (352).
    #[arg(long, default_value = "E08000003")]
    pub la: String,
    /// Probability that any data cell is broken by a structural error (invalid date or code,
    /// blank mandatory value, bad integer or boolean, repeated 903 row).
    #[arg(long, default_value_t = 0.0)]
    pub structural_error_rate: f64,
    /// Inject COUNT errors of KIND (default 1), e.g. `--inject invalid-date=5`; repeatable.
    #[arg(long = "inject", value_name = "KIND[=COUNT]", value_parser = Request::parse)]
    pub inject: Vec<Request>,
}

#[derive(Debug, Clone)]
pub struct ReturnChoice(pub Vec<ReturnKind>);

fn parse_returns(text: &str) -> Result<ReturnChoice, String> {
    if text.trim().eq_ignore_ascii_case("both") {
        return Ok(ReturnChoice(ReturnKind::ALL.to_vec()));
    }
    ReturnKind::parse(text)
        .map(|r| ReturnChoice(vec![r]))
        .ok_or_else(|| format!("{text:?} is not a return; use ssda903, cin or both"))
}

pub fn run(args: SynthArgs) -> Result<(), Failure> {
    let options = Options {
        out: args.out,
        children: args.children,
        seed: args.seed,
        year: args.year,
        returns: args.returns.0,
        la: args.la,
        structural_error_rate: args.structural_error_rate,
        inject: args.inject,
    };
    let started = std::time::Instant::now();
    let manifest = synth::generate(&options).map_err(|e| match e {
        SynthError::Option(_) => Failure::config(e),
        SynthError::Write { .. } => Failure::runtime(e),
    })?;
    let rows: usize = manifest.files.iter().map(|f| f.rows).sum();
    println!(
        "wrote {} files ({rows} rows or children) and synth-manifest.json to {} in {:.1}s; {} injected errors",
        manifest.files.len(),
        options.out.display(),
        started.elapsed().as_secs_f64(),
        manifest.injections.len()
    );
    for shortfall in &manifest.shortfalls {
        if shortfall.return_kind == "none" {
            eprintln!(
                "warning: no {} errors were injected: nothing in the generated returns fits that kind",
                shortfall.kind
            );
        } else {
            eprintln!(
                "warning: only {} of {} {} errors could be injected into the {} return (not enough places for them)",
                shortfall.injected, shortfall.requested, shortfall.kind, shortfall.return_kind
            );
        }
    }
    Ok(())
}
