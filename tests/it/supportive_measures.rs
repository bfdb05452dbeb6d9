//! Supportive measures (R-SUP-6, issue 17 item 1): help for one party,
//! arranged and reviewed by their case worker on the working-day calendar,
//! kept apart from precautionary measures and from the other side.

use serde_json::{Value, json};

use crate::common::{Backend, TestApp};
use crate::db_test;
use crate::scenario::*;

const MEASURES_OF: &str = r#"query($id: UUID!) { case(id: $id) {
  parties { id supportiveMeasures { id kind details status startsOn until reviewDue
    lastReviewedOn endedOn endReason version arrangedBy { displayName } } }
  deadlines { kind dueOn rule }
  measures { id }
  timeline { kind reason } } }"#;

const MINE: &str = r#"query($id: UUID!) { myCase(id: $id) {
  me { supportiveMeasures { kind details status } }
  otherParties { supportiveMeasures { details } }
  timeline { kind reason } } }"#;

/// What `who` sees of the case's supportive measures, all parties together.
async fn seen_by(app: &TestApp, who: &str, id: &str) -> Value {
    let body = no_errors(app.gql(Some(who), MEASURES_OF, json!({ "id": id })).await);
    body["data"]["case"].clone()
}

fn measures_of(case: &Value, party: &str) -> Vec<Value> {
    case["parties"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|p| p["id"] == party)
        .flat_map(|p| {
            p["supportiveMeasures"]
                .as_array()
                .cloned()
                .unwrap_or_default()
        })
        .collect()
}

fn review_deadlines(case: &Value) -> Vec<String> {
    case["deadlines"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|d| d["kind"] == "SUPPORTIVE_MEASURE_REVIEW")
        .map(|d| d["dueOn"].as_str().unwrap_or_default().to_string())
        .collect()
}

async fn arrange(app: &TestApp, by: &str, case: &Case, party: &str, input: Value) -> Value {
    let mut input = input;
    input["caseId"] = json!(case.id);
    input["partyId"] = json!(party);
    app.gql(Some(by), ARRANGE_SUPPORT, json!({ "input": input }))
        .await
}

/// Cara arranges financial aid for Alice: Alice and Cara see it with its
/// review on the policy's working-day interval, the review is a deadline in
/// Cara's list only; Ben, his case worker and the conduct team see nothing of
/// it, and it is not a precautionary measure.
async fn a_supportive_measure_reaches_its_party_and_case_worker_only(backend: Backend) {
    let app = TestApp::start(backend).await;
    let case = marked_case_for_support(&app).await;
    let id = case.id.as_str();
    no_errors(
        arrange(
            &app,
            "cara",
            &case,
            &case.reporter,
            json!({ "kind": "FINANCIAL_AID", "details": "Hardship grant of £400" }),
        )
        .await,
    );
    let due = app.config.policy.calendar().add_working_days(
        app.today(),
        app.config
            .policy
            .measures
            .supportive_review_interval_working_days,
    );

    let cara = seen_by(&app, "cara", id).await;
    let mine = measures_of(&cara, &case.reporter);
    assert_eq!(mine.len(), 1, "{cara}");
    assert_eq!(mine[0]["kind"], "FINANCIAL_AID");
    assert_eq!(mine[0]["status"], "ACTIVE");
    assert_eq!(mine[0]["startsOn"], app.today().to_string());
    assert_eq!(mine[0]["reviewDue"], due.to_string());
    assert_eq!(mine[0]["arrangedBy"]["displayName"], "Name of cara");
    assert_eq!(review_deadlines(&cara), vec![due.to_string()]);
    assert!(
        cara["measures"].as_array().is_some_and(|m| m.is_empty()),
        "a supportive measure is not a precautionary one"
    );

    let alice = app.ok("alice", MINE, json!({ "id": id })).await;
    assert_eq!(
        alice["myCase"]["me"]["supportiveMeasures"][0]["details"],
        "Hardship grant of £400"
    );

    for other_side in ["colin", "olivia"] {
        let seen = seen_by(&app, other_side, id).await;
        assert!(
            measures_of(&seen, &case.reporter).is_empty(),
            "{other_side} must not see Alice's support: {seen}"
        );
        assert!(review_deadlines(&seen).is_empty(), "{other_side}: {seen}");
        assert!(
            !seen.to_string().contains("SUPPORTIVE_MEASURE"),
            "{other_side} must not see it on the timeline: {seen}"
        );
    }
    let ben = app.ok("ben", MINE, json!({ "id": id })).await;
    assert!(
        !ben.to_string().contains("Hardship"),
        "Ben must not see Alice's support: {ben}"
    );
    assert!(
        !ben.to_string().contains("SUPPORTIVE_MEASURE"),
        "nor its timeline entry: {ben}"
    );
    app.stop().await;
}
db_test!(a_supportive_measure_reaches_its_party_and_case_worker_only);

