//! Investigation reviews (R-IRV-1), deemed acceptance (R-HEA-2), appeals (R-APP-1…4) and approvals after appeals (R-SAN-1).

use super::*;

/// A HIGH case investigated and reported; the responding party's request for
/// a review of the investigation is accepted and completed, and both principal
/// parties are told of it and of its outcome (R-IRV-1, R-IRV-2).
async fn reviewed_and_both_told(app: &TestApp) -> Procedure {
    let mut p = triaged(app, "HIGH").await;
    for who in ["q2", "q3"] {
        app.person(who, PersonKind::Staff, &[StaffRole::PanelMember])
            .await;
    }
    investigate(app, &mut p).await;
    let id = p.case.id.clone();
    data(
        app.gql(
            Some("ian"),
            REPORT_INV,
            json!({ "c": id, "v": p.case.version, "f": "BREACH" }),
        )
        .await,
    );

    // R-IRV-1 / R-IND-4: Ben asks for a review; an investigator already involved cannot review.
    let r = data(
        app.gql(Some("ben"), REQUEST_REVIEW, json!({ "c": id }))
            .await,
    );
    let request = r["requestInvestigationReview"]["myCase"]["reviewRequests"][0]["id"]
        .as_str()
        .expect("request")
        .to_string();
    let alice = app.ok("alice", PARTY_VIEW, json!({ "id": id })).await;
    assert_eq!(
        alice["myCase"]["reviewRequests"],
        json!([]),
        "the other side's requests are not shown"
    );
    let body = app
        .gql(
            Some("olivia"),
            DECIDE_REVIEW,
            json!({ "r": request, "who": person_id(app, "ian").await }),
        )
        .await;
    assert_eq!(code(&body).1.as_deref(), Some("R-IND-4"));
    let d = data(
        app.gql(
            Some("olivia"),
            DECIDE_REVIEW,
            json!({ "r": request, "who": person_id(app, "iris").await }),
        )
        .await,
    );
    assert_eq!(
        d["decideInvestigationReview"]["case"]["reviewRequests"][0]["status"],
        "ACCEPTED"
    );
    let c = data(
        app.gql(Some("iris"), COMPLETE_REVIEW, json!({ "r": request }))
            .await,
    );
    assert_eq!(
        c["completeInvestigationReview"]["case"]["reviewRequests"][0]["status"],
        "COMPLETED"
    );
    // R-IRV-2: both parties were told the review was under way, and its outcome.
    let letters = app
        .ok(
            "olivia",
            "query($id: UUID!) { case(id: $id) { letters { kind partyId text } } }",
            json!({ "id": id }),
        )
        .await;
    for (party, asked) in [(&p.case.respondent, true), (&p.case.reporter, false)] {
        let theirs: Vec<&Value> = letters["case"]["letters"]
            .as_array()
            .expect("letters")
            .iter()
            .filter(|l| l["partyId"] == party.as_str())
            .collect();
        let text_of = |kind: &str| {
            theirs
                .iter()
                .find(|l| l["kind"] == kind)
                .and_then(|l| l["text"].as_str())
                .unwrap_or_else(|| panic!("no {kind} letter to {party}: {theirs:#?}"))
                .to_string()
        };
        let accepted = text_of("REVIEW_ACCEPTED");
        assert_eq!(
            accepted.contains("Your request for a review"),
            asked,
            "{accepted}"
        );
        assert!(text_of("REVIEW_OUTCOME").contains("Findings stand"));
    }
    p
}

