//! The disciplinary procedure end to end: whole cases walked through the API
//! with a token per role, what each party sees at each stage, the time rules
//! and the refusals. One file per part of the procedure; the operations and the
//! steps that bring a case to a stage are here.

use chrono::{Datelike, Duration, Utc};
use misconduct_api::domain::kinds::{PersonKind, StaffRole};
use serde_json::{Value, json};

use crate::common::{Backend, TestApp};
use crate::db_test;
use crate::scenario::*;

mod changes_of_parties;
mod changes_of_plan;
mod data_protection;
mod final_appeal_decision;
mod full_case;
mod hearings;
mod letters;
mod pause_and_informal;
mod referral;
mod refusals;
mod reviews_and_appeals;
mod sanction_catalogue;
mod several_respondents;
mod three_procedures;
mod time_rules;

const TRIAGE: &str = r#"mutation($c: UUID!, $v: Int!, $level: Classification!) { triageCase(caseId: $c, expectedVersion: $v,
  allegedBreaches: [{ description: "Harassment (Reg. 9)", level: MEDIUM }, { description: "Sexual misconduct", level: $level }]) { version case { stage triage { classification routedTo cfcReferredAt } } } }"#;
const START: &str = r#"mutation($c: UUID!, $v: Int!) { startInvestigation(caseId: $c, expectedVersion: $v) { version case { stage deadlines { kind rule dueOn } } } }"#;
const MEETING: &str = r#"mutation($c: UUID!, $p: UUID!, $at: DateTime!, $agreed: Boolean = false) { scheduleMeeting(caseId: $c, partyId: $p, scheduledAt: $at, agreedShorterNotice: $agreed) { version case { meetings { id partyId writtenResponseDue } } } }"#;
const EVIDENCE: &str = r#"mutation($c: UUID!, $d: String!, $to: [Audience!]) { addEvidence(caseId: $c, kind: MESSAGE, description: $d, sharedWith: $to) { version } }"#;
const STATEMENT: &str = r#"mutation($c: UUID!, $p: UUID, $k: StatementKind!, $b: String!) { addStatement(caseId: $c, partyId: $p, kind: $k, body: $b) { version } }"#;
const RECORDING: &str =
    r#"mutation($m: UUID!, $l: String!) { addRecording(meetingId: $m, location: $l) { version } }"#;
const REPORT_INV: &str = r#"mutation($c: UUID!, $v: Int!, $f: Finding!) { issueInvestigationReport(caseId: $c, finding: $f, summary: "MK-INV-SUMMARY", recommendations: "Refer to a panel", expectedVersion: $v) { version case { stage } } }"#;
const DECIDE: &str = r#"mutation($input: DecisionInput!) { recordDecision(input: $input) { version case { stage } myCase { progress } } }"#;
const PANEL: &str = r#"mutation($c: UUID!, $m: [UUID!]!, $appeal: Boolean = false) { convenePanel(caseId: $c, memberIds: $m, forAppeal: $appeal) { version } }"#;
const SUMMON: &str = r#"mutation($input: SummonsInput!) { summonToHearing(input: $input) { version case { hearings { id responseDue } } } }"#;
const RESPOND: &str = r#"mutation($h: UUID!) { respondToSummons(hearingId: $h, response: ATTEND, companion: "Students' Union adviser") { version } }"#;
const HEARING_DECISION: &str = r#"mutation($input: HearingDecisionInput!) { recordHearingDecision(input: $input) { version case { stage } } }"#;
const LODGE: &str = r#"mutation($c: UUID!, $g: [AppealGround!]!) { lodgeAppeal(caseId: $c, grounds: $g, statement: "The panel did not weigh my messages.") { version myCase { appeals { id status } } } }"#;
const REVIEW_APPEAL: &str = r#"mutation($input: AppealReviewInput!) { reviewAppeal(input: $input) { version case { stage appeals { status completionOfProceduresOn oiaheDeadline } } } }"#;
const PAUSE: &str = r#"mutation($c: UUID!, $v: Int!) { pauseCase(caseId: $c, reason: POLICE_INVESTIGATION, expectedVersion: $v) { version } }"#;
const RESUME: &str = r#"mutation($c: UUID!, $v: Int!) { resumeCase(caseId: $c, expectedVersion: $v) { version case { stage deadlines { kind dueOn } } } }"#;

