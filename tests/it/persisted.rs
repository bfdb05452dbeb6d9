//! Persisted queries (issue 13 item 8): Apollo's automatic persisted queries
//! by default, and, when configured, an allow-list of trusted documents that
//! the university's applications registered at build time.

use misconduct_api::config::sha256_hex;
use misconduct_api::domain::kinds::PersonKind;
use serde_json::{Value, json};

use crate::common::{Backend, TestApp};
use crate::db_test;

const ME: &str = "query Me { me { displayName } }";

async fn post(app: &TestApp, body: Value) -> Value {
    app.http
        .post(format!("{}/graphql", app.base))
        .bearer_auth(app.token("alice"))
        .json(&body)
        .send()
        .await
        .expect("send")
        .json()
        .await
        .expect("json")
}

fn by_hash(hash: &str) -> Value {
    json!({ "extensions": { "persistedQuery": { "version": 1, "sha256Hash": hash } } })
}

fn code(body: &Value) -> &str {
    body["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or("none")
}

/// Apollo Client's persisted-query link: hash first, the text when asked,
/// the hash alone afterwards.
async fn automatic_persisted_queries_fall_back_and_then_hit(backend: Backend) {
    let app = TestApp::start(backend).await;
    app.person("alice", PersonKind::Student, &[]).await;
    let hash = sha256_hex(ME);

    let miss = post(&app, by_hash(&hash)).await;
    assert_eq!(code(&miss), "PERSISTED_QUERY_NOT_FOUND", "{miss}");
    assert_eq!(miss["errors"][0]["message"], "PersistedQueryNotFound");

    let mut register = by_hash(&hash);
    register["query"] = json!(ME);
    let registered = post(&app, register).await;
    assert_eq!(
        registered["data"]["me"]["displayName"], "Name of alice",
        "{registered}"
    );

    let hit = post(&app, by_hash(&hash)).await;
    assert_eq!(hit["data"]["me"]["displayName"], "Name of alice", "{hit}");

    let mut wrong = by_hash(&sha256_hex("{ me { id } }"));
    wrong["query"] = json!(ME);
    assert_eq!(
        code(&post(&app, wrong).await),
        "PERSISTED_QUERY_HASH_MISMATCH"
    );

    // A document the limits refuse is not kept: its hash stays unknown.
    let heavy = format!(
        "{{ {} }}",
        (0..6000)
            .map(|i| format!("a{i}: me {{ id }}"))
            .collect::<Vec<_>>()
            .join(" ")
    );
    let mut too_big = by_hash(&sha256_hex(&heavy));
    too_big["query"] = json!(heavy);
    assert_eq!(code(&post(&app, too_big).await), "QUERY_TOO_COMPLEX");
    assert_eq!(
        code(&post(&app, by_hash(&sha256_hex(&heavy))).await),
        "PERSISTED_QUERY_NOT_FOUND"
    );
    app.stop().await;
}
db_test!(automatic_persisted_queries_fall_back_and_then_hit);

/// With trusted documents, only what the portal's build registered runs: by
/// hash, by id, or by its exact text; anything else is refused with a code.
async fn trusted_documents_are_the_only_documents_that_run(backend: Backend) {
    let dir = std::env::temp_dir().join(format!("trusted-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).expect("dir");
    // graphql-codegen's client preset and Apollo's manifest, one each.
    let codegen = dir.join("persisted-documents.json");
    std::fs::write(&codegen, json!({ sha256_hex(ME): ME }).to_string()).expect("write");
    let apollo = dir.join("persisted-query-manifest.json");
    let roles = "query MyRoles { me { roles } }";
    std::fs::write(
        &apollo,
        json!({ "format": "apollo-persisted-query-manifest", "version": 1,
                "operations": [{ "id": "my-roles-1", "name": "MyRoles", "type": "query", "body": roles }] })
        .to_string(),
    )
    .expect("write");
    let manifests = format!("{},{}", codegen.display(), apollo.display());
    let app = TestApp::start_with(backend, &[("MISCONDUCT_TRUSTED_DOCUMENTS", &manifests)]).await;
    app.person("alice", PersonKind::Student, &[]).await;

    let hit = post(&app, by_hash(&sha256_hex(ME))).await;
    assert_eq!(hit["data"]["me"]["displayName"], "Name of alice", "{hit}");
    let by_id = post(&app, by_hash("my-roles-1")).await;
    assert!(by_id["data"]["me"]["roles"].is_array(), "{by_id}");
    let text = post(&app, json!({ "query": ME })).await;
    assert_eq!(text["data"]["me"]["displayName"], "Name of alice", "{text}");

    let other = post(&app, json!({ "query": "{ me { id } }" })).await;
    assert_eq!(code(&other), "PERSISTED_QUERY_NOT_IN_LIST", "{other}");
    assert_eq!(other["data"], Value::Null);
    // APQ cannot register anything here.
    let mut register = by_hash(&sha256_hex("{ me { id } }"));
    register["query"] = json!("{ me { id } }");
    assert_eq!(
        code(&post(&app, register).await),
        "PERSISTED_QUERY_NOT_IN_LIST"
    );
    assert_eq!(
        code(&post(&app, by_hash(&sha256_hex("{ me { id } }"))).await),
        "PERSISTED_QUERY_NOT_FOUND"
    );
    app.stop().await;
    std::fs::remove_dir_all(&dir).expect("remove");
}
db_test!(trusted_documents_are_the_only_documents_that_run);
