//! The formal report (R-REP-1, R-REP-2, R-REP-4), the state machine and
//! concurrent edits.

use misconduct_api::domain::kinds::{EnrolmentStatus, PersonKind, StaffRole};
use serde_json::{Value, json};

use crate::common::{Backend, TestApp};
use crate::db_test;
use crate::scenario::*;

const WITHDRAW: &str = r#"mutation($c: UUID!, $v: Int!) { withdrawCase(caseId: $c, reason: "I no longer wish to continue", expectedVersion: $v) {
  version myCase { progress } case { stage } } }"#;
const CLOSE: &str = r#"mutation($c: UUID!, $v: Int!) { closeDisclosure(caseId: $c, reason: "Support only", expectedVersion: $v) { version } }"#;
const PAUSE: &str = r#"mutation($c: UUID!, $v: Int!) { pauseCase(caseId: $c, reason: POLICE_INVESTIGATION, note: "Police enquiry", expectedVersion: $v) {
  version case { stage pauseReason nextStages } } }"#;
const RESUME: &str = r#"mutation($c: UUID!, $v: Int!) { resumeCase(caseId: $c, expectedVersion: $v) { version case { stage } } }"#;

async fn a_disclosure_becomes_a_report_and_the_respondent_is_told(backend: Backend) {
    let app = TestApp::start(backend).await;
    Cast::seed(&app).await;
    let case = reported_case(&app).await;
    let staff = app
        .ok("olivia", &staff_case_query(), json!({ "id": case.id }))
        .await;
    let c = &staff["case"];
    assert_eq!(c["stage"], "REPORT_RECEIVED");
    assert_eq!(
        c["policyVersion"], "leicester-2025.11",
        "the case records the policy in force when opened"
    );
    assert_eq!(c["report"]["statement"], "MK-STATEMENT");
    assert_eq!(c["report"]["respondentMayBeInformed"], true);
    let kinds: Vec<&str> = c["timeline"]
        .as_array()
        .expect("timeline")
        .iter()
        .filter_map(|e| e["kind"].as_str())
        .collect();
    for kind in [
        "DISCLOSURE_RECORDED",
        "STAGE_CHANGED",
        "FORMAL_REPORT_SUBMITTED",
        "RESPONDING_PARTY_INFORMED",
    ] {
        assert!(kinds.contains(&kind), "timeline has {kind}: {kinds:?}");
    }
    let stage_change = c["timeline"]
        .as_array()
        .expect("timeline")
        .iter()
        .find(|e| e["kind"] == "STAGE_CHANGED")
        .expect("stage change");
    assert_eq!(stage_change["fromStage"], "DISCLOSURE");
    assert_eq!(stage_change["toStage"], "REPORT_RECEIVED");

    let ben = app
        .ok("ben", &party_case_query(), json!({ "id": case.id }))
        .await;
    assert_eq!(ben["myCase"]["myRole"], "RESPONDING");
    assert_eq!(
        ben["myCase"]["report"]["statement"], "MK-STATEMENT",
        "the respondent sees the allegation (002 §8)"
    );
    assert_eq!(ben["myCase"]["report"]["desiredOutcome"], Value::Null);
    assert_eq!(
        ben["myCase"]["me"]["caseWorkers"][0]["displayName"], "Name of colin",
        "R-REP-4: offered a case worker"
    );
    assert!(ben["myCase"]["me"]["informedAt"].is_string());
    app.stop().await;
}
db_test!(a_disclosure_becomes_a_report_and_the_respondent_is_told);

