//! Authentication at the edge: a bearer JWT becomes a `Viewer`.
//!
//! The accepted algorithm comes from configuration, never from the token header;
//! signature, `exp`/`nbf` (with a small leeway), `iss`, `aud` and `sub` are all
//! required. Staff roles come from role grants in the database, plus an identity
//! provider's group claim only where configuration maps it explicitly.

mod keys;
pub mod tokens;

use std::collections::BTreeSet;
use std::path::Path;

use chrono::{DateTime, Utc};

use jsonwebtoken::{Algorithm, Validation, decode, decode_header};
use sea_orm::ConnectionTrait;
use serde::Deserialize;

use crate::config::{AuthConfig, JwtAlgorithm, Secret};
use crate::domain::clock::Clock;
use crate::domain::kinds::StaffRole;
use crate::domain::viewer::Viewer;
use crate::error::{Error, Result};

pub use keys::KeyStore;

#[derive(Debug, Deserialize)]
struct Claims {
    sub: String,
    #[serde(default)]
    groups: Option<serde_json::Value>,
    #[serde(flatten)]
    rest: serde_json::Map<String, serde_json::Value>,
}

pub struct Authenticator {
    config: AuthConfig,
    keys: KeyStore,
    /// Stamps each viewer with the moment of their request.
    clock: Clock,
}

impl Authenticator {
    pub async fn new(config: AuthConfig, clock: Clock) -> anyhow::Result<Self> {
        let keys = KeyStore::load(&config).await?;
        Ok(Authenticator {
            config,
            keys,
            clock,
        })
    }

    fn validation(&self) -> Validation {
        let alg = match self.config.algorithm {
            JwtAlgorithm::Hs256 => Algorithm::HS256,
            JwtAlgorithm::Rs256 => Algorithm::RS256,
            JwtAlgorithm::Es256 => Algorithm::ES256,
        };
        let mut validation = Validation::new(alg);
        validation.set_issuer(&[&self.config.issuer]);
        validation.set_audience(&[&self.config.audience]);
        // jsonwebtoken only requires `exp` by default and accepts a token with no `aud`.
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        validation.validate_nbf = true;
        validation.leeway = self.config.leeway_seconds;
        validation
    }

    /// Validates a bearer token and returns the subject, any mapped roles and
    /// when the token expires.
    pub async fn verify(
        &self,
        token: &str,
    ) -> Result<(String, BTreeSet<StaffRole>, DateTime<Utc>)> {
        let refused =
            |why: &str| Error::Unauthenticated(format!("Your sign-in token was refused: {why}."));
        let header = decode_header(token)
            .map_err(|e| refused(&format!("it is not a well-formed JWT ({e})")))?;
        let key = self
            .keys
            .key_for(header.kid.as_deref())
            .await
            .ok_or_else(|| refused("it was signed with an unknown key"))?;
        let data = decode::<Claims>(token, &key, &self.validation()).map_err(|e| {
            use jsonwebtoken::errors::ErrorKind as K;
            match e.kind() {
                K::ExpiredSignature => refused("it has expired"),
                K::ImmatureSignature => refused("it is not valid yet"),
                K::InvalidIssuer => refused("it was issued by an unexpected issuer"),
                K::InvalidAudience => refused("it is meant for another service"),
                K::MissingRequiredClaim(claim) => refused(&format!("it has no `{claim}` claim")),
                K::InvalidAlgorithm => refused("it uses an algorithm this server does not accept"),
                K::InvalidSignature => refused("its signature does not match"),
                _ => refused("it could not be validated"),
            }
        })?;
        if data.claims.sub.trim().is_empty() {
            return Err(refused("its `sub` claim is empty"));
        }
        let identity = self
            .identity(&data.claims)
            .ok_or_else(|| refused(&format!("it has no `{}` claim", self.config.identity_claim)))?;
        // `exp` is required and validated above; numeric by the JWT spec.
        let expires = data
            .claims
            .rest
            .get("exp")
            .and_then(serde_json::Value::as_i64)
            .and_then(|exp| DateTime::from_timestamp(exp, 0))
            .ok_or_else(|| refused("its `exp` claim is not a number"))?;
        self.check_lifetime(&data.claims, expires)
            .map_err(|why| refused(&why))?;
        Ok((identity, self.claimed_roles(&data.claims), expires))
    }

