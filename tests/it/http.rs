//! The HTTP edge: health endpoints, token validation, content types, GET rules
//! and request limits.

use jsonwebtoken::{EncodingKey, Header, encode};
use misconduct_api::config::{DEV_AUDIENCE, DEV_ISSUER};
use misconduct_api::domain::kinds::PersonKind;
use serde_json::{Value, json};

use crate::common::{Backend, TEST_SECRET, TestApp};
use crate::db_test;

fn sign(claims: Value, secret: &str, alg: jsonwebtoken::Algorithm) -> String {
    encode(
        &Header::new(alg),
        &claims,
        &EncodingKey::from_secret(secret.as_bytes()),
    )
    .expect("sign")
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

async fn post_with_token(app: &TestApp, token: &str) -> (u16, Value) {
    let res = app
        .http
        .post(format!("{}/graphql", app.base))
        .bearer_auth(token)
        .json(&json!({ "query": "{ me { id } }" }))
        .send()
        .await
        .expect("send");
    (res.status().as_u16(), res.json().await.expect("json"))
}

async fn health_is_open_and_case_data_needs_a_token(backend: Backend) {
    let app = TestApp::start(backend).await;
    for path in ["/healthz", "/readyz"] {
        let res = app
            .http
            .get(format!("{}{path}", app.base))
            .send()
            .await
            .expect("send");
        assert_eq!(res.status(), 200, "{path}");
        assert!(
            res.headers().contains_key("x-request-id"),
            "responses carry a request id"
        );
    }
    let body = app
        .gql(None, "{ myCases { edges { node { id } } } }", json!({}))
        .await;
    assert_eq!(body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED");
    assert_eq!(body["data"], Value::Null);
    app.stop().await;
}
db_test!(health_is_open_and_case_data_needs_a_token);

async fn bad_tokens_are_refused(backend: Backend) {
    let app = TestApp::start(backend).await;
    app.person("alice", PersonKind::Student, &[]).await;
    let good =
        json!({ "sub": "alice", "iss": DEV_ISSUER, "aud": DEV_AUDIENCE, "exp": now() + 600 });
    let hs = jsonwebtoken::Algorithm::HS256;
    let (status, _) = post_with_token(&app, &sign(good.clone(), TEST_SECRET, hs)).await;
    assert_eq!(status, 200, "a good token is accepted");

    let mut cases: Vec<(&str, String)> = vec![
        (
            "wrong signature",
            sign(good.clone(), "another-secret-another-secret-xxxxxxxx", hs),
        ),
        (
            "wrong algorithm",
            sign(good.clone(), TEST_SECRET, jsonwebtoken::Algorithm::HS384),
        ),
        ("garbage", "not.a.token".into()),
        (
            "unsigned",
            format!(
                "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.{}.",
                base64_url(&good.to_string())
            ),
        ),
    ];
    for (what, claims) in [
        (
            "expired",
            json!({ "sub": "alice", "iss": DEV_ISSUER, "aud": DEV_AUDIENCE, "exp": now() - 3600 }),
        ),
        (
            "not yet valid",
            json!({ "sub": "alice", "iss": DEV_ISSUER, "aud": DEV_AUDIENCE, "exp": now() + 600, "nbf": now() + 3600 }),
        ),
        (
            "no audience",
            json!({ "sub": "alice", "iss": DEV_ISSUER, "exp": now() + 600 }),
        ),
        (
            "wrong audience",
            json!({ "sub": "alice", "iss": DEV_ISSUER, "aud": "someone-else", "exp": now() + 600 }),
        ),
        (
            "no issuer",
            json!({ "sub": "alice", "aud": DEV_AUDIENCE, "exp": now() + 600 }),
        ),
        (
            "wrong issuer",
            json!({ "sub": "alice", "iss": "evil", "aud": DEV_AUDIENCE, "exp": now() + 600 }),
        ),
        (
            "no expiry",
            json!({ "sub": "alice", "iss": DEV_ISSUER, "aud": DEV_AUDIENCE }),
        ),
        (
            "string expiry",
            json!({ "sub": "alice", "iss": DEV_ISSUER, "aud": DEV_AUDIENCE, "exp": "99999999999" }),
        ),
        (
            "no subject",
            json!({ "iss": DEV_ISSUER, "aud": DEV_AUDIENCE, "exp": now() + 600 }),
        ),
        (
            "unknown person",
            json!({ "sub": "mallory", "iss": DEV_ISSUER, "aud": DEV_AUDIENCE, "exp": now() + 600 }),
        ),
    ] {
        cases.push((what, sign(claims, TEST_SECRET, hs)));
    }
    for (what, token) in cases {
        let (status, body) = post_with_token(&app, &token).await;
        assert_eq!(status, 401, "{what}: {body}");
        assert_eq!(
            body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED",
            "{what}"
        );
        assert_eq!(body["data"], Value::Null, "{what}");
    }
    app.stop().await;
}
db_test!(bad_tokens_are_refused);

/// A leaked long-lived token must not work for years: no token may be valid
/// for longer than the configured maximum, by `iat` or from now.
async fn long_lived_tokens_are_refused(backend: Backend) {
    let app = TestApp::start(backend).await;
    app.person("alice", PersonKind::Student, &[]).await;
    let hs = jsonwebtoken::Algorithm::HS256;
    let hour = 3600;
    let token = |iat: Option<i64>, exp: i64| {
        let mut claims =
            json!({ "sub": "alice", "iss": DEV_ISSUER, "aud": DEV_AUDIENCE, "exp": exp });
        if let Some(iat) = iat {
            claims["iat"] = json!(iat);
        }
        sign(claims, TEST_SECRET, hs)
    };
    let accepted = [
        ("a working day", token(Some(now()), now() + 8 * hour - 60)),
        ("no iat, an hour left", token(None, now() + hour)),
    ];
    for (what, t) in accepted {
        let (status, body) = post_with_token(&app, &t).await;
        assert_eq!(status, 200, "{what}: {body}");
    }
    let refused = [
        ("nine hours", token(Some(now()), now() + 9 * hour)),
        ("a year, no iat", token(None, now() + 365 * 24 * hour)),
        (
            "issued two years ago for two years",
            token(Some(now() - 730 * 24 * hour), now() + hour),
        ),
    ];
    for (what, t) in refused {
        let (status, body) = post_with_token(&app, &t).await;
        assert_eq!(status, 401, "{what}: {body}");
        let message = body["errors"][0]["message"].as_str().unwrap_or("");
        assert!(
            message.contains("longer than this service accepts"),
            "{what}: {message}"
        );
    }
    app.stop().await;

    let strict =
        TestApp::start_with(backend, &[("MISCONDUCT_JWT_MAX_LIFETIME_SECONDS", "1800")]).await;
    strict.person("alice", PersonKind::Student, &[]).await;
    let (status, _) = post_with_token(&strict, &token(Some(now()), now() + hour)).await;
    assert_eq!(status, 401, "the configured maximum applies");
    let (status, _) = post_with_token(&strict, &token(Some(now()), now() + 1200)).await;
    assert_eq!(status, 200);
    strict.stop().await;
}
db_test!(long_lived_tokens_are_refused);

fn base64_url(text: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(text)
}

async fn only_json_posts_and_get_queries_run(backend: Backend) {
    let app = TestApp::start(backend).await;
    app.person("alice", PersonKind::Student, &[]).await;
    let token = app.token("alice");
    let url = format!("{}/graphql", app.base);

    for content_type in [
        "application/x-www-form-urlencoded",
        "text/plain",
        "multipart/form-data; boundary=x",
    ] {
        let res = app
            .http
            .post(&url)
            .bearer_auth(&token)
            .header("content-type", content_type)
            .body(r#"{"query":"{ me { id } }"}"#)
            .send()
            .await
            .expect("send");
        assert_eq!(res.status(), 415, "{content_type} must be refused");
    }

    let res = app
        .http
        .get(&url)
        .bearer_auth(&token)
        .query(&[("query", "{ me { displayName } }")])
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.expect("json");
    assert_eq!(body["data"]["me"]["displayName"], "Name of alice");

    let mutation = r#"mutation { recordDisclosure(input: { categories: [OTHER], description: "x" }) { caseId } }"#;
    let res = app
        .http
        .get(&url)
        .bearer_auth(&token)
        .query(&[("query", mutation)])
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), 405, "mutations are refused over GET");
    let listed = app
        .ok("alice", "{ myCases { edges { node { id } } } }", json!({}))
        .await;
    assert_eq!(
        listed["myCases"]["edges"],
        json!([]),
        "and nothing was recorded"
    );

    let batch: Vec<Value> = (0..11)
        .map(|_| json!({ "query": "{ me { id } }" }))
        .collect();
    let res = app
        .http
        .post(&url)
        .bearer_auth(&token)
        .json(&batch)
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), 400, "batches over the limit are refused");

    let ordinary = "{ myCases { edges { node { me { caseWorkers { displayName } } } } } }";
    let ok = app.gql(Some("alice"), ordinary, json!({})).await;
    assert!(ok.get("errors").is_none(), "{ok}");
    let huge = "x".repeat(1100 * 1024);
    let res = app
        .http
        .post(&url)
        .bearer_auth(&token)
        .json(&json!({ "query": format!("{{ me {{ id }} }} # {huge}") }))
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), 413, "bodies over the limit are refused");
    let refused: Value = res.json().await.expect("a GraphQL-shaped answer");
    assert_eq!(
        refused["errors"][0]["extensions"]["code"], "VALIDATION",
        "{refused}"
    );
    assert_eq!(refused["errors"][0]["extensions"]["field"], "body");
    app.stop().await;
}
db_test!(only_json_posts_and_get_queries_run);

