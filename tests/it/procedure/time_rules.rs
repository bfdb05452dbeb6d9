//! Working days, closures and the UK calendar day (R-TIME-1, R-HEA-2).

use chrono::TimeZone;

use super::*;

async fn a_summons_response_date_skips_bank_holidays_and_closure_days(backend: Backend) {
    // A hearing on 5 January two years ahead; the institution is closed 29–31 December before it.
    let year = Utc::now().year() + 2;
    let closures = format!(
        "closure_days = [\"{y}-12-29\", \"{y}-12-30\", \"{y}-12-31\"]",
        y = year - 1
    );
    let text = misconduct_api::policy::LEICESTER_DEFAULT.replace(
        "version = \"leicester-2025.11\"",
        "version = \"test-closures\"",
    );
    let start = text.find("closure_days = [").expect("closure days");
    let end = start + text[start..].find(']').expect("end") + 1;
    let text = format!("{}{}{}", &text[..start], closures, &text[end..]);
    let dir = std::env::temp_dir().join(format!("policy-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).expect("dir");
    let file = dir.join("policy.toml");
    std::fs::write(&file, &text).expect("write");
    let app = TestApp::start_with(
        backend,
        &[("MISCONDUCT_POLICY_FILE", &file.display().to_string())],
    )
    .await;
    let mut p = triaged(&app, "HIGH").await;
    let id = p.case.id.clone();
    assign_staff(&app, &id, "dee", "DECISION_MAKER").await;
    p.case.refresh(&app).await;
    no_errors(app.gql(Some("olivia"), "mutation($c: UUID!, $v: Int!) { recordConviction(caseId: $c, details: \"Convicted at Crown Court\", expectedVersion: $v) { version } }", json!({ "c": id, "v": p.case.version })).await);
    p.case.refresh(&app).await;
    data(app.gql(Some("dee"), DECIDE, json!({ "input": { "caseId": id, "expectedVersion": p.case.version, "option": "REFER_TO_PANEL", "reasons": "Conviction (R-INV-5)" } })).await);
    let members = [
        person_id(&app, "p1").await,
        person_id(&app, "p2").await,
        person_id(&app, "p3").await,
    ];
    no_errors(
        app.gql(Some("olivia"), PANEL, json!({ "c": id, "m": members }))
            .await,
    );
    let hearing_on = format!("{year}-01-05T10:00:00Z");
    let s = data(app.gql(Some("olivia"), SUMMON, json!({ "input": { "caseId": id, "scheduledAt": hearing_on, "location": "Council Room",
        "allegedBreaches": "Conduct leading to conviction", "penaltyRange": "Up to expulsion", "proposedPenalty": "Expulsion" } })).await);
    let due = s["summonToHearing"]["case"]["hearings"][0]["responseDue"]
        .as_str()
        .expect("due")
        .to_string();
    let calendar = app.config.policy.calendar();
    let expected =
        calendar.subtract_working_days(format!("{year}-01-05").parse().expect("date"), 2);
    assert_eq!(due, expected.to_string());
    assert!(
        due < format!("{}-12-29", year - 1),
        "two working days before 5 January skip New Year's Day, the closure days and Christmas: {due}"
    );
    app.stop().await;
    let _ = std::fs::remove_dir_all(dir);
}
db_test!(a_summons_response_date_skips_bank_holidays_and_closure_days);

/// A fine decided at the decision stage, so the case is at OUTCOME with an
/// appeal window; returns the window's last day.
pub(super) async fn fined(app: &TestApp, p: &mut Procedure) -> chrono::NaiveDate {
    fined_by(app, p, "dee").await
}

/// `fined`, decided by `dm` (a decision maker new to the students, R-IND-5).
async fn fined_by(app: &TestApp, p: &mut Procedure, dm: &str) -> chrono::NaiveDate {
    investigate(app, p).await;
    let id = p.case.id.clone();
    data(
        app.gql(
            Some("ian"),
            REPORT_INV,
            json!({ "c": id, "v": p.case.version, "f": "BREACH" }),
        )
        .await,
    );
    assign_staff(app, &id, dm, "DECISION_MAKER").await;
    p.case.refresh(app).await;
    data(app.gql(Some(dm), DECIDE, json!({ "input": { "caseId": id, "expectedVersion": p.case.version, "option": "SANCTION", "reasons": "Breach found",
        "sanctions": [{ "partyId": p.case.respondent, "kind": "FINE", "amountPence": 10_000, "justification": "Proportionate", "whyNotLesser": "A warning would not reflect the harm" }] } })).await);
    let ben = app.ok("ben", PARTY_VIEW, json!({ "id": id })).await;
    ben["myCase"]["outcome"]["appealWindowEnds"]
        .as_str()
        .expect("window")
        .parse()
        .expect("date")
}

/// R-APP-1 with R-TIME-1: days are UK days. In summer the UK is an hour ahead
/// of UTC, so at 00:30 on the day after the window (23:30 UTC, still the last
/// day in UTC) the window has closed, and at 23:30 on its last day it is open.
async fn an_appeal_window_ends_at_midnight_in_the_uk_not_in_utc(backend: Backend) {
    let app = TestApp::start(backend).await;
    // A Monday morning in June: British Summer Time.
    app.clock.set(
        chrono::Utc
            .with_ymd_and_hms(2027, 6, 7, 9, 0, 0)
            .single()
            .expect("time"),
    );
    let mut p = triaged(&app, "HIGH").await;
    let last_day = fined(&app, &mut p).await;
    let at = |h: u32, m: u32| last_day.and_hms_opt(h, m, 0).expect("time").and_utc();
    let lodge = json!({ "c": p.case.id, "g": ["EXCESSIVE_SANCTION"] });

    app.clock.set(at(23, 30)); // 00:30 BST the next day
    let body = app.gql(Some("ben"), LODGE, lodge.clone()).await;
    assert_eq!(
        code(&body).1.as_deref(),
        Some("R-APP-1"),
        "after midnight in the UK the window has closed: {body}"
    );

    app.clock.set(at(22, 30)); // 23:30 BST on the last day
    let body = app.gql(Some("ben"), LODGE, lodge).await;
    assert_eq!(
        data(body)["lodgeAppeal"]["myCase"]["appeals"][0]["status"],
        "LODGED",
        "until midnight in the UK the window is open"
    );
    app.stop().await;
}
db_test!(an_appeal_window_ends_at_midnight_in_the_uk_not_in_utc);

/// R-HEA-2: a companion is named at least `companion_notice_before` working
/// days before the hearing (here 5, longer than the 2-day response deadline).
async fn a_companion_named_too_late_is_refused(backend: Backend) {
    let policy = policy_file(
        "test-companion",
        &[("companion_notice_before = 2", "companion_notice_before = 5")],
    );
    let app = TestApp::start_with(backend, &[("MISCONDUCT_POLICY_FILE", &policy)]).await;
    let id = referred_to_a_panel(&app).await;
    let calendar = app.config.policy.calendar();
    let hearing_day = calendar.add_working_days(app.today(), 12);
    let s = data(app.gql(Some("olivia"), SUMMON, json!({ "input": { "caseId": id, "scheduledAt": format!("{hearing_day}T10:00:00Z"),
        "location": "Council Room", "allegedBreaches": "Harassment", "penaltyRange": "Up to suspension", "proposedPenalty": "Reprimand" } })).await);
    let hearing = s["summonToHearing"]["case"]["hearings"][0]["id"].clone();
    // Three working days before the hearing: in time to respond, too late to name a companion.
    let day = calendar.subtract_working_days(hearing_day, 3);
    app.days_pass((day - app.today()).num_days());
    let respond = r#"mutation($h: UUID!, $c: String) { respondToSummons(hearingId: $h, response: ATTEND, companion: $c) { version } }"#;
    let late = app
        .gql(
            Some("ben"),
            respond,
            json!({ "h": hearing, "c": "Students' Union adviser" }),
        )
        .await;
    assert_eq!(
        code(&late),
        ("RULE_VIOLATION".into(), Some("R-HEA-2".into())),
        "{late}"
    );
    let message = late["errors"][0]["message"].as_str().expect("message");
    assert!(message.contains("at least 5 working days"), "{message}");
    no_errors(
        app.gql(Some("ben"), respond, json!({ "h": hearing, "c": null }))
            .await,
    );
    app.stop().await;
}
db_test!(a_companion_named_too_late_is_refused);

/// Under 004's procedure (`policy/proctor.toml`, issue 11 item 2): ten working
/// days' notice of a hearing, and the decision within seven.
async fn the_proctor_procedure_gives_ten_days_notice_and_seven_to_decide(backend: Backend) {
    let file = concat!(env!("CARGO_MANIFEST_DIR"), "/policy/proctor.toml");
    let app = TestApp::start_with(backend, &[("MISCONDUCT_POLICY_FILE", file)]).await;
    let id = referred_to_a_panel(&app).await;
    let calendar = app.config.policy.calendar();
    let summon = |day: chrono::NaiveDate| {
        json!({ "input": { "caseId": id, "scheduledAt": format!("{day}T10:00:00Z"), "location": "Council Room",
            "allegedBreaches": "Conduct leading to conviction", "penaltyRange": "Up to expulsion", "proposedPenalty": "Reprimand" } })
    };
    // Seven working days' notice is enough at Leicester (five), not here.
    let short = calendar.add_working_days(app.today(), 7);
    let body = app.gql(Some("olivia"), SUMMON, summon(short)).await;
    assert_eq!(
        code(&body),
        ("RULE_VIOLATION".into(), Some("R-HEA-1".into())),
        "{body}"
    );
    let hearing_day = calendar.add_working_days(app.today(), 10);
    data(app.gql(Some("olivia"), SUMMON, summon(hearing_day)).await);
    let staff = app.ok("olivia", STAFF_VIEW, json!({ "id": id })).await;
    let decision_due = staff["case"]["deadlines"]
        .as_array()
        .expect("deadlines")
        .iter()
        .find(|d| d["kind"] == "HEARING_DECISION")
        .expect("decision deadline")["dueOn"]
        .clone();
    assert_eq!(
        decision_due,
        calendar.add_working_days(hearing_day, 7).to_string(),
        "R-HEA-4: seven working days"
    );
    let policy = app
        .ok("alice", "{ policy { version institution } }", json!({}))
        .await;
    assert_eq!(policy["policy"]["version"], "proctor-2025.9");
    app.stop().await;
}
db_test!(the_proctor_procedure_gives_ten_days_notice_and_seven_to_decide);

/// R-TIME-3 (issue 10 item 3): a pause in the middle of an appeal window moves
/// it, and the rule reads the moved date: an appeal on the moved last day is
/// accepted, one a day after it refused.
async fn a_pause_moves_the_appeal_window_the_rule_enforces(backend: Backend) {
    let app = TestApp::start(backend).await;
    let mut first = triaged(&app, "MEDIUM").await;
    let end = fined(&app, &mut first).await;
    let mut second = triaged_case(&app, "MEDIUM").await;
    app.person("dan", PersonKind::Staff, &[StaffRole::DecisionMaker])
        .await;
    assert_eq!(
        fined_by(&app, &mut second, "dan").await,
        end,
        "the same window"
    );
    let calendar = app.config.policy.calendar();

    // Two working days into the window both cases are paused for a week.
    app.days_pass((calendar.add_working_days(app.today(), 2) - app.today()).num_days());
    let paused_on = app.today();
    for p in [&mut first, &mut second] {
        p.case.refresh(&app).await;
        data(
            app.gql(
                Some("olivia"),
                PAUSE,
                json!({ "c": p.case.id, "v": p.case.version }),
            )
            .await,
        );
    }
    app.days_pass(7);
    let moved =
        calendar.add_working_days(end, calendar.working_days_between(paused_on, app.today()));
    assert!(moved > end);
    for p in [&mut first, &mut second] {
        p.case.refresh(&app).await;
        data(
            app.gql(
                Some("olivia"),
                RESUME,
                json!({ "c": p.case.id, "v": p.case.version }),
            )
            .await,
        );
        let ben = app.ok("ben", PARTY_VIEW, json!({ "id": p.case.id })).await;
        assert_eq!(
            ben["myCase"]["outcome"]["appealWindowEnds"],
            moved.to_string(),
            "the window shown moved"
        );
        let window = ben["myCase"]["myDeadlines"]
            .as_array()
            .expect("deadlines")
            .iter()
            .find(|d| d["kind"] == "APPEAL_WINDOW")
            .expect("appeal window")["dueOn"]
            .clone();
        assert_eq!(window, moved.to_string(), "the deadline moved");
    }
    // R-INV-9: both parties were written to on the pause (not why) and the resume.
    let letters = app
        .ok(
            "olivia",
            "query($id: UUID!) { case(id: $id) { letters { kind partyId text } } }",
            json!({ "id": first.case.id }),
        )
        .await;
    let days = calendar.working_days_between(paused_on, app.today());
    for party in [&first.case.reporter, &first.case.respondent] {
        let text_of = |kind: &str| {
            letters["case"]["letters"]
                .as_array()
                .expect("letters")
                .iter()
                .find(|l| l["kind"] == kind && l["partyId"] == party.as_str())
                .and_then(|l| l["text"].as_str())
                .unwrap_or_else(|| panic!("no {kind} letter to {party}: {letters}"))
                .to_string()
        };
        let paused = text_of("CASE_PAUSED");
        assert!(
            !paused.contains("POLICE"),
            "the reason is the procedure's: {paused}"
        );
        let resumed = text_of("CASE_RESUMED");
        assert!(
            resumed.contains(&format!("moved on by {days} working days")),
            "{resumed}"
        );
    }

    // The moved last day (after the original one): accepted.
    app.days_pass((moved - app.today()).num_days());
    assert!(app.today() > end);
    data(
        app.gql(
            Some("ben"),
            LODGE,
            json!({ "c": first.case.id, "g": ["PROCEDURAL_IRREGULARITY"] }),
        )
        .await,
    );
    // A day later: refused.
    app.days_pass(1);
    let late = app
        .gql(
            Some("ben"),
            LODGE,
            json!({ "c": second.case.id, "g": ["PROCEDURAL_IRREGULARITY"] }),
        )
        .await;
    assert_eq!(
        code(&late),
        ("RULE_VIOLATION".into(), Some("R-APP-1".into())),
        "{late}"
    );
    app.stop().await;
}
db_test!(a_pause_moves_the_appeal_window_the_rule_enforces);

/// A triaged case after a conviction (R-INV-5), referred by Dee to a panel
/// of three: ready for a summons. Returns its id.
pub(super) async fn referred_to_a_panel(app: &TestApp) -> String {
    let id = referred_to_a_hearing(app).await;
    let members = [
        person_id(app, "p1").await,
        person_id(app, "p2").await,
        person_id(app, "p3").await,
    ];
    no_errors(
        app.gql(Some("olivia"), PANEL, json!({ "c": id, "m": members }))
            .await,
    );
    id
}

/// A case referred to a hearing, with no panel convened yet.
pub(super) async fn referred_to_a_hearing(app: &TestApp) -> String {
    let mut p = triaged(app, "HIGH").await;
    let id = p.case.id.clone();
    assign_staff(app, &id, "dee", "DECISION_MAKER").await;
    p.case.refresh(app).await;
    no_errors(app.gql(Some("olivia"), "mutation($c: UUID!, $v: Int!) { recordConviction(caseId: $c, details: \"Convicted\", expectedVersion: $v) { version } }", json!({ "c": id, "v": p.case.version })).await);
    p.case.refresh(app).await;
    data(app.gql(Some("dee"), DECIDE, json!({ "input": { "caseId": id, "expectedVersion": p.case.version, "option": "REFER_TO_PANEL", "reasons": "Conviction (R-INV-5)" } })).await);
    id
}
