//! Risk assessments and precautionary measures (R-MEA-1…7): the lifecycle,
//! who may act, review dates as deadlines, and what each party sees.

use misconduct_api::domain::kinds::{PersonKind, StaffRole};
use misconduct_api::policy::Policy;
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

use crate::common::{Backend, TestApp};
use crate::db_test;
use crate::scenario::*;

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
    reported_case(app).await
}

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

async fn a_measure_runs_its_course_and_the_reporting_party_is_told(backend: Backend) {
    let app = TestApp::start(backend).await;
    let case = safeguarding_cast(&app).await;
    let recommended = data(
        app.gql(Some("chris"), RECOMMEND, exclusion(&app, &case, true))
            .await,
    );
    let id = recommended["recommendMeasure"]["measureId"]
        .as_str()
        .expect("id")
        .to_string();
    assert_eq!(
        recommended["recommendMeasure"]["measure"]["status"],
        "RECOMMENDED"
    );
    let alice = app.ok("alice", MINE, json!({ "id": case.id })).await;
    assert_eq!(
        alice["myCase"]["measuresInPlace"], false,
        "a recommendation is not yet a measure in place"
    );
    let ben = app.ok("ben", MINE, json!({ "id": case.id })).await;
    assert_eq!(
        ben["myCase"]["measuresOnMe"],
        json!([]),
        "the subject is told once it is authorised"
    );

    let v = data(
        app.gql(Some("dee"), AUTHORISE, json!({ "m": id, "v": 1 }))
            .await,
    )["authoriseMeasure"]["version"]
        .as_i64()
        .expect("v");
    let v = data(
        app.gql(Some("dee"), IN_FORCE, json!({ "m": id, "v": v }))
            .await,
    )["bringMeasureIntoForce"]["version"]
        .as_i64()
        .expect("v");
    let alice = app.ok("alice", MINE, json!({ "id": case.id })).await;
    assert_eq!(alice["myCase"]["measuresInPlace"], true);
    assert_eq!(
        alice["myCase"]["measuresOnMe"],
        json!([]),
        "the exclusion binds Ben, not Alice"
    );
    assert_eq!(
        alice["myNotifications"]["nodes"].as_array().map(Vec::len),
        Some(1)
    );
    assert!(
        !alice.to_string().contains("MK-SITE") && !alice.to_string().contains("MK-MEASURE-DETAIL"),
        "only whether: {alice}"
    );

    let ben = app.ok("ben", MINE, json!({ "id": case.id })).await;
    let on_ben = &ben["myCase"]["measuresOnMe"][0];
    assert_eq!(on_ben["status"], "IN_FORCE");
    assert_eq!(on_ben["sites"], json!(["MK-SITE Library"]));
    assert!(
        on_ben["howToMakeRepresentations"]
            .as_str()
            .is_some_and(|t| t.contains("representations"))
    );
    let first_review = on_ben["reviewDue"].as_str().expect("review").to_string();

    // The review date is a deadline for safeguarding staff, not for case workers.
    let dee = app.ok("dee", DEADLINES, json!({})).await;
    assert_eq!(dee["deadlines"]["nodes"][0]["rule"], "R-MEA-4");
    assert_eq!(dee["deadlines"]["nodes"][0]["subjectId"], id.as_str());
    assert_eq!(dee["deadlines"]["nodes"][0]["dueOn"], first_review.as_str());
    for outsider in ["cara", "colin", "ian", "bea"] {
        assert_eq!(
            app.ok(outsider, DEADLINES, json!({})).await["deadlines"]["nodes"],
            json!([]),
            "{outsider}"
        );
    }

    // Ben asks for an earlier review; it comes forward and the measure is under review.
    let early = data(
        app.gql(Some("ben"), EARLY, json!({ "m": id, "v": v }))
            .await,
    );
    assert_eq!(
        early["requestMeasureReview"]["measure"]["status"],
        "UNDER_REVIEW"
    );
    assert!(
        early["requestMeasureReview"]["measure"]["reviewDue"]
            .as_str()
            .expect("due")
            < first_review.as_str()
    );
    let v = early["requestMeasureReview"]["version"]
        .as_i64()
        .expect("v");
    let v = data(
        app.gql(Some("ben"), REPRESENT, json!({ "m": id, "v": v }))
            .await,
    )["submitMeasureRepresentations"]["version"]
        .as_i64()
        .expect("v");
    let body = app
        .gql(Some("alice"), REPRESENT, json!({ "m": id, "v": v }))
        .await;
    assert_eq!(
        code(&body).0,
        "NOT_FOUND",
        "the reporting party cannot see the measure on Ben"
    );

    // Amended: varied, and Alice hears that a stated measure changed.
    let varied = data(
        app.gql(
            Some("dee"),
            REVIEW,
            json!({ "input": { "measureId": id, "expectedVersion": v, "decision": "AMEND",
        "reason": "Lab access allowed", "sites": ["MK-SITE Library (evenings)"] } }),
        )
        .await,
    );
    assert_eq!(varied["reviewMeasure"]["measure"]["status"], "VARIED");
    let v = varied["reviewMeasure"]["version"].as_i64().expect("v");
    assert_eq!(
        app.ok("alice", MINE, json!({ "id": case.id })).await["myNotifications"]["nodes"]
            .as_array()
            .map(Vec::len),
        Some(2)
    );

    let body = app.gql(Some("dee"), REVIEW, json!({ "input": { "measureId": id, "expectedVersion": v - 1, "decision": "WITHDRAW", "reason": "x" } })).await;
    assert_eq!(code(&body).0, "CONFLICT");
    let withdrawn = data(app.gql(Some("dee"), REVIEW, json!({ "input": { "measureId": id, "expectedVersion": v, "decision": "WITHDRAW", "reason": "No longer needed" } })).await);
    assert_eq!(withdrawn["reviewMeasure"]["measure"]["status"], "WITHDRAWN");
    let actions: Vec<&str> = withdrawn["reviewMeasure"]["measure"]["history"]
        .as_array()
        .expect("history")
        .iter()
        .filter_map(|h| h["action"].as_str())
        .collect();
    assert_eq!(
        actions,
        [
            "RECOMMENDED",
            "AUTHORISED",
            "BROUGHT_INTO_FORCE",
            "EARLY_REVIEW_REQUESTED",
            "REPRESENTATIONS_MADE",
            "AMENDED",
            "WITHDRAWN"
        ]
    );
    let alice = app.ok("alice", MINE, json!({ "id": case.id })).await;
    assert_eq!(alice["myCase"]["measuresInPlace"], false);
    assert_eq!(
        alice["myNotifications"]["nodes"].as_array().map(Vec::len),
        Some(3)
    );
    assert_eq!(
        app.ok("dee", DEADLINES, json!({})).await["deadlines"]["nodes"],
        json!([]),
        "a withdrawn measure has no review deadline"
    );
    app.stop().await;
}
db_test!(a_measure_runs_its_course_and_the_reporting_party_is_told);

