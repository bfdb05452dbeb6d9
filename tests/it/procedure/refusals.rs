//! What the procedure refuses, and the rule it names.

use super::*;

async fn the_procedure_refuses_what_it_must(backend: Backend) {
    let app = TestApp::start(backend).await;
    let mut p = triaged(&app, "HIGH").await;
    let id = p.case.id.clone();
    // R-DEC-1: advice only is for LOW/MEDIUM.
    let body = app.gql(Some("olivia"), DECIDE, json!({ "input": { "caseId": id, "expectedVersion": p.case.version, "option": "ADVICE", "reasons": "x" } })).await;
    assert_eq!(code(&body).1.as_deref(), Some("R-DEC-1"));
    // R-INV-1: an investigator first; then at most two.
    let body = app
        .gql(
            Some("olivia"),
            START,
            json!({ "c": id, "v": p.case.version }),
        )
        .await;
    assert_eq!(code(&body).1.as_deref(), Some("R-INV-1"));
    for who in ["ian", "ivy"] {
        no_errors(
            app.gql(
                Some("olivia"),
                ASSIGN_STAFF,
                json!({ "c": id, "p": person_id(&app, who).await, "r": "INVESTIGATOR" }),
            )
            .await,
        );
    }
    let body = app
        .gql(
            Some("olivia"),
            ASSIGN_STAFF,
            json!({ "c": id, "p": person_id(&app, "iris").await, "r": "INVESTIGATOR" }),
        )
        .await;
    assert_eq!(code(&body).1.as_deref(), Some("R-INV-1"));
    p.case.refresh(&app).await;
    data(
        app.gql(
            Some("olivia"),
            START,
            json!({ "c": id, "v": p.case.version }),
        )
        .await,
    );
    // R-INV-2: five working days' notice unless agreed.
    let body = app
        .gql(
            Some("ian"),
            MEETING,
            json!({ "c": id, "p": p.case.reporter, "at": app.in_days(2) }),
        )
        .await;
    assert_eq!(code(&body).1.as_deref(), Some("R-INV-2"));
    no_errors(
        app.gql(
            Some("ian"),
            MEETING,
            json!({ "c": id, "p": p.case.reporter, "at": app.in_days(2), "agreed": true }),
        )
        .await,
    );
    let body = app
        .gql(
            Some("ian"),
            MEETING,
            json!({ "c": id, "p": p.case.respondent, "at": app.in_days(1), "agreed": true }),
        )
        .await;
    assert_eq!(
        code(&body).1.as_deref(),
        Some("R-INV-2"),
        "no time left for the written response"
    );
    let body = app
        .gql(
            Some("olivia"),
            MEETING,
            json!({ "c": id, "p": p.case.reporter, "at": app.in_days(10) }),
        )
        .await;
    assert_eq!(
        code(&body).0,
        "FORBIDDEN",
        "meetings are arranged by the investigators"
    );
    // Witnesses get no investigation material and cannot add evidence.
    let body = app
        .gql(Some("wendy"), EVIDENCE, json!({ "c": id, "d": "x" }))
        .await;
    assert_eq!(
        code(&body).0,
        "FORBIDDEN",
        "a witness knows the case but adds no evidence"
    );
    // R-IRV-1: a review request must come within the window.
    p.case.refresh(&app).await;
    data(
        app.gql(
            Some("ian"),
            REPORT_INV,
            json!({ "c": id, "v": p.case.version, "f": "BREACH" }),
        )
        .await,
    );
    app.days_pass(30); // the review window (5 working days) passes
    let body = app.gql(Some("ben"), "mutation($c: UUID!) { requestInvestigationReview(caseId: $c, grounds: \"Procedure not followed\") { version } }", json!({ "c": id })).await;
    assert_eq!(code(&body).1.as_deref(), Some("R-IRV-1"));
    // R-SAN-1: a decision maker cannot expel without a conviction; fines within limits; R-SAN-2 justification.
    assign_staff(&app, &id, "dee", "DECISION_MAKER").await;
    p.case.refresh(&app).await;
    let sanction = |kind: &str, amount: Option<u32>, why: &str| {
        json!({ "input": { "caseId": id, "expectedVersion": p.case.version, "option": "SANCTION", "reasons": "Breach found",
        "sanctions": [{ "partyId": p.case.respondent, "kind": kind, "amountPence": amount, "justification": "Proportionate", "whyNotLesser": why }] } })
    };
    let body = app
        .gql(Some("dee"), DECIDE, sanction("EXPULSION", None, "Serious"))
        .await;
    assert_eq!(code(&body).1.as_deref(), Some("R-SAN-1"));
    let body = app
        .gql(
            Some("dee"),
            DECIDE,
            sanction("FINE", Some(50_000), "Serious"),
        )
        .await;
    assert_eq!(
        code(&body).1.as_deref(),
        Some("R-SAN-1"),
        "a decision maker's fines stop at £250"
    );
    let body = app
        .gql(Some("dee"), DECIDE, sanction("FINE", Some(20_000), "  "))
        .await;
    assert_eq!(code(&body).1.as_deref(), Some("R-SAN-2"));
    let body = app
        .gql(
            Some("ian"),
            DECIDE,
            sanction("FINE", Some(20_000), "Serious"),
        )
        .await;
    assert!(
        matches!(code(&body).1.as_deref(), Some("R-DEC-1")),
        "only the assigned decision maker decides: {body}"
    );
    let ok = data(
        app.gql(
            Some("dee"),
            DECIDE,
            sanction("FINE", Some(20_000), "A warning would not reflect the harm"),
        )
        .await,
    );
    assert_eq!(ok["recordDecision"]["case"]["stage"], "OUTCOME");
    // R-APP-1: after the window, no appeal.
    app.days_pass(30);
    let body = app
        .gql(
            Some("ben"),
            LODGE,
            json!({ "c": id, "g": ["EXCESSIVE_SANCTION"] }),
        )
        .await;
    assert_eq!(code(&body).1.as_deref(), Some("R-APP-1"));
    p.case.refresh(&app).await;
    let closed = data(app.gql(Some("olivia"), "mutation($c: UUID!, $v: Int!) { closeAfterAppealWindow(caseId: $c, expectedVersion: $v) { case { stage } myCase { progress } } }", json!({ "c": id, "v": p.case.version })).await);
    assert_eq!(closed["closeAfterAppealWindow"]["case"]["stage"], "CLOSED");
    let alice = app.ok("alice", PARTY_VIEW, json!({ "id": id })).await;
    assert_eq!(
        alice["myCase"]["sanctions"][0]["kind"], "FINE",
        "R-OUT-2: told once the appeal window passed unused"
    );
    // R-SAN-2: a later case shows Ben's previous sanctions to whoever decides it.
    app.stop().await;
}
db_test!(the_procedure_refuses_what_it_must);
