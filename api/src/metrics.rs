//! Prometheus metrics, served on their own address (`MISCONDUCT_METRICS_BIND`,
//! loopback by default) so that a scraper never shares the public port:
//! GraphQL requests and their latency per operation name, errors per code,
//! the database pool, the outbox's backlog and the audit writer's queue. No label carries personal data or case content;
//! operation names are the clients' own, so only the sanitised ones of the
//! operation span are used, and at most `MAX_OPERATIONS` of them (the rest
//! count as `other`).

use std::collections::HashSet;
use std::sync::{Mutex, OnceLock};

use axum::Router;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use sea_orm::{DatabaseConnection, DbBackend};

use crate::domain::audit_writer::AuditWriter;
use crate::domain::clock::Clock;
use crate::domain::communications as outbox;

const MAX_OPERATIONS: usize = 200;
/// Latency buckets in seconds: a portal page is tens of milliseconds.
const BUCKETS: &[f64] = &[
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// The process's recorder. Installed once; a second server in the same
/// process (the tests) shares it.
fn handle() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let builder = PrometheusBuilder::new();
        let builder = match builder.set_buckets(BUCKETS) {
            Ok(with_buckets) => with_buckets,
            Err(err) => {
                tracing::warn!(error = %err, "metrics: default buckets");
                PrometheusBuilder::new()
            }
        };
        let recorder = builder.build_recorder();
        let handle = recorder.handle();
        if let Err(err) = metrics::set_global_recorder(recorder) {
            tracing::warn!(error = %err, "metrics: another recorder is installed");
        }
        handle
    })
}

/// Installs the recorder (before the first request is counted).
pub fn install() {
    handle();
}

/// The operation name as a label (already sanitised by the operation span):
/// one of the first `MAX_OPERATIONS` seen, or `other`; `anonymous` when the
/// document could not be read.
fn operation_label(name: Option<&str>) -> String {
    static SEEN: OnceLock<Mutex<HashSet<String>>> = OnceLock::new();
    let Some(name) = name else {
        return "anonymous".into();
    };
    let mut seen = SEEN
        .get_or_init(Mutex::default)
        .lock()
        .unwrap_or_else(|p| p.into_inner());
    if seen.contains(name) || seen.len() < MAX_OPERATIONS {
        seen.insert(name.to_string());
        name.to_string()
    } else {
        "other".into()
    }
}

/// Counts one GraphQL operation (over HTTP or a WebSocket): its name and how
/// long it took.
pub fn record_request(operation: Option<&str>, seconds: f64) {
    let operation = operation_label(operation);
    metrics::counter!("graphql_requests_total", "operation" => operation.clone()).increment(1);
    metrics::histogram!("graphql_request_duration_seconds", "operation" => operation)
        .record(seconds);
}

/// Counts one error answered, by its `extensions.code` (a fixed set).
pub fn record_error(code: &str) {
    metrics::counter!("graphql_errors_total", "code" => code.to_string()).increment(1);
}

/// What the scrape reads besides the counters: gauges taken at scrape time.
#[derive(Clone)]
pub struct Sources {
    pub db: DatabaseConnection,
    pub clock: Clock,
    pub audit: AuditWriter,
}

/// The `/metrics` endpoint.
pub fn router(sources: Sources) -> Router {
    Router::new()
        .route("/metrics", get(scrape))
        .with_state(sources)
}

async fn scrape(State(sources): State<Sources>) -> impl IntoResponse {
    let db = &sources.db;
    let (size, idle) = match db.get_database_backend() {
        DbBackend::Postgres => {
            let pool = db.get_postgres_connection_pool();
            (pool.size(), pool.num_idle())
        }
        _ => {
            let pool = db.get_sqlite_connection_pool();
            (pool.size(), pool.num_idle())
        }
    };
    metrics::gauge!("db_pool_connections").set(f64::from(size));
    metrics::gauge!("db_pool_idle_connections").set(idle as f64);
    metrics::gauge!("audit_writer_waiting_requests").set(sources.audit.waiting() as f64);
    match outbox::backlog(db, sources.clock.now().today()).await {
        Ok(due) => metrics::gauge!("outbox_letters_due").set(due as f64),
        // The gauge keeps its last value; the scrape still answers.
        Err(err) => {
            tracing::warn!(error = %err, "metrics: the outbox backlog could not be counted")
        }
    }
    let handle = handle();
    handle.run_upkeep();
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        handle.render(),
    )
}
