//! Hearings: previous sanctions for whoever decides (R-SAN-2) and joint hearings (R-HEA-3).

use super::*;

async fn previous_sanctions_are_shown_to_whoever_decides(backend: Backend) {
    let app = TestApp::start(backend).await;
    let mut first = triaged(&app, "MEDIUM").await;
    let id = first.case.id.clone();
    no_errors(app.gql(Some("olivia"), "mutation($c: UUID!, $v: Int!) { recordConviction(caseId: $c, details: \"Caution accepted\", expectedVersion: $v) { version } }", json!({ "c": id, "v": first.case.version })).await);
    assign_staff(&app, &id, "dee", "DECISION_MAKER").await;
    first.case.refresh(&app).await;
    data(app.gql(Some("dee"), DECIDE, json!({ "input": { "caseId": id, "expectedVersion": first.case.version, "option": "SANCTION", "reasons": "Caution",
        "sanctions": [{ "partyId": first.case.respondent, "kind": "FORMAL_WRITTEN_WARNING", "justification": "First offence", "whyNotLesser": "A reprimand would not mark the seriousness" }] } })).await);
    // A second report about Ben, decided by someone else.
    app.person("dan", PersonKind::Staff, &[StaffRole::DecisionMaker])
        .await;
    let mut second = disclose(&app, "Another incident").await;
    no_errors(
        second
            .assign(&app, "cara", &second.reporter.clone(), "cara")
            .await,
    );
    no_errors(
        second
            .options(
                &app,
                "cara",
                &["REPORT_TO_UNIVERSITY"],
                &["REPORT_TO_UNIVERSITY"],
                "s",
            )
            .await,
    );
    let v = second.version_as(&app, "alice").await;
    no_errors(
        second
            .report(&app, "alice", "Second statement", true, v)
            .await,
    );
    second.refresh(&app).await;
    data(
        app.gql(
            Some("olivia"),
            TRIAGE,
            json!({ "c": second.id, "v": second.version, "level": "MEDIUM" }),
        )
        .await,
    );
    assign_staff(&app, &second.id, "dan", "DECISION_MAKER").await;
    let shown = app.ok("dan", STAFF_VIEW, json!({ "id": second.id })).await;
    assert_eq!(
        shown["case"]["previousSanctions"][0]["kind"],
        "FORMAL_WRITTEN_WARNING"
    );
    let alice = app
        .gql(Some("alice"), STAFF_VIEW, json!({ "id": second.id }))
        .await;
    assert_eq!(code(&alice).0, "NOT_FOUND");
    app.stop().await;
}
db_test!(previous_sanctions_are_shown_to_whoever_decides);

