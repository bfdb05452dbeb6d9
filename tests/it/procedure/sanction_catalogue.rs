//! R-SAN-3: the sanction catalogue is the procedure's. Under Derby's policy
//! (002 App. 1) the decision maker sees the indicative matrix and imposes one of
//! Derby's own sanctions; Leicester's procedure does not know it.

use super::*;

const GUIDANCE: &str =
    "query($id: UUID!) { case(id: $id) { sanctionGuidance { offences sanctions } } }";

/// A convicted case at DECISION with Dee assigned; returns its id and version.
async fn awaiting_decision(app: &TestApp) -> (String, i64) {
    let mut p = triaged(app, "HIGH").await;
    let id = p.case.id.clone();
    assign_staff(app, &id, "dee", "DECISION_MAKER").await;
    p.case.refresh(app).await;
    no_errors(app.gql(Some("olivia"), "mutation($c: UUID!, $v: Int!) { recordConviction(caseId: $c, details: \"Convicted\", expectedVersion: $v) { version } }", json!({ "c": id, "v": p.case.version })).await);
    p.case.refresh(app).await;
    (id, p.case.version)
}

fn advisory_note(party: &str) -> Value {
    json!([{ "partyId": party, "kind": "ADVISORY_NOTE", "justification": "Unwanted remarks, first occasion", "whyNotLesser": "The remarks need a record" }])
}

async fn derbys_own_sanctions_and_matrix_reach_the_decision_maker(backend: Backend) {
    let derby = concat!(env!("CARGO_MANIFEST_DIR"), "/policy/derby.toml");
    let app = TestApp::start_with(backend, &[("MISCONDUCT_POLICY_FILE", derby)]).await;
    let (id, v) = awaiting_decision(&app).await;
    let dee = app.ok("dee", GUIDANCE, json!({ "id": id })).await;
    let rows = dee["case"]["sanctionGuidance"]
        .as_array()
        .expect("guidance");
    assert_eq!(rows.len(), 2, "002 App. 1 has two rows: {dee}");
    assert!(
        rows[1]["offences"]
            .to_string()
            .contains("Making unwanted remarks of a sexual nature")
            && rows[1]["sanctions"].to_string().contains("ADVISORY_NOTE"),
        "{dee}"
    );
    let cara = app.ok("cara", GUIDANCE, json!({ "id": id })).await;
    assert_eq!(
        cara["case"]["sanctionGuidance"],
        json!([]),
        "Alice's case worker does not decide"
    );
    let ben = responding_party_id(&app, &id).await;
    let body = data(
        app.gql(
            Some("dee"),
            DECIDE,
            json!({ "input": { "caseId": id, "expectedVersion": v, "option": "SANCTION",
        "reasons": "Proven", "sanctions": advisory_note(&ben) } }),
        )
        .await,
    );
    assert_eq!(body["recordDecision"]["case"]["stage"], "OUTCOME");
    let seen = app
        .ok(
            "ben",
            "query($id: UUID!) { myCase(id: $id) { sanctions { kind status } } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(
        seen["myCase"]["sanctions"],
        json!([{ "kind": "ADVISORY_NOTE", "status": "IMPOSED" }])
    );
    app.stop().await;

    // Leicester's catalogue has no advisory note, and no matrix.
    let app = TestApp::start(backend).await;
    let (id, v) = awaiting_decision(&app).await;
    let dee = app.ok("dee", GUIDANCE, json!({ "id": id })).await;
    assert_eq!(dee["case"]["sanctionGuidance"], json!([]));
    let ben = responding_party_id(&app, &id).await;
    let body = app
        .gql(
            Some("dee"),
            DECIDE,
            json!({ "input": { "caseId": id, "expectedVersion": v, "option": "SANCTION",
        "reasons": "Proven", "sanctions": advisory_note(&ben) } }),
        )
        .await;
    assert_eq!(code(&body).0, "VALIDATION", "{body}");
    app.stop().await;
}
db_test!(derbys_own_sanctions_and_matrix_reach_the_decision_maker);
