//! Integration tests, in one binary so that polars is linked once.

mod cin_ingest;
mod cin_rules;
mod ingest_903;
mod report;
mod schemas;
mod snapshots;
mod support;
