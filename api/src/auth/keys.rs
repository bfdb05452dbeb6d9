//! Verification keys: a shared secret, a PEM public key, or a JWKS (file or URL).
//!
//! A JWKS is kept as the provider last published it and replaced whole on each
//! fetch, so a key the provider withdraws stops working at the next fetch.
//! Fetches happen on a schedule (the provider's `Cache-Control: max-age`, or
//! every 15 minutes, never less often than hourly) and when a token names an
//! unknown `kid` — at most once per `jwks_refresh_seconds`, one at a time.
//! Sign-ins never wait for a fetch unless their own `kid` is unknown: the
//! keys are read without any lock held across a fetch.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock, Weak};
use std::time::{Duration, Instant};

use headers::{CacheControl, HeaderMapExt};
use jsonwebtoken::DecodingKey;
use jsonwebtoken::jwk::JwkSet;
use tokio::sync::watch;

use crate::config::{AuthConfig, JwtAlgorithm, KeySource};

/// How long one fetch of the JWKS may take.
const FETCH_TIMEOUT: Duration = Duration::from_secs(10);
/// How often the JWKS is fetched when the provider does not say.
const DEFAULT_MAX_AGE: Duration = Duration::from_secs(15 * 60);
/// However long the provider says its keys may be kept, they are fetched at
/// least this often, so a withdrawn key stops working within the hour.
const LONGEST_MAX_AGE: Duration = Duration::from_secs(60 * 60);

pub enum KeyStore {
    Single(DecodingKey),
    Jwks(Arc<Jwks>),
}

pub struct Jwks {
    source: KeySource,
    /// Least time between fetches, whatever asks for them.
    min_interval: Duration,
    current: RwLock<Arc<Fetched>>,
    /// Set while a fetch runs, so that only one runs at a time.
    fetching: AtomicBool,
    /// Counts finished fetches: a sign-in waiting for its `kid` watches it.
    finished: watch::Sender<u64>,
}

/// The keys as last fetched.
struct Fetched {
    keys: JwkSet,
    /// When the last fetch was attempted (successful or not).
    at: Instant,
    /// How long these keys may be used before the next scheduled fetch.
    max_age: Duration,
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
                let source = match source {
                    KeySource::JwksUrl(url) if url.ends_with(DISCOVERY) => {
                        KeySource::JwksUrl(discover(url, &config.issuer).await?)
                    }
                    other => other.clone(),
                };
                let min_interval = Duration::from_secs(config.jwks_refresh_seconds);
                let (keys, max_age) = fetch(&source).await?;
                let jwks = Arc::new(Jwks {
                    source,
                    min_interval,
                    current: RwLock::new(Arc::new(Fetched {
                        keys,
                        at: Instant::now(),
                        max_age,
                    })),
                    fetching: AtomicBool::new(false),
                    finished: watch::Sender::new(0),
                });
                tokio::spawn(fetch_on_schedule(Arc::downgrade(&jwks)));
                KeyStore::Jwks(jwks)
            }
        })
    }

    pub async fn key_for(&self, kid: Option<&str>) -> Option<DecodingKey> {
        match self {
            KeyStore::Single(key) => Some(key.clone()),
            KeyStore::Jwks(jwks) => jwks.key_for(kid?).await,
        }
    }
}

impl Jwks {
    fn current(&self) -> Arc<Fetched> {
        self.current
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }

    async fn key_for(self: &Arc<Self>, kid: &str) -> Option<DecodingKey> {
        let fetched = self.current();
        if let Some(key) = find(&fetched.keys, kid) {
            return Some(key);
        }
        // An unknown kid may be a rotation: fetch, unless one was tried too
        // recently (random kids must not make the server hammer the provider).
        if fetched.at.elapsed() < self.min_interval && !self.fetching.load(Ordering::Acquire) {
            return None;
        }
        let mut finished = self.finished.subscribe();
        finished.mark_unchanged();
        self.start_fetch();
        // Only this sign-in waits, and not past the fetch's own timeout; if
        // the fetch did not finish, the keys we have decide.
        if tokio::time::timeout(FETCH_TIMEOUT, finished.changed())
            .await
            .is_err()
        {
            tracing::warn!("JWKS fetch still running after its timeout");
        }
        find(&self.current().keys, kid)
    }

    /// Starts a fetch in the background unless one is running.
    fn start_fetch(self: &Arc<Self>) {
        if self.fetching.swap(true, Ordering::AcqRel) {
            return;
        }
        let jwks = self.clone();
        tokio::spawn(async move { jwks.fetch_now().await });
    }

