//! Data protection (issue 12): the record of what a reporting party was told
//! (000 §36, R-OUT-2), retention with legal holds (R-RET-1) and subject
//! access exports (R-RET-2).

use entity::{audit_entry, party, removed_case_fact};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

use super::*;

const CLOSE: &str = r#"mutation($c: UUID!, $v: Int!) { closeDisclosure(caseId: $c, reason: "Support only", expectedVersion: $v) { version case { progress } } }"#;
const TOLD: &str = r#"query($id: UUID!) { case(id: $id) { toldToReportingParty { item disclosed partyId firstDisclosedAt lawfulBasis policyVersion } } }"#;
const ALICE_SEES: &str = r#"query($id: UUID!) { myCase(id: $id) { progress measuresInPlace decision { option } outcome { breachFound } } }"#;
const REVIEW: &str = r#"query { retentionReview { asOf due { caseId reference reason } held { caseId reason } awaitingLeavingDate recordings { recordingId location } } }"#;
const APPLY: &str = r#"mutation { applyRetention { removed { caseId reference reason rows } recordingsDeleted { location } review { held { caseId } } } }"#;
const HOLD: &str = r#"mutation($c: UUID!, $v: Int!, $r: String!) { placeLegalHold(caseId: $c, expectedVersion: $v, reason: $r) { version } }"#;
const RELEASE: &str = r#"mutation($c: UUID!, $v: Int!) { releaseLegalHold(caseId: $c, expectedVersion: $v) { version } }"#;
const STATS: &str = r#"query($from: NaiveDate!, $to: NaiveDate!) { statistics(from: $from, to: $to) { total
  byCategory { key count } byStage { key count } byOutcome { key count } byMonth { key count } timeToOutcome { cases medianDays } } }"#;
const UPSERT: &str = r#"mutation($k: String!, $s: [StudentRecordInput!]!) { upsertStudents(idempotencyKey: $k, students: $s) { updated errors { message } } }"#;

/// Case A of `triaged`: investigated, no breach found, dismissed (CLOSED).
async fn dismissed(app: &TestApp) -> Procedure {
    let mut p = triaged(app, "MEDIUM").await;
    investigate(app, &mut p).await;
    let id = p.case.id.clone();
    p.case.refresh(app).await;
    data(
        app.gql(
            Some("ian"),
            REPORT_INV,
            json!({ "c": id, "v": p.case.version, "f": "NO_BREACH" }),
        )
        .await,
    );
    assign_staff(app, &id, "dee", "DECISION_MAKER").await;
    p.case.refresh(app).await;
    let d = data(app.gql(Some("dee"), DECIDE, json!({ "input": { "caseId": id, "expectedVersion": p.case.version, "option": "DISMISS", "reasons": "MK-REASONS not proven" } })).await);
    assert_eq!(d["recordDecision"]["case"]["stage"], "CLOSED");
    p.case.refresh(app).await;
    p
}

/// `who` discloses about `about`; their case worker Cara closes it.
async fn closed_disclosure(app: &TestApp, who: &str, about: &str, marker: &str) -> String {
    let d = app
        .ok(
            who,
            RECORD,
            json!({ "input": { "categories": ["HARASSMENT"], "description": marker,
                "respondents": [{ "sisNumber": format!("SIS-{about}") }] } }),
        )
        .await;
    let case = Case {
        id: d["recordDisclosure"]["caseId"].as_str().expect("id").into(),
        version: 0,
        reporter: d["recordDisclosure"]["myCase"]["me"]["id"]
            .as_str()
            .expect("me")
            .into(),
        respondent: String::new(),
    };
    no_errors(case.assign(app, "cara", &case.reporter, "cara").await);
    let v = case.version_as(app, who).await;
    let closed = data(
        app.gql(Some("cara"), CLOSE, json!({ "c": case.id, "v": v }))
            .await,
    );
    assert_eq!(closed["closeDisclosure"]["case"]["progress"], "Concluded");
    case.id
}

/// The lawful basis recorded for the first `item` in a record.
fn basis_of(record: &Value, item: &str) -> String {
    record
        .as_array()
        .expect("record")
        .iter()
        .find(|r| r["item"] == item)
        .and_then(|r| r["lawfulBasis"].as_str())
        .unwrap_or_else(|| panic!("no {item} in {record}"))
        .to_string()
}

