//! Live updates (issue 5): graphql-transport-ws over WebSocket. On PostgreSQL
//! the subscribers connect to a second instance while every change goes
//! through the first (LISTEN/NOTIFY); on SQLite both are the one process.
//! Each event is checked against the subscriber's relationship to the case.

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use crate::common::{Backend, Instance, TestApp};
use crate::db_test;
use crate::scenario::*;

pub(crate) type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

const TIMELINE: &str = "subscription($id: UUID!) { caseTimeline(caseId: $id) { kind reason } }";
pub(crate) const NOTIFICATIONS: &str = "subscription { myNotifications { kind caseId message } }";
const PAUSE: &str = r#"mutation($c: UUID!, $v: Int!) { pauseCase(caseId: $c, reason: POLICE_INVESTIGATION, note: "MK-PAUSE-NOTE", expectedVersion: $v) { version } }"#;

pub(crate) async fn open(base: &str, token: &str) -> Socket {
    open_offering(base, token, "graphql-transport-ws").await
}

/// Opens a session offering `protocols` (a Sec-WebSocket-Protocol list).
async fn open_offering(base: &str, token: &str, protocols: &str) -> Socket {
    let mut request = format!("{}/graphql/ws", base.replace("http://", "ws://"))
        .into_client_request()
        .expect("request");
    request
        .headers_mut()
        .insert("Sec-WebSocket-Protocol", protocols.parse().expect("header"));
    let (mut ws, response) = tokio_tungstenite::connect_async(request)
        .await
        .expect("websocket");
    assert_eq!(
        response.headers()["sec-websocket-protocol"],
        "graphql-transport-ws"
    );
    send(
        &mut ws,
        json!({ "type": "connection_init", "payload": { "authorization": format!("Bearer {token}") } }),
    )
    .await;
    let ack = next(&mut ws).await.expect("ack");
    assert_eq!(ack["type"], "connection_ack", "{ack}");
    ws
}

async fn send(ws: &mut Socket, message: Value) {
    ws.send(Message::Text(message.to_string().into()))
        .await
        .expect("send");
}

pub(crate) async fn subscribe(ws: &mut Socket, id: &str, query: &str, variables: Value) {
    send(
        ws,
        json!({ "id": id, "type": "subscribe", "payload": { "query": query, "variables": variables } }),
    )
    .await;
}

/// The next protocol message within `wait`, answering pings; None if none came.
async fn next_within(ws: &mut Socket, wait: Duration) -> Option<Value> {
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        let msg = tokio::time::timeout_at(deadline, ws.next()).await.ok()??;
        match msg.ok()? {
            Message::Text(text) => {
                let value: Value = serde_json::from_str(&text).expect("json");
                if value["type"] == "ping" {
                    send(ws, json!({ "type": "pong" })).await;
                    continue;
                }
                return Some(value);
            }
            Message::Close(_) => return None,
            _ => continue,
        }
    }
}

/// The error code of an `error` message, or of a `next` message carrying errors.
pub(crate) fn error_code(message: &Value) -> &str {
    let errors = if message["type"] == "error" {
        &message["payload"]
    } else {
        &message["payload"]["errors"]
    };
    errors[0]["extensions"]["code"].as_str().unwrap_or("")
}

pub(crate) async fn next(ws: &mut Socket) -> Option<Value> {
    next_within(ws, Duration::from_secs(10)).await
}

