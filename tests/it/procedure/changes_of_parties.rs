//! Who is on a case, as it changes (issue 10 item 1): a witness and a further
//! responding party added after the report, the wrong student corrected, and a
//! disclosure recorded without names (R-DISC-4) that goes ahead once they are
//! given.

use super::*;

const ADD: &str = "mutation($input: AddPartyInput!) { addParty(input: $input) { version case { parties { id role informedAt } } } }";
const IDENTIFY: &str = "mutation($c: UUID!, $p: UUID!, $s: String!, $v: Int!) { identifyParty(caseId: $c, partyId: $p, sisNumber: $s, expectedVersion: $v) { version } }";
const CORRECT: &str =
    "mutation($input: CorrectPartyInput!) { correctPartyDetails(input: $input) { version } }";
const MY_CASE: &str = "query($id: UUID!) { myCase(id: $id) { myRole timeline { kind } } }";

async fn add(app: &TestApp, who: &str, id: &str, v: i64, role: &str, sis: Option<&str>) -> Value {
    app.gql(
        Some(who),
        ADD,
        json!({ "input": { "caseId": id, "expectedVersion": v, "role": role, "sisNumber": sis } }),
    )
    .await
}

/// The role a student has on the case in their own view; None if it does not exist for them.
async fn my_role(app: &TestApp, who: &str, id: &str) -> Option<String> {
    let body = app.gql(Some(who), MY_CASE, json!({ "id": id })).await;
    body["data"]["myCase"]["myRole"].as_str().map(String::from)
}

async fn staff_timeline(app: &TestApp, id: &str) -> Vec<String> {
    let body = app
        .ok(
            "olivia",
            "query($id: UUID!) { case(id: $id) { timeline { kind reason } } }",
            json!({ "id": id }),
        )
        .await;
    body["case"]["timeline"]
        .as_array()
        .expect("timeline")
        .iter()
        .map(|e| format!("{} {}", e["kind"], e["reason"]))
        .collect()
}

