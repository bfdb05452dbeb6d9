//! Changes of plan (issue 10 item 1): a meeting moved or called off, a
//! hearing rearranged — each re-checks its notice rule, moves the dates that
//! hang on it, is on the timeline, and sends a letter replacing the first.

use super::*;

const RESCHEDULE: &str = r#"mutation($m: UUID!, $at: DateTime!, $agreed: Boolean = false) { rescheduleMeeting(meetingId: $m, scheduledAt: $at, agreedShorterNotice: $agreed, location: "Room 2.14") { version case { meetings { id writtenResponseDue cancelledAt } } } }"#;
const CANCEL: &str = r#"mutation($m: UUID!) { cancelMeeting(meetingId: $m, reason: "MK-CANCEL-REASON the investigator is ill") { case { meetings { id cancelledAt } } } }"#;
const REARRANGE: &str = r#"mutation($h: UUID!, $at: DateTime!) { rearrangeHearing(hearingId: $h, scheduledAt: $at, reason: "A panel member is unwell") { case { hearings { id responseDue } deadlines { kind dueOn } } } }"#;
const MEETING_ATTENDANCE: &str = r#"mutation($m: UUID!, $a: Boolean!) { recordMeetingAttendance(meetingId: $m, attended: $a) { case { meetings { id attended } } } }"#;
const HEARING_ATTENDANCE: &str = r#"mutation($h: UUID!, $a: Boolean!) { recordHearingAttendance(hearingId: $h, attended: $a) { case { hearings { attended } } } }"#;
const LETTERS: &str =
    "query($id: UUID!) { case(id: $id) { letters { id kind partyId text replacesId datedOn } } }";

pub(super) async fn letters_to(app: &TestApp, id: &str, party: &str, kind: &str) -> Vec<Value> {
    let body = app.ok("olivia", LETTERS, json!({ "id": id })).await;
    body["case"]["letters"]
        .as_array()
        .expect("letters")
        .iter()
        .filter(|l| l["partyId"] == party && l["kind"] == kind)
        .cloned()
        .collect()
}

async fn timeline_kinds(app: &TestApp, who: &str, id: &str) -> Vec<String> {
    let body = app
        .ok(
            who,
            "query($id: UUID!) { myCase(id: $id) { timeline { kind } } }",
            json!({ "id": id }),
        )
        .await;
    body["myCase"]["timeline"]
        .as_array()
        .expect("timeline")
        .iter()
        .filter_map(|e| e["kind"].as_str().map(String::from))
        .collect()
}

