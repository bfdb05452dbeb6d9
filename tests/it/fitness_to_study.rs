//! Fitness to study (R-FTS-1, issue 17 item 2): a case referred and adjourned
//! for medical reports, held until an occupational-health assessment where
//! one is required, or ended on health grounds; medical detail only for the
//! roles the policy names, each read audited.

use misconduct_api::domain::kinds::{PersonKind, StaffRole};
use serde_json::{Value, json};

use crate::common::{Backend, TestApp};
use crate::db_test;
use crate::scenario::*;

const REFER: &str = r#"mutation($c: UUID!, $d: String!, $oh: Boolean!, $v: Int!) {
  referToFitnessToStudy(caseId: $c, medicalDetail: $d, requireOccupationalHealthAssessment: $oh, expectedVersion: $v) { version } }"#;
const ASSESS: &str = r#"mutation($c: UUID!, $d: String!) { recordOccupationalHealthAssessment(caseId: $c, medicalDetail: $d) { version } }"#;
const RESUME: &str =
    r#"mutation($c: UUID!, $v: Int!) { resumeCase(caseId: $c, expectedVersion: $v) { version } }"#;
const END: &str = r#"mutation($c: UUID!, $r: String!, $v: Int!) { endOnHealthGrounds(caseId: $c, reasons: $r, expectedVersion: $v) { version } }"#;
const SEEN: &str = r#"query($id: UUID!) { case(id: $id) { version stage pauseReason
  fitnessToStudy { kind recordedAt assessmentRequired detail } } }"#;

async fn seen(app: &TestApp, who: &str, id: &str) -> Value {
    app.gql(Some(who), SEEN, json!({ "id": id })).await
}

async fn version(app: &TestApp, id: &str) -> i64 {
    seen(app, "olivia", id).await["data"]["case"]["version"]
        .as_i64()
        .unwrap_or_default()
}

async fn detail_reads(app: &TestApp, id: &str) -> u64 {
    use entity::audit_entry;
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    let case_id: uuid::Uuid = id.parse().expect("uuid");
    audit_entry::Entity::find()
        .filter(audit_entry::Column::CaseId.eq(case_id))
        .filter(audit_entry::Column::Operation.eq("read:fitnessToStudy.detail"))
        .count(&app.db)
        .await
        .expect("audit")
}

/// Olivia refers Ben's case, requiring an assessment: it is paused for
/// HEALTH; she reads the detail (audited), the investigator sees the step
/// but not the detail, the parties and case workers nothing. Resuming is
/// refused until the assessment is recorded, then allowed.
async fn a_referral_adjourns_the_case_until_the_assessment(backend: Backend) {
    let app = TestApp::start(backend).await;
    Cast::seed(&app).await;
    let case = reported_case(&app).await;
    let id = case.id.as_str();
    assign_staff(&app, id, "ian", "INVESTIGATOR").await;

    let v = version(&app, id).await;
    let refused = app
        .gql(
            Some("ian"),
            REFER,
            json!({ "c": id, "d": "x", "oh": true, "v": v }),
        )
        .await;
    assert_eq!(code(&refused).0, "FORBIDDEN", "{refused}");
    let stranger = app
        .gql(
            Some("walter"),
            REFER,
            json!({ "c": id, "d": "x", "oh": true, "v": v }),
        )
        .await;
    assert_eq!(code(&stranger).0, "NOT_FOUND", "{stranger}");
    no_errors(
        app.gql(
            Some("olivia"),
            REFER,
            json!({ "c": id, "d": "MK-MEDICAL", "oh": true, "v": v }),
        )
        .await,
    );

    let before = detail_reads(&app, id).await;
    let olivia = no_errors(seen(&app, "olivia", id).await);
    let case_seen = &olivia["data"]["case"];
    assert_eq!(case_seen["stage"], "PAUSED");
    assert_eq!(case_seen["pauseReason"], "HEALTH");
    assert_eq!(case_seen["fitnessToStudy"][0]["kind"], "REFERRAL");
    assert_eq!(case_seen["fitnessToStudy"][0]["assessmentRequired"], true);
    assert_eq!(case_seen["fitnessToStudy"][0]["detail"], "MK-MEDICAL");
    assert!(detail_reads(&app, id).await > before, "the read is audited");

    let ian = no_errors(seen(&app, "ian", id).await);
    assert_eq!(ian["data"]["case"]["fitnessToStudy"][0]["kind"], "REFERRAL");
    assert!(ian["data"]["case"]["fitnessToStudy"][0]["detail"].is_null());
    for who in ["alice", "ben", "cara", "colin"] {
        let staff = app
            .gql(Some(who), &staff_case_query(), json!({ "id": id }))
            .await;
        let party = app
            .gql(Some(who), &party_case_query(), json!({ "id": id }))
            .await;
        let fts = app
            .gql(
                Some(who),
                "query($id: UUID!) { case(id: $id) { fitnessToStudy { kind } } }",
                json!({ "id": id }),
            )
            .await;
        let all = format!("{staff}{party}{fts}");
        assert!(
            !all.contains("MK-MEDICAL") && !all.contains("REFERRAL"),
            "{who}: {all}"
        );
    }

    let v = version(&app, id).await;
    let early = app
        .gql(Some("olivia"), RESUME, json!({ "c": id, "v": v }))
        .await;
    assert_eq!(
        code(&early),
        ("RULE_VIOLATION".into(), Some("R-FTS-1".into()))
    );
    no_errors(
        app.gql(Some("olivia"), ASSESS, json!({ "c": id, "d": "MK-OH-FIT" }))
            .await,
    );
    no_errors(
        app.gql(Some("olivia"), RESUME, json!({ "c": id, "v": v }))
            .await,
    );
    let after = no_errors(seen(&app, "olivia", id).await);
    assert_eq!(after["data"]["case"]["stage"], "REPORT_RECEIVED");
    assert_eq!(
        after["data"]["case"]["fitnessToStudy"][1]["kind"],
        "OCCUPATIONAL_HEALTH_ASSESSMENT"
    );
    app.stop().await;
}
db_test!(a_referral_adjourns_the_case_until_the_assessment);

