//! Integration tests, in one binary so that polars is linked once.

mod support;
mod synth;