async fn told(app: &TestApp, who: &str, id: &str) -> Value {
    app.ok(who, TOLD, json!({ "id": id })).await["case"]["toldToReportingParty"].clone()
}

async fn what_the_reporting_party_is_told_is_recorded_with_its_lawful_basis(backend: Backend) {
    let app = TestApp::start(backend).await;
    let mut p = triaged(&app, "MEDIUM").await;
    investigate(&app, &mut p).await;
    let id = p.case.id.clone();
    // Alice saw her report received when she made it.
    let record = told(&app, "olivia", &id).await;
    assert_eq!(record[0]["item"], "PROGRESS", "{record}");
    assert_eq!(record[0]["disclosed"], "Report received", "{record}");
    assert_eq!(record.as_array().map(Vec::len), Some(1), "{record}");

    // Alice looks twice: each thing is recorded once, when first told.
    for _ in 0..2 {
        let seen = app.ok("alice", ALICE_SEES, json!({ "id": id })).await;
        assert_eq!(seen["myCase"]["progress"], "Under investigation");
        assert_eq!(seen["myCase"]["outcome"], Value::Null);
    }
    // The responding side's looks are no disclosure to the reporting party.
    app.ok("ben", ALICE_SEES, json!({ "id": id })).await;
    let record = told(&app, "olivia", &id).await;
    let items: Vec<(&str, &str)> = record
        .as_array()
        .expect("record")
        .iter()
        .map(|r| {
            (
                r["item"].as_str().expect("item"),
                r["disclosed"].as_str().expect("disclosed"),
            )
        })
        .collect();
    assert_eq!(items.len(), 3, "{record}");
    assert!(
        items.contains(&("PROGRESS", "Under investigation")),
        "{record}"
    );
    assert!(
        items.contains(&("MEASURES_IN_PLACE", "No measures in place")),
        "{record}"
    );
    for r in record.as_array().expect("record") {
        assert_eq!(r["partyId"], p.case.reporter.as_str(), "told to Alice");
        assert_eq!(r["policyVersion"], "leicester-2025.11");
    }
    assert!(
        basis_of(&record, "PROGRESS").starts_with("UK GDPR Art. 6(1)(e)"),
        "the policy's basis: {record}"
    );

    // Dismissed: the decision and outcome become Alice's to know (R-OUT-2).
    data(
        app.gql(
            Some("ian"),
            REPORT_INV,
            json!({ "c": id, "v": p.case.version, "f": "NO_BREACH" }),
        )
        .await,
    );
    assign_staff(&app, &id, "dee", "DECISION_MAKER").await;
    p.case.refresh(&app).await;
    data(app.gql(Some("dee"), DECIDE, json!({ "input": { "caseId": id, "expectedVersion": p.case.version, "option": "DISMISS", "reasons": "Not proven" } })).await);
    let seen = app.ok("alice", ALICE_SEES, json!({ "id": id })).await;
    assert_eq!(seen["myCase"]["decision"]["option"], "DISMISS");
    let record = told(&app, "olivia", &id).await;
    let told_items: Vec<String> = record
        .as_array()
        .expect("record")
        .iter()
        .map(|r| format!("{}: {}", r["item"], r["disclosed"]))
        .collect();
    assert!(
        told_items.contains(&"\"OUTCOME\": \"Decision: DISMISS\"".to_string()),
        "{told_items:?}"
    );
    assert!(
        told_items.contains(&"\"PROGRESS\": \"Concluded\"".to_string()),
        "{told_items:?}"
    );
    assert!(basis_of(&record, "OUTCOME").contains("R-OUT-2"), "{record}");

    // Alice's case worker sees the record; Ben's does not.
    assert!(told(&app, "cara", &id).await.is_array());
    assert_eq!(told(&app, "colin", &id).await, Value::Null);
    app.stop().await;
}
db_test!(what_the_reporting_party_is_told_is_recorded_with_its_lawful_basis);

