//! Integration tests, in one binary so that polars is linked once.

mod cin_ingest;
mod ingest_903;
mod previous_year;
mod report;
mod schemas;
mod snapshots;
mod support;
