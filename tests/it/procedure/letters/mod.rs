//! Letters (issue 9): every letter of a case issued to exactly the right
//! people, with the dates later deadlines count from, by each party's route.

use chrono::TimeZone;

use super::*;

mod updates_and_corrections;

const MY_LETTERS: &str = "query($id: UUID!) { myCase(id: $id) { letters { id kind rule datedOn subject text route deliveredOn } } }";
const CASE_LETTERS: &str = "query($id: UUID!) { case(id: $id) { letters { id kind rule partyId datedOn text route delivererId deliveredOn } } }";
const CHANNEL: &str = "mutation($c: UUID!, $p: UUID!, $ch: PreferredChannel!) { setPreferredChannel(caseId: $c, partyId: $p, channel: $ch) { version } }";
const DELIVERED: &str = "mutation($l: UUID!, $on: NaiveDate) { markLetterDelivered(letterId: $l, deliveredOn: $on) { kind deliveredOn } }";

async fn party_letters(app: &TestApp, who: &str, id: &str) -> Vec<Value> {
    let body = app.ok(who, MY_LETTERS, json!({ "id": id })).await;
    body["myCase"]["letters"]
        .as_array()
        .expect("letters")
        .clone()
}

async fn staff_letters(app: &TestApp, who: &str, id: &str) -> Vec<Value> {
    let body = app.ok(who, CASE_LETTERS, json!({ "id": id })).await;
    body["case"]["letters"].as_array().expect("letters").clone()
}

fn kinds(letters: &[Value]) -> Vec<&str> {
    letters.iter().filter_map(|l| l["kind"].as_str()).collect()
}

fn one<'a>(letters: &'a [Value], kind: &str) -> &'a Value {
    let found: Vec<&Value> = letters.iter().filter(|l| l["kind"] == kind).collect();
    assert_eq!(found.len(), 1, "one {kind} letter: {letters:#?}");
    found[0]
}

fn text(letter: &Value) -> &str {
    letter["text"].as_str().expect("text")
}

/// "Thursday 9 September 2027", as letters write dates.
fn long(day: chrono::NaiveDate) -> String {
    day.format("%A %-d %B %Y").to_string()
}

/// A party's open deadline of `kind`, from their own view.
async fn deadline(app: &TestApp, who: &str, id: &str, kind: &str) -> chrono::NaiveDate {
    let body = app.ok(who, PARTY_VIEW, json!({ "id": id })).await;
    body["myCase"]["myDeadlines"]
        .as_array()
        .expect("deadlines")
        .iter()
        .find(|d| d["kind"] == kind)
        .unwrap_or_else(|| panic!("{who} has no {kind} deadline: {body}"))["dueOn"]
        .as_str()
        .expect("due")
        .parse()
        .expect("date")
}

/// E-mails to `who` saying a letter is waiting; none may carry case content.
async fn letter_emails(app: &TestApp, who: &str) -> usize {
    let data = app
        .ok(
            who,
            "{ myCommunications(first: 100) { nodes { kind subject body } } }",
            json!({}),
        )
        .await;
    let shown = data.to_string();
    assert!(!shown.contains("MK-"), "case content in an e-mail: {shown}");
    data["myCommunications"]["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .filter(|n| {
            n["body"]
                .as_str()
                .is_some_and(|b| b.contains("A new letter about your case"))
        })
        .count()
}