async fn retention_removes_what_is_due_keeps_what_is_held_and_the_statistics(backend: Backend) {
    // Statistics with every cell shown, so a changed count would show.
    let policy = policy_file(
        "test-retention",
        &[("suppression_threshold = 5", "suppression_threshold = 1")],
    );
    let app = TestApp::start_with(backend, &[("MISCONDUCT_POLICY_FILE", &policy)]).await;
    let started = app.today();
    // A: no breach found, dismissed — removed at once (004 "Retention").
    let a = dismissed(&app).await.case.id;
    app.person(
        "dora",
        PersonKind::Staff,
        &[StaffRole::DataProtectionOfficer],
    )
    .await;
    // B and C: disclosures between Alice and Ben, closed; C is held.
    let b = closed_disclosure(&app, "alice", "ben", "MK-B").await;
    let c = closed_disclosure(&app, "alice", "ben", "MK-C").await;
    let c_version = app
        .ok(
            "alice",
            "query($id: UUID!) { myCase(id: $id) { version } }",
            json!({ "id": c }),
        )
        .await["myCase"]["version"]
        .clone();
    let body = app
        .gql(
            Some("olivia"),
            HOLD,
            json!({ "c": c, "v": c_version, "r": "MK-HOLD claim issued" }),
        )
        .await;
    // A disclosure is no conduct case: the conduct team does not run it.
    assert_eq!(code(&body).0, "NOT_FOUND", "{body}");
    let c_held = data(
        app.gql(
            Some("dora"),
            HOLD,
            json!({ "c": c, "v": c_version, "r": "Claim issued in the county court" }),
        )
        .await,
    );
    // D: Walter and Wendy have no leaving date yet.
    let d = closed_disclosure(&app, "walter", "wendy", "MK-D").await;
    // Alice and Ben graduate today.
    let today = app.today().to_string();
    let graduated = app
        .ok(
            "sis",
            UPSERT,
            json!({ "k": "graduation", "s": [
                { "sisNumber": "SIS-alice", "name": "Alice", "email": "alice@example.ac.uk", "programme": "BA", "enrolmentStatus": "GRADUATED", "leavingDate": today },
                { "sisNumber": "SIS-ben", "name": "Ben", "email": "ben@example.ac.uk", "programme": "BA", "enrolmentStatus": "GRADUATED", "leavingDate": today }
            ] }),
        )
        .await;
    assert_eq!(graduated["upsertStudents"]["updated"], 2, "{graduated}");

    let review = app.ok("dora", REVIEW, json!({})).await["retentionReview"].clone();
    let due: Vec<&str> = review["due"]
        .as_array()
        .expect("due")
        .iter()
        .map(|x| x["caseId"].as_str().expect("id"))
        .collect();
    assert_eq!(
        due,
        [a.as_str()],
        "only the not-upheld case, at once: {review}"
    );
    assert_eq!(review["due"][0]["reason"], "allegation not upheld");

    // Six years and a few days later, E is closed: its period starts now.
    app.days_pass(6 * 366 + 3);
    let e = closed_disclosure(&app, "alice", "ben", "MK-E").await;
    let period = json!({ "from": started.to_string(), "to": app.today().to_string() });
    let before = app.ok("bea", STATS, period.clone()).await;
    assert_eq!(before["statistics"]["total"], 5, "{before}");

    // Only the data protection officer reviews and runs retention.
    let body = app.gql(Some("olivia"), REVIEW, json!({})).await;
    assert_eq!(code(&body).0, "FORBIDDEN");
    let body = app.gql(Some("ada"), APPLY, json!({})).await;
    assert_eq!(code(&body).0, "FORBIDDEN");

    // The dry run says what would go and why, and removes nothing.
    let review = app.ok("dora", REVIEW, json!({})).await["retentionReview"].clone();
    let mut due: Vec<(String, String)> = review["due"]
        .as_array()
        .expect("due")
        .iter()
        .map(|x| {
            (
                x["caseId"].as_str().expect("id").to_string(),
                x["reason"].as_str().expect("reason").to_string(),
            )
        })
        .collect();
    due.sort();
    let mut expected = vec![
        (a.clone(), "allegation not upheld".to_string()),
        (
            b.clone(),
            format!(
                "retention period ended (counted from {today}, when the students had left and the case was closed)"
            ),
        ),
    ];
    expected.sort();
    assert_eq!(due, expected, "{review}");
    assert_eq!(review["held"][0]["caseId"], c.as_str());
    assert_eq!(
        review["held"][0]["reason"],
        "Claim issued in the county court"
    );
    assert_eq!(review["awaitingLeavingDate"], 1, "D: {review}");
    let still = app
        .ok(
            "alice",
            "query($id: UUID!) { myCase(id: $id) { id } }",
            json!({ "id": b }),
        )
        .await;
    assert_eq!(
        still["myCase"]["id"],
        b.as_str(),
        "a dry run removes nothing"
    );

    // The real run.
    let run = app.ok("dora", APPLY, json!({})).await["applyRetention"].clone();
    let mut removed: Vec<&str> = run["removed"]
        .as_array()
        .expect("removed")
        .iter()
        .map(|x| x["caseId"].as_str().expect("id"))
        .collect();
    removed.sort();
    let mut gone = vec![a.as_str(), b.as_str()];
    gone.sort();
    assert_eq!(removed, gone, "{run}");
    assert!(run["removed"][0]["rows"].as_u64().expect("rows") > 1);
    for (id, who) in [(&a, "olivia"), (&b, "alice")] {
        let body = app
            .gql(
                Some(who),
                "query($id: UUID!) { case(id: $id) { id } myCase(id: $id) { id } }",
                json!({ "id": id }),
            )
            .await;
        assert_eq!(code(&body).0, "NOT_FOUND", "{id} is gone: {body}");
        let uuid: uuid::Uuid = id.parse().expect("uuid");
        let parties = party::Entity::find()
            .filter(party::Column::CaseId.eq(uuid))
            .count(&app.db)
            .await
            .expect("count");
        assert_eq!(parties, 0, "removed whole");
        let entries = audit_entry::Entity::find()
            .filter(audit_entry::Column::CaseId.eq(uuid))
            .filter(audit_entry::Column::Operation.eq("retention:removeCase"))
            .all(&app.db)
            .await
            .expect("audit");
        assert_eq!(entries.len(), 1, "the removal is audited");
        let detail = entries[0].detail.clone().unwrap_or_default();
        assert!(detail.contains("rows"), "{detail}");
        assert!(!detail.contains("MK-"), "no content in the audit: {detail}");
    }
    for (id, who) in [(&c, "alice"), (&d, "walter"), (&e, "alice")] {
        let kept = app
            .ok(
                who,
                "query($id: UUID!) { myCase(id: $id) { id } }",
                json!({ "id": id }),
            )
            .await;
        assert_eq!(kept["myCase"]["id"], id.as_str(), "kept");
    }
    assert_eq!(
        removed_case_fact::Entity::find()
            .count(&app.db)
            .await
            .expect("facts"),
        2
    );
    // The statistics still count the removed cases, exactly as before.
    let after = app.ok("bea", STATS, period).await;
    assert_eq!(after, before, "statistics unchanged by retention");
    let intact = misconduct_api::domain::audit::verify(&app.db, None)
        .await
        .expect("verify");
    assert_eq!(intact.first_broken, None, "the audit chain holds");

    // Released, C is due like B was.
    let v = c_held["placeLegalHold"]["version"].clone();
    data(
        app.gql(Some("dora"), RELEASE, json!({ "c": c, "v": v }))
            .await,
    );
    let review = app.ok("dora", REVIEW, json!({})).await["retentionReview"].clone();
    assert_eq!(review["due"][0]["caseId"], c.as_str(), "{review}");
    assert_eq!(review["held"], json!([]));
    app.stop().await;
}
db_test!(retention_removes_what_is_due_keeps_what_is_held_and_the_statistics);