async fn a_joint_hearing_decides_each_case_with_each_students_own_response(backend: Backend) {
    let app = TestApp::start(backend).await;
    // Monday 6 September 2027, 08:00 UTC: the sitting an hour later is the same day.
    on_monday_6_september_2027(&app);
    let mut first = triaged(&app, "HIGH").await;
    let id1 = first.case.id.clone();
    // A related case: Walter reports Wendy about the same evening.
    let d = app.ok("walter", RECORD, json!({ "input": { "categories": ["HARASSMENT"], "description": "Same evening", "respondents": [{ "sisNumber": "SIS-wendy" }] } })).await;
    let mut second = Case {
        id: d["recordDisclosure"]["caseId"].as_str().expect("id").into(),
        version: 1,
        reporter: d["recordDisclosure"]["myCase"]["me"]["id"]
            .as_str()
            .expect("me")
            .into(),
        respondent: d["recordDisclosure"]["myCase"]["otherParties"][0]["id"]
            .as_str()
            .expect("respondent")
            .into(),
    };
    no_errors(
        second
            .assign(&app, "cara", &second.reporter.clone(), "cara")
            .await,
    );
    no_errors(app.gql(Some("cara"), OPTIONS, json!({ "input": { "caseId": second.id, "partyId": second.reporter, "optionsOffered": ["REPORT_TO_UNIVERSITY"], "optionsChosen": ["REPORT_TO_UNIVERSITY"], "summary": "s" } })).await);
    let v = second.version_as(&app, "walter").await;
    no_errors(app.gql(Some("walter"), REPORT, json!({ "input": { "caseId": second.id, "expectedVersion": v, "statement": "Wendy too", "respondentMayBeInformed": true } })).await);
    second.refresh(&app).await;
    no_errors(
        app.gql(
            Some("olivia"),
            INFORM,
            json!({ "c": second.id, "p": second.respondent, "v": second.version }),
        )
        .await,
    );
    // Each case its own decision maker: one who decided the first has dealt
    // with its students (R-IND-5).
    app.person("dan", PersonKind::Staff, &[StaffRole::DecisionMaker])
        .await;
    for (case, dm) in [(&mut first.case, "dee"), (&mut second, "dan")] {
        case.refresh(&app).await;
        if case.id != id1 {
            data(
                app.gql(
                    Some("olivia"),
                    TRIAGE,
                    json!({ "c": case.id, "v": case.version, "level": "HIGH" }),
                )
                .await,
            );
            case.refresh(&app).await;
        }
        no_errors(app.gql(Some("olivia"), "mutation($c: UUID!, $v: Int!) { recordConviction(caseId: $c, details: \"Caution\", expectedVersion: $v) { version } }", json!({ "c": case.id, "v": case.version })).await);
        assign_staff(&app, &case.id, dm, "DECISION_MAKER").await;
        case.refresh(&app).await;
        data(app.gql(Some(dm), DECIDE, json!({ "input": { "caseId": case.id, "expectedVersion": case.version, "option": "REFER_TO_PANEL", "reasons": "Related incidents" } })).await);
    }
    let panel = [
        person_id(&app, "p1").await,
        person_id(&app, "p2").await,
        person_id(&app, "p3").await,
    ];
    no_errors(
        app.gql(Some("olivia"), PANEL, json!({ "c": id1, "m": panel }))
            .await,
    );
    let s = data(app.gql(Some("olivia"), SUMMON, json!({ "input": { "caseId": id1, "scheduledAt": app.in_days(21), "location": "Council Room",
        "allegedBreaches": "Harassment", "penaltyRange": "Reprimand to suspension", "proposedPenalty": "Formal written warning", "jointCaseIds": [second.id] } })).await);
    let hearing = s["summonToHearing"]["case"]["hearings"][0]["id"]
        .as_str()
        .expect("hearing")
        .to_string();
    // The sitting moves an hour later and to another room: both cases' hearings
    // move (one sitting), and Wendy too is told.
    let later = (app.clock.now().at() + Duration::days(21) + Duration::hours(1)).to_rfc3339();
    no_errors(app.gql(Some("olivia"), "mutation($h: UUID!, $at: DateTime!) { rearrangeHearing(hearingId: $h, scheduledAt: $at, location: \"Senate Room\", reason: \"Room double-booked\") { version } }", json!({ "h": hearing, "at": later })).await);
    for case_id in [&id1, &second.id] {
        let h = app
            .ok(
                "olivia",
                "query($id: UUID!) { case(id: $id) { hearings { scheduledAt location } } }",
                json!({ "id": case_id }),
            )
            .await;
        let moved = &h["case"]["hearings"][0];
        assert_eq!(moved["location"], "Senate Room", "{h}");
        let at: chrono::DateTime<Utc> = moved["scheduledAt"]
            .as_str()
            .expect("at")
            .parse()
            .expect("time");
        let expected: chrono::DateTime<Utc> = later.parse().expect("time");
        assert!((at - expected).num_seconds() == 0, "{h}");
    }
    let rearranged = app
        .ok(
            "olivia",
            "query($id: UUID!) { case(id: $id) { letters { kind } } }",
            json!({ "id": second.id }),
        )
        .await;
    assert!(
        rearranged.to_string().contains("HEARING_REARRANGED"),
        "{rearranged}"
    );
    // Wendy answers her own summons; Ben does not answer his by the due date.
    let wendy = app
        .ok("wendy", PARTY_VIEW, json!({ "id": second.id }))
        .await;
    let wendy_hearing = wendy["myCase"]["hearings"][0].clone();
    assert!(
        wendy_hearing["responseDue"].is_string(),
        "each student receives a summons"
    );
    let wendy_hearing_id = app
        .ok("olivia", STAFF_VIEW, json!({ "id": second.id }))
        .await["case"]["hearings"][0]["id"]
        .as_str()
        .expect("id")
        .to_string();
    no_errors(
        app.gql(Some("wendy"), RESPOND, json!({ "h": wendy_hearing_id }))
            .await,
    );
    app.days_pass(20); // Ben's response date passes
    first.case.refresh(&app).await;
    let votes = json!([{ "memberId": panel[0], "breach": false }, { "memberId": panel[1], "breach": false }, { "memberId": panel[2], "breach": true }]);
    let warning = json!([{ "partyId": first.case.respondent, "kind": "FORMAL_WRITTEN_WARNING", "justification": "Deemed acceptance", "whyNotLesser": "Proposed in the summons" }]);
    data(app.gql(Some("p1"), HEARING_DECISION, json!({ "input": { "hearingId": hearing, "expectedVersion": first.case.version, "votes": votes, "reasons": "Majority: not proven", "sanctions": warning } })).await);
    let ben_case = app.ok("olivia", STAFF_VIEW, json!({ "id": id1 })).await;
    assert_eq!(
        ben_case["case"]["stage"], "OUTCOME",
        "Ben did not answer: deemed acceptance"
    );
    let wendy_case = app
        .ok("olivia", STAFF_VIEW, json!({ "id": second.id }))
        .await;
    assert_eq!(
        wendy_case["case"]["stage"], "OUTCOME",
        "Wendy answered; the majority found no breach"
    );
    let wendy = app
        .ok("wendy", PARTY_VIEW, json!({ "id": second.id }))
        .await;
    assert_eq!(
        wendy["myCase"]["outcome"]["reasons"],
        "Majority: not proven"
    );
    assert_eq!(
        wendy["myCase"]["outcome"]["appealWindowEnds"],
        Value::Null,
        "nothing to appeal"
    );
    let body = app
        .gql(
            Some("wendy"),
            LODGE,
            json!({ "c": second.id, "g": ["UNREASONABLE_DECISION"] }),
        )
        .await;
    assert_eq!(
        code(&body).1.as_deref(),
        Some("R-APP-1"),
        "no breach found, no appeal"
    );
    app.stop().await;
}
db_test!(a_joint_hearing_decides_each_case_with_each_students_own_response);

