//! Working days (R-TIME-1): Monday to Friday, except the bank holidays of the
//! institution's part of the UK (policy `calendar.bank_holidays`: England and
//! Wales, Scotland or Northern Ireland) and its closure days from the policy.
//!
//! Bank holidays are computed by rule (so the calendar never runs out), with
//! the one-off changes announced so far. A future one-off (a jubilee, a state
//! funeral) is added as a closure day in the policy file until a release knows it.

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex, OnceLock};

use chrono::{Datelike, Duration, NaiveDate, Weekday};

/// (month, day)
type Day = (u32, u32);

/// Moved or extra bank holidays: (year, rule-based dates removed, dates added).
const ONE_OFFS: &[(i32, &[Day], &[Day])] = &[
    (1995, &[(5, 1)], &[(5, 8)]),          // VE Day 50: early May moved
    (1999, &[], &[(12, 31)]),              // Millennium
    (2002, &[(5, 27)], &[(6, 3), (6, 4)]), // Golden Jubilee
    (2011, &[], &[(4, 29)]),               // Royal wedding
    (2012, &[(5, 28)], &[(6, 4), (6, 5)]), // Diamond Jubilee
    (2020, &[(5, 4)], &[(5, 8)]),          // VE Day 75
    (2022, &[(5, 30)], &[(6, 2), (6, 3), (9, 19)]), // Platinum Jubilee, state funeral
    (2023, &[], &[(5, 8)]),                // Coronation
];

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
}

/// Easter Sunday (Anonymous Gregorian algorithm).
fn easter(y: i32) -> NaiveDate {
    let a = y % 19;
    let b = y / 100;
    let c = y % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    date(y, month as u32, day as u32)
}

fn first_monday(y: i32, m: u32) -> NaiveDate {
    let mut d = date(y, m, 1);
    while d.weekday() != Weekday::Mon {
        d += Duration::days(1);
    }
    d
}

fn last_monday(y: i32, m: u32) -> NaiveDate {
    let mut d = if m == 12 {
        date(y + 1, 1, 1)
    } else {
        date(y, m + 1, 1)
    } - Duration::days(1);
    while d.weekday() != Weekday::Mon {
        d -= Duration::days(1);
    }
    d
}

/// Today's date in the UK (Europe/London: GMT, or BST in summer). Every rule
/// reads days this way — deadlines, windows, and the Friday of R-TIME-2 are the
/// student's days, not UTC's.
pub fn uk_date(now: chrono::DateTime<chrono::Utc>) -> NaiveDate {
    now.with_timezone(&chrono_tz::Europe::London).date_naive()
}

/// The instant a UK calendar day begins (midnight in London), so a period of
/// UK days can be matched against stored UTC timestamps.
pub fn uk_day_start(day: NaiveDate) -> chrono::DateTime<chrono::Utc> {
    use chrono::TimeZone;
    let midnight = day.and_time(chrono::NaiveTime::MIN);
    chrono_tz::Europe::London
        .from_local_datetime(&midnight)
        .earliest()
        .map(|t| t.with_timezone(&chrono::Utc))
        // UK clocks change at 01:00 or 02:00, never at midnight.
        .unwrap_or_else(|| midnight.and_utc())
}

/// The bank-holiday calendars of the UK (R-TIME-1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Nation {
    #[default]
    EnglandAndWales,
    Scotland,
    NorthernIreland,
}

impl Nation {
    pub const NAMES: &'static [&'static str] =
        &["england-and-wales", "scotland", "northern-ireland"];

    pub fn parse(text: &str) -> Option<Nation> {
        match text {
            "england-and-wales" => Some(Nation::EnglandAndWales),
            "scotland" => Some(Nation::Scotland),
            "northern-ireland" => Some(Nation::NorthernIreland),
            _ => None,
        }
    }
}

/// A fixed-date holiday, moved to the Monday after when it falls at a weekend.
fn next_monday_if_weekend(d: NaiveDate) -> NaiveDate {
    match d.weekday() {
        Weekday::Sat => d + Duration::days(2),
        Weekday::Sun => d + Duration::days(1),
        _ => d,
    }
}

/// Bank holidays of England and Wales in year `y`.
pub fn bank_holidays(y: i32) -> BTreeSet<NaiveDate> {
    bank_holidays_of(Nation::EnglandAndWales, y)
}

