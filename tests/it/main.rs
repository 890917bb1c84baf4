//! Integration tests, in one binary so that polars is linked once.

mod benchmarks_update;
mod cin_ingest;
mod figures;
mod ingest_903;
mod report;
mod schemas;
mod snapshots;
mod support;
mod synthetic;