async fn production_mode_hides_the_schema(backend: Backend) {
    let app = TestApp::start_with(
        backend,
        &[
            ("MISCONDUCT_MODE", "production"),
            ("MISCONDUCT_DELIVERY", "off"),
            ("MISCONDUCT_JWT_ALGORITHM", "HS256"),
            ("MISCONDUCT_JWT_ISSUER", DEV_ISSUER),
            ("MISCONDUCT_JWT_AUDIENCE", DEV_AUDIENCE),
        ],
    )
    .await;
    app.person("alice", PersonKind::Student, &[]).await;
    let body = app
        .gql(Some("alice"), "{ __schema { types { name } } }", json!({}))
        .await;
    assert_eq!(
        body["data"]["__schema"],
        Value::Null,
        "introspection is off in production: {body}"
    );
    let too_deep = format!(
        "{{ __schema {{ types {{ fields {{ type {{ {}name{} }} }} }} }} }}",
        "ofType { ".repeat(14),
        " }".repeat(14)
    );
    let refused = app.gql(Some("alice"), &too_deep, json!({})).await;
    assert!(
        refused["errors"][0]["message"]
            .as_str()
            .unwrap_or("")
            .contains("nested too deep"),
        "{refused}"
    );
    assert_eq!(
        refused["errors"][0]["extensions"]["code"], "QUERY_TOO_DEEP",
        "{refused}"
    );

    let body = app
        .gql(
            Some("alice"),
            "{ myCasez { edges { node { id } } } }",
            json!({}),
        )
        .await;
    let message = body["errors"][0]["message"].as_str().unwrap_or("");
    assert!(
        !message.contains("Did you mean"),
        "no field suggestions in production: {message}"
    );
    let res = app
        .http
        .get(format!("{}/graphiql", app.base))
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), 404, "no GraphiQL in production");
    app.stop().await;
}
db_test!(production_mode_hides_the_schema);

