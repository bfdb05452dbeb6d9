//! Referral to a higher body (R-HEA-5; 003 §4.4.3, §8.1.2): under UEA's
//! procedure the University Disciplinary Officer, hearing a case alone, refers
//! it to the Senate Student Discipline Committee instead of deciding; the
//! committee of three, none of them involved before, summons the student
//! afresh and imposes what only it may (a revocation of award).

use super::changes_of_plan::letters_to;
use super::*;

const REFER: &str = r#"mutation($h: UUID!, $v: Int!, $r: String!) { referHearing(hearingId: $h, reasons: $r, expectedVersion: $v) { version } }"#;
const REFERRED: &str = "query($id: UUID!) { case(id: $id) { stage hearings { id decision decisionReasons } timeline { kind reason } } }";
const VERSION: &str = "query($id: UUID!) { case(id: $id) { version } }";

async fn version(app: &TestApp, id: &str) -> Value {
    app.ok("olivia", VERSION, json!({ "id": id })).await["case"]["version"].clone()
}

/// Summons the student to a hearing twelve working days from today; its id.
async fn summon(app: &TestApp, id: &str, place: &str) -> Value {
    let day = app
        .config
        .policy
        .calendar()
        .add_working_days(app.today(), 12);
    let summoned = data(app.gql(Some("olivia"), SUMMON, json!({ "input": { "caseId": id, "scheduledAt": format!("{day}T10:00:00Z"),
        "location": place, "allegedBreaches": "Serious misconduct", "penaltyRange": "Up to expulsion", "proposedPenalty": "Suspension" } })).await);
    let hearings = summoned["summonToHearing"]["case"]["hearings"]
        .as_array()
        .expect("hearings")
        .clone();
    hearings.last().expect("the new hearing")["id"].clone()
}

fn revocation(party: &str) -> Value {
    json!([{ "partyId": party, "kind": "REVOCATION_OF_AWARD", "justification": "The award was obtained while in serious breach",
        "whyNotLesser": "Expulsion cannot apply: the student has graduated" }])
}

