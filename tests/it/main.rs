//! Integration tests, in one binary so that polars is linked once.

mod schemas;
mod support;
