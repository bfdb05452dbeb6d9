//! R-APP-5 (004 App. 5 §9): where the policy names who decides finally, the
//! appeal panel only recommends; nothing changes until the conduct team records
//! the named officer's decision, which then completes procedures.

use super::letters::COPIES;
use super::time_rules::referred_to_a_panel;
use super::*;

const RECORD_FINAL: &str = r#"mutation($a: UUID!, $v: Int!, $ok: Boolean!) { recordFinalAppealDecision(appealId: $a, expectedVersion: $v, accepted: $ok,
  decidedBy: "Vice-Chancellor (Prof. A. Smith)", reasons: "MK-VC-REASONS") { case { stage appeals { status finalDecisionBy } sanctions { kind status } } } }"#;

async fn version(app: &TestApp, id: &str) -> i64 {
    app.ok(
        "olivia",
        "query($id: UUID!) { case(id: $id) { version } }",
        json!({ "id": id }),
    )
    .await["case"]["version"]
        .as_i64()
        .expect("version")
}

/// A conviction referred to a hearing panel (p1–p3) that suspends Ben; Ben's
/// appeal referred by the reviewer to an appeal panel (p4, q2, q3). Returns the
/// case id, the appeal id and the appeal panel.
async fn appeal_before_a_panel(app: &TestApp) -> (String, String, [String; 3]) {
    let id = referred_to_a_panel(app).await;
    for who in ["q2", "q3"] {
        app.person(who, PersonKind::Staff, &[StaffRole::PanelMember])
            .await;
    }
    let s = data(app.gql(Some("olivia"), SUMMON, json!({ "input": { "caseId": id, "scheduledAt": app.in_days(21), "location": "Council Room",
        "allegedBreaches": "Assault", "penaltyRange": "Reprimand to expulsion", "proposedPenalty": "Suspension for one term" } })).await);
    let hearing = s["summonToHearing"]["case"]["hearings"][0]["id"]
        .as_str()
        .expect("hearing")
        .to_string();
    no_errors(app.gql(Some("ben"), RESPOND, json!({ "h": hearing })).await);
    let panel = [
        person_id(app, "p1").await,
        person_id(app, "p2").await,
        person_id(app, "p3").await,
    ];
    let ben = responding_party_id(app, &id).await;
    let votes = json!([{ "memberId": panel[0], "breach": true }, { "memberId": panel[1], "breach": true }, { "memberId": panel[2], "breach": true }]);
    let suspend = json!([{ "partyId": ben, "kind": "SUSPENSION", "endsOn": (app.today() + Duration::days(90)).to_string(),
        "justification": "Serious assault", "whyNotLesser": "Risk to others" }]);
    data(
        app.gql(
            Some("p1"),
            HEARING_DECISION,
            json!({ "input": { "hearingId": hearing, "expectedVersion": version(app, &id).await,
        "votes": votes, "reasons": "Proven", "sanctions": suspend } }),
        )
        .await,
    );
    let appeal = lodged(app, &id, &["EXCESSIVE_SANCTION"]).await;
    assign_staff(app, &id, "rex", "APPEAL_REVIEWER").await;
    data(
        app.gql(
            Some("rex"),
            REVIEW_APPEAL,
            json!({ "input": { "appealId": appeal, "expectedVersion": version(app, &id).await,
        "decision": "REFER_TO_PANEL", "reasons": "Arguable" } }),
        )
        .await,
    );
    let appeal_panel = [
        person_id(app, "p4").await,
        person_id(app, "q2").await,
        person_id(app, "q3").await,
    ];
    no_errors(
        app.gql(
            Some("olivia"),
            PANEL,
            json!({ "c": id, "m": appeal_panel, "appeal": true }),
        )
        .await,
    );
    (id, appeal, appeal_panel)
}

