//! Risk assessments and precautionary measures (R-MEA-1…7): the lifecycle,
//! who may act, review dates as deadlines, and what each party sees.

use misconduct_api::domain::kinds::{PersonKind, StaffRole};
use misconduct_api::policy::Policy;
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

use crate::common::{Backend, TestApp};
use crate::db_test;
use crate::scenario::*;

mod before_report;
mod lifecycle;
mod refusals;
mod scope;

const RISK: &str =
    r#"mutation($input: RiskAssessmentInput!) { recordRiskAssessment(input: $input) }"#;
const RECOMMEND: &str = r#"mutation($input: MeasureInput!) { recommendMeasure(input: $input) { measureId version measure { status reviewDue } } }"#;
const AUTHORISE: &str = r#"mutation($m: UUID!, $v: Int!, $a: ApprovalInput) { authoriseMeasure(measureId: $m, expectedVersion: $v, approval: $a) { version measure { status approvalBy } } }"#;
const IN_FORCE: &str = r#"mutation($m: UUID!, $v: Int!) { bringMeasureIntoForce(measureId: $m, expectedVersion: $v) { version measure { status } } }"#;
const EARLY: &str = r#"mutation($m: UUID!, $v: Int!) { requestMeasureReview(measureId: $m, materialChange: "I have moved out of the hall", expectedVersion: $v) { version measure { status reviewDue } } }"#;
const REPRESENT: &str = r#"mutation($m: UUID!, $v: Int!) { submitMeasureRepresentations(measureId: $m, representations: "My lab is in that building", expectedVersion: $v) { version measure { status } } }"#;
const NON_COMPLIANCE: &str = r#"mutation($m: UUID!, $v: Int!) { recordMeasureNonCompliance(measureId: $m, details: "Seen in the library", expectedVersion: $v) { version measure { reviewDue } } }"#;
const REVIEW: &str = r#"mutation($input: ReviewMeasureInput!) { reviewMeasure(input: $input) { version measure { status sites history { action } } } }"#;
const MINE: &str = r#"query($id: UUID!) { myCase(id: $id) { measuresInPlace measuresOnMe { id kind status sites reviewDue howToMakeRepresentations } } myNotifications { nodes { kind message } } }"#;
const DEADLINES: &str = r#"{ deadlines(dueWithinWorkingDays: 60) { nodes { kind rule dueOn overdue caseReference subjectId } } }"#;

async fn safeguarding_cast(app: &TestApp) -> Case {
    Cast::seed(app).await;
    app.person("chris", PersonKind::Staff, &[StaffRole::CfcMember])
        .await;
    app.person("dee", PersonKind::Staff, &[StaffRole::DecisionMaker])
        .await;
    let mut case = reported_case(app).await;
    // Triage refers the case to the CfC group (R-TRI-3); Dee decides it.
    no_errors(
        app.gql(
            Some("olivia"),
            TRIAGE,
            json!({ "c": case.id, "v": case.version }),
        )
        .await,
    );
    assign_staff(app, &case.id, "dee", "DECISION_MAKER").await;
    case.refresh(app).await;
    case
}

const TRIAGE: &str = r#"mutation($c: UUID!, $v: Int!) { triageCase(caseId: $c, expectedVersion: $v,
  allegedBreaches: [{ description: "Harassment", level: HIGH }]) { version } }"#;

fn exclusion(app: &TestApp, case: &Case, consent: bool) -> Value {
    json!({ "input": { "caseId": case.id, "kind": "EXCLUSION", "subjectPartyIds": [case.respondent],
        "sites": ["MK-SITE Library"], "details": "MK-MEASURE-DETAIL", "startsOn": app.today().to_string(),
        "reportingPartyConsent": consent } })
}

fn risk(case: &Case, imminent: bool) -> Value {
    json!({ "input": { "caseId": case.id, "natureOfIncident": "MK-RISK-NATURE",
        "impacts": [{ "partyId": case.reporter, "impact": "MK-RISK-IMPACT" }], "organisationalRisk": "MK-RISK-ORG",
        "riskLevel": "HIGH", "significantImminentRisk": imminent, "participants": ["MK-RISK-PARTICIPANT"] } })
}

fn data(body: Value) -> Value {
    no_errors(body)["data"].clone()
}
