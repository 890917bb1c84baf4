//! csc-returns: the CIN census and SSDA903 returns of an English local authority's children's
//! services, from case-system exports to validated snapshots and performance figures.
//!
//! The flow is ingest → typed records → validate → snapshot → figures → report; ARCHITECTURE.md
//! says which module owns which step.

pub mod benchmarks;
pub mod calendar;
pub mod commands;
pub mod failpoint;
pub mod figures;
pub mod frame;
pub mod fsutil;
pub mod ingest;
pub mod issue;
pub mod issue_diff;
pub mod pipeline;
pub mod progress;
pub mod records;
pub mod report;
pub mod rules;
pub mod schema;
pub mod snapshot;
pub mod source;
pub mod structural;
pub mod synth;
pub mod table;
pub mod upn;
pub mod year;