async fn the_vice_chancellor_decides_on_the_appeal_panels_recommendation(backend: Backend) {
    let file = policy_file(
        "test-final-decision",
        &[
            (
                "[hearings]",
                "final_decision_by = \"Vice-Chancellor\"\n\n[hearings]",
            ),
            (
                "outcome_copies = []",
                "outcome_copies = []\nappeal_outcome_copies = [\"Syndicate\"]",
            ),
        ],
    );
    let app = TestApp::start_with(backend, &[("MISCONDUCT_POLICY_FILE", &file)]).await;
    let (id, appeal, panel) = appeal_before_a_panel(&app).await;
    let ben = responding_party_id(&app, &id).await;
    app.person("syd", PersonKind::Staff, &[]).await;
    let to_syndicate = json!({ "c": id, "copies": [{ "office": "Syndicate", "personId": person_id(&app, "syd").await }] });
    let early = app.gql(Some("olivia"), COPIES, to_syndicate.clone()).await;
    assert_eq!(
        code(&early).1.as_deref(),
        Some("R-APP-5"),
        "the Syndicate hears of appeal outcomes, not of a suspension under appeal: {early}"
    );
    let early = app
        .gql(
            Some("olivia"),
            RECORD_FINAL,
            json!({ "a": appeal, "v": version(&app, &id).await, "ok": true }),
        )
        .await;
    assert_eq!(
        code(&early).1.as_deref(),
        Some("R-APP-5"),
        "nothing to decide before the panel recommends: {early}"
    );

    // The panel recommends a reprimand instead of the suspension: nothing changes yet.
    let votes = json!([{ "memberId": panel[0], "outcome": "SUBSTITUTE" }, { "memberId": panel[1], "outcome": "SUBSTITUTE" }, { "memberId": panel[2], "outcome": "UPHOLD" }]);
    let reprimand = json!([{ "partyId": ben, "kind": "REPRIMAND", "justification": "Excessive", "whyNotLesser": "A reprimand marks it" }]);
    let d = data(
        app.gql(
            Some("p4"),
            DECIDE_APPEAL,
            json!({ "input": { "appealId": appeal, "expectedVersion": version(&app, &id).await,
        "votes": votes, "reasons": "Too severe", "substituteSanctions": reprimand } }),
        )
        .await,
    );
    let c = &d["decideAppeal"]["case"];
    assert_eq!(c["stage"], "APPEAL");
    assert_eq!(c["appeals"][0]["status"], "RECOMMENDED");
    assert_eq!(c["appeals"][0]["completionOfProceduresOn"], Value::Null);
    assert_eq!(
        c["sanctions"],
        json!([{ "kind": "SUSPENSION", "status": "IMPOSED" }]),
        "the suspension stands until the final decision"
    );

    // Only the conduct team records the final decision.
    let v = version(&app, &id).await;
    let body = app
        .gql(
            Some("p4"),
            RECORD_FINAL,
            json!({ "a": appeal, "v": v, "ok": true }),
        )
        .await;
    assert_eq!(code(&body).0, "FORBIDDEN", "{body}");
    let d = data(
        app.gql(
            Some("olivia"),
            RECORD_FINAL,
            json!({ "a": appeal, "v": v, "ok": true }),
        )
        .await,
    );
    let c = &d["recordFinalAppealDecision"]["case"];
    assert_eq!(c["stage"], "CLOSED");
    assert_eq!(c["appeals"][0]["status"], "SUBSTITUTED");
    assert_eq!(
        c["appeals"][0]["finalDecisionBy"],
        "Vice-Chancellor (Prof. A. Smith)"
    );
    let sanctions = c["sanctions"].to_string();
    assert!(
        sanctions.contains(r#"{"kind":"SUSPENSION","status":"SUBSTITUTED"}"#)
            && sanctions.contains(r#"{"kind":"REPRIMAND","status":"IMPOSED"}"#),
        "{sanctions}"
    );
    let again = app
        .gql(
            Some("olivia"),
            RECORD_FINAL,
            json!({ "a": appeal, "v": version(&app, &id).await, "ok": false }),
        )
        .await;
    assert_eq!(code(&again).1.as_deref(), Some("R-APP-5"), "{again}");

    // R-APP-5: the Syndicate is told of the appeal's outcome.
    data(app.gql(Some("olivia"), COPIES, to_syndicate).await);
    let told = app
        .ok(
            "syd",
            "{ myLetters(first: 5) { nodes { kind text } } }",
            json!({}),
        )
        .await;
    let copy = &told["myLetters"]["nodes"][0];
    assert_eq!(copy["kind"], "OUTCOME_COPY");
    let text = copy["text"].as_str().expect("text");
    assert!(
        text.contains("As Syndicate")
            && text.contains("after the decision on an appeal")
            && text.contains("Reprimand")
            && !text.contains("may still appeal"),
        "{text}"
    );
    app.stop().await;
}
db_test!(the_vice_chancellor_decides_on_the_appeal_panels_recommendation);
