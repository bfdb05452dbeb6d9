//! Disclosures (R-DISC-1…5), case worker independence (R-IND-1, R-IND-2) and
//! support (R-SUP-1, R-SUP-2, R-SUP-4, R-SUP-5).

use misconduct_api::domain::kinds::{PersonKind, StaffRole};
use serde_json::{Value, json};

use crate::common::{Backend, TestApp};
use crate::db_test;
use crate::scenario::*;

const FORWARD: &str = r#"mutation($s: UUID!) { recordDisclosure(input: {
  categories: [BULLYING], description: "Forwarded by a lecturer", disclosingStudentId: $s, forwarded: true,
  respondents: [{ name: "A flatmate" }] }) { caseId reference case { id } myCase { id } } }"#;

const ATTEMPT: &str = r#"mutation($c: UUID!, $p: UUID!, $r: Boolean!) {
  recordContactAttempt(caseId: $c, partyId: $p, method: EMAIL, studentResponded: $r) { version } }"#;

async fn student_records_and_sees_own_disclosure(backend: Backend) {
    let app = TestApp::start(backend).await;
    Cast::seed(&app).await;
    let case = disclose(&app, "What happened at the party").await;
    let data = app
        .ok("alice", &party_case_query(), json!({ "id": case.id }))
        .await;
    let mine = &data["myCase"];
    assert_eq!(mine["myRole"], "REPORTING");
    assert_eq!(mine["progress"], "Disclosure received");
    assert_eq!(
        mine["disclosure"]["description"],
        "What happened at the party"
    );
    assert_eq!(mine["disclosure"]["channel"], "ONLINE_FORM");
    assert_eq!(mine["report"], Value::Null);
    assert_eq!(mine["otherParties"][0]["name"], "Name of ben");
    assert_eq!(
        mine["otherParties"][0]["contact"],
        Value::Null,
        "never the other party's contact details"
    );

    let body = app
        .gql(
            Some("alice"),
            RECORD,
            json!({ "input": { "categories": [], "description": "x" } }),
        )
        .await;
    assert_eq!(code(&body).0, "VALIDATION", "a category is required");
    let body = app
        .gql(
            Some("alice"),
            RECORD,
            json!({ "input": { "categories": ["OTHER"], "description": "   " } }),
        )
        .await;
    assert_eq!(code(&body).0, "VALIDATION", "a description is required");
    let body = app.gql(Some("alice"), RECORD, json!({ "input": { "categories": ["OTHER"], "description": "x", "incidentDate": "2999-01-01" } })).await;
    assert_eq!(code(&body).0, "VALIDATION", "no future incidents");
    app.stop().await;
}
db_test!(student_records_and_sees_own_disclosure);

async fn anonymous_disclosures_get_no_support_and_no_report(backend: Backend) {
    let app = TestApp::start(backend).await;
    Cast::seed(&app).await;
    let data = app
        .ok("alice", RECORD, json!({ "input": { "categories": ["HATE_INCIDENT"], "description": "MK-ANON", "anonymous": true } }))
        .await;
    let id = data["recordDisclosure"]["caseId"]
        .as_str()
        .expect("id")
        .to_string();
    assert_eq!(
        data["recordDisclosure"]["myCase"],
        Value::Null,
        "no identity is kept, so not even the discloser is linked"
    );
    for subject in ["alice", "cara", "olivia", "ada"] {
        let lists = app.gql(Some(subject), &everything_query(), json!({})).await;
        assert!(
            !lists.to_string().contains("MK-ANON"),
            "{subject} must not see an anonymous disclosure"
        );
        assert!(
            !lists.to_string().contains(&id),
            "{subject} must not see an anonymous disclosure"
        );
    }
    app.stop().await;
}
db_test!(anonymous_disclosures_get_no_support_and_no_report);

