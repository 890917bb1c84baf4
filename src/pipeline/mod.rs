//! Pipelines: a YAML file that says what one nightly run reads and writes, and the executor that
//! runs it.

pub mod config;
pub mod history;
pub mod lock;
pub mod nightly;
pub mod notify;
pub mod run;
pub mod schedule;