async fn the_disciplinary_officer_refers_a_case_to_the_committee(backend: Backend) {
    let uea = concat!(env!("CARGO_MANIFEST_DIR"), "/policy/uea.toml");
    let app = TestApp::start_with(backend, &[("MISCONDUCT_POLICY_FILE", uea)]).await;
    for member in ["s1", "s2", "s3"] {
        app.person(member, PersonKind::Staff, &[StaffRole::PanelMember])
            .await;
    }
    let id = super::time_rules::referred_to_a_hearing(&app).await;
    let udo = person_id(&app, "p1").await;
    data(
        app.gql(Some("olivia"), PANEL, json!({ "c": id, "m": [udo] }))
            .await,
    );
    let first = summon(&app, &id, "Disciplinary Officer's room").await;
    let respondent = responding_party_id(&app, &id).await;
    app.days_pass(20);

    // The hearing officer alone cannot revoke an award: that is the committee's.
    let body = app.gql(Some("p1"), HEARING_DECISION, json!({ "input": { "hearingId": first, "expectedVersion": version(&app, &id).await,
        "votes": [{ "memberId": udo, "breach": true }], "reasons": "Breach", "sanctions": revocation(&respondent) } })).await;
    assert_eq!(code(&body).1.as_deref(), Some("R-SAN-1"), "{body}");

    // Only the hearing refers, with its reasons.
    let v = version(&app, &id).await;
    let reasons = "The allegations are so serious that the committee should hear them";
    let by_olivia = app
        .gql(
            Some("olivia"),
            REFER,
            json!({ "h": first, "v": v, "r": reasons }),
        )
        .await;
    assert_eq!(code(&by_olivia).0, "FORBIDDEN", "{by_olivia}");
    data(
        app.gql(
            Some("p1"),
            REFER,
            json!({ "h": first, "v": v, "r": reasons }),
        )
        .await,
    );
    // The officer stood down with the referral; the conduct team sees it.
    let referred = app.ok("olivia", REFERRED, json!({ "id": id })).await;
    let case = &referred["case"];
    assert_eq!(case["stage"], "HEARING", "the case waits for the committee");
    assert_eq!(case["hearings"][0]["decision"], "REFERRED");
    assert_eq!(case["hearings"][0]["decisionReasons"], reasons);
    assert!(
        case["timeline"]
            .as_array()
            .expect("timeline")
            .iter()
            .any(|e| e["kind"] == "HEARING_REFERRED"
                && e["reason"] == "Referred to the Senate Student Discipline Committee"),
        "{case}"
    );
    let letter = letters_to(&app, &id, &respondent, "HEARING_REFERRED").await;
    assert_eq!(letter.len(), 1, "one letter to the student");
    let text = letter[0]["text"].as_str().expect("text");
    assert!(
        text.contains("Senate Student Discipline Committee") && text.contains(reasons),
        "{text}"
    );
    // The officer stood down with the referral: the case is no longer theirs.
    let again = app
        .gql(
            Some("p1"),
            REFER,
            json!({ "h": first, "v": version(&app, &id).await, "r": reasons }),
        )
        .await;
    assert_eq!(code(&again).0, "NOT_FOUND", "{again}");

    // The committee sits as three; the officer who referred is involved already.
    let one = app
        .gql(
            Some("olivia"),
            PANEL,
            json!({ "c": id, "m": [person_id(&app, "s1").await] }),
        )
        .await;
    assert_eq!(code(&one).1.as_deref(), Some("R-HEA-3"), "{one}");
    let with_officer = app
        .gql(
            Some("olivia"),
            PANEL,
            json!({ "c": id,
        "m": [udo, person_id(&app, "s2").await, person_id(&app, "s3").await] }),
        )
        .await;
    assert_eq!(
        code(&with_officer).1.as_deref(),
        Some("R-IND-3"),
        "{with_officer}"
    );
    let committee = [
        person_id(&app, "s1").await,
        person_id(&app, "s2").await,
        person_id(&app, "s3").await,
    ];
    data(
        app.gql(Some("olivia"), PANEL, json!({ "c": id, "m": committee }))
            .await,
    );
    let second = summon(&app, &id, "Senate Room").await;
    assert_ne!(second, first, "the committee summons afresh");
    assert_eq!(
        letters_to(&app, &id, &respondent, "HEARING_SUMMONS")
            .await
            .len(),
        2,
        "a second summons letter"
    );
    // A case is referred once: the committee decides it.
    let onward = app
        .gql(
            Some("s1"),
            REFER,
            json!({ "h": second, "v": version(&app, &id).await, "r": reasons }),
        )
        .await;
    assert_eq!(code(&onward).1.as_deref(), Some("R-HEA-5"), "{onward}");
    app.days_pass(20);
    let votes: Vec<Value> = committee
        .iter()
        .map(|m| json!({ "memberId": m, "breach": true }))
        .collect();
    let decided = data(app.gql(Some("s1"), HEARING_DECISION, json!({ "input": { "hearingId": second, "expectedVersion": version(&app, &id).await,
        "votes": votes, "reasons": "The committee finds the breach", "sanctions": revocation(&respondent) } })).await);
    assert_eq!(decided["recordHearingDecision"]["case"]["stage"], "OUTCOME");
    let sanctions = app
        .ok(
            "olivia",
            "query($id: UUID!) { case(id: $id) { sanctions { kind imposedAs } } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(
        sanctions["case"]["sanctions"],
        json!([{ "kind": "REVOCATION_OF_AWARD", "imposedAs": "SENATE" }])
    );
    app.stop().await;
}
db_test!(the_disciplinary_officer_refers_a_case_to_the_committee);

/// A procedure that names no body to refer to: the hearing decides (R-HEA-5).
async fn a_hearing_refers_only_where_the_procedure_names_a_body(backend: Backend) {
    let derby = concat!(env!("CARGO_MANIFEST_DIR"), "/policy/derby.toml");
    let app = TestApp::start_with(backend, &[("MISCONDUCT_POLICY_FILE", derby)]).await;
    let id = super::time_rules::referred_to_a_panel(&app).await;
    let hearing = summon(&app, &id, "Council Room").await;
    let body = app
        .gql(
            Some("p1"),
            REFER,
            json!({ "h": hearing, "v": version(&app, &id).await, "r": "Too serious" }),
        )
        .await;
    assert_eq!(
        code(&body),
        ("RULE_VIOLATION".into(), Some("R-HEA-5".into())),
        "{body}"
    );
    assert!(body.to_string().contains("derby-2025.1"), "{body}");
    app.stop().await;
}
db_test!(a_hearing_refers_only_where_the_procedure_names_a_body);