async fn a_meeting_is_moved_or_called_off_with_the_letters_that_replace_its_invitation(
    backend: Backend,
) {
    let app = TestApp::start(backend).await;
    // Monday 6 September 2027.
    on_monday_6_september_2027(&app);
    let mut p = triaged(&app, "HIGH").await;
    let id = p.case.id.clone();
    assign_staff(&app, &id, "ian", "INVESTIGATOR").await;
    p.case.refresh(&app).await;
    data(
        app.gql(
            Some("olivia"),
            START,
            json!({ "c": id, "v": p.case.version }),
        )
        .await,
    );
    let meeting_with = |party: &str, days: i64| {
        let app = &app;
        let (id, party) = (id.clone(), party.to_string());
        async move {
            let m = data(
                app.gql(
                    Some("ian"),
                    MEETING,
                    json!({ "c": id, "p": party, "at": app.in_days(days) }),
                )
                .await,
            );
            m["scheduleMeeting"]["case"]["meetings"]
                .as_array()
                .expect("meetings")
                .iter()
                .rfind(|x| x["partyId"] == party.as_str())
                .expect("meeting")["id"]
                .as_str()
                .expect("id")
                .to_string()
        }
    };
    let ben_meeting = meeting_with(&p.case.respondent, 14).await;

    // Moved to two days from now: R-INV-2's notice applies to the new date.
    let soon = app.in_days(2);
    let body = app
        .gql(
            Some("ian"),
            RESCHEDULE,
            json!({ "m": ben_meeting, "at": soon }),
        )
        .await;
    assert_eq!(
        code(&body),
        ("RULE_VIOLATION".into(), Some("R-INV-2".into())),
        "{body}"
    );
    let body = app
        .gql(
            Some("cara"),
            RESCHEDULE,
            json!({ "m": ben_meeting, "at": app.in_days(21) }),
        )
        .await;
    assert_eq!(code(&body).0, "FORBIDDEN", "only the investigators: {body}");
    // Moved three weeks on: the written response date moves with it.
    let moved = data(
        app.gql(
            Some("ian"),
            RESCHEDULE,
            json!({ "m": ben_meeting, "at": app.in_days(21) }),
        )
        .await,
    );
    let due = moved["rescheduleMeeting"]["case"]["meetings"][0]["writtenResponseDue"]
        .as_str()
        .expect("due")
        .to_string();
    let expected = app
        .config
        .policy
        .calendar()
        .subtract_working_days(app.today() + Duration::days(21), 2);
    assert_eq!(due, expected.to_string());
    let ben = app.ok("ben", PARTY_VIEW, json!({ "id": id })).await;
    let deadline = ben["myCase"]["myDeadlines"]
        .as_array()
        .expect("deadlines")
        .iter()
        .find(|d| d["kind"] == "WRITTEN_RESPONSE")
        .expect("written response")["dueOn"]
        .clone();
    assert_eq!(deadline, due.as_str(), "the deadline the rule reads moved");
    let invitations = letters_to(&app, &id, &p.case.respondent, "MEETING_INVITATION").await;
    assert_eq!(invitations.len(), 2, "{invitations:#?}");
    assert_eq!(invitations[1]["replacesId"], invitations[0]["id"]);
    let second = invitations[1]["text"].as_str().expect("text");
    assert!(
        second.contains("This letter replaces the invitation"),
        "{second}"
    );
    assert!(second.contains("Room 2.14"), "{second}");
    assert!(
        timeline_kinds(&app, "ben", &id)
            .await
            .contains(&"MEETING_RESCHEDULED".to_string())
    );
    assert!(
        !timeline_kinds(&app, "alice", &id)
            .await
            .contains(&"MEETING_RESCHEDULED".to_string()),
        "the other side's meetings are not theirs to see"
    );

    // Alice's meeting is called off: she is told, once.
    let alice_meeting = meeting_with(&p.case.reporter, 10).await;
    let c = data(
        app.gql(Some("ian"), CANCEL, json!({ "m": alice_meeting }))
            .await,
    );
    let cancelled = c["cancelMeeting"]["case"]["meetings"]
        .as_array()
        .expect("meetings")
        .iter()
        .find(|m| m["id"] == alice_meeting.as_str())
        .expect("meeting")
        .clone();
    assert!(cancelled["cancelledAt"].is_string());
    let notice = letters_to(&app, &id, &p.case.reporter, "MEETING_CANCELLED").await;
    assert_eq!(notice.len(), 1);
    let invitation = letters_to(&app, &id, &p.case.reporter, "MEETING_INVITATION").await;
    assert_eq!(notice[0]["replacesId"], invitation[0]["id"]);
    assert!(
        !notice[0]["text"]
            .as_str()
            .expect("text")
            .contains("MK-CANCEL-REASON"),
        "the letter does not repeat the procedure's reason"
    );
    let body = app
        .gql(Some("ian"), CANCEL, json!({ "m": alice_meeting }))
        .await;
    assert_eq!(code(&body).0, "CONFLICT", "{body}");
    let body = app
        .gql(
            Some("ian"),
            RESCHEDULE,
            json!({ "m": alice_meeting, "at": app.in_days(21) }),
        )
        .await;
    assert_eq!(
        code(&body).0,
        "CONFLICT",
        "a cancelled meeting stays cancelled: {body}"
    );

    // Attendance, once the meeting has taken place.
    let attend = json!({ "m": ben_meeting, "a": true });
    let body = app
        .gql(Some("ian"), MEETING_ATTENDANCE, attend.clone())
        .await;
    assert_eq!(code(&body).0, "VALIDATION", "not before it: {body}");
    app.days_pass(22);
    let a = data(
        app.gql(Some("ian"), MEETING_ATTENDANCE, attend.clone())
            .await,
    );
    let recorded = a["recordMeetingAttendance"]["case"]["meetings"]
        .as_array()
        .expect("meetings")
        .iter()
        .find(|m| m["id"] == ben_meeting.as_str())
        .expect("ben's meeting")["attended"]
        .clone();
    assert_eq!(recorded, true);
    let body = app.gql(Some("ian"), MEETING_ATTENDANCE, attend).await;
    assert_eq!(code(&body).0, "CONFLICT", "recorded once: {body}");
    assert!(
        timeline_kinds(&app, "ben", &id)
            .await
            .contains(&"ATTENDANCE_RECORDED".to_string())
    );
    assert!(
        !timeline_kinds(&app, "alice", &id)
            .await
            .contains(&"ATTENDANCE_RECORDED".to_string())
    );
    app.stop().await;
}
db_test!(a_meeting_is_moved_or_called_off_with_the_letters_that_replace_its_invitation);