const PARTY_VIEW: &str = r#"query($id: UUID!) { myCase(id: $id) { myRole progress
  investigationReport { finding summary } decision { option reasons } outcome { reasons appealWindowEnds }
  meetings { id writtenResponseDue } evidence { description } statements { body } recordings { location }
  hearings { proposedPenalty responseDue votes { breach } } sanctions { kind justification whyNotLesser }
  appeals { status statement } reviewRequests { kind status } myDeadlines { kind rule dueOn } } }"#;
const STAFF_VIEW: &str = r#"query($id: UUID!) { case(id: $id) { stage version
  triage { classification routedTo } investigationReport { summary } decision { option reasons } outcome { reasons }
  meetings { id partyId } evidence { description } statements { body } recordings { location }
  hearings { id proposedPenalty votes { breach } } sanctions { kind justification } previousSanctions { kind }
  appeals { id status } deadlines { kind rule dueOn } } }"#;

struct Procedure {
    case: Case,
    witness: String,
}

/// How many notifications of `kind` `who` has; each must have its e-mail
/// twin in the outbox, and neither may carry case content.
async fn notices(app: &TestApp, who: &str, kind: &str) -> usize {
    let data = app
        .ok(
            who,
            "{ myNotifications(first: 100) { nodes { kind message } } myCommunications(first: 100) { nodes { kind subject body } } }",
            json!({}),
        )
        .await;
    let text = data.to_string();
    assert!(!text.contains("MK-"), "case content in a notice: {text}");
    let count = |list: &str, pred: &dyn Fn(&Value) -> bool| {
        data[list]["nodes"]
            .as_array()
            .expect("list")
            .iter()
            .filter(|n| pred(n))
            .count()
    };
    let in_app = count("myNotifications", &|n| n["kind"] == kind);
    let messages: Vec<String> = data["myNotifications"]["nodes"]
        .as_array()
        .expect("list")
        .iter()
        .filter(|n| n["kind"] == kind)
        .map(|n| n["message"].as_str().unwrap_or("").to_string())
        .collect();
    let mailed = count("myCommunications", &|c| {
        c["kind"] == "NOTICE"
            && messages.iter().any(|m| {
                c["body"]
                    .as_str()
                    .is_some_and(|b| b.starts_with(m.as_str()))
            })
    });
    assert_eq!(in_app, mailed, "every notice is also e-mailed: {text}");
    in_app
}

async fn staff(app: &TestApp) {
    for (who, role) in [
        ("dee", StaffRole::DecisionMaker),
        ("ivy", StaffRole::Investigator),
        ("iris", StaffRole::Investigator),
        ("p1", StaffRole::PanelMember),
        ("p2", StaffRole::PanelMember),
        ("p3", StaffRole::PanelMember),
        ("p4", StaffRole::PanelMember),
        ("rex", StaffRole::AppealReviewer),
    ] {
        app.person(who, PersonKind::Staff, &[role]).await;
    }
    app.person("wendy", PersonKind::Student, &[]).await;
}

/// Monday 6 September 2027, 08:00 UTC: weeks clear of bank holidays, closure
/// days and the Friday rule, and far from midnight in the UK.
fn on_monday_6_september_2027(app: &TestApp) {
    app.clock.set(
        chrono::TimeZone::with_ymd_and_hms(&Utc, 2027, 9, 6, 8, 0, 0)
            .single()
            .expect("date"),
    );
}

