//! Database spans belong to something (issue 13 item 7): each is inside the
//! HTTP request that caused it — DataLoader batches included, which run in
//! tasks of their own — or inside a named background job. None is an orphan,
//! which a trace backend would show as a lone `SELECT` with no context.

use std::sync::{Arc, Mutex};

use serde_json::json;
use tracing::Instrument;
use tracing::span::{Attributes, Id};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};
use tracing_subscriber::registry::LookupSpan;

use crate::common::{Backend, TestApp};
use crate::scenario::*;

/// A database span's name and its ancestors' names.
type Ancestry = (String, Vec<String>);

/// For every database span: its name and its ancestors' names.
#[derive(Clone, Default)]
struct Lineage(Arc<Mutex<Vec<Ancestry>>>);

impl<S> Layer<S> for Lineage
where
    S: tracing::Subscriber + for<'a> LookupSpan<'a>,
{
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        let name = attrs.metadata().name();
        if !name.starts_with("sea_orm.") {
            return;
        }
        let ancestors = ctx
            .span(id)
            .map(|span| span.scope().skip(1).map(|s| s.name().to_owned()).collect())
            .unwrap_or_default();
        self.0
            .lock()
            .expect("lock")
            .push((name.to_owned(), ancestors));
    }
}

/// What a database span may belong to: a request, a background job, or this
/// test's own set-up.
const OWNERS: &[&str] = &[
    "http",
    "audit.append",
    "audit.checkpoint",
    "delivery.pass",
    "test.harness",
];

async fn database_spans_belong_to_their_request(backend: Backend) {
    let lineage = Lineage::default();
    let _guard =
        tracing::subscriber::set_default(tracing_subscriber::registry().with(lineage.clone()));
    let (app, case) = async {
        let app = TestApp::start_with(backend, &[("MISCONDUCT_DELIVERY", "off")]).await;
        Cast::seed(&app).await;
        let case = reported_case(&app).await;
        (app, case)
    }
    .instrument(tracing::info_span!("test.harness"))
    .await;
    // Views whose nested lists are loaded in DataLoader batches.
    app.ok("alice", &party_case_query(), json!({ "id": case.id }))
        .await;
    app.ok("olivia", &staff_case_query(), json!({ "id": case.id }))
        .await;
    app.ok(
        "olivia",
        "{ cases(first: 20) { nodes { reference parties { role name } } } }",
        json!({}),
    )
    .await;
    // Stopping drops the test's database: the harness's work, not the server's.
    app.stop()
        .instrument(tracing::info_span!("test.harness"))
        .await;

    let spans = lineage.0.lock().expect("lock").clone();
    let in_requests = spans
        .iter()
        .filter(|(_, ancestors)| ancestors.iter().any(|a| a == "http"))
        .count();
    assert!(
        in_requests > 20,
        "{backend:?}: {in_requests} database spans in requests"
    );
    let orphans: Vec<&Ancestry> = spans
        .iter()
        .filter(|(_, ancestors)| !ancestors.iter().any(|a| OWNERS.contains(&a.as_str())))
        .collect();
    assert!(
        orphans.is_empty(),
        "{backend:?}: database spans outside any request or job: {orphans:?}"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn database_spans_belong_to_their_request_sqlite() {
    database_spans_belong_to_their_request(Backend::Sqlite).await
}

#[tokio::test(flavor = "current_thread")]
async fn database_spans_belong_to_their_request_postgres() {
    database_spans_belong_to_their_request(Backend::Postgres).await
}
