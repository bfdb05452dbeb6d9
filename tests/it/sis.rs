//! The SIS integration: idempotent student sync and the enrolment-outcome feed.

use misconduct_api::domain::kinds::{PersonKind, StaffRole};
use serde_json::{Value, json};

use crate::common::{Backend, TestApp};
use crate::db_test;
use crate::scenario::*;

const UPSERT: &str = r#"mutation($k: String!, $s: [StudentRecordInput!]!) { upsertStudents(idempotencyKey: $k, students: $s) {
  created updated unchanged replayed errors { index sisNumber code field message } } }"#;
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

    // A status the SIS knows and this service does not is one row's error,
    // reported with the others, not a refusal of the whole batch.
    let bad = json!([student("S902", "Good Row", "BSc"), { "sisNumber": "S903", "name": "Bad Email", "email": "nope", "enrolmentStatus": "ENROLLED" },
        student("S902", "Duplicate", "BSc"),
        { "sisNumber": "S904", "name": "New Status", "enrolmentStatus": "INTERMITTED" }]);
    let r = app
        .ok("sis", UPSERT, json!({ "k": "batch-3", "s": bad }))
        .await;
    let errors: Vec<i64> = r["upsertStudents"]["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .filter_map(|e| e["index"].as_i64())
        .collect();
    assert_eq!(errors, [1, 2, 3], "every bad row is reported");
    let status = &r["upsertStudents"]["errors"][2];
    assert_eq!(status["code"], "VALIDATION", "{status}");
    assert_eq!(status["field"], "enrolmentStatus", "{status}");
    assert!(
        status["message"]
            .as_str()
            .is_some_and(|m| m.contains("INTERMITTED")),
        "{status}"
    );
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

/// Idempotency keys belong to the client that sent them (issue 15 item 9):
/// a second SIS client using the same key neither reads the first client's
/// stored result nor is refused for a "different batch".
async fn idempotency_keys_are_each_clients_own(backend: Backend) {
    let app = TestApp::start(backend).await;
    Cast::seed(&app).await;
    app.person("sis-2", PersonKind::Staff, &[StaffRole::SisIntegration])
        .await;
    let first = app
        .ok(
            "sis",
            UPSERT,
            json!({ "k": "nightly", "s": [student("S910", "First Client", "BSc Law")] }),
        )
        .await;
    assert_eq!(first["upsertStudents"]["created"], 1);

    let other = app
        .ok(
            "sis-2",
            UPSERT,
            json!({ "k": "nightly", "s": [student("S910", "First Client", "BSc Law")] }),
        )
        .await;
    assert_eq!(
        other["upsertStudents"],
        json!({ "created": 0, "updated": 0, "unchanged": 1, "replayed": false, "errors": [] }),
        "the same key from another client is that client's own batch, applied afresh"
    );
    let different = app
        .ok(
            "sis-2",
            UPSERT,
            json!({ "k": "weekly", "s": [student("S911", "Second Client", "BA")] }),
        )
        .await;
    assert_eq!(different["upsertStudents"]["created"], 1);
    let reused = app
        .ok(
            "sis",
            UPSERT,
            json!({ "k": "weekly", "s": [student("S912", "Third", "BA")] }),
        )
        .await;
    assert_eq!(
        reused["upsertStudents"]["created"], 1,
        "another client's key is no conflict and reveals nothing"
    );
    let replay = app
        .ok(
            "sis",
            UPSERT,
            json!({ "k": "nightly", "s": [student("S910", "First Client", "BSc Law")] }),
        )
        .await;
    assert_eq!(replay["upsertStudents"]["replayed"], true);
    assert_eq!(replay["upsertStudents"]["created"], 1, "its own result");
    app.stop().await;
}
db_test!(idempotency_keys_are_each_clients_own);

/// Batches stored while keys were global survive the change, kept under the
/// nil client (which no signed-in client is).
async fn batches_stored_before_keys_were_per_client_are_kept(backend: Backend) {
    use migration::{Migrator, MigratorTrait};
    use sea_orm::sea_query::{Alias, Query};
    use sea_orm::{ConnectionTrait, EntityTrait};

    let app = TestApp::start(backend).await;
    // Back to just before keys became per client, however many came after.
    while Migrator::get_applied_migrations(&app.db)
        .await
        .expect("applied migrations")
        .iter()
        .any(|m| m.name() == "m20261130_000006_sis_batch_per_client")
    {
        Migrator::down(&app.db, Some(1))
            .await
            .expect("one migration back");
    }
    let received = chrono::Utc::now();
    let insert = Query::insert()
        .into_table(Alias::new("sis_batch"))
        .columns(["idempotency_key", "request_hash", "result", "received_at"].map(Alias::new))
        .values_panic([
            "old-key".into(),
            "ab".repeat(32).into(),
            "{}".into(),
            received.into(),
        ])
        .to_owned();
    app.db
        .execute_raw(app.db.get_database_backend().build(&insert))
        .await
        .expect("an old batch");
    Migrator::up(&app.db, None).await.expect("keys per client");
    let kept = entity::sis_client_batch::Entity::find()
        .all(&app.db)
        .await
        .expect("read batches");
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert_eq!(kept[0].client_id, uuid::Uuid::nil());
    assert_eq!(kept[0].idempotency_key, "old-key");
    assert_eq!(kept[0].request_hash, "ab".repeat(32));
    assert_eq!(kept[0].received_at.timestamp(), received.timestamp());
    app.stop().await;
}
db_test!(batches_stored_before_keys_were_per_client_are_kept);

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
    assign_staff(&app, &case.id, "dee", "DECISION_MAKER").await;
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

/// The documented batch fits (issue 13 item 5): 1,000 rows as a SIS sends
/// them, about 300 KB, go through in one request under the default limits.
async fn a_full_batch_of_realistic_rows_fits(backend: Backend) {
    let app = TestApp::start(backend).await;
    Cast::seed(&app).await;
    let rows: Vec<Value> = (0..1000)
        .map(|i| json!({
            "sisNumber": format!("S{:08}", 20_000_000 + i),
            "name": format!("Student Number {i} Of The Incoming Cohort With A Long Name"),
            "email": format!("student.number.{i}.incoming-cohort@students.example.ac.uk"),
            "programme": "BSc (Hons) Computer Science with a Year in Industry and International Study",
            "enrolmentStatus": "ENROLLED",
            "subject": format!("0b1c2d3e-4f50-6172-8394-{:012}", i),
            "leavingDate": "2029-06-30",
        }))
        .collect();
    let body = json!({ "query": UPSERT, "variables": { "k": "intake-2026", "s": rows } });
    let size = body.to_string().len();
    assert!(
        size > 256 * 1024,
        "over the old 256 KiB limit: {size} bytes"
    );
    let res = app
        .http
        .post(format!("{}/graphql", app.base))
        .bearer_auth(app.token("sis"))
        .json(&body)
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), 200, "{size} bytes");
    let answer: Value = res.json().await.expect("json");
    assert_eq!(
        answer["data"]["upsertStudents"]["created"], 1000,
        "{answer}"
    );
    app.stop().await;
}
db_test!(a_full_batch_of_realistic_rows_fits);