async fn a_report_needs_every_condition_of_r_rep_1(backend: Backend) {
    let app = TestApp::start(backend).await;
    Cast::seed(&app).await;
    let case = disclose(&app, "x").await;
    no_errors(
        case.assign(&app, "cara", &case.reporter.clone(), "cara")
            .await,
    );
    let v = case.version_as(&app, "alice").await;
    let body = case.report(&app, "alice", "s", true, v).await;
    assert_eq!(
        code(&body),
        ("RULE_VIOLATION".into(), Some("R-REP-1".into())),
        "no options conversation yet"
    );

    no_errors(
        case.options(
            &app,
            "cara",
            &["SUPPORT_ONLY", "REPORT_TO_UNIVERSITY"],
            &["SUPPORT_ONLY"],
            "s",
        )
        .await,
    );
    let body = case.report(&app, "alice", "s", true, v).await;
    assert_eq!(
        code(&body).1.as_deref(),
        Some("R-REP-1"),
        "the student did not choose to report"
    );

    no_errors(
        case.options(
            &app,
            "cara",
            &["REPORT_TO_POLICE", "SARC_REFERRAL"],
            &["REPORT_TO_POLICE"],
            "s",
        )
        .await,
    );
    let body = case.report(&app, "alice", "s", true, v).await;
    assert_eq!(
        code(&body).1.as_deref(),
        Some("R-REP-1"),
        "a police case is ongoing"
    );

    let body = case.report(&app, "olivia", "s", true, v).await;
    assert_eq!(
        code(&body).0,
        "NOT_FOUND",
        "the conduct team does not see an unreported disclosure"
    );
    let body = case.report(&app, "ben", "s", true, v).await;
    assert_eq!(code(&body).0, "NOT_FOUND");

    // A responding party who has left the university: historic, no disciplinary action (R-DISC-5).
    app.person_with(
        "gina",
        PersonKind::Student,
        &[],
        Some(EnrolmentStatus::Graduated),
    )
    .await;
    let data = app
        .ok("alice", RECORD, json!({ "input": { "categories": ["STALKING"], "description": "y", "respondents": [{ "sisNumber": "SIS-gina" }] } }))
        .await;
    let historic = Case {
        id: data["recordDisclosure"]["caseId"]
            .as_str()
            .expect("id")
            .into(),
        version: 1,
        reporter: data["recordDisclosure"]["myCase"]["me"]["id"]
            .as_str()
            .expect("me")
            .into(),
        respondent: String::new(),
    };
    let mine = app
        .ok("alice", &party_case_query(), json!({ "id": historic.id }))
        .await;
    assert_eq!(mine["myCase"]["disclosure"]["channel"], "ONLINE_FORM");
    no_errors(
        historic
            .assign(&app, "cara", &historic.reporter.clone(), "cara")
            .await,
    );
    no_errors(
        historic
            .options(
                &app,
                "cara",
                &["REPORT_TO_UNIVERSITY"],
                &["REPORT_TO_UNIVERSITY"],
                "s",
            )
            .await,
    );
    let body = historic.report(&app, "alice", "s", true, 1).await;
    assert_eq!(code(&body).1.as_deref(), Some("R-DISC-5"));
    app.stop().await;
}
db_test!(a_report_needs_every_condition_of_r_rep_1);

async fn stale_versions_and_illegal_moves_are_refused(backend: Backend) {
    let app = TestApp::start(backend).await;
    Cast::seed(&app).await;
    let mut case = reported_case(&app).await;

    let body = app
        .gql(
            Some("olivia"),
            PAUSE,
            json!({ "c": case.id, "v": case.version - 1 }),
        )
        .await;
    assert_eq!(
        code(&body).0,
        "CONFLICT",
        "a stale version is refused, not overwritten"
    );

    let paused = no_errors(
        app.gql(
            Some("olivia"),
            PAUSE,
            json!({ "c": case.id, "v": case.version }),
        )
        .await,
    );
    assert_eq!(paused["data"]["pauseCase"]["case"]["stage"], "PAUSED");
    assert_eq!(
        paused["data"]["pauseCase"]["case"]["pauseReason"],
        "POLICE_INVESTIGATION"
    );
    case.refresh(&app).await;
    let body = app
        .gql(
            Some("olivia"),
            PAUSE,
            json!({ "c": case.id, "v": case.version }),
        )
        .await;
    assert_eq!(
        code(&body),
        ("RULE_VIOLATION".into(), Some("LIFECYCLE".into())),
        "already paused"
    );
    let alice = app
        .ok("alice", &party_case_query(), json!({ "id": case.id }))
        .await;
    assert_eq!(alice["myCase"]["progress"], "Paused");
    let body = app
        .gql(
            Some("alice"),
            PAUSE,
            json!({ "c": case.id, "v": case.version }),
        )
        .await;
    assert_eq!(code(&body).0, "FORBIDDEN", "parties cannot pause");

    let resumed = no_errors(
        app.gql(
            Some("olivia"),
            RESUME,
            json!({ "c": case.id, "v": case.version }),
        )
        .await,
    );
    assert_eq!(
        resumed["data"]["resumeCase"]["case"]["stage"], "REPORT_RECEIVED",
        "resumes where it was"
    );
    case.refresh(&app).await;

    let body = app
        .gql(
            Some("cara"),
            CLOSE,
            json!({ "c": case.id, "v": case.version }),
        )
        .await;
    assert_eq!(
        code(&body),
        ("RULE_VIOLATION".into(), Some("LIFECYCLE".into())),
        "a report is not a disclosure to close"
    );

    let body = app
        .gql(
            Some("ben"),
            WITHDRAW,
            json!({ "c": case.id, "v": case.version }),
        )
        .await;
    assert_eq!(
        code(&body).0,
        "FORBIDDEN",
        "only the reporting side withdraws"
    );
    let withdrawn = no_errors(
        app.gql(
            Some("alice"),
            WITHDRAW,
            json!({ "c": case.id, "v": case.version }),
        )
        .await,
    );
    assert_eq!(
        withdrawn["data"]["withdrawCase"]["myCase"]["progress"],
        "Withdrawn"
    );
    case.refresh(&app).await;
    let body = app
        .gql(
            Some("alice"),
            WITHDRAW,
            json!({ "c": case.id, "v": case.version }),
        )
        .await;
    assert_eq!(
        code(&body).1.as_deref(),
        Some("R-INV-6"),
        "a withdrawn case cannot be withdrawn again"
    );
    app.stop().await;
}
db_test!(stale_versions_and_illegal_moves_are_refused);