/// Answers carry case content: nothing may cache them, sniff them, or guess
/// their encoding; a refused method says which ones are allowed.
async fn answers_are_not_cached_sniffed_or_guessed(backend: Backend) {
    let app = TestApp::start(backend).await;
    app.person("alice", PersonKind::Student, &[]).await;
    let url = format!("{}/graphql", app.base);
    let query = json!({ "query": "{ me { displayName } }" });
    let answered = app
        .http
        .post(&url)
        .bearer_auth(app.token("alice"))
        .json(&query)
        .send()
        .await
        .expect("send");
    let refused = app
        .http
        .post(&url)
        .bearer_auth("not-a-token")
        .json(&query)
        .send()
        .await
        .expect("send");
    let mutation_over_get = app
        .http
        .get(&url)
        .bearer_auth(app.token("alice"))
        .query(&[("query", "mutation { __typename }")])
        .send()
        .await
        .expect("send");
    let deleted = app.http.delete(&url).send().await.expect("send");
    let header = |res: &reqwest::Response, name: &str| {
        res.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    };
    for (what, res, status) in [
        ("an answer", &answered, 200),
        ("a refused token", &refused, 401),
        ("a mutation over GET", &mutation_over_get, 405),
        ("DELETE", &deleted, 405),
    ] {
        assert_eq!(res.status(), status, "{what}");
        assert_eq!(header(res, "cache-control"), "no-store", "{what}");
        assert_eq!(header(res, "x-content-type-options"), "nosniff", "{what}");
    }
    for (what, res) in [
        ("an answer", &answered),
        ("a refused token", &refused),
        ("a mutation over GET", &mutation_over_get),
    ] {
        assert_eq!(
            header(res, "content-type"),
            "application/json; charset=utf-8",
            "{what}"
        );
    }
    assert_eq!(header(&mutation_over_get, "allow"), "POST");
    assert!(
        header(&deleted, "allow").contains("POST"),
        "{}",
        header(&deleted, "allow")
    );
    app.stop().await;
}
db_test!(answers_are_not_cached_sniffed_or_guessed);

