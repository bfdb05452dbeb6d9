//! Refusals of things that exist are kept in a security log an administrator
//! reads, so that probing can be seen; a flood of them is bounded per person
//! and counted, not written row by row (issue 15 item 6).

use serde_json::{Value, json};

use crate::common::{Backend, TestApp};
use crate::db_test;
use crate::scenario::*;

const LOG: &str = r#"query($p: UUID) { securityLog(first: 100, personId: $p) {
  nodes { viewerId code detail caseId requestId suppressedBefore } } }"#;
const PROBE: &str = r#"query($id: UUID!) { case(id: $id) { reference } }"#;

async fn log_of(app: &TestApp, person: &str) -> Vec<Value> {
    app.ok("ada", LOG, json!({ "p": person })).await["securityLog"]["nodes"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

async fn refusals_of_existing_things_are_on_record(backend: Backend) {
    let app = TestApp::start(backend).await;
    Cast::seed(&app).await;
    let case = reported_case(&app).await;
    let walter = person_id(&app, "walter").await;
    let alice = person_id(&app, "alice").await;

    // Walter, a bystander, probes Alice's case and a case that does not exist.
    let body = app
        .gql(Some("walter"), PROBE, json!({ "id": case.id }))
        .await;
    assert_eq!(code(&body).0, "NOT_FOUND");
    let missing = app
        .gql(Some("walter"), PROBE, json!({ "id": uuid::Uuid::new_v4() }))
        .await;
    assert_eq!(code(&missing).0, "NOT_FOUND");
    assert_eq!(
        body["errors"][0]["message"], missing["errors"][0]["message"],
        "the two answers are indistinguishable to him"
    );
    // Alice, a party, tries what only staff may do.
    let body = app
        .gql(
            Some("alice"),
            "mutation($c: UUID!, $v: Int!) { referToCauseForConcern(caseId: $c, expectedVersion: $v, urgentReason: \"x\") { version } }",
            json!({ "c": case.id, "v": case.version }),
        )
        .await;
    assert_eq!(code(&body).0, "FORBIDDEN");

    let walters = log_of(&app, &walter).await;
    assert_eq!(walters.len(), 1, "only the case that exists: {walters:?}");
    assert_eq!(walters[0]["code"], "NOT_FOUND");
    assert_eq!(walters[0]["caseId"], json!(case.id));
    let alices = log_of(&app, &alice).await;
    assert_eq!(alices.len(), 1, "{alices:?}");
    assert_eq!(alices[0]["code"], "FORBIDDEN");
    assert!(
        alices[0]["detail"]
            .as_str()
            .is_some_and(|d| d.contains("Cause for Concern")),
        "{alices:?}"
    );

    // A flood of probes is bounded per person and counted.
    for _ in 0..40 {
        app.gql(Some("walter"), PROBE, json!({ "id": case.id }))
            .await;
    }
    let walters = log_of(&app, &walter).await;
    assert_eq!(walters.len(), 20, "at most 20 entries at once");
    assert!(
        walters.iter().all(|e| e["suppressedBefore"] == 0),
        "nothing suppressed yet within the allowance"
    );
    // Others are unaffected by Walter's flood.
    app.gql(Some("ben"), PROBE, json!({ "id": uuid::Uuid::new_v4() }))
        .await;
    let body = app.gql(Some("bea"), PROBE, json!({ "id": case.id })).await;
    assert_eq!(code(&body).0, "NOT_FOUND");
    let bea = person_id(&app, "bea").await;
    assert_eq!(log_of(&app, &bea).await.len(), 1);

    // Only administrators read the log.
    let body = app.gql(Some("olivia"), LOG, json!({ "p": walter })).await;
    assert_eq!(code(&body).0, "FORBIDDEN", "{body}");
    app.stop().await;
}
db_test!(refusals_of_existing_things_are_on_record);

/// Refused attempts beyond the allowance are written as a count with the
/// person's next entry once it refills.
async fn suppressed_refusals_are_counted(backend: Backend) {
    let app = TestApp::start(backend).await;
    Cast::seed(&app).await;
    let case = reported_case(&app).await;
    let walter = person_id(&app, "walter").await;
    for _ in 0..25 {
        app.gql(Some("walter"), PROBE, json!({ "id": case.id }))
            .await;
    }
    assert_eq!(log_of(&app, &walter).await.len(), 20);
    // The allowance refills one entry every 30 seconds.
    tokio::time::sleep(misconduct_api::domain::security_log::REFILL).await;
    app.gql(Some("walter"), PROBE, json!({ "id": case.id }))
        .await;
    let walters = log_of(&app, &walter).await;
    assert_eq!(walters.len(), 21);
    assert_eq!(walters[0]["suppressedBefore"], 5, "{:?}", walters[0]);
    app.stop().await;
}
db_test!(suppressed_refusals_are_counted);

/// A refusal over the WebSocket is on record too: someone probing case ids
/// through subscriptions is seen like someone probing them over HTTP.
async fn refusals_over_the_websocket_are_on_record(backend: Backend) {
    use crate::subscriptions::{error_code, next, open, subscribe};
    let app = TestApp::start(backend).await;
    Cast::seed(&app).await;
    let case = reported_case(&app).await;
    let walter = person_id(&app, "walter").await;
    let mut socket = open(&app.base, &app.token("walter")).await;
    subscribe(
        &mut socket,
        "t",
        "subscription($id: UUID!) { caseTimeline(caseId: $id) { kind } }",
        json!({ "id": case.id }),
    )
    .await;
    let refused = next(&mut socket).await.expect("refused");
    assert_eq!(error_code(&refused), "NOT_FOUND", "{refused}");
    let walters = log_of(&app, &walter).await;
    assert_eq!(walters.len(), 1, "{walters:?}");
    assert_eq!(walters[0]["caseId"], json!(case.id));
    assert!(
        walters[0]["detail"]
            .as_str()
            .is_some_and(|d| d.contains("subscription")),
        "{walters:?}"
    );
    app.stop().await;
}
db_test!(refusals_over_the_websocket_are_on_record);
