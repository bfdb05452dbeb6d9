//! The reporter's access code: 20 characters of Crockford's base32 (100 bits
//! from the operating system's random source through `rand`'s CSPRNG), shown
//! once in groups of five. Only its SHA-256 is stored: the code is random
//! enough that a fast hash is not a weakness, and it lets a code find its
//! channel with one indexed look-up.
//!
//! Every check of a code — right or wrong — is counted against one
//! server-wide allowance ([`CodeGate`]), so guessing is throttled whatever the
//! guesser's address or token; at the default 60 a minute, finding one code
//! among a thousand would take longer than the universe has existed.

use std::num::NonZeroU32;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultDirectRateLimiter, Quota};
use rand::Rng;
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

/// Crockford's base32: no I, L, O or U, so a code read aloud or copied by
/// hand survives.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const LENGTH: usize = 20;
const GROUP: usize = 5;

/// A new code as shown to the reporter (`XXXXX-XXXXX-XXXXX-XXXXX`) and the hash kept.
pub fn generate() -> (String, String) {
    let mut rng = rand::rng();
    let raw: String = (0..LENGTH)
        .map(|_| {
            char::from(
                ALPHABET
                    .get(rng.random_range(0..32))
                    .copied()
                    .unwrap_or(b'0'),
            )
        })
        .collect();
    let shown = raw
        .as_bytes()
        .chunks(GROUP)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join("-");
    (shown, digest(&raw))
}

/// The hash of a code as typed: case, spaces and dashes do not matter, and
/// the letters Crockford maps (O to 0; I and L to 1) are read as digits.
/// `None` for something that cannot be a code.
pub fn hash_of(typed: &str) -> Option<String> {
    let normal: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            other => other,
        })
        .collect();
    let valid = normal.len() == LENGTH && normal.bytes().all(|b| ALPHABET.contains(&b));
    valid.then(|| digest(&normal))
}

fn digest(code: &str) -> String {
    hex::encode(Sha256::digest(code.as_bytes()))
}

/// The server-wide allowance of code checks.
pub struct CodeGate {
    limiter: DefaultDirectRateLimiter,
    clock: DefaultClock,
}

impl CodeGate {
    pub fn new(per_minute: usize) -> CodeGate {
        let n = NonZeroU32::new(u32::try_from(per_minute).unwrap_or(u32::MAX))
            .unwrap_or(NonZeroU32::MIN);
        CodeGate {
            limiter: DefaultDirectRateLimiter::direct(Quota::per_minute(n)),
            clock: DefaultClock::default(),
        }
    }

    /// Counts one check, or says how long everyone must wait.
    pub fn admit(&self) -> Result<()> {
        self.limiter.check().map_err(|not_until| {
            let wait = not_until.wait_time_from(self.clock.now());
            Error::RateLimited {
                retry_after_seconds: wait.as_secs() + u64::from(wait.subsec_nanos() > 0),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_is_found_however_it_is_typed() {
        let (shown, hash) = generate();
        assert_eq!(shown.len(), LENGTH + LENGTH / GROUP - 1);
        assert_eq!(hash_of(&shown).as_deref(), Some(hash.as_str()));
        let sloppy = shown.to_lowercase().replace('-', " ");
        assert_eq!(hash_of(&sloppy).as_deref(), Some(hash.as_str()));
        assert_eq!(hash_of("not a code"), None);
        let short = shown.get(..shown.len() - 1).unwrap_or_default();
        assert_eq!(hash_of(short), None);
    }

    #[test]
    fn codes_do_not_repeat() {
        let (a, _) = generate();
        let (b, _) = generate();
        assert_ne!(a, b);
    }

    #[test]
    fn the_gate_closes_after_its_allowance() {
        let gate = CodeGate::new(3);
        for _ in 0..3 {
            assert!(gate.admit().is_ok());
        }
        assert_eq!(gate.admit().err().map(|e| e.code()), Some("RATE_LIMITED"));
    }
}