async fn forwarding_staff_learn_only_whether_contact_was_made(backend: Backend) {
    let app = TestApp::start(backend).await;
    Cast::seed(&app).await;
    let alice = person_id(&app, "alice").await;
    let data = app.ok("pat", FORWARD, json!({ "s": alice })).await;
    let p = &data["recordDisclosure"];
    assert_eq!(
        p["case"],
        Value::Null,
        "the forwarder gets no view of the case"
    );
    let case_id = p["caseId"].as_str().expect("id").to_string();
    assert_eq!(
        forwarded_status(&app).await,
        json!({ "atLeastTwoContactAttempts": false, "studentResponded": null })
    );

    // Cara picks it up from the intake queue and tries twice.
    let listed = app
        .ok("cara", &staff_case_query(), json!({ "id": case_id }))
        .await;
    assert_eq!(listed["case"]["inIntakeQueue"], true);
    let cara_id = person_id(&app, "cara").await;
    let party = app
        .ok(
            "alice",
            "{ myCases { edges { node { me { id } } } } }",
            json!({}),
        )
        .await["myCases"]["edges"][0]["node"]["me"]["id"]
        .as_str()
        .expect("party")
        .to_string();
    no_errors(
        app.gql(
            Some("cara"),
            ASSIGN,
            json!({ "c": case_id, "p": party, "w": cara_id }),
        )
        .await,
    );
    no_errors(
        app.gql(
            Some("cara"),
            ATTEMPT,
            json!({ "c": case_id, "p": party, "r": false }),
        )
        .await,
    );
    assert_eq!(
        forwarded_status(&app).await["atLeastTwoContactAttempts"],
        false
    );
    no_errors(
        app.gql(
            Some("cara"),
            ATTEMPT,
            json!({ "c": case_id, "p": party, "r": false }),
        )
        .await,
    );
    assert_eq!(
        forwarded_status(&app).await,
        json!({ "atLeastTwoContactAttempts": true, "studentResponded": false })
    );
    no_errors(
        app.gql(
            Some("cara"),
            ATTEMPT,
            json!({ "c": case_id, "p": party, "r": true }),
        )
        .await,
    );
    assert_eq!(
        forwarded_status(&app).await,
        json!({ "atLeastTwoContactAttempts": true, "studentResponded": true })
    );
    app.stop().await;
}
db_test!(forwarding_staff_learn_only_whether_contact_was_made);

/// `by` forwards a disclosure for Alice: the case id, and Alice's party (as she sees it).
async fn forwarded_for_alice(app: &TestApp, by: &str) -> (String, String) {
    let alice = person_id(app, "alice").await;
    let forwarded = app.ok(by, FORWARD, json!({ "s": alice })).await;
    let case_id = forwarded["recordDisclosure"]["caseId"]
        .as_str()
        .expect("id")
        .to_string();
    let party = app
        .ok(
            "alice",
            "{ myCases { edges { node { me { id } } } } }",
            json!({}),
        )
        .await["myCases"]["edges"][0]["node"]["me"]["id"]
        .as_str()
        .expect("party")
        .to_string();
    (case_id, party)
}

async fn case_version(app: &TestApp, case_id: &str) -> Value {
    app.ok(
        "cara",
        "query($id: UUID!) { case(id: $id) { version } }",
        json!({ "id": case_id }),
    )
    .await["case"]["version"]
        .clone()
}

/// R-DISC-7: after two unanswered attempts, Student Support decides with the
/// forwarder whether to act further; the decision and its reasons are kept
/// for those who took it, and the forwarder learns only whether.
async fn an_unanswered_forwarded_disclosure_gets_a_follow_up_decision(backend: Backend) {
    const DECIDE: &str = "mutation($c: UUID!, $a: Boolean!, $r: String!, $v: Int!) { recordFollowUpDecision(caseId: $c, actFurther: $a, reasons: $r, expectedVersion: $v) { version } }";
    let app = TestApp::start(backend).await;
    Cast::seed(&app).await;
    let (case_id, party) = forwarded_for_alice(&app, "pat").await;
    let cara_id = person_id(&app, "cara").await;
    no_errors(
        app.gql(
            Some("cara"),
            ASSIGN,
            json!({ "c": case_id, "p": party, "w": cara_id }),
        )
        .await,
    );
    let decide = |who: &'static str, v: Value| {
        let vars = json!({ "c": case_id, "a": true, "r": "MK-FOLLOW-UP a welfare check by the hall warden", "v": v });
        let app = &app;
        async move { app.gql(Some(who), DECIDE, vars).await }
    };
    no_errors(
        app.gql(
            Some("cara"),
            ATTEMPT,
            json!({ "c": case_id, "p": party, "r": false }),
        )
        .await,
    );
    let body = decide("cara", case_version(&app, &case_id).await).await;
    assert_eq!(
        code(&body).1.as_deref(),
        Some("R-DISC-7"),
        "one attempt: {body}"
    );
    no_errors(
        app.gql(
            Some("cara"),
            ATTEMPT,
            json!({ "c": case_id, "p": party, "r": false }),
        )
        .await,
    );
    for (who, expected) in [
        ("colin", "NOT_FOUND"),
        ("pat", "NOT_FOUND"),
        ("alice", "FORBIDDEN"),
    ] {
        let body = decide(who, case_version(&app, &case_id).await).await;
        assert_eq!(code(&body).0, expected, "{who}: {body}");
    }
    no_errors(decide("cara", case_version(&app, &case_id).await).await);

    let staff = app
        .ok(
            "cara",
            "query($id: UUID!) { case(id: $id) { followUpDecision { actFurther reasons } timeline { kind reason } } }",
            json!({ "id": case_id }),
        )
        .await;
    assert_eq!(staff["case"]["followUpDecision"]["actFurther"], true);
    assert!(staff.to_string().contains("FOLLOW_UP_DECIDED"), "{staff}");
    let forwarder = app
        .ok(
            "pat",
            "{ forwardedDisclosures { nodes { actFurther } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        forwarder["forwardedDisclosures"]["nodes"][0]["actFurther"],
        true
    );
    assert!(
        !forwarder.to_string().contains("MK-FOLLOW-UP"),
        "{forwarder}"
    );
    let student = app
        .ok(
            "alice",
            "query($id: UUID!) { myCase(id: $id) { timeline { kind reason } } }",
            json!({ "id": case_id }),
        )
        .await;
    assert!(
        !student.to_string().contains("MK-FOLLOW-UP"),
        "a decision among staff: {student}"
    );
    app.stop().await;
}
db_test!(an_unanswered_forwarded_disclosure_gets_a_follow_up_decision);

