//! Domain rules: authorization, visibility, the state machine, independence and
//! the services each mutation calls. Nothing here knows about GraphQL or HTTP;
//! services take the viewer first and a connection (or transaction) second.

pub mod access;
pub mod audit;
pub mod audit_checkpoint;
pub mod calendar;
pub mod case_store;
pub mod cfc_referral;
pub mod clock;
pub mod codec;
pub mod communications;
pub mod deadlines;
pub mod disclosures;
pub mod independence;
pub mod kinds;
pub mod legal_hold;
pub mod letters;
pub mod lifecycle;
pub mod measures;
pub mod notices;
pub mod page;
pub mod parties;
pub mod people;
pub mod policy_move;
pub mod procedure;
pub mod repeat_respondent;
pub mod reporting_party_disclosures;
pub mod reports;
pub mod retention;
pub mod risk_assessments;
pub mod security_log;
pub mod sis;
pub mod statistics;
pub mod subject_access;
pub mod support;
pub mod timeline;
pub mod viewer;
