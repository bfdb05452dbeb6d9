//! Accounts that can be stopped (issue 12 item 5, ASVS 7.4.2): an
//! administrator disables a person; their still-valid token is refused on its
//! next request and their open subscriptions end; enabling restores access.

use serde_json::{Value, json};

use crate::common::{Backend, TestApp};
use crate::db_test;
use crate::identity::me;
use crate::scenario::*;
use crate::subscriptions::{NOTIFICATIONS, error_code, next, open, subscribe};

const DISABLE: &str = r#"mutation($p: UUID!, $r: String!) { disablePerson(personId: $p, reason: $r) { disabledAt disabledReason } }"#;
const ENABLE: &str = r#"mutation($p: UUID!) { enablePerson(personId: $p) { disabledAt } }"#;

async fn a_disabled_account_is_refused_at_once(backend: Backend) {
    let app = TestApp::start(backend).await;
    Cast::seed(&app).await;
    let alice = person_id(&app, "alice").await;
    // Alice's token was issued before the change and stays valid for an hour.
    let token = app.token("alice");
    let mut socket = open(&app.base, &token).await;
    subscribe(&mut socket, "n", NOTIFICATIONS, json!({})).await;
    TestApp::subscriptions_ready(app.events(), 1).await;

    let disabled = app
        .ok(
            "ada",
            DISABLE,
            json!({ "p": alice, "r": "Left the university" }),
        )
        .await;
    assert!(
        disabled["disablePerson"]["disabledAt"].is_string(),
        "{disabled}"
    );
    assert_eq!(
        disabled["disablePerson"]["disabledReason"],
        "Left the university"
    );

    let (status, body) = me(&app, &token).await;
    assert_eq!(status, 401, "{body}");
    assert_eq!(body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED");
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("disabled")),
        "{body}"
    );
    // Her open subscription ends; a new one on the same socket is refused.
    let ended = next(&mut socket).await.expect("the subscription ends");
    assert_eq!(ended["type"], "complete", "{ended}");
    assert_eq!(ended["id"], "n");
    subscribe(&mut socket, "again", NOTIFICATIONS, json!({})).await;
    let refused = next(&mut socket).await.expect("refused");
    assert_eq!(error_code(&refused), "UNAUTHENTICATED", "{refused}");

    // Only administrators, and not themselves; a disabled account twice is a conflict.
    let ada = person_id(&app, "ada").await;
    let (code_self, _) = app
        .refused("ada", DISABLE, json!({ "p": ada, "r": "oops" }))
        .await;
    assert_eq!(code_self, "VALIDATION");
    let (code_other, _) = app
        .refused(
            "olivia",
            DISABLE,
            json!({ "p": person_id(&app, "ben").await, "r": "x" }),
        )
        .await;
    assert_eq!(code_other, "FORBIDDEN");
    let (code_twice, _) = app
        .refused("ada", DISABLE, json!({ "p": alice, "r": "again" }))
        .await;
    assert_eq!(code_twice, "CONFLICT");

    let enabled = app.ok("ada", ENABLE, json!({ "p": alice })).await;
    assert_eq!(enabled["enablePerson"]["disabledAt"], Value::Null);
    let (status, body) = me(&app, &token).await;
    assert_eq!(status, 200, "the same token works again: {body}");
    app.stop().await;
}
db_test!(a_disabled_account_is_refused_at_once);
