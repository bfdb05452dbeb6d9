//! People and role grants: administrators manage them and see no case content.

use serde_json::json;

use crate::common::{Backend, TestApp};
use crate::db_test;
use crate::scenario::*;

const CREATE: &str = r#"mutation($s: String!) { createPerson(input: { subject: $s, kind: STAFF, displayName: "New Worker", email: "nw@example.ac.uk" }) { id subject kind } }"#;
const GRANT: &str =
    r#"mutation($p: UUID!) { grantRole(personId: $p, role: CASE_WORKER) { id role revokedAt } }"#;
const REVOKE: &str = r#"mutation($g: UUID!) { revokeRole(grantId: $g) { revokedAt } }"#;

async fn admins_manage_people_and_roles_take_effect_at_once(backend: Backend) {
    let app = TestApp::start(backend).await;
    Cast::seed(&app).await;
    let body = app.gql(Some("olivia"), CREATE, json!({ "s": "nw" })).await;
    assert_eq!(code(&body).0, "FORBIDDEN");

    let created = app.ok("ada", CREATE, json!({ "s": "nw" })).await;
    let id = created["createPerson"]["id"]
        .as_str()
        .expect("id")
        .to_string();
    let body = app.gql(Some("ada"), CREATE, json!({ "s": "nw" })).await;
    assert_eq!(code(&body).0, "CONFLICT", "subjects are unique");

    let me = app.ok("nw", "{ me { roles } }", json!({})).await;
    assert_eq!(me["me"]["roles"], json!([]));
    let grant = app.ok("ada", GRANT, json!({ "p": id })).await;
    let me = app.ok("nw", "{ me { roles } }", json!({})).await;
    assert_eq!(
        me["me"]["roles"],
        json!(["CASE_WORKER"]),
        "roles come from the database, not the token"
    );
    let body = app.gql(Some("ada"), GRANT, json!({ "p": id })).await;
    assert_eq!(code(&body).0, "CONFLICT");

    // A new case worker sees the intake queue; once revoked, nothing.
    disclose(&app, "x").await;
    let queue = app
        .ok(
            "nw",
            "{ cases { edges { node { inIntakeQueue } } } }",
            json!({}),
        )
        .await;
    assert_eq!(queue["cases"]["edges"].as_array().map(Vec::len), Some(1));
    app.ok("ada", REVOKE, json!({ "g": grant["grantRole"]["id"] }))
        .await;
    let queue = app
        .ok("nw", "{ cases { edges { node { id } } } }", json!({}))
        .await;
    assert_eq!(queue["cases"]["edges"], json!([]));

    let people = app.ok("ada", "{ people(first: 2) { edges { node { subject } } pageInfo { hasNextPage endCursor } } }", json!({})).await;
    assert_eq!(people["people"]["edges"].as_array().map(Vec::len), Some(2));
    assert_eq!(people["people"]["pageInfo"]["hasNextPage"], true);
    let cursor = people["people"]["pageInfo"]["endCursor"].clone();
    let next = app
        .ok(
            "ada",
            "query($a: String) { people(first: 100, after: $a) { edges { node { subject } } } }",
            json!({ "a": cursor }),
        )
        .await;
    let total = 2 + next["people"]["edges"]
        .as_array()
        .map(Vec::len)
        .unwrap_or(0);
    assert_eq!(total, 12, "keyset pages cover everyone exactly once");
    let body = app
        .gql(
            Some("ada"),
            "{ people(first: 1000) { edges { node { id } } } }",
            json!({}),
        )
        .await;
    assert_eq!(code(&body).0, "VALIDATION", "pages are capped at 100");
    let body = app
        .gql(
            Some("ada"),
            "{ cases(after: \"bogus\") { edges { node { id } } } }",
            json!({}),
        )
        .await;
    assert_eq!(code(&body).0, "VALIDATION");
    app.stop().await;
}
db_test!(admins_manage_people_and_roles_take_effect_at_once);

/// An administrator sets or changes how a person signs in (issue 13 item 1):
/// the new identity works at once, it is unique, only administrators may set
/// it, and the change is in the audit log.
async fn admins_set_a_persons_sign_in_identity(backend: Backend) {
    const SET: &str = r#"mutation($p: UUID!, $s: String!) { setSignInIdentity(personId: $p, subject: $s) { id subject } }"#;
    let app = TestApp::start(backend).await;
    Cast::seed(&app).await;
    let created = app
        .ok("ada", CREATE, json!({ "s": "placeholder-nw" }))
        .await;
    let id = created["createPerson"]["id"]
        .as_str()
        .expect("id")
        .to_string();
    let oid = "0f6c3a2e-1b4d-4c8e-9f70-5a6b7c8d9e0f";

    let body = app
        .gql(Some("olivia"), SET, json!({ "p": id, "s": oid }))
        .await;
    assert_eq!(code(&body).0, "FORBIDDEN", "{body}");
    let body = app
        .gql(Some("ada"), SET, json!({ "p": id, "s": "  " }))
        .await;
    assert_eq!(code(&body).0, "VALIDATION", "{body}");
    let body = app
        .gql(Some("ada"), SET, json!({ "p": id, "s": "alice" }))
        .await;
    assert_eq!(
        code(&body).0,
        "CONFLICT",
        "alice signs in as that already: {body}"
    );

    let set = app.ok("ada", SET, json!({ "p": id, "s": oid })).await;
    assert_eq!(set["setSignInIdentity"]["subject"], oid);
    let me = app.ok(oid, "{ me { id } }", json!({})).await;
    assert_eq!(
        me["me"]["id"],
        json!(id),
        "they sign in with the new identity"
    );

    let log = app
        .ok(
            "ada",
            "{ auditLog(first: 100) { nodes { operation } } }",
            json!({}),
        )
        .await;
    assert!(
        log["auditLog"]["nodes"]
            .as_array()
            .is_some_and(|all| all.iter().any(|e| e["operation"] == "setSignInIdentity")),
        "{log}"
    );
    app.stop().await;
}
db_test!(admins_set_a_persons_sign_in_identity);

/// The demo university (`misconduct-server demo`) loads through the same
/// rules as everything else; a rule change that breaks it fails here, not in
/// a newcomer's first minute.
async fn the_demo_university_loads(backend: Backend) {
    let app = TestApp::start(backend).await;
    misconduct_api::demo::load(&app.db, &app.config)
        .await
        .expect("the demo loads");
    let subject = misconduct_api::demo::subject_of(&app.db, "demo-olivia")
        .await
        .expect("the demo conduct officer");
    let cases = app
        .ok(
            &subject,
            "{ cases { nodes { reference stage } } }",
            json!({}),
        )
        .await;
    assert!(
        cases["cases"]["nodes"]
            .as_array()
            .is_some_and(|c| !c.is_empty()),
        "{cases}"
    );
    app.stop().await;
}
db_test!(the_demo_university_loads);
