//! Anonymous two-way messaging (R-DISC-2, issue 17 item 7): an anonymous
//! disclosure's access code, shown once, lets the reporter — with no token —
//! read Student Support's replies and write back. Only Student Support sees the
//! messages; nothing records who the reporter is; the code can be revoked and
//! guessing it is throttled.

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

use crate::common::{Backend, TestApp};
use crate::db_test;
use crate::scenario::*;

const DISCLOSE: &str = r#"mutation($input: RecordDisclosureInput!) {
  recordDisclosure(input: $input) { caseId anonymousAccessCode } }"#;

const CONVERSATION: &str = r#"query($code: String!) {
  anonymousConversation(accessCode: $code) { disclosedAt messages { from body sentAt } } }"#;

const SEND: &str = r#"mutation($code: String!, $body: String!) {
  sendAnonymousMessage(accessCode: $code, body: $body) { from body } }"#;

const REVOKE: &str = r#"mutation($code: String!) { revokeAnonymousAccessCode(accessCode: $code) }"#;

const INBOX: &str = r#"{ anonymousInbox(first: 10) { nodes { caseId reference description
  categories open revokedBy revokedReason awaitingReply messages { from body } } } }"#;

const REPLY: &str = r#"mutation($c: UUID!, $body: String!) {
  replyToAnonymousReporter(caseId: $c, body: $body) { awaitingReply messages { from body } } }"#;

const CLOSE: &str = r#"mutation($c: UUID!, $reason: String!) {
  revokeAnonymousChannel(caseId: $c, reason: $reason) { open revokedBy revokedReason } }"#;

const OWED: &str = "{ anonymousInbox(awaitingReply: true) { nodes { caseId } } }";

fn owed_ids(body: &Value) -> Vec<String> {
    body["anonymousInbox"]["nodes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|t| t["caseId"].as_str().map(String::from))
        .collect()
}

/// An anonymous disclosure by Alice through the portal: its case id and code.
async fn disclose_anonymously(app: &TestApp, description: &str) -> (String, String) {
    let data = app
        .ok(
            "alice",
            DISCLOSE,
            json!({ "input": { "categories": ["HATE_INCIDENT"], "description": description, "anonymous": true } }),
        )
        .await;
    let p = &data["recordDisclosure"];
    (
        p["caseId"].as_str().expect("case id").into(),
        p["anonymousAccessCode"].as_str().expect("a code").into(),
    )
}

/// What the reporter, holding the code and no token, is answered.
async fn as_reporter(app: &TestApp, query: &str, vars: Value) -> Value {
    app.gql(None, query, vars).await
}

fn thread_of<'a>(inbox: &'a Value, case_id: &str) -> &'a Value {
    inbox["anonymousInbox"]["nodes"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|t| t["caseId"] == case_id)
        .unwrap_or(&Value::Null)
}

