//! A reported case built through the API, step by step, as the portals would.

#![allow(dead_code)]

use misconduct_api::domain::kinds::{PersonKind, StaffRole};
use serde_json::{Value, json};

use crate::common::TestApp;

pub const RECORD: &str = r#"mutation($input: RecordDisclosureInput!) {
  recordDisclosure(input: $input) { caseId version reference
    myCase { me { id } otherParties { id role } }
    case { parties { id role } } } }"#;

pub const ASSIGN: &str = r#"mutation($c: UUID!, $p: UUID!, $w: UUID!) {
  assignCaseWorker(caseId: $c, partyId: $p, caseWorkerId: $w) { version } }"#;

pub const OPTIONS: &str = r#"mutation($input: OptionsConversationInput!) {
  recordOptionsConversation(input: $input) { version } }"#;

pub const NOTE: &str = r#"mutation($c: UUID!, $p: UUID!, $b: String!, $s: Boolean!) {
  addSupportNote(caseId: $c, partyId: $p, body: $b, sharedWithParty: $s) { version } }"#;

pub const ARRANGE_SUPPORT: &str = r#"mutation($input: SupportiveMeasureInput!) {
  arrangeSupportiveMeasure(input: $input) { version
    case { parties { id supportiveMeasures { id kind details status until reviewDue version } } } } }"#;

pub const REVIEW_SUPPORT: &str = r#"mutation($input: ReviewSupportiveMeasureInput!) {
  reviewSupportiveMeasure(input: $input) { version
    case { parties { id supportiveMeasures { id status reviewDue lastReviewedOn endedOn endReason version } } } } }"#;

pub const REPORT: &str = r#"mutation($input: FormalReportInput!) {
  submitFormalReport(input: $input) { version myCase { progress } case { stage } } }"#;

pub const INFORM: &str = r#"mutation($c: UUID!, $p: UUID!, $v: Int!) {
  informRespondingParty(caseId: $c, partyId: $p, expectedVersion: $v) { version } }"#;

pub const CONSENT: &str = r#"mutation($c: UUID!, $p: UUID!, $d: Department!, $g: Boolean!) {
  recordSharingConsent(caseId: $c, partyId: $p, department: $d, granted: $g) { version } }"#;

pub const SHARE: &str = r#"mutation($c: UUID!, $p: UUID!, $d: Department!, $t: String!) {
  shareInformation(caseId: $c, partyId: $p, department: $d, details: $t) { version } }"#;

/// Everything about a case a client could ask for, staff view.
pub const STAFF_CASE_FIELDS: &str = r#"
  id reference version stage progress nextStages policyVersion pauseReason inIntakeQueue
  disclosure { channel categories incidentDate anonymous historic policeCaseOngoing description }
  report { submittedAt statement desiredOutcome respondentMayBeInformed }
  parties { ...P }
  riskAssessments { assessedOn natureOfIncident impacts { partyId impact } organisationalRisk riskLevel significantImminentRisk participants }
  measures { ...M }
  timeline { at kind progress fromStage toStage reason }"#;

/// Everything about a case a client could ask for, party view.
pub const PARTY_CASE_FIELDS: &str = r#"
  id reference version myRole progress
  disclosure { channel categories description }
  report { submittedAt statement desiredOutcome respondentMayBeInformed }
  me { ...P }
  otherParties { ...P }
  measuresInPlace
  measuresOnMe { ...M }
  timeline { at kind progress fromStage toStage reason }"#;

pub const PARTY_FIELDS: &str = r#"
fragment P on PartyView {
  id role name identityWithheld sisNumber informedAt
  contact { email phone }
  caseWorkers { id displayName email }
  supportNotes { body sharedWithParty }
  optionsConversations { summary optionsOffered optionsChosen }
  sharingConsents { department granted }
  informationShares { department details }
  irreversibleActions
  contactAttempts { method studentResponded }
  supportiveMeasures { kind details status until reviewDue endReason arrangedBy { displayName } }
}
fragment M on Measure {
  id kind status mutual sites details startsOn endsOn reviewDue version reportingPartyConsent approvalBy
  subjects { id name } protectedParties { id name }
  history { action statusAfter detail reviewDue }
}"#;