/// Bank holidays of `nation` in year `y`, by rule, with the announced one-offs
/// (which have applied across the UK).
pub fn bank_holidays_of(nation: Nation, y: i32) -> BTreeSet<NaiveDate> {
    let mut days = BTreeSet::new();
    match nation {
        Nation::Scotland => {
            // 1 and 2 January; a day at a weekend is substituted by the next
            // weekday not already a holiday.
            let mut next_free = date(y, 1, 1);
            for day in [date(y, 1, 1), date(y, 1, 2)] {
                let mut d = day.max(next_free);
                while matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
                    d += Duration::days(1);
                }
                days.insert(d);
                next_free = d + Duration::days(1);
            }
        }
        _ => {
            days.insert(next_monday_if_weekend(date(y, 1, 1)));
        }
    }
    let e = easter(y);
    days.insert(e - Duration::days(2));
    if nation != Nation::Scotland {
        days.insert(e + Duration::days(1));
    }
    days.insert(first_monday(y, 5));
    days.insert(last_monday(y, 5));
    match nation {
        Nation::Scotland => {
            days.insert(first_monday(y, 8));
            days.insert(next_monday_if_weekend(date(y, 11, 30))); // St Andrew's Day
        }
        Nation::NorthernIreland => {
            days.insert(next_monday_if_weekend(date(y, 3, 17))); // St Patrick's Day
            days.insert(next_monday_if_weekend(date(y, 7, 12))); // Battle of the Boyne
            days.insert(last_monday(y, 8));
        }
        Nation::EnglandAndWales => {
            days.insert(last_monday(y, 8));
        }
    }
    // Christmas and Boxing Day, with substitutes when they fall at a weekend.
    let (christmas, boxing) = match date(y, 12, 25).weekday() {
        Weekday::Fri => (date(y, 12, 25), date(y, 12, 28)),
        Weekday::Sat => (date(y, 12, 27), date(y, 12, 28)),
        Weekday::Sun => (date(y, 12, 27), date(y, 12, 26)),
        _ => (date(y, 12, 25), date(y, 12, 26)),
    };
    days.insert(christmas);
    days.insert(boxing);
    for (year, removed, added) in ONE_OFFS {
        if *year == y {
            for (m, d) in *removed {
                days.remove(&date(y, *m, *d));
            }
            for (m, d) in *added {
                days.insert(date(y, *m, *d));
            }
        }
    }
    days
}

/// Whether `d` is a bank holiday of `nation`. Each year's holidays are
/// worked out once per process and kept: a deadline walk checks every day
/// it passes, and the rules for a year never change while the server runs.
fn is_bank_holiday(nation: Nation, d: NaiveDate) -> bool {
    type Years = HashMap<(Nation, i32), Arc<BTreeSet<NaiveDate>>>;
    static KNOWN: OnceLock<Mutex<Years>> = OnceLock::new();
    let holidays = {
        let mut known = KNOWN
            .get_or_init(Mutex::default)
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        known
            .entry((nation, d.year()))
            .or_insert_with(|| Arc::new(bank_holidays_of(nation, d.year())))
            .clone()
    };
    holidays.contains(&d)
}

/// The working-day calendar of one policy version.
#[derive(Debug, Clone, Default)]
pub struct Calendar {
    nation: Nation,
    closures: BTreeSet<NaiveDate>,
}

impl Calendar {
    /// England and Wales, with `closure_days`.
    pub fn new(closure_days: &[NaiveDate]) -> Self {
        Self::of(Nation::EnglandAndWales, closure_days)
    }

    pub fn of(nation: Nation, closure_days: &[NaiveDate]) -> Self {
        Calendar {
            nation,
            closures: closure_days.iter().copied().collect(),
        }
    }

    pub fn is_working_day(&self, d: NaiveDate) -> bool {
        !matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
            && !self.closures.contains(&d)
            && !is_bank_holiday(self.nation, d)
    }

    /// The date `n` working days after `from` (`from` itself not counted).
    pub fn add_working_days(&self, from: NaiveDate, n: u32) -> NaiveDate {
        let mut d = from;
        let mut left = n;
        while left > 0 {
            d += Duration::days(1);
            if self.is_working_day(d) {
                left -= 1;
            }
        }
        d
    }

    /// The date `n` working days before `to` (`to` itself not counted).
    pub fn subtract_working_days(&self, to: NaiveDate, n: u32) -> NaiveDate {
        let mut d = to;
        let mut left = n;
        while left > 0 {
            d -= Duration::days(1);
            if self.is_working_day(d) {
                left -= 1;
            }
        }
        d
    }

