//! A case from the report to the Completion of Procedures letter, with what each party sees at each stage.

use super::*;

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
    assign_staff(&app, &id, "ida", "INVESTIGATOR").await;
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
    assign_staff(&app, &id, "dee", "DECISION_MAKER").await;
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
        json!({ "input": { "caseId": id, "scheduledAt": app.in_days(days), "location": "Council Room", "alleged_breaches": null,
        "allegedBreaches": "Sexual misconduct (Reg. 9)", "penaltyRange": "Reprimand to expulsion", "proposedPenalty": "MK-PROPOSED expulsion" } })
    };
    let body = app.gql(Some("olivia"), SUMMON, summons(2)).await;
    assert!(body.get("errors").is_some());
    let s = app.gql(Some("olivia"), SUMMON, json!({ "input": { "caseId": id, "scheduledAt": app.in_days(2), "location": "Council Room",
        "allegedBreaches": "Sexual misconduct (Reg. 9)", "penaltyRange": "Reprimand to expulsion", "proposedPenalty": "MK-PROPOSED expulsion" } })).await;
    assert_eq!(
        code(&s).1.as_deref(),
        Some("R-HEA-1"),
        "five working days' notice"
    );
    let s = data(app.gql(Some("olivia"), SUMMON, json!({ "input": { "caseId": id, "scheduledAt": app.in_days(21), "location": "Council Room",
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
    let appeal = lodged(&app, &id, &["EXCESSIVE_SANCTION"]).await;
    assign_staff(&app, &id, "rex", "APPEAL_REVIEWER").await;
    p.case.refresh(&app).await;
    let r = data(app.gql(Some("rex"), REVIEW_APPEAL, json!({ "input": { "appealId": appeal, "expectedVersion": p.case.version, "decision": "REJECT", "reasons": "No grounds shown" } })).await);
    let c = &r["reviewAppeal"]["case"];
    assert_eq!(c["stage"], "CLOSED");
    let today = app.today();
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
    audit_covers_every_sensitive_read(&app, &id, &p.case.reporter).await;
    app.stop().await;
}
db_test!(a_case_runs_from_report_to_completion_of_procedures);

/// R-VIS-2 (issue 10 item 6): every sensitive field DOMAIN §3 guards leaves an
/// audit entry when it is read. Each row is one field, the person entitled to
/// read it, and the operation its entry must carry; a field that starts being
/// read without an entry fails here.
async fn audit_covers_every_sensitive_read(app: &TestApp, id: &str, reporter: &str) {
    use entity::audit_entry;
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    const SENSITIVE: &[(&str, &str, &str)] = &[
        (
            "cara",
            "disclosure { description }",
            "read:disclosure.description",
        ),
        ("olivia", "report { statement }", "read:report.statement"),
        (
            "cara",
            "parties { contact { email } }",
            "read:party.contact",
        ),
        (
            "cara",
            "parties { supportNotes { body } }",
            "read:party.supportNotes",
        ),
        (
            "cara",
            "parties { optionsConversations { summary } }",
            "read:party.optionsConversations",
        ),
        (
            "olivia",
            "investigationReport { summary }",
            "read:investigationReport",
        ),
        ("olivia", "evidence { description }", "read:evidence"),
        ("olivia", "statements { body }", "read:statements"),
        ("ian", "recordings { location }", "read:recordings"),
        ("olivia", "decision { reasons }", "read:decision"),
        ("olivia", "outcome { reasons }", "read:outcome"),
        (
            "olivia",
            "respondentOutcomes { partyId breachFound }",
            "read:respondentOutcomes",
        ),
        ("olivia", "hearings { proposedPenalty }", "read:hearings"),
        (
            "olivia",
            "sanctions { kind justification }",
            "read:sanctions",
        ),
        ("olivia", "appeals { statement }", "read:appeals"),
        (
            "olivia",
            "reviewRequests { grounds }",
            "read:reviewRequests",
        ),
        (
            "olivia",
            "toldToReportingParty { disclosed }",
            "read:toldToReportingParty",
        ),
        ("olivia", "letters { text }", "read:letter.text"),
    ];
    // Something in every field: Cara writes a note for Alice.
    no_errors(
        app.gql(
            Some("cara"),
            NOTE,
            json!({ "c": id, "p": reporter, "b": "MK-AUDITED-NOTE", "s": false }),
        )
        .await,
    );
    let case_id: uuid::Uuid = id.parse().expect("uuid");
    let count = |operation: &'static str| async move {
        audit_entry::Entity::find()
            .filter(audit_entry::Column::CaseId.eq(case_id))
            .filter(audit_entry::Column::Operation.eq(operation))
            .count(&app.db)
            .await
            .expect("audit")
    };
    let mut missing = Vec::new();
    for (who, fields, operation) in SENSITIVE {
        let before = count(operation).await;
        let query = format!("query($id: UUID!) {{ case(id: $id) {{ {fields} }} }}");
        let body = no_errors(app.gql(Some(who), &query, json!({ "id": id })).await);
        assert!(
            has_content(&body["data"]["case"]),
            "{who} must see something in {fields}: {body}"
        );
        if count(operation).await <= before {
            missing.push(format!("{fields} read by {who}: no {operation} entry"));
        }
    }
    assert!(
        missing.is_empty(),
        "sensitive reads not audited: {missing:#?}"
    );
}

/// Some text or number somewhere in `v`: the read returned content.
fn has_content(v: &Value) -> bool {
    match v {
        Value::String(s) => !s.is_empty(),
        Value::Number(_) => true,
        Value::Array(items) => items.iter().any(has_content),
        Value::Object(fields) => fields.values().any(has_content),
        _ => false,
    }
}
