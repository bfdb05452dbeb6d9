//! The disciplinary procedure end to end (issue 3): whole cases walked through
//! the API with a token per role, what each party sees at each stage, the time
//! rules and the refusals.

use chrono::{Datelike, Duration, Utc};
use misconduct_api::domain::kinds::{PersonKind, StaffRole};
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

use crate::common::{Backend, TestApp};
use crate::db_test;
use crate::scenario::*;

const TRIAGE: &str = r#"mutation($c: UUID!, $v: Int!, $level: Classification!) { triageCase(caseId: $c, expectedVersion: $v,
  allegedBreaches: [{ description: "Harassment (Reg. 9)", level: MEDIUM }, { description: "Sexual misconduct", level: $level }]) { version case { stage triage { classification routedTo cfcReferredAt } } } }"#;
const ASSIGN_STAFF: &str = r#"mutation($c: UUID!, $p: UUID!, $r: StaffRole!) { assignStaff(caseId: $c, personId: $p, role: $r) { version } }"#;
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
            "{ myNotifications { kind message } myCommunications(first: 100) { kind subject body } }",
            json!({}),
        )
        .await;
    let text = data.to_string();
    assert!(!text.contains("MK-"), "case content in a notice: {text}");
    let count = |list: &str, pred: &dyn Fn(&Value) -> bool| {
        data[list]
            .as_array()
            .expect("list")
            .iter()
            .filter(|n| pred(n))
            .count()
    };
    let in_app = count("myNotifications", &|n| n["kind"] == kind);
    let messages: Vec<String> = data["myNotifications"]
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

