//! Two students reported for the same incident (000 §35; issue 10 item 2):
//! each has their own finding, appeal window and appeal; one appeals while the
//! other's outcome concludes on its own, and the reporting party learns each
//! respondent's outcome once that respondent's appeal process is over (R-OUT-2).

use super::*;

const CLOSE_WINDOW: &str = "mutation($c: UUID!, $v: Int!) { closeAfterAppealWindow(caseId: $c, expectedVersion: $v) { version case { stage } } }";
const OUTCOMES: &str = "query($id: UUID!) { myCase(id: $id) { respondentOutcomes { partyId breachFound standing appealWindowEnds concludedAt } sanctions { partyId kind status } otherParties { id role progress } } }";
const STAFF_OUTCOMES: &str = "query($id: UUID!) { case(id: $id) { stage respondentOutcomes { partyId standing removedFromRecord } sanctions { partyId kind status } letters { kind partyId text } } }";

/// What `who` sees of the respondents' outcomes: party id → standing, and the
/// parties whose sanctions they see.
async fn seen_by(app: &TestApp, who: &str, id: &str) -> (Vec<(String, String)>, Vec<String>) {
    let body = app.ok(who, OUTCOMES, json!({ "id": id })).await;
    let outcomes = body["myCase"]["respondentOutcomes"]
        .as_array()
        .expect("outcomes")
        .iter()
        .map(|o| {
            (
                o["partyId"].as_str().expect("party").to_string(),
                o["standing"].as_str().expect("standing").to_string(),
            )
        })
        .collect();
    let sanctioned = body["myCase"]["sanctions"]
        .as_array()
        .expect("sanctions")
        .iter()
        .map(|s| s["partyId"].as_str().expect("party").to_string())
        .collect();
    (outcomes, sanctioned)
}

/// The coarse stage the reporting party is shown for one responding party.
async fn progress_of(app: &TestApp, id: &str, party: &str) -> String {
    let body = app.ok("alice", OUTCOMES, json!({ "id": id })).await;
    body["myCase"]["otherParties"]
        .as_array()
        .expect("parties")
        .iter()
        .find(|p| p["id"] == party)
        .and_then(|p| p["progress"].as_str())
        .expect("the responding party's progress")
        .to_string()
}

/// A case with Ben and Rob as responding parties, both convicted, waiting for
/// Dee's decision: the case, Ben's party id and Rob's.
async fn two_respondents_convicted(app: &TestApp) -> (Procedure, String, String) {
    on_monday_6_september_2027(app);
    let mut p = triaged(app, "HIGH").await;
    app.person("rob", PersonKind::Student, &[]).await;
    let id = p.case.id.clone();
    let ben = p.case.respondent.clone();

    // Rob is named as a second responding party and told of the report.
    p.case.refresh(app).await;
    let added = data(app.gql(Some("olivia"), "mutation($input: AddPartyInput!) { addParty(input: $input) { version case { parties { id role } } } }",
        json!({ "input": { "caseId": id, "expectedVersion": p.case.version, "role": "RESPONDING", "sisNumber": "SIS-rob" } })).await);
    let rob = added["addParty"]["case"]["parties"]
        .as_array()
        .expect("parties")
        .iter()
        .find(|q| q["role"] == "RESPONDING" && q["id"] != ben.as_str())
        .expect("rob's party")["id"]
        .as_str()
        .expect("id")
        .to_string();
    let v = added["addParty"]["version"].as_i64().expect("version");
    no_errors(
        app.gql(Some("olivia"), INFORM, json!({ "c": id, "p": rob, "v": v }))
            .await,
    );
    p.case.refresh(app).await;
    no_errors(app.gql(Some("olivia"), "mutation($c: UUID!, $v: Int!) { recordConviction(caseId: $c, details: \"Both convicted\", expectedVersion: $v) { version } }", json!({ "c": id, "v": p.case.version })).await);
    assign_staff(app, &id, "dee", "DECISION_MAKER").await;
    p.case.refresh(app).await;
    (p, ben, rob)
}

fn fine(party: &str, pence: i64) -> Value {
    json!({ "partyId": party, "kind": "FINE", "amountPence": pence, "justification": "Proportionate", "whyNotLesser": "A warning would not reflect the harm" })
}

/// The letters to `party` of `kind`, as the conduct team sees them.
async fn letters_to(app: &TestApp, id: &str, party: &str, kind: &str) -> Vec<String> {
    let staff = app.ok("olivia", STAFF_OUTCOMES, json!({ "id": id })).await;
    staff["case"]["letters"]
        .as_array()
        .expect("letters")
        .iter()
        .filter(|l| l["kind"] == kind && l["partyId"] == party)
        .filter_map(|l| l["text"].as_str().map(String::from))
        .collect()
}