/// On Monday 6 September 2027 a case referred to a panel is summoned to a
/// hearing a fortnight later (Monday 20 September): the case and its hearing.
async fn summoned_for_the_20th(app: &TestApp) -> (String, String) {
    on_monday_6_september_2027(app);
    let id = super::time_rules::referred_to_a_panel(app).await;
    let s = data(app.gql(Some("olivia"), SUMMON, json!({ "input": { "caseId": id, "scheduledAt": app.in_days(14), "location": "Council Room",
        "allegedBreaches": "Conduct leading to conviction", "penaltyRange": "a reprimand to expulsion", "proposedPenalty": "MK-PROPOSED suspension" } })).await);
    let hearing = s["summonToHearing"]["case"]["hearings"][0]["id"]
        .as_str()
        .expect("hearing")
        .to_string();
    (id, hearing)
}

async fn a_hearing_is_rearranged_with_notice_and_its_dates_move(backend: Backend) {
    let app = TestApp::start(backend).await;
    let (id, hearing) = summoned_for_the_20th(&app).await;
    let body = app
        .gql(
            Some("olivia"),
            REARRANGE,
            json!({ "h": hearing, "at": app.in_days(3) }),
        )
        .await;
    assert_eq!(
        code(&body),
        ("RULE_VIOLATION".into(), Some("R-HEA-1".into())),
        "the same notice for the new date: {body}"
    );
    let body = app
        .gql(
            Some("ben"),
            REARRANGE,
            json!({ "h": hearing, "at": app.in_days(28) }),
        )
        .await;
    assert_eq!(code(&body).0, "FORBIDDEN", "{body}");
    let r = data(
        app.gql(
            Some("olivia"),
            REARRANGE,
            json!({ "h": hearing, "at": app.in_days(28) }),
        )
        .await,
    );
    let calendar = app.config.policy.calendar();
    let new_day = app.today() + Duration::days(28);
    let respond_by = calendar.subtract_working_days(new_day, 2);
    assert_eq!(
        r["rearrangeHearing"]["case"]["hearings"][0]["responseDue"],
        respond_by.to_string()
    );
    let deadlines = r["rearrangeHearing"]["case"]["deadlines"].to_string();
    assert!(
        deadlines.contains(&calendar.add_working_days(new_day, 5).to_string()),
        "R-HEA-4: the decision is due five working days after the new date: {deadlines}"
    );
    let ben_party = responding_party_id(&app, &id).await;
    let summons = letters_to(&app, &id, &ben_party, "HEARING_SUMMONS").await;
    let rearranged = letters_to(&app, &id, &ben_party, "HEARING_REARRANGED").await;
    assert_eq!((summons.len(), rearranged.len()), (1, 1));
    assert_eq!(rearranged[0]["replacesId"], summons[0]["id"]);
    let words = rearranged[0]["text"].as_str().expect("text");
    assert!(
        words.contains("MK-PROPOSED suspension"),
        "the same papers: {words}"
    );
    assert!(
        words.contains(&new_day.format("%A %-d %B %Y").to_string()),
        "{words}"
    );
    assert!(
        timeline_kinds(&app, "ben", &id)
            .await
            .contains(&"HEARING_REARRANGED".to_string())
    );
    assert!(
        !timeline_kinds(&app, "alice", &id)
            .await
            .contains(&"HEARING_REARRANGED".to_string()),
        "hearing papers are the responding side's"
    );

    // Ben says he will attend, then does not come (R-HEA-2): deemed acceptance,
    // the summons having reached him (by e-mail) in time.
    no_errors(app.gql(Some("ben"), RESPOND, json!({ "h": hearing })).await);
    let absent = json!({ "h": hearing, "a": false });
    let body = app
        .gql(Some("olivia"), HEARING_ATTENDANCE, absent.clone())
        .await;
    assert_eq!(code(&body).0, "VALIDATION", "not before it: {body}");
    app.days_pass(29);
    let body = app
        .gql(Some("ben"), HEARING_ATTENDANCE, absent.clone())
        .await;
    assert_eq!(code(&body).0, "FORBIDDEN", "{body}");
    let a = data(app.gql(Some("olivia"), HEARING_ATTENDANCE, absent).await);
    assert_eq!(
        a["recordHearingAttendance"]["case"]["hearings"][0]["attended"],
        false
    );
    let version = app
        .ok(
            "olivia",
            "query($id: UUID!) { case(id: $id) { version } }",
            json!({ "id": id }),
        )
        .await["case"]["version"]
        .clone();
    let members = [
        person_id(&app, "p1").await,
        person_id(&app, "p2").await,
        person_id(&app, "p3").await,
    ];
    let votes = json!([{ "memberId": members[0], "breach": false }, { "memberId": members[1], "breach": false }, { "memberId": members[2], "breach": false }]);
    let body = app.gql(Some("p1"), HEARING_DECISION, json!({ "input": { "hearingId": hearing, "expectedVersion": version, "votes": votes, "reasons": "He did not come" } })).await;
    assert_eq!(
        code(&body).0,
        "VALIDATION",
        "not attending is deemed acceptance: a breach, so a sanction is needed: {body}"
    );
    app.stop().await;
}
db_test!(a_hearing_is_rearranged_with_notice_and_its_dates_move);

