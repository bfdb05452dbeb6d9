//! Scheduled communications (R-SUP-3, R-REP-3, R-DISC-3, procedure notices).
//!
//! Each communication is written to the `communication` table — the outbox — in
//! the same transaction as the change that causes it, with the date its rule
//! gives and the date it goes out after R-TIME-2. The delivery worker
//! (`crate::delivery`) claims due rows and sends them; follow-ups are cancelled
//! when the student replies. Subjects and bodies carry the case reference and
//! generic words only: never a name, a description or a statement.

mod outbox;
mod triggers;

pub use outbox::{
    Outgoing, Planned, backlog, cancel, claim, mark_failed, mark_sent, mine, position, schedule,
    set_friday_contact,
};
pub use triggers::{
    cancel_follow_ups, notice, on_contact_attempt, on_disclosure, on_options_conversation,
    on_report,
};

use chrono::{Datelike, NaiveDate, Weekday};
use entity::party;

use crate::domain::calendar::Calendar;
use crate::domain::kinds::{CommunicationKind as Kind, PartyRole};
use crate::policy::Policy;

/// After this many failed attempts a communication is FAILED and left to a person.
pub const MAX_ATTEMPTS: i32 = 8;

/// The day a communication planned for `planned` goes out. Letters to a
/// reporting party who has not agreed otherwise never go on a Friday
/// (R-TIME-2): they move to the next working day that is not a Friday. A
/// follow-up planned for a later day lands on a working day (R-TIME-1).
pub fn due_on(
    cal: &Calendar,
    planned: NaiveDate,
    not_on_friday: bool,
    working_day: bool,
) -> NaiveDate {
    let mut day = planned;
    let mut working_day = working_day;
    loop {
        let friday_blocked = not_on_friday && day.weekday() == Weekday::Fri;
        if !friday_blocked && (!working_day || cal.is_working_day(day)) {
            return day;
        }
        // A letter moved off a Friday goes on the next working day, not a Saturday.
        working_day = true;
        day = day.succ_opt().unwrap_or(day);
    }
}

/// The due date and the rule that set it: R-TIME-2 where the Friday rule (not
/// just a weekend or holiday) moved it, otherwise `rule`.
pub fn dated(
    cal: &Calendar,
    planned: NaiveDate,
    not_on_friday: bool,
    working_day: bool,
    rule: &'static str,
) -> (NaiveDate, &'static str) {
    let due = due_on(cal, planned, not_on_friday, working_day);
    if due != due_on(cal, planned, false, working_day) {
        (due, "R-TIME-2")
    } else {
        (due, rule)
    }
}

/// Whether R-TIME-2 applies to this recipient: a reporting party who has not
/// agreed to Friday letters, where the policy keeps the rule.
pub fn not_on_friday(policy: &Policy, party: Option<&party::Model>) -> bool {
    policy.calendar.no_friday_letters_to_reporting_party
        && party
            .is_some_and(|p| p.role == PartyRole::Reporting.as_str() && !p.friday_contact_agreed)
}

/// Subject and body for each kind. Only the case reference is specific.
pub fn wording(kind: Kind, reference: &str, notice: Option<&str>) -> (String, String) {
    let sign_off = "\n\nStudent Support and Conduct\n(This message does not repeat what you told us. Sign in to the student portal to read your case.)";
    let (subject, body) = match kind {
        Kind::Email1 => (
            format!("We have received your disclosure ({reference})"),
            "Thank you for contacting us. A case worker would like to offer you a conversation about your options and the support available to you. Reply to this email, or sign in to the student portal, to arrange a time that suits you.".to_string(),
        ),
        Kind::Email1FollowUp => (
            format!("Following up: support is available ({reference})"),
            "We wrote to you recently to offer a conversation about your options. If you would like to talk, reply to this email or sign in to the student portal. If we do not hear from you we will not contact you again, but you can get in touch at any time.".to_string(),
        ),
        Kind::Email2 => (
            format!("Summary of our conversation ({reference})"),
            "Thank you for speaking with us today. A summary of the options we discussed and what happens next is available in the student portal. Reply to this email if anything is unclear or you would like to change your choice.".to_string(),
        ),
        Kind::Email2FollowUp => (
            format!("Checking in ({reference})"),
            "We are checking in two weeks after our conversation to make sure you have the support you need. Reply to this email or sign in to the student portal if there is anything we can do.".to_string(),
        ),
        Kind::ReportAcknowledgement => (
            format!("Your report has been received ({reference})"),
            "We acknowledge receipt of your formal report. The Student Conduct team will decide whether to investigate and will write to you with the next steps. Your case worker remains available to support you.".to_string(),
        ),
        Kind::ForwarderUpdate => (
            format!("Update on a disclosure you forwarded ({reference})"),
            notice.unwrap_or_default().to_string(),
        ),
        Kind::Notice => (
            format!("An update on your case ({reference})"),
            notice.unwrap_or_default().to_string(),
        ),
    };
    (subject, format!("{body}{sign_off}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().expect("date")
    }

    #[test]
    fn friday_letters_to_a_reporting_party_move_past_the_weekend_and_bank_holidays() {
        let cal = Calendar::new(&[]);
        // Friday 28 August 2026; Monday 31 August is the summer bank holiday.
        assert_eq!(due_on(&cal, d("2026-08-28"), true, false), d("2026-09-01"));
        // Agreed to Friday letters, or another recipient: the same day.
        assert_eq!(due_on(&cal, d("2026-08-28"), false, false), d("2026-08-28"));
        // Good Friday 2026 (3 April) and Easter Monday (6 April).
        assert_eq!(due_on(&cal, d("2026-04-03"), true, false), d("2026-04-07"));
    }

    #[test]
    fn immediate_letters_go_on_any_day_but_a_blocked_friday() {
        let cal = Calendar::new(&[]);
        // Saturday: an immediate letter is not held back by R-TIME-2.
        assert_eq!(due_on(&cal, d("2026-11-21"), true, false), d("2026-11-21"));
        // A follow-up planned for a Saturday goes on the Monday.
        assert_eq!(due_on(&cal, d("2026-11-21"), false, true), d("2026-11-23"));
        // A follow-up planned for Christmas Day 2026 (Friday) to a reporting party:
        // 25th Fri, 28th Mon is the Boxing Day substitute → Tuesday 29th.
        assert_eq!(due_on(&cal, d("2026-12-25"), true, true), d("2026-12-29"));
    }

    #[test]
    fn only_the_friday_rule_is_labelled_r_time_2() {
        let cal = Calendar::new(&[]);
        // Sunday 6 December 2026 → Monday: a weekend, not R-TIME-2.
        assert_eq!(
            dated(&cal, d("2026-12-06"), true, true, "R-SUP-3"),
            (d("2026-12-07"), "R-SUP-3")
        );
        // Friday 4 December → Monday 7: R-TIME-2.
        assert_eq!(
            dated(&cal, d("2026-12-04"), true, true, "R-SUP-3"),
            (d("2026-12-07"), "R-TIME-2")
        );
    }

    #[test]
    fn wording_carries_the_reference_and_nothing_else_specific() {
        for kind in Kind::ALL {
            let (subject, body) = wording(*kind, "MC-1234", Some("A notice."));
            assert!(subject.contains("MC-1234"), "{kind}");
            assert!(!body.is_empty());
        }
    }
}