async fn a_disclosure_can_close_without_a_report(backend: Backend) {
    let app = TestApp::start(backend).await;
    Cast::seed(&app).await;
    let case = disclose(&app, "x").await;
    no_errors(
        case.assign(&app, "cara", &case.reporter.clone(), "cara")
            .await,
    );
    let v = case.version_as(&app, "alice").await;
    let body = app
        .gql(Some("alice"), CLOSE, json!({ "c": case.id, "v": v }))
        .await;
    assert_eq!(
        code(&body).0,
        "FORBIDDEN",
        "the case worker closes it, with the student"
    );
    no_errors(
        app.gql(Some("cara"), CLOSE, json!({ "c": case.id, "v": v }))
            .await,
    );
    let mine = app
        .ok("alice", &party_case_query(), json!({ "id": case.id }))
        .await;
    assert_eq!(mine["myCase"]["progress"], "Concluded");
    let reason = mine["myCase"]["timeline"]
        .as_array()
        .expect("timeline")
        .iter()
        .find(|e| e["kind"] == "STAGE_CHANGED")
        .expect("closed")["reason"]
        .clone();
    assert_eq!(
        reason,
        Value::Null,
        "reasons of procedural events go to the procedure and the side they concern"
    );
    app.stop().await;
}
db_test!(a_disclosure_can_close_without_a_report);

async fn concurrent_edits_do_not_both_win(backend: Backend) {
    let app = TestApp::start(backend).await;
    Cast::seed(&app).await;
    let case = reported_case(&app).await;
    let (a, b) = tokio::join!(
        app.gql(
            Some("olivia"),
            PAUSE,
            json!({ "c": case.id, "v": case.version })
        ),
        app.gql(
            Some("olivia"),
            PAUSE,
            json!({ "c": case.id, "v": case.version })
        ),
    );
    let outcomes = [a.get("errors").is_none(), b.get("errors").is_none()];
    assert_eq!(
        outcomes.iter().filter(|ok| **ok).count(),
        1,
        "exactly one wins: {a} {b}"
    );
    let loser = if outcomes[0] { &b } else { &a };
    assert_eq!(code(loser).0, "CONFLICT");
    app.stop().await;
}
db_test!(concurrent_edits_do_not_both_win);