/// R-INV-8: a party may be accompanied at their investigation meeting — not by
/// a legal representative — and the adjustments agreed are recorded for the
/// investigator; the other side never sees them.
async fn a_meeting_records_its_companion_and_adjustments(backend: Backend) {
    let app = TestApp::start(backend).await;
    let mut p = triaged(&app, "MEDIUM").await;
    investigate(&app, &mut p).await;
    // Alice's meeting is still to come (Ben's has been held).
    let meetings = app
        .ok(
            "ian",
            "query($id: UUID!) { case(id: $id) { meetings { id partyId heldAt } } }",
            json!({ "id": p.case.id }),
        )
        .await;
    let meeting = meetings["case"]["meetings"]
        .as_array()
        .expect("meetings")
        .iter()
        .find(|m| m["partyId"] == p.case.reporter.as_str())
        .expect("Alice's meeting")["id"]
        .as_str()
        .expect("id")
        .to_string();
    const SET: &str = "mutation($m: UUID!, $c: MeetingCompanionInput, $a: [String!]) { setMeetingArrangements(meetingId: $m, companion: $c, adjustments: $a) { version } }";
    let set = |who: &'static str, role: &str, adjustments: Vec<String>| {
        let vars =
            json!({ "m": meeting, "c": { "name": "Sam Jones", "role": role }, "a": adjustments });
        let app = &app;
        async move { app.gql(Some(who), SET, vars).await }
    };
    let wanted = vec![
        "Breaks every 30 minutes".to_string(),
        "A quiet room".to_string(),
    ];
    let body = set("alice", "LEGAL_REPRESENTATIVE", wanted.clone()).await;
    assert_eq!(code(&body).1.as_deref(), Some("R-INV-8"), "{body}");
    for who in ["ben", "colin", "walter"] {
        let body = set(who, "FRIEND", wanted.clone()).await;
        assert_eq!(code(&body).0, "NOT_FOUND", "{who}: {body}");
    }
    let body = set("alice", "FRIEND", vec!["x".to_string(); 11]).await;
    assert_eq!(code(&body).0, "VALIDATION", "{body}");
    data(set("alice", "STUDENTS_UNION_ADVISER", wanted.clone()).await);

    let staff = app
        .ok(
            "ian",
            "query($id: UUID!) { case(id: $id) { meetings { id companion { name role } adjustments } } }",
            json!({ "id": p.case.id }),
        )
        .await;
    let recorded = staff["case"]["meetings"]
        .as_array()
        .expect("meetings")
        .iter()
        .find(|m| m["id"] == meeting.as_str())
        .expect("the meeting")
        .clone();
    assert_eq!(
        recorded["companion"],
        json!({ "name": "Sam Jones", "role": "STUDENTS_UNION_ADVISER" })
    );
    assert_eq!(recorded["adjustments"], json!(wanted));
    let ben = app
        .ok(
            "ben",
            "query($id: UUID!) { myCase(id: $id) { meetings { adjustments } } }",
            json!({ "id": p.case.id }),
        )
        .await;
    assert!(
        !ben.to_string().contains("quiet room"),
        "the other side's adjustments: {ben}"
    );

    // Once the meeting has taken place, its arrangements are history.
    app.days_pass(15);
    data(
        app.gql(
            Some("ian"),
            "mutation($m: UUID!) { recordMeetingAttendance(meetingId: $m, attended: true) { version } }",
            json!({ "m": meeting }),
        )
        .await,
    );
    let body = set("cara", "FRIEND", vec![]).await;
    assert_eq!(code(&body).0, "CONFLICT", "{body}");
    app.stop().await;
}
db_test!(a_meeting_records_its_companion_and_adjustments);