/// The SIS sync sets a student's sign-in identity (issue 13 item 1): a row
/// naming a `subject` replaces the `sis:<number>` placeholder, and the student
/// then signs in with it.
async fn the_sync_sets_a_students_sign_in_identity(backend: Backend) {
    let app = TestApp::start(backend).await;
    Cast::seed(&app).await;
    let first = app
        .ok(
            "sis",
            UPSERT,
            json!({ "k": "a", "s": [student("S930", "Nia Student", "BA")] }),
        )
        .await;
    assert_eq!(first["upsertStudents"]["created"], 1);
    let mut row = student("S930", "Nia Student", "BA");
    row["subject"] = json!("2b7d4e0a-0000-4f7e-9a41-00000000s930");
    let second = app.ok("sis", UPSERT, json!({ "k": "b", "s": [row] })).await;
    assert_eq!(
        second["upsertStudents"]["updated"], 1,
        "a new sign-in identity is a change: {second}"
    );
    let me = app
        .ok(
            "2b7d4e0a-0000-4f7e-9a41-00000000s930",
            "{ me { displayName } }",
            json!({}),
        )
        .await;
    assert_eq!(me["me"]["displayName"], "Nia Student");
    app.stop().await;
}
db_test!(the_sync_sets_a_students_sign_in_identity);