async fn one_appeals_and_the_others_outcome_concludes_on_its_own(backend: Backend) {
    let app = TestApp::start(backend).await;
    let (mut p, ben, rob) = two_respondents_convicted(&app).await;
    let id = p.case.id.clone();
    data(app.gql(Some("dee"), DECIDE, json!({ "input": { "caseId": id, "expectedVersion": p.case.version, "option": "SANCTION", "reasons": "Breach found",
        "sanctions": [fine(&ben, 10_000), fine(&rob, 5_000)] } })).await);

    // Each respondent sees their own outcome and sanction, never the other's;
    // the reporting party sees neither yet (R-OUT-2).
    for (who, own) in [("ben", &ben), ("rob", &rob)] {
        let (outcomes, sanctioned) = seen_by(&app, who, &id).await;
        assert_eq!(
            outcomes,
            vec![(own.clone(), "APPEALABLE".to_string())],
            "{who}"
        );
        assert_eq!(
            sanctioned,
            vec![own.clone()],
            "{who} sees only their own sanction"
        );
    }
    assert_eq!(seen_by(&app, "alice", &id).await, (vec![], vec![]));

    // Ben appeals; the case is at APPEAL, and Rob can still appeal in his window.
    let lodge = json!({ "c": id, "g": ["EXCESSIVE_SANCTION"] });
    let body = data(app.gql(Some("ben"), LODGE, lodge.clone()).await);
    let appeal = body["lodgeAppeal"]["myCase"]["appeals"][0]["id"]
        .as_str()
        .expect("appeal")
        .to_string();
    let again = app.gql(Some("ben"), LODGE, lodge.clone()).await;
    assert_eq!(
        code(&again).1.as_deref(),
        Some("R-APP-1"),
        "an outcome is appealed once: {again}"
    );
    let staff = app.ok("olivia", STAFF_OUTCOMES, json!({ "id": id })).await;
    assert_eq!(staff["case"]["stage"], "APPEAL");
    let rob_view = app.ok("rob", OUTCOMES, json!({ "id": id })).await;
    let window: chrono::NaiveDate = rob_view["myCase"]["respondentOutcomes"][0]["appealWindowEnds"]
        .as_str()
        .expect("rob's window")
        .parse()
        .expect("date");
    p.case.refresh(&app).await;
    let early = app
        .gql(
            Some("olivia"),
            CLOSE_WINDOW,
            json!({ "c": id, "v": p.case.version }),
        )
        .await;
    assert_eq!(
        code(&early).1.as_deref(),
        Some("R-APP-1"),
        "Rob's window is open: {early}"
    );

    // Rob's window passes unused: his outcome concludes while Ben's appeal goes on.
    while app.today() <= window {
        app.days_pass(1);
    }
    let late = app.gql(Some("rob"), LODGE, lodge.clone()).await;
    assert_eq!(code(&late).1.as_deref(), Some("R-APP-1"), "{late}");
    let closed = data(
        app.gql(
            Some("olivia"),
            CLOSE_WINDOW,
            json!({ "c": id, "v": p.case.version }),
        )
        .await,
    );
    assert_eq!(
        closed["closeAfterAppealWindow"]["case"]["stage"], "APPEAL",
        "Ben's appeal keeps the case open"
    );
    let (outcomes, sanctioned) = seen_by(&app, "alice", &id).await;
    assert_eq!(
        outcomes,
        vec![(rob.clone(), "CONCLUDED".to_string())],
        "Alice learns Rob's outcome, not Ben's"
    );
    assert_eq!(sanctioned, vec![rob.clone()]);
    assert_eq!(progress_of(&app, &id, &rob).await, "Concluded");
    assert_ne!(progress_of(&app, &id, &ben).await, "Concluded");
    let staff = app.ok("olivia", STAFF_OUTCOMES, json!({ "id": id })).await;
    let to_alice: Vec<&str> = staff["case"]["letters"]
        .as_array()
        .expect("letters")
        .iter()
        .filter(|l| {
            l["kind"] == "REPORTING_PARTY_OUTCOME" && l["partyId"] == p.case.reporter.as_str()
        })
        .filter_map(|l| l["text"].as_str())
        .collect();
    assert_eq!(to_alice.len(), 1, "one letter, about Rob: {to_alice:?}");
    assert!(
        to_alice[0].contains("Fine of £50.00") && !to_alice[0].contains("£100.00"),
        "Rob's fine, not Ben's: {}",
        to_alice[0]
    );
    p.case.refresh(&app).await;
    let nothing_left = app
        .gql(
            Some("olivia"),
            CLOSE_WINDOW,
            json!({ "c": id, "v": p.case.version }),
        )
        .await;
    assert_eq!(code(&nothing_left).1.as_deref(), Some("R-APP-1"));

    // The reviewer corrects Ben's sanction; Rob's stands untouched.
    assign_staff(&app, &id, "rex", "APPEAL_REVIEWER").await;
    p.case.refresh(&app).await;
    let correct = |sanction: Value| {
        json!({ "input": { "appealId": appeal, "expectedVersion": p.case.version, "decision": "CORRECT", "reasons": "Excessive",
        "correctedSanctions": [sanction] } })
    };
    let wrong = app
        .gql(Some("rex"), REVIEW_APPEAL, correct(fine(&rob, 1_000)))
        .await;
    assert_eq!(
        code(&wrong).0,
        "VALIDATION",
        "an appeal replaces only the appellant's sanctions: {wrong}"
    );
    let reviewed = data(
        app.gql(Some("rex"), REVIEW_APPEAL, correct(fine(&ben, 7_500)))
            .await,
    );
    assert_eq!(reviewed["reviewAppeal"]["case"]["stage"], "CLOSED");
    let staff = app.ok("olivia", STAFF_OUTCOMES, json!({ "id": id })).await;
    let standing: Vec<(String, String)> = staff["case"]["sanctions"]
        .as_array()
        .expect("sanctions")
        .iter()
        .map(|s| {
            (
                format!("{} {}", s["partyId"].as_str().unwrap_or(""), s["kind"]),
                s["status"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    assert!(
        standing.contains(&(format!("{rob} \"FINE\""), "IMPOSED".to_string())),
        "Rob's fine stands: {standing:?}"
    );
    assert!(
        standing.contains(&(format!("{ben} \"FINE\""), "SUBSTITUTED".to_string())),
        "{standing:?}"
    );
    let (outcomes, sanctioned) = seen_by(&app, "alice", &id).await;
    assert_eq!(outcomes.len(), 2, "both concluded: {outcomes:?}");
    assert!(outcomes.iter().all(|(_, s)| s == "CONCLUDED"));
    assert!(sanctioned.contains(&ben) && sanctioned.contains(&rob));
    app.stop().await;
}
db_test!(one_appeals_and_the_others_outcome_concludes_on_its_own);

/// The decision maker finds Ben in breach and Rob not (000 §35): Rob's process
/// concludes at once — nothing to appeal, and Alice may know his outcome now —
/// while Ben's window runs. A decision that leaves a respondent without either
/// a sanction or a finding of no breach is refused.
async fn a_decision_finds_one_respondent_in_breach_and_the_other_not(backend: Backend) {
    let app = TestApp::start(backend).await;
    let (p, ben, rob) = two_respondents_convicted(&app).await;
    let id = p.case.id.clone();
    let decide = |sanctions: Value, cleared: Value| {
        json!({ "input": { "caseId": id, "expectedVersion": p.case.version, "option": "SANCTION", "reasons": "MK-REASONS",
        "sanctions": sanctions, "notInBreach": cleared } })
    };
    for (sanctions, cleared, why) in [
        (json!([fine(&ben, 10_000)]), json!([]), "Rob has neither"),
        (
            json!([fine(&ben, 10_000), fine(&rob, 5_000)]),
            json!([rob]),
            "Rob both",
        ),
        (
            json!([fine(&ben, 10_000)]),
            json!([p.case.reporter]),
            "not a respondent",
        ),
    ] {
        let body = app
            .gql(Some("dee"), DECIDE, decide(sanctions, cleared))
            .await;
        assert_eq!(code(&body).0, "VALIDATION", "{why}: {body}");
    }
    let body = data(
        app.gql(
            Some("dee"),
            DECIDE,
            decide(json!([fine(&ben, 10_000)]), json!([rob])),
        )
        .await,
    );
    assert_eq!(body["recordDecision"]["case"]["stage"], "OUTCOME");

    let (outcomes, sanctioned) = seen_by(&app, "alice", &id).await;
    assert_eq!(
        outcomes,
        vec![(rob.clone(), "CONCLUDED".to_string())],
        "Rob's outcome is over at once; Ben's is not yet hers to know"
    );
    assert!(sanctioned.is_empty());
    let rob_view = app.ok("rob", OUTCOMES, json!({ "id": id })).await;
    let mine = &rob_view["myCase"]["respondentOutcomes"][0];
    assert_eq!(mine["breachFound"], false);
    assert!(mine["appealWindowEnds"].is_null(), "{mine}");
    let appeal = app
        .gql(
            Some("rob"),
            LODGE,
            json!({ "c": id, "g": ["EXCESSIVE_SANCTION"] }),
        )
        .await;
    assert_eq!(code(&appeal).1.as_deref(), Some("R-APP-1"), "{appeal}");
    let to_rob = letters_to(&app, &id, &rob, "OUTCOME").await;
    assert_eq!(to_rob.len(), 1);
    assert!(
        to_rob[0].contains("you have not been found in breach")
            && !to_rob[0].contains("You may appeal"),
        "Rob's letter tells him his own finding: {}",
        to_rob[0]
    );
    let to_ben = letters_to(&app, &id, &ben, "OUTCOME").await;
    assert!(
        to_ben.len() == 1 && to_ben[0].contains("£100.00"),
        "{to_ben:?}"
    );
    let to_alice = letters_to(&app, &id, &p.case.reporter, "REPORTING_PARTY_OUTCOME").await;
    assert_eq!(to_alice.len(), 1, "{to_alice:?}");
    assert!(
        to_alice[0].contains("was not found in breach") && !to_alice[0].contains("MK-REASONS"),
        "{}",
        to_alice[0]
    );

    // Ben may still appeal in his own window.
    data(
        app.gql(
            Some("ben"),
            LODGE,
            json!({ "c": id, "g": ["EXCESSIVE_SANCTION"] }),
        )
        .await,
    );
    app.stop().await;
}
db_test!(a_decision_finds_one_respondent_in_breach_and_the_other_not);
