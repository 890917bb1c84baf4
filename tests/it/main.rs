//! Integration tests, in one binary so that polars is linked once.

mod benchmarks_update;
mod cin_ingest;
mod cin_rules;
mod demo;
mod divergences;
mod figures;
mod http_sources;
mod ingest_903;
mod nightly;
mod oracle_903;
mod oracle_cin;
mod previous_year;
mod report;
mod schedule_cli;
mod schemas;
mod snapshots;
mod structural_injection;
mod support;
mod synth;
mod synthetic;
