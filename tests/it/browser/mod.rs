//! Issue 13's "done when", in a real headless Chromium: a student portal on
//! another origin signs in with an RS256 token in Entra ID's shape (matched on
//! `oid`, keys from a local JWKS found by OpenID Connect discovery), runs a
//! query and receives a subscription event; GraphiQL opens with no network
//! beyond this server and loads the schema.

use std::path::PathBuf;
use std::time::Duration;

use axum::routing::{get, post};
use misconduct_api::domain::kinds::{PersonKind, StaffRole};
use serde_json::{Value, json};
use tokio::sync::mpsc;

use crate::common::{Backend, TestApp};
use crate::db_test;
use crate::identity::{AUDIENCE, ISSUER, Provider, entra_token, fixture, provider};
use crate::scenario::{ASSIGN, RECORD};

const STUDENT_OID: &str = "5f0c7a2e-1d3b-4c8e-9f6a-2b4d6e8f0a1c";
const CASE_WORKER_OID: &str = "8a1e3c5b-7d9f-4b2a-8c6e-0f1a3b5c7d9e";
const PAGE: &str = include_str!("portal.html");

/// Debian's Chromium; `scripts/test` installs it where it is missing.
fn chromium() -> PathBuf {
    let path = PathBuf::from(std::env::var("CHROMIUM").unwrap_or("/usr/bin/chromium".into()));
    assert!(
        path.exists(),
        "{} is missing: install Debian's chromium (scripts/test does)",
        path.display()
    );
    path
}

/// Chromium with the flags a closed network needs: no background traffic.
fn browser(profile: &std::path::Path) -> tokio::process::Command {
    let mut command = tokio::process::Command::new(chromium());
    command
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .kill_on_drop(true);
    command
}

struct Profile(PathBuf);

