//! Server configuration: an optional TOML file (`MISCONDUCT_CONFIG`) overlaid by
//! environment variables. Loaded once at start-up and passed down; invalid
//! values stop start-up with a message naming the key. Secrets never appear in
//! `Debug` output.

mod auth;
mod cors;
mod mail;
mod trusted_documents;

use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;

use serde::Deserialize;

use crate::domain::letters::Templates;
use crate::policy::Policy;
use auth::{FileAuth, load_auth};
use mail::{FileMail, load_mail};
use trusted_documents::load_trusted_documents;
pub use trusted_documents::{TrustedDocuments, sha256_hex};

pub use auth::{AuthConfig, JwtAlgorithm, KeySource};
pub use mail::MailConfig;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub key: String,
    pub problem: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid configuration `{}`: {}", self.key, self.problem)
    }
}

impl std::error::Error for ConfigError {}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// GraphiQL, introspection, a self-generated signing secret and token minting.
    Development,
    /// Introspection and suggestions off; an identity provider's keys are required.
    Production,
}

/// A secret value: usable, but never printed.
#[derive(Clone)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

#[derive(Debug, Clone)]
pub struct Limits {
    pub max_depth: usize,
    pub max_complexity: usize,
    pub max_directives: usize,
    pub max_batch: usize,
    pub max_body_bytes: usize,
    /// Points restored to each caller's bucket per second.
    pub rate_per_second: usize,
    /// The most points a caller's bucket holds (at least `max_complexity`).
    pub rate_burst: usize,
    /// Checks of anonymous access codes per minute, server-wide (guessing).
    pub anonymous_code_checks_per_minute: usize,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub mode: Mode,
    pub bind: SocketAddr,
    pub data_dir: PathBuf,
    pub database_url: String,
    pub auth: AuthConfig,
    pub limits: Limits,
    pub policy: Policy,
    pub json_logs: bool,
    pub mail: MailConfig,
    /// Origins whose pages may call the API from a browser (CORS).
    pub cors_origins: Vec<String>,
    /// Where `/metrics` is served (its own address); `None` when off.
    pub metrics_bind: Option<SocketAddr>,
    /// When set, only these registered operations run (production's allow-list).
    pub trusted_documents: Option<TrustedDocuments>,
    pub audit: AuditConfig,
    /// How often the server runs the retention job; `None`: only by command.
    pub retention_every_hours: Option<u64>,
}

/// Checkpoints of the audit chain's head (docs/operations.md#audit-log).
#[derive(Debug, Clone)]
pub struct AuditConfig {
    /// The append-only file checkpoints are written to.
    pub checkpoint_file: PathBuf,
    /// How often the head is checkpointed when it has moved.
    pub checkpoint_seconds: u64,
}

/// The file form: every key optional, unknown keys refused.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    mode: Option<String>,
    bind: Option<String>,
    data_dir: Option<String>,
    database_url: Option<String>,
    policy_file: Option<String>,
    log_format: Option<String>,
    #[serde(default)]
    auth: FileAuth,
    #[serde(default)]
    limits: FileLimits,
    #[serde(default)]
    mail: FileMail,
    #[serde(default)]
    cors_origins: Vec<String>,
    metrics_bind: Option<String>,
    #[serde(default)]
    trusted_documents: Vec<String>,
    audit_checkpoint_file: Option<String>,
    audit_checkpoint_seconds: Option<usize>,
    retention_every_hours: Option<usize>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileLimits {
    max_depth: Option<usize>,
    max_complexity: Option<usize>,
    max_directives: Option<usize>,
    max_batch: Option<usize>,
    max_body_bytes: Option<usize>,
    rate_per_second: Option<usize>,
    rate_burst: Option<usize>,
    anonymous_code_checks_per_minute: Option<usize>,
}

pub const DEV_ISSUER: &str = "misconduct-dev";
pub const DEV_AUDIENCE: &str = "misconduct-api";