/// R-IND-3/4/5 (issue 10 item 4): independence counts every involvement, and
/// the refusal names it — the conduct officer who triaged the case cannot sit
/// on its panel; a decision maker who dealt with its students in another case
/// cannot decide it.
async fn independence_names_the_involvement_it_finds(backend: Backend) {
    let app = TestApp::start(backend).await;
    let mut first = triaged(&app, "HIGH").await;
    let id = first.case.id.clone();
    let olivia = person_id(&app, "olivia").await;
    misconduct_api::domain::people::insert_grant(
        &app.db,
        olivia.parse().expect("uuid"),
        StaffRole::PanelMember,
        None,
    )
    .await
    .expect("grant");
    assign_staff(&app, &id, "dee", "DECISION_MAKER").await;
    first.case.refresh(&app).await;
    no_errors(app.gql(Some("olivia"), "mutation($c: UUID!, $v: Int!) { recordConviction(caseId: $c, details: \"Caution\", expectedVersion: $v) { version } }", json!({ "c": id, "v": first.case.version })).await);
    first.case.refresh(&app).await;
    data(app.gql(Some("dee"), DECIDE, json!({ "input": { "caseId": id, "expectedVersion": first.case.version, "option": "REFER_TO_PANEL", "reasons": "Caution" } })).await);
    let panel = json!([
        olivia,
        person_id(&app, "p1").await,
        person_id(&app, "p2").await
    ]);
    let body = app
        .gql(Some("olivia"), PANEL, json!({ "c": id, "m": panel }))
        .await;
    assert_eq!(code(&body).1.as_deref(), Some("R-IND-3"), "{body}");
    let message = body["errors"][0]["message"].as_str().expect("message");
    assert!(message.contains("triaged the case"), "{message}");

    // A second case between the same students: Dee decided the first.
    let mut second = triaged_case(&app, "HIGH").await;
    second.case.refresh(&app).await;
    let body = app
        .gql(
            Some("olivia"),
            ASSIGN_STAFF,
            json!({ "c": second.case.id, "p": person_id(&app, "dee").await, "r": "DECISION_MAKER" }),
        )
        .await;
    assert_eq!(code(&body).1.as_deref(), Some("R-IND-3"), "{body}");
    let message = body["errors"][0]["message"].as_str().expect("message");
    assert!(
        message.contains("dealt with a student of this case in another case"),
        "{message}"
    );
    app.stop().await;
}
db_test!(independence_names_the_involvement_it_finds);

