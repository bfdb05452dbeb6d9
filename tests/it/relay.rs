//! Relay's object identification (issue 13 item 8): `node(id:)` refetches a
//! case, a person or a notification by the id any query returned, through the
//! same access rules as every other path, and ids are typed `ID`.

use misconduct_api::domain::kinds::PersonKind;
use serde_json::{Value, json};

use crate::common::{Backend, TestApp};
use crate::db_test;
use crate::scenario::{Cast, code, person_id, reported_case};

const NODE: &str = r#"query($id: ID!) {
  node(id: $id) {
    __typename
    id
    ... on Case { reference stage }
    ... on PartyCase { reference me { role } }
    ... on Person { displayName }
    ... on Notification { kind }
  }
}"#;

async fn node(app: &TestApp, who: &str, id: &str) -> Value {
    app.gql(Some(who), NODE, json!({ "id": id })).await
}

async fn node_refetches_what_the_viewer_may_see(backend: Backend) {
    let app = TestApp::start(backend).await;
    Cast::seed(&app).await;
    let case = reported_case(&app).await;

    // The procedure sees the staff view, the reporting party the party view,
    // each with the id it asked for.
    let staff = node(&app, "olivia", &case.id).await;
    assert_eq!(staff["data"]["node"]["__typename"], "Case", "{staff}");
    assert_eq!(staff["data"]["node"]["id"], case.id.as_str());
    assert!(staff["data"]["node"]["stage"].is_string(), "{staff}");
    let party = node(&app, "alice", &case.id).await;
    assert_eq!(party["data"]["node"]["__typename"], "PartyCase", "{party}");
    assert_eq!(party["data"]["node"]["me"]["role"], "REPORTING", "{party}");

    // A student with no part in the case, and staff with no relation to it,
    // are answered exactly as for a case that does not exist.
    for outsider in ["walter", "pat"] {
        let refused = node(&app, outsider, &case.id).await;
        assert_eq!(refused["data"]["node"], Value::Null, "{refused}");
        assert_eq!(code(&refused).0, "NOT_FOUND", "{outsider}: {refused}");
    }
    let nothing = node(&app, "olivia", &uuid::Uuid::new_v4().to_string()).await;
    assert_eq!(code(&nothing).0, "NOT_FOUND", "{nothing}");
    let message = |v: &Value| v["errors"][0]["message"].as_str().unwrap_or("").to_owned();
    assert_eq!(
        message(&nothing),
        message(&node(&app, "walter", &case.id).await),
        "an unseen case reads as nothing at all"
    );

    // People: administrators only.
    let ian = person_id(&app, "ian").await;
    let person = node(&app, "ada", &ian).await;
    assert_eq!(person["data"]["node"]["__typename"], "Person", "{person}");
    assert_eq!(person["data"]["node"]["id"], ian.as_str());
    assert_eq!(code(&node(&app, "alice", &ian).await).0, "NOT_FOUND");

    // Notifications: one's own only.
    let notice = app
        .ok(
            "ben",
            "{ myNotifications(first: 1) { nodes { id } } }",
            json!({}),
        )
        .await["myNotifications"]["nodes"][0]["id"]
        .as_str()
        .expect("ben was told of the report")
        .to_owned();
    let own = node(&app, "ben", &notice).await;
    assert_eq!(own["data"]["node"]["__typename"], "Notification", "{own}");
    assert_eq!(code(&node(&app, "alice", &notice).await).0, "NOT_FOUND");

    let garbled = node(&app, "olivia", "Case:42").await;
    assert_eq!(code(&garbled).0, "VALIDATION", "{garbled}");
    app.stop().await;
}
db_test!(node_refetches_what_the_viewer_may_see);

/// Every object's `id` is an `ID` (clients' caches and codegen expect it), and
/// the types refetchable by `node` implement `Node`.
async fn ids_are_typed_id(backend: Backend) {
    let app = TestApp::start(backend).await;
    app.person("alice", PersonKind::Student, &[]).await;
    let schema = app
        .ok(
            "alice",
            "{ __schema { types { name kind interfaces { name } fields { name type { kind name ofType { name } } } } } }",
            json!({}),
        )
        .await;
    let types = schema["__schema"]["types"].as_array().expect("types");
    let mut objects_with_id = 0;
    for t in types.iter().filter(|t| t["kind"] == "OBJECT") {
        let Some(fields) = t["fields"].as_array() else {
            continue;
        };
        if let Some(id) = fields.iter().find(|f| f["name"] == "id") {
            objects_with_id += 1;
            assert_eq!(id["type"]["ofType"]["name"], "ID", "{}.id: {id}", t["name"]);
        }
    }
    assert!(objects_with_id > 20, "{objects_with_id}");
    for name in ["Case", "PartyCase", "Person", "Notification"] {
        let t = types.iter().find(|t| t["name"] == name).expect(name);
        assert!(
            t["interfaces"]
                .as_array()
                .is_some_and(|i| i.iter().any(|i| i["name"] == "Node")),
            "{name} implements Node: {t}"
        );
    }
    app.stop().await;
}
db_test!(ids_are_typed_id);
