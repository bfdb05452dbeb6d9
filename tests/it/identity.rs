//! A university identity provider: RS256 and ES256 public keys, and a JWKS URL
//! whose keys rotate (a new `kid` is fetched without a restart).

use std::sync::{Arc, Mutex};

use jsonwebtoken::{Algorithm, EncodingKey, Header, encode};
use misconduct_api::domain::kinds::PersonKind;
use serde_json::{Value, json};

use crate::common::{Backend, TestApp};
use crate::db_test;

pub(crate) const ISSUER: &str = "https://login.example.ac.uk/";
pub(crate) const AUDIENCE: &str = "misconduct-api";

pub(crate) fn fixture(name: &str) -> String {
    format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// An RS256 token shaped as Microsoft Entra ID issues them: a per-application
/// `sub`, and the person's object id (`oid`), tenant and sign-in name.
pub(crate) fn entra_token(oid: Option<&str>) -> String {
    let pem = std::fs::read(fixture("rsa-a.pem")).expect("key");
    let key = EncodingKey::from_rsa_pem(&pem).expect("pem");
    let mut header = Header::new(Algorithm::RS256);
    header.kid = Some("key-a".into());
    let mut claims = json!({ "sub": "pairwise-subject-for-this-app", "iss": ISSUER, "aud": AUDIENCE,
        "exp": chrono::Utc::now().timestamp() + 600, "tid": "9188040d-6c67-4c5b-b112-36a304b66dad",
        "preferred_username": "a.student@example.ac.uk" });
    if let Some(oid) = oid {
        claims["oid"] = json!(oid);
    }
    encode(&header, &claims, &key).expect("sign")
}

fn sign(alg: Algorithm, private_pem: &str, kid: Option<&str>, subject: &str) -> String {
    let pem = std::fs::read(fixture(private_pem)).expect("key");
    let key = match alg {
        Algorithm::ES256 => EncodingKey::from_ec_pem(&pem),
        _ => EncodingKey::from_rsa_pem(&pem),
    }
    .expect("pem");
    let mut header = Header::new(alg);
    header.kid = kid.map(String::from);
    let claims = json!({ "sub": subject, "iss": ISSUER, "aud": AUDIENCE, "exp": chrono::Utc::now().timestamp() + 600 });
    encode(&header, &claims, &key).expect("sign")
}

/// `{ me { displayName } }` with a raw token: the status and the body.
pub(crate) async fn me(app: &TestApp, token: &str) -> (u16, Value) {
    let res = app
        .http
        .post(format!("{}/graphql", app.base))
        .bearer_auth(token)
        .json(&json!({ "query": "{ me { displayName } }" }))
        .send()
        .await
        .expect("send");
    (res.status().as_u16(), res.json().await.expect("json"))
}

async fn production_tokens_from_pem_keys(backend: Backend) {
    for (alg, name, private, public, other) in [
        (
            Algorithm::RS256,
            "RS256",
            "rsa-a.pem",
            "rsa-a.pub.pem",
            "rsa-b.pem",
        ),
        (
            Algorithm::ES256,
            "ES256",
            "ec.pem",
            "ec.pub.pem",
            "rsa-a.pem",
        ),
    ] {
        let public = fixture(public);
        let app = TestApp::start_with(
            backend,
            &[
                ("MISCONDUCT_MODE", "production"),
                ("MISCONDUCT_DELIVERY", "off"),
                ("MISCONDUCT_JWT_ALGORITHM", name),
                ("MISCONDUCT_JWT_ISSUER", ISSUER),
                ("MISCONDUCT_JWT_AUDIENCE", AUDIENCE),
                ("MISCONDUCT_JWT_SECRET", ""),
                ("MISCONDUCT_JWT_PUBLIC_KEY_FILE", &public),
            ],
        )
        .await;
        app.person("alice", PersonKind::Student, &[]).await;
        let (status, body) = me(&app, &sign(alg, private, None, "alice")).await;
        assert_eq!(
            (status, body["data"]["me"]["displayName"].clone()),
            (200, json!("Name of alice")),
            "{name}"
        );
        let other_alg = if alg == Algorithm::ES256 {
            Algorithm::RS256
        } else {
            alg
        };
        let (status, _) = me(&app, &sign(other_alg, other, None, "alice")).await;
        assert_eq!(status, 401, "{name}: a token from another key is refused");
        app.stop().await;
    }
}
db_test!(production_tokens_from_pem_keys);

async fn jwks_keys_rotate_without_restart(backend: Backend) {
    let (idp, url) = provider(Provider {
        jwks: std::fs::read_to_string(fixture("jwks-a.json")).expect("jwks"),
        delay: std::time::Duration::ZERO,
        max_age_seconds: 3600,
    })
    .await;

    let app = TestApp::start_with(
        backend,
        &[
            ("MISCONDUCT_JWT_ALGORITHM", "RS256"),
            ("MISCONDUCT_JWT_ISSUER", ISSUER),
            ("MISCONDUCT_JWT_AUDIENCE", AUDIENCE),
            ("MISCONDUCT_JWT_SECRET", ""),
            ("MISCONDUCT_JWT_JWKS_URL", &url),
            ("MISCONDUCT_JWT_JWKS_REFRESH_SECONDS", "0"),
        ],
    )
    .await;
    app.person("alice", PersonKind::Student, &[]).await;
    assert_eq!(
        me(
            &app,
            &sign(Algorithm::RS256, "rsa-a.pem", Some("key-a"), "alice")
        )
        .await
        .0,
        200
    );
    let with_b = sign(Algorithm::RS256, "rsa-b.pem", Some("key-b"), "alice");
    assert_eq!(me(&app, &with_b).await.0, 401, "key-b is not published yet");
    assert_eq!(
        me(&app, &sign(Algorithm::RS256, "rsa-b.pem", None, "alice"))
            .await
            .0,
        401,
        "a JWKS token needs a kid"
    );
    idp.lock().expect("lock").jwks =
        std::fs::read_to_string(fixture("jwks-ab.json")).expect("jwks");
    assert_eq!(
        me(&app, &with_b).await.0,
        200,
        "the provider rotated in key-b"
    );
    assert_eq!(
        me(
            &app,
            &sign(Algorithm::RS256, "rsa-a.pem", Some("key-b"), "alice")
        )
        .await
        .0,
        401,
        "a kid must match its key"
    );
    app.stop().await;
}
db_test!(jwks_keys_rotate_without_restart);

/// What the test identity provider publishes, and how it behaves.
pub(crate) struct Provider {
    pub jwks: String,
    pub delay: std::time::Duration,
    pub max_age_seconds: u64,
}

/// A JWKS endpoint on loopback whose keys, speed and cache header the test
/// changes as it goes.
pub(crate) async fn provider(initial: Provider) -> (Arc<Mutex<Provider>>, String) {
    let state = Arc::new(Mutex::new(initial));
    let shared = state.clone();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    // OpenID Connect discovery, as Entra ID publishes it per tenant.
    let discovery = json!({ "issuer": ISSUER, "jwks_uri": format!("{base}/jwks.json") });
    let router = axum::Router::new()
        .route(
            "/.well-known/openid-configuration",
            axum::routing::get(move || async move { axum::Json(discovery) }),
        )
        .route(
            "/jwks.json",
            axum::routing::get(move || {
                let shared = shared.clone();
                async move {
                    let (body, delay, max_age) = {
                        let p = shared.lock().expect("lock");
                        (p.jwks.clone(), p.delay, p.max_age_seconds)
                    };
                    tokio::time::sleep(delay).await;
                    (
                        [(
                            axum::http::header::CACHE_CONTROL,
                            format!("max-age={max_age}"),
                        )],
                        body,
                    )
                }
            }),
        );
    let url = format!("{base}/jwks.json");
    tokio::spawn(async move { axum::serve(listener, router).await });
    (state, url)
}

/// While the provider is slow, a token with an unknown `kid` waits for the
/// fetch alone: every other sign-in is answered at once. Keys are fetched on
/// the provider's schedule, so a withdrawn key stops working without any
/// unknown `kid` forcing a fetch (issue 15 item 4).
async fn a_slow_provider_holds_up_no_one_and_withdrawn_keys_stop_working(backend: Backend) {
    use std::time::{Duration, Instant};
    let read = |name: &str| std::fs::read_to_string(fixture(name)).expect("jwks");
    let (idp, url) = provider(Provider {
        jwks: read("jwks-a.json"),
        delay: Duration::ZERO,
        max_age_seconds: 3600,
    })
    .await;
    let app = TestApp::start_with(
        backend,
        &[
            ("MISCONDUCT_JWT_ALGORITHM", "RS256"),
            ("MISCONDUCT_JWT_ISSUER", ISSUER),
            ("MISCONDUCT_JWT_AUDIENCE", AUDIENCE),
            ("MISCONDUCT_JWT_SECRET", ""),
            ("MISCONDUCT_JWT_JWKS_URL", &url),
            ("MISCONDUCT_JWT_JWKS_REFRESH_SECONDS", "0"),
        ],
    )
    .await;
    app.person("alice", PersonKind::Student, &[]).await;
    let with_a = sign(Algorithm::RS256, "rsa-a.pem", Some("key-a"), "alice");
    assert_eq!(me(&app, &with_a).await.0, 200);

    // The provider takes 3 s to answer; a token with a made-up kid makes the
    // server ask it.
    {
        let mut p = idp.lock().expect("lock");
        p.delay = Duration::from_secs(3);
        p.max_age_seconds = 1;
    }
    let made_up = sign(Algorithm::RS256, "rsa-b.pem", Some("made-up"), "alice");
    let probing = {
        let (http, base, token) = (app.http.clone(), app.base.clone(), made_up.clone());
        tokio::spawn(async move {
            let started = Instant::now();
            let res = http
                .post(format!("{base}/graphql"))
                .bearer_auth(token)
                .json(&json!({ "query": "{ me { displayName } }" }))
                .send()
                .await
                .expect("send");
            (res.status().as_u16(), started.elapsed())
        })
    };
    tokio::time::sleep(Duration::from_millis(300)).await;
    let started = Instant::now();
    let answers = futures_util::future::join_all((0..5).map(|_| me(&app, &with_a))).await;
    let took = started.elapsed();
    assert!(
        answers.iter().all(|(status, _)| *status == 200),
        "{answers:?}"
    );
    assert!(
        took < Duration::from_secs(1),
        "five sign-ins with a known key took {took:?} while the provider was slow"
    );
    let (status, waited) = probing.await.expect("probe");
    assert_eq!(status, 401, "a kid the provider never published");
    assert!(
        waited >= Duration::from_secs(2),
        "it waited for the fetch: {waited:?}"
    );

    // The provider withdraws key-a and publishes key-b. Nothing asks for an
    // unknown kid; the scheduled fetch (max-age=1) drops key-a by itself.
    {
        let mut p = idp.lock().expect("lock");
        p.jwks = read("jwks-b.json");
        p.delay = Duration::ZERO;
    }
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let (status, body) = me(&app, &with_a).await;
        if status == 401 {
            break;
        }
        assert_eq!(status, 200, "{body}");
        assert!(
            Instant::now() < deadline,
            "key-a still works 10 s after the provider withdrew it"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let with_b = sign(Algorithm::RS256, "rsa-b.pem", Some("key-b"), "alice");
    assert_eq!(
        me(&app, &with_b).await.0,
        200,
        "the key now published works"
    );
    app.stop().await;
}
db_test!(a_slow_provider_holds_up_no_one_and_withdrawn_keys_stop_working);

async fn the_first_administrator_is_bootstrapped_once(backend: Backend) {
    use misconduct_api::domain::{case_store::begin, people::bootstrap_admin};
    let app = TestApp::start(backend).await;
    let tx = begin(&app.db).await.expect("tx");
    bootstrap_admin(&tx, "root-admin", "Root Admin", None)
        .await
        .expect("first admin");
    tx.commit().await.expect("commit");
    let roles = app.ok("root-admin", "{ me { roles } }", json!({})).await;
    assert_eq!(roles["me"]["roles"], json!(["ADMIN"]));
    let tx = begin(&app.db).await.expect("tx");
    assert!(
        bootstrap_admin(&tx, "someone-else", "Someone", None)
            .await
            .is_err(),
        "only the first"
    );
    drop(tx);
    let log = app
        .ok(
            "root-admin",
            "{ auditLog { nodes { operation } } }",
            json!({}),
        )
        .await;
    assert_eq!(log["auditLog"]["nodes"][0]["operation"], "bootstrapAdmin");
    app.stop().await;
}
db_test!(the_first_administrator_is_bootstrapped_once);

async fn mapped_identity_provider_groups_become_roles(backend: Backend) {
    let dir = std::env::temp_dir().join(format!("idp-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).expect("dir");
    let file = dir.join("config.toml");
    std::fs::write(
        &file,
        "[auth]\nrole_claim = \"groups\"\n[auth.role_map]\n\"sss-caseworkers\" = \"CASE_WORKER\"\n",
    )
    .expect("write");
    let app = TestApp::start_with(
        backend,
        &[("MISCONDUCT_CONFIG", &file.display().to_string())],
    )
    .await;
    app.person("kim", PersonKind::Staff, &[]).await;
    let secret = EncodingKey::from_secret(crate::common::TEST_SECRET.as_bytes());
    let token = |groups: Value| {
        let claims = json!({ "sub": "kim", "iss": misconduct_api::config::DEV_ISSUER, "aud": misconduct_api::config::DEV_AUDIENCE,
                             "exp": chrono::Utc::now().timestamp() + 600, "groups": groups });
        encode(&Header::new(Algorithm::HS256), &claims, &secret).expect("sign")
    };
    let roles = |body: Value| body["data"]["me"]["roles"].clone();
    let ask = |t: String| {
        let app = &app;
        async move {
            let res = app
                .http
                .post(format!("{}/graphql", app.base))
                .bearer_auth(t)
                .json(&json!({ "query": "{ me { roles } }" }))
                .send()
                .await
                .expect("send");
            res.json::<Value>().await.expect("json")
        }
    };
    assert_eq!(
        roles(ask(token(json!(["sss-caseworkers", "library"]))).await),
        json!(["CASE_WORKER"])
    );
    assert_eq!(
        roles(ask(token(json!(["ADMIN", "CONDUCT_OFFICER"]))).await),
        json!([]),
        "only mapped groups count, never raw role names"
    );
    app.stop().await;
    let _ = std::fs::remove_dir_all(dir);
}
db_test!(mapped_identity_provider_groups_become_roles);

/// A policy file changed under a name already used is recorded as a new
/// version (issue 11), the same one on every start, rather than refused.
async fn a_changed_policy_under_an_old_name_is_a_new_version(backend: Backend) {
    let app = TestApp::start(backend).await;
    let mut config = app.config.clone();
    config.policy.deadlines.appeal_window = 15;
    let db = misconduct_api::server::prepare(&config)
        .await
        .expect("a changed policy starts");
    let id = misconduct_api::policy::register(&db, &config.policy)
        .await
        .expect("recorded");
    let named = format!("{}+", app.config.policy.version);
    assert!(id.starts_with(&named), "{id}");
    assert_eq!(
        misconduct_api::policy::register(&db, &config.policy)
            .await
            .expect("again"),
        id,
        "the same version on every start"
    );
    config.policy.version = "leicester-2099.1".into();
    assert_eq!(
        misconduct_api::policy::register(&db, &config.policy)
            .await
            .expect("named"),
        "leicester-2099.1"
    );
    app.stop().await;
}
db_test!(a_changed_policy_under_an_old_name_is_a_new_version);

/// Entra ID sign-in (issue 13 item 1): people are matched on the configured
/// claim — `oid`, the object id the Entra portal shows — and the JWKS is
/// found through the tenant's OpenID Connect discovery document.
async fn people_are_matched_on_the_configured_claim(backend: Backend) {
    const OID: &str = "2b7d4e0a-5c3f-4f7e-9a41-7f0f1b2c3d4e";
    let (_idp, jwks_url) = provider(Provider {
        jwks: std::fs::read_to_string(fixture("jwks-a.json")).expect("jwks"),
        delay: std::time::Duration::ZERO,
        max_age_seconds: 3600,
    })
    .await;
    let discovery = jwks_url.replace("/jwks.json", "/.well-known/openid-configuration");
    let app = TestApp::start_with(
        backend,
        &[
            ("MISCONDUCT_JWT_ALGORITHM", "RS256"),
            ("MISCONDUCT_JWT_ISSUER", ISSUER),
            ("MISCONDUCT_JWT_AUDIENCE", AUDIENCE),
            ("MISCONDUCT_JWT_SECRET", ""),
            ("MISCONDUCT_JWT_JWKS_URL", &discovery),
            ("MISCONDUCT_JWT_IDENTITY_CLAIM", "oid"),
        ],
    )
    .await;
    app.person(OID, PersonKind::Student, &[]).await;
    let (status, body) = me(&app, &entra_token(Some(OID))).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["me"]["displayName"], format!("Name of {OID}"));
    let (status, body) = me(&app, &entra_token(None)).await;
    assert_eq!(status, 401, "{body}");
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("`oid`")),
        "{body}"
    );
    app.stop().await;
}
db_test!(people_are_matched_on_the_configured_claim);
