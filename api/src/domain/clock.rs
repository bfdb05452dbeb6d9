//! The one clock every rule reads (R-TIME-1…3). A request reads it once, so
//! every rule in one mutation agrees on the moment; days are UK calendar days
//! (Europe/London), so a window that ends on a day ends at midnight in the UK,
//! summer time included. The server runs on the system time; tests move the
//! clock instead of rewriting dates in the database.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, Duration, NaiveDate, Utc};

use crate::domain::calendar::uk_date;

/// A moment as the rules read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Now(DateTime<Utc>);

impl Now {
    pub fn at(self) -> DateTime<Utc> {
        self.0
    }

    /// The UK calendar day this moment falls on.
    pub fn today(self) -> NaiveDate {
        uk_date(self.0)
    }
}

impl From<DateTime<Utc>> for Now {
    fn from(at: DateTime<Utc>) -> Self {
        Now(at)
    }
}

/// The server's clock: the system time, moved by an offset only in tests.
/// Clones share the offset, so a test moves the clock of the running server.
#[derive(Debug, Clone, Default)]
pub struct Clock {
    offset_micros: Arc<AtomicI64>,
}

impl Clock {
    pub fn system() -> Self {
        Clock::default()
    }

    pub fn now(&self) -> Now {
        Now(Utc::now() + Duration::microseconds(self.offset_micros.load(Ordering::Relaxed)))
    }

    /// Moves the clock so that it reads `at` now; time runs on from there.
    pub fn set(&self, at: DateTime<Utc>) {
        let offset = (at - Utc::now()).num_microseconds().unwrap_or(0);
        self.offset_micros.store(offset, Ordering::Relaxed);
    }

    /// Moves the clock forward (or back, for a negative duration).
    pub fn advance(&self, by: Duration) {
        self.offset_micros
            .fetch_add(by.num_microseconds().unwrap_or(0), Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_default()
    }

    #[test]
    fn a_moved_clock_reads_the_moment_it_was_set_to() {
        let clock = Clock::system();
        let copy = clock.clone();
        clock.set(at("2026-06-14T23:30:00Z"));
        let read = copy.now();
        assert!((read.at() - at("2026-06-14T23:30:00Z")).num_seconds().abs() < 5);
        // 23:30 UTC in June is 00:30 BST on the next day.
        assert_eq!(read.today().to_string(), "2026-06-15");
        copy.advance(Duration::days(2));
        assert_eq!(clock.now().today().to_string(), "2026-06-17");
    }
}