async fn every_letter_of_a_case_reaches_exactly_the_right_people(backend: Backend) {
    let app = TestApp::start(backend).await;
    // Wednesday 25 August 2027: the appeal window crosses the summer bank
    // holiday (Monday 30 August).
    app.clock.set(
        Utc.with_ymd_and_hms(2027, 8, 25, 8, 0, 0)
            .single()
            .expect("date"),
    );
    let mut p = triaged(&app, "HIGH").await;
    let id = p.case.id.clone();
    investigate(&app, &mut p).await;

    // Investigation meetings: each invitee, with notice, companion, adjustments,
    // no contact; the responding party's written response date.
    let alice = party_letters(&app, "alice", &id).await;
    let invite = text(one(&alice, "MEETING_INVITATION"));
    assert!(invite.contains("accompanied"), "{invite}");
    assert!(invite.contains("reasonable adjustments"), "{invite}");
    assert!(
        invite.contains("do not contact the other party"),
        "{invite}"
    );
    assert!(!invite.contains("written response"), "{invite}");
    let ben = party_letters(&app, "ben", &id).await;
    let invite = text(one(&ben, "MEETING_INVITATION"));
    // (Ben has since sent his response, so the deadline is met: read the meeting.)
    let view = app.ok("ben", PARTY_VIEW, json!({ "id": id })).await;
    let response_due: chrono::NaiveDate = view["myCase"]["meetings"][0]["writtenResponseDue"]
        .as_str()
        .expect("due")
        .parse()
        .expect("date");
    assert!(
        invite.contains(&format!(
            "written response to the report by {}",
            long(response_due)
        )),
        "{invite}"
    );
    assert_eq!(one(&ben, "MEETING_INVITATION")["rule"], "R-INV-2");

    // The investigation report: both principal parties, with their review window.
    data(
        app.gql(
            Some("ian"),
            REPORT_INV,
            json!({ "c": id, "v": p.case.version, "f": "BREACH" }),
        )
        .await,
    );
    for who in ["alice", "ben"] {
        let letters = party_letters(&app, who, &id).await;
        let review_by = deadline(&app, who, &id, "INVESTIGATION_REVIEW_REQUEST").await;
        let issued = text(one(&letters, "INVESTIGATION_REPORT_ISSUED"));
        assert!(issued.contains(&long(review_by)), "{who}: {issued}");
        assert!(
            !issued.contains("MK-INV-SUMMARY"),
            "the letter points to the report"
        );
    }

    // Referred to a panel; the summons goes to the responding party with the
    // evidence shared with them (R-HEA-6), not the investigators' own.
    assign_staff(&app, &id, "dee", "DECISION_MAKER").await;
    p.case.refresh(&app).await;
    data(app.gql(Some("dee"), DECIDE, json!({ "input": { "caseId": id, "expectedVersion": p.case.version, "option": "REFER_TO_PANEL", "reasons": "Serious allegations" } })).await);
    let members = [
        person_id(&app, "p1").await,
        person_id(&app, "p2").await,
        person_id(&app, "p3").await,
    ];
    no_errors(
        app.gql(Some("olivia"), PANEL, json!({ "c": id, "m": members }))
            .await,
    );
    let s = data(app.gql(Some("olivia"), SUMMON, json!({ "input": { "caseId": id, "scheduledAt": app.in_days(21), "location": "Council Room",
        "allegedBreaches": "Sexual misconduct (Reg. 9)", "penaltyRange": "a reprimand to expulsion", "proposedPenalty": "MK-PROPOSED expulsion" } })).await);
    let hearing = s["summonToHearing"]["case"]["hearings"][0]["id"]
        .as_str()
        .expect("hearing")
        .to_string();
    let ben = party_letters(&app, "ben", &id).await;
    let summons = text(one(&ben, "HEARING_SUMMONS"));
    for part in [
        "Council Room",
        "Sexual misconduct (Reg. 9)",
        "a reprimand to expulsion",
        "MK-PROPOSED expulsion",
        "MK-EVID-SHARED",
        "MK-EVID-ALICE",
    ] {
        assert!(summons.contains(part), "summons lacks {part}: {summons}");
    }
    assert!(!summons.contains("MK-EVID-INVESTIGATORS"), "{summons}");
    let respond_by = deadline(&app, "ben", &id, "HEARING_RESPONSE").await;
    assert!(summons.contains(&long(respond_by)), "{summons}");
    no_errors(app.gql(Some("ben"), RESPOND, json!({ "h": hearing })).await);

    // The outcome: the responding party, with reasons, penalty and the last
    // day to appeal on the working-day calendar (across the bank holiday).
    p.case.refresh(&app).await;
    let votes = json!([{ "memberId": members[0], "breach": true }, { "memberId": members[1], "breach": true }, { "memberId": members[2], "breach": false }]);
    let sanctions = json!([{ "partyId": p.case.respondent, "kind": "FORMAL_WRITTEN_WARNING", "justification": "MK-JUST proportionate", "whyNotLesser": "A reprimand would not reflect the harm" }]);
    data(app.gql(Some("p1"), HEARING_DECISION, json!({ "input": { "hearingId": hearing, "expectedVersion": p.case.version, "votes": votes, "reasons": "MK-OUTCOME-REASONS", "sanctions": sanctions } })).await);
    let last_day: chrono::NaiveDate = "2027-09-09".parse().expect("date");
    assert_eq!(
        deadline(&app, "ben", &id, "APPEAL_WINDOW").await,
        last_day,
        "ten working days from Wednesday 25 August 2027, not counting Monday 30 August"
    );
    let ben = party_letters(&app, "ben", &id).await;
    let outcome = one(&ben, "OUTCOME");
    assert_eq!(outcome["rule"], "R-OUT-1");
    assert_eq!(outcome["datedOn"], "2027-08-25");
    let words = text(outcome);
    for part in [
        "MK-OUTCOME-REASONS",
        "Formal written warning",
        "by Thursday 9 September 2027",
        "procedural irregularity",
    ] {
        assert!(words.contains(part), "outcome lacks {part}: {words}");
    }
    let alice = party_letters(&app, "alice", &id).await;
    assert_eq!(
        kinds(&alice),
        ["MEETING_INVITATION", "INVESTIGATION_REPORT_ISSUED"],
        "R-OUT-2: nothing of the outcome to the reporting party while appeals are open"
    );

    // Appeal on Friday 27 August: acknowledged, rejected, Completion of Procedures.
    app.days_pass(2);
    let appeal = lodged(&app, &id, &["EXCESSIVE_SANCTION"]).await;
    let ben = party_letters(&app, "ben", &id).await;
    let ack = text(one(&ben, "APPEAL_ACKNOWLEDGEMENT"));
    assert!(ack.contains("a penalty that is excessive"), "{ack}");
    assign_staff(&app, &id, "rex", "APPEAL_REVIEWER").await;
    p.case.refresh(&app).await;
    data(app.gql(Some("rex"), REVIEW_APPEAL, json!({ "input": { "appealId": appeal, "expectedVersion": p.case.version, "decision": "REJECT", "reasons": "MK-APPEAL-REASONS" } })).await);
    let ben = party_letters(&app, "ben", &id).await;
    assert!(text(one(&ben, "APPEAL_OUTCOME")).contains("MK-APPEAL-REASONS"));
    let completion = text(one(&ben, "COMPLETION_OF_PROCEDURES"));
    assert!(
        completion.contains("Friday 27 August 2027")
            && completion.contains("by Sunday 27 August 2028"),
        "R-APP-3: completed today, OIAHE complaint within 12 months: {completion}"
    );

    // R-OUT-2 with R-TIME-2: the reporting party's outcome notice is not dated
    // a Friday; it bears Tuesday 31 August (after the bank holiday) and is not
    // in her portal before then.
    let alice = party_letters(&app, "alice", &id).await;
    assert!(
        !kinds(&alice).contains(&"REPORTING_PARTY_OUTCOME"),
        "{alice:#?}"
    );
    let olivia = staff_letters(&app, "olivia", &id).await;
    let notice = one(&olivia, "REPORTING_PARTY_OUTCOME");
    assert_eq!(notice["datedOn"], "2027-08-31");
    assert_eq!(notice["partyId"], p.case.reporter.as_str());
    app.days_pass(4);
    let alice = party_letters(&app, "alice", &id).await;
    let told = text(one(&alice, "REPORTING_PARTY_OUTCOME"));
    assert!(told.contains("was found in breach"), "{told}");
    assert!(told.contains("Formal written warning"), "{told}");
    for hidden in ["MK-OUTCOME-REASONS", "MK-JUST", "MK-APPEAL-REASONS"] {
        assert!(!told.contains(hidden), "{hidden} told to Alice: {told}");
    }
    let record = app
        .ok(
            "olivia",
            "query($id: UUID!) { case(id: $id) { toldToReportingParty { item disclosed } } }",
            json!({ "id": id }),
        )
        .await;
    assert!(
        record.to_string().contains("Breach found"),
        "the letter's disclosure is recorded: {record}"
    );

    // Exactly the right people: each party their own; each case worker their
    // party's; the procedure all; the witness none.
    let ben_kinds = [
        "MEETING_INVITATION",
        "INVESTIGATION_REPORT_ISSUED",
        "HEARING_SUMMONS",
        "OUTCOME",
        "APPEAL_ACKNOWLEDGEMENT",
        "APPEAL_OUTCOME",
        "COMPLETION_OF_PROCEDURES",
    ];
    let alice_kinds = [
        "MEETING_INVITATION",
        "INVESTIGATION_REPORT_ISSUED",
        "REPORTING_PARTY_OUTCOME",
    ];
    assert_eq!(kinds(&party_letters(&app, "ben", &id).await), ben_kinds);
    assert_eq!(kinds(&alice), alice_kinds);
    assert_eq!(kinds(&staff_letters(&app, "colin", &id).await), ben_kinds);
    assert_eq!(kinds(&staff_letters(&app, "cara", &id).await), alice_kinds);
    assert_eq!(staff_letters(&app, "olivia", &id).await.len(), 10);
    assert!(party_letters(&app, "wendy", &id).await.is_empty());
    // A letter read by someone §3 excludes is not found.
    let ben_outcome = one(&party_letters(&app, "ben", &id).await, "OUTCOME")["id"].clone();
    let body = app
        .gql(Some("cara"), DELIVERED, json!({ "l": ben_outcome }))
        .await;
    assert_eq!(code(&body).0, "NOT_FOUND", "{body}");
    // Every letter went by e-mail as a notice carrying no case content.
    assert_eq!(letter_emails(&app, "ben").await, ben_kinds.len());
    assert_eq!(letter_emails(&app, "alice").await, alice_kinds.len());
    let body = app
        .gql(Some("ben"), DELIVERED, json!({ "l": ben_outcome }))
        .await;
    assert_eq!(
        code(&body).0,
        "CONFLICT",
        "an e-mailed letter is delivered: {body}"
    );
    app.stop().await;
}
db_test!(every_letter_of_a_case_reaches_exactly_the_right_people);

