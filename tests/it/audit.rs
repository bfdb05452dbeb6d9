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
    let intact = audit::verify(&app.db, None).await.expect("verify");
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
    let report = audit::verify(&app.db, None).await.expect("verify");
    assert_eq!(report.first_broken, Some(3));
    assert_eq!(report.entries_checked, 2);
    let data = app.ok("ada", LOG, json!({ "c": null })).await;
    assert_eq!(data["verifyAuditChain"]["firstBrokenSeq"], 3);
    app.stop().await;
}
db_test!(tampering_is_detected_and_named);

/// The log proves its own completeness (issue 12 item 7): the server
/// checkpoints the chain's head outside the database, so entries cut from the
/// end — which leave a shorter chain that is still consistent — are found.
async fn a_cut_at_the_end_is_detected_against_the_checkpoint(backend: Backend) {
    use misconduct_api::domain::audit_checkpoint;
    let mut app = TestApp::start(backend).await;
    Cast::seed(&app).await;
    let case = reported_case(&app).await;
    // Each read of the statement is an audited read.
    for _ in 0..12 {
        app.ok("alice", &party_case_query(), json!({ "id": case.id }))
            .await;
    }
    // A shutdown checkpoints the final head.
    app.stop_server().await;
    let file = app.config.audit.checkpoint_file.clone();
    let checkpoint = audit_checkpoint::latest_in(&file)
        .expect("read")
        .expect("a checkpoint was written");
    let head = audit_checkpoint::head(&app.db)
        .await
        .expect("head")
        .expect("entries");
    assert_eq!(checkpoint, head, "the checkpoint is the head");
    assert!(head.seq > 15, "{head:?}");
    let intact = audit::verify(&app.db, Some(&checkpoint))
        .await
        .expect("verify");
    assert_eq!(intact.first_broken, None, "{intact:?}");

    // Someone with the database's owner rights removes the guard and the
    // last ten entries: the chain that is left is consistent in itself …
    let drop_guard = match app.db.get_database_backend() {
        DatabaseBackend::Postgres => "DROP TRIGGER audit_entry_no_change ON audit_entry",
        _ => "DROP TRIGGER audit_entry_no_delete",
    };
    app.db
        .execute_unprepared(drop_guard)
        .await
        .expect("drop guard");
    app.db
        .execute_unprepared(&format!(
            "DELETE FROM audit_entry WHERE seq > {}",
            head.seq - 10
        ))
        .await
        .expect("cut");
    let alone = audit::verify(&app.db, None).await.expect("verify");
    assert_eq!(
        alone.first_broken, None,
        "without a checkpoint the cut is invisible"
    );
    // … but not with the checkpoint.
    let report = audit::verify(&app.db, Some(&checkpoint))
        .await
        .expect("verify");
    assert_eq!(report.first_broken, Some(head.seq - 9), "{report:?}");
    assert!(
        report
            .problem
            .as_deref()
            .is_some_and(|p| p.contains("removed from its end")),
        "{report:?}"
    );
    app.stop().await;
}
db_test!(a_cut_at_the_end_is_detected_against_the_checkpoint);

