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

/// One query asking for `aliases` full pages of cases.
fn aliased_pages(aliases: usize, first: usize) -> String {
    let pages: String = (0..aliases)
        .map(|i| {
            format!(
                "p{i}: cases(first: {first}) {{ edges {{ node {{ reference stage progress parties {{ role name }} timeline {{ kind toStage }} }} }} }} "
            )
        })
        .collect();
    format!("{{ {pages}}}")
}

/// Each item of a page is priced (as GitHub's node limit does), and every
/// alias of a look-up pays again: a request cannot multiply work for free.
async fn pages_and_aliases_are_priced_by_what_they_ask_for(backend: Backend) {
    let app = TestApp::start(backend).await;
    Cast::seed(&app).await;
    let case = reported_case(&app).await;

    let one_page = app.ok("olivia", &aliased_pages(1, 100), json!({})).await;
    assert_eq!(one_page["p0"]["edges"].as_array().map(Vec::len), Some(1));

    let bomb = app
        .gql(Some("olivia"), &aliased_pages(30, 100), json!({}))
        .await;
    assert_eq!(code(&bomb).0, "QUERY_TOO_COMPLEX", "{bomb}");
    assert_eq!(bomb["data"], Value::Null, "nothing of it ran: {bomb}");

    let lookups = |n: usize| {
        let fields: String = (0..n)
            .map(|i| format!("c{i}: case(id: \"{}\") {{ id }} ", case.id))
            .collect();
        format!("{{ {fields}}}")
    };
    let few = app.ok("olivia", &lookups(10), json!({})).await;
    assert_eq!(few["c9"]["id"], json!(case.id));
    let many = app.gql(Some("olivia"), &lookups(101), json!({})).await;
    assert_eq!(code(&many).0, "QUERY_TOO_COMPLEX", "{many}");
    app.stop().await;
}
db_test!(pages_and_aliases_are_priced_by_what_they_ask_for);

async fn post_as(app: &TestApp, subject: &str, body: &Value) -> reqwest::Response {
    app.http
        .post(format!("{}/graphql", app.base))
        .bearer_auth(app.token(subject))
        .json(body)
        .send()
        .await
        .expect("send")
}

/// A viewer's bucket of points refills at a steady rate; concurrent
/// expensive requests drain it at once and the next is refused with
/// RATE_LIMITED, HTTP 429 and the seconds to wait. Others are not affected.
async fn each_viewer_has_a_bucket_of_points(backend: Backend) {
    let app = TestApp::start_with(
        backend,
        &[
            ("MISCONDUCT_RATE_PER_SECOND", "1000"),
            ("MISCONDUCT_RATE_BURST", "5000"),
        ],
    )
    .await;
    Cast::seed(&app).await;
    reported_case(&app).await;
    // 2,202 points: two pages of 100 cases, each item 11 fields.
    let heavy = json!({ "query": aliased_pages(2, 100) });

    let answers =
        futures_util::future::join_all((0..5).map(|_| post_as(&app, "olivia", &heavy))).await;
    let mut served = 0;
    let mut refused = Vec::new();
    for res in answers {
        let status = res.status().as_u16();
        let retry_after = res
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok());
        let body: Value = res.json().await.expect("json");
        if status == 200 {
            assert!(body.get("errors").is_none(), "{body}");
            served += 1;
        } else {
            assert_eq!(status, 429, "{body}");
            assert_eq!(code(&body).0, "RATE_LIMITED", "{body}");
            let seconds = retry_after.expect("Retry-After");
            assert_eq!(
                body["errors"][0]["extensions"]["retryAfterSeconds"],
                seconds
            );
            assert!((1..=3).contains(&seconds), "wait {seconds} s");
            refused.push(seconds);
        }
    }
    assert!(
        (2..=3).contains(&served) && refused.len() >= 2,
        "five at once from one token: {served} served, {refused:?} refused"
    );

    // Someone else's bucket is full.
    let ada = app.ok("ada", "{ me { id } }", json!({})).await;
    assert!(ada["me"]["id"].is_string());
    // After the wait it was told, the viewer is served again.
    let wait = refused.iter().max().copied().unwrap_or(1);
    tokio::time::sleep(Duration::from_secs(wait) + Duration::from_millis(100)).await;
    let res = post_as(&app, "olivia", &heavy).await;
    assert_eq!(res.status(), 200);
    app.stop().await;
}
db_test!(each_viewer_has_a_bucket_of_points);

/// Attackers send the fragment fan-out (without a token) and aliased page
/// bombs (with a staff token, single and batched) without pause; a student
/// using the portal meanwhile is still answered promptly. The bound is
/// generous (a debug build on two shared cores); before the limits, one
/// such request kept a core busy for seconds and students waited 20 s.
async fn ordinary_users_are_answered_while_others_attack(backend: Backend) {
    // The production defaults for the rate limit, not the test harness's.
    let app = TestApp::start_with(
        backend,
        &[
            ("MISCONDUCT_RATE_PER_SECOND", ""),
            ("MISCONDUCT_RATE_BURST", ""),
        ],
    )
    .await;
    Cast::seed(&app).await;
    reported_case(&app).await;
    let stop = std::sync::atomic::AtomicBool::new(false);
    let fan_out = fragment_fan_out(22);
    let page_bomb = json!({ "query": aliased_pages(30, 100) });
    let batch_bomb = json!(
        (0..10)
            .map(|_| json!({ "query": aliased_pages(4, 100) }))
            .collect::<Vec<_>>()
    );
    let attack = |kind: usize| {
        let (stop, fan_out, page_bomb, batch_bomb) = (&stop, &fan_out, &page_bomb, &batch_bomb);
        let app = &app;
        async move {
            let mut sent = 0u32;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                match kind {
                    0 => {
                        post(app, None, fan_out).await;
                    }
                    1 => {
                        post_as(app, "olivia", page_bomb).await;
                    }
                    _ => {
                        post_as(app, "olivia", batch_bomb).await;
                    }
                }
                sent += 1;
            }
            sent
        }
    };
    let student = async {
        let mut slowest = Duration::ZERO;
        for _ in 0..20 {
            let started = Instant::now();
            let data = app
                .ok(
                    "alice",
                    "{ myCases { edges { node { reference progress } } } }",
                    json!({}),
                )
                .await;
            assert_eq!(data["myCases"]["edges"].as_array().map(Vec::len), Some(1));
            slowest = slowest.max(started.elapsed());
        }
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        slowest
    };
    let (slowest, sent) = tokio::join!(
        student,
        futures_util::future::join_all([0, 0, 1, 1, 2].map(attack))
    );
    assert!(
        sent.iter().all(|n| *n > 0),
        "every attacker was answered too: {sent:?}"
    );
    assert!(
        slowest < Duration::from_secs(2),
        "the student's slowest answer took {slowest:?} during the attack"
    );
    app.stop().await;
}
db_test!(ordinary_users_are_answered_while_others_attack);
