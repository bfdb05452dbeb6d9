//! Server configuration: an optional TOML file (`MISCONDUCT_CONFIG`) overlaid by
//! environment variables. Loaded once at start-up and passed down; invalid
//! values stop start-up with a message naming the key. Secrets never appear in
//! `Debug` output.

use std::collections::BTreeMap;
use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::domain::kinds::StaffRole;
use crate::policy::Policy;

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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JwtAlgorithm {
    Hs256,
    Rs256,
    Es256,
}

#[derive(Debug, Clone)]
pub enum KeySource {
    /// HS256 shared secret. In development, generated and kept in the data directory.
    Secret(Secret),
    /// RS256/ES256 public key in PEM.
    PublicKeyFile(PathBuf),
    /// A JWKS document on disk, selected by the token's `kid`.
    JwksFile(PathBuf),
    /// A JWKS document fetched from the identity provider, refreshed when an unknown `kid` appears.
    JwksUrl(String),
}

#[derive(Debug, Clone)]
pub struct AuthConfig {
    pub algorithm: JwtAlgorithm,
    pub issuer: String,
    pub audience: String,
    pub key: KeySource,
    pub leeway_seconds: u64,
    /// Minimum seconds between JWKS re-fetches triggered by an unknown `kid`.
    pub jwks_refresh_seconds: u64,
    /// A claim naming the identity provider's groups, mapped to staff roles. When
    /// unset, roles come only from role grants in the database.
    pub role_claim: Option<String>,
    pub role_map: BTreeMap<String, StaffRole>,
}

#[derive(Debug, Clone)]
pub struct Limits {
    pub max_depth: usize,
    pub max_complexity: usize,
    pub max_directives: usize,
    pub max_batch: usize,
    pub max_body_bytes: usize,
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
}

/// Delivery of scheduled communications from the outbox.
#[derive(Debug, Clone)]
pub struct MailConfig {
    /// `smtp://`, `smtps://` (or `?tls=required`) URL with any credentials; when
    /// unset, messages go to the log (development only).
    pub smtp_url: Option<Secret>,
    pub from: String,
    /// Whether this instance runs the delivery worker.
    pub deliver: bool,
    pub poll_ms: u64,
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
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileMail {
    smtp_url: Option<String>,
    from: Option<String>,
    delivery: Option<String>,
    poll_ms: Option<usize>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileAuth {
    algorithm: Option<String>,
    issuer: Option<String>,
    audience: Option<String>,
    secret: Option<String>,
    public_key_file: Option<String>,
    jwks_file: Option<String>,
    jwks_url: Option<String>,
    leeway_seconds: Option<u64>,
    jwks_refresh_seconds: Option<u64>,
    role_claim: Option<String>,
    #[serde(default)]
    role_map: BTreeMap<String, String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileLimits {
    max_depth: Option<usize>,
    max_complexity: Option<usize>,
    max_directives: Option<usize>,
    max_batch: Option<usize>,
    max_body_bytes: Option<usize>,
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
                Policy::parse(&text)?
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
                2_000,
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
                256 * 1024,
            )?,
        };
        let mail = load_mail(env, &file.mail, mode)?;
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
        })
    }

    pub fn is_sqlite(&self) -> bool {
        self.database_url.starts_with("sqlite:")
    }
}