impl Config {
    /// Reads the process environment (and the file it names).
    pub fn from_env() -> Result<Config, ConfigError> {
        Self::load(&|name| std::env::var(name).ok())
    }

    /// Loads from a variable lookup, so tests can supply their own environment.
    pub fn load(env: &dyn Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        let file = match env("MISCONDUCT_CONFIG") {
            Some(path) => {
                let text = std::fs::read_to_string(&path).map_err(|e| ConfigError {
                    key: "MISCONDUCT_CONFIG".into(),
                    problem: format!("cannot read {path}: {e}"),
                })?;
                toml::from_str::<FileConfig>(&text).map_err(|e| ConfigError {
                    key: format!("MISCONDUCT_CONFIG ({path})"),
                    problem: e.message().to_string(),
                })?
            }
            None => FileConfig::default(),
        };
        // An environment variable wins over the file.
        let pick = |var: &str, file_value: &Option<String>| env(var).or_else(|| file_value.clone());

        let mode = match pick("MISCONDUCT_MODE", &file.mode).as_deref() {
            None | Some("development") => Mode::Development,
            Some("production") => Mode::Production,
            Some(other) => {
                return Err(ConfigError {
                    key: "mode (MISCONDUCT_MODE)".into(),
                    problem: format!("{other:?} is not `development` or `production`"),
                });
            }
        };
        let bind_text =
            pick("MISCONDUCT_BIND", &file.bind).unwrap_or_else(|| "127.0.0.1:8080".into());
        let bind = bind_text.parse().map_err(|e| ConfigError {
            key: "bind (MISCONDUCT_BIND)".into(),
            problem: format!("{bind_text:?} is not an address like 127.0.0.1:8080 ({e})"),
        })?;
        let data_dir = PathBuf::from(
            pick("MISCONDUCT_DATA_DIR", &file.data_dir).unwrap_or_else(|| "data".into()),
        );
        let database_url = match pick("DATABASE_URL", &file.database_url) {
            Some(url)
                if url.starts_with("postgres://")
                    || url.starts_with("postgresql://")
                    || url.starts_with("sqlite:") =>
            {
                url
            }
            Some(_) => {
                return Err(ConfigError {
                    key: "database_url (DATABASE_URL)".into(),
                    problem: "must start with postgres://, postgresql:// or sqlite:".into(),
                });
            }
            None => format!(
                "sqlite://{}?mode=rwc",
                data_dir.join("misconduct.db").display()
            ),
        };
        let policy = match pick("MISCONDUCT_POLICY_FILE", &file.policy_file) {
            Some(path) => {
                let text = std::fs::read_to_string(&path).map_err(|e| ConfigError {
                    key: "policy_file (MISCONDUCT_POLICY_FILE)".into(),
                    problem: format!("cannot read {path}: {e}"),
                })?;
                let mut policy = Policy::parse(&text)?;
                // The wording: a `letters/` folder beside the policy file.
                let letters = std::path::Path::new(&path).with_file_name("letters");
                policy.letters = std::sync::Arc::new(Templates::load(Some(&letters))?);
                policy
            }
            None => Policy::leicester(),
        };
        let json_logs = match pick("MISCONDUCT_LOG_FORMAT", &file.log_format).as_deref() {
            None | Some("text") => false,
            Some("json") => true,
            Some(other) => {
                return Err(ConfigError {
                    key: "log_format (MISCONDUCT_LOG_FORMAT)".into(),
                    problem: format!("{other:?} is not `text` or `json`"),
                });
            }
        };
        let auth = load_auth(env, &file.auth, mode, &data_dir)?;
        let limits = Limits {
            max_depth: number(env, "MISCONDUCT_MAX_DEPTH", file.limits.max_depth, 12)?,
            max_complexity: number(
                env,
                "MISCONDUCT_MAX_COMPLEXITY",
                file.limits.max_complexity,
                5_000,
            )?,
            max_directives: number(
                env,
                "MISCONDUCT_MAX_DIRECTIVES",
                file.limits.max_directives,
                8,
            )?,
            max_batch: number(env, "MISCONDUCT_MAX_BATCH", file.limits.max_batch, 10)?,
            max_body_bytes: number(
                env,
                "MISCONDUCT_MAX_BODY_BYTES",
                file.limits.max_body_bytes,
                // A full SIS batch (1,000 realistic rows, about 300 KB) with room to spare.
                1024 * 1024,
            )?,
            rate_per_second: number(
                env,
                "MISCONDUCT_RATE_PER_SECOND",
                file.limits.rate_per_second,
                500,
            )?,
            rate_burst: number(env, "MISCONDUCT_RATE_BURST", file.limits.rate_burst, 20_000)?,
            anonymous_code_checks_per_minute: number(
                env,
                "MISCONDUCT_ANONYMOUS_CODE_CHECKS_PER_MINUTE",
                file.limits.anonymous_code_checks_per_minute,
                60,
            )?,
        };
        if limits.rate_burst < limits.max_complexity {
            return Err(ConfigError {
                key: "limits.rate_burst (MISCONDUCT_RATE_BURST)".into(),
                problem: format!(
                    "must be at least limits.max_complexity ({}), or the most complex query allowed could never run",
                    limits.max_complexity
                ),
            });
        }
        let mail = load_mail(env, &file.mail, mode)?;
        let cors_origins = cors::load_cors(env, &file.cors_origins)?;
        let metrics_bind = match pick("MISCONDUCT_METRICS_BIND", &file.metrics_bind).as_deref() {
            Some("off") => None,
            other => {
                let text = other.unwrap_or("127.0.0.1:9464");
                Some(text.parse().map_err(|e| ConfigError {
                    key: "metrics_bind (MISCONDUCT_METRICS_BIND)".into(),
                    problem: format!(
                        "{text:?} is not an address like 127.0.0.1:9464, or `off` ({e})"
                    ),
                })?)
            }
        };
        let trusted_documents = load_trusted_documents(env, &file.trusted_documents)?;
        let audit = AuditConfig {
            checkpoint_file: pick(
                "MISCONDUCT_AUDIT_CHECKPOINT_FILE",
                &file.audit_checkpoint_file,
            )
            .map(PathBuf::from)
            .unwrap_or_else(|| data_dir.join("audit-checkpoints.log")),
            checkpoint_seconds: number(
                env,
                "MISCONDUCT_AUDIT_CHECKPOINT_SECONDS",
                file.audit_checkpoint_seconds,
                10,
            )? as u64,
        };
        let retention_every_hours = match env("MISCONDUCT_RETENTION_EVERY_HOURS")
            .or_else(|| file.retention_every_hours.map(|h| h.to_string()))
        {
            None => None,
            Some(_) => Some(number(
                env,
                "MISCONDUCT_RETENTION_EVERY_HOURS",
                file.retention_every_hours,
                24,
            )? as u64),
        };
        Ok(Config {
            mode,
            bind,
            data_dir,
            database_url,
            auth,
            limits,
            policy,
            json_logs,
            mail,
            cors_origins,
            metrics_bind,
            trusted_documents,
            audit,
            retention_every_hours,
        })
    }