/// The case worker reviews: continuing moves the review (and its deadline);
/// ending closes the deadline and keeps the reason for the party. A measure
/// starting later is ARRANGED, one past its last day EXPIRED; a stale version
/// is a conflict and an ended measure cannot be reviewed again.
async fn a_supportive_measure_is_reviewed_and_ends(backend: Backend) {
    let app = TestApp::start(backend).await;
    let case = marked_case_for_support(&app).await;
    let id = case.id.as_str();
    let calendar = app.config.policy.calendar();
    let start = calendar.add_working_days(app.today(), 3);
    let until = calendar.add_working_days(app.today(), 60);
    no_errors(
        arrange(
            &app,
            "colin",
            &case,
            &case.respondent,
            json!({ "kind": "REMEDIAL_SUPPORT", "details": "Weekly study skills sessions",
                "startsOn": start.to_string(), "until": until.to_string() }),
        )
        .await,
    );
    let colin = seen_by(&app, "colin", id).await;
    let m = measures_of(&colin, &case.respondent)[0].clone();
    assert_eq!(m["status"], "ARRANGED", "starts in three working days");

    let next = calendar.add_working_days(app.today(), 10);
    let review = |decision: &str, version: i64, extra: Value| {
        let mut input = json!({ "measureId": m["id"], "expectedVersion": version,
            "decision": decision, "reason": "Agreed with Ben" });
        if let Some(extra) = extra.as_object() {
            for (k, v) in extra {
                input[k] = v.clone();
            }
        }
        json!({ "input": input })
    };
    no_errors(
        app.gql(
            Some("colin"),
            REVIEW_SUPPORT,
            review("CONTINUE", 1, json!({ "nextReviewOn": next.to_string() })),
        )
        .await,
    );
    let colin = seen_by(&app, "colin", id).await;
    let reviewed = &measures_of(&colin, &case.respondent)[0];
    assert_eq!(reviewed["reviewDue"], next.to_string());
    assert_eq!(reviewed["lastReviewedOn"], app.today().to_string());
    assert_eq!(reviewed["version"], 2);
    assert_eq!(review_deadlines(&colin), vec![next.to_string()]);

    let stale = app
        .gql(Some("colin"), REVIEW_SUPPORT, review("END", 1, json!({})))
        .await;
    assert_eq!(code(&stale).0, "CONFLICT", "{stale}");

    app.days_pass(7);
    assert_eq!(
        measures_of(&seen_by(&app, "colin", id).await, &case.respondent)[0]["status"],
        "ACTIVE"
    );
    no_errors(
        app.gql(Some("colin"), REVIEW_SUPPORT, review("END", 2, json!({})))
            .await,
    );
    let colin = seen_by(&app, "colin", id).await;
    let ended = &measures_of(&colin, &case.respondent)[0];
    assert_eq!(ended["status"], "ENDED");
    assert_eq!(ended["endedOn"], app.today().to_string());
    assert_eq!(ended["endReason"], "Agreed with Ben");
    assert!(ended["reviewDue"].is_null());
    assert!(review_deadlines(&colin).is_empty(), "{colin}");
    let ben = app.ok("ben", MINE, json!({ "id": id })).await;
    assert_eq!(
        ben["myCase"]["me"]["supportiveMeasures"][0]["status"],
        "ENDED"
    );
    assert!(
        ben.to_string().contains("SUPPORTIVE_MEASURE_ENDED"),
        "Ben sees it ended on his timeline: {ben}"
    );
    let again = app
        .gql(Some("colin"), REVIEW_SUPPORT, review("END", 3, json!({})))
        .await;
    assert_eq!(
        code(&again),
        ("RULE_VIOLATION".into(), Some("R-SUP-6".into()))
    );

    // One that ran out: past its last day it has expired.
    no_errors(
        arrange(
            &app,
            "cara",
            &case,
            &case.reporter,
            json!({ "kind": "ASSESSMENT_ADJUSTMENT", "details": "Exam moved",
                "until": app.today().to_string() }),
        )
        .await,
    );
    app.days_pass(1);
    let cara = seen_by(&app, "cara", id).await;
    assert_eq!(measures_of(&cara, &case.reporter)[0]["status"], "EXPIRED");
    app.stop().await;
}
db_test!(a_supportive_measure_is_reviewed_and_ends);