async fn forwarded_status(app: &TestApp) -> Value {
    app.ok(
        "pat",
        "{ forwardedDisclosures { nodes { atLeastTwoContactAttempts studentResponded } } }",
        json!({}),
    )
    .await["forwardedDisclosures"]["nodes"][0]
        .clone()
}

async fn case_workers_must_be_independent(backend: Backend) {
    let app = TestApp::start(backend).await;
    Cast::seed(&app).await;
    // R-IND-1: a case worker who received the disclosure cannot support the discloser.
    app.person("rita", PersonKind::Staff, &[StaffRole::CaseWorker])
        .await;
    let (case_id, party) = forwarded_for_alice(&app, "rita").await;
    let rita = person_id(&app, "rita").await;
    let body = app
        .gql(
            Some("rita"),
            ASSIGN,
            json!({ "c": case_id, "p": party, "w": rita }),
        )
        .await;
    assert_eq!(
        code(&body),
        ("RULE_VIOLATION".into(), Some("R-IND-1".into()))
    );
    let timeline = app
        .ok("alice", &party_case_query(), json!({ "id": case_id }))
        .await;
    assert_eq!(
        timeline["myCase"]["me"]["caseWorkers"],
        json!([]),
        "nothing was saved"
    );

    // R-IND-2: the responding party's case worker is not the reporting party's …
    let case = reported_case(&app).await;
    let body = case
        .assign(&app, "olivia", &case.respondent.clone(), "cara")
        .await;
    assert_eq!(
        code(&body),
        ("RULE_VIOLATION".into(), Some("R-IND-2".into()))
    );
    // … nor anyone with prior contact with the reporting party (Rita once supported Alice elsewhere).
    app.person("rob", PersonKind::Staff, &[StaffRole::CaseWorker])
        .await;
    no_errors(
        app.gql(
            Some("cara"),
            ASSIGN,
            json!({ "c": case_id, "p": party, "w": person_id(&app, "rob").await }),
        )
        .await,
    );
    let body = case
        .assign(&app, "olivia", &case.respondent.clone(), "rob")
        .await;
    assert_eq!(
        code(&body),
        ("RULE_VIOLATION".into(), Some("R-IND-2".into()))
    );
    // Only the conduct team allocates the responding party's case worker.
    let body = case
        .assign(&app, "cara", &case.respondent.clone(), "cara")
        .await;
    assert_eq!(code(&body).0, "FORBIDDEN");
    // Someone without the CASE_WORKER role cannot be allocated.
    let body = case
        .assign(&app, "olivia", &case.respondent.clone(), "pat")
        .await;
    assert_eq!(code(&body).0, "VALIDATION");
    app.stop().await;
}
db_test!(case_workers_must_be_independent);