/// R-OUT-1: a party who asked to be told through their case worker gets the
/// letter from them — a task in the case worker's deadlines, no e-mail — and
/// the appeal window runs from the day it was handed over.
async fn a_letter_handed_over_by_the_case_worker_is_a_task_and_the_window_runs_from_receipt(
    backend: Backend,
) {
    let app = TestApp::start(backend).await;
    // Monday 6 September 2027.
    on_monday_6_september_2027(&app);
    let mut p = triaged(&app, "HIGH").await;
    let id = p.case.id.clone();
    investigate(&app, &mut p).await;
    data(
        app.gql(
            Some("ian"),
            REPORT_INV,
            json!({ "c": id, "v": p.case.version, "f": "BREACH" }),
        )
        .await,
    );
    no_errors(
        app.gql(
            Some("colin"),
            CHANNEL,
            json!({ "c": id, "p": p.case.respondent, "ch": "VIA_CASE_WORKER" }),
        )
        .await,
    );
    let emails_before = letter_emails(&app, "ben").await;
    assign_staff(&app, &id, "dee", "DECISION_MAKER").await;
    p.case.refresh(&app).await;
    data(app.gql(Some("dee"), DECIDE, json!({ "input": { "caseId": id, "expectedVersion": p.case.version, "option": "SANCTION", "reasons": "MK-OUTCOME-REASONS",
        "sanctions": [{ "partyId": p.case.respondent, "kind": "FINE", "amountPence": 15_000, "justification": "Proportionate", "whyNotLesser": "A warning would not reflect the harm" }] } })).await);

    // Colin has the letter to deliver; Ben has no e-mail and cannot read it yet.
    let colin_letters = staff_letters(&app, "colin", &id).await;
    let letter = one(&colin_letters, "OUTCOME").clone();
    assert_eq!(letter["route"], "VIA_CASE_WORKER");
    assert_eq!(
        letter["delivererId"],
        person_id(&app, "colin").await.as_str()
    );
    assert!(letter["deliveredOn"].is_null());
    assert!(text(&letter).contains("Fine of £150.00"), "{letter}");
    assert_eq!(
        letter_emails(&app, "ben").await,
        emails_before,
        "no e-mail for a hand-over"
    );
    assert!(!kinds(&party_letters(&app, "ben", &id).await).contains(&"OUTCOME"));
    let tasks = |who: &'static str| {
        let app = &app;
        async move {
            let body = app
                .ok(
                    who,
                    "{ deadlines(first: 100) { nodes { kind caseId } } }",
                    json!({}),
                )
                .await;
            body["deadlines"]["nodes"]
                .as_array()
                .expect("nodes")
                .iter()
                .filter(|d| d["kind"] == "LETTER_DELIVERY")
                .count()
        }
    };
    assert_eq!(
        tasks("colin").await,
        1,
        "the hand-over is in Colin's deadlines"
    );
    assert_eq!(
        tasks("cara").await,
        0,
        "not in the other side's case worker's"
    );
    let ben_view = app.ok("ben", PARTY_VIEW, json!({ "id": id })).await;
    assert!(
        !ben_view.to_string().contains("LETTER_DELIVERY"),
        "the task is staff's, not the party's"
    );

    // Three days later Colin hands it over: only he (or the conduct team) may
    // say so, not before its date, not in the future, and only once.
    app.days_pass(3);
    let today = app.today();
    let body = app
        .gql(Some("alice"), DELIVERED, json!({ "l": letter["id"] }))
        .await;
    assert_eq!(code(&body).0, "NOT_FOUND", "the other party: {body}");
    let body = app
        .gql(
            Some("colin"),
            DELIVERED,
            json!({ "l": letter["id"], "on": today.succ_opt().expect("day").to_string() }),
        )
        .await;
    assert_eq!(code(&body).0, "VALIDATION", "{body}");
    let done = data(
        app.gql(Some("colin"), DELIVERED, json!({ "l": letter["id"] }))
            .await,
    );
    assert_eq!(
        done["markLetterDelivered"]["deliveredOn"],
        today.to_string()
    );
    let body = app
        .gql(Some("colin"), DELIVERED, json!({ "l": letter["id"] }))
        .await;
    assert_eq!(code(&body).0, "CONFLICT", "{body}");
    assert_eq!(tasks("colin").await, 0, "the task is met");
    assert!(kinds(&party_letters(&app, "ben", &id).await).contains(&"OUTCOME"));
    let window = app.config.policy.calendar().add_working_days(today, 10);
    assert_eq!(
        deadline(&app, "ben", &id, "APPEAL_WINDOW").await,
        window,
        "the appeal window runs from receipt of the letter (R-APP-1)"
    );
    app.stop().await;
}
db_test!(a_letter_handed_over_by_the_case_worker_is_a_task_and_the_window_runs_from_receipt);