/// R-DISC-2: an anonymous disclosure leaves nothing that leads back to the
/// student — not in the audit log an administrator reads, not on the timeline.
async fn an_anonymous_disclosure_leaves_no_trace_of_the_student(backend: Backend) {
    let app = TestApp::start(backend).await;
    Cast::seed(&app).await;
    let alice = person_id(&app, "alice").await;
    let data = app
        .ok(
            "alice",
            RECORD,
            json!({ "input": { "categories": ["OTHER"], "description": "MK-ANON", "anonymous": true } }),
        )
        .await;
    let case_id = data["recordDisclosure"]["caseId"]
        .as_str()
        .expect("case id")
        .to_string();

    let log = app.ok("ada", LOG, json!({ "c": case_id })).await;
    let entries = log["auditLog"]["nodes"].as_array().expect("entries");
    let recorded = entries
        .iter()
        .find(|e| e["operation"] == "recordDisclosure")
        .expect("the disclosure is still logged");
    assert_eq!(recorded["viewerId"], serde_json::Value::Null, "{log}");
    assert_eq!(recorded["requestId"], serde_json::Value::Null, "{log}");
    assert!(
        !log.to_string().contains(&alice),
        "nothing in the log names alice: {log}"
    );
    assert_eq!(
        log["verifyAuditChain"]["firstBrokenSeq"],
        serde_json::Value::Null
    );

    // The database itself: no row of this case carries her or anyone's id.
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    let case_uuid: uuid::Uuid = case_id.parse().expect("uuid");
    let actors = entity::timeline_event::Entity::find()
        .filter(entity::timeline_event::Column::CaseId.eq(case_uuid))
        .filter(entity::timeline_event::Column::ActorId.is_not_null())
        .count(&app.db)
        .await
        .expect("count");
    let viewers = entity::audit_entry::Entity::find()
        .filter(entity::audit_entry::Column::CaseId.eq(case_uuid))
        .filter(entity::audit_entry::Column::ViewerId.is_not_null())
        .count(&app.db)
        .await
        .expect("count");
    assert_eq!((actors, viewers), (0, 0), "rows name someone");
    app.stop().await;
}
db_test!(an_anonymous_disclosure_leaves_no_trace_of_the_student);

/// Issue 16 item 4: changes made at once each record their entry with their
/// own transaction, with no lock held over its commit, and the one writer
/// chains them all: every change is in the log, once, the chain unbroken, and
/// nothing left waiting.
async fn changes_made_at_once_all_reach_one_unbroken_chain(backend: Backend) {
    let app = TestApp::start(backend).await;
    Cast::seed(&app).await;
    let disclosures = (0..12).map(|i| {
        app.ok(
            "alice",
            RECORD,
            json!({ "input": { "categories": ["OTHER"], "description": format!("MK-AT-ONCE-{i}") } }),
        )
    });
    let answers = futures_util::future::join_all(disclosures).await;
    let cases: Vec<String> = answers
        .iter()
        .map(|a| {
            a["recordDisclosure"]["caseId"]
                .as_str()
                .expect("case id")
                .to_string()
        })
        .collect();

    // Each answer came after its entry was chained: read the table at once.
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    for case in &cases {
        let case_id: uuid::Uuid = case.parse().expect("uuid");
        let logged = entity::audit_entry::Entity::find()
            .filter(entity::audit_entry::Column::CaseId.eq(case_id))
            .filter(entity::audit_entry::Column::Operation.eq("recordDisclosure"))
            .count(&app.db)
            .await
            .expect("count");
        assert_eq!(logged, 1, "the disclosure of case {case} is logged once");
    }
    let waiting = entity::audit_pending::Entity::find()
        .count(&app.db)
        .await
        .expect("count");
    assert_eq!(waiting, 0, "nothing is left unchained");
    let report = audit::verify(&app.db, None).await.expect("verify");
    assert_eq!(report.first_broken, None, "{report:?}");
    app.stop().await;
}
db_test!(changes_made_at_once_all_reach_one_unbroken_chain);

/// What a scheduled job or the command line records, outside any request, is
/// chained by the writer on its own within a few seconds.
async fn an_entry_recorded_outside_a_request_is_chained_by_the_writer(backend: Backend) {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let app = TestApp::start(backend).await;
    Cast::seed(&app).await;
    let mut record = audit::AuditRecord::new("retentionSweep", None);
    record.detail = Some("MK-OUTSIDE".into());
    audit::append(&app.db, None, &[record])
        .await
        .expect("recorded");
    let mut chained = None;
    for _ in 0..50 {
        chained = entity::audit_entry::Entity::find()
            .filter(entity::audit_entry::Column::Detail.eq("MK-OUTSIDE"))
            .one(&app.db)
            .await
            .expect("read");
        if chained.is_some() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let entry = chained.expect("the writer chained the entry within 5 seconds");
    assert_eq!(entry.operation, "retentionSweep");
    let report = audit::verify(&app.db, None).await.expect("verify");
    assert_eq!(report.first_broken, None, "{report:?}");
    app.stop().await;
}
db_test!(an_entry_recorded_outside_a_request_is_chained_by_the_writer);
