//! Who in safeguarding sees a case (DOMAIN §3, issue 15 item 5): the Cause for
//! Concern group only cases referred to it (R-TRI-3: at triage, or early for
//! an urgent risk, with the reason kept and logged), decision makers only the
//! cases they are assigned to.

use super::*;

const SEEN: &str = r#"query($id: UUID!) { case(id: $id) { reference riskAssessments { id }
  causeForConcernReferral { referredAt urgentReason } } cases { nodes { reference } } }"#;
const REFER: &str = r#"mutation($c: UUID!, $v: Int!, $r: String!) {
  referToCauseForConcern(caseId: $c, expectedVersion: $v, urgentReason: $r) { version } }"#;

/// Whether `who` can open the case, and how many cases their list holds.
async fn opens(app: &TestApp, who: &str, case: &Case) -> (bool, usize, Value) {
    let body = app.gql(Some(who), SEEN, json!({ "id": case.id })).await;
    let listed = body["data"]["cases"]["nodes"]
        .as_array()
        .map_or(0, Vec::len);
    (!body["data"]["case"].is_null(), listed, body)
}

async fn safeguarding_staff_see_the_cases_referred_to_them(backend: Backend) {
    let app = TestApp::start(backend).await;
    Cast::seed(&app).await;
    app.person("chris", PersonKind::Staff, &[StaffRole::CfcMember])
        .await;
    app.person("dee", PersonKind::Staff, &[StaffRole::DecisionMaker])
        .await;
    let mut case = reported_case(&app).await;

    // Reported, not yet triaged nor referred: nothing for the CfC group, and
    // nothing for a decision maker who is not deciding it.
    for who in ["chris", "dee"] {
        let (opened, listed, body) = opens(&app, who, &case).await;
        assert!(!opened, "{who} must not open an unreferred case: {body}");
        assert_eq!(listed, 0, "{who}: {body}");
        assert_eq!(code(&body).0, "NOT_FOUND", "{body}");
    }

    // Alice's case worker sees an urgent risk and refers the case early.
    let body = app
        .gql(
            Some("cara"),
            REFER,
            json!({ "c": case.id, "v": case.version, "r": "  " }),
        )
        .await;
    assert_eq!(code(&body).0, "VALIDATION", "a reason is required: {body}");
    for who in ["alice", "dee"] {
        let body = app
            .gql(
                Some(who),
                REFER,
                json!({ "c": case.id, "v": case.version, "r": "r" }),
            )
            .await;
        assert_ne!(code(&body).0, "", "{who} may not refer: {body}");
    }
    app.ok(
        "cara",
        REFER,
        json!({ "c": case.id, "v": case.version, "r": "MK-URGENT threats in halls" }),
    )
    .await;
    case.refresh(&app).await;
    let (opened, listed, body) = opens(&app, "chris", &case).await;
    assert!(opened && listed == 1, "the CfC group now sees it: {body}");
    assert_eq!(
        body["data"]["case"]["causeForConcernReferral"]["urgentReason"],
        "MK-URGENT threats in halls"
    );
    let again = app
        .gql(
            Some("olivia"),
            REFER,
            json!({ "c": case.id, "v": case.version, "r": "r" }),
        )
        .await;
    assert_eq!(
        code(&again),
        ("RULE_VIOLATION".into(), Some("R-TRI-3".into()))
    );
    let (opened, _, _) = opens(&app, "dee", &case).await;
    assert!(!opened, "still not the decision maker's case");

    // The referral is on record: who made it, in which request.
    let log = app
        .ok(
            "ada",
            "query($c: UUID) { auditLog(first: 100, caseId: $c) { nodes { operation viewerId } } }",
            json!({ "c": case.id }),
        )
        .await;
    let cara = person_id(&app, "cara").await;
    assert!(
        log["auditLog"]["nodes"].as_array().is_some_and(|all| all
            .iter()
            .any(|e| e["operation"] == "referToCauseForConcern" && e["viewerId"] == cara.as_str())),
        "{log}"
    );
    // Parties and the case worker do not read the group's referral.
    let cara_view = app.gql(Some("cara"), SEEN, json!({ "id": case.id })).await;
    assert!(!cara_view.to_string().contains("MK-URGENT"), "{cara_view}");

    // Assigned to decide the case, Dee sees it.
    assign_staff(&app, &case.id, "dee", "DECISION_MAKER").await;
    let (opened, listed, body) = opens(&app, "dee", &case).await;
    assert!(opened && listed == 1, "{body}");
    assert_eq!(
        body["data"]["case"]["causeForConcernReferral"]["urgentReason"],
        "MK-URGENT threats in halls"
    );
    app.stop().await;
}
db_test!(safeguarding_staff_see_the_cases_referred_to_them);

async fn triage_refers_every_case_to_the_group(backend: Backend) {
    let app = TestApp::start(backend).await;
    // The cast of the measures tests triages the case (R-TRI-3).
    let case = safeguarding_cast(&app).await;
    let (opened, _, body) = opens(&app, "chris", &case).await;
    assert!(opened, "{body}");
    let referral = &body["data"]["case"]["causeForConcernReferral"];
    assert!(referral["referredAt"].is_string(), "{body}");
    assert_eq!(referral["urgentReason"], Value::Null, "a routine referral");
    app.stop().await;
}
db_test!(triage_refers_every_case_to_the_group);