async fn reviews_deemed_acceptance_and_an_appeal_panel_that_dismisses_the_case(backend: Backend) {
    let app = TestApp::start(backend).await;
    let mut p = reviewed_and_both_told(&app).await;
    let id = p.case.id.clone();
    // R-IRV-1: Alice asks too and is refused; the letter gives her the reasons.
    let r = data(
        app.gql(Some("alice"), REQUEST_REVIEW, json!({ "c": id }))
            .await,
    );
    let asked = r["requestInvestigationReview"]["myCase"]["reviewRequests"][0]["id"].clone();
    data(app.gql(Some("olivia"), "mutation($r: UUID!) { decideInvestigationReview(requestId: $r, accept: false, reasons: \"No procedural ground is shown\") { case { version } } }", json!({ "r": asked })).await);
    let letters = app
        .ok(
            "olivia",
            "query($id: UUID!) { case(id: $id) { letters { kind partyId text } } }",
            json!({ "id": id }),
        )
        .await;
    let refused: Vec<&Value> = letters["case"]["letters"]
        .as_array()
        .expect("letters")
        .iter()
        .filter(|l| l["kind"] == "REVIEW_REFUSED")
        .collect();
    assert_eq!(
        refused.len(),
        1,
        "to the party who asked only: {refused:#?}"
    );
    assert_eq!(refused[0]["partyId"], p.case.reporter.as_str());
    assert!(
        refused[0]["text"]
            .as_str()
            .is_some_and(|t| t.contains("No procedural ground is shown"))
    );

    // R-OUT-1: each party says how they want to be told.
    no_errors(app.gql(Some("alice"), "mutation($c: UUID!, $p: UUID!) { setPreferredChannel(caseId: $c, partyId: $p, channel: VIA_CASE_WORKER) { version } }", json!({ "c": id, "p": p.case.reporter })).await);
    let staff = app
        .ok(
            "olivia",
            "query($id: UUID!) { case(id: $id) { parties { role preferredChannel } } }",
            json!({ "id": id }),
        )
        .await;
    assert!(staff.to_string().contains("VIA_CASE_WORKER"));
    let ben = app
        .ok(
            "ben",
            "query($id: UUID!) { myCase(id: $id) { otherParties { preferredChannel } } }",
            json!({ "id": id }),
        )
        .await;
    assert!(!ben.to_string().contains("VIA_CASE_WORKER"));

    // Referred to a panel; no response by the due date is deemed acceptance (R-HEA-2).
    assign_staff(&app, &id, "dee", "DECISION_MAKER").await;
    p.case.refresh(&app).await;
    data(app.gql(Some("dee"), DECIDE, json!({ "input": { "caseId": id, "expectedVersion": p.case.version, "option": "REFER_TO_PANEL", "reasons": "Serious" } })).await);
    let panel = [
        person_id(&app, "p1").await,
        person_id(&app, "p2").await,
        person_id(&app, "p3").await,
    ];
    no_errors(
        app.gql(Some("olivia"), PANEL, json!({ "c": id, "m": panel }))
            .await,
    );
    let s = data(app.gql(Some("olivia"), SUMMON, json!({ "input": { "caseId": id, "scheduledAt": app.in_days(21), "location": "Council Room",
        "allegedBreaches": "Sexual misconduct", "penaltyRange": "Reprimand to expulsion", "proposedPenalty": "Suspension for one term" } })).await);
    let hearing = s["summonToHearing"]["case"]["hearings"][0]["id"]
        .as_str()
        .expect("hearing")
        .to_string();
    app.days_pass(20); // the response date (two working days before the hearing) passes
    let body = app.gql(Some("ben"), RESPOND, json!({ "h": hearing })).await;
    assert_eq!(code(&body).1.as_deref(), Some("R-HEA-2"));
    p.case.refresh(&app).await;
    let votes = json!([{ "memberId": panel[0], "breach": false }, { "memberId": panel[1], "breach": false }, { "memberId": panel[2], "breach": false }]);
    let suspend = json!([{ "partyId": p.case.respondent, "kind": "SUSPENSION", "endsOn": (app.today() + Duration::days(90)).to_string(),
        "justification": "Allegations deemed accepted", "whyNotLesser": "Proposed in the summons" }]);
    let body = app.gql(Some("p1"), HEARING_DECISION, json!({ "input": { "hearingId": hearing, "expectedVersion": p.case.version, "votes": votes, "reasons": "Deemed acceptance" } })).await;
    assert_eq!(
        code(&body).0,
        "VALIDATION",
        "deemed acceptance finds a breach, so a sanction is needed"
    );
    let too_long = json!([{ "partyId": p.case.respondent, "kind": "SUSPENSION", "endsOn": (app.today() + Duration::days(400)).to_string(),
        "justification": "x", "whyNotLesser": "y" }]);
    let body = app.gql(Some("p1"), HEARING_DECISION, json!({ "input": { "hearingId": hearing, "expectedVersion": p.case.version, "votes": votes, "reasons": "Deemed acceptance", "sanctions": too_long } })).await;
    assert_eq!(
        code(&body).1.as_deref(),
        Some("R-SAN-1"),
        "a suspension ends within the policy's maximum (12 months)"
    );
    data(app.gql(Some("p1"), HEARING_DECISION, json!({ "input": { "hearingId": hearing, "expectedVersion": p.case.version, "votes": votes, "reasons": "Deemed acceptance", "sanctions": suspend } })).await);
    let staff = app.ok("olivia", STAFF_VIEW, json!({ "id": id })).await;
    assert_eq!(staff["case"]["stage"], "OUTCOME");

    // Appeal referred to a panel of three uninvolved members, who dismiss the case.
    let appeal = lodged(&app, &id, &["PROCEDURAL_IRREGULARITY", "NEW_EVIDENCE"]).await;
    assign_staff(&app, &id, "rex", "APPEAL_REVIEWER").await;
    p.case.refresh(&app).await;
    data(app.gql(Some("rex"), REVIEW_APPEAL, json!({ "input": { "appealId": appeal, "expectedVersion": p.case.version, "decision": "REFER_TO_PANEL", "reasons": "Arguable" } })).await);
    // R-APP-3: Ben is told his appeal goes to a panel, with the reviewer's
    // reasons and when to expect the decision.
    let ben = app
        .ok(
            "ben",
            "query($id: UUID!) { myCase(id: $id) { letters { kind rule text } } }",
            json!({ "id": id }),
        )
        .await;
    let referred: Vec<&Value> = ben["myCase"]["letters"]
        .as_array()
        .expect("letters")
        .iter()
        .filter(|l| l["kind"] == "APPEAL_REFERRED")
        .collect();
    assert_eq!(referred.len(), 1, "{ben}");
    assert_eq!(referred[0]["rule"], "R-APP-3");
    let due = app
        .config
        .policy
        .calendar()
        .add_working_days(app.today(), 10);
    let said = referred[0]["text"].as_str().expect("text");
    assert!(said.contains("Arguable"), "{said}");
    assert!(
        said.contains(&due.format("%A %-d %B %Y").to_string()),
        "the decision is due ten working days after the appeal was lodged: {said}"
    );
    let body = app.gql(Some("olivia"), PANEL, json!({ "c": id, "m": [panel[0], person_id(&app, "q2").await, person_id(&app, "q3").await], "appeal": true })).await;
    assert_eq!(
        code(&body).1.as_deref(),
        Some("R-IND-4"),
        "the hearing panel cannot hear the appeal"
    );
    let appeal_panel = [
        person_id(&app, "p4").await,
        person_id(&app, "q2").await,
        person_id(&app, "q3").await,
    ];
    no_errors(
        app.gql(
            Some("olivia"),
            PANEL,
            json!({ "c": id, "m": appeal_panel, "appeal": true }),
        )
        .await,
    );
    p.case.refresh(&app).await;
    let votes = json!([{ "memberId": appeal_panel[0], "outcome": "DISMISS_CASE" }, { "memberId": appeal_panel[1], "outcome": "DISMISS_CASE" }, { "memberId": appeal_panel[2], "outcome": "UPHOLD" }]);
    let body = app.gql(Some("p1"), DECIDE_APPEAL, json!({ "input": { "appealId": appeal, "expectedVersion": p.case.version, "votes": votes, "reasons": "New evidence" } })).await;
    assert_eq!(
        code(&body).0,
        "NOT_FOUND",
        "the replaced hearing panel no longer sees the case, nor its appeal"
    );
    let d = data(app.gql(Some("q2"), DECIDE_APPEAL, json!({ "input": { "appealId": appeal, "expectedVersion": p.case.version, "votes": votes, "reasons": "New evidence" } })).await);
    let c = &d["decideAppeal"]["case"];
    assert_eq!(c["stage"], "CLOSED");
    assert_eq!(c["appeals"][0]["status"], "CASE_DISMISSED");
    assert_eq!(c["outcome"]["removedFromRecord"], true);
    assert_eq!(
        c["sanctions"][0]["status"], "REMOVED",
        "the record is removed from the student's file"
    );
    app.stop().await;
}
db_test!(reviews_deemed_acceptance_and_an_appeal_panel_that_dismisses_the_case);