async fn a_witness_and_a_further_respondent_join_after_the_report(backend: Backend) {
    let app = TestApp::start(backend).await;
    let mut p = triaged(&app, "MEDIUM").await;
    for who in ["xena", "bob", "carl"] {
        app.person(who, PersonKind::Student, &[]).await;
    }
    let id = p.case.id.clone();
    p.case.refresh(&app).await;
    let v = p.case.version;

    let refused = [
        ("cara", "WITNESS", Some("SIS-xena"), v, "FORBIDDEN"),
        ("walter", "WITNESS", Some("SIS-xena"), v, "NOT_FOUND"),
        ("olivia", "REPORTING", Some("SIS-xena"), v, "VALIDATION"),
        ("olivia", "WITNESS", None, v, "VALIDATION"),
        ("olivia", "WITNESS", Some("SIS-ben"), v, "VALIDATION"),
        ("olivia", "WITNESS", Some("SIS-nobody"), v, "VALIDATION"),
        ("olivia", "WITNESS", Some("SIS-xena"), v - 1, "CONFLICT"),
    ];
    for (who, role, sis, version, expected) in refused {
        let body = add(&app, who, &id, version, role, sis).await;
        assert_eq!(code(&body).0, expected, "{who} {role} {sis:?}: {body}");
    }
    assert_eq!(my_role(&app, "xena", &id).await, None);

    // A second witness comes forward, and a second student is named.
    let body = data(add(&app, "olivia", &id, v, "WITNESS", Some("SIS-xena")).await);
    let v = body["addParty"]["version"].as_i64().expect("version");
    assert_eq!(my_role(&app, "xena", &id).await.as_deref(), Some("WITNESS"));
    let body = data(add(&app, "olivia", &id, v, "RESPONDING", Some("SIS-bob")).await);
    let mut v = body["addParty"]["version"].as_i64().expect("version");
    let bob_party = body["addParty"]["case"]["parties"]
        .as_array()
        .expect("parties")
        .iter()
        .find(|q| q["role"] == "RESPONDING" && q["id"] != p.case.respondent.as_str())
        .expect("the second responding party")["id"]
        .as_str()
        .expect("id")
        .to_string();
    assert_eq!(
        my_role(&app, "bob", &id).await,
        None,
        "not told of the report yet (R-REP-2)"
    );
    let informed = data(
        app.gql(
            Some("olivia"),
            INFORM,
            json!({ "c": id, "p": bob_party, "v": v }),
        )
        .await,
    );
    v = informed["informRespondingParty"]["version"]
        .as_i64()
        .expect("version");
    assert_eq!(
        my_role(&app, "bob", &id).await.as_deref(),
        Some("RESPONDING")
    );
    let added = staff_timeline(&app, &id)
        .await
        .into_iter()
        .filter(|e| e.starts_with("\"PARTY_ADDED\""))
        .count();
    assert_eq!(added, 2, "both on the procedure's timeline");
    let alice = app.ok("alice", MY_CASE, json!({ "id": id })).await;
    assert!(
        !alice.to_string().contains("PARTY_ADDED"),
        "the other side's changes are not the reporting party's: {alice}"
    );

    // Bob was the wrong student: it was Carl. Carl is told afresh; Bob loses the case.
    let correct = |version: i64, sis: Option<&str>, reason: &str| json!({ "input": { "caseId": id, "partyId": bob_party, "sisNumber": sis, "reason": reason, "expectedVersion": version } });
    for vars in [correct(v, Some("SIS-carl"), " "), correct(v, None, "r")] {
        let body = app.gql(Some("olivia"), CORRECT, vars).await;
        assert_eq!(code(&body).0, "VALIDATION", "{body}");
    }
    let body = app
        .gql(Some("colin"), CORRECT, correct(v, Some("SIS-carl"), "r"))
        .await;
    assert_eq!(
        code(&body).0,
        "FORBIDDEN",
        "the other side's case worker: {body}"
    );
    data(
        app.gql(
            Some("olivia"),
            CORRECT,
            correct(v, Some("SIS-carl"), "MK-WRONG-STUDENT"),
        )
        .await,
    );
    assert_eq!(
        my_role(&app, "bob", &id).await,
        None,
        "Bob is no longer on it"
    );
    assert_eq!(
        my_role(&app, "carl", &id).await,
        None,
        "Carl must be told of the report first"
    );
    assert!(
        staff_timeline(&app, &id)
            .await
            .iter()
            .any(|e| e.starts_with("\"PARTY_DETAILS_CORRECTED\"") && e.contains("MK-WRONG-STUDENT")),
        "the correction and its reason are on the timeline"
    );
    app.stop().await;
}
db_test!(a_witness_and_a_further_respondent_join_after_the_report);