/// Alice discloses anonymously and is shown a code once; with it alone she
/// writes to Student Support and reads their reply. Cara and Colin (Student
/// Support) see the conversation; nobody else does; the audit log and the
/// messages carry no trace of Alice.
async fn an_anonymous_reporter_and_student_support_talk(backend: Backend) {
    let app = TestApp::start(backend).await;
    Cast::seed(&app).await;
    let (case_id, access) = disclose_anonymously(&app, "MK-ANON-DESC").await;
    let groups: Vec<&str> = access.split('-').collect();
    assert!(
        groups.len() == 4 && groups.iter().all(|g| g.len() == 5),
        "a code of four groups of five: {access}"
    );
    // A named disclosure has no code.
    let named = app
        .ok(
            "alice",
            DISCLOSE,
            json!({ "input": { "categories": ["OTHER"], "description": "d" } }),
        )
        .await;
    assert_eq!(
        named["recordDisclosure"]["anonymousAccessCode"],
        Value::Null
    );

    let empty = as_reporter(&app, CONVERSATION, json!({ "code": access })).await;
    no_errors(empty.clone());
    assert_eq!(
        empty["data"]["anonymousConversation"]["messages"],
        json!([])
    );
    let sent = as_reporter(
        &app,
        SEND,
        json!({ "code": access, "body": "MK-ANON-FROM-REPORTER" }),
    )
    .await;
    assert_eq!(
        sent["data"]["sendAnonymousMessage"]["from"], "REPORTER",
        "{sent}"
    );

    // Student Support's inbox: the disclosure and the message, a reply owed.
    let inbox = app.ok("cara", INBOX, json!({})).await;
    let thread = thread_of(&inbox, &case_id);
    assert_eq!(thread["description"], "MK-ANON-DESC", "{inbox}");
    assert_eq!(thread["awaitingReply"], true);
    assert_eq!(thread["open"], true);
    assert_eq!(thread["messages"][0]["body"], "MK-ANON-FROM-REPORTER");
    // The replies owed: this conversation, and not the one nobody wrote in.
    let (quiet, _) = disclose_anonymously(&app, "quiet").await;
    let owed = app.ok("cara", OWED, json!({})).await;
    assert_eq!(owed_ids(&owed), vec![case_id.clone()], "{owed}");
    assert!(!thread_of(&app.ok("cara", INBOX, json!({})).await, &quiet).is_null());
    let replied = app
        .ok(
            "cara",
            REPLY,
            json!({ "c": case_id, "body": "MK-ANON-REPLY" }),
        )
        .await;
    assert_eq!(
        replied["replyToAnonymousReporter"]["awaitingReply"], false,
        "{replied}"
    );
    let owed = app.ok("cara", OWED, json!({})).await;
    assert!(owed_ids(&owed).is_empty(), "answered: {owed}");

    // The reporter reads the reply, typing the code loosely; no names.
    let loose = access.to_lowercase().replace('-', " ");
    let read = as_reporter(&app, CONVERSATION, json!({ "code": loose })).await;
    let messages = &read["data"]["anonymousConversation"]["messages"];
    assert_eq!(messages[0]["from"], "REPORTER", "{read}");
    assert_eq!(messages[1]["from"], "SUPPORT_TEAM");
    assert_eq!(messages[1]["body"], "MK-ANON-REPLY");
    assert!(!read.to_string().contains("Name of cara"), "{read}");

    // Colin is Student Support too; nobody else sees the conversation.
    let colin = app.ok("colin", INBOX, json!({})).await;
    assert_eq!(
        thread_of(&colin, &case_id)["messages"][1]["body"],
        "MK-ANON-REPLY"
    );
    for outsider in [
        "olivia", "ian", "ada", "bea", "sis", "pat", "alice", "ben", "walter",
    ] {
        let inbox = app.gql(Some(outsider), INBOX, json!({})).await;
        assert_eq!(code(&inbox).0, "FORBIDDEN", "{outsider}: {inbox}");
        let everything = app
            .gql(Some(outsider), &everything_query(), json!({}))
            .await;
        let staff = app
            .gql(
                Some(outsider),
                &staff_case_query(),
                json!({ "id": case_id }),
            )
            .await;
        let seen = format!("{inbox}{everything}{staff}");
        for marker in ["MK-ANON-DESC", "MK-ANON-FROM-REPORTER", "MK-ANON-REPLY"] {
            assert!(!seen.contains(marker), "{outsider} must not see {marker}");
        }
    }

    // The reporter's fields take no token (it would say who they are) and no GET.
    let with_token = app
        .gql(Some("alice"), CONVERSATION, json!({ "code": access }))
        .await;
    assert_eq!(
        code_and_field(&with_token),
        ("VALIDATION".into(), "Authorization".into())
    );
    let over_get: Value = app
        .http
        .get(format!("{}/graphql", app.base))
        .query(&[
            ("query", CONVERSATION.to_string()),
            ("variables", json!({ "code": access }).to_string()),
        ])
        .send()
        .await
        .expect("GET")
        .json()
        .await
        .expect("json");
    assert_eq!(
        code_and_field(&over_get),
        ("VALIDATION".into(), "accessCode".into())
    );

    // The audit log: the reporter's steps are there, with nobody behind them.
    let alice = person_id(&app, "alice").await;
    let log = app
        .ok(
            "ada",
            r#"query($c: UUID) { auditLog(first: 100, caseId: $c) { nodes { operation viewerId viewerRoles requestId } } }"#,
            json!({ "c": case_id }),
        )
        .await;
    let entries = log["auditLog"]["nodes"].as_array().expect("entries");
    for op in ["read:anonymousConversation", "sendAnonymousMessage"] {
        let entry = entries
            .iter()
            .find(|e| e["operation"] == op)
            .unwrap_or_else(|| panic!("{op} is audited: {log}"));
        assert_eq!(entry["viewerId"], Value::Null, "{op}: {entry}");
        assert_eq!(entry["requestId"], Value::Null, "{op}: {entry}");
        assert_eq!(entry["viewerRoles"], "", "{op}: {entry}");
    }
    let cara = json!(person_id(&app, "cara").await);
    assert!(
        entries
            .iter()
            .any(|e| e["operation"] == "replyToAnonymousReporter" && e["viewerId"] == cara),
        "Student Support's reply is audited under who wrote it: {log}"
    );
    assert!(
        !log.to_string().contains(&alice),
        "nothing names alice: {log}"
    );

    // The database keeps a hash of the code, and no author on her messages.
    let case_uuid: uuid::Uuid = case_id.parse().expect("uuid");
    let channel = entity::anonymous_channel::Entity::find()
        .filter(entity::anonymous_channel::Column::CaseId.eq(case_uuid))
        .one(&app.db)
        .await
        .expect("query")
        .expect("a channel");
    let plain = access.replace('-', "");
    assert!(
        !format!("{channel:?}").contains(&plain) && !format!("{channel:?}").contains(&access),
        "only a hash of the code is stored"
    );
    let mine = entity::anonymous_message::Entity::find()
        .filter(entity::anonymous_message::Column::CaseId.eq(case_uuid))
        .filter(entity::anonymous_message::Column::Sender.eq("REPORTER"))
        .all(&app.db)
        .await
        .expect("query");
    assert!(!mine.is_empty() && mine.iter().all(|m| m.author_id.is_none()));

    // She ends the conversation: the code opens nothing, and no reply can go.
    let revoked = as_reporter(&app, REVOKE, json!({ "code": access })).await;
    assert_eq!(
        revoked["data"]["revokeAnonymousAccessCode"], true,
        "{revoked}"
    );
    let after = as_reporter(&app, CONVERSATION, json!({ "code": access })).await;
    assert_eq!(code(&after).0, "UNAUTHENTICATED", "{after}");
    let inbox = app.ok("cara", INBOX, json!({})).await;
    assert_eq!(thread_of(&inbox, &case_id)["open"], false);
    assert_eq!(thread_of(&inbox, &case_id)["revokedBy"], "REPORTER");
    let late = app
        .gql(
            Some("cara"),
            REPLY,
            json!({ "c": case_id, "body": "still there?" }),
        )
        .await;
    assert_eq!(
        code(&late),
        ("RULE_VIOLATION".into(), Some("R-DISC-2".into()))
    );
    app.stop().await;
}
db_test!(an_anonymous_reporter_and_student_support_talk);

