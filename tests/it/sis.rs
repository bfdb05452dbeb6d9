//! The SIS integration: idempotent student sync and the enrolment-outcome feed.

use misconduct_api::domain::kinds::{PersonKind, StaffRole};
use serde_json::{Value, json};

use crate::common::{Backend, TestApp};
use crate::db_test;
use crate::scenario::*;

const UPSERT: &str = r#"mutation($k: String!, $s: [StudentRecordInput!]!) { upsertStudents(idempotencyKey: $k, students: $s) {
  created updated unchanged replayed errors { index sisNumber message } } }"#;
const FEED: &str = r#"query($after: String) { enrolmentOutcomes(after: $after) { items { sisNumber outcome status endsOn } endCursor hasMore } }"#;

fn student(sis: &str, name: &str, programme: &str) -> Value {
    json!({ "sisNumber": sis, "name": name, "email": format!("{sis}@example.ac.uk"), "programme": programme, "enrolmentStatus": "ENROLLED" })
}

async fn student_sync_is_idempotent_and_all_or_nothing(backend: Backend) {
    let app = TestApp::start(backend).await;
    Cast::seed(&app).await;
    let batch = json!([
        student("S900", "New Student", "BSc Law"),
        student("SIS-ben", "Ben Renamed", "BA History")
    ]);
    let first = app
        .ok("sis", UPSERT, json!({ "k": "batch-1", "s": batch }))
        .await;
    assert_eq!(
        first["upsertStudents"],
        json!({ "created": 1, "updated": 1, "unchanged": 0, "replayed": false, "errors": [] })
    );
    let retry = app
        .ok("sis", UPSERT, json!({ "k": "batch-1", "s": batch }))
        .await;
    assert_eq!(
        retry["upsertStudents"]["replayed"], true,
        "a retry with the same key is answered, not re-applied"
    );
    assert_eq!(retry["upsertStudents"]["created"], 1);
    let again = app
        .ok("sis", UPSERT, json!({ "k": "batch-2", "s": batch }))
        .await;
    assert_eq!(
        again["upsertStudents"],
        json!({ "created": 0, "updated": 0, "unchanged": 2, "replayed": false, "errors": [] }),
        "the same batch twice changes nothing"
    );
    let body = app
        .gql(
            Some("sis"),
            UPSERT,
            json!({ "k": "batch-1", "s": [student("S901", "Other", "BSc")] }),
        )
        .await;
    assert_eq!(
        code(&body).0,
        "CONFLICT",
        "a key cannot be reused for different content"
    );

    let bad = json!([student("S902", "Good Row", "BSc"), { "sisNumber": "S903", "name": "Bad Email", "email": "nope", "enrolmentStatus": "ENROLLED" },
        student("S902", "Duplicate", "BSc")]);
    let r = app
        .ok("sis", UPSERT, json!({ "k": "batch-3", "s": bad }))
        .await;
    let errors: Vec<i64> = r["upsertStudents"]["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .filter_map(|e| e["index"].as_i64())
        .collect();
    assert_eq!(errors, [1, 2], "every bad row is reported");
    assert_eq!(r["upsertStudents"]["created"], 0);
    let fixed = app
        .ok(
            "sis",
            UPSERT,
            json!({ "k": "batch-3", "s": [student("S902", "Good Row", "BSc")] }),
        )
        .await;
    assert_eq!(
        fixed["upsertStudents"]["created"], 1,
        "nothing was saved from the bad batch, and its key is free to retry"
    );

    let people = app
        .ok(
            "ada",
            "{ people(first: 100) { edges { node { sisNumber displayName } } } }",
            json!({}),
        )
        .await;
    assert!(people.to_string().contains("Ben Renamed"));
    for other in ["olivia", "ada", "alice"] {
        assert_eq!(
            code(
                &app.gql(Some(other), UPSERT, json!({ "k": "x", "s": batch }))
                    .await
            )
            .0,
            "FORBIDDEN",
            "{other}"
        );
    }
    app.stop().await;
}
db_test!(student_sync_is_idempotent_and_all_or_nothing);

async fn the_feed_carries_a_new_outcome_once_and_nothing_else(backend: Backend) {
    let app = TestApp::start(backend).await;
    Cast::seed(&app).await;
    app.person("dee", PersonKind::Staff, &[StaffRole::DecisionMaker])
        .await;
    let mut case = reported_case(&app).await;
    let empty = app.ok("sis", FEED, json!({})).await;
    assert_eq!(empty["enrolmentOutcomes"]["items"], json!([]));
    let start = empty["enrolmentOutcomes"]["endCursor"].clone();

    no_errors(app.gql(Some("olivia"), r#"mutation($c: UUID!, $v: Int!) { triageCase(caseId: $c, expectedVersion: $v, allegedBreaches: [{ description: "Assault", level: HIGH }]) { version } }"#, json!({ "c": case.id, "v": case.version })).await);
    case.refresh(&app).await;
    no_errors(app.gql(Some("olivia"), r#"mutation($c: UUID!, $v: Int!) { recordConviction(caseId: $c, details: "MK-CONVICTION-DETAIL", expectedVersion: $v) { version } }"#, json!({ "c": case.id, "v": case.version })).await);
    no_errors(app.gql(Some("olivia"), r#"mutation($c: UUID!, $p: UUID!) { assignStaff(caseId: $c, personId: $p, role: DECISION_MAKER) { version } }"#, json!({ "c": case.id, "p": person_id(&app, "dee").await })).await);
    case.refresh(&app).await;
    no_errors(app.gql(Some("dee"), r#"mutation($input: DecisionInput!) { recordDecision(input: $input) { version } }"#, json!({ "input": { "caseId": case.id, "expectedVersion": case.version,
        "option": "SANCTION", "reasons": "MK-REASONS", "sanctions": [{ "partyId": case.respondent, "kind": "EXPULSION", "justification": "MK-JUST", "whyNotLesser": "Risk" }] } })).await);

    let feed = app.ok("sis", FEED, json!({ "after": start })).await;
    assert_eq!(
        feed["enrolmentOutcomes"]["items"],
        json!([{ "sisNumber": "SIS-ben", "outcome": "EXPULSION", "status": "IMPOSED", "endsOn": null }])
    );
    for marker in ["MK-", "Name of", "SEXUAL", "HARASSMENT", &case.id] {
        assert!(
            !feed.to_string().contains(marker),
            "the feed carries no narrative, category or party: {marker}"
        );
    }
    let cursor = feed["enrolmentOutcomes"]["endCursor"].clone();
    let next = app.ok("sis", FEED, json!({ "after": cursor })).await;
    assert_eq!(
        next["enrolmentOutcomes"]["items"],
        json!([]),
        "nothing past the cursor"
    );
    assert_eq!(next["enrolmentOutcomes"]["endCursor"], cursor);
    assert_eq!(
        code(&app.gql(Some("olivia"), FEED, json!({})).await).0,
        "FORBIDDEN"
    );
    assert_eq!(
        code(
            &app.gql(Some("sis"), FEED, json!({ "after": "garbage" }))
                .await
        )
        .0,
        "VALIDATION"
    );
    app.stop().await;
}
db_test!(the_feed_carries_a_new_outcome_once_and_nothing_else);