/// Wording is institution policy: a `letters/` folder beside the policy file
/// replaces the built-in wording of the kinds it has.
async fn a_university_words_its_own_letters(backend: Backend) {
    let file = policy_file("test-wording", &[]);
    let dir = std::path::Path::new(&file)
        .parent()
        .expect("dir")
        .join("letters");
    std::fs::create_dir_all(&dir).expect("letters dir");
    std::fs::write(
        dir.join("outcome.txt"),
        "Dear {{ recipient }},\nOur own wording for {{ reference }}: {{ reasons }}.\n{% if breach_found %}Appeal by {{ appeal_last_day }}.{% endif %}\n",
    )
    .expect("template");
    let app = TestApp::start_with(backend, &[("MISCONDUCT_POLICY_FILE", &file)]).await;
    let mut p = triaged(&app, "HIGH").await;
    let last_day = super::time_rules::fined(&app, &mut p).await;
    let ben = party_letters(&app, "ben", &p.case.id).await;
    let outcome = text(one(&ben, "OUTCOME"));
    assert!(outcome.starts_with("Dear Name of ben,"), "{outcome}");
    assert!(outcome.contains("Our own wording for MC-"), "{outcome}");
    assert!(
        outcome.contains(&format!("Appeal by {}.", long(last_day))),
        "{outcome}"
    );
    // Kinds the folder does not have keep the built-in wording.
    let invite = text(one(&ben, "MEETING_INVITATION"));
    assert!(invite.contains("accompanied"), "{invite}");
    app.stop().await;
    let _ = std::fs::remove_dir_all(dir);
}
db_test!(a_university_words_its_own_letters);