    /// Fetches the keys and replaces the set whole; on failure keeps the keys
    /// it has (sign-in keeps working while the provider is down) and says so.
    async fn fetch_now(&self) {
        let previous = self.current();
        let fetched = match fetch(&self.source).await {
            Ok((keys, max_age)) => Fetched {
                keys,
                at: Instant::now(),
                max_age,
            },
            Err(err) => {
                tracing::warn!(error = %err, "JWKS fetch failed; keeping the keys we have");
                Fetched {
                    keys: previous.keys.clone(),
                    at: Instant::now(),
                    max_age: previous.max_age,
                }
            }
        };
        *self
            .current
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = Arc::new(fetched);
        self.fetching.store(false, Ordering::Release);
        self.finished.send_modify(|n| *n += 1);
    }

    /// When the next scheduled fetch is due.
    fn next_fetch_in(&self) -> Duration {
        let fetched = self.current();
        let every = fetched.max_age.clamp(
            self.min_interval.max(Duration::from_secs(1)),
            LONGEST_MAX_AGE,
        );
        every.saturating_sub(fetched.at.elapsed())
    }
}

/// Fetches the keys whenever they are due, for as long as the store exists.
/// Any fetch may change when the next is due, so each one wakes the schedule.
async fn fetch_on_schedule(jwks: Weak<Jwks>) {
    let Some(mut finished) = jwks.upgrade().map(|j| j.finished.subscribe()) else {
        return;
    };
    loop {
        let Some(wait) = jwks.upgrade().map(|j| j.next_fetch_in()) else {
            return;
        };
        tokio::select! {
            _ = tokio::time::sleep(wait) => {}
            changed = finished.changed() => {
                if changed.is_err() {
                    return;
                }
                continue;
            }
        }
        let Some(jwks) = jwks.upgrade() else {
            return;
        };
        if jwks.next_fetch_in().is_zero() && !jwks.fetching.swap(true, Ordering::AcqRel) {
            jwks.fetch_now().await;
        }
    }
}

/// The path of an OpenID Connect discovery document.
const DISCOVERY: &str = "/.well-known/openid-configuration";

/// The JWKS URL an OpenID Connect discovery document names, once its issuer
/// is checked to be the one tokens must come from (Entra ID publishes one
/// per tenant: `https://login.microsoftonline.com/<tenant>/v2.0/.well-known/openid-configuration`).
async fn discover(url: &str, issuer: &str) -> anyhow::Result<String> {
    #[derive(serde::Deserialize)]
    struct Discovery {
        issuer: String,
        jwks_uri: String,
    }
    let doc: Discovery = reqwest::Client::builder()
        .timeout(FETCH_TIMEOUT)
        .build()?
        .get(url)
        .send()
        .await?
        .error_for_status()?
        .json()
        .await
        .map_err(|e| anyhow::anyhow!("{url} is not an OpenID Connect discovery document: {e}"))?;
    if doc.issuer != issuer {
        anyhow::bail!(
            "the discovery document at {url} is for issuer {:?}, but auth.issuer is {issuer:?}",
            doc.issuer
        );
    }
    Ok(doc.jwks_uri)
}

fn find(set: &JwkSet, kid: &str) -> Option<DecodingKey> {
    set.find(kid)
        .and_then(|jwk| DecodingKey::from_jwk(jwk).ok())
}

/// The key set and how long the provider says it may be kept.
async fn fetch(source: &KeySource) -> anyhow::Result<(JwkSet, Duration)> {
    let (text, max_age) = match source {
        KeySource::JwksFile(path) => (
            std::fs::read_to_string(path).map_err(|e| {
                anyhow::anyhow!("cannot read auth.jwks_file {}: {e}", path.display())
            })?,
            DEFAULT_MAX_AGE,
        ),
        KeySource::JwksUrl(url) => {
            let response = reqwest::Client::builder()
                .timeout(FETCH_TIMEOUT)
                .build()?
                .get(url)
                .send()
                .await?
                .error_for_status()?;
            let max_age =
                response
                    .headers()
                    .typed_get::<CacheControl>()
                    .map_or(DEFAULT_MAX_AGE, |cc| {
                        if cc.no_cache() || cc.no_store() {
                            Duration::ZERO
                        } else {
                            cc.max_age().unwrap_or(DEFAULT_MAX_AGE)
                        }
                    });
            (response.text().await?, max_age)
        }
        _ => anyhow::bail!("not a JWKS source"),
    };
    let set = serde_json::from_str(&text)
        .map_err(|e| anyhow::anyhow!("the JWKS document is not valid: {e}"))?;
    Ok((set, max_age))
}
