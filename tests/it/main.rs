//! Integration tests, in one binary so that polars is linked once.

mod ingest_903;
mod snapshots;
mod support;