/// A reported case with Wendy as witness, triaged as `level`.
async fn triaged(app: &TestApp, level: &str) -> Procedure {
    Cast::seed(app).await;
    staff(app).await;
    triaged_case(app, level).await
}

/// Ben lodges an appeal on `grounds`; the appeal's id.
async fn lodged(app: &TestApp, case_id: &str, grounds: &[&str]) -> String {
    let a = data(
        app.gql(Some("ben"), LODGE, json!({ "c": case_id, "g": grounds }))
            .await,
    );
    a["lodgeAppeal"]["myCase"]["appeals"][0]["id"]
        .as_str()
        .expect("appeal")
        .to_string()
}

/// The responding party's id on a case, as the conduct team sees it.
async fn responding_party_id(app: &TestApp, case_id: &str) -> String {
    let staff = app
        .ok(
            "olivia",
            "query($id: UUID!) { case(id: $id) { parties { id role } } }",
            json!({ "id": case_id }),
        )
        .await;
    staff["case"]["parties"]
        .as_array()
        .expect("parties")
        .iter()
        .find(|p| p["role"] == "RESPONDING")
        .expect("a responding party")["id"]
        .as_str()
        .expect("id")
        .to_string()
}

/// Another case like `triaged`'s, with the people already seeded.
async fn triaged_case(app: &TestApp, level: &str) -> Procedure {
    let mut case = disclose(app, "MK-DESC").await;
    no_errors(
        case.assign(app, "cara", &case.reporter.clone(), "cara")
            .await,
    );
    no_errors(
        case.options(
            app,
            "cara",
            &["REPORT_TO_UNIVERSITY", "INFORMAL_RESOLUTION"],
            &["REPORT_TO_UNIVERSITY"],
            "s",
        )
        .await,
    );
    let v = case.version_as(app, "alice").await;
    no_errors(
        app.gql(
            Some("alice"),
            REPORT,
            json!({ "input": { "caseId": case.id, "expectedVersion": v, "statement": "MK-STATEMENT",
            "respondentMayBeInformed": true, "witnesses": ["SIS-wendy"] } }),
        )
        .await,
    );
    case.refresh(app).await;
    no_errors(
        app.gql(
            Some("olivia"),
            INFORM,
            json!({ "c": case.id, "p": case.respondent, "v": case.version }),
        )
        .await,
    );
    no_errors(
        case.assign(app, "olivia", &case.respondent.clone(), "colin")
            .await,
    );
    case.refresh(app).await;
    let t = data(
        app.gql(
            Some("olivia"),
            TRIAGE,
            json!({ "c": case.id, "v": case.version, "level": level }),
        )
        .await,
    );
    assert_eq!(t["triageCase"]["case"]["stage"], "TRIAGE");
    case.version = t["triageCase"]["version"].as_i64().expect("v");
    let cases = app
        .ok(
            "wendy",
            "{ myCases { edges { node { id me { id } } } } }",
            json!({}),
        )
        .await;
    let witness = cases["myCases"]["edges"]
        .as_array()
        .expect("cases")
        .iter()
        .find(|e| e["node"]["id"] == case.id.as_str())
        .expect("the witness's part in this case")["node"]["me"]["id"]
        .as_str()
        .expect("witness")
        .to_string();
    Procedure { case, witness }
}

fn data(body: Value) -> Value {
    no_errors(body)["data"].clone()
}

fn version(body: &Value, field: &str) -> i64 {
    body[field]["version"]
        .as_i64()
        .unwrap_or_else(|| panic!("no version in {body}"))
}

async fn seen(app: &TestApp, who: &str, id: &str) -> String {
    let party = app.gql(Some(who), PARTY_VIEW, json!({ "id": id })).await;
    let staff = app.gql(Some(who), STAFF_VIEW, json!({ "id": id })).await;
    format!("{party}{staff}")
}

