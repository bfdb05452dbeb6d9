//! Telemetry in a test process of its own: the tests install a thread-scoped
//! `tracing` subscriber, and tracing's callsite interest cache is shared by
//! the whole process, so spans raised by other tests' servers running at the
//! same time could change what this one records.

#[path = "../it/common/mod.rs"]
mod common;
#[path = "../it/scenario.rs"]
mod scenario;

mod lineage;
mod spans;