async fn options_consent_and_notes_follow_the_rules(backend: Backend) {
    let app = TestApp::start(backend).await;
    Cast::seed(&app).await;
    let case = disclose(&app, "x").await;
    let body = case
        .options(
            &app,
            "cara",
            &["REPORT_TO_UNIVERSITY"],
            &["REPORT_TO_UNIVERSITY"],
            "s",
        )
        .await;
    assert_eq!(
        code(&body).0,
        "FORBIDDEN",
        "a case worker not yet allocated knows the reporting party is there (to allocate her case worker), and may not act for her"
    );
    no_errors(
        case.assign(&app, "cara", &case.reporter.clone(), "cara")
            .await,
    );

    // R-SUP-1: a police case and a university case cannot run at once.
    let body = case
        .options(
            &app,
            "cara",
            &["REPORT_TO_UNIVERSITY", "REPORT_TO_POLICE"],
            &["REPORT_TO_UNIVERSITY", "REPORT_TO_POLICE"],
            "s",
        )
        .await;
    assert_eq!(
        code(&body),
        ("RULE_VIOLATION".into(), Some("R-SUP-1".into()))
    );
    let body = case
        .options(
            &app,
            "cara",
            &["SUPPORT_ONLY"],
            &["REPORT_TO_UNIVERSITY"],
            "s",
        )
        .await;
    assert_eq!(
        code(&body).0,
        "VALIDATION",
        "an option not offered cannot be chosen"
    );
    no_errors(
        case.options(
            &app,
            "cara",
            &["SUPPORT_ONLY", "REPORT_TO_UNIVERSITY"],
            &["SUPPORT_ONLY"],
            "Support for now",
        )
        .await,
    );

    // R-SUP-2: the student changes her mind; allowed while nothing irreversible happened.
    let change = r#"mutation($c: UUID!, $p: UUID!, $o: [SupportOption!]!) {
        changeOptionsChoice(caseId: $c, partyId: $p, optionsChosen: $o, reason: "Decided to report") { version } }"#;
    no_errors(
        app.gql(
            Some("alice"),
            change,
            json!({ "c": case.id, "p": case.reporter, "o": ["REPORT_TO_UNIVERSITY"] }),
        )
        .await,
    );

    // R-SUP-4: no sharing without consent; consent can be given and withdrawn.
    let body = app.gql(Some("cara"), SHARE, json!({ "c": case.id, "p": case.reporter, "d": "ACADEMIC_DEPARTMENT", "t": "Needs extension" })).await;
    assert_eq!(
        code(&body),
        ("RULE_VIOLATION".into(), Some("R-SUP-4".into()))
    );
    no_errors(
        app.gql(
            Some("alice"),
            CONSENT,
            json!({ "c": case.id, "p": case.reporter, "d": "ACADEMIC_DEPARTMENT", "g": true }),
        )
        .await,
    );
    no_errors(app.gql(Some("cara"), SHARE, json!({ "c": case.id, "p": case.reporter, "d": "ACADEMIC_DEPARTMENT", "t": "Needs extension" })).await);
    no_errors(
        app.gql(
            Some("alice"),
            CONSENT,
            json!({ "c": case.id, "p": case.reporter, "d": "ACADEMIC_DEPARTMENT", "g": false }),
        )
        .await,
    );
    let body = app
        .gql(
            Some("cara"),
            SHARE,
            json!({ "c": case.id, "p": case.reporter, "d": "ACADEMIC_DEPARTMENT", "t": "More" }),
        )
        .await;
    assert_eq!(
        code(&body).1.as_deref(),
        Some("R-SUP-4"),
        "withdrawn consent stops further sharing"
    );
    let mine = app
        .ok("alice", &party_case_query(), json!({ "id": case.id }))
        .await;
    assert_eq!(
        mine["myCase"]["me"]["irreversibleActions"],
        json!(["INFORMATION_SHARED_WITH_ACADEMIC_DEPARTMENT"])
    );
    assert_eq!(
        mine["myCase"]["me"]["sharingConsents"],
        json!([{ "department": "ACADEMIC_DEPARTMENT", "granted": false }])
    );

    // R-SUP-5: only the party's case worker writes support notes.
    let body = app
        .gql(
            Some("alice"),
            NOTE,
            json!({ "c": case.id, "p": case.reporter, "b": "mine", "s": true }),
        )
        .await;
    assert_eq!(code(&body).0, "FORBIDDEN");
    let body = app
        .gql(
            Some("olivia"),
            NOTE,
            json!({ "c": case.id, "p": case.reporter, "b": "x", "s": false }),
        )
        .await;
    assert_eq!(
        code(&body).0,
        "NOT_FOUND",
        "the conduct team cannot see a disclosure that was never reported"
    );

    // After a report, un-choosing it is refused: withdrawal is the way out (R-SUP-2, R-INV-6).
    let v = case.version_as(&app, "alice").await;
    no_errors(case.report(&app, "alice", "Statement", true, v).await);
    let body = app
        .gql(
            Some("alice"),
            change,
            json!({ "c": case.id, "p": case.reporter, "o": ["SUPPORT_ONLY"] }),
        )
        .await;
    assert_eq!(code(&body).1.as_deref(), Some("R-SUP-2"));
    app.stop().await;
}
db_test!(options_consent_and_notes_follow_the_rules);
