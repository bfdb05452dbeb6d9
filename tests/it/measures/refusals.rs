//! Who may not act on measures or see risk assessments, and failures reported
//! as such.

use super::*;

async fn only_the_right_roles_recommend_and_authorise(backend: Backend) {
    let dir = std::env::temp_dir().join(format!("policy-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).expect("dir");
    let file = dir.join("policy.toml");
    let text = misconduct_api::policy::LEICESTER_DEFAULT
        .replace(
            "version = \"leicester-2025.11\"",
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
    assert!(
        !everything("chris").await.contains("MK-STATEMENT"),
        "the CfC group does not read the report"
    );
    assert!(
        everything("dee").await.contains("MK-STATEMENT"),
        "the decision maker assigned to the case reads its file"
    );
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
