//! Integration tests, in one binary so that polars is linked once.

mod cin_ingest;
mod cin_rules;
mod demo;
mod divergences;
mod http_sources;
mod ingest_903;
mod nightly;
mod oracle_cin;
mod report;
mod schedule_cli;
mod schemas;
mod snapshots;
mod structural_injection;
mod support;
mod synth;
