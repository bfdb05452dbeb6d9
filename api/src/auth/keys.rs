//! Verification keys: a shared secret, a PEM public key, or a JWKS (file or URL)
//! whose keys are chosen by `kid` and re-fetched when an unknown `kid` appears,
//! so an identity provider can rotate keys without a restart.

use std::time::{Duration, Instant};

use jsonwebtoken::DecodingKey;
use jsonwebtoken::jwk::JwkSet;
use tokio::sync::RwLock;

use crate::config::{AuthConfig, JwtAlgorithm, KeySource};

pub enum KeyStore {
    Single(DecodingKey),
    Jwks {
        source: KeySource,
        /// How often an unknown `kid` may trigger a re-fetch.
        refresh: Duration,
        set: RwLock<(JwkSet, Instant)>,
    },
}

impl KeyStore {
    pub async fn load(config: &AuthConfig) -> anyhow::Result<Self> {
        Ok(match &config.key {
            KeySource::Secret(secret) => {
                KeyStore::Single(DecodingKey::from_secret(secret.expose().as_bytes()))
            }
            KeySource::PublicKeyFile(path) => {
                let pem = std::fs::read(path).map_err(|e| {
                    anyhow::anyhow!("cannot read auth.public_key_file {}: {e}", path.display())
                })?;
                let key = match config.algorithm {
                    JwtAlgorithm::Rs256 => DecodingKey::from_rsa_pem(&pem),
                    JwtAlgorithm::Es256 => DecodingKey::from_ec_pem(&pem),
                    JwtAlgorithm::Hs256 => anyhow::bail!("HS256 takes a secret, not a public key"),
                }
                .map_err(|e| {
                    anyhow::anyhow!(
                        "auth.public_key_file {} is not a valid PEM key: {e}",
                        path.display()
                    )
                })?;
                KeyStore::Single(key)
            }
            source @ (KeySource::JwksFile(_) | KeySource::JwksUrl(_)) => {
                let set = fetch(source).await?;
                KeyStore::Jwks {
                    source: source.clone(),
                    refresh: Duration::from_secs(config.jwks_refresh_seconds),
                    set: RwLock::new((set, Instant::now())),
                }
            }
        })
    }

    pub async fn key_for(&self, kid: Option<&str>) -> Option<DecodingKey> {
        match self {
            KeyStore::Single(key) => Some(key.clone()),
            KeyStore::Jwks {
                source,
                refresh,
                set,
            } => {
                let kid = kid?;
                if let Some(key) = find(&set.read().await.0, kid) {
                    return Some(key);
                }
                let mut guard = set.write().await;
                // Another request may have refreshed while we waited for the lock.
                if let Some(key) = find(&guard.0, kid) {
                    return Some(key);
                }
                if guard.1.elapsed() >= *refresh {
                    match fetch(source).await {
                        Ok(fresh) => *guard = (fresh, Instant::now()),
                        Err(err) => {
                            tracing::warn!(error = %err, "JWKS refresh failed; keeping the keys we have")
                        }
                    }
                }
                find(&guard.0, kid)
            }
        }
    }
}

fn find(set: &JwkSet, kid: &str) -> Option<DecodingKey> {
    set.find(kid)
        .and_then(|jwk| DecodingKey::from_jwk(jwk).ok())
}

async fn fetch(source: &KeySource) -> anyhow::Result<JwkSet> {
    let text = match source {
        KeySource::JwksFile(path) => std::fs::read_to_string(path)
            .map_err(|e| anyhow::anyhow!("cannot read auth.jwks_file {}: {e}", path.display()))?,
        KeySource::JwksUrl(url) => {
            reqwest::Client::builder()
                .timeout(Duration::from_secs(10))
                .build()?
                .get(url)
                .send()
                .await?
                .error_for_status()?
                .text()
                .await?
        }
        _ => anyhow::bail!("not a JWKS source"),
    };
    serde_json::from_str(&text).map_err(|e| anyhow::anyhow!("the JWKS document is not valid: {e}"))
}
