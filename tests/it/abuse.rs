//! Documents and inputs built to hurt the server (issue 15): they are refused
//! cheaply, with a code, and ordinary users keep being answered.

use std::time::{Duration, Instant};

use misconduct_api::domain::kinds::PersonKind;
use serde_json::{Value, json};

use crate::common::{Backend, TestApp};
use crate::db_test;
use crate::scenario::*;

/// About 1 KB of GraphQL whose fragments each spread the next twice: `levels`
/// deep it names 2^(levels+1) fields once expanded.
pub fn fragment_fan_out(levels: usize) -> String {
    let mut query = String::from("query { ...F0 }\n");
    for level in 0..levels {
        query.push_str(&format!(
            "fragment F{level} on Query {{ ...F{next} ...F{next} }}\n",
            next = level + 1
        ));
    }
    query.push_str(&format!("fragment F{levels} on Query {{ me {{ id }} }}\n"));
    query
}

async fn post(app: &TestApp, token: Option<&str>, query: &str) -> Value {
    let mut req = app
        .http
        .post(format!("{}/graphql", app.base))
        .json(&json!({ "query": query }));
    if let Some(token) = token {
        req = req.bearer_auth(token);
    }
    req.send().await.expect("send").json().await.expect("json")
}

async fn a_fragment_fan_out_is_refused_before_it_is_expanded(backend: Backend) {
    let app = TestApp::start(backend).await;
    app.person("alice", PersonKind::Student, &[]).await;
    let token = app.token("alice");
    let bomb = fragment_fan_out(22);
    assert!(
        bomb.len() < 2048,
        "the attack is small: {} bytes",
        bomb.len()
    );

    // Four at once, with and without a token, as an attacker would send them.
    let started = Instant::now();
    let answers = futures_util::future::join_all((0..4).map(|i| {
        let token = (i % 2 == 0).then_some(token.as_str());
        post(&app, token, &bomb)
    }))
    .await;
    for body in &answers {
        assert_eq!(code(body).0, "QUERY_TOO_COMPLEX", "{body}");
        let message = body["errors"][0]["message"].as_str().unwrap_or("");
        assert!(
            message.contains("fields and fragments once its fragments are expanded"),
            "{message}"
        );
    }
    // Expanding 2^22 fields takes seconds even in a release build; counting
    // them takes microseconds. The margin is generous for a debug build.
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "refused in {:?}",
        started.elapsed()
    );

    let cyclic = "{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }";
    let body = post(&app, Some(&token), cyclic).await;
    assert_eq!(code(&body).0, "QUERY_TOO_COMPLEX", "{body}");

    let health = app
        .http
        .get(format!("{}/healthz", app.base))
        .send()
        .await
        .expect("health");
    assert_eq!(health.status(), 200);
    app.ok("alice", "{ me { id } }", json!({})).await;
    app.stop().await;
}
db_test!(a_fragment_fan_out_is_refused_before_it_is_expanded);

async fn text_with_a_nul_character_is_refused_as_invalid(backend: Backend) {
    let app = TestApp::start(backend).await;
    Cast::seed(&app).await;
    let body = app
        .gql(
            Some("alice"),
            RECORD,
            json!({ "input": { "categories": ["OTHER"], "description": "before\u{0}after" } }),
        )
        .await;
    assert_eq!(code(&body).0, "VALIDATION", "{body}");
    assert_eq!(body["errors"][0]["extensions"]["field"], "variables");

    let literal = r#"mutation { recordDisclosure(input: { categories: [OTHER], description: "a\u0000b" }) { caseId } }"#;
    let body = app.gql(Some("alice"), literal, json!({})).await;
    assert_eq!(code(&body).0, "VALIDATION", "{body}");
    assert_eq!(body["errors"][0]["extensions"]["field"], "query");

    let listed = app
        .ok("alice", "{ myCases { edges { node { id } } } }", json!({}))
        .await;
    assert_eq!(
        listed["myCases"]["edges"],
        json!([]),
        "nothing was recorded"
    );
    app.stop().await;
}
db_test!(text_with_a_nul_character_is_refused_as_invalid);