const EXPORT: &str =
    r#"query($p: UUID!) { subjectAccessExport(personId: $p) { personId document readable } }"#;

async fn a_subject_access_export_holds_the_persons_data_and_nobody_elses(backend: Backend) {
    let app = TestApp::start(backend).await;
    let p = dismissed(&app).await;
    app.person(
        "dora",
        PersonKind::Staff,
        &[StaffRole::DataProtectionOfficer],
    )
    .await;
    let ben = person_id(&app, "ben").await;
    let alice = person_id(&app, "alice").await;
    // Alice reads her case, so the audit of Ben's case names a reader who is a party.
    app.ok("alice", ALICE_SEES, json!({ "id": p.case.id }))
        .await;

    let body = app.gql(Some("olivia"), EXPORT, json!({ "p": ben })).await;
    assert_eq!(
        code(&body).0,
        "FORBIDDEN",
        "only the data protection officer"
    );

    let export = app.ok("dora", EXPORT, json!({ "p": ben })).await["subjectAccessExport"].clone();
    let document: Value =
        serde_json::from_str(export["document"].as_str().expect("document")).expect("JSON");
    let text = format!(
        "{}{}",
        document,
        export["readable"].as_str().expect("readable")
    );
    // His own data: his record, his statement and interview, the outcome about him.
    for own in [
        "Name of ben",
        "SIS-ben",
        "MK-BEN-RESPONSE",
        "MK-REC-BEN",
        "MK-REASONS",
    ] {
        assert!(text.contains(own), "Ben's export holds {own}");
    }
    // Nobody else's: Alice's and the witness's names, accounts and evidence.
    for other in [
        "Name of alice",
        "Name of wendy",
        "MK-DESC",
        "MK-STATEMENT",
        "MK-WITNESS-STMT",
        "MK-EVID-ALICE",
    ] {
        assert!(!text.contains(other), "Ben's export must not hold {other}");
    }
    let case = &document["subjectAccessExport"]["cases"][0];
    assert_eq!(case["yourRole"], "RESPONDING");
    let readers: Vec<&str> = case["whoReadOrChangedThisCase"]
        .as_array()
        .expect("audit")
        .iter()
        .filter_map(|e| e["by"].as_str())
        .collect();
    assert!(
        readers.contains(&"another party to the case"),
        "{readers:?}"
    );
    assert!(
        readers.contains(&"Name of olivia"),
        "staff by name: {readers:?}"
    );
    assert!(
        export["readable"]
            .as_str()
            .expect("readable")
            .contains("Your statements")
    );

    // Alice's export holds her account and not Ben's.
    let export = app.ok("dora", EXPORT, json!({ "p": alice })).await["subjectAccessExport"].clone();
    let text = export["document"].as_str().expect("document").to_string();
    for own in ["Name of alice", "MK-DESC", "MK-STATEMENT", "MK-EVID-ALICE"] {
        assert!(text.contains(own), "Alice's export holds {own}");
    }
    for other in [
        "Name of ben",
        "MK-BEN-RESPONSE",
        "MK-REC-BEN",
        "MK-REASONS",
        "MK-WITNESS-STMT",
    ] {
        assert!(
            !text.contains(other),
            "Alice's export must not hold {other}"
        );
    }
    // Producing an export is itself audited.
    let produced = audit_entry::Entity::find()
        .filter(audit_entry::Column::Operation.eq("subjectAccessExport"))
        .count(&app.db)
        .await
        .expect("audit");
    assert_eq!(produced, 2);
    let body = app
        .gql(Some("dora"), EXPORT, json!({ "p": uuid::Uuid::new_v4() }))
        .await;
    assert_eq!(code(&body).0, "NOT_FOUND");
    app.stop().await;
}
db_test!(a_subject_access_export_holds_the_persons_data_and_nobody_elses);