/// Every list a viewer might use to reach a case, in one request.
/// Every field of every case in the lists. A page of 10 keeps the query
/// within the complexity limit (each item's fields are counted per item);
/// no test here makes more than a few cases.
pub fn everything_query() -> String {
    format!(
        "query {{ cases(first: 10) {{ edges {{ node {{ {STAFF_CASE_FIELDS} }} }} }} \
         myCases(first: 10) {{ edges {{ node {{ {PARTY_CASE_FIELDS} }} }} }} \
         forwardedDisclosures {{ nodes {{ reference atLeastTwoContactAttempts studentResponded }} }} }} {PARTY_FIELDS}"
    )
}

pub fn staff_case_query() -> String {
    format!("query($id: UUID!) {{ case(id: $id) {{ {STAFF_CASE_FIELDS} }} }} {PARTY_FIELDS}")
}

pub fn party_case_query() -> String {
    format!("query($id: UUID!) {{ myCase(id: $id) {{ {PARTY_CASE_FIELDS} }} }} {PARTY_FIELDS}")
}

/// People of a typical case: a reporting and a responding student, a case
/// worker for each, a conduct officer, and bystanders who must see nothing.
pub struct Cast;

impl Cast {
    pub async fn seed(app: &TestApp) -> Cast {
        app.person("alice", PersonKind::Student, &[]).await;
        app.person("ben", PersonKind::Student, &[]).await;
        app.person("walter", PersonKind::Student, &[]).await;
        app.person("cara", PersonKind::Staff, &[StaffRole::CaseWorker])
            .await;
        app.person("colin", PersonKind::Staff, &[StaffRole::CaseWorker])
            .await;
        app.person("olivia", PersonKind::Staff, &[StaffRole::ConductOfficer])
            .await;
        app.person("ian", PersonKind::Staff, &[StaffRole::Investigator])
            .await;
        app.person("ada", PersonKind::Staff, &[StaffRole::Admin])
            .await;
        app.person("bea", PersonKind::Staff, &[StaffRole::BiAnalyst])
            .await;
        app.person("sis", PersonKind::Staff, &[StaffRole::SisIntegration])
            .await;
        app.person("pat", PersonKind::Staff, &[]).await;
        Cast
    }
}

pub async fn person_id(app: &TestApp, subject: &str) -> String {
    let data = app.ok(subject, "{ me { id } }", json!({})).await;
    data["me"]["id"].as_str().expect("id").to_string()
}

/// A case as it stands after each step, with the ids tests need.
pub struct Case {
    pub id: String,
    pub version: i64,
    pub reporter: String,
    pub respondent: String,
}

/// Alice discloses about Ben (by SIS number), with the given description.
pub async fn disclose(app: &TestApp, description: &str) -> Case {
    let data = app
        .ok(
            "alice",
            RECORD,
            json!({ "input": {
                "categories": ["SEXUAL_HARASSMENT"],
                "description": description,
                "respondents": [{ "sisNumber": "SIS-ben" }]
            }}),
        )
        .await;
    let p = &data["recordDisclosure"];
    Case {
        id: p["caseId"].as_str().expect("case id").into(),
        version: p["version"].as_i64().expect("version"),
        reporter: p["myCase"]["me"]["id"].as_str().expect("reporter").into(),
        respondent: p["myCase"]["otherParties"][0]["id"]
            .as_str()
            .expect("respondent")
            .into(),
    }
}

impl Case {
    pub async fn refresh(&mut self, app: &TestApp) {
        let data = app
            .ok(
                "olivia",
                "query($id: UUID!) { case(id: $id) { version } }",
                json!({ "id": self.id }),
            )
            .await;
        if let Some(v) = data["case"]["version"].as_i64() {
            self.version = v;
        }
    }