fn number(
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

fn load_mail(
    env: &dyn Fn(&str) -> Option<String>,
    file: &FileMail,
    mode: Mode,
) -> Result<MailConfig, ConfigError> {
    let pick = |var: &str, file_value: &Option<String>| env(var).or_else(|| file_value.clone());
    let deliver = match pick("MISCONDUCT_DELIVERY", &file.delivery).as_deref() {
        None | Some("on") => true,
        Some("off") => false,
        Some(other) => {
            return Err(ConfigError {
                key: "mail.delivery (MISCONDUCT_DELIVERY)".into(),
                problem: format!("{other:?} is not `on` or `off`"),
            });
        }
    };
    let smtp_url = pick("MISCONDUCT_SMTP_URL", &file.smtp_url).filter(|u| !u.trim().is_empty());
    if let Some(url) = &smtp_url
        && !(url.starts_with("smtp://") || url.starts_with("smtps://"))
    {
        return Err(ConfigError {
            key: "mail.smtp_url (MISCONDUCT_SMTP_URL)".into(),
            problem: "must start with smtp:// or smtps://".into(),
        });
    }
    if mode == Mode::Production && deliver && smtp_url.is_none() {
        return Err(ConfigError {
            key: "mail.smtp_url (MISCONDUCT_SMTP_URL)".into(),
            problem: "is required in production, or set delivery = off on instances that do not send mail".into(),
        });
    }
    let from = pick("MISCONDUCT_MAIL_FROM", &file.from)
        .unwrap_or_else(|| "Student Conduct <no-reply@localhost>".into());
    if from.parse::<lettre::message::Mailbox>().is_err() {
        return Err(ConfigError {
            key: "mail.from (MISCONDUCT_MAIL_FROM)".into(),
            problem: format!(
                "{from:?} is not an address like `Student Conduct <conduct@example.ac.uk>`"
            ),
        });
    }
    let poll_ms = number(env, "MISCONDUCT_DELIVERY_POLL_MS", file.poll_ms, 5_000)? as u64;
    Ok(MailConfig {
        smtp_url: smtp_url.map(Secret::new),
        from,
        deliver,
        poll_ms,
    })
}

fn load_auth(
    env: &dyn Fn(&str) -> Option<String>,
    file: &FileAuth,
    mode: Mode,
    data_dir: &Path,
) -> Result<AuthConfig, ConfigError> {
    let pick = |var: &str, file_value: &Option<String>| env(var).or_else(|| file_value.clone());
    let algorithm = match pick("MISCONDUCT_JWT_ALGORITHM", &file.algorithm).as_deref() {
        None if mode == Mode::Development => JwtAlgorithm::Hs256,
        None => {
            return Err(ConfigError {
                key: "auth.algorithm (MISCONDUCT_JWT_ALGORITHM)".into(),
                problem: "is required in production (HS256, RS256 or ES256)".into(),
            });
        }
        Some("HS256") => JwtAlgorithm::Hs256,
        Some("RS256") => JwtAlgorithm::Rs256,
        Some("ES256") => JwtAlgorithm::Es256,
        Some(other) => {
            return Err(ConfigError {
                key: "auth.algorithm (MISCONDUCT_JWT_ALGORITHM)".into(),
                problem: format!("{other:?} is not HS256, RS256 or ES256"),
            });
        }
    };
    let required = |var: &str, key: &str, file_value: &Option<String>, dev_default: &str| match pick(
        var, file_value,
    ) {
        Some(v) if !v.trim().is_empty() => Ok(v),
        Some(_) => Err(ConfigError {
            key: format!("{key} ({var})"),
            problem: "must not be empty".into(),
        }),
        None if mode == Mode::Development => Ok(dev_default.to_string()),
        None => Err(ConfigError {
            key: format!("{key} ({var})"),
            problem: "is required in production".into(),
        }),
    };
    let issuer = required(
        "MISCONDUCT_JWT_ISSUER",
        "auth.issuer",
        &file.issuer,
        DEV_ISSUER,
    )?;
    let audience = required(
        "MISCONDUCT_JWT_AUDIENCE",
        "auth.audience",
        &file.audience,
        DEV_AUDIENCE,
    )?;

    let secret = pick("MISCONDUCT_JWT_SECRET", &file.secret);
    let public_key = pick("MISCONDUCT_JWT_PUBLIC_KEY_FILE", &file.public_key_file);
    let jwks_file = pick("MISCONDUCT_JWT_JWKS_FILE", &file.jwks_file);
    let jwks_url = pick("MISCONDUCT_JWT_JWKS_URL", &file.jwks_url);
    let key = match (algorithm, secret, public_key, jwks_file, jwks_url) {
        (JwtAlgorithm::Hs256, Some(secret), None, None, None) => {
            if secret.len() < 32 {
                return Err(ConfigError {
                    key: "auth.secret (MISCONDUCT_JWT_SECRET)".into(),
                    problem: "must be at least 32 characters".into(),
                });
            }
            KeySource::Secret(Secret::new(secret))
        }
        (JwtAlgorithm::Hs256, None, None, None, None) if mode == Mode::Development => {
            KeySource::Secret(crate::auth::dev_secret(data_dir).map_err(|e| ConfigError {
                key: "data_dir (MISCONDUCT_DATA_DIR)".into(),
                problem: format!("cannot keep the development signing secret there: {e}"),
            })?)
        }
        (JwtAlgorithm::Hs256, ..) => {
            return Err(ConfigError {
                key: "auth.secret (MISCONDUCT_JWT_SECRET)".into(),
                problem: "HS256 needs a secret and no public key or JWKS".into(),
            });
        }
        (_, None, Some(path), None, None) => KeySource::PublicKeyFile(path.into()),
        (_, None, None, Some(path), None) => KeySource::JwksFile(path.into()),
        (_, None, None, None, Some(url)) => KeySource::JwksUrl(url),
        _ => {
            return Err(ConfigError {
                key: "auth.public_key_file / auth.jwks_file / auth.jwks_url".into(),
                problem: "RS256 and ES256 need exactly one of a PEM public key, a JWKS file or a JWKS URL, and no secret".into(),
            });
        }
    };
    let leeway_seconds = match env("MISCONDUCT_JWT_LEEWAY_SECONDS") {
        Some(text) => text.parse().map_err(|e| ConfigError {
            key: "auth.leeway_seconds (MISCONDUCT_JWT_LEEWAY_SECONDS)".into(),
            problem: format!("{text:?} is not a whole number of seconds ({e})"),
        })?,
        None => file.leeway_seconds.unwrap_or(30),
    };
    if leeway_seconds > 300 {
        return Err(ConfigError {
            key: "auth.leeway_seconds".into(),
            problem: "must be at most 300 seconds".into(),
        });
    }
    let jwks_refresh_seconds = match env("MISCONDUCT_JWT_JWKS_REFRESH_SECONDS") {
        Some(text) => text.parse().map_err(|e| ConfigError {
            key: "auth.jwks_refresh_seconds (MISCONDUCT_JWT_JWKS_REFRESH_SECONDS)".into(),
            problem: format!("{text:?} is not a whole number of seconds ({e})"),
        })?,
        None => file.jwks_refresh_seconds.unwrap_or(60),
    };
    let mut role_map = BTreeMap::new();
    for (group, role) in &file.role_map {
        let role = StaffRole::parse(role).ok_or_else(|| ConfigError {
            key: format!("auth.role_map.{group}"),
            problem: format!("{role:?} is not a staff role"),
        })?;
        role_map.insert(group.clone(), role);
    }
    let role_claim = pick("MISCONDUCT_JWT_ROLE_CLAIM", &file.role_claim);
    if role_claim.is_some() && role_map.is_empty() {
        return Err(ConfigError {
            key: "auth.role_map".into(),
            problem: "a role claim needs an explicit map from the provider's values to staff roles"
                .into(),
        });
    }
    Ok(AuthConfig {
        algorithm,
        issuer,
        audience,
        key,
        leeway_seconds,
        jwks_refresh_seconds,
        role_claim,
        role_map,
    })
}

#[cfg(test)]
mod tests {
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
}
