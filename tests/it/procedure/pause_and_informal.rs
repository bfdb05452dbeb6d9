//! Pausing for the police (R-INV-5, R-TIME-3) and informal resolution (R-INF-1).

use super::*;

async fn a_paused_case_resumes_with_its_deadlines_moved_and_is_dismissed(backend: Backend) {
    let app = TestApp::start(backend).await;
    let mut p = triaged(&app, "MEDIUM").await;
    investigate(&app, &mut p).await;
    let id = p.case.id.clone();
    let target = |body: &Value, path: &str| -> String {
        body[path]["case"]["deadlines"]
            .as_array()
            .expect("deadlines")
            .iter()
            .find(|d| d["kind"] == "INVESTIGATION_TARGET")
            .expect("target")["dueOn"]
            .as_str()
            .expect("due")
            .to_string()
    };
    let before = app.ok("olivia", STAFF_VIEW, json!({ "id": id })).await;
    let before_due = before["case"]["deadlines"]
        .as_array()
        .expect("d")
        .iter()
        .find(|d| d["kind"] == "INVESTIGATION_TARGET")
        .expect("t")["dueOn"]
        .as_str()
        .expect("due")
        .to_string();
    data(
        app.gql(
            Some("olivia"),
            PAUSE,
            json!({ "c": id, "v": p.case.version }),
        )
        .await,
    );
    // Ten days pass while the police investigate.
    let paused_on = app.today();
    app.days_pass(10);
    p.case.refresh(&app).await;
    let r = data(
        app.gql(
            Some("olivia"),
            RESUME,
            json!({ "c": id, "v": p.case.version }),
        )
        .await,
    );
    assert_eq!(
        r["resumeCase"]["case"]["stage"], "INVESTIGATION",
        "resumes where it was"
    );
    let moved = target(&r, "resumeCase");
    let calendar = app.config.policy.calendar();
    let paused_days = calendar.working_days_between(paused_on, app.today());
    let expected = calendar.add_working_days(before_due.parse().expect("date"), paused_days);
    assert_eq!(
        moved,
        expected.to_string(),
        "R-TIME-3: moved by {paused_days} working days"
    );

    p.case.refresh(&app).await;
    data(
        app.gql(
            Some("ian"),
            REPORT_INV,
            json!({ "c": id, "v": p.case.version, "f": "NO_BREACH" }),
        )
        .await,
    );
    assign_staff(&app, &id, "dee", "DECISION_MAKER").await;
    p.case.refresh(&app).await;
    let d = data(app.gql(Some("dee"), DECIDE, json!({ "input": { "caseId": id, "expectedVersion": p.case.version, "option": "DISMISS", "reasons": "Not proven on the balance of probabilities" } })).await);
    assert_eq!(d["recordDecision"]["case"]["stage"], "CLOSED");
    let alice = app.ok("alice", PARTY_VIEW, json!({ "id": id })).await;
    assert_eq!(alice["myCase"]["progress"], "Concluded");
    assert_eq!(
        alice["myCase"]["decision"]["option"], "DISMISS",
        "a dismissal has no appeal: the reporting party is told"
    );
    app.stop().await;
}
db_test!(a_paused_case_resumes_with_its_deadlines_moved_and_is_dismissed);

async fn informal_resolution_needs_consent_and_a_judgement(backend: Backend) {
    let app = TestApp::start(backend).await;
    let p = triaged(&app, "LOW").await;
    let id = p.case.id.clone();
    let informal = |judgement: Value| json!({ "input": { "caseId": id, "expectedVersion": p.case.version, "option": "INFORMAL_RESOLUTION", "reasons": "Low-level, first incident", "informalJudgement": judgement } });
    let judgement = json!({ "safeguarding": "No concerns", "riskToVictim": "Low", "riskToCommunity": "Low", "couldBeCriminalOffence": false });
    let body = app
        .gql(Some("olivia"), DECIDE, informal(judgement.clone()))
        .await;
    assert_eq!(
        code(&body),
        ("RULE_VIOLATION".into(), Some("R-INF-1".into())),
        "no consent yet"
    );
    let body = app
        .gql(
            Some("cara"),
            "mutation($c: UUID!) { consentToInformalResolution(caseId: $c) { version } }",
            json!({ "c": id }),
        )
        .await;
    assert_eq!(
        code(&body).1.as_deref(),
        Some("R-INF-1"),
        "consent is the reporting party's own"
    );
    no_errors(
        app.gql(
            Some("alice"),
            "mutation($c: UUID!) { consentToInformalResolution(caseId: $c) { version } }",
            json!({ "c": id }),
        )
        .await,
    );
    let body = app.gql(Some("olivia"), DECIDE, informal(Value::Null)).await;
    assert_eq!(
        code(&body).1.as_deref(),
        Some("R-INF-1"),
        "the judgement is required"
    );
    let d = data(app.gql(Some("olivia"), DECIDE, informal(judgement)).await);
    assert_eq!(d["recordDecision"]["case"]["stage"], "INFORMAL_RESOLUTION");
    let v = version(&d, "recordDecision");
    // Terms that would stop anyone speaking about the misconduct are not
    // allowed (OfS condition E6): the team must attest there are none.
    const COMPLETE: &str = "mutation($c: UUID!, $v: Int!, $n: Boolean!) { completeInformalResolution(caseId: $c, outcome: \"Apology given\", noRestrictingProvision: $n, expectedVersion: $v) { case { stage decision { option } } } }";
    let refused = app
        .gql(
            Some("olivia"),
            COMPLETE,
            json!({ "c": id, "v": v, "n": false }),
        )
        .await;
    assert_eq!(
        code(&refused),
        ("RULE_VIOLATION".into(), Some("OFS-E6".into())),
        "{refused}"
    );
    let c = data(
        app.gql(
            Some("olivia"),
            COMPLETE,
            json!({ "c": id, "v": v, "n": true }),
        )
        .await,
    );
    assert_eq!(c["completeInformalResolution"]["case"]["stage"], "CLOSED");
    let attested = app
        .ok(
            "olivia",
            "query($c: UUID!) { case(id: $c) { outcome { noRestrictingProvisionAttestedAt } } }",
            json!({ "c": id }),
        )
        .await;
    assert!(
        attested["case"]["outcome"]["noRestrictingProvisionAttestedAt"].is_string(),
        "the attestation is on record: {attested}"
    );
    app.stop().await;
}
db_test!(informal_resolution_needs_consent_and_a_judgement);
