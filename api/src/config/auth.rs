//! Sign-in settings: the JWT algorithm and key source, issuer, audience,
//! leeway, and an optional IdP group claim mapped to staff roles.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::domain::kinds::StaffRole;

use super::{ConfigError, DEV_AUDIENCE, DEV_ISSUER, Mode, Secret};

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

/// Eight hours: a working day's sign-in. Identity providers issue far shorter
/// access tokens (Entra ID 60–90 minutes, Okta one hour by default).
pub const DEFAULT_MAX_LIFETIME_SECONDS: u64 = 8 * 3600;

#[derive(Debug, Clone)]
pub struct AuthConfig {
    pub algorithm: JwtAlgorithm,
    pub issuer: String,
    pub audience: String,
    pub key: KeySource,
    pub leeway_seconds: u64,
    /// The longest a token may be valid for (`exp` − `iat`, and `exp` − now):
    /// a leaked long-lived token must not work for years.
    pub max_lifetime_seconds: u64,
    /// Minimum seconds between JWKS re-fetches triggered by an unknown `kid`.
    pub jwks_refresh_seconds: u64,
    /// A claim naming the identity provider's groups, mapped to staff roles. When
    /// unset, roles come only from role grants in the database.
    pub role_claim: Option<String>,
    pub role_map: BTreeMap<String, StaffRole>,
    /// The claim that identifies a person (a person's `subject` holds its
    /// value): `sub` by default; `oid` for Microsoft Entra ID, whose `sub`
    /// differs per application; or `preferred_username` / `email`.
    pub identity_claim: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FileAuth {
    algorithm: Option<String>,
    issuer: Option<String>,
    audience: Option<String>,
    secret: Option<String>,
    public_key_file: Option<String>,
    jwks_file: Option<String>,
    jwks_url: Option<String>,
    leeway_seconds: Option<u64>,
    max_lifetime_seconds: Option<u64>,
    jwks_refresh_seconds: Option<u64>,
    identity_claim: Option<String>,
    role_claim: Option<String>,
    #[serde(default)]
    role_map: BTreeMap<String, String>,
}

pub(super) fn load_auth(
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
    let max_lifetime_seconds = match env("MISCONDUCT_JWT_MAX_LIFETIME_SECONDS") {
        Some(text) => text.parse().map_err(|e| ConfigError {
            key: "auth.max_lifetime_seconds (MISCONDUCT_JWT_MAX_LIFETIME_SECONDS)".into(),
            problem: format!("{text:?} is not a whole number of seconds ({e})"),
        })?,
        None => file
            .max_lifetime_seconds
            .unwrap_or(DEFAULT_MAX_LIFETIME_SECONDS),
    };
    if !(60..=7 * 24 * 3600).contains(&max_lifetime_seconds) {
        return Err(ConfigError {
            key: "auth.max_lifetime_seconds".into(),
            problem: "must be between 60 seconds and 7 days".into(),
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
    let identity_claim = pick("MISCONDUCT_JWT_IDENTITY_CLAIM", &file.identity_claim)
        .map(|c| c.trim().to_string())
        .unwrap_or_else(|| "sub".into());
    if identity_claim.is_empty()
        || !identity_claim
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        return Err(ConfigError {
            key: "auth.identity_claim (MISCONDUCT_JWT_IDENTITY_CLAIM)".into(),
            problem: format!(
                "{identity_claim:?} is not a claim name such as sub, oid or preferred_username"
            ),
        });
    }
    Ok(AuthConfig {
        algorithm,
        issuer,
        audience,
        key,
        leeway_seconds,
        max_lifetime_seconds,
        jwks_refresh_seconds,
        role_claim,
        role_map,
        identity_claim,
    })
}