/// With `remove_not_upheld_when_concluded` off, a dismissed case stays (its
/// students have no leaving date yet) but its interview recording goes once
/// the case is closed (R-INV-4).
async fn recordings_are_deleted_once_appeals_are_exhausted(backend: Backend) {
    let policy = policy_file(
        "test-recordings",
        &[(
            "remove_not_upheld_when_concluded = true",
            "remove_not_upheld_when_concluded = false",
        )],
    );
    let app = TestApp::start_with(backend, &[("MISCONDUCT_POLICY_FILE", &policy)]).await;
    let p = dismissed(&app).await;
    app.person(
        "dora",
        PersonKind::Staff,
        &[StaffRole::DataProtectionOfficer],
    )
    .await;
    let recordings = "query($id: UUID!) { case(id: $id) { recordings { location } } }";
    let before = app.ok("ian", recordings, json!({ "id": p.case.id })).await;
    assert_eq!(before["case"]["recordings"][0]["location"], "MK-REC-BEN");

    let review = app.ok("dora", REVIEW, json!({})).await["retentionReview"].clone();
    assert_eq!(review["due"], json!([]), "kept: {review}");
    assert_eq!(
        review["recordings"][0]["location"], "MK-REC-BEN",
        "{review}"
    );
    let run = app.ok("dora", APPLY, json!({})).await["applyRetention"].clone();
    assert_eq!(
        run["recordingsDeleted"],
        json!([{ "location": "MK-REC-BEN" }]),
        "the run names the file to delete"
    );
    assert_eq!(run["removed"], json!([]));
    let after = app.ok("ian", recordings, json!({ "id": p.case.id })).await;
    assert_eq!(after["case"]["recordings"], json!([]), "gone: {after}");
    let again = app.ok("dora", APPLY, json!({})).await["applyRetention"].clone();
    assert_eq!(again["recordingsDeleted"], json!([]), "once only");
    app.stop().await;
}
db_test!(recordings_are_deleted_once_appeals_are_exhausted);
