//! Third parties (000 §15, issue 17 item 6): a student affected who is not a
//! witness is offered support on the case without becoming a party to the
//! procedure. They and their case worker see their own support and nothing
//! else of the case; nobody else learns they are there.

use misconduct_api::domain::kinds::{PersonKind, StaffRole};
use serde_json::{Value, json};

use crate::common::{Backend, TestApp};
use crate::db_test;
use crate::scenario::*;

const OFFER: &str = r#"mutation($c: UUID!, $s: String!, $w: UUID!, $v: Int!) {
  offerSupportToAffectedPerson(caseId: $c, sisNumber: $s, caseWorkerId: $w, expectedVersion: $v) { version } }"#;

/// Everything of the case that would show someone else's part.
const CASE_MARKERS: &[&str] = &[
    "MK-DESC",
    "MK-STATEMENT",
    "MK-OUTCOME",
    "MK-OPTIONS-R",
    "Name of alice",
    "Name of ben",
    "Report received",
    "REPORT_RECEIVED",
];

/// What `who` receives through every path: lists, the staff view and the
/// party view of the case.
async fn everything(app: &TestApp, who: &str, id: &str) -> String {
    let lists = app.gql(Some(who), &everything_query(), json!({})).await;
    let staff = app
        .gql(Some(who), &staff_case_query(), json!({ "id": id }))
        .await;
    let party = app
        .gql(Some(who), &party_case_query(), json!({ "id": id }))
        .await;
    format!("{lists}{staff}{party}")
}

async fn offer(app: &TestApp, by: &str, case: &Case, sis: &str, worker: &str) -> Value {
    let v = case.version_as(app, "alice").await;
    let w = person_id(app, worker).await;
    app.gql(
        Some(by),
        OFFER,
        json!({ "c": case.id, "s": sis, "w": w, "v": v }),
    )
    .await
}

/// Fay, Alice's flatmate, is offered support by Alice's case worker, with
/// Carl as her case worker. Fay sees her own support and nothing of the case;
/// Carl likewise; Alice, Ben, their case workers and the conduct team never
/// see Fay.
async fn an_affected_person_sees_only_their_own_support(backend: Backend) {
    let app = TestApp::start(backend).await;
    Cast::seed(&app).await;
    app.person("fay", PersonKind::Student, &[]).await;
    app.person("carl", PersonKind::Staff, &[StaffRole::CaseWorker])
        .await;
    let case = reported_case(&app).await;
    no_errors(offer(&app, "cara", &case, "SIS-fay", "carl").await);

    let carl = app
        .ok(
            "carl",
            "query($id: UUID!) { case(id: $id) { parties { id role name } } }",
            json!({ "id": case.id }),
        )
        .await;
    let parties = carl["case"]["parties"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(parties.len(), 1, "Carl sees Fay only: {carl}");
    assert_eq!(parties[0]["role"], "AFFECTED");
    assert_eq!(parties[0]["name"], "Name of fay");
    let fay_party = parties[0]["id"].as_str().unwrap_or_default().to_string();
    no_errors(
        app.gql(
            Some("carl"),
            NOTE,
            json!({ "c": case.id, "p": fay_party, "b": "MK-FAY-SHARED", "s": true }),
        )
        .await,
    );
    no_errors(
        app.gql(
            Some("carl"),
            NOTE,
            json!({ "c": case.id, "p": fay_party, "b": "MK-FAY-PRIVATE", "s": false }),
        )
        .await,
    );
    no_errors(
        app.gql(
            Some("carl"),
            ARRANGE_SUPPORT,
            json!({ "input": { "caseId": case.id, "partyId": fay_party,
                "kind": "PRIORITY_COUNSELLING", "details": "MK-FAY-COUNSELLING" } }),
        )
        .await,
    );

    let fay = everything(&app, "fay", &case.id).await;
    for mine in [
        "Name of fay",
        "MK-FAY-SHARED",
        "MK-FAY-COUNSELLING",
        "AFFECTED",
    ] {
        assert!(fay.contains(mine), "Fay should see {mine}: {fay}");
    }
    for theirs in CASE_MARKERS.iter().chain(&["MK-FAY-PRIVATE"]) {
        assert!(!fay.contains(theirs), "Fay must not see {theirs}: {fay}");
    }
    let carl = everything(&app, "carl", &case.id).await;
    for mine in ["Name of fay", "MK-FAY-PRIVATE", "MK-FAY-COUNSELLING"] {
        assert!(carl.contains(mine), "Carl should see {mine}: {carl}");
    }
    for theirs in CASE_MARKERS {
        assert!(!carl.contains(theirs), "Carl must not see {theirs}: {carl}");
    }
    for other in ["alice", "ben", "cara", "colin", "olivia"] {
        let seen = everything(&app, other, &case.id).await;
        assert!(
            !seen.contains("fay") && !seen.contains("MK-FAY") && !seen.contains(&fay_party),
            "{other} must not learn Fay is on the case: {seen}"
        );
    }
    app.stop().await;
}
db_test!(an_affected_person_sees_only_their_own_support);

/// Who may offer, and to whom: Student Support or the conduct team; not a
/// party, not a stranger; a student already on the case cannot be added
/// again; the responding party's case worker cannot support someone affected
/// (R-IND-2); `addParty` does not add affected people to the procedure.
async fn support_for_an_affected_person_is_offered_with_care(backend: Backend) {
    let app = TestApp::start(backend).await;
    Cast::seed(&app).await;
    app.person("fay", PersonKind::Student, &[]).await;
    app.person("carl", PersonKind::Staff, &[StaffRole::CaseWorker])
        .await;
    let case = reported_case(&app).await;
    for (who, expected) in [("ben", "FORBIDDEN"), ("walter", "NOT_FOUND")] {
        let body = offer(&app, who, &case, "SIS-fay", "carl").await;
        assert_eq!(code(&body).0, expected, "{who}: {body}");
    }
    let body = offer(&app, "cara", &case, "SIS-alice", "carl").await;
    assert_eq!(
        body["errors"][0]["extensions"]["field"], "sisNumber",
        "{body}"
    );
    let body = offer(&app, "olivia", &case, "SIS-fay", "colin").await;
    assert_eq!(
        code(&body),
        ("RULE_VIOLATION".into(), Some("R-IND-2".into()))
    );
    let v = case.version_as(&app, "alice").await;
    let body = app
        .gql(
            Some("olivia"),
            r#"mutation($c: UUID!, $v: Int!) { addParty(input: { caseId: $c, role: AFFECTED, sisNumber: "SIS-fay", expectedVersion: $v }) { version } }"#,
            json!({ "c": case.id, "v": v }),
        )
        .await;
    assert_eq!(body["errors"][0]["extensions"]["field"], "role", "{body}");
    // The conduct team may offer it too; Fay then has her case and Carl.
    no_errors(offer(&app, "olivia", &case, "SIS-fay", "carl").await);
    let fay = app
        .ok(
            "fay",
            "{ myCases(first: 5) { edges { node { myRole progress me { caseWorkers { displayName } } otherParties { id } } } } }",
            json!({}),
        )
        .await;
    let node = &fay["myCases"]["edges"][0]["node"];
    assert_eq!(node["myRole"], "AFFECTED");
    assert!(node["progress"].is_null(), "{fay}");
    assert_eq!(node["me"]["caseWorkers"][0]["displayName"], "Name of carl");
    assert_eq!(node["otherParties"], json!([]));
    app.stop().await;
}
db_test!(support_for_an_affected_person_is_offered_with_care);
