//! The misconduct case management API: configuration, authentication, domain
//! rules, GraphQL schema and HTTP server.
#![forbid(unsafe_code)]

pub mod audit_checkpoints;
pub mod auth;
pub mod config;
pub mod cors;
pub mod db;
pub mod delivery;
pub mod demo;
pub mod domain;
pub mod error;
pub mod events;
pub mod graphql;
pub mod http;
pub mod mail;
pub mod metrics;
pub mod policy;
pub mod retention_job;
pub mod server;
pub mod telemetry;