    pub fn is_sqlite(&self) -> bool {
        self.database_url.starts_with("sqlite:")
    }
}

/// A list from a comma-separated variable, or else the file's list.
pub(super) fn list(
    env: &dyn Fn(&str) -> Option<String>,
    var: &str,
    file: &[String],
) -> Vec<String> {
    match env(var) {
        Some(text) => text
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect(),
        None => file.to_vec(),
    }
}

pub(super) fn number(
    env: &dyn Fn(&str) -> Option<String>,
    var: &str,
    file_value: Option<usize>,
    default: usize,
) -> Result<usize, ConfigError> {
    let value = match env(var) {
        Some(text) => text.parse::<usize>().map_err(|e| ConfigError {
            key: var.into(),
            problem: format!("{text:?} is not a whole number ({e})"),
        })?,
        None => file_value.unwrap_or(default),
    };
    if value == 0 {
        return Err(ConfigError {
            key: var.into(),
            problem: "must be at least 1".into(),
        });
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    fn load(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let dir = std::env::temp_dir().join(format!("cfg-{}", uuid::Uuid::new_v4()));
        let mut map: BTreeMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        map.insert("MISCONDUCT_DATA_DIR".into(), dir.display().to_string());
        Config::load(&move |k| map.get(k).cloned())
    }

    #[test]
    fn no_configuration_means_development_on_sqlite() {
        let config = load(&[]).expect("defaults load");
        assert_eq!(config.mode, Mode::Development);
        assert!(config.is_sqlite());
        assert!(matches!(config.auth.key, KeySource::Secret(_)));
    }

    #[test]
    fn production_without_issuer_names_the_key() {
        let err = load(&[
            ("MISCONDUCT_MODE", "production"),
            ("MISCONDUCT_JWT_ALGORITHM", "RS256"),
        ])
        .expect_err("refused");
        assert!(err.key.contains("MISCONDUCT_JWT_ISSUER"), "{err}");
    }

    #[test]
    fn short_secret_is_refused() {
        let err = load(&[("MISCONDUCT_JWT_SECRET", "short")]).expect_err("refused");
        assert!(err.key.contains("MISCONDUCT_JWT_SECRET"), "{err}");
    }

    #[test]
    fn secret_is_not_printed() {
        let config = load(&[(
            "MISCONDUCT_JWT_SECRET",
            "a-very-long-secret-value-of-forty-chars!!",
        )])
        .expect("loads");
        assert!(!format!("{config:?}").contains("forty-chars"));
    }

    #[test]
    fn production_needs_smtp_unless_delivery_is_off() {
        let production = [
            ("MISCONDUCT_MODE", "production"),
            ("MISCONDUCT_JWT_ALGORITHM", "HS256"),
            ("MISCONDUCT_JWT_ISSUER", "https://idp.example"),
            ("MISCONDUCT_JWT_AUDIENCE", "misconduct-api"),
            (
                "MISCONDUCT_JWT_SECRET",
                "a-very-long-secret-value-of-forty-chars!!",
            ),
        ];
        let err = load(&production).expect_err("refused");
        assert!(err.key.contains("MISCONDUCT_SMTP_URL"), "{err}");
        let mut off = production.to_vec();
        off.push(("MISCONDUCT_DELIVERY", "off"));
        assert!(!load(&off).expect("loads").mail.deliver);
        let mut smtp = production.to_vec();
        smtp.push((
            "MISCONDUCT_SMTP_URL",
            "smtp://mailer:s3cret-pass@relay.example:587?tls=required",
        ));
        let config = load(&smtp).expect("loads");
        assert!(!format!("{config:?}").contains("s3cret-pass"));
    }

    #[test]
    fn bad_bind_address_is_named() {
        let err = load(&[("MISCONDUCT_BIND", "everywhere")]).expect_err("refused");
        assert!(err.key.contains("MISCONDUCT_BIND"), "{err}");
    }

    #[test]
    fn a_trusted_document_that_is_not_graphql_is_named() {
        let path = std::env::temp_dir().join(format!("trusted-{}.json", uuid::Uuid::new_v4()));
        std::fs::write(&path, r#"{"abc": "query { me { "}"#).expect("write");
        let err = load(&[("MISCONDUCT_TRUSTED_DOCUMENTS", path.to_str().expect("path"))])
            .expect_err("refused");
        assert!(err.key.contains("MISCONDUCT_TRUSTED_DOCUMENTS"), "{err}");
        assert!(err.problem.contains("\"abc\" is not GraphQL"), "{err}");
        std::fs::remove_file(&path).expect("remove");
    }
}
