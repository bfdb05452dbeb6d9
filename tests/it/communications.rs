//! Scheduled communications (issue 5): the R-SUP-3 schedule with R-TIME-2 and
//! bank holidays, follow-ups cancelled on reply, notices and the R-REP-3
//! acknowledgement delivered to a real SMTP listener, and two instances on one
//! PostgreSQL delivering 200 letters with none doubled and none lost.

use std::collections::BTreeSet;
use std::time::Duration;

use chrono::{Datelike, NaiveDate, Weekday};
use futures_util::StreamExt;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};

use crate::common::smtp::SmtpSink;
use crate::common::{Backend, TestApp};
use crate::db_test;
use crate::scenario::*;

const FIELDS: &str = "id partyId kind status rule plannedOn dueOn subject body sentAt cancelReason attempts lastError";

async fn staff_view(app: &TestApp, who: &str, case_id: &str) -> Vec<Value> {
    let q = format!("query($id: UUID!) {{ case(id: $id) {{ communications {{ {FIELDS} }} }} }}");
    let data = app.ok(who, &q, json!({ "id": case_id })).await;
    data["case"]["communications"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

async fn party_view(app: &TestApp, who: &str, case_id: &str) -> Vec<Value> {
    let q =
        format!("query($id: UUID!) {{ myCase(id: $id) {{ myCommunications {{ {FIELDS} }} }} }}");
    let data = app.ok(who, &q, json!({ "id": case_id })).await;
    data["myCase"]["myCommunications"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

fn of_kind<'a>(rows: &'a [Value], kind: &str) -> &'a Value {
    rows.iter()
        .find(|r| r["kind"] == kind)
        .unwrap_or_else(|| panic!("no {kind} in {rows:?}"))
}

fn date(v: &Value) -> NaiveDate {
    v.as_str().expect("date").parse().expect("date")
}

const CONTACT: &str = r#"mutation($c: UUID!, $p: UUID!) {
  recordContactAttempt(caseId: $c, partyId: $p, method: EMAIL, studentResponded: true) { version } }"#;

/// An options conversation held on Friday 28 August 2026; Monday 31 August is
/// the summer bank holiday.
async fn friday_conversation(app: &TestApp, case: &Case) {
    no_errors(
        app.gql(
            Some("cara"),
            OPTIONS,
            json!({ "input": { "caseId": case.id, "partyId": case.reporter,
                "heldAt": "2026-08-28T10:00:00Z",
                "optionsOffered": ["SUPPORT_ONLY", "REPORT_TO_UNIVERSITY"],
                "optionsChosen": ["SUPPORT_ONLY"], "summary": "MK-OPTIONS" } }),
        )
        .await,
    );
}

async fn disclose_agreeing_to_fridays(app: &TestApp, who: &str, marker: &str) -> Case {
    let data = app
        .ok(
            who,
            RECORD,
            json!({ "input": {
                "categories": ["SEXUAL_HARASSMENT"], "description": marker,
                "respondents": [{ "sisNumber": "SIS-ben" }], "fridayContactAgreed": true } }),
        )
        .await;
    let p = &data["recordDisclosure"];
    Case {
        id: p["caseId"].as_str().expect("id").into(),
        version: p["version"].as_i64().expect("version"),
        reporter: p["myCase"]["me"]["id"].as_str().expect("me").into(),
        respondent: p["myCase"]["otherParties"][0]["id"]
            .as_str()
            .expect("respondent")
            .into(),
    }
}

async fn communication_schedule(backend: Backend) {
    // No delivery worker here: the schedule itself is under test, so nothing
    // may change status behind the test's back.
    let app = TestApp::start_with(backend, &[("MISCONDUCT_DELIVERY", "off")]).await;
    Cast::seed(&app).await;
    let today = app.today();
    let case = disclose(&app, "MK-DESC").await;
    no_errors(
        case.assign(&app, "cara", &case.reporter.clone(), "cara")
            .await,
    );

    // R-SUP-3: Email 1 on receipt, its follow-up a week later on a working day.
    let rows = staff_view(&app, "cara", &case.id).await;
    let email1 = of_kind(&rows, "EMAIL_1");
    let follow1 = of_kind(&rows, "EMAIL_1_FOLLOW_UP");
    assert_eq!(date(&email1["plannedOn"]), today);
    assert_ne!(date(&email1["dueOn"]).weekday(), Weekday::Fri, "R-TIME-2");
    assert_eq!(
        date(&follow1["plannedOn"]),
        date(&email1["dueOn"]) + chrono::Duration::days(7)
    );
    assert_eq!(follow1["status"], "DUE");
    assert!(is_weekday_but_friday(date(&follow1["dueOn"])), "{follow1}");
    for row in &rows {
        let text = format!("{}{}", row["subject"], row["body"]);
        assert!(
            !text.contains("MK-"),
            "a letter repeats case content: {text}"
        );
    }
    // The student sees her letters; a bystander sees none.
    let mine = party_view(&app, "alice", &case.id).await;
    assert_eq!(mine.len(), 2, "{mine:?}");
    let walter = app
        .ok("walter", "{ myCommunications { nodes { id } } }", json!({}))
        .await;
    assert_eq!(walter["myCommunications"]["nodes"], json!([]));

    // The conversation was held on a Friday before a bank holiday: the student
    // replied, so Email 1's follow-up stops; Email 2 moves to Tuesday 1
    // September; its check-in is two weeks after it goes out (today, as it is late).
    friday_conversation(&app, &case).await;
    let rows = staff_view(&app, "cara", &case.id).await;
    let follow1 = of_kind(&rows, "EMAIL_1_FOLLOW_UP");
    assert_eq!(follow1["status"], "CANCELLED");
    assert!(
        follow1["cancelReason"]
            .as_str()
            .is_some_and(|r| r.contains("options conversation")),
        "{follow1}"
    );
    let email2 = of_kind(&rows, "EMAIL_2");
    assert_eq!(email2["plannedOn"], "2026-08-28");
    assert_eq!(email2["dueOn"], "2026-09-01");
    assert_eq!(email2["rule"], "R-TIME-2");
    let follow2 = of_kind(&rows, "EMAIL_2_FOLLOW_UP");
    let check_in = date(&email2["dueOn"]).max(today) + chrono::Duration::days(14);
    assert_eq!(date(&follow2["plannedOn"]), check_in);
    assert!(date(&follow2["dueOn"]) >= check_in);
    assert!(is_weekday_but_friday(date(&follow2["dueOn"])), "{follow2}");

    // The student replies: Email 2's follow-up stops.
    no_errors(
        app.gql(
            Some("cara"),
            CONTACT,
            json!({ "c": case.id, "p": case.reporter }),
        )
        .await,
    );
    let rows = staff_view(&app, "cara", &case.id).await;
    let follow2 = of_kind(&rows, "EMAIL_2_FOLLOW_UP");
    assert_eq!(follow2["status"], "CANCELLED");
    assert_eq!(follow2["cancelReason"], "The student replied.");

    // A student who agreed to Friday letters gets Email 2 dated the Friday;
    // withdrawing the agreement re-dates what is still due past the weekend
    // and the bank holiday.
    let agreed = disclose_agreeing_to_fridays(&app, "alice", "MK-DESC-2").await;
    no_errors(
        agreed
            .assign(&app, "cara", &agreed.reporter.clone(), "cara")
            .await,
    );
    friday_conversation(&app, &agreed).await;
    let rows = staff_view(&app, "cara", &agreed.id).await;
    assert_eq!(of_kind(&rows, "EMAIL_2")["dueOn"], "2026-08-28");
    assert_eq!(of_kind(&rows, "EMAIL_2")["rule"], "R-SUP-3");
    no_errors(
        app.gql(
            Some("alice"),
            "mutation($c: UUID!, $p: UUID!) { setFridayContact(caseId: $c, partyId: $p, agreed: false) { version } }",
            json!({ "c": agreed.id, "p": agreed.reporter }),
        )
        .await,
    );
    let rows = staff_view(&app, "cara", &agreed.id).await;
    assert_eq!(of_kind(&rows, "EMAIL_2")["dueOn"], "2026-09-01");
    assert_eq!(of_kind(&rows, "EMAIL_2")["rule"], "R-TIME-2");
    // Someone else cannot change Alice's agreement.
    let (code, _) = app
        .refused(
            "walter",
            "mutation($c: UUID!, $p: UUID!) { setFridayContact(caseId: $c, partyId: $p, agreed: true) { version } }",
            json!({ "c": agreed.id, "p": agreed.reporter }),
        )
        .await;
    assert_eq!(code, "NOT_FOUND");

    // Only the recipient's case worker may cancel, and only what is still due.
    let follow = of_kind(&rows, "EMAIL_2_FOLLOW_UP")["id"].clone();
    let cancel = "mutation($id: UUID!) { cancelCommunication(id: $id, reason: \"Student asked for no more e-mails\") { status cancelReason } }";
    let (code, _) = app.refused("olivia", cancel, json!({ "id": follow })).await;
    assert_eq!(code, "NOT_FOUND");
    let done = app.ok("cara", cancel, json!({ "id": follow })).await;
    assert_eq!(done["cancelCommunication"]["status"], "CANCELLED");
    let (code, _) = app.refused("cara", cancel, json!({ "id": follow })).await;
    assert_eq!(code, "CONFLICT");
    app.stop().await;
}

fn is_weekday_but_friday(d: NaiveDate) -> bool {
    !matches!(d.weekday(), Weekday::Fri | Weekday::Sat | Weekday::Sun)
}
db_test!(communication_schedule);

/// Waits (waking on each arrival) until the sink has received a message like `what`.
async fn wait_for(sink: &SmtpSink, what: impl Fn(&crate::common::smtp::Received) -> bool) -> bool {
    sink.wait_until(Duration::from_secs(15), |all| all.iter().any(&what))
        .await
}

async fn delivery_over_smtp(backend: Backend) {
    let sink = SmtpSink::start(&["walter@example.ac.uk"]).await;
    let url = sink.url();
    let app = TestApp::start_with(backend, &[("MISCONDUCT_SMTP_URL", &url)]).await;
    Cast::seed(&app).await;
    let case = reported_case(&app).await;
    let reference = app
        .ok(
            "olivia",
            "query($id: UUID!) { case(id: $id) { reference } }",
            json!({ "id": case.id }),
        )
        .await["case"]["reference"]
        .as_str()
        .expect("reference")
        .to_string();

    // Ben is told of the report: a notice, e-mailed at once (R-TIME-2 protects
    // the reporting party only).
    assert!(
        wait_for(&sink, |m| m.rcpt_to == ["ben@example.ac.uk"]).await,
        "no letter reached ben; received {:?}",
        sink.messages()
    );
    let rows = staff_view(&app, "olivia", &case.id).await;
    let notice = rows
        .iter()
        .find(|r| r["kind"] == "NOTICE" && r["partyId"] == case.respondent.as_str())
        .expect("ben's notice");
    let letter = sink
        .messages()
        .into_iter()
        .find(|m| m.rcpt_to == ["ben@example.ac.uk"])
        .expect("letter");
    assert_eq!(letter.mail_from, "no-reply@localhost");
    assert!(
        letter
            .header("Message-ID")
            .is_some_and(|id| id.contains(notice["id"].as_str().expect("id"))),
        "{letter:?}"
    );
    assert!(
        letter
            .header("Subject")
            .is_some_and(|s| s.contains(&reference)),
        "{letter:?}"
    );
    // The pass that sent it marks it sent before it ends.
    app.delivery_passes(1).await;
    let mine = app
        .ok(
            "ben",
            "{ myCommunications { nodes { kind status } } }",
            json!({}),
        )
        .await;
    assert_eq!(mine["myCommunications"]["nodes"][0]["status"], "SENT");
    // Ben's letters are not shown to Alice's case worker; his own sees them.
    let cara = staff_view(&app, "cara", &case.id).await;
    assert!(
        cara.iter()
            .all(|r| r["partyId"] != case.respondent.as_str())
    );
    let colin = staff_view(&app, "colin", &case.id).await;
    assert!(colin.iter().any(|r| r["kind"] == "NOTICE"));

    // R-REP-3: the acknowledgement goes to Alice (not on a Friday) and, once
    // sent, its deadline is met.
    let deadlines = "query($id: UUID!) { case(id: $id) { deadlines { kind } } }";
    if app.today().weekday() == Weekday::Fri {
        let rows = staff_view(&app, "olivia", &case.id).await;
        assert_eq!(of_kind(&rows, "REPORT_ACKNOWLEDGEMENT")["status"], "DUE");
    } else {
        assert!(
            wait_for(&sink, |m| m
                .header("Subject")
                .is_some_and(|s| s.starts_with("Your report has been received")))
            .await
        );
        app.delivery_passes(1).await;
        let data = app.ok("olivia", deadlines, json!({ "id": case.id })).await;
        let open = data["case"]["deadlines"]
            .as_array()
            .expect("deadlines")
            .iter()
            .any(|d| d["kind"] == "ACKNOWLEDGE_REPORT");
        assert!(!open, "the acknowledgement deadline is still open");
    }

    // A mailbox the server refuses (550) is a permanent failure the student's
    // record shows, not an endless retry.
    let walter = disclose_agreeing_to_fridays(&app, "walter", "MK-WALTER").await;
    // Two passes: the second began after the letter was written, and tried it.
    app.delivery_passes(2).await;
    let rows = party_view(&app, "walter", &walter.id).await;
    let row = of_kind(&rows, "EMAIL_1").clone();
    assert_eq!(row["status"], "FAILED", "{row}");
    assert_eq!(row["attempts"], 1);
    assert!(
        row["lastError"].as_str().is_some_and(|e| e.contains("550")),
        "{row}"
    );

    // No letter carries a description, statement, summary or name.
    for m in sink.messages() {
        assert!(
            !m.data.contains("MK-"),
            "case content in a letter: {}",
            m.data
        );
        assert!(
            !m.data.contains("Name of"),
            "a name in a letter: {}",
            m.data
        );
    }
    app.stop().await;
}
db_test!(delivery_over_smtp);

/// Two instances on one PostgreSQL, both delivering: 200 letters, each once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_deliver_every_letter_exactly_once() {
    let sink = SmtpSink::start(&[]).await;
    let url = sink.url();
    let app = TestApp::start_with(Backend::Postgres, &[("MISCONDUCT_SMTP_URL", &url)]).await;
    let other = app.another_instance(&[]).await;
    app.person(
        "alice",
        misconduct_api::domain::kinds::PersonKind::Student,
        &[],
    )
    .await;

    // 200 disclosures through both instances at once; each schedules Email 1
    // for today (Friday letters agreed, so the day of the week does not matter).
    let bases = [app.base.clone(), other.base.clone()];
    let results: Vec<Value> = futures_util::stream::iter(0..200)
        .map(|i| {
            let base = bases[i % 2].clone();
            let app = &app;
            async move {
                app.gql_at(
                    &base,
                    "alice",
                    "mutation($input: RecordDisclosureInput!) { recordDisclosure(input: $input) { caseId } }",
                    json!({ "input": { "categories": ["BULLYING"], "description": format!("MK-BULK-{i}"),
                            "fridayContactAgreed": true } }),
                )
                .await
            }
        })
        .buffer_unordered(8)
        .collect()
        .await;
    for r in &results {
        assert!(r.get("errors").is_none(), "{r}");
    }

    let is_email1 = |m: &crate::common::smtp::Received| {
        m.header("Subject")
            .is_some_and(|s| s.starts_with("We have received your disclosure"))
    };
    assert!(
        sink.wait_until(Duration::from_secs(60), |all| {
            all.iter().filter(|m| is_email1(m)).count() >= 200
        })
        .await,
        "every letter arrives"
    );
    // Both workers finish two more passes: any send either had in hand is done,
    // so a double send would show now.
    app.delivery_passes(2).await;
    other.delivery_passes(2).await;

    let ids: Vec<String> = sink
        .messages()
        .iter()
        .filter(|m| is_email1(m))
        .map(|m| m.header("Message-ID").expect("Message-ID"))
        .collect();
    let distinct: BTreeSet<&String> = ids.iter().collect();
    assert_eq!(ids.len(), 200, "letters received (with repeats)");
    assert_eq!(distinct.len(), 200, "distinct letters received");

    use entity::communication;
    let sent = communication::Entity::find()
        .filter(communication::Column::Kind.eq("EMAIL_1"))
        .filter(communication::Column::Status.eq("SENT"))
        .all(&app.db)
        .await
        .expect("query");
    assert_eq!(sent.len(), 200);
    let expected: BTreeSet<String> = sent
        .iter()
        .map(|c| format!("<{}@localhost>", c.id))
        .collect();
    let received: BTreeSet<String> = ids.into_iter().collect();
    assert_eq!(expected, received);
    let still_due = communication::Entity::find()
        .filter(communication::Column::Kind.eq("EMAIL_1"))
        .filter(communication::Column::Status.ne("SENT"))
        .count(&app.db)
        .await
        .expect("count");
    assert_eq!(still_due, 0);
    other.stop().await;
    app.stop().await;
}