/// A portal on its own origin (issue 13 item 3): the configured origins may
/// call the API from a browser — the preflight is answered and the answer
/// names the origin — and no other origin is named; with none configured,
/// no origin is.
async fn portals_on_their_own_origin_may_call_the_api(backend: Backend) {
    const PORTAL: &str = "https://portal.example.ac.uk";
    let app = TestApp::start_with(
        backend,
        &[(
            "MISCONDUCT_CORS_ORIGINS",
            "https://portal.example.ac.uk/, http://localhost:5173",
        )],
    )
    .await;
    app.person("alice", PersonKind::Student, &[]).await;
    let url = format!("{}/graphql", app.base);
    let preflight = |origin: &'static str| {
        app.http
            .request(reqwest::Method::OPTIONS, &url)
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header(
                "access-control-request-headers",
                "authorization, content-type",
            )
            .send()
    };
    let res = preflight(PORTAL).await.expect("preflight");
    assert!(
        res.status().is_success(),
        "preflight answered: {}",
        res.status()
    );
    let allowed = |res: &reqwest::Response, name: &str| {
        res.headers()
            .get(name)
            .map(|v| v.to_str().unwrap_or("").to_ascii_lowercase())
    };
    assert_eq!(
        allowed(&res, "access-control-allow-origin").as_deref(),
        Some(PORTAL)
    );
    let headers = allowed(&res, "access-control-allow-headers").unwrap_or_default();
    assert!(
        headers.contains("authorization") && headers.contains("content-type"),
        "{headers}"
    );
    assert_eq!(
        allowed(&res, "access-control-allow-credentials"),
        None,
        "never credentials"
    );

    let res = app
        .http
        .post(&url)
        .header("origin", PORTAL)
        .bearer_auth(app.token("alice"))
        .json(&json!({ "query": "{ me { displayName } }" }))
        .send()
        .await
        .expect("post");
    assert_eq!(
        allowed(&res, "access-control-allow-origin").as_deref(),
        Some(PORTAL)
    );
    let body: Value = res.json().await.expect("json");
    assert_eq!(body["data"]["me"]["displayName"], "Name of alice");

    let res = preflight("https://evil.example.com")
        .await
        .expect("preflight");
    assert_eq!(
        allowed(&res, "access-control-allow-origin"),
        None,
        "not a named origin"
    );
    app.stop().await;

    let closed = TestApp::start(backend).await;
    let res = closed
        .http
        .request(reqwest::Method::OPTIONS, format!("{}/graphql", closed.base))
        .header("origin", PORTAL)
        .header("access-control-request-method", "POST")
        .send()
        .await
        .expect("preflight");
    assert_eq!(
        res.headers().get("access-control-allow-origin"),
        None,
        "no origin is allowed unless configured"
    );
    closed.stop().await;
}
db_test!(portals_on_their_own_origin_may_call_the_api);

/// GraphQL over HTTP (issue 13 item 4): a client accepting
/// application/graphql-response+json gets that media type, and 400 for a
/// document that never ran; application/json clients keep 200. Every such
/// refusal has a code.
async fn graphql_response_json_is_honoured(backend: Backend) {
    let app = TestApp::start(backend).await;
    app.person("alice", PersonKind::Student, &[]).await;
    let ask = |accept: &'static str, query: &'static str| {
        app.http
            .post(format!("{}/graphql", app.base))
            .header("accept", accept)
            .bearer_auth(app.token("alice"))
            .json(&json!({ "query": query }))
            .send()
    };
    let media = |res: &reqwest::Response| {
        res.headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    };
    let spec = "application/graphql-response+json, application/json;q=0.9";
    for (query, code) in [
        ("{ me { displayName ", "GRAPHQL_PARSE_FAILED"),
        ("{ meee { displayName } }", "GRAPHQL_VALIDATION_FAILED"),
    ] {
        let res = ask(spec, query).await.expect("send");
        assert_eq!(res.status(), 400, "{query}");
        assert!(media(&res).starts_with("application/graphql-response+json"));
        let body: Value = res.json().await.expect("json");
        assert_eq!(body["errors"][0]["extensions"]["code"], code, "{body}");

        let res = ask("application/json", query).await.expect("send");
        assert_eq!(res.status(), 200, "{query}");
        assert!(media(&res).starts_with("application/json"));
        let body: Value = res.json().await.expect("json");
        assert_eq!(body["errors"][0]["extensions"]["code"], code, "{body}");
    }
    let res = ask(spec, "{ me { displayName } }").await.expect("send");
    assert_eq!(res.status(), 200);
    assert!(media(&res).starts_with("application/graphql-response+json"));
    app.stop().await;
}
db_test!(graphql_response_json_is_honoured);