async fn an_expulsion_after_conviction_waits_for_the_approval_the_policy_names(backend: Backend) {
    let text = misconduct_api::policy::LEICESTER_DEFAULT
        .replace(
            "version = \"leicester-2025.11\"",
            "version = \"test-expulsion-approval\"",
        )
        .replace("expulsion = \"\"", "expulsion = \"Vice-Chancellor\"");
    misconduct_api::policy::Policy::parse(&text).expect("valid test policy");
    let dir = std::env::temp_dir().join(format!("policy-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).expect("dir");
    let file = dir.join("policy.toml");
    std::fs::write(&file, &text).expect("write");
    let app = TestApp::start_with(
        backend,
        &[("MISCONDUCT_POLICY_FILE", &file.display().to_string())],
    )
    .await;
    let mut p = triaged(&app, "HIGH").await;
    let id = p.case.id.clone();
    no_errors(app.gql(Some("olivia"), "mutation($c: UUID!, $v: Int!) { recordConviction(caseId: $c, details: \"Convicted\", expectedVersion: $v) { version } }", json!({ "c": id, "v": p.case.version })).await);
    assign_staff(&app, &id, "dee", "DECISION_MAKER").await;
    p.case.refresh(&app).await;
    // R-SAN-1: after a conviction the decision maker may expel (policy DECISION_MAKER_AFTER_CONVICTION).
    data(app.gql(Some("dee"), DECIDE, json!({ "input": { "caseId": id, "expectedVersion": p.case.version, "option": "SANCTION", "reasons": "Conviction",
        "sanctions": [{ "partyId": p.case.respondent, "kind": "EXPULSION", "justification": "Conviction for a serious offence", "whyNotLesser": "Risk to students" }] } })).await);
    let staff = app
        .ok(
            "olivia",
            "query($id: UUID!) { case(id: $id) { sanctions { id status approvalBy } } }",
            json!({ "id": id }),
        )
        .await;
    let sanction = staff["case"]["sanctions"][0].clone();
    assert_eq!(sanction["status"], "AWAITING_APPROVAL");
    assert_eq!(sanction["approvalBy"], "Vice-Chancellor");
    const APPROVE: &str = r#"mutation($s: UUID!) { approveSanction(sanctionId: $s, approvedBy: "Vice-Chancellor (Prof. A. Smith)") { case { sanctions { status approvalBy } } } }"#;
    let body = app
        .gql(Some("olivia"), APPROVE, json!({ "s": sanction["id"] }))
        .await;
    assert_eq!(
        code(&body).1.as_deref(),
        Some("R-SAN-1"),
        "approval follows the appeal process"
    );
    app.days_pass(30); // the appeal window passes
    p.case.refresh(&app).await;
    no_errors(app.gql(Some("olivia"), "mutation($c: UUID!, $v: Int!) { closeAfterAppealWindow(caseId: $c, expectedVersion: $v) { version } }", json!({ "c": id, "v": p.case.version })).await);
    let body = app
        .gql(Some("ben"), APPROVE, json!({ "s": sanction["id"] }))
        .await;
    assert_eq!(
        code(&body).0,
        "FORBIDDEN",
        "the student sees their sanction but cannot approve it"
    );
    let approved = data(
        app.gql(Some("olivia"), APPROVE, json!({ "s": sanction["id"] }))
            .await,
    );
    assert_eq!(
        approved["approveSanction"]["case"]["sanctions"][0]["status"],
        "IMPOSED"
    );
    assert_eq!(
        approved["approveSanction"]["case"]["sanctions"][0]["approvalBy"],
        "Vice-Chancellor (Prof. A. Smith)"
    );
    app.stop().await;
    let _ = std::fs::remove_dir_all(dir);
}
db_test!(an_expulsion_after_conviction_waits_for_the_approval_the_policy_names);

/// R-APP-2 as amended (issue 11): the grounds of appeal are the procedure's.
/// Under a policy with 004's grounds, Ben is shown those, an appeal on one of
/// 001's that 004 lacks is refused naming R-APP-2, and one of 004's goes in;
/// under Leicester's, 004's "findings of fact" is not a ground.
async fn the_appeal_grounds_are_the_procedures(backend: Backend) {
    let file = policy_file(
        "test-grounds",
        &[(
            r#"grounds = ["PROCEDURAL_IRREGULARITY", "EVIDENCE_NOT_CONSIDERED", "PREJUDICE_OR_BIAS",
           "UNREASONABLE_DECISION", "EXCESSIVE_SANCTION", "NEW_EVIDENCE"]"#,
            r#"grounds = ["FINDINGS_OF_FACT", "EXCESSIVE_SANCTION", "PROCEDURAL_IRREGULARITY", "NEW_EVIDENCE"]"#,
        )],
    );
    let app = TestApp::start_with(backend, &[("MISCONDUCT_POLICY_FILE", &file)]).await;
    let mut p = triaged(&app, "MEDIUM").await;
    super::time_rules::fined(&app, &mut p).await;
    let id = p.case.id.clone();
    let ben = app
        .ok(
            "ben",
            "query($id: UUID!) { myCase(id: $id) { outcome { appealGrounds } } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(
        ben["myCase"]["outcome"]["appealGrounds"],
        json!([
            "FINDINGS_OF_FACT",
            "EXCESSIVE_SANCTION",
            "PROCEDURAL_IRREGULARITY",
            "NEW_EVIDENCE"
        ])
    );
    let refused = app
        .gql(
            Some("ben"),
            LODGE,
            json!({ "c": id, "g": ["EVIDENCE_NOT_CONSIDERED"] }),
        )
        .await;
    assert_eq!(
        code(&refused),
        ("RULE_VIOLATION".into(), Some("R-APP-2".into())),
        "{refused}"
    );
    assert!(
        refused["errors"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("FINDINGS_OF_FACT")),
        "the refusal names the grounds: {refused}"
    );
    data(
        app.gql(
            Some("ben"),
            LODGE,
            json!({ "c": id, "g": ["FINDINGS_OF_FACT"] }),
        )
        .await,
    );
    app.stop().await;

    let app = TestApp::start(backend).await;
    let mut p = triaged(&app, "MEDIUM").await;
    super::time_rules::fined(&app, &mut p).await;
    let refused = app
        .gql(
            Some("ben"),
            LODGE,
            json!({ "c": p.case.id, "g": ["FINDINGS_OF_FACT"] }),
        )
        .await;
    assert_eq!(
        code(&refused),
        ("RULE_VIOLATION".into(), Some("R-APP-2".into())),
        "{refused}"
    );
    app.stop().await;
}
db_test!(the_appeal_grounds_are_the_procedures);

/// Derby's investigation review (002 §9, R-IRV-2) runs under its own file: the
/// request within 5 working days of the report, both parties told it is under
/// way and of its outcome.
async fn derbys_investigation_review_tells_both_parties(backend: Backend) {
    let derby = concat!(env!("CARGO_MANIFEST_DIR"), "/policy/derby.toml");
    let app = TestApp::start_with(backend, &[("MISCONDUCT_POLICY_FILE", derby)]).await;
    let p = reviewed_and_both_told(&app).await;
    let version = app
        .ok(
            "olivia",
            "query($id: UUID!) { case(id: $id) { policyVersion } }",
            json!({ "id": p.case.id }),
        )
        .await;
    assert_eq!(version["case"]["policyVersion"], "derby-2025.1");
    app.stop().await;
}
db_test!(derbys_investigation_review_tells_both_parties);
