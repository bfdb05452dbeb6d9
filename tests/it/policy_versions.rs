//! Each case runs under the policy version it was opened with (issue 11 item
//! 1): a changed file is a new version for new cases, not a refusal; an open
//! case keeps its labels and deadlines until an administrator moves it.

use serde_json::{Value, json};

use crate::common::{Backend, TestApp};
use crate::db_test;
use crate::scenario::*;

const STAFF: &str = r#"query($id: UUID!) { case(id: $id) { policyVersion progress version
  deadlines { kind dueOn } timeline { kind reason } } }"#;
const MOVE: &str = r#"mutation($c: UUID!, $v: Int!) { moveCaseToCurrentPolicy(caseId: $c, expectedVersion: $v) { version } }"#;

/// Alice discloses about Ben on `base`; Cara supports her and records that
/// she chose to report; Alice reports. Returns the case id.
async fn reported_at(app: &TestApp, base: &str) -> String {
    let d = app
        .gql_at(
            base,
            "alice",
            RECORD,
            json!({ "input": { "categories": ["HARASSMENT"], "description": "MK-V",
                "respondents": [{ "sisNumber": "SIS-ben" }] } }),
        )
        .await;
    let id = d["data"]["recordDisclosure"]["caseId"]
        .as_str()
        .expect("case")
        .to_string();
    let me = d["data"]["recordDisclosure"]["myCase"]["me"]["id"].clone();
    let cara = person_id(app, "cara").await;
    no_errors(
        app.gql_at(base, "cara", ASSIGN, json!({ "c": id, "p": me, "w": cara }))
            .await,
    );
    no_errors(app.gql_at(base, "cara", OPTIONS, json!({ "input": { "caseId": id, "partyId": me,
        "optionsOffered": ["REPORT_TO_UNIVERSITY"], "optionsChosen": ["REPORT_TO_UNIVERSITY"], "summary": "s" } })).await);
    let v = app
        .gql_at(
            base,
            "alice",
            "query($id: UUID!) { myCase(id: $id) { version } }",
            json!({ "id": id }),
        )
        .await["data"]["myCase"]["version"]
        .clone();
    no_errors(
        app.gql_at(
            base,
            "alice",
            REPORT,
            json!({ "input": { "caseId": id, "expectedVersion": v,
        "statement": "MK-V-STATEMENT", "respondentMayBeInformed": true } }),
        )
        .await,
    );
    id
}

fn decision_due(app: &TestApp, working_days: u32) -> String {
    let calendar = app.config.policy.calendar();
    calendar
        .add_working_days(app.today(), working_days)
        .to_string()
}

fn deadline(case: &Value, kind: &str) -> String {
    case["deadlines"]
        .as_array()
        .expect("deadlines")
        .iter()
        .find(|d| d["kind"] == kind)
        .unwrap_or_else(|| panic!("no {kind}: {case}"))["dueOn"]
        .as_str()
        .expect("due")
        .to_string()
}

async fn an_open_case_keeps_its_policy_version_when_the_file_changes(backend: Backend) {
    let v1 = policy_file("test-v1", &[]);
    let app = TestApp::start_with(backend, &[("MISCONDUCT_POLICY_FILE", &v1)]).await;
    Cast::seed(&app).await;
    let a = reported_at(&app, &app.base).await;

    // The file changes but keeps its name: a new version, not a refusal.
    let v2 = policy_file(
        "test-v1",
        &[
            (
                "decide_whether_to_investigate = 5",
                "decide_whether_to_investigate = 9",
            ),
            (
                "REPORT_RECEIVED = \"Report received\"",
                "REPORT_RECEIVED = \"With the conduct team\"",
            ),
        ],
    );
    let second = app
        .another_instance(&[("MISCONDUCT_POLICY_FILE", &v2)])
        .await;
    let current = app
        .gql_at(&second.base, "alice", "{ policy { version } }", json!({}))
        .await["data"]["policy"]["version"]
        .as_str()
        .expect("version")
        .to_string();
    assert!(current.starts_with("test-v1+"), "a new version: {current}");
    let b = reported_at(&app, &second.base).await;

    // Both read through the new instance: each under its own version.
    let case_a = app
        .gql_at(&second.base, "olivia", STAFF, json!({ "id": a }))
        .await["data"]["case"]
        .clone();
    let case_b = app
        .gql_at(&second.base, "olivia", STAFF, json!({ "id": b }))
        .await["data"]["case"]
        .clone();
    assert_eq!(case_a["policyVersion"], "test-v1");
    assert_eq!(case_a["progress"], "Report received");
    assert_eq!(
        deadline(&case_a, "DECIDE_WHETHER_TO_INVESTIGATE"),
        decision_due(&app, 5)
    );
    assert_eq!(case_b["policyVersion"], current.as_str());
    assert_eq!(case_b["progress"], "With the conduct team");
    assert_eq!(
        deadline(&case_b, "DECIDE_WHETHER_TO_INVESTIGATE"),
        decision_due(&app, 9)
    );
    // The reporting party sees her case's own labels too.
    let mine = app
        .gql_at(
            &second.base,
            "alice",
            "query($id: UUID!) { myCase(id: $id) { progress } }",
            json!({ "id": a }),
        )
        .await;
    assert_eq!(mine["data"]["myCase"]["progress"], "Report received");

    // Only an administrator moves a case to the current version.
    let body = app
        .gql_at(
            &second.base,
            "olivia",
            MOVE,
            json!({ "c": a, "v": case_a["version"] }),
        )
        .await;
    assert_eq!(code(&body).0, "FORBIDDEN");
    no_errors(
        app.gql_at(
            &second.base,
            "ada",
            MOVE,
            json!({ "c": a, "v": case_a["version"] }),
        )
        .await,
    );
    let moved = app
        .gql_at(&second.base, "olivia", STAFF, json!({ "id": a }))
        .await["data"]["case"]
        .clone();
    assert_eq!(moved["policyVersion"], current.as_str());
    assert_eq!(moved["progress"], "With the conduct team");
    assert_eq!(
        deadline(&moved, "DECIDE_WHETHER_TO_INVESTIGATE"),
        decision_due(&app, 5),
        "deadlines already set keep their dates"
    );
    let entry = moved["timeline"]
        .as_array()
        .expect("timeline")
        .iter()
        .find(|e| e["kind"] == "POLICY_VERSION_CHANGED")
        .cloned()
        .expect("on the timeline");
    assert_eq!(
        entry["reason"],
        format!("Policy version test-v1 replaced by {current}").as_str()
    );
    let again = app
        .gql_at(
            &second.base,
            "ada",
            MOVE,
            json!({ "c": a, "v": moved["version"] }),
        )
        .await;
    assert_eq!(code(&again).0, "VALIDATION", "already current: {again}");
    second.stop().await;
    app.stop().await;
}
db_test!(an_open_case_keeps_its_policy_version_when_the_file_changes);