fn code_and_field(body: &Value) -> (String, String) {
    let err = &body["errors"][0];
    (
        err["extensions"]["code"].as_str().unwrap_or("").into(),
        err["extensions"]["field"].as_str().unwrap_or("").into(),
    )
}

/// Every check of a code counts against one server-wide allowance: once it
/// is spent, even the right code waits — so nobody can guess their way in.
async fn guessing_access_codes_is_throttled(backend: Backend) {
    let app = TestApp::start_with(
        backend,
        &[("MISCONDUCT_ANONYMOUS_CODE_CHECKS_PER_MINUTE", "4")],
    )
    .await;
    Cast::seed(&app).await;
    let (_, right) = disclose_anonymously(&app, "d").await;
    for guess in [
        "AAAAA-AAAAA-AAAAA-AAAAA",
        "not a code",
        "ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ",
    ] {
        let body = as_reporter(&app, CONVERSATION, json!({ "code": guess })).await;
        assert_eq!(code(&body).0, "UNAUTHENTICATED", "{guess}: {body}");
    }
    no_errors(as_reporter(&app, CONVERSATION, json!({ "code": right })).await);
    let throttled = as_reporter(&app, CONVERSATION, json!({ "code": right })).await;
    assert_eq!(code(&throttled).0, "RATE_LIMITED", "{throttled}");
    assert!(
        throttled["errors"][0]["extensions"]["retryAfterSeconds"]
            .as_u64()
            .is_some_and(|s| s > 0),
        "{throttled}"
    );
    app.stop().await;
}
db_test!(guessing_access_codes_is_throttled);

