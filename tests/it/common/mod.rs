//! Test harness: a server per test on its own database, people seeded through
//! the domain layer, and a small GraphQL client.

#![allow(dead_code)]

pub mod proxy;
pub mod smtp;

use std::collections::BTreeMap;

use misconduct_api::auth::tokens::mint;
use misconduct_api::config::Config;
use misconduct_api::domain::clock::Clock;
use misconduct_api::domain::kinds::{EnrolmentStatus, PersonKind, StaffRole};
use misconduct_api::domain::people::{self, NewPerson};
use misconduct_api::server;
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use serde_json::{Value, json};
use uuid::Uuid;

pub const TEST_SECRET: &str = "test-secret-0123456789-abcdefghijklmnop";

#[derive(Clone, Copy, Debug)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Runs an async test body once per backend (`mod name { sqlite, postgres }`).
#[macro_export]
macro_rules! db_test {
    ($name:ident) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$name($crate::common::Backend::Sqlite).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                super::$name($crate::common::Backend::Postgres).await
            }
        }
    };
}

fn postgres_admin_url() -> String {
    std::env::var("TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

pub struct TestApp {
    pub base: String,
    pub db: DatabaseConnection,
    pub config: Config,
    pub http: reqwest::Client,
    /// The server's clock: tests move it instead of rewriting dates.
    pub clock: Clock,
    running: Option<server::Running>,
    /// The configuration variables, for starting another instance on the same database.
    vars: BTreeMap<String, String>,
    pg_database: Option<String>,
    _dir: TempDir,
}

/// Configures, migrates and starts a server on a loopback port.
async fn serve(
    vars: &BTreeMap<String, String>,
    clock: &Clock,
) -> (Config, DatabaseConnection, server::Running) {
    let config = Config::load(&|k| vars.get(k).cloned()).expect("test configuration");
    let db = server::prepare(&config).await.expect("migrate");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let running = server::spawn(&config, db.clone(), listener, clock.clone())
        .await
        .expect("serve");
    (config, db, running)
}

/// A second server on a test's database.
pub struct Instance {
    pub base: String,
    running: server::Running,
    db: DatabaseConnection,
}

/// Waits until the delivery worker has finished `n` more passes over the
/// outbox: a handshake meaning whatever was due when this was called has been
/// tried (or is leased by another instance).
async fn passes(running: &server::Running, n: u64) {
    let mut passes = running
        .delivery_passes()
        .expect("this instance delivers letters");
    let start = *passes.borrow_and_update();
    tokio::time::timeout(
        std::time::Duration::from_secs(30),
        passes.wait_for(|done| *done >= start + n),
    )
    .await
    .expect("the delivery worker keeps passing")
    .expect("the delivery worker is running");
}

impl Instance {
    /// Live updates of this instance.
    pub fn events(&self) -> &misconduct_api::events::EventBus {
        self.running.events()
    }

    /// Waits for `n` more passes of this instance's delivery worker.
    pub async fn delivery_passes(&self, n: u64) {
        passes(&self.running, n).await
    }

    pub async fn stop(self) {
        self.running.shutdown().await;
        self.db.close().await.ok();
    }
}

/// A temporary directory removed on drop.
pub struct TempDir(pub std::path::PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

impl TestApp {
    pub async fn start(backend: Backend) -> TestApp {
        Self::start_with(backend, &[]).await
    }

    /// Starts with extra configuration variables (e.g. production mode).
    pub async fn start_with(backend: Backend, extra: &[(&str, &str)]) -> TestApp {
        let dir = TempDir(
            std::env::temp_dir().join(format!("misconduct-it-{}", Uuid::new_v4().simple())),
        );
        std::fs::create_dir_all(&dir.0).expect("temp dir");
        let (url, pg_database) = match backend {
            Backend::Sqlite => (
                format!("sqlite://{}?mode=rwc", dir.0.join("test.db").display()),
                None,
            ),
            Backend::Postgres => {
                let admin_url = postgres_admin_url();
                let name = format!("it_{}", Uuid::new_v4().simple());
                let admin = Database::connect(&admin_url)
                    .await
                    .expect("PostgreSQL must be running for the tests (see README)");
                admin
                    .execute_unprepared(&format!("CREATE DATABASE {name}"))
                    .await
                    .expect("create test database");
                let base = admin_url
                    .rsplit_once('/')
                    .map(|(b, _)| b.to_string())
                    .unwrap_or(admin_url.clone());
                (format!("{base}/{name}"), Some(name))
            }
        };
        let mut vars: BTreeMap<String, String> = BTreeMap::new();
        vars.insert("MISCONDUCT_DATA_DIR".into(), dir.0.display().to_string());
        vars.insert("DATABASE_URL".into(), url);
        vars.insert("MISCONDUCT_JWT_SECRET".into(), TEST_SECRET.into());
        // Deliver promptly so tests need not wait long for letters.
        vars.insert("MISCONDUCT_DELIVERY_POLL_MS".into(), "100".into());
        // Tests send requests as fast as the server answers, with few tokens;
        // the rate limit has tests of its own.
        vars.insert("MISCONDUCT_RATE_PER_SECOND".into(), "10000000".into());
        vars.insert("MISCONDUCT_RATE_BURST".into(), "100000000".into());
        // Many servers run at once here: each serves metrics on a port of its own.
        vars.insert("MISCONDUCT_METRICS_BIND".into(), "127.0.0.1:0".into());
        // An empty value unsets a default (e.g. the test secret when a public key is used).
        for (k, v) in extra {
            if v.is_empty() {
                vars.remove(*k);
            } else {
                vars.insert(k.to_string(), v.to_string());
            }
        }
        let clock = Clock::system();
        let (config, db, running) = serve(&vars, &clock).await;
        TestApp {
            base: format!("http://{}", running.addr),
            db,
            config,
            http: reqwest::Client::new(),
            clock,
            running: Some(running),
            vars,
            pg_database,
            _dir: dir,
        }
    }

    /// Starts another server instance on the same database, with its own
    /// connection pool and delivery worker, as a second process would have.
    pub async fn another_instance(&self, extra: &[(&str, &str)]) -> Instance {
        let mut vars = self.vars.clone();
        for (k, v) in extra {
            vars.insert(k.to_string(), v.to_string());
        }
        let (_, db, running) = serve(&vars, &self.clock).await;
        Instance {
            base: format!("http://{}", running.addr),
            running,
            db,
        }
    }

    /// This server's `/metrics` address.
    pub fn metrics_url(&self) -> String {
        let addr = self.running().metrics_addr.expect("metrics are on");
        format!("http://{addr}/metrics")
    }

    /// The database URL this server was started with.
    pub fn database_url(&self) -> &str {
        &self.vars["DATABASE_URL"]
    }

    fn running(&self) -> &server::Running {
        self.running.as_ref().expect("the server is running")
    }

    /// Live updates of this server.
    pub fn events(&self) -> &misconduct_api::events::EventBus {
        self.running().events()
    }

    /// Waits for `n` more passes of this server's delivery worker.
    pub async fn delivery_passes(&self, n: u64) {
        passes(self.running(), n).await
    }

    /// Waits until this server serves `n` live subscriptions and hears events
    /// from every instance: a subscriber may then expect every later event.
    /// Each live subscription holds two receivers of the bus (its events, and
    /// its session's end), so `n` subscriptions are `2 * n` receivers; counting
    /// fewer let one subscription still opening its case miss the first event.
    pub async fn subscriptions_ready(events: &misconduct_api::events::EventBus, n: usize) {
        events.ready().await;
        let registered = async {
            while events.subscriptions() < 2 * n {
                tokio::time::sleep(std::time::Duration::from_millis(5)).await;
            }
        };
        tokio::time::timeout(std::time::Duration::from_secs(10), registered)
            .await
            .expect("the subscriptions register");
    }

    pub async fn person(&self, subject: &str, kind: PersonKind, roles: &[StaffRole]) -> Uuid {
        self.person_with(subject, kind, roles, Some(EnrolmentStatus::Enrolled))
            .await
    }

    pub async fn person_with(
        &self,
        subject: &str,
        kind: PersonKind,
        roles: &[StaffRole],
        enrolment: Option<EnrolmentStatus>,
    ) -> Uuid {
        let student = kind == PersonKind::Student;
        let p = people::insert(
            &self.db,
            NewPerson {
                subject: subject.into(),
                kind,
                display_name: format!("Name of {subject}"),
                email: Some(format!("{subject}@example.ac.uk")),
                phone: Some("+44 116 000 0000".into()),
                sis_number: student.then(|| format!("SIS-{subject}")),
                enrolment_status: if student { enrolment } else { None },
                leaving_date: None,
            },
        )
        .await
        .expect("seed person");
        for role in roles {
            people::insert_grant(&self.db, p.id, *role, None)
                .await
                .expect("grant");
        }
        p.id
    }

    /// Today on the server's clock (the UK calendar day the rules use).
    pub fn today(&self) -> chrono::NaiveDate {
        self.clock.now().today()
    }

    /// `days` pass on the server's clock: deadlines and windows run out
    /// without touching the database.
    pub fn days_pass(&self, days: i64) {
        self.clock.advance(chrono::Duration::days(days));
    }

    /// The instant `days` from now on the server's clock, as GraphQL `DateTime`.
    pub fn in_days(&self, days: i64) -> String {
        (self.clock.now().at() + chrono::Duration::days(days)).to_rfc3339()
    }

    pub fn token(&self, subject: &str) -> String {
        mint(&self.config.auth, subject, chrono::Duration::hours(1)).expect("mint")
    }

    /// Sends a GraphQL request and returns the whole JSON response.
    pub async fn gql(&self, subject: Option<&str>, query: &str, variables: Value) -> Value {
        let mut req = self
            .http
            .post(format!("{}/graphql", self.base))
            .json(&json!({ "query": query, "variables": variables }));
        if let Some(subject) = subject {
            req = req.bearer_auth(self.token(subject));
        }
        let body: Value = req
            .send()
            .await
            .expect("request")
            .json()
            .await
            .expect("json body");
        every_error_has_a_code(&body);
        body
    }

    /// `data` of a request that must succeed.
    pub async fn ok(&self, subject: &str, query: &str, variables: Value) -> Value {
        let body = self.gql(Some(subject), query, variables).await;
        assert!(
            body.get("errors").is_none(),
            "unexpected errors for {subject}: {body}"
        );
        body["data"].clone()
    }

    /// The `extensions.code` (and `rule`) of a request that must fail.
    pub async fn refused(
        &self,
        subject: &str,
        query: &str,
        variables: Value,
    ) -> (String, Option<String>) {
        let body = self.gql(Some(subject), query, variables).await;
        let err = &body["errors"][0];
        assert!(
            !err.is_null(),
            "expected an error for {subject}, got {body}"
        );
        (
            err["extensions"]["code"].as_str().unwrap_or("").to_string(),
            err["extensions"]["rule"].as_str().map(String::from),
        )
    }

    /// Like `gql`, against another instance's address.
    pub async fn gql_at(&self, base: &str, subject: &str, query: &str, variables: Value) -> Value {
        let body: Value = self
            .http
            .post(format!("{base}/graphql"))
            .json(&json!({ "query": query, "variables": variables }))
            .bearer_auth(self.token(subject))
            .send()
            .await
            .expect("request")
            .json()
            .await
            .expect("json body");
        every_error_has_a_code(&body);
        body
    }

    /// Stops the server (as a shutdown would) but keeps its database and
    /// data directory, for checks made after it.
    /// Stops this server and starts it again on the same database, as an
    /// operator's restart would.
    pub async fn restart(&mut self) {
        self.stop_server().await;
        let (config, db, running) = serve(&self.vars, &self.clock).await;
        self.base = format!("http://{}", running.addr);
        self.config = config;
        self.db = db;
        self.running = Some(running);
    }

    pub async fn stop_server(&mut self) {
        if let Some(running) = self.running.take() {
            running.shutdown().await;
        }
    }

    pub async fn stop(mut self) {
        // Whatever the test did, the statistics tally still counts every case
        // as it now stands (issue 16): a write path that changes a case
        // without telling the tally fails here.
        let tally = misconduct_api::domain::statistics::tally::verify(&self.db).await;
        if let Some(running) = self.running.take() {
            running.shutdown().await;
        }
        self.db.clone().close().await.ok();
        if let Some(name) = self.pg_database.take()
            && let Ok(admin) = Database::connect(&postgres_admin_url()).await
        {
            let _ = admin
                .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .await;
        }
        let differences = tally.expect("recount the statistics");
        assert!(
            differences.is_empty(),
            "the statistics tally is not current: {differences:#?}"
        );
    }
}

/// Every refusal the suite meets carries `extensions.code` (issue 13): the
/// harness checks each answer, so a refusal without one fails its test.
pub fn every_error_has_a_code(body: &Value) {
    let answers: Vec<&Value> = match body {
        Value::Array(batch) => batch.iter().collect(),
        single => vec![single],
    };
    for error in answers
        .iter()
        .filter_map(|a| a.get("errors").and_then(Value::as_array))
        .flatten()
    {
        assert!(
            error["extensions"]["code"].is_string(),
            "a refusal without extensions.code: {error}"
        );
    }
}