fn expect(who: &str, text: &str, present: &[&str], absent: &[&str]) {
    for m in present {
        assert!(text.contains(m), "{who} should see {m}");
    }
    for m in absent {
        assert!(!text.contains(m), "{who} must not see {m}: {text}");
    }
}

async fn investigate(app: &TestApp, p: &mut Procedure) -> String {
    let case = &mut p.case;
    assign_staff(app, &case.id, "ian", "INVESTIGATOR").await;
    case.refresh(app).await;
    let started = data(
        app.gql(
            Some("olivia"),
            START,
            json!({ "c": case.id, "v": case.version }),
        )
        .await,
    );
    let kinds: Vec<&str> = started["startInvestigation"]["case"]["deadlines"]
        .as_array()
        .expect("d")
        .iter()
        .filter_map(|d| d["kind"].as_str())
        .collect();
    assert!(kinds.contains(&"INVESTIGATION_TARGET"), "{kinds:?}");
    no_errors(
        app.gql(
            Some("ian"),
            MEETING,
            json!({ "c": case.id, "p": case.reporter, "at": app.in_days(10) }),
        )
        .await,
    );
    let m = data(
        app.gql(
            Some("ian"),
            MEETING,
            json!({ "c": case.id, "p": case.respondent, "at": app.in_days(14) }),
        )
        .await,
    );
    let ben_meeting = m["scheduleMeeting"]["case"]["meetings"]
        .as_array()
        .expect("m")
        .iter()
        .find(|x| x["partyId"] == case.respondent.as_str())
        .expect("ben meeting")
        .clone();
    assert!(
        ben_meeting["writtenResponseDue"].is_string(),
        "R-INV-2: written response due"
    );
    no_errors(
        app.gql(
            Some("ian"),
            EVIDENCE,
            json!({ "c": case.id, "d": "MK-EVID-SHARED" }),
        )
        .await,
    );
    no_errors(
        app.gql(
            Some("ian"),
            EVIDENCE,
            json!({ "c": case.id, "d": "MK-EVID-INVESTIGATORS", "to": [] }),
        )
        .await,
    );
    no_errors(
        app.gql(
            Some("alice"),
            EVIDENCE,
            json!({ "c": case.id, "d": "MK-EVID-ALICE" }),
        )
        .await,
    );
    no_errors(app.gql(Some("ian"), STATEMENT, json!({ "c": case.id, "p": p.witness, "k": "WITNESS_STATEMENT", "b": "MK-WITNESS-STMT" })).await);
    no_errors(
        app.gql(
            Some("ben"),
            STATEMENT,
            json!({ "c": case.id, "k": "RESPONDENT_RESPONSE", "b": "MK-BEN-RESPONSE" }),
        )
        .await,
    );
    no_errors(
        app.gql(
            Some("ian"),
            RECORDING,
            json!({ "m": ben_meeting["id"], "l": "MK-REC-BEN" }),
        )
        .await,
    );
    case.refresh(app).await;
    ben_meeting["id"].as_str().expect("id").to_string()
}

const REQUEST_REVIEW: &str = r#"mutation($c: UUID!) { requestInvestigationReview(caseId: $c, grounds: "The investigator did not interview my witness") { case { reviewRequests { id status } } myCase { reviewRequests { id status } } } }"#;
const DECIDE_REVIEW: &str = r#"mutation($r: UUID!, $who: UUID) { decideInvestigationReview(requestId: $r, accept: true, reasons: "Procedural ground shown", reviewerId: $who) { case { reviewRequests { status reviewerId } } } }"#;
const COMPLETE_REVIEW: &str = r#"mutation($r: UUID!) { completeInvestigationReview(requestId: $r, outcome: "Findings stand", substantiveChange: false) { case { reviewRequests { status outcome } } } }"#;
const DECIDE_APPEAL: &str = r#"mutation($input: AppealDecisionInput!) { decideAppeal(input: $input) { case { stage appeals { status completionOfProceduresOn } outcome { removedFromRecord } sanctions { kind status } } } }"#;