/// R-HEA-6: evidence for a hearing given at least five working days before it
/// is before the panel and shared as usual; later evidence waits for a panel
/// member (as chair) to admit it — unseen by the other side until then — and
/// the panel cannot decide while any waits.
async fn late_evidence_for_a_hearing_needs_the_chairs_permission(backend: Backend) {
    let app = TestApp::start(backend).await;
    let (id, hearing) = summoned_for_the_20th(&app).await;
    const ADD: &str = r#"mutation($c: UUID!, $d: String!) { addEvidence(caseId: $c, kind: DOCUMENT, description: $d) { version } }"#;
    const ITEMS: &str =
        "query($id: UUID!) { case(id: $id) { evidence { id description hearingId admission } } }";
    const MINE: &str = "query($id: UUID!) { myCase(id: $id) { evidence { description } } }";
    const ADMIT: &str = "mutation($e: UUID!, $a: Boolean!) { admitLateEvidence(evidenceId: $e, admit: $a) { version } }";
    const DECIDE_HEARING: &str = "mutation($h: UUID!, $v: Int!) { recordHearingDecision(input: { hearingId: $h, expectedVersion: $v, votes: [], reasons: \"r\" }) { version } }";
    let item = |described: &'static str| {
        let app = &app;
        let id = id.clone();
        async move {
            let body = app.ok("olivia", ITEMS, json!({ "id": id })).await;
            body["case"]["evidence"]
                .as_array()
                .expect("evidence")
                .iter()
                .find(|e| e["description"] == described)
                .cloned()
                .unwrap_or_else(|| panic!("no {described}: {body}"))
        }
    };
    let decide = || {
        let app = &app;
        let id = id.clone();
        let hearing = hearing.clone();
        async move {
            let v = app
                .ok(
                    "olivia",
                    "query($id: UUID!) { case(id: $id) { version } }",
                    json!({ "id": id }),
                )
                .await["case"]["version"]
                .clone();
            app.gql(Some("p1"), DECIDE_HEARING, json!({ "h": hearing, "v": v }))
                .await
        }
    };

    // Ten working days ahead: in time, before the panel and shared.
    data(
        app.gql(
            Some("ben"),
            ADD,
            json!({ "c": id, "d": "MK-IN-TIME reference" }),
        )
        .await,
    );
    let in_time = item("MK-IN-TIME reference").await;
    assert_eq!(in_time["hearingId"], hearing.as_str());
    assert!(in_time["admission"].is_null());
    let alice = app.ok("alice", MINE, json!({ "id": id })).await;
    assert!(alice.to_string().contains("MK-IN-TIME"), "{alice}");

    // Four days before: late.
    app.days_pass(10);
    for described in ["MK-LATE-ONE messages", "MK-LATE-TWO photographs"] {
        data(
            app.gql(Some("alice"), ADD, json!({ "c": id, "d": described }))
                .await,
        );
    }
    let one = item("MK-LATE-ONE messages").await;
    let two = item("MK-LATE-TWO photographs").await;
    assert_eq!(one["admission"], "PENDING");
    let ben = app.ok("ben", MINE, json!({ "id": id })).await;
    assert!(
        !ben.to_string().contains("MK-LATE"),
        "not before the other side until admitted: {ben}"
    );
    let alice = app.ok("alice", MINE, json!({ "id": id })).await;
    assert!(
        alice.to_string().contains("MK-LATE-ONE"),
        "her own: {alice}"
    );
    let body = decide().await;
    assert_eq!(code(&body).1.as_deref(), Some("R-HEA-6"), "{body}");

    let body = app
        .gql(Some("olivia"), ADMIT, json!({ "e": one["id"], "a": true }))
        .await;
    assert_eq!(code(&body).0, "FORBIDDEN", "the panel's to decide: {body}");
    data(
        app.gql(Some("p1"), ADMIT, json!({ "e": one["id"], "a": true }))
            .await,
    );
    data(
        app.gql(Some("p2"), ADMIT, json!({ "e": two["id"], "a": false }))
            .await,
    );
    let body = app
        .gql(Some("p3"), ADMIT, json!({ "e": two["id"], "a": true }))
        .await;
    assert_eq!(code(&body).0, "CONFLICT", "decided once: {body}");
    assert_eq!(item("MK-LATE-ONE messages").await["admission"], "ADMITTED");
    assert_eq!(
        item("MK-LATE-TWO photographs").await["admission"],
        "REFUSED"
    );
    let ben = app.ok("ben", MINE, json!({ "id": id })).await;
    assert!(ben.to_string().contains("MK-LATE-ONE"), "admitted: {ben}");
    assert!(!ben.to_string().contains("MK-LATE-TWO"), "refused: {ben}");
    let body = decide().await;
    assert_eq!(
        code(&body).1.as_deref(),
        Some("R-HEA-3"),
        "nothing waits for the chair any more; the votes are what is missing: {body}"
    );
    app.stop().await;
}
db_test!(late_evidence_for_a_hearing_needs_the_chairs_permission);