/// A reported case with Wendy as witness, triaged as `level`.
async fn triaged(app: &TestApp, level: &str) -> Procedure {
    Cast::seed(app).await;
    staff(app).await;
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
    let witness = app
        .ok(
            "wendy",
            "{ myCases { edges { node { me { id } } } } }",
            json!({}),
        )
        .await["myCases"]["edges"][0]["node"]["me"]["id"]
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

fn in_days(days: i64) -> String {
    (Utc::now() + Duration::days(days)).to_rfc3339()
}

async fn investigate(app: &TestApp, p: &mut Procedure) -> String {
    let case = &mut p.case;
    no_errors(
        app.gql(
            Some("olivia"),
            ASSIGN_STAFF,
            json!({ "c": case.id, "p": person_id(app, "ian").await, "r": "INVESTIGATOR" }),
        )
        .await,
    );
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
            json!({ "c": case.id, "p": case.reporter, "at": in_days(10) }),
        )
        .await,
    );
    let m = data(
        app.gql(
            Some("ian"),
            MEETING,
            json!({ "c": case.id, "p": case.respondent, "at": in_days(14) }),
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

async fn a_case_runs_from_report_to_completion_of_procedures(backend: Backend) {
    let app = TestApp::start(backend).await;
    let mut p = triaged(&app, "HIGH").await;
    let staff = app
        .ok("olivia", STAFF_VIEW, json!({ "id": p.case.id }))
        .await;
    assert_eq!(
        staff["case"]["triage"]["classification"], "HIGH",
        "R-TRI-1: the highest level wins"
    );
    assert_eq!(
        staff["case"]["triage"]["routedTo"], "DECISION_MAKER",
        "R-TRI-2: routed by policy"
    );
    investigate(&app, &mut p).await;
    let id = p.case.id.clone();

    // (f) Under investigation: who sees which material.
    let all = [
        "MK-EVID-SHARED",
        "MK-EVID-INVESTIGATORS",
        "MK-EVID-ALICE",
        "MK-WITNESS-STMT",
        "MK-BEN-RESPONSE",
        "MK-REC-BEN",
    ];
    let only = |keep: &[&'static str]| -> Vec<&'static str> {
        all.iter().copied().filter(|m| !keep.contains(m)).collect()
    };
    let alice_sees = ["MK-EVID-SHARED", "MK-EVID-ALICE", "MK-WITNESS-STMT"];
    expect(
        "reporting party",
        &seen(&app, "alice", &id).await,
        &alice_sees,
        &only(&alice_sees),
    );
    let ben_sees = [
        "MK-EVID-SHARED",
        "MK-EVID-ALICE",
        "MK-WITNESS-STMT",
        "MK-BEN-RESPONSE",
        "MK-REC-BEN",
    ];
    expect(
        "responding party",
        &seen(&app, "ben", &id).await,
        &ben_sees,
        &only(&ben_sees),
    );
    expect(
        "witness",
        &seen(&app, "wendy", &id).await,
        &["MK-WITNESS-STMT"],
        &only(&["MK-WITNESS-STMT"]),
    );
    let olivia_sees = [
        "MK-EVID-SHARED",
        "MK-EVID-ALICE",
        "MK-WITNESS-STMT",
        "MK-BEN-RESPONSE",
    ];
    expect(
        "conduct officer",
        &seen(&app, "olivia", &id).await,
        &olivia_sees,
        &only(&olivia_sees),
    );
    expect("investigator", &seen(&app, "ian", &id).await, &all, &[]);
    expect(
        "reporting party's case worker",
        &seen(&app, "cara", &id).await,
        &["MK-EVID-SHARED", "MK-EVID-ALICE"],
        &["MK-EVID-INVESTIGATORS", "MK-BEN-RESPONSE", "MK-REC-BEN"],
    );

    // Investigation report → decision → referred to a panel.
    let r = data(
        app.gql(
            Some("ian"),
            REPORT_INV,
            json!({ "c": id, "v": p.case.version, "f": "BREACH" }),
        )
        .await,
    );
    assert_eq!(r["issueInvestigationReport"]["case"]["stage"], "DECISION");
    expect(
        "reporting party",
        &seen(&app, "alice", &id).await,
        &["MK-INV-SUMMARY"],
        &[],
    );
    expect(
        "responding party",
        &seen(&app, "ben", &id).await,
        &["MK-INV-SUMMARY"],
        &[],
    );
    expect(
        "witness",
        &seen(&app, "wendy", &id).await,
        &[],
        &["MK-INV-SUMMARY"],
    );
    let body = app
        .gql(
            Some("olivia"),
            ASSIGN_STAFF,
            json!({ "c": id, "p": person_id(&app, "ian").await, "r": "DECISION_MAKER" }),
        )
        .await;
    assert_eq!(
        code(&body).0,
        "VALIDATION",
        "the investigator does not hold the decision maker role"
    );
    app.person(
        "ida",
        PersonKind::Staff,
        &[StaffRole::DecisionMaker, StaffRole::Investigator],
    )
    .await;
    no_errors(
        app.gql(
            Some("olivia"),
            ASSIGN_STAFF,
            json!({ "c": id, "p": person_id(&app, "ida").await, "r": "INVESTIGATOR" }),
        )
        .await,
    );
    let body = app
        .gql(
            Some("olivia"),
            ASSIGN_STAFF,
            json!({ "c": id, "p": person_id(&app, "ida").await, "r": "DECISION_MAKER" }),
        )
        .await;
    assert_eq!(
        code(&body),
        ("RULE_VIOLATION".into(), Some("R-IND-3".into())),
        "an investigator on the case cannot decide it"
    );
    no_errors(
        app.gql(
            Some("olivia"),
            ASSIGN_STAFF,
            json!({ "c": id, "p": person_id(&app, "dee").await, "r": "DECISION_MAKER" }),
        )
        .await,
    );
    p.case.refresh(&app).await;
    let d = data(app.gql(Some("dee"), DECIDE, json!({ "input": { "caseId": id, "expectedVersion": p.case.version, "option": "REFER_TO_PANEL", "reasons": "Serious allegations" } })).await);
    assert_eq!(d["recordDecision"]["case"]["stage"], "HEARING");

    // Panel of three uninvolved members; summons with notice; the student responds.
    let members: Vec<String> = [
        person_id(&app, "p1").await,
        person_id(&app, "p2").await,
        person_id(&app, "p3").await,
    ]
    .to_vec();
    let body = app
        .gql(Some("olivia"), PANEL, json!({ "c": id, "m": members[..2] }))
        .await;
    assert_eq!(
        code(&body).1.as_deref(),
        Some("R-HEA-3"),
        "a panel has three members"
    );
    no_errors(
        app.gql(Some("olivia"), PANEL, json!({ "c": id, "m": members }))
            .await,
    );
    let summons = |days: i64| {
        json!({ "input": { "caseId": id, "scheduledAt": in_days(days), "location": "Council Room", "alleged_breaches": null,
        "allegedBreaches": "Sexual misconduct (Reg. 9)", "penaltyRange": "Reprimand to expulsion", "proposedPenalty": "MK-PROPOSED expulsion" } })
    };
    let body = app.gql(Some("olivia"), SUMMON, summons(2)).await;
    assert!(body.get("errors").is_some());
    let s = app.gql(Some("olivia"), SUMMON, json!({ "input": { "caseId": id, "scheduledAt": in_days(2), "location": "Council Room",
        "allegedBreaches": "Sexual misconduct (Reg. 9)", "penaltyRange": "Reprimand to expulsion", "proposedPenalty": "MK-PROPOSED expulsion" } })).await;
    assert_eq!(
        code(&s).1.as_deref(),
        Some("R-HEA-1"),
        "five working days' notice"
    );
    let s = data(app.gql(Some("olivia"), SUMMON, json!({ "input": { "caseId": id, "scheduledAt": in_days(21), "location": "Council Room",
        "allegedBreaches": "Sexual misconduct (Reg. 9)", "penaltyRange": "Reprimand to expulsion", "proposedPenalty": "MK-PROPOSED expulsion" } })).await);
    let hearing = s["summonToHearing"]["case"]["hearings"][0]["id"]
        .as_str()
        .expect("hearing")
        .to_string();
    expect(
        "responding party",
        &seen(&app, "ben", &id).await,
        &["MK-PROPOSED", "HEARING_RESPONSE"],
        &[],
    );
    expect(
        "reporting party",
        &seen(&app, "alice", &id).await,
        &[],
        &["MK-PROPOSED"],
    );
    // The summons is also a notice, in the app and by e-mail, with none of its content.
    assert_eq!(notices(&app, "ben", "HEARING_SUMMONS").await, 1);
    assert_eq!(notices(&app, "alice", "HEARING_SUMMONS").await, 0);
    no_errors(app.gql(Some("ben"), RESPOND, json!({ "h": hearing })).await);

    // Majority decision: breach, expulsion by the panel.
    p.case.refresh(&app).await;
    let votes = json!([{ "memberId": members[0], "breach": true }, { "memberId": members[1], "breach": true }, { "memberId": members[2], "breach": false }]);
    let expel = json!([{ "partyId": p.case.respondent, "kind": "EXPULSION", "justification": "MK-JUST serious and repeated", "whyNotLesser": "Risk to others" }]);
    let body = app.gql(Some("dee"), HEARING_DECISION, json!({ "input": { "hearingId": hearing, "expectedVersion": p.case.version, "votes": votes, "reasons": "MK-OUTCOME-REASONS", "sanctions": expel } })).await;
    assert_eq!(
        code(&body).0,
        "FORBIDDEN",
        "only the panel records its decision"
    );
    let h = data(app.gql(Some("p1"), HEARING_DECISION, json!({ "input": { "hearingId": hearing, "expectedVersion": p.case.version, "votes": votes, "reasons": "MK-OUTCOME-REASONS", "sanctions": expel } })).await);
    assert_eq!(h["recordHearingDecision"]["case"]["stage"], "OUTCOME");
    assert_eq!(notices(&app, "ben", "OUTCOME_RECORDED").await, 1);
    assert_eq!(notices(&app, "alice", "OUTCOME_RECORDED").await, 0);
    // R-OUT-2: the reporting party does not learn the outcome while appeals are open.
    expect(
        "reporting party",
        &seen(&app, "alice", &id).await,
        &[],
        &["MK-OUTCOME-REASONS", "EXPULSION", "MK-JUST"],
    );
    expect(
        "responding party",
        &seen(&app, "ben", &id).await,
        &[
            "MK-OUTCOME-REASONS",
            "EXPULSION",
            "MK-JUST",
            "APPEAL_WINDOW",
        ],
        &[],
    );
    let ben = app.ok("ben", PARTY_VIEW, json!({ "id": id })).await;
    assert_eq!(
        ben["myCase"]["hearings"][0]["votes"],
        json!([]),
        "deliberations stay with the panel"
    );
    expect(
        "witness",
        &seen(&app, "wendy", &id).await,
        &[],
        &["MK-OUTCOME-REASONS", "EXPULSION"],
    );

    // Appeal: only Ben, with grounds; the reviewer rejects → Completion of Procedures.
    let body = app
        .gql(
            Some("alice"),
            LODGE,
            json!({ "c": id, "g": ["UNREASONABLE_DECISION"] }),
        )
        .await;
    assert_eq!(
        code(&body).1.as_deref(),
        Some("R-APP-1"),
        "a reporting party cannot appeal"
    );
    let body = app
        .gql(
            Some("colin"),
            LODGE,
            json!({ "c": id, "g": ["UNREASONABLE_DECISION"] }),
        )
        .await;
    assert_eq!(
        code(&body).1.as_deref(),
        Some("R-APP-1"),
        "not on anyone's behalf: {body}"
    );
    let body = app
        .gql(Some("ben"), LODGE, json!({ "c": id, "g": [] }))
        .await;
    assert_eq!(
        code(&body).1.as_deref(),
        Some("R-APP-2"),
        "at least one ground"
    );
    let a = data(
        app.gql(
            Some("ben"),
            LODGE,
            json!({ "c": id, "g": ["EXCESSIVE_SANCTION"] }),
        )
        .await,
    );
    let appeal = a["lodgeAppeal"]["myCase"]["appeals"][0]["id"]
        .as_str()
        .expect("appeal")
        .to_string();
    no_errors(
        app.gql(
            Some("olivia"),
            ASSIGN_STAFF,
            json!({ "c": id, "p": person_id(&app, "rex").await, "r": "APPEAL_REVIEWER" }),
        )
        .await,
    );
    p.case.refresh(&app).await;
    let r = data(app.gql(Some("rex"), REVIEW_APPEAL, json!({ "input": { "appealId": appeal, "expectedVersion": p.case.version, "decision": "REJECT", "reasons": "No grounds shown" } })).await);
    let c = &r["reviewAppeal"]["case"];
    assert_eq!(c["stage"], "CLOSED");
    let today = Utc::now().date_naive();
    assert_eq!(
        c["appeals"][0]["completionOfProceduresOn"],
        today.to_string()
    );
    let oiahe = today.with_year(today.year() + 1).unwrap_or(today);
    assert_eq!(
        c["appeals"][0]["oiaheDeadline"],
        oiahe.to_string(),
        "OIAHE complaint within 12 months"
    );

    // Appeals concluded: now the reporting party learns the outcome (not the justification).
    expect(
        "reporting party",
        &seen(&app, "alice", &id).await,
        &["MK-OUTCOME-REASONS", "EXPULSION"],
        &["MK-JUST", "MK-REC-BEN", "MK-BEN-RESPONSE"],
    );
    // R-APP-4: an informal review is recorded and changes nothing.
    no_errors(app.gql(Some("alice"), "mutation($c: UUID!) { requestInformalReview(caseId: $c, request: \"I was not kept informed\") { version } }", json!({ "c": id })).await);
    let after = app.ok("alice", PARTY_VIEW, json!({ "id": id })).await;
    assert_eq!(after["myCase"]["reviewRequests"][0]["status"], "RECORDED");
    assert_eq!(after["myCase"]["outcome"]["reasons"], "MK-OUTCOME-REASONS");
    app.stop().await;
}
db_test!(a_case_runs_from_report_to_completion_of_procedures);

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
    let earlier = (Utc::now() - Duration::days(10))
        .format("%Y-%m-%d %H:%M:%S")
        .to_string();
    let sql = format!("UPDATE timeline_event SET at = '{earlier}+00:00' WHERE to_stage = 'PAUSED'");
    let sql = if matches!(backend, Backend::Postgres) {
        sql.replace("+00:00'", "+00:00'::timestamptz")
    } else {
        sql
    };
    app.db.execute_unprepared(&sql).await.expect("time passes");
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
    let paused_days = calendar.working_days_between(
        (Utc::now() - Duration::days(10)).date_naive(),
        Utc::now().date_naive(),
    );
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
    no_errors(
        app.gql(
            Some("olivia"),
            ASSIGN_STAFF,
            json!({ "c": id, "p": person_id(&app, "dee").await, "r": "DECISION_MAKER" }),
        )
        .await,
    );
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
    let c = data(app.gql(Some("olivia"), "mutation($c: UUID!, $v: Int!) { completeInformalResolution(caseId: $c, outcome: \"Apology given\", expectedVersion: $v) { case { stage } } }", json!({ "c": id, "v": v })).await);
    assert_eq!(c["completeInformalResolution"]["case"]["stage"], "CLOSED");
    app.stop().await;
}
db_test!(informal_resolution_needs_consent_and_a_judgement);

async fn a_summons_response_date_skips_bank_holidays_and_closure_days(backend: Backend) {
    // A hearing on 5 January two years ahead; the institution is closed 29–31 December before it.
    let year = Utc::now().year() + 2;
    let closures = format!(
        "closure_days = [\"{y}-12-29\", \"{y}-12-30\", \"{y}-12-31\"]",
        y = year - 1
    );
    let text = misconduct_api::policy::LEICESTER_DEFAULT.replace(
        "version = \"leicester-2025.2\"",
        "version = \"test-closures\"",
    );
    let start = text.find("closure_days = [").expect("closure days");
    let end = start + text[start..].find(']').expect("end") + 1;
    let text = format!("{}{}{}", &text[..start], closures, &text[end..]);
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
    no_errors(
        app.gql(
            Some("olivia"),
            ASSIGN_STAFF,
            json!({ "c": id, "p": person_id(&app, "dee").await, "r": "DECISION_MAKER" }),
        )
        .await,
    );
    p.case.refresh(&app).await;
    no_errors(app.gql(Some("olivia"), "mutation($c: UUID!, $v: Int!) { recordConviction(caseId: $c, details: \"Convicted at Crown Court\", expectedVersion: $v) { version } }", json!({ "c": id, "v": p.case.version })).await);
    p.case.refresh(&app).await;
    data(app.gql(Some("dee"), DECIDE, json!({ "input": { "caseId": id, "expectedVersion": p.case.version, "option": "REFER_TO_PANEL", "reasons": "Conviction (R-INV-5)" } })).await);
    let members = [
        person_id(&app, "p1").await,
        person_id(&app, "p2").await,
        person_id(&app, "p3").await,
    ];
    no_errors(
        app.gql(Some("olivia"), PANEL, json!({ "c": id, "m": members }))
            .await,
    );
    let hearing_on = format!("{year}-01-05T10:00:00Z");
    let s = data(app.gql(Some("olivia"), SUMMON, json!({ "input": { "caseId": id, "scheduledAt": hearing_on, "location": "Council Room",
        "allegedBreaches": "Conduct leading to conviction", "penaltyRange": "Up to expulsion", "proposedPenalty": "Expulsion" } })).await);
    let due = s["summonToHearing"]["case"]["hearings"][0]["responseDue"]
        .as_str()
        .expect("due")
        .to_string();
    let calendar = app.config.policy.calendar();
    let expected =
        calendar.subtract_working_days(format!("{year}-01-05").parse().expect("date"), 2);
    assert_eq!(due, expected.to_string());
    assert!(
        due < format!("{}-12-29", year - 1),
        "two working days before 5 January skip New Year's Day, the closure days and Christmas: {due}"
    );
    app.stop().await;
    let _ = std::fs::remove_dir_all(dir);
}
db_test!(a_summons_response_date_skips_bank_holidays_and_closure_days);

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
            json!({ "c": id, "p": p.case.reporter, "at": in_days(2) }),
        )
        .await;
    assert_eq!(code(&body).1.as_deref(), Some("R-INV-2"));
    no_errors(
        app.gql(
            Some("ian"),
            MEETING,
            json!({ "c": id, "p": p.case.reporter, "at": in_days(2), "agreed": true }),
        )
        .await,
    );
    let body = app
        .gql(
            Some("ian"),
            MEETING,
            json!({ "c": id, "p": p.case.respondent, "at": in_days(1), "agreed": true }),
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
            json!({ "c": id, "p": p.case.reporter, "at": in_days(10) }),
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
    app.db
        .execute_unprepared(
            "UPDATE deadline SET due_on = '2000-01-03' WHERE kind = 'INVESTIGATION_REVIEW_REQUEST'",
        )
        .await
        .expect("window passes");
    let body = app.gql(Some("ben"), "mutation($c: UUID!) { requestInvestigationReview(caseId: $c, grounds: \"Procedure not followed\") { version } }", json!({ "c": id })).await;
    assert_eq!(code(&body).1.as_deref(), Some("R-IRV-1"));
    // R-SAN-1: a decision maker cannot expel without a conviction; fines within limits; R-SAN-2 justification.
    no_errors(
        app.gql(
            Some("olivia"),
            ASSIGN_STAFF,
            json!({ "c": id, "p": person_id(&app, "dee").await, "r": "DECISION_MAKER" }),
        )
        .await,
    );
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
    app.db
        .execute_unprepared("UPDATE procedure SET appeal_window_ends = '2000-01-03'")
        .await
        .expect("window passes");
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

const REQUEST_REVIEW: &str = r#"mutation($c: UUID!) { requestInvestigationReview(caseId: $c, grounds: "The investigator did not interview my witness") { case { reviewRequests { id status } } myCase { reviewRequests { id status } } } }"#;
const DECIDE_REVIEW: &str = r#"mutation($r: UUID!, $who: UUID) { decideInvestigationReview(requestId: $r, accept: true, reasons: "Procedural ground shown", reviewerId: $who) { case { reviewRequests { status reviewerId } } } }"#;
const COMPLETE_REVIEW: &str = r#"mutation($r: UUID!) { completeInvestigationReview(requestId: $r, outcome: "Findings stand", substantiveChange: false) { case { reviewRequests { status outcome } } } }"#;
const DECIDE_APPEAL: &str = r#"mutation($input: AppealDecisionInput!) { decideAppeal(input: $input) { case { stage appeals { status completionOfProceduresOn } outcome { removedFromRecord } sanctions { kind status } } } }"#;

async fn reviews_deemed_acceptance_and_an_appeal_panel_that_dismisses_the_case(backend: Backend) {
    let app = TestApp::start(backend).await;
    let mut p = triaged(&app, "HIGH").await;
    for who in ["q2", "q3"] {
        app.person(who, PersonKind::Staff, &[StaffRole::PanelMember])
            .await;
    }
    investigate(&app, &mut p).await;
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
            json!({ "r": request, "who": person_id(&app, "ian").await }),
        )
        .await;
    assert_eq!(code(&body).1.as_deref(), Some("R-IND-4"));
    let d = data(
        app.gql(
            Some("olivia"),
            DECIDE_REVIEW,
            json!({ "r": request, "who": person_id(&app, "iris").await }),
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
    no_errors(
        app.gql(
            Some("olivia"),
            ASSIGN_STAFF,
            json!({ "c": id, "p": person_id(&app, "dee").await, "r": "DECISION_MAKER" }),
        )
        .await,
    );
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
    let s = data(app.gql(Some("olivia"), SUMMON, json!({ "input": { "caseId": id, "scheduledAt": in_days(21), "location": "Council Room",
        "allegedBreaches": "Sexual misconduct", "penaltyRange": "Reprimand to expulsion", "proposedPenalty": "Suspension for one term" } })).await);
    let hearing = s["summonToHearing"]["case"]["hearings"][0]["id"]
        .as_str()
        .expect("hearing")
        .to_string();
    app.db
        .execute_unprepared("UPDATE hearing SET response_due = '2000-01-03'")
        .await
        .expect("the response date passes");
    let body = app.gql(Some("ben"), RESPOND, json!({ "h": hearing })).await;
    assert_eq!(code(&body).1.as_deref(), Some("R-HEA-2"));
    p.case.refresh(&app).await;
    let votes = json!([{ "memberId": panel[0], "breach": false }, { "memberId": panel[1], "breach": false }, { "memberId": panel[2], "breach": false }]);
    let suspend = json!([{ "partyId": p.case.respondent, "kind": "SUSPENSION", "endsOn": (Utc::now() + Duration::days(90)).date_naive().to_string(),
        "justification": "Allegations deemed accepted", "whyNotLesser": "Proposed in the summons" }]);
    let body = app.gql(Some("p1"), HEARING_DECISION, json!({ "input": { "hearingId": hearing, "expectedVersion": p.case.version, "votes": votes, "reasons": "Deemed acceptance" } })).await;
    assert_eq!(
        code(&body).0,
        "VALIDATION",
        "deemed acceptance finds a breach, so a sanction is needed"
    );
    let too_long = json!([{ "partyId": p.case.respondent, "kind": "SUSPENSION", "endsOn": (Utc::now() + Duration::days(400)).date_naive().to_string(),
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
    let a = data(
        app.gql(
            Some("ben"),
            LODGE,
            json!({ "c": id, "g": ["PROCEDURAL_IRREGULARITY", "NEW_EVIDENCE"] }),
        )
        .await,
    );
    let appeal = a["lodgeAppeal"]["myCase"]["appeals"][0]["id"]
        .as_str()
        .expect("appeal")
        .to_string();
    no_errors(
        app.gql(
            Some("olivia"),
            ASSIGN_STAFF,
            json!({ "c": id, "p": person_id(&app, "rex").await, "r": "APPEAL_REVIEWER" }),
        )
        .await,
    );
    p.case.refresh(&app).await;
    data(app.gql(Some("rex"), REVIEW_APPEAL, json!({ "input": { "appealId": appeal, "expectedVersion": p.case.version, "decision": "REFER_TO_PANEL", "reasons": "Arguable" } })).await);
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

async fn previous_sanctions_are_shown_to_whoever_decides(backend: Backend) {
    let app = TestApp::start(backend).await;
    let mut first = triaged(&app, "MEDIUM").await;
    let id = first.case.id.clone();
    no_errors(app.gql(Some("olivia"), "mutation($c: UUID!, $v: Int!) { recordConviction(caseId: $c, details: \"Caution accepted\", expectedVersion: $v) { version } }", json!({ "c": id, "v": first.case.version })).await);
    no_errors(
        app.gql(
            Some("olivia"),
            ASSIGN_STAFF,
            json!({ "c": id, "p": person_id(&app, "dee").await, "r": "DECISION_MAKER" }),
        )
        .await,
    );
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
    no_errors(
        app.gql(
            Some("olivia"),
            ASSIGN_STAFF,
            json!({ "c": second.id, "p": person_id(&app, "dan").await, "r": "DECISION_MAKER" }),
        )
        .await,
    );
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
    for case in [&mut first.case, &mut second] {
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
        no_errors(
            app.gql(
                Some("olivia"),
                ASSIGN_STAFF,
                json!({ "c": case.id, "p": person_id(&app, "dee").await, "r": "DECISION_MAKER" }),
            )
            .await,
        );
        case.refresh(&app).await;
        data(app.gql(Some("dee"), DECIDE, json!({ "input": { "caseId": case.id, "expectedVersion": case.version, "option": "REFER_TO_PANEL", "reasons": "Related incidents" } })).await);
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
    let s = data(app.gql(Some("olivia"), SUMMON, json!({ "input": { "caseId": id1, "scheduledAt": in_days(21), "location": "Council Room",
        "allegedBreaches": "Harassment", "penaltyRange": "Reprimand to suspension", "proposedPenalty": "Formal written warning", "jointCaseIds": [second.id] } })).await);
    let hearing = s["summonToHearing"]["case"]["hearings"][0]["id"]
        .as_str()
        .expect("hearing")
        .to_string();
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
    app.db
        .execute_unprepared("UPDATE hearing SET response_due = '2000-01-03' WHERE response IS NULL")
        .await
        .expect("due date passes");
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

async fn an_expulsion_after_conviction_waits_for_the_approval_the_policy_names(backend: Backend) {
    let text = misconduct_api::policy::LEICESTER_DEFAULT
        .replace(
            "version = \"leicester-2025.2\"",
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
    no_errors(
        app.gql(
            Some("olivia"),
            ASSIGN_STAFF,
            json!({ "c": id, "p": person_id(&app, "dee").await, "r": "DECISION_MAKER" }),
        )
        .await,
    );
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
    app.db
        .execute_unprepared("UPDATE procedure SET appeal_window_ends = '2000-01-03'")
        .await
        .expect("window passes");
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