/// R-HEA-2 with R-HEA-1: silence is deemed acceptance only where the summons
/// reached the student in time. A summons to be handed over that never was
/// leaves the panel to decide on the evidence.
async fn a_summons_not_handed_over_in_time_is_not_deemed_accepted(backend: Backend) {
    let app = TestApp::start(backend).await;
    // Monday 6 September 2027.
    on_monday_6_september_2027(&app);
    let id = super::time_rules::referred_to_a_panel(&app).await;
    let ben = responding_party_id(&app, &id).await;
    no_errors(
        app.gql(
            Some("colin"),
            CHANNEL,
            json!({ "c": id, "p": ben, "ch": "IN_PERSON" }),
        )
        .await,
    );
    let s = data(app.gql(Some("olivia"), SUMMON, json!({ "input": { "caseId": id, "scheduledAt": app.in_days(21), "location": "Council Room",
        "allegedBreaches": "Conduct leading to conviction", "penaltyRange": "a reprimand to expulsion", "proposedPenalty": "Suspension" } })).await);
    let hearing = s["summonToHearing"]["case"]["hearings"][0]["id"]
        .as_str()
        .expect("hearing")
        .to_string();
    let summons = one(&staff_letters(&app, "colin", &id).await, "HEARING_SUMMONS").clone();
    assert_eq!(summons["route"], "IN_PERSON");
    assert!(summons["deliveredOn"].is_null());
    app.days_pass(20); // Ben's response date passes; the summons was never handed over
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
    let votes = json!([{ "memberId": members[0], "breach": false }, { "memberId": members[1], "breach": false }, { "memberId": members[2], "breach": true }]);
    let decided = data(app.gql(Some("p1"), HEARING_DECISION, json!({ "input": { "hearingId": hearing, "expectedVersion": version, "votes": votes, "reasons": "Not proven" } })).await);
    assert_eq!(decided["recordHearingDecision"]["case"]["stage"], "OUTCOME");
    let outcome = app
        .ok(
            "olivia",
            "query($id: UUID!) { case(id: $id) { outcome { breachFound } hearings { deemedAcceptance } } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(
        outcome["case"]["outcome"]["breachFound"], false,
        "not deemed accepted: the majority found no breach: {outcome}"
    );
    assert_eq!(outcome["case"]["hearings"][0]["deemedAcceptance"], false);
    app.stop().await;
}
db_test!(a_summons_not_handed_over_in_time_is_not_deemed_accepted);