/// A change of plan (issue 10 item 1): Alice's case worker leaves; the conduct
/// team allocates another, with R-IND-2 checked again; the party's side sees
/// why on the timeline, the other side does not.
async fn a_case_worker_leaves_and_another_is_allocated(backend: Backend) {
    let app = TestApp::start(backend).await;
    Cast::seed(&app).await;
    app.person("cody", PersonKind::Staff, &[StaffRole::CaseWorker])
        .await;
    let case = reported_case(&app).await;
    let end = r#"mutation($c: UUID!, $p: UUID!, $w: UUID!) { endCaseWorkerAssignment(caseId: $c, partyId: $p, caseWorkerId: $w, reason: "Cara has left the university") { version } }"#;
    let cara = person_id(&app, "cara").await;
    no_errors(
        app.gql(
            Some("cara"),
            end,
            json!({ "c": case.id, "p": case.reporter, "w": cara }),
        )
        .await,
    );
    let again = app
        .gql(
            Some("olivia"),
            end,
            json!({ "c": case.id, "p": case.reporter, "w": cara }),
        )
        .await;
    assert_eq!(code(&again).0, "VALIDATION", "no longer her case worker");
    let gone = app
        .gql(
            Some("cara"),
            "query($id: UUID!) { case(id: $id) { id } }",
            json!({ "id": case.id }),
        )
        .await;
    assert_eq!(
        code(&gone).0,
        "NOT_FOUND",
        "her access ended with the assignment"
    );
    // Ben's case worker cannot take Alice on (R-IND-2); someone new can.
    let body = case.assign(&app, "olivia", &case.reporter, "colin").await;
    assert_eq!(
        code(&body),
        ("RULE_VIOLATION".into(), Some("R-IND-2".into()))
    );
    no_errors(case.assign(&app, "olivia", &case.reporter, "cody").await);
    let timeline = "query($id: UUID!) { myCase(id: $id) { timeline { kind reason } } }";
    let alice = app.ok("alice", timeline, json!({ "id": case.id })).await;
    assert!(
        alice["myCase"]["timeline"]
            .as_array()
            .expect("timeline")
            .contains(&json!({ "kind": "CASE_WORKER_ASSIGNMENT_ENDED", "reason": "Cara has left the university" })),
        "{alice}"
    );
    let ben = app.ok("ben", timeline, json!({ "id": case.id })).await;
    assert!(
        !ben.to_string().contains("CASE_WORKER_ASSIGNMENT_ENDED"),
        "the other side does not see it: {ben}"
    );
    app.stop().await;
}
db_test!(a_case_worker_leaves_and_another_is_allocated);

/// R-SUP-1 with R-REP-1 (issue 10 item 1): while a police case on the same
/// allegation is ongoing no formal report is possible; once the case worker
/// records that it has ended, the student can report.
async fn a_report_becomes_possible_when_the_police_case_ends(backend: Backend) {
    let app = TestApp::start(backend).await;
    Cast::seed(&app).await;
    let d = app
        .ok(
            "alice",
            RECORD,
            json!({ "input": { "categories": ["HARASSMENT"], "description": "MK-POLICE",
                "policeCaseOngoing": true, "respondents": [{ "sisNumber": "SIS-ben" }] } }),
        )
        .await;
    let case = Case {
        id: d["recordDisclosure"]["caseId"].as_str().expect("id").into(),
        version: 0,
        reporter: d["recordDisclosure"]["myCase"]["me"]["id"]
            .as_str()
            .expect("me")
            .into(),
        respondent: String::new(),
    };
    no_errors(case.assign(&app, "cara", &case.reporter, "cara").await);
    no_errors(
        case.options(
            &app,
            "cara",
            &["REPORT_TO_UNIVERSITY"],
            &["REPORT_TO_UNIVERSITY"],
            "s",
        )
        .await,
    );
    let v = case.version_as(&app, "alice").await;
    let body = case.report(&app, "alice", "MK-STATEMENT", true, v).await;
    assert_eq!(
        code(&body),
        ("RULE_VIOLATION".into(), Some("R-REP-1".into())),
        "{body}"
    );
    let police = r#"mutation($c: UUID!, $o: Boolean!, $v: Int!) { recordPoliceCase(caseId: $c, ongoing: $o, expectedVersion: $v) { version } }"#;
    let body = app
        .gql(
            Some("ben"),
            police,
            json!({ "c": case.id, "o": false, "v": v }),
        )
        .await;
    assert_eq!(code(&body).0, "NOT_FOUND", "not Ben's to record: {body}");
    no_errors(
        app.gql(
            Some("cara"),
            police,
            json!({ "c": case.id, "o": false, "v": v }),
        )
        .await,
    );
    let v = case.version_as(&app, "alice").await;
    no_errors(case.report(&app, "alice", "MK-STATEMENT", true, v).await);
    app.stop().await;
}
db_test!(a_report_becomes_possible_when_the_police_case_ends);
