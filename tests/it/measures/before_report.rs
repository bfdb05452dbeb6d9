//! Safeguarding from day one (000 §23–28; issue 10 item 5): a disclosure
//! referred to the Cause for Concern group for an urgent risk gets risk
//! assessments and precautionary measures before any formal report, under
//! R-MEA-6. A responding party bound before being told of the report is told
//! of the measure — its terms and their right to make representations — and
//! of nothing else, and can make those representations (R-MEA-5).

use super::*;

const REFER: &str = r#"mutation($c: UUID!, $v: Int!) { referToCauseForConcern(caseId: $c, expectedVersion: $v, urgentReason: "Lives in the same flat") { version } }"#;
const ASSIGN_STAFF: &str = r#"mutation($c: UUID!, $p: UUID!, $r: StaffRole!) { assignStaff(caseId: $c, personId: $p, role: $r) { version } }"#;
const MY_MEASURES: &str = r#"{ myMeasures { id caseId kind status details sites reviewDue version howToMakeRepresentations
  subjects { id } protectedParties { id } } }"#;

async fn safeguarding_begins_at_the_disclosure(backend: Backend) {
    let app = TestApp::start(backend).await;
    Cast::seed(&app).await;
    app.person("chris", PersonKind::Staff, &[StaffRole::CfcMember])
        .await;
    app.person("dee", PersonKind::Staff, &[StaffRole::DecisionMaker])
        .await;
    let case = disclose(&app, "MK-DESC").await;
    no_errors(
        case.assign(&app, "cara", &case.reporter.clone(), "cara")
            .await,
    );
    let version = case.version_as(&app, "alice").await;

    // Not referred yet: the CfC group has no part in a disclosure.
    let early = app.gql(Some("chris"), RISK, risk(&case, false)).await;
    assert_eq!(code(&early).0, "NOT_FOUND", "{early}");
    no_errors(
        app.gql(Some("cara"), REFER, json!({ "c": case.id, "v": version }))
            .await,
    );

    // R-MEA-6 holds from the disclosure: without her consent, a measure needs
    // significant, imminent risk recorded.
    no_errors(app.gql(Some("chris"), RISK, risk(&case, false)).await);
    let refused = app
        .gql(Some("chris"), RECOMMEND, exclusion(&app, &case, false))
        .await;
    assert_eq!(
        code(&refused),
        ("RULE_VIOLATION".into(), Some("R-MEA-6".into())),
        "{refused}"
    );
    no_errors(app.gql(Some("chris"), RISK, risk(&case, true)).await);
    let recommended = data(
        app.gql(Some("chris"), RECOMMEND, exclusion(&app, &case, false))
            .await,
    );
    let id = recommended["recommendMeasure"]["measureId"]
        .as_str()
        .expect("id")
        .to_string();

    // The group assigns the decision maker who authorises; nobody else yet.
    let dee = person_id(&app, "dee").await;
    let ian = person_id(&app, "ian").await;
    let investigator = app
        .gql(
            Some("chris"),
            ASSIGN_STAFF,
            json!({ "c": case.id, "p": ian, "r": "INVESTIGATOR" }),
        )
        .await;
    assert_eq!(code(&investigator).0, "FORBIDDEN", "{investigator}");
    no_errors(
        app.gql(
            Some("chris"),
            ASSIGN_STAFF,
            json!({ "c": case.id, "p": dee, "r": "DECISION_MAKER" }),
        )
        .await,
    );
    let v = data(
        app.gql(Some("dee"), AUTHORISE, json!({ "m": id, "v": 1 }))
            .await,
    )["authoriseMeasure"]["version"]
        .as_i64()
        .expect("v");
    // Authorised is not yet in force: Ben has been told nothing.
    let before = app.ok("ben", MY_MEASURES, json!({})).await;
    assert_eq!(before["myMeasures"], json!([]), "{before}");
    data(
        app.gql(Some("dee"), IN_FORCE, json!({ "m": id, "v": v }))
            .await,
    );

    // Ben is told of the measure: its terms and how to make representations.
    let mine = app.ok("ben", MY_MEASURES, json!({})).await;
    let measure = &mine["myMeasures"][0];
    assert_eq!(measure["status"], "IN_FORCE", "{mine}");
    assert_eq!(measure["details"], "MK-MEASURE-DETAIL");
    assert_eq!(measure["sites"], json!(["MK-SITE Library"]));
    assert_eq!(measure["subjects"], json!([{ "id": case.respondent }]));
    assert!(
        measure["howToMakeRepresentations"]
            .as_str()
            .is_some_and(|t| t.contains("representations"))
    );
    // …and of nothing else: not the disclosure, not the case.
    let everything = app.gql(Some("ben"), &everything_query(), json!({})).await;
    let party = app
        .gql(Some("ben"), &party_case_query(), json!({ "id": case.id }))
        .await;
    assert_eq!(code(&party).0, "NOT_FOUND", "{party}");
    let seen = format!("{mine}{everything}{party}");
    for hidden in ["MK-DESC", "MK-RISK", "Name of alice", "alice@example.ac.uk"] {
        assert!(!seen.contains(hidden), "Ben must not see {hidden}: {seen}");
    }
    let notices = app
        .ok(
            "ben",
            "{ myNotifications { nodes { kind message } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        notices["myNotifications"]["nodes"][0]["kind"], "MEASURE_CHANGED",
        "{notices}"
    );

    // The letter tells him of the measure and his right to representations.
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let letters = entity::letter::Entity::find()
        .filter(entity::letter::Column::CaseId.eq(case.id.parse::<uuid::Uuid>().expect("uuid")))
        .filter(
            entity::letter::Column::RecipientId.eq(person_id(&app, "ben")
                .await
                .parse::<uuid::Uuid>()
                .expect("uuid")),
        )
        .all(&app.db)
        .await
        .expect("letters");
    assert_eq!(
        letters.iter().map(|l| l.kind.as_str()).collect::<Vec<_>>(),
        vec!["MEASURE_NOTICE"],
        "only the measure notice"
    );
    let body = &letters[0].body;
    assert!(body.contains("representations") && body.contains("MK-MEASURE-DETAIL"));
    assert!(!body.contains("MK-DESC"), "{body}");

    // He makes representations (R-MEA-5); the measure goes under review.
    let represented = data(
        app.gql(
            Some("ben"),
            REPRESENT,
            json!({ "m": id, "v": measure["version"] }),
        )
        .await,
    );
    assert_eq!(
        represented["submitMeasureRepresentations"]["measure"]["status"],
        "UNDER_REVIEW"
    );
    // Alice knows a measure is in place, as R-MEA-7 says, and no more.
    let alice = app
        .ok(
            "alice",
            "query($id: UUID!) { myCase(id: $id) { measuresInPlace } }",
            json!({ "id": case.id }),
        )
        .await;
    assert_eq!(alice["myCase"]["measuresInPlace"], true);

    // A no-contact order too, with her consent, while the case is still a
    // disclosure (issue 10: safeguarding from day one).
    let nco = json!({ "input": { "caseId": case.id, "kind": "NO_CONTACT_ORDER", "subjectPartyIds": [case.respondent],
        "protectedPartyIds": [case.reporter], "details": "No contact with the reporting student",
        "startsOn": app.today().to_string(), "reportingPartyConsent": true } });
    let nco = data(app.gql(Some("chris"), RECOMMEND, nco).await)["recommendMeasure"]["measureId"]
        .as_str()
        .expect("id")
        .to_string();
    let v = data(
        app.gql(Some("dee"), AUTHORISE, json!({ "m": nco, "v": 1 }))
            .await,
    )["authoriseMeasure"]["version"]
        .as_i64()
        .expect("v");
    data(
        app.gql(Some("dee"), IN_FORCE, json!({ "m": nco, "v": v }))
            .await,
    );
    let mine = app.ok("ben", MY_MEASURES, json!({})).await;
    assert!(
        mine["myMeasures"]
            .as_array()
            .expect("measures")
            .iter()
            .any(|m| m["kind"] == "NO_CONTACT_ORDER" && m["status"] == "IN_FORCE"),
        "{mine}"
    );
    let stage = app
        .ok(
            "dee",
            "query($id: UUID!) { case(id: $id) { stage } }",
            json!({ "id": case.id }),
        )
        .await;
    assert_eq!(stage["case"]["stage"], "DISCLOSURE", "no report was made");
    app.stop().await;
}
db_test!(safeguarding_begins_at_the_disclosure);