pub(super) const COPIES: &str = "mutation($c: UUID!, $copies: [OutcomeCopyInput!]!) { sendOutcomeCopies(caseId: $c, copies: $copies) { kind rule partyId } }";

/// R-OUT-3: the officers the policy names get a confidential copy of the
/// outcome, and nothing else of the case.
async fn an_officer_named_by_the_policy_gets_a_copy_of_the_outcome_and_nothing_else(
    backend: Backend,
) {
    let file = policy_file(
        "test-copies",
        &[(
            "outcome_copies = []",
            "outcome_copies = [\"Registrar\", \"Dean\"]",
        )],
    );
    let app = TestApp::start_with(backend, &[("MISCONDUCT_POLICY_FILE", &file)]).await;
    let mut p = triaged(&app, "HIGH").await;
    let id = p.case.id.clone();
    app.person("rita", PersonKind::Staff, &[]).await;
    let rita = person_id(&app, "rita").await;
    let body = app
        .gql(
            Some("olivia"),
            COPIES,
            json!({ "c": id, "copies": [{ "office": "Registrar", "personId": rita }] }),
        )
        .await;
    assert_eq!(
        code(&body),
        ("RULE_VIOLATION".into(), Some("R-OUT-3".into())),
        "no outcome yet: {body}"
    );
    super::time_rules::fined(&app, &mut p).await;
    let body = app
        .gql(
            Some("olivia"),
            COPIES,
            json!({ "c": id, "copies": [{ "office": "Vice-Chancellor", "personId": rita }] }),
        )
        .await;
    assert_eq!(
        code(&body).0,
        "VALIDATION",
        "not an office the policy names: {body}"
    );
    assert!(body.to_string().contains("Registrar, Dean"), "{body}");
    let body = app
        .gql(
            Some("colin"),
            COPIES,
            json!({ "c": id, "copies": [{ "office": "Registrar", "personId": rita }] }),
        )
        .await;
    assert_eq!(code(&body).0, "FORBIDDEN", "{body}");
    let sent = data(
        app.gql(
            Some("olivia"),
            COPIES,
            json!({ "c": id, "copies": [{ "office": "Registrar", "personId": rita }] }),
        )
        .await,
    );
    assert_eq!(
        sent["sendOutcomeCopies"],
        json!([{ "kind": "OUTCOME_COPY", "rule": "R-OUT-3", "partyId": null }])
    );
    // Rita reads her copy, and nothing else of the case.
    let mine = app
        .ok(
            "rita",
            "{ myLetters(first: 10) { nodes { kind caseId text } } }",
            json!({}),
        )
        .await;
    let copy = &mine["myLetters"]["nodes"][0];
    assert_eq!(copy["kind"], "OUTCOME_COPY");
    let words = copy["text"].as_str().expect("text");
    for part in [
        "CONFIDENTIAL",
        "As Registrar",
        "Name of ben",
        "Fine of £100.00",
    ] {
        assert!(words.contains(part), "the copy lacks {part}: {words}");
    }
    assert!(
        !words.contains("MK-"),
        "no case content beyond the outcome: {words}"
    );
    let body = app
        .gql(
            Some("rita"),
            "query($id: UUID!) { case(id: $id) { reference } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(code(&body).0, "NOT_FOUND", "the copy opens nothing: {body}");
    assert!(!kinds(&staff_letters(&app, "colin", &id).await).contains(&"OUTCOME_COPY"));
    assert!(kinds(&staff_letters(&app, "olivia", &id).await).contains(&"OUTCOME_COPY"));
    app.stop().await;
}
db_test!(an_officer_named_by_the_policy_gets_a_copy_of_the_outcome_and_nothing_else);
