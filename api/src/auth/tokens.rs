//! Minting development tokens (the `token` and `demo` subcommands, and tests).

use chrono::{Duration, Utc};
use jsonwebtoken::{EncodingKey, Header, encode};
use serde::Serialize;

use crate::config::{AuthConfig, KeySource};

#[derive(Serialize)]
struct MintedClaims<'a> {
    sub: &'a str,
    iss: &'a str,
    aud: &'a str,
    iat: i64,
    exp: i64,
}

/// Signs a token for `subject` with the configured HS256 secret. Only possible
/// where the server holds the secret (development, or a shared-secret setup).
pub fn mint(auth: &AuthConfig, subject: &str, valid_for: Duration) -> anyhow::Result<String> {
    let KeySource::Secret(secret) = &auth.key else {
        anyhow::bail!("tokens can only be minted with an HS256 secret; use your identity provider");
    };
    let now = Utc::now();
    let claims = MintedClaims {
        sub: subject,
        iss: &auth.issuer,
        aud: &auth.audience,
        iat: now.timestamp(),
        exp: (now + valid_for).timestamp(),
    };
    Ok(encode(
        &Header::default(),
        &claims,
        &EncodingKey::from_secret(secret.expose().as_bytes()),
    )?)
}