async fn live_updates(backend: Backend) {
    let app = TestApp::start(backend).await;
    Cast::seed(&app).await;
    // Subscribers use another instance where there can be one.
    let other: Option<Instance> = match backend {
        Backend::Postgres => Some(app.another_instance(&[]).await),
        Backend::Sqlite => None,
    };
    let base = other.as_ref().map_or(app.base.clone(), |o| o.base.clone());
    let case = reported_case(&app).await;

    let mut olivia = open(&base, &app.token("olivia")).await;
    let mut alice = open(&base, &app.token("alice")).await;
    let mut colin = open(&base, &app.token("colin")).await;
    let mut walter = open(&base, &app.token("walter")).await;
    for ws in [&mut olivia, &mut alice, &mut colin] {
        subscribe(ws, "t", TIMELINE, json!({ "id": case.id })).await;
    }
    // Someone with no part in the case cannot subscribe to it.
    subscribe(&mut walter, "t", TIMELINE, json!({ "id": case.id })).await;
    let refused = next(&mut walter).await.expect("error");
    assert_eq!(error_code(&refused), "NOT_FOUND", "{refused}");
    // The refused subscription is over.
    let done = next(&mut walter).await.expect("complete");
    assert_eq!(done["type"], "complete", "{done}");
    let mut ben = open(&base, &app.token("ben")).await;
    subscribe(&mut ben, "n", NOTIFICATIONS, json!({})).await;
    subscribe(&mut walter, "n", NOTIFICATIONS, json!({})).await;
    // Handshake: the five subscriptions are registered and the instance hears
    // events from every instance before any is caused.
    let events = other.as_ref().map_or(app.events(), |o| o.events());
    TestApp::subscriptions_ready(events, 5).await;

    // Colin writes a note for Ben: only Ben's side may see that it happened.
    no_errors(
        app.gql(
            Some("colin"),
            NOTE,
            json!({ "c": case.id, "p": case.respondent, "b": "MK-NOTE", "s": false }),
        )
        .await,
    );
    // The conduct officer pauses the case: everyone on it sees the stage change.
    let mut c = case;
    c.refresh(&app).await;
    no_errors(
        app.gql(Some("olivia"), PAUSE, json!({ "c": c.id, "v": c.version }))
            .await,
    );

    let first = next(&mut colin).await.expect("colin's event");
    assert_eq!(first["type"], "next", "{first}");
    assert_eq!(
        first["payload"]["data"]["caseTimeline"]["kind"],
        "SUPPORT_NOTE_ADDED"
    );
    let mut entries = Vec::new();
    for (who, ws) in [("olivia", &mut olivia), ("alice", &mut alice)] {
        let event = next(ws)
            .await
            .unwrap_or_else(|| panic!("{who} got nothing"));
        let entry = event["payload"]["data"]["caseTimeline"].clone();
        assert_eq!(entry["kind"], "STAGE_CHANGED", "{who} first saw {event}");
        entries.push(entry);
    }
    // Field rules hold per event too: the reason is for the procedure only.
    assert!(entries[0]["reason"].is_string(), "{}", entries[0]);
    assert!(entries[1]["reason"].is_null(), "{}", entries[1]);
    // The new stage Alice was shown over the WebSocket is on the record of
    // what the reporting party was told (000 §36).
    let told = app
        .ok(
            "olivia",
            "query($id: UUID!) { case(id: $id) { toldToReportingParty { item disclosed } } }",
            json!({ "id": c.id }),
        )
        .await;
    assert!(
        told["case"]["toldToReportingParty"]
            .as_array()
            .expect("record")
            .contains(&json!({ "item": "PROGRESS", "disclosed": "Paused" })),
        "{told}"
    );

    // Ben is named in a second report: his notification arrives over the
    // WebSocket; Walter's subscription stays silent.
    let second = reported_case(&app).await;
    let note = next(&mut ben).await.expect("ben's notification");
    assert_eq!(note["type"], "next", "{note}");
    let n = &note["payload"]["data"]["myNotifications"];
    assert_eq!(n["kind"], "REPORT_AGAINST_YOU");
    assert_eq!(n["caseId"], second.id.as_str());
    assert!(
        next_within(&mut walter, Duration::from_millis(700))
            .await
            .is_none(),
        "walter was sent someone else's event"
    );

    // Queries and mutations do not run over the WebSocket (their reads are
    // audited over HTTP); subscriptions do not run over HTTP.
    send(
        &mut walter,
        json!({ "id": "q", "type": "subscribe", "payload": { "query": "{ me { id } }" } }),
    )
    .await;
    let refused = next(&mut walter).await.expect("error");
    assert_eq!(error_code(&refused), "VALIDATION", "{refused}");
    let (code, _) = app.refused("walter", NOTIFICATIONS, json!({})).await;
    assert_eq!(code, "VALIDATION");

    if let Some(other) = other {
        other.stop().await;
    }
    app.stop().await;
}
db_test!(live_updates);

async fn a_session_ends_when_its_token_expires(backend: Backend) {
    let app = TestApp::start(backend).await;
    Cast::seed(&app).await;
    let short =
        misconduct_api::auth::tokens::mint(&app.config.auth, "ben", chrono::Duration::seconds(2))
            .expect("mint");
    let mut ws = open(&app.base, &short).await;
    subscribe(&mut ws, "n", NOTIFICATIONS, json!({})).await;
    let done = next(&mut ws).await.expect("complete");
    assert_eq!(done["type"], "complete", "{done}");
    assert_eq!(done["id"], "n");

    // No token, no session.
    let mut request = format!("{}/graphql/ws", app.base.replace("http://", "ws://"))
        .into_client_request()
        .expect("request");
    request.headers_mut().insert(
        "Sec-WebSocket-Protocol",
        "graphql-transport-ws".parse().expect("header"),
    );
    let (mut anonymous, _) = tokio_tungstenite::connect_async(request)
        .await
        .expect("websocket");
    send(
        &mut anonymous,
        json!({ "type": "connection_init", "payload": {} }),
    )
    .await;
    assert!(
        !matches!(next(&mut anonymous).await, Some(v) if v["type"] == "connection_ack"),
        "an anonymous session was accepted"
    );
    app.stop().await;
}
db_test!(a_session_ends_when_its_token_expires);

/// A client offering both protocols, the legacy one first (Python gql's
/// default), is given graphql-transport-ws (issue 13 item 6); the legacy
/// protocol alone is refused.
async fn graphql_transport_ws_is_chosen_from_a_list(backend: Backend) {
    let app = TestApp::start(backend).await;
    app.person(
        "alice",
        misconduct_api::domain::kinds::PersonKind::Student,
        &[],
    )
    .await;
    let mut ws = open_offering(
        &app.base,
        &app.token("alice"),
        "graphql-ws, graphql-transport-ws",
    )
    .await;
    subscribe(&mut ws, "n", NOTIFICATIONS, json!({})).await;
    ws.close(None).await.expect("close");

    let mut request = format!("{}/graphql/ws", app.base.replace("http://", "ws://"))
        .into_client_request()
        .expect("request");
    request.headers_mut().insert(
        "Sec-WebSocket-Protocol",
        "graphql-ws".parse().expect("header"),
    );
    assert!(
        tokio_tungstenite::connect_async(request).await.is_err(),
        "the legacy protocol alone is refused"
    );
    app.stop().await;
}
db_test!(graphql_transport_ws_is_chosen_from_a_list);