    pub async fn version_as(&self, app: &TestApp, subject: &str) -> i64 {
        let data = app
            .ok(
                subject,
                "query($id: UUID!) { myCase(id: $id) { version } }",
                json!({ "id": self.id }),
            )
            .await;
        data["myCase"]["version"].as_i64().expect("version")
    }

    pub async fn assign(&self, app: &TestApp, by: &str, party: &str, worker: &str) -> Value {
        let w = person_id(app, worker).await;
        app.gql(
            Some(by),
            ASSIGN,
            json!({ "c": self.id, "p": party, "w": w }),
        )
        .await
    }

    pub async fn options(
        &self,
        app: &TestApp,
        by: &str,
        offered: &[&str],
        chosen: &[&str],
        summary: &str,
    ) -> Value {
        app.gql(
            Some(by),
            OPTIONS,
            json!({ "input": { "caseId": self.id, "partyId": self.reporter, "optionsOffered": offered, "optionsChosen": chosen, "summary": summary } }),
        )
        .await
    }

    pub async fn report(
        &self,
        app: &TestApp,
        by: &str,
        statement: &str,
        may_inform: bool,
        version: i64,
    ) -> Value {
        app.gql(
            Some(by),
            REPORT,
            json!({ "input": { "caseId": self.id, "expectedVersion": version, "statement": statement,
                    "desiredOutcome": "MK-OUTCOME", "respondentMayBeInformed": may_inform } }),
        )
        .await
    }
}

/// Alice discloses, Cara supports her, the options conversation chooses a
/// report, Alice reports, Olivia informs Ben and Colin supports him.
pub async fn reported_case(app: &TestApp) -> Case {
    let mut case = disclose(app, "MK-DESC").await;
    no_errors(
        case.assign(app, "cara", &case.reporter.clone(), "cara")
            .await,
    );
    no_errors(
        case.options(
            app,
            "cara",
            &["SUPPORT_ONLY", "REPORT_TO_UNIVERSITY"],
            &["REPORT_TO_UNIVERSITY"],
            "MK-OPTIONS-R",
        )
        .await,
    );
    let v = case.version_as(app, "alice").await;
    no_errors(case.report(app, "alice", "MK-STATEMENT", true, v).await);
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
    case
}

pub fn no_errors(body: Value) -> Value {
    assert!(body.get("errors").is_none(), "unexpected errors: {body}");
    body
}

pub fn code(body: &Value) -> (String, Option<String>) {
    let err = &body["errors"][0];
    assert!(!err.is_null(), "expected an error, got {body}");
    (
        err["extensions"]["code"].as_str().unwrap_or("").into(),
        err["extensions"]["rule"].as_str().map(String::from),
    )
}

pub const ASSIGN_STAFF: &str = r#"mutation($c: UUID!, $p: UUID!, $r: StaffRole!) { assignStaff(caseId: $c, personId: $p, role: $r) { version } }"#;

/// The conduct team (Olivia) assigns `who` to the case in `role`
/// (e.g. `"DECISION_MAKER"`).
pub async fn assign_staff(app: &TestApp, case_id: &str, who: &str, role: &str) {
    no_errors(
        app.gql(
            Some("olivia"),
            ASSIGN_STAFF,
            json!({ "c": case_id, "p": person_id(app, who).await, "r": role }),
        )
        .await,
    );
}

/// A policy under its own version, with `replace` applied to Leicester's.
pub fn policy_file(version: &str, replace: &[(&str, &str)]) -> String {
    let mut text = misconduct_api::policy::LEICESTER_DEFAULT.replace(
        "version = \"leicester-2025.11\"",
        &format!("version = \"{version}\""),
    );
    for (from, to) in replace {
        assert!(text.contains(from), "policy has {from}");
        text = text.replace(from, to);
    }
    let dir = std::env::temp_dir().join(format!("policy-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).expect("dir");
    let file = dir.join("policy.toml");
    std::fs::write(&file, &text).expect("write");
    file.display().to_string()
}
