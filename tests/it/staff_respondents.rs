//! Staff or contractor respondents (R-DISC-6, issue 17 item 3): routed to the
//! staff procedure, never to student discipline, while the reporting student
//! keeps her support and the statistics count the case.

use serde_json::{Value, json};

use crate::common::{Backend, TestApp};
use crate::db_test;
use crate::scenario::*;

const ROUTE: &str = r#"mutation($c: UUID!, $p: UUID!, $e: Employment!, $to: String!, $v: Int!) {
  routeToStaffProcedure(caseId: $c, partyId: $p, employment: $e, referredTo: $to, expectedVersion: $v) { version } }"#;

const HERS: &str = r#"query($id: UUID!) { myCase(id: $id) { version
  otherParties { id name staffProcedure { employment referredTo routedAt } }
  timeline { kind } } }"#;

/// Alice discloses about a lecturer, by name; Cara supports her and the
/// options conversation chooses a report to the university.
async fn disclosed_about_a_lecturer(app: &TestApp) -> Case {
    let data = app
        .ok(
            "alice",
            RECORD,
            json!({ "input": { "categories": ["SEXUAL_HARASSMENT"], "description": "MK-LECTURER",
                "respondents": [{ "name": "Dr Lecturer" }] } }),
        )
        .await;
    let p = &data["recordDisclosure"];
    let case = Case {
        id: p["caseId"].as_str().unwrap_or_default().into(),
        version: p["version"].as_i64().unwrap_or_default(),
        reporter: p["myCase"]["me"]["id"].as_str().unwrap_or_default().into(),
        respondent: p["myCase"]["otherParties"][0]["id"]
            .as_str()
            .unwrap_or_default()
            .into(),
    };
    no_errors(
        case.assign(app, "cara", &case.reporter.clone(), "cara")
            .await,
    );
    no_errors(
        case.options(
            app,
            "cara",
            &["SUPPORT_ONLY", "REPORT_TO_UNIVERSITY"],
            &["REPORT_TO_UNIVERSITY"],
            "Alice wants the university to act",
        )
        .await,
    );
    case
}

async fn route(app: &TestApp, by: &str, case: &Case, party: &str) -> Value {
    let v = case.version_as(app, "alice").await;
    app.gql(
        Some(by),
        ROUTE,
        json!({ "c": case.id, "p": party, "e": "STAFF", "to": "Human Resources", "v": v }),
    )
    .await
}

/// Cara routes the lecturer to the staff procedure: Alice sees where her
/// matter went; a formal report under the student procedure is refused naming
/// R-DISC-6; her support goes on (a note, a supportive measure, an urgent CfC
/// referral); routing twice, routing the reporting party, and routing by
/// anyone but her case worker or the conduct team are refused.
async fn a_staff_respondent_goes_to_the_staff_procedure(backend: Backend) {
    let app = TestApp::start(backend).await;
    Cast::seed(&app).await;
    let case = disclosed_about_a_lecturer(&app).await;

    for (who, expected) in [("alice", "FORBIDDEN"), ("walter", "NOT_FOUND")] {
        let body = route(&app, who, &case, &case.respondent).await;
        assert_eq!(code(&body).0, expected, "{who}: {body}");
    }
    let body = route(&app, "cara", &case, &case.reporter).await;
    assert_eq!(code(&body).0, "VALIDATION", "{body}");
    let stale = app
        .gql(
            Some("cara"),
            ROUTE,
            json!({ "c": case.id, "p": case.respondent, "e": "STAFF", "to": "HR", "v": case.version - 1 }),
        )
        .await;
    assert_eq!(code(&stale).0, "CONFLICT", "{stale}");

    no_errors(route(&app, "cara", &case, &case.respondent).await);
    let again = route(&app, "cara", &case, &case.respondent).await;
    assert_eq!(
        code(&again),
        ("RULE_VIOLATION".into(), Some("R-DISC-6".into()))
    );

    let hers = app.ok("alice", HERS, json!({ "id": case.id })).await;
    let lecturer = &hers["myCase"]["otherParties"][0];
    assert_eq!(lecturer["name"], "Dr Lecturer");
    assert_eq!(lecturer["staffProcedure"]["employment"], "STAFF");
    assert_eq!(lecturer["staffProcedure"]["referredTo"], "Human Resources");
    assert!(
        hers.to_string().contains("ROUTED_TO_STAFF_PROCEDURE"),
        "Alice sees it on her timeline: {hers}"
    );

    let v = hers["myCase"]["version"].as_i64().unwrap_or_default();
    let report = case.report(&app, "alice", "MK-STATEMENT", true, v).await;
    assert_eq!(
        code(&report),
        ("RULE_VIOLATION".into(), Some("R-DISC-6".into())),
        "{report}"
    );
    let message = report["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(message.contains("staff procedure"), "{message}");

    // Her support goes on.
    no_errors(
        app.gql(
            Some("cara"),
            NOTE,
            json!({ "c": case.id, "p": case.reporter, "b": "Met Alice after the referral", "s": false }),
        )
        .await,
    );
    no_errors(
        app.gql(
            Some("cara"),
            ARRANGE_SUPPORT,
            json!({ "input": { "caseId": case.id, "partyId": case.reporter,
                "kind": "ASSESSMENT_ADJUSTMENT", "details": "Moved to another seminar group" } }),
        )
        .await,
    );
    let v = case.version_as(&app, "alice").await;
    no_errors(
        app.gql(
            Some("cara"),
            "mutation($c: UUID!, $v: Int!) { referToCauseForConcern(caseId: $c, expectedVersion: $v, urgentReason: \"Same building every day\") { version } }",
            json!({ "c": case.id, "v": v }),
        )
        .await,
    );
    app.stop().await;
}
db_test!(a_staff_respondent_goes_to_the_staff_procedure);

/// Routed cases are counted: their own outcome in the statistics, in the
/// total and by category like any disclosure.
async fn statistics_count_routed_cases(backend: Backend) {
    let app = TestApp::start(backend).await;
    Cast::seed(&app).await;
    let threshold = app.config.policy.statistics.suppression_threshold;
    for _ in 0..threshold {
        let case = disclosed_about_a_lecturer(&app).await;
        no_errors(route(&app, "cara", &case, &case.respondent).await);
    }
    let today = app.today().to_string();
    let stats = app
        .ok(
            "bea",
            "query($d: NaiveDate!) { statistics(from: $d, to: $d) { total byOutcome { key count } } }",
            json!({ "d": today }),
        )
        .await;
    assert_eq!(stats["statistics"]["total"], threshold);
    let outcome = |key: &str| {
        stats["statistics"]["byOutcome"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|c| c["key"] == key)
            .map(|c| c["count"].clone())
    };
    assert_eq!(
        outcome("STAFF_PROCEDURE"),
        Some(json!(threshold)),
        "{stats}"
    );
    app.stop().await;
}
db_test!(statistics_count_routed_cases);