/// R-DISC-4: a case worker records a disclosure for a student who asks not to
/// be named, about a student she does not name. Named later, she gets a case
/// worker; the report waits until the responding party is named (R-REP-1).
async fn a_disclosure_recorded_without_names_goes_ahead_once_they_are_given(backend: Backend) {
    let app = TestApp::start(backend).await;
    Cast::seed(&app).await;
    let body = app
        .gql(
            Some("alice"),
            RECORD,
            json!({ "input": { "categories": ["OTHER"], "description": "x", "omitReportingPartyName": true } }),
        )
        .await;
    assert_eq!(
        code(&body).0,
        "VALIDATION",
        "a student names herself: {body}"
    );

    // One she decides not to take further: with nobody to support her, intake closes it.
    let other = app
        .ok(
            "cara",
            RECORD,
            json!({ "input": { "categories": ["OTHER"], "description": "x", "omitReportingPartyName": true } }),
        )
        .await;
    let closed = data(
        app.gql(
            Some("colin"),
            "mutation($c: UUID!, $v: Int!) { closeDisclosure(caseId: $c, reason: \"Support only\", expectedVersion: $v) { version } }",
            json!({ "c": other["recordDisclosure"]["caseId"], "v": other["recordDisclosure"]["version"] }),
        )
        .await,
    );
    assert!(closed["closeDisclosure"]["version"].is_i64(), "{closed}");

    let recorded = app
        .ok(
            "cara",
            RECORD,
            json!({ "input": { "categories": ["SEXUAL_HARASSMENT"], "description": "MK-UNNAMED",
                "omitReportingPartyName": true, "omitRespondentNames": true, "respondents": [{}] } }),
        )
        .await;
    let r = &recorded["recordDisclosure"];
    let id = r["caseId"].as_str().expect("id").to_string();
    let party = |case: &Value, role: &str| {
        case["parties"]
            .as_array()
            .expect("parties")
            .iter()
            .find(|p| p["role"] == role)
            .map(|p| p["id"].as_str().expect("id").to_string())
    };
    // Intake sees that there is a reporting party to act for, not who she is.
    let reporter = party(&r["case"], "REPORTING").expect("intake sees the reporting party");
    assert_eq!(
        party(&r["case"], "RESPONDING"),
        None,
        "nor anyone else: {recorded}"
    );
    let mut case = Case {
        id: id.clone(),
        version: r["version"].as_i64().expect("version"),
        reporter,
        respondent: String::new(),
    };
    assert_eq!(my_role(&app, "alice", &id).await, None);
    let body = case
        .assign(&app, "cara", &case.reporter.clone(), "colin")
        .await;
    assert_eq!(code(&body).1.as_deref(), Some("R-DISC-2"), "{body}");

    // Alice agrees to be named: intake names her, and she gets her case worker.
    let body = app
        .gql(
            Some("walter"),
            IDENTIFY,
            json!({ "c": id, "p": case.reporter, "s": "SIS-walter", "v": case.version }),
        )
        .await;
    assert_eq!(code(&body).0, "NOT_FOUND", "{body}");
    let named = data(
        app.gql(
            Some("cara"),
            IDENTIFY,
            json!({ "c": id, "p": case.reporter, "s": "SIS-alice", "v": case.version }),
        )
        .await,
    );
    case.version = named["identifyParty"]["version"].as_i64().expect("v");
    assert_eq!(
        my_role(&app, "alice", &id).await.as_deref(),
        Some("REPORTING")
    );
    let body = app
        .gql(
            Some("cara"),
            IDENTIFY,
            json!({ "c": id, "p": case.reporter, "s": "SIS-alice", "v": case.version }),
        )
        .await;
    assert_eq!(code(&body).0, "CONFLICT", "already named: {body}");
    // Cara received the disclosure, so Colin supports her (R-IND-1).
    no_errors(
        case.assign(&app, "cara", &case.reporter.clone(), "colin")
            .await,
    );
    // Her case worker sees that a responding party is named, not who.
    let seen = app
        .ok(
            "colin",
            "query($id: UUID!) { case(id: $id) { parties { id role name identityWithheld } } }",
            json!({ "id": id }),
        )
        .await;
    case.respondent = party(&seen["case"], "RESPONDING").expect("the responding party");
    assert!(
        seen.to_string().contains("\"identityWithheld\":true")
            && !seen.to_string().contains("Name of ben"),
        "{seen}"
    );
    no_errors(
        case.options(
            &app,
            "colin",
            &["REPORT_TO_UNIVERSITY"],
            &["REPORT_TO_UNIVERSITY"],
            "s",
        )
        .await,
    );
    let v = case.version_as(&app, "alice").await;
    let body = case.report(&app, "alice", "MK-STATEMENT", true, v).await;
    assert_eq!(code(&body).1.as_deref(), Some("R-REP-1"), "{body}");

    // She names Ben to Colin; then the report goes ahead.
    let named = data(
        app.gql(
            Some("colin"),
            IDENTIFY,
            json!({ "c": id, "p": case.respondent, "s": "SIS-ben", "v": v }),
        )
        .await,
    );
    let v = named["identifyParty"]["version"].as_i64().expect("v");
    let reported = data(case.report(&app, "alice", "MK-STATEMENT", true, v).await);
    assert_eq!(reported["submitFormalReport"]["case"], Value::Null);
    assert!(
        reported["submitFormalReport"]["version"].as_i64() > Some(v),
        "{reported}"
    );
    app.stop().await;
}
db_test!(a_disclosure_recorded_without_names_goes_ahead_once_they_are_given);
