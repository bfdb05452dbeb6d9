//! R-VIS-2: every write and every read of sensitive content is in the audit
//! log, which the API cannot change and whose hash chain exposes tampering.

use misconduct_api::domain::audit;
use sea_orm::{ConnectionTrait, DatabaseBackend};
use serde_json::json;

use crate::common::{Backend, TestApp};
use crate::db_test;
use crate::scenario::*;

const LOG: &str = r#"query($c: UUID) { auditLog(first: 100, caseId: $c) { nodes { seq operation viewerId requestId caseId } } verifyAuditChain { entriesChecked firstBrokenSeq } }"#;

async fn writes_and_sensitive_reads_are_logged(backend: Backend) {
    let app = TestApp::start(backend).await;
    Cast::seed(&app).await;
    let case = reported_case(&app).await;
    let olivia = person_id(&app, "olivia").await;
    app.ok(
        "olivia",
        "query($id: UUID!) { case(id: $id) { report { statement } } }",
        json!({ "id": case.id }),
    )
    .await;

    let data = app.ok("ada", LOG, json!({ "c": case.id })).await;
    let entries = data["auditLog"]["nodes"].as_array().expect("entries");
    let ops: Vec<&str> = entries
        .iter()
        .filter_map(|e| e["operation"].as_str())
        .collect();
    for op in [
        "recordDisclosure",
        "assignCaseWorker",
        "recordOptionsConversation",
        "submitFormalReport",
        "informRespondingParty",
        "read:report.statement",
    ] {
        assert!(ops.contains(&op), "{op} is logged: {ops:?}");
    }
    let read = entries
        .iter()
        .find(|e| e["operation"] == "read:report.statement" && e["viewerId"] == olivia.as_str())
        .expect("olivia's read");
    assert!(
        read["requestId"].as_str().is_some_and(|r| !r.is_empty()),
        "entries carry the request id"
    );
    assert_eq!(
        data["verifyAuditChain"]["firstBrokenSeq"],
        serde_json::Value::Null
    );

    let body = app.gql(Some("olivia"), LOG, json!({ "c": case.id })).await;
    assert_eq!(
        code(&body).0,
        "FORBIDDEN",
        "only administrators read the log"
    );
    app.stop().await;
}
db_test!(writes_and_sensitive_reads_are_logged);

async fn tampering_is_detected_and_named(backend: Backend) {
    let app = TestApp::start(backend).await;
    Cast::seed(&app).await;
    reported_case(&app).await;
    let intact = audit::verify(&app.db).await.expect("verify");
    assert!(intact.entries_checked >= 5);
    assert_eq!(intact.first_broken, None);

    // The database itself refuses changes …
    let refused = app
        .db
        .execute_unprepared("UPDATE audit_entry SET operation = 'nothing' WHERE seq = 3")
        .await;
    assert!(refused.is_err(), "audit_entry is append-only");
    let refused = app
        .db
        .execute_unprepared("DELETE FROM audit_entry WHERE seq = 3")
        .await;
    assert!(refused.is_err(), "audit_entry is append-only");

    // … and someone with owner rights who removes the guard is still caught.
    let drop_guard = match app.db.get_database_backend() {
        DatabaseBackend::Postgres => "DROP TRIGGER audit_entry_no_change ON audit_entry",
        _ => "DROP TRIGGER audit_entry_no_update",
    };
    app.db
        .execute_unprepared(drop_guard)
        .await
        .expect("drop guard");
    app.db
        .execute_unprepared("UPDATE audit_entry SET operation = 'nothing' WHERE seq = 3")
        .await
        .expect("tamper");
    let report = audit::verify(&app.db).await.expect("verify");
    assert_eq!(report.first_broken, Some(3));
    assert_eq!(report.entries_checked, 2);
    let data = app.ok("ada", LOG, json!({ "c": null })).await;
    assert_eq!(data["verifyAuditChain"]["firstBrokenSeq"], 3);
    app.stop().await;
}
db_test!(tampering_is_detected_and_named);