/// R-HEA-5 (issue 11): under a procedure with a single hearing officer
/// (`hearings.panel_size = 1`, 003's University Disciplinary Officer), one
/// member is convened, summons the student and decides alone; three are
/// refused. Under Leicester's, one is refused.
async fn a_single_hearing_officer_hears_a_case_where_the_policy_says_so(backend: Backend) {
    let file = policy_file("test-sole-officer", &[("panel_size = 3", "panel_size = 1")]);
    let app = TestApp::start_with(backend, &[("MISCONDUCT_POLICY_FILE", &file)]).await;
    let id = super::time_rules::referred_to_a_hearing(&app).await;
    let p1 = person_id(&app, "p1").await;
    let three = app
        .gql(
            Some("olivia"),
            PANEL,
            json!({ "c": id, "m": [p1, person_id(&app, "p2").await, person_id(&app, "p3").await] }),
        )
        .await;
    assert_eq!(
        code(&three),
        ("RULE_VIOLATION".into(), Some("R-HEA-3".into())),
        "{three}"
    );
    data(
        app.gql(Some("olivia"), PANEL, json!({ "c": id, "m": [p1] }))
            .await,
    );
    let calendar = app.config.policy.calendar();
    let day = calendar.add_working_days(app.today(), 12);
    let summoned = data(app.gql(Some("olivia"), SUMMON, json!({ "input": { "caseId": id, "scheduledAt": format!("{day}T10:00:00Z"),
        "location": "Disciplinary Officer's room", "allegedBreaches": "Harassment", "penaltyRange": "Up to a fine", "proposedPenalty": "Formal written warning" } })).await);
    let hearing = summoned["summonToHearing"]["case"]["hearings"][0]["id"].clone();
    app.days_pass(20);
    let v = app
        .ok(
            "olivia",
            "query($id: UUID!) { case(id: $id) { version } }",
            json!({ "id": id }),
        )
        .await["case"]["version"]
        .clone();
    let respondent = responding_party_id(&app, &id).await;
    let warning = json!([{ "partyId": respondent, "kind": "FORMAL_WRITTEN_WARNING", "justification": "Found in breach", "whyNotLesser": "Proposed in the summons" }]);
    let decided = data(app.gql(Some("p1"), HEARING_DECISION, json!({ "input": { "hearingId": hearing, "expectedVersion": v,
        "votes": [{ "memberId": p1, "breach": true }], "reasons": "The officer finds the breach", "sanctions": warning } })).await);
    assert_eq!(decided["recordHearingDecision"]["case"]["stage"], "OUTCOME");
    app.stop().await;

    // Leicester: a panel of three.
    let app = TestApp::start(backend).await;
    let id = super::time_rules::referred_to_a_hearing(&app).await;
    let one = app
        .gql(
            Some("olivia"),
            PANEL,
            json!({ "c": id, "m": [person_id(&app, "p1").await] }),
        )
        .await;
    assert_eq!(
        code(&one),
        ("RULE_VIOLATION".into(), Some("R-HEA-3".into())),
        "{one}"
    );
    app.stop().await;
}
db_test!(a_single_hearing_officer_hears_a_case_where_the_policy_says_so);

/// R-HEA-5 and 001's table (issue 11): at triage the case officer decides a
/// LOW or MEDIUM case with the penalties the policy lets a CASE_OFFICER
/// impose — a reprimand, not a fine — and the student may appeal; a HIGH case
/// is not theirs to decide.
async fn the_case_officer_decides_a_minor_case_with_their_own_penalties(backend: Backend) {
    let app = TestApp::start(backend).await;
    let p = triaged(&app, "MEDIUM").await;
    let id = p.case.id.clone();
    let sanction = |kind: &str| {
        json!({ "input": { "caseId": id, "expectedVersion": p.case.version, "option": "SANCTION", "reasons": "Admitted at the triage meeting",
            "sanctions": [{ "partyId": p.case.respondent, "kind": kind, "amountPence": if kind == "FINE" { json!(10_000) } else { json!(null) },
                "justification": "First offence, admitted", "whyNotLesser": "Advice alone would not mark it" }] } })
    };
    let fine = app.gql(Some("olivia"), DECIDE, sanction("FINE")).await;
    assert_eq!(
        code(&fine),
        ("RULE_VIOLATION".into(), Some("R-SAN-1".into())),
        "a fine is beyond the case officer: {fine}"
    );
    let decided = data(app.gql(Some("olivia"), DECIDE, sanction("REPRIMAND")).await);
    assert_eq!(decided["recordDecision"]["case"]["stage"], "OUTCOME");
    let ben = app
        .ok(
            "ben",
            "query($id: UUID!) { myCase(id: $id) { sanctions { kind imposedAs } outcome { breachFound appealWindowEnds } } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(
        ben["myCase"]["sanctions"],
        json!([{ "kind": "REPRIMAND", "imposedAs": "CASE_OFFICER" }]),
        "{ben}"
    );
    assert!(
        ben["myCase"]["outcome"]["appealWindowEnds"].is_string(),
        "{ben}"
    );
    app.stop().await;

    let app = TestApp::start(backend).await;
    let p = triaged(&app, "HIGH").await;
    let body = app
        .gql(Some("olivia"), DECIDE, json!({ "input": { "caseId": p.case.id, "expectedVersion": p.case.version, "option": "SANCTION", "reasons": "r",
            "sanctions": [{ "partyId": p.case.respondent, "kind": "REPRIMAND", "justification": "j", "whyNotLesser": "w" }] } }))
        .await;
    assert_eq!(
        code(&body),
        ("RULE_VIOLATION".into(), Some("R-HEA-5".into())),
        "{body}"
    );
    app.stop().await;
}
db_test!(the_case_officer_decides_a_minor_case_with_their_own_penalties);