/// Only the supported party's case worker arranges or reviews: the party
/// asks but does not arrange, the other side's case worker and the conduct
/// team are refused, and to them another party's measure does not exist.
/// Bad dates are refused with the field named.
async fn only_the_partys_case_worker_arranges_and_reviews(backend: Backend) {
    let app = TestApp::start(backend).await;
    let case = marked_case_for_support(&app).await;
    let aid = json!({ "kind": "FINANCIAL_AID", "details": "Grant" });
    for who in ["alice", "colin", "olivia"] {
        let body = arrange(&app, who, &case, &case.reporter, aid.clone()).await;
        assert_eq!(code(&body).0, "FORBIDDEN", "{who}: {body}");
    }
    let walter = arrange(&app, "walter", &case, &case.reporter, aid.clone()).await;
    assert_eq!(code(&walter).0, "NOT_FOUND", "{walter}");

    let yesterday = app.today().pred_opt().map(|d| d.to_string());
    let body = arrange(
        &app,
        "cara",
        &case,
        &case.reporter,
        json!({ "kind": "OTHER", "details": "Taxi fares", "until": yesterday }),
    )
    .await;
    assert_eq!(code(&body).0, "VALIDATION", "{body}");
    assert_eq!(body["errors"][0]["extensions"]["field"], "until");
    let body = arrange(
        &app,
        "cara",
        &case,
        &case.reporter,
        json!({ "kind": "OTHER", "details": "  " }),
    )
    .await;
    assert_eq!(body["errors"][0]["extensions"]["field"], "details");

    no_errors(arrange(&app, "cara", &case, &case.reporter, aid).await);
    let cara = seen_by(&app, "cara", &case.id).await;
    let m = &measures_of(&cara, &case.reporter)[0];
    let end = json!({ "input": { "measureId": m["id"], "expectedVersion": 1,
        "decision": "END", "reason": "r" } });
    for who in ["colin", "olivia", "walter"] {
        let body = app.gql(Some(who), REVIEW_SUPPORT, end.clone()).await;
        assert_eq!(code(&body).0, "NOT_FOUND", "{who}: {body}");
    }
    let body = app.gql(Some("alice"), REVIEW_SUPPORT, end).await;
    assert_eq!(code(&body).0, "FORBIDDEN", "{body}");
    app.stop().await;
}
db_test!(only_the_partys_case_worker_arranges_and_reviews);

/// A reported case with a case worker for each side.
async fn marked_case_for_support(app: &TestApp) -> Case {
    Cast::seed(app).await;
    reported_case(app).await
}