    /// A token may not be valid for longer than the configured maximum, counted
    /// from when it was issued and from now (a token without `iat` is judged by
    /// what remains of it).
    fn check_lifetime(
        &self,
        claims: &Claims,
        expires: DateTime<Utc>,
    ) -> std::result::Result<(), String> {
        let max = i64::try_from(self.config.max_lifetime_seconds).unwrap_or(i64::MAX);
        let leeway = i64::try_from(self.config.leeway_seconds).unwrap_or(0);
        let too_long = || {
            format!(
                "it is valid for longer than this service accepts ({} hours at most); ask your identity provider for a shorter-lived token",
                max as f64 / 3600.0
            )
        };
        if let Some(issued) = claims.rest.get("iat") {
            let issued = issued
                .as_i64()
                .ok_or_else(|| "its `iat` claim is not a number".to_string())?;
            if expires.timestamp().saturating_sub(issued) > max {
                return Err(too_long());
            }
        }
        if expires.timestamp().saturating_sub(Utc::now().timestamp()) > max + leeway {
            return Err(too_long());
        }
        Ok(())
    }

    /// The value of the configured identity claim (`sub` by default), which a
    /// person's `subject` holds.
    fn identity(&self, claims: &Claims) -> Option<String> {
        let value = match self.config.identity_claim.as_str() {
            "sub" => Some(claims.sub.clone()),
            claim => claims
                .rest
                .get(claim)
                .and_then(serde_json::Value::as_str)
                .map(String::from),
        };
        value
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    }

    fn claimed_roles(&self, claims: &Claims) -> BTreeSet<StaffRole> {
        let Some(claim) = &self.config.role_claim else {
            return BTreeSet::new();
        };
        let value = if claim == "groups" {
            claims.groups.clone()
        } else {
            claims.rest.get(claim).cloned()
        };
        let names: Vec<String> = match value {
            Some(serde_json::Value::String(s)) => vec![s],
            Some(serde_json::Value::Array(items)) => items
                .into_iter()
                .filter_map(|v| v.as_str().map(String::from))
                .collect(),
            _ => vec![],
        };
        names
            .iter()
            .filter_map(|n| self.config.role_map.get(n).copied())
            .collect()
    }

    /// Resolves a validated subject to a viewer: the person must exist, and their
    /// roles are their active grants plus any mapped from the token.
    pub async fn viewer(
        &self,
        db: &impl ConnectionTrait,
        token: &str,
        request_id: Option<String>,
    ) -> Result<Viewer> {
        Ok(self.session(db, token, request_id).await?.0)
    }

    /// A viewer and the moment their token stops being valid (for long-lived
    /// WebSocket sessions, which end then).
    pub async fn session(
        &self,
        db: &impl ConnectionTrait,
        token: &str,
        request_id: Option<String>,
    ) -> Result<(Viewer, DateTime<Utc>)> {
        let (subject, mut roles, expires) = self.verify(token).await?;
        // Person, account state and grants in one statement, every request:
        // nothing here is cached, so a change takes effect at once everywhere.
        let person = crate::domain::people::sign_in(db, &subject)
            .await?
            .ok_or_else(|| {
                Error::Unauthenticated(
                    "Your account is not registered with this service. Contact the administrator."
                        .into(),
                )
            })?;
        if person.disabled {
            return Err(Error::account_disabled());
        }
        let person_id = person.person_id;
        for role in &person.roles {
            roles.insert(StaffRole::from_db(role)?);
        }
        Ok((
            Viewer {
                person_id,
                roles,
                request_id,
                now: self.clock.now(),
            },
            expires,
        ))
    }
}

/// The development signing secret: generated once, kept (owner-readable only)
/// in the data directory so tokens survive restarts.
pub fn dev_secret(data_dir: &Path) -> std::io::Result<Secret> {
    use rand::RngCore;
    let path = data_dir.join("dev-jwt-secret");
    if let Ok(text) = std::fs::read_to_string(&path)
        && text.trim().len() >= 32
    {
        return Ok(Secret::new(text.trim()));
    }
    std::fs::create_dir_all(data_dir)?;
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let secret = hex::encode(bytes);
    write_private(&path, &secret)?;
    Ok(Secret::new(secret))
}

#[cfg(unix)]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(true)
        .write(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(text.as_bytes())
}

#[cfg(not(unix))]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    std::fs::write(path, text)
}