const TRIAGE_KINDS: &str = r#"mutation($c: UUID!, $v: Int!, $b: [AllegedBreachInput!]!) { triageCase(caseId: $c, expectedVersion: $v, allegedBreaches: $b) { version case { triage { routedTo allegedBreaches } } } }"#;

/// Triages a fresh reported case with `breaches`; the route, or the refusal.
async fn routed(app: &TestApp, breaches: Value) -> Result<String, Value> {
    let mut case = reported_case(app).await;
    case.refresh(app).await;
    let body = app
        .gql(
            Some("olivia"),
            TRIAGE_KINDS,
            json!({ "c": case.id, "v": case.version, "b": breaches }),
        )
        .await;
    match body["data"]["triageCase"]["case"]["triage"]["routedTo"].as_str() {
        Some(to) => Ok(to.to_string()),
        None => Err(body),
    }
}

/// R-TRI-2 as policy (issue 11): the same cases triaged under UEA's procedure
/// (003 §1, §4) and under Leicester's. UEA routes by the kind of breach and
/// sends HIGH to its University Disciplinary Officer; Leicester routes by level
/// and knows no kinds.
async fn uea_routes_by_kind_of_breach_and_leicester_by_level(backend: Backend) {
    let uea = concat!(env!("CARGO_MANIFEST_DIR"), "/policy/uea.toml");
    let breach = |level: &str, kind: Option<&str>| json!({ "description": "MK-BREACH", "level": level, "kind": kind });
    let app = TestApp::start_with(backend, &[("MISCONDUCT_POLICY_FILE", uea)]).await;
    Cast::seed(&app).await;
    let cases = [
        (
            json!([breach("LOW", Some("ACCOMMODATION"))]),
            "Deputy Accommodation Manager",
        ),
        (
            json!([breach("LOW", Some("ACCOMMODATION")), breach("MEDIUM", None)]),
            "Student Life Manager",
        ),
        (
            json!([breach("MEDIUM", Some("GENERAL"))]),
            "Student Life Manager",
        ),
        (
            json!([breach("HIGH", Some("ACCOMMODATION"))]),
            "University Disciplinary Officer",
        ),
    ];
    for (breaches, to) in &cases {
        assert_eq!(
            routed(&app, breaches.clone()).await.as_deref(),
            Ok(*to),
            "{breaches}"
        );
    }
    let refused = routed(&app, json!([breach("LOW", Some("PARKING"))]))
        .await
        .expect_err("not a kind of breach under 003");
    assert_eq!(code(&refused).0, "VALIDATION", "{refused}");
    assert!(
        refused.to_string().contains("uea-2025.2"),
        "the refusal names the procedure: {refused}"
    );
    app.stop().await;

    // Leicester: routing by level only; ACCOMMODATION is not one of its kinds.
    let app = TestApp::start(backend).await;
    Cast::seed(&app).await;
    assert_eq!(
        routed(&app, json!([breach("LOW", None)])).await.as_deref(),
        Ok("CONDUCT_OFFICER")
    );
    assert_eq!(
        routed(&app, json!([breach("HIGH", None)])).await.as_deref(),
        Ok("DECISION_MAKER")
    );
    let refused = routed(&app, json!([breach("LOW", Some("ACCOMMODATION"))]))
        .await
        .expect_err("Leicester routes by level");
    assert_eq!(code(&refused).0, "VALIDATION", "{refused}");
    app.stop().await;
}
db_test!(uea_routes_by_kind_of_breach_and_leicester_by_level);
