//! What a field costs, in points, for the per-request complexity limit and
//! the per-viewer rate limit. A plain field costs 1 (async-graphql's
//! default); these are the fields whose work is more than their own value.
//! The scheme follows GitHub's and Shopify's published ones: a page costs
//! its selection once per item it may hold, so aliases and page sizes cannot
//! multiply work for free, and every alias of a look-up pays again.

use crate::domain::page::{DEFAULT_PAGE, MAX_PAGE};

/// A root look-up by id: a read of the case and everything the access
/// decision needs, before any field of it is resolved.
pub const LOOKUP: usize = 50;

/// An aggregate over many cases (statistics): one grouped query whose cost
/// grows with the table, not with the fields asked for.
pub const AGGREGATE: usize = 200;

/// Re-hashing the whole audit chain: linear in the log's length.
pub const AUDIT_CHAIN: usize = 2_000;

/// A page of `first` items (1 to 100, default 20) each costing `child`,
/// plus the connection itself. An out-of-range `first` is priced at the
/// maximum; the resolver then refuses it.
pub fn page(first: Option<i32>, child: usize) -> usize {
    let items = match first {
        None => DEFAULT_PAGE as usize,
        Some(n) => usize::try_from(n)
            .ok()
            .filter(|n| (1..=MAX_PAGE as usize).contains(n))
            .unwrap_or(MAX_PAGE as usize),
    };
    items.saturating_mul(child).saturating_add(1)
}

/// A feed of up to `first` flat rows read in one indexed query (the SIS
/// enrolment feed, 1 to 1000): priced per ten rows, as its items hold no
/// look-ups of their own.
pub fn feed(first: u64, child: usize) -> usize {
    let tens = usize::try_from(first.clamp(1, 1000).div_ceil(10)).unwrap_or(100);
    tens.saturating_mul(child).saturating_add(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_costs_its_items() {
        assert_eq!(page(None, 10), 201);
        assert_eq!(page(Some(100), 10), 1001);
        assert_eq!(page(Some(5), 3), 16);
        assert_eq!(page(Some(0), 3), 301, "out of range is priced at the most");
        assert_eq!(page(Some(-4), 3), 301);
        assert_eq!(page(Some(1_000_000), 3), 301);
    }

    #[test]
    fn a_feed_costs_per_ten_rows() {
        assert_eq!(feed(100, 7), 71);
        assert_eq!(feed(1000, 7), 701);
        assert_eq!(feed(1, 7), 8);
    }
}