impl Profile {
    fn new() -> Profile {
        let dir = std::env::temp_dir().join(format!("chromium-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).expect("profile dir");
        Profile(dir)
    }
}

impl Drop for Profile {
    fn drop(&mut self) {
        if let Err(err) = std::fs::remove_dir_all(&self.0) {
            eprintln!("could not remove {}: {err}", self.0.display());
        }
    }
}

/// The portal's own server: serves the page and hears what it reports.
fn portal(
    listener: std::net::TcpListener,
    config: Value,
) -> mpsc::UnboundedReceiver<(String, Value)> {
    let (tx, rx) = mpsc::unbounded_channel();
    let page = PAGE.replace("__CONFIG__", &config.to_string());
    listener.set_nonblocking(true).expect("nonblocking");
    let listener = tokio::net::TcpListener::from_std(listener).expect("listener");
    let reported = |step: &'static str, tx: mpsc::UnboundedSender<(String, Value)>| {
        post(move |body: String| async move {
            let value = serde_json::from_str(&body).unwrap_or(Value::String(body));
            tx.send((step.to_owned(), value)).expect("test listening");
        })
    };
    let router = axum::Router::new()
        .route("/", get(move || async move { axum::response::Html(page) }))
        .route("/subscribed", reported("subscribed", tx.clone()))
        .route("/result", reported("result", tx));
    tokio::spawn(async move { axum::serve(listener, router).await });
    rx
}

async fn step(rx: &mut mpsc::UnboundedReceiver<(String, Value)>) -> (String, Value) {
    tokio::time::timeout(Duration::from_secs(30), rx.recv())
        .await
        .expect("the page reported within 30 s")
        .expect("the page reported")
}

async fn gql(app: &TestApp, token: &str, query: &str, variables: Value) -> Value {
    let body: Value = app
        .http
        .post(format!("{}/graphql", app.base))
        .bearer_auth(token)
        .json(&json!({ "query": query, "variables": variables }))
        .send()
        .await
        .expect("send")
        .json()
        .await
        .expect("json");
    assert!(body.get("errors").is_none(), "{body}");
    body["data"].clone()
}

async fn a_portal_on_another_origin_signs_in_queries_and_subscribes(backend: Backend) {
    let (_idp, jwks_url) = provider(Provider {
        jwks: std::fs::read_to_string(fixture("jwks-a.json")).expect("jwks"),
        delay: Duration::ZERO,
        max_age_seconds: 3600,
    })
    .await;
    let discovery = jwks_url.replace("/jwks.json", "/.well-known/openid-configuration");
    // The portal's origin must be known before the API starts (CORS).
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let origin = format!("http://{}", listener.local_addr().expect("addr"));
    let app = TestApp::start_with(
        backend,
        &[
            ("MISCONDUCT_JWT_ALGORITHM", "RS256"),
            ("MISCONDUCT_JWT_ISSUER", ISSUER),
            ("MISCONDUCT_JWT_AUDIENCE", AUDIENCE),
            ("MISCONDUCT_JWT_SECRET", ""),
            ("MISCONDUCT_JWT_JWKS_URL", &discovery),
            ("MISCONDUCT_JWT_IDENTITY_CLAIM", "oid"),
            ("MISCONDUCT_CORS_ORIGINS", &origin),
        ],
    )
    .await;
    app.person(STUDENT_OID, PersonKind::Student, &[]).await;
    app.person("respondent", PersonKind::Student, &[]).await;
    app.person(CASE_WORKER_OID, PersonKind::Staff, &[StaffRole::CaseWorker])
        .await;
    let student = entra_token(Some(STUDENT_OID));
    let case_worker = entra_token(Some(CASE_WORKER_OID));
    let recorded = gql(
        &app,
        &student,
        RECORD,
        json!({ "input": { "categories": ["BULLYING"], "description": "MK-BROWSER",
                "respondents": [{ "sisNumber": "SIS-respondent" }] } }),
    )
    .await;
    let case_id = recorded["recordDisclosure"]["caseId"].clone();
    let reporter = recorded["recordDisclosure"]["myCase"]["me"]["id"].clone();

    // The page is served on the origin the API was told about.
    let mut rx = portal(
        listener,
        json!({
            "api": app.base,
            "ws": format!("{}/graphql/ws", app.base.replace("http://", "ws://")),
            "token": student,
            "caseId": case_id,
        }),
    );
    let profile = Profile::new();
    let _chromium = browser(&profile.0)
        .arg(format!("{origin}/"))
        .spawn()
        .expect("start chromium");

    let (kind, subscribed) = step(&mut rx).await;
    assert_eq!(kind, "subscribed", "{subscribed}");
    assert_eq!(
        subscribed["me"]["data"]["me"]["displayName"],
        format!("Name of {STUDENT_OID}"),
        "the query ran from the other origin: {subscribed}"
    );
    TestApp::subscriptions_ready(app.events(), 1).await;

    // The case worker takes the student on: the portal hears of it live.
    let worker = gql(&app, &case_worker, "{ me { id } }", json!({})).await["me"]["id"].clone();
    gql(
        &app,
        &case_worker,
        ASSIGN,
        json!({ "c": case_id, "p": reporter, "w": worker }),
    )
    .await;
    let (kind, result) = step(&mut rx).await;
    assert_eq!(kind, "result");
    assert_eq!(
        result["event"]["data"]["caseTimeline"]["kind"], "CASE_WORKER_ASSIGNED",
        "{result}"
    );
    app.stop().await;
}
db_test!(a_portal_on_another_origin_signs_in_queries_and_subscribes);

/// GraphiQL renders from this server alone (the machine has no route to a
/// CDN, and the page's CSP allows none) and opens on the schema's docs.
async fn graphiql_opens_offline_and_loads_the_schema(backend: Backend) {
    let app = TestApp::start(backend).await;
    let profile = Profile::new();
    let output = browser(&profile.0)
        .args(["--virtual-time-budget=15000", "--dump-dom"])
        .arg(format!("{}/graphiql", app.base))
        .output()
        .await
        .expect("run chromium");
    let dom = String::from_utf8_lossy(&output.stdout);
    assert!(
        dom.contains("graphiql-container"),
        "GraphiQL rendered: {dom}"
    );
    // The documentation explorer lists the schema's own types, which only
    // an answered introspection query could have told it.
    for type_name in ["QueryRoot", "SubscriptionRoot", "PartyCase"] {
        assert!(
            dom.contains(&format!(">{type_name}<")),
            "the docs list {type_name}: {dom}"
        );
    }
    assert!(!dom.contains("Error fetching schema"), "{dom}");
    app.stop().await;
}
db_test!(graphiql_opens_offline_and_loads_the_schema);