/// Proceedings adjourned for fitness to study end on health grounds, with
/// reasons: the case closes; a case not referred cannot end that way.
async fn proceedings_end_on_health_grounds(backend: Backend) {
    let app = TestApp::start(backend).await;
    Cast::seed(&app).await;
    let case = reported_case(&app).await;
    let id = case.id.as_str();
    let v = version(&app, id).await;
    let unreferred = app
        .gql(Some("olivia"), END, json!({ "c": id, "r": "r", "v": v }))
        .await;
    assert_eq!(
        code(&unreferred),
        ("RULE_VIOLATION".into(), Some("R-FTS-1".into()))
    );
    no_errors(
        app.gql(
            Some("olivia"),
            REFER,
            json!({ "c": id, "d": "MK-MEDICAL", "oh": false, "v": v }),
        )
        .await,
    );
    let v = version(&app, id).await;
    no_errors(
        app.gql(
            Some("olivia"),
            END,
            json!({ "c": id, "r": "MK-HEALTH-GROUNDS", "v": v }),
        )
        .await,
    );
    let after = no_errors(seen(&app, "olivia", id).await);
    assert_eq!(after["data"]["case"]["stage"], "CLOSED");
    assert_eq!(
        after["data"]["case"]["fitnessToStudy"][1]["detail"],
        "MK-HEALTH-GROUNDS"
    );
    // The committee's statistics count it as ended on health grounds.
    let today = app.today().to_string();
    let stats = app
        .ok(
            "bea",
            "query($d: NaiveDate!) { statistics(from: $d, to: $d) { byOutcome { key } } }",
            json!({ "d": today }),
        )
        .await;
    assert_eq!(
        stats["statistics"]["byOutcome"],
        json!([{ "key": "HEALTH_GROUNDS" }]),
        "{stats}"
    );
    // Ben's own health data is in his subject access export; not in Alice's.
    app.person(
        "dora",
        PersonKind::Staff,
        &[StaffRole::DataProtectionOfficer],
    )
    .await;
    let export = |who: String| {
        let app = &app;
        async move {
            app.ok(
                "dora",
                "query($p: UUID!) { subjectAccessExport(personId: $p) { readable } }",
                json!({ "p": who }),
            )
            .await["subjectAccessExport"]["readable"]
                .to_string()
        }
    };
    let his = export(person_id(&app, "ben").await).await;
    assert!(
        his.contains("MK-MEDICAL") && his.contains("MK-HEALTH-GROUNDS"),
        "{his}"
    );
    let hers = export(person_id(&app, "alice").await).await;
    assert!(!hers.contains("MK-MEDICAL"), "{hers}");
    app.stop().await;
}
db_test!(proceedings_end_on_health_grounds);
