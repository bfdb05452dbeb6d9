//! End-to-end tests: each starts the real server on a loopback port against its
//! own fresh database — SQLite and PostgreSQL — and speaks GraphQL over HTTP
//! with real signed tokens.

mod common;
mod scenario;

mod abuse;
mod access;
mod accounts;
mod admin;
mod anonymous_channel;
mod audit;
mod browser;
mod communication_plan;
mod communications;
mod disclosures;
mod documented;
mod fitness_to_study;
mod http;
mod identity;
mod measures;
mod outage;
mod pagination;
mod persisted;
mod policy_versions;
mod procedure;
mod refusals;
mod relay;
mod repeat_respondent;
mod reports;
mod schema;
mod security_log;
mod sis;
mod staff_respondents;
mod statistics;
mod subscriptions;
mod supportive_measures;
mod third_parties;
mod tools;
mod visibility;