    /// Working days strictly after `from` up to and including `to` (0 if `to` <= `from`).
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> u32 {
        let mut n = 0;
        let mut d = from;
        while d < to {
            d += Duration::days(1);
            if self.is_working_day(d) {
                n += 1;
            }
        }
        n
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_bank_holidays_are_computed() {
        let y2025: Vec<String> = bank_holidays(2025).iter().map(|d| d.to_string()).collect();
        assert_eq!(
            y2025,
            [
                "2025-01-01",
                "2025-04-18",
                "2025-04-21",
                "2025-05-05",
                "2025-05-26",
                "2025-08-25",
                "2025-12-25",
                "2025-12-26"
            ]
        );
        let y2026: Vec<String> = bank_holidays(2026).iter().map(|d| d.to_string()).collect();
        assert_eq!(
            y2026,
            [
                "2026-01-01",
                "2026-04-03",
                "2026-04-06",
                "2026-05-04",
                "2026-05-25",
                "2026-08-31",
                "2026-12-25",
                "2026-12-28"
            ]
        );
    }

    fn listed(nation: Nation, y: i32) -> Vec<String> {
        bank_holidays_of(nation, y)
            .iter()
            .map(|d| d.to_string())
            .collect()
    }

    #[test]
    fn scotland_has_its_own_holidays() {
        // gov.uk, Scotland 2025: 2 January, no Easter Monday, August's first
        // Monday, St Andrew's Day (a Sunday) on Monday 1 December.
        assert_eq!(
            listed(Nation::Scotland, 2025),
            [
                "2025-01-01",
                "2025-01-02",
                "2025-04-18",
                "2025-05-05",
                "2025-05-26",
                "2025-08-04",
                "2025-12-01",
                "2025-12-25",
                "2025-12-26"
            ]
        );
        // 1 and 2 January 2022 were a weekend: Monday 3 and Tuesday 4.
        let y2022 = listed(Nation::Scotland, 2022);
        assert!(y2022.contains(&"2022-01-03".into()) && y2022.contains(&"2022-01-04".into()));
    }

    #[test]
    fn northern_ireland_adds_st_patrick_and_the_boyne() {
        // 12 July 2025 was a Saturday: Monday 14 July.
        assert_eq!(
            listed(Nation::NorthernIreland, 2025),
            [
                "2025-01-01",
                "2025-03-17",
                "2025-04-18",
                "2025-04-21",
                "2025-05-05",
                "2025-05-26",
                "2025-07-14",
                "2025-08-25",
                "2025-12-25",
                "2025-12-26"
            ]
        );
        let cal = Calendar::of(Nation::NorthernIreland, &[]);
        assert!(!cal.is_working_day("2025-07-14".parse().expect("date")));
        assert!(Calendar::new(&[]).is_working_day("2025-07-14".parse().expect("date")));
    }

    #[test]
    fn weekend_christmas_and_one_offs_are_substituted() {
        let y2022 = bank_holidays(2022);
        for d in [
            "2022-01-03",
            "2022-06-02",
            "2022-06-03",
            "2022-09-19",
            "2022-12-26",
            "2022-12-27",
        ] {
            assert!(y2022.contains(&d.parse().expect("date")), "{d}");
        }
        assert!(!y2022.contains(&"2022-05-30".parse().expect("date")));
        let y2021 = bank_holidays(2021);
        assert!(
            y2021.contains(&"2021-12-27".parse().expect("date"))
                && y2021.contains(&"2021-12-28".parse().expect("date"))
        );
        assert!(bank_holidays(2023).contains(&"2023-05-08".parse().expect("date")));
    }

    #[test]
    fn working_days_skip_weekends_holidays_and_closures() {
        let cal = Calendar::new(&["2026-12-29".parse().expect("date")]);
        // Thursday 24 Dec 2026 + 2 working days: 25 (Fri, bank holiday), weekend,
        // 28 (substitute Boxing Day), 29 (closure) → Wed 30, Thu 31.
        assert_eq!(
            cal.add_working_days("2026-12-24".parse().expect("date"), 2),
            "2026-12-31".parse::<NaiveDate>().expect("date")
        );
        assert_eq!(
            cal.add_working_days("2026-11-20".parse().expect("date"), 5),
            "2026-11-27".parse::<NaiveDate>().expect("date")
        );
        assert_eq!(
            cal.working_days_between(
                "2026-12-24".parse().expect("date"),
                "2026-12-31".parse().expect("date")
            ),
            2
        );
    }

    #[test]
    fn a_uk_day_starts_at_midnight_in_london() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap_or(NaiveDate::MIN);
        assert_eq!(
            uk_day_start(d("2026-06-15")).to_rfc3339(),
            "2026-06-14T23:00:00+00:00"
        );
        assert_eq!(
            uk_day_start(d("2026-12-15")).to_rfc3339(),
            "2026-12-15T00:00:00+00:00"
        );
    }

    #[test]
    fn uk_date_follows_british_summer_time() {
        let at = |t: &str| t.parse::<chrono::DateTime<chrono::Utc>>().expect("time");
        // 23:30 UTC on Thursday 27 August 2026 is already Friday in London.
        assert_eq!(
            uk_date(at("2026-08-27T23:30:00Z")),
            "2026-08-28".parse().expect("d")
        );
        // In winter London is on UTC.
        assert_eq!(
            uk_date(at("2026-11-26T23:30:00Z")),
            "2026-11-26".parse().expect("d")
        );
        // BST starts at 01:00 UTC on 29 March 2026 and ends at 01:00 UTC on 25 October.
        assert_eq!(
            uk_date(at("2026-03-29T00:30:00Z")),
            "2026-03-29".parse().expect("d")
        );
        assert_eq!(
            uk_date(at("2026-10-24T23:30:00Z")),
            "2026-10-25".parse().expect("d")
        );
        assert_eq!(
            uk_date(at("2026-10-25T23:30:00Z")),
            "2026-10-25".parse().expect("d")
        );
    }
}