async fn only_the_right_roles_recommend_and_authorise(backend: Backend) {
    let dir = std::env::temp_dir().join(format!("policy-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).expect("dir");
    let file = dir.join("policy.toml");
    let text = misconduct_api::policy::LEICESTER_DEFAULT
        .replace(
            "version = \"leicester-2025.2\"",
            "version = \"test-vc-approval\"",
        )
        .replace(
            "precautionary_suspension = \"\"",
            "precautionary_suspension = \"Vice-Chancellor\"",
        );
    Policy::parse(&text).expect("valid test policy");
    std::fs::write(&file, text).expect("write");
    let app = TestApp::start_with(
        backend,
        &[("MISCONDUCT_POLICY_FILE", &file.display().to_string())],
    )
    .await;
    let case = safeguarding_cast(&app).await;
    let suspension = json!({ "input": { "caseId": case.id, "kind": "SUSPENSION", "subjectPartyIds": [case.respondent],
        "details": "Pending investigation", "startsOn": app.today().to_string(), "reportingPartyConsent": true } });
    let body = app.gql(Some("olivia"), RECOMMEND, suspension.clone()).await;
    assert_eq!(
        code(&body),
        ("RULE_VIOLATION".into(), Some("R-MEA-3".into())),
        "the CfC group recommends"
    );
    let body = app.gql(Some("alice"), RECOMMEND, suspension.clone()).await;
    assert_eq!(
        code(&body).0,
        "FORBIDDEN",
        "a party knows the case exists but cannot make measures in it"
    );
    let id =
        data(app.gql(Some("chris"), RECOMMEND, suspension).await)["recommendMeasure"]["measureId"]
            .as_str()
            .expect("id")
            .to_string();

    let body = app
        .gql(Some("chris"), AUTHORISE, json!({ "m": id, "v": 1 }))
        .await;
    assert_eq!(
        code(&body).1.as_deref(),
        Some("R-MEA-3"),
        "a decision maker authorises"
    );
    let body = app
        .gql(Some("dee"), AUTHORISE, json!({ "m": id, "v": 1 }))
        .await;
    assert_eq!(
        code(&body).1.as_deref(),
        Some("R-MEA-3"),
        "a suspension needs the Vice-Chancellor's approval"
    );
    let body = app
        .gql(Some("dee"), IN_FORCE, json!({ "m": id, "v": 1 }))
        .await;
    assert_eq!(
        code(&body).1.as_deref(),
        Some("R-MEA-3"),
        "not in force before it is authorised"
    );
    let ok = data(app.gql(Some("dee"), AUTHORISE, json!({ "m": id, "v": 1, "a": { "approvedBy": "Vice-Chancellor", "approvedOn": app.today().to_string() } })).await);
    assert_eq!(ok["authoriseMeasure"]["measure"]["status"], "AUTHORISED");
    assert_eq!(
        ok["authoriseMeasure"]["measure"]["approvalBy"],
        "Vice-Chancellor"
    );
    app.stop().await;
    let _ = std::fs::remove_dir_all(dir);
}
db_test!(only_the_right_roles_recommend_and_authorise);

async fn without_consent_only_on_significant_imminent_risk(backend: Backend) {
    let app = TestApp::start(backend).await;
    let case = safeguarding_cast(&app).await;
    let body = app
        .gql(Some("chris"), RECOMMEND, exclusion(&app, &case, false))
        .await;
    assert_eq!(
        code(&body),
        ("RULE_VIOLATION".into(), Some("R-MEA-6".into()))
    );
    data(app.gql(Some("chris"), RISK, risk(&case, false)).await);
    let body = app
        .gql(Some("chris"), RECOMMEND, exclusion(&app, &case, false))
        .await;
    assert_eq!(
        code(&body).1.as_deref(),
        Some("R-MEA-6"),
        "a risk assessment without imminent risk is not enough"
    );
    data(app.gql(Some("chris"), RISK, risk(&case, true)).await);
    let ok = data(
        app.gql(Some("chris"), RECOMMEND, exclusion(&app, &case, false))
            .await,
    );
    assert_eq!(ok["recommendMeasure"]["measure"]["status"], "RECOMMENDED");
    app.stop().await;
}
db_test!(without_consent_only_on_significant_imminent_risk);

async fn non_compliance_brings_the_review_forward(backend: Backend) {
    let app = TestApp::start(backend).await;
    let case = safeguarding_cast(&app).await;
    let id = data(
        app.gql(Some("chris"), RECOMMEND, exclusion(&app, &case, true))
            .await,
    )["recommendMeasure"]["measureId"]
        .as_str()
        .expect("id")
        .to_string();
    let v = data(
        app.gql(Some("dee"), AUTHORISE, json!({ "m": id, "v": 1 }))
            .await,
    )["authoriseMeasure"]["version"]
        .as_i64()
        .expect("v");
    let v = data(
        app.gql(Some("dee"), IN_FORCE, json!({ "m": id, "v": v }))
            .await,
    )["bringMeasureIntoForce"]["version"]
        .as_i64()
        .expect("v");
    let calendar = app.config.policy.calendar();
    let today = app.today();
    let regular = calendar.add_working_days(
        today,
        app.config.policy.measures.review_interval_working_days,
    );
    let ben = app.ok("ben", MINE, json!({ "id": case.id })).await;
    assert_eq!(
        ben["myCase"]["measuresOnMe"][0]["reviewDue"],
        regular.to_string(),
        "review due after the policy interval in working days"
    );

    let body = app
        .gql(Some("ben"), NON_COMPLIANCE, json!({ "m": id, "v": v }))
        .await;
    assert_eq!(code(&body).0, "FORBIDDEN");
    let moved = data(
        app.gql(Some("olivia"), NON_COMPLIANCE, json!({ "m": id, "v": v }))
            .await,
    );
    let expected = calendar.add_working_days(
        today,
        app.config
            .policy
            .measures
            .non_compliance_review_working_days,
    );
    assert_eq!(
        moved["recordMeasureNonCompliance"]["measure"]["reviewDue"],
        expected.to_string()
    );
    let dee = app.ok("dee", DEADLINES, json!({})).await;
    assert_eq!(
        dee["deadlines"]["nodes"][0]["dueOn"],
        expected.to_string(),
        "the deadline moved with it"
    );
    app.stop().await;
}
db_test!(non_compliance_brings_the_review_forward);

async fn risk_assessments_never_reach_parties_case_workers_or_analysts(backend: Backend) {
    let app = TestApp::start(backend).await;
    let case = safeguarding_cast(&app).await;
    data(app.gql(Some("chris"), RISK, risk(&case, true)).await);
    let id = data(
        app.gql(Some("chris"), RECOMMEND, exclusion(&app, &case, true))
            .await,
    )["recommendMeasure"]["measureId"]
        .as_str()
        .expect("id")
        .to_string();
    let v = data(
        app.gql(Some("dee"), AUTHORISE, json!({ "m": id, "v": 1 }))
            .await,
    )["authoriseMeasure"]["version"]
        .as_i64()
        .expect("v");
    data(
        app.gql(Some("dee"), IN_FORCE, json!({ "m": id, "v": v }))
            .await,
    );
    let markers = [
        "MK-RISK-NATURE",
        "MK-RISK-IMPACT",
        "MK-RISK-ORG",
        "MK-RISK-PARTICIPANT",
    ];
    let everything = |who: &'static str| {
        let app = &app;
        let id = case.id.clone();
        async move {
            let lists = app.gql(Some(who), &everything_query(), json!({})).await;
            let one = app
                .gql(Some(who), &staff_case_query(), json!({ "id": id }))
                .await;
            let mine = app
                .gql(Some(who), &party_case_query(), json!({ "id": id }))
                .await;
            format!("{lists}{one}{mine}")
        }
    };
    for who in [
        "alice", "ben", "cara", "colin", "ian", "bea", "ada", "sis", "walter",
    ] {
        let seen = everything(who).await;
        for marker in markers {
            assert!(!seen.contains(marker), "{who} must not see {marker}");
        }
    }
    for who in ["chris", "dee", "olivia"] {
        let seen = everything(who).await;
        for marker in markers {
            assert!(seen.contains(marker), "{who} should see {marker}");
        }
        assert!(
            !seen.contains("MK-NOTE") && !seen.contains("MK-DESC") && !seen.contains("MK-OPTIONS"),
            "{who}: no support records"
        );
    }
    for who in ["chris", "dee"] {
        assert!(
            !everything(who).await.contains("MK-STATEMENT"),
            "{who}: safeguarding staff do not read the report"
        );
    }
    let colin = everything("colin").await;
    assert!(
        colin.contains("MK-SITE"),
        "Ben's case worker sees the measure on Ben"
    );
    let cara = everything("cara").await;
    assert!(
        !cara.contains("MK-SITE"),
        "Alice's case worker does not see the measure on Ben"
    );
    app.stop().await;
}
db_test!(risk_assessments_never_reach_parties_case_workers_or_analysts);

async fn a_mutual_no_contact_order_binds_both_sides(backend: Backend) {
    let app = TestApp::start(backend).await;
    let case = safeguarding_cast(&app).await;
    let nco = json!({ "input": { "caseId": case.id, "kind": "NO_CONTACT_ORDER", "subjectPartyIds": [case.respondent],
        "protectedPartyIds": [case.reporter], "mutual": true, "details": "No contact", "startsOn": app.today().to_string(),
        "reportingPartyConsent": true } });
    let id = data(app.gql(Some("chris"), RECOMMEND, nco).await)["recommendMeasure"]["measureId"]
        .as_str()
        .expect("id")
        .to_string();
    let v = data(
        app.gql(Some("dee"), AUTHORISE, json!({ "m": id, "v": 1 }))
            .await,
    )["authoriseMeasure"]["version"]
        .as_i64()
        .expect("v");
    data(
        app.gql(Some("dee"), IN_FORCE, json!({ "m": id, "v": v }))
            .await,
    );
    for who in ["alice", "ben"] {
        let mine = app.ok(who, MINE, json!({ "id": case.id })).await;
        assert_eq!(
            mine["myCase"]["measuresOnMe"][0]["kind"], "NO_CONTACT_ORDER",
            "{who} is bound"
        );
        let about_measures = mine["myNotifications"]["nodes"]
            .as_array()
            .expect("notifications")
            .iter()
            .filter(|n| n["kind"] == "MEASURE_CHANGED")
            .count();
        assert_eq!(about_measures, 1, "{who} is told once");
    }
    let one_way = json!({ "input": { "caseId": case.id, "kind": "NO_CONTACT_ORDER", "subjectPartyIds": [case.respondent],
        "details": "x", "startsOn": app.today().to_string(), "reportingPartyConsent": true } });
    let body = app.gql(Some("chris"), RECOMMEND, one_way).await;
    assert_eq!(
        code(&body).0,
        "VALIDATION",
        "a no-contact order names whom not to contact"
    );
    app.stop().await;
}
db_test!(a_mutual_no_contact_order_binds_both_sides);

/// A failing database is reported as such (INTERNAL, with a reference), never
/// as "not found": a not-found answer would tell staff the measure is gone.
async fn a_database_failure_is_never_reported_as_not_found(backend: Backend) {
    let app = TestApp::start(backend).await;
    let case = safeguarding_cast(&app).await;
    let id = data(
        app.gql(Some("chris"), RECOMMEND, exclusion(&app, &case, true))
            .await,
    )["recommendMeasure"]["measureId"]
        .as_str()
        .expect("id")
        .to_string();
    // The measure is found, but loading its case fails.
    app.db
        .execute_unprepared("ALTER TABLE case_staff RENAME TO case_staff_away")
        .await
        .expect("break the database");
    let body = app
        .gql(Some("dee"), AUTHORISE, json!({ "m": id, "v": 1 }))
        .await;
    app.db
        .execute_unprepared("ALTER TABLE case_staff_away RENAME TO case_staff")
        .await
        .expect("mend the database");
    assert_eq!(code(&body).0, "INTERNAL", "{body}");
    app.stop().await;
}
db_test!(a_database_failure_is_never_reported_as_not_found);
