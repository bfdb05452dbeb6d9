//! The per-viewer rate limit: each signed-in person has a bucket of points
//! that refills at a steady rate (a leaky bucket, as Shopify publishes its
//! limit; governor's GCRA is the same arithmetic). Every operation is charged
//! its complexity before it runs, so concurrent expensive requests from one
//! token drain the bucket at once and the next is refused with RATE_LIMITED
//! and the seconds to wait. Callers without a token share one bucket: they
//! can do almost nothing, and one bucket cannot grow with forged identities.

use std::num::NonZeroU32;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use async_graphql::ServerError;
use async_graphql::ValidationResult;
use async_graphql::extensions::ExtensionContext;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};
use uuid::Uuid;

use crate::error::Error;
use crate::graphql::context::{RequestCtx, to_gql};

/// Whose bucket an operation is charged to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Caller {
    Person(Uuid),
    Anonymous,
}

/// How often (in charges) buckets that have filled up again are forgotten,
/// so the map holds only callers active within the last refill period.
const FORGET_EVERY: u64 = 1_024;

pub struct RateLimit {
    buckets: DefaultKeyedRateLimiter<Caller>,
    clock: DefaultClock,
    charges: AtomicU64,
    burst: u32,
}

impl RateLimit {
    /// `per_second` points restored per second, up to `burst` points held.
    pub fn new(per_second: usize, burst: usize) -> Arc<RateLimit> {
        let rate = points(per_second).unwrap_or(NonZeroU32::MIN);
        let size = points(burst).unwrap_or(NonZeroU32::MIN);
        let quota = Quota::per_second(rate).allow_burst(size);
        Arc::new(RateLimit {
            buckets: DefaultKeyedRateLimiter::keyed(quota),
            clock: DefaultClock::default(),
            charges: AtomicU64::new(0),
            burst: size.get(),
        })
    }

    /// Takes `cost` points from the caller's bucket, or says how long to wait.
    fn charge(&self, caller: Caller, cost: usize) -> Result<(), Error> {
        if self
            .charges
            .fetch_add(1, Ordering::Relaxed)
            .is_multiple_of(FORGET_EVERY)
        {
            self.buckets.retain_recent();
            self.buckets.shrink_to_fit();
        }
        let Some(cost_points) = points(cost) else {
            return Ok(());
        };
        match self.buckets.check_key_n(&caller, cost_points) {
            Ok(Ok(())) => Ok(()),
            Ok(Err(not_until)) => {
                let wait = not_until.wait_time_from(self.clock.now());
                Err(Error::RateLimited {
                    retry_after_seconds: wait.as_secs() + u64::from(wait.subsec_nanos() > 0),
                })
            }
            Err(_) => Err(Error::TooComplex(format!(
                "This query costs {cost} points; one request may cost at most {} points.",
                self.burst
            ))),
        }
    }
}

/// A number of points as governor counts them (none for zero).
fn points(n: usize) -> Option<NonZeroU32> {
    NonZeroU32::new(u32::try_from(n).unwrap_or(u32::MAX))
}

/// Charges the caller for an operation that passed validation.
pub(crate) fn charge_for(
    limit: &RateLimit,
    ctx: &ExtensionContext<'_>,
    result: &ValidationResult,
) -> Result<(), Vec<ServerError>> {
    let caller = ctx
        .data_opt::<Arc<RequestCtx>>()
        .and_then(|r| r.viewer.as_ref())
        .map_or(Caller::Anonymous, |v| Caller::Person(v.person_id));
    limit
        .charge(caller, result.complexity)
        .map_err(|e| vec![refusal(e)])
}

fn refusal(err: Error) -> ServerError {
    to_gql(err).into_server_error(Default::default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bucket_refuses_when_drained_and_says_how_long_to_wait() {
        let limit = RateLimit::new(100, 1_000);
        let alice = Caller::Person(Uuid::nil());
        assert!(limit.charge(alice, 600).is_ok());
        match limit.charge(alice, 600) {
            Err(Error::RateLimited {
                retry_after_seconds,
            }) => assert_eq!(retry_after_seconds, 2, "200 points at 100 a second"),
            other => panic!("expected RATE_LIMITED, got {other:?}"),
        }
        assert!(
            limit.charge(Caller::Anonymous, 600).is_ok(),
            "another caller has their own bucket"
        );
        assert!(matches!(
            limit.charge(alice, 5_000),
            Err(Error::TooComplex(_))
        ));
    }
}