/// Student Support revokes a code (e.g. abuse), with reasons; the reporter's
/// code then opens nothing, and revoking twice is a conflict.
async fn student_support_can_revoke_a_code(backend: Backend) {
    let app = TestApp::start(backend).await;
    Cast::seed(&app).await;
    let (case_id, access) = disclose_anonymously(&app, "d").await;
    no_errors(as_reporter(&app, SEND, json!({ "code": access, "body": "hello" })).await);
    let closed = app
        .ok(
            "cara",
            CLOSE,
            json!({ "c": case_id, "reason": "abusive messages" }),
        )
        .await;
    assert_eq!(
        closed["revokeAnonymousChannel"],
        json!({ "open": false, "revokedBy": "SUPPORT_TEAM", "revokedReason": "abusive messages" })
    );
    let refused = as_reporter(&app, SEND, json!({ "code": access, "body": "again" })).await;
    assert_eq!(code(&refused).0, "UNAUTHENTICATED", "{refused}");
    let twice = app
        .gql(Some("colin"), CLOSE, json!({ "c": case_id, "reason": "r" }))
        .await;
    assert_eq!(code(&twice).0, "CONFLICT", "{twice}");
    app.stop().await;
}
db_test!(student_support_can_revoke_a_code);

/// R-DISC-2: an anonymous disclosure never becomes a report, and Student
/// Support closes it when the conversation is over; the code ends with it.
async fn student_support_closes_an_anonymous_disclosure(backend: Backend) {
    let app = TestApp::start(backend).await;
    Cast::seed(&app).await;
    let (case_id, access) = disclose_anonymously(&app, "d").await;
    const CLOSE_DISCLOSURE: &str = r#"mutation($c: UUID!, $v: Int!) {
      closeAnonymousDisclosure(caseId: $c, reason: "Signposted to the counselling service", expectedVersion: $v) {
        version closedAt open revokedReason } }"#;
    let inbox = app
        .ok(
            "cara",
            "{ anonymousInbox { nodes { caseId version closedAt } } }",
            json!({}),
        )
        .await;
    let thread = thread_of(&inbox, &case_id);
    assert_eq!(thread["closedAt"], Value::Null, "{inbox}");
    let version = thread["version"].as_i64().expect("version");
    let stale = app
        .gql(
            Some("cara"),
            CLOSE_DISCLOSURE,
            json!({ "c": case_id, "v": version - 1 }),
        )
        .await;
    assert_eq!(code(&stale).0, "CONFLICT", "{stale}");
    let closed = app
        .ok(
            "cara",
            CLOSE_DISCLOSURE,
            json!({ "c": case_id, "v": version }),
        )
        .await;
    let closed = &closed["closeAnonymousDisclosure"];
    assert!(closed["closedAt"].is_string(), "{closed}");
    assert_eq!(closed["open"], false);
    assert_eq!(
        closed["revokedReason"],
        "The disclosure was closed: Signposted to the counselling service"
    );
    let after = as_reporter(&app, CONVERSATION, json!({ "code": access })).await;
    assert_eq!(code(&after).0, "UNAUTHENTICATED", "{after}");
    let again = app
        .gql(
            Some("colin"),
            CLOSE_DISCLOSURE,
            json!({ "c": case_id, "v": closed["version"] }),
        )
        .await;
    assert_eq!(code(&again).0, "RULE_VIOLATION", "{again}");
    let conduct = app
        .gql(
            Some("olivia"),
            CLOSE_DISCLOSURE,
            json!({ "c": case_id, "v": closed["version"] }),
        )
        .await;
    assert_eq!(code(&conduct).0, "FORBIDDEN", "{conduct}");
    app.stop().await;
}
db_test!(student_support_closes_an_anonymous_disclosure);