/// `/metrics` shows the letters waiting to go (issue 13 item 7): none on a
/// new server, then the case's letters once they fall due; and the audit
/// writer's queue is reported.
async fn metrics_show_the_outbox_backlog(backend: Backend) {
    let app = TestApp::start_with(backend, &[("MISCONDUCT_DELIVERY", "off")]).await;
    Cast::seed(&app).await;
    let gauge = |text: &str, name: &str| -> Option<f64> {
        text.lines()
            .find(|l| l.split([' ', '{']).next() == Some(name))
            .and_then(|l| l.rsplit(' ').next())
            .and_then(|v| v.parse().ok())
    };
    let scrape = || async {
        app.http
            .get(app.metrics_url())
            .send()
            .await
            .expect("scrape")
            .text()
            .await
            .expect("text")
    };
    let before = scrape().await;
    assert_eq!(gauge(&before, "outbox_letters_due"), Some(0.0), "{before}");
    let case = disclose(&app, "MK-DESC").await;
    no_errors(
        case.assign(&app, "cara", &case.reporter.clone(), "cara")
            .await,
    );
    app.days_pass(10);
    let after = scrape().await;
    let due = gauge(&after, "outbox_letters_due").expect("the backlog is reported");
    assert!(due >= 2.0, "Email 1 and its follow-up are due: {after}");
    assert!(
        gauge(&after, "audit_writer_waiting_requests").is_some(),
        "{after}"
    );
    app.stop().await;
}
db_test!(metrics_show_the_outbox_backlog);

/// The follow-up intervals are the policy's (`deadlines.email1_follow_up_calendar_days`).
async fn follow_ups_follow_the_policy_interval(backend: Backend) {
    let policy = policy_file(
        "test-follow-up",
        &[(
            "email1_follow_up_calendar_days = 7",
            "email1_follow_up_calendar_days = 10",
        )],
    );
    let app = TestApp::start_with(
        backend,
        &[
            ("MISCONDUCT_DELIVERY", "off"),
            ("MISCONDUCT_POLICY_FILE", &policy),
        ],
    )
    .await;
    Cast::seed(&app).await;
    let case = disclose(&app, "MK-DESC").await;
    no_errors(
        case.assign(&app, "cara", &case.reporter.clone(), "cara")
            .await,
    );
    let rows = staff_view(&app, "cara", &case.id).await;
    let email1 = of_kind(&rows, "EMAIL_1");
    let follow1 = of_kind(&rows, "EMAIL_1_FOLLOW_UP");
    assert_eq!(
        date(&follow1["plannedOn"]),
        date(&email1["dueOn"]) + chrono::Duration::days(10)
    );
    app.stop().await;
}
db_test!(follow_ups_follow_the_policy_interval);