/// graphql-js's standard introspection query (as GraphiQL, graphql-config,
/// graphql-inspector and gql send it) nests type references 9 deep.
const STANDARD_INTROSPECTION: &str = r#"
query IntrospectionQuery {
  __schema {
    queryType { name } mutationType { name } subscriptionType { name }
    types { ...FullType }
    directives { name description locations args { ...InputValue } }
  }
}
fragment FullType on __Type {
  kind name description
  fields(includeDeprecated: true) { name description args { ...InputValue } type { ...TypeRef } isDeprecated deprecationReason }
  inputFields { ...InputValue }
  interfaces { ...TypeRef }
  enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
  possibleTypes { ...TypeRef }
}
fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue }
fragment TypeRef on __Type {
  kind name
  ofType { kind name ofType { kind name ofType { kind name ofType { kind name
    ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } }
}"#;

/// Developers' tools work unmodified in development (issue 13 item 2): the
/// standard introspection query is answered whatever the depth limit, with
/// or without a token; a document that also asks for data keeps every limit.
async fn the_standard_introspection_query_works_in_development(backend: Backend) {
    let app = TestApp::start(backend).await;
    app.person("alice", PersonKind::Student, &[]).await;
    for who in [None, Some("alice")] {
        let body = app.gql(who, STANDARD_INTROSPECTION, json!({})).await;
        assert!(body.get("errors").is_none(), "{body}");
        let types = body["data"]["__schema"]["types"].as_array().map(Vec::len);
        assert!(types.unwrap_or(0) > 50, "the whole schema: {types:?}");
        assert_eq!(body["data"]["__schema"]["queryType"]["name"], "QueryRoot");
    }
    // With a data field beside it, the same document keeps every limit.
    let mixed = STANDARD_INTROSPECTION.replacen("  __schema {", "  me { id }\n  __schema {", 1);
    let body = app.gql(Some("alice"), &mixed, json!({})).await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "QUERY_TOO_DEEP",
        "{body}"
    );
    let start = app
        .http
        .get(format!("{}/graphiql/assets/start.js", app.base))
        .send()
        .await
        .expect("graphiql")
        .text()
        .await
        .expect("page");
    assert!(
        start.contains("/graphql/ws"),
        "GraphiQL knows the subscription URL"
    );
    app.stop().await;
}
db_test!(the_standard_introspection_query_works_in_development);

/// GraphiQL is served whole by the server (issue 13 item 2): the page names
/// no other host, every script and style it loads answers from this origin
/// with its media type, and a Content-Security-Policy keeps it that way.
async fn graphiql_is_served_without_a_cdn(backend: Backend) {
    let app = TestApp::start(backend).await;
    let res = app
        .http
        .get(format!("{}/graphiql", app.base))
        .send()
        .await
        .expect("graphiql");
    assert_eq!(res.status(), 200);
    let csp = res
        .headers()
        .get("content-security-policy")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(csp.contains("script-src 'self'"), "{csp}");
    let page = res.text().await.expect("page");
    assert!(
        !page.contains("://"),
        "the page names no other host: {page}"
    );
    let sources: Vec<&str> = page
        .split(['"', '\''])
        .filter(|s| s.starts_with("/graphiql/assets/"))
        .collect();
    assert_eq!(sources.len(), 6, "{sources:?}");
    for source in sources {
        let res = app
            .http
            .get(format!("{}{source}", app.base))
            .send()
            .await
            .expect("asset");
        assert_eq!(res.status(), 200, "{source}");
        let media = res
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let expected = if source.ends_with(".css") {
            "text/css"
        } else {
            "text/javascript"
        };
        assert!(media.starts_with(expected), "{source}: {media}");
        assert!(!res.bytes().await.expect("body").is_empty(), "{source}");
    }
    let missing = app
        .http
        .get(format!("{}/graphiql/assets/../../Cargo.toml", app.base))
        .send()
        .await
        .expect("missing");
    assert_eq!(missing.status(), 404);
    app.stop().await;
}
db_test!(graphiql_is_served_without_a_cdn);

/// `/metrics` (issue 13 item 7, in part): Prometheus text on its own address,
/// with requests and latency per operation name, errors per code and the
/// database pool; the counters move as requests are answered.
async fn metrics_count_requests_errors_and_the_pool(backend: Backend) {
    let app = TestApp::start(backend).await;
    app.person("alice", PersonKind::Student, &[]).await;
    let scrape = || async {
        let res = app
            .http
            .get(app.metrics_url())
            .send()
            .await
            .expect("scrape");
        assert_eq!(res.status(), 200);
        res.text().await.expect("text")
    };
    // The sum of a counter's samples whose labels contain `labels`.
    let value = |text: &str, name: &str, labels: &str| -> f64 {
        text.lines()
            .filter(|l| l.starts_with(name) && l.contains(labels))
            .filter_map(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
            .sum()
    };
    // The recorder is the process's: a name of this test's own keeps other
    // tests' requests out of the count.
    let name = format!("MetricsProbe_{}", uuid::Uuid::new_v4().simple());
    let before = scrape().await;
    for _ in 0..3 {
        app.ok(
            "alice",
            &format!("query {name} {{ me {{ id }} }}"),
            json!({}),
        )
        .await;
    }
    app.gql(
        Some("alice"),
        &format!("query {name} {{ nope }}"),
        json!({}),
    )
    .await;
    let after = scrape().await;
    let probe = format!("operation=\"{name}\"");
    let probe = probe.as_str();
    assert_eq!(
        value(&after, "graphql_requests_total", probe)
            - value(&before, "graphql_requests_total", probe),
        4.0,
        "{after}"
    );
    assert!(
        after.contains("graphql_request_duration_seconds_bucket"),
        "{after}"
    );
    let invalid = "code=\"GRAPHQL_VALIDATION_FAILED\"";
    assert!(
        value(&after, "graphql_errors_total", invalid)
            > value(&before, "graphql_errors_total", invalid),
        "{after}"
    );
    assert!(value(&after, "db_pool_connections", "") >= 1.0, "{after}");
    // Not on the public port.
    let res = app
        .http
        .get(format!("{}/metrics", app.base))
        .send()
        .await
        .expect("get");
    assert_eq!(res.status(), 404);
    app.stop().await;
}
db_test!(metrics_count_requests_errors_and_the_pool);

/// Portals send the same few documents again and again, and the server keeps
/// each one parsed (issue 16). Whatever was sent before, a document is
/// answered as itself, for the variables sent with it this time, and those
/// variables are checked every time.
async fn a_document_sent_again_is_answered_for_itself_and_its_variables(backend: Backend) {
    let app = TestApp::start(backend).await;
    app.person("alice", PersonKind::Student, &[]).await;
    // The same length and operation name, different fields.
    const NAME: &str = "query Who { me { displayName } }";
    const ID: &str = "query Who { me { id          } }";
    assert_eq!(NAME.len(), ID.len());
    for _ in 0..3 {
        let name = app.ok("alice", NAME, json!({})).await;
        assert_eq!(name["me"], json!({ "displayName": "Name of alice" }));
        let id = app.ok("alice", ID, json!({})).await;
        assert!(id["me"]["id"].is_string(), "{id}");
        assert!(id["me"].get("displayName").is_none(), "{id}");
    }

    const PAGE: &str = "query Mine($first: Int) { myCases(first: $first) { edges { cursor } } }";
    for _ in 0..2 {
        let (code, _) = app.refused("alice", PAGE, json!({ "first": 0 })).await;
        assert_eq!(code, "VALIDATION");
        let page = app.ok("alice", PAGE, json!({ "first": 5 })).await;
        assert_eq!(page["myCases"]["edges"], json!([]));
    }

    const LOOKUP: &str = "query Find($id: ID!) { node(id: $id) { id } }";
    let unknown = app
        .gql(Some("alice"), LOOKUP, json!({ "id": "Q2FzZTox" }))
        .await;
    assert!(
        unknown["errors"][0]["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("Not an id of this API")),
        "{unknown}"
    );
    let body = app
        .gql(Some("alice"), LOOKUP, json!({ "id": "Q2Fz\u{0}ZTox" }))
        .await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "VALIDATION",
        "{body}"
    );
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("NUL")),
        "{body}"
    );
}
db_test!(a_document_sent_again_is_answered_for_itself_and_its_variables);
