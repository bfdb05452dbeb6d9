//! sea-orm entities: one module per table. Enumerated columns are plain
//! strings here; the API's domain layer owns their meaning.

pub mod appeal;
pub mod audit_entry;
pub mod case;
pub mod case_staff;
pub mod communication;
pub mod contact_attempt;
pub mod deadline;
pub mod disclosure_record;
pub mod enrolment_event;
pub mod evidence;
pub mod hearing;
pub mod information_share;
pub mod letter;
pub mod measure;
pub mod measure_event;
pub mod meeting;
pub mod notification;
pub mod options_conversation;
pub mod party;
pub mod person;
pub mod policy_version;
pub mod procedure;
pub mod recording;
pub mod removed_case_fact;
pub mod review_request;
pub mod risk_assessment;
pub mod role_grant;
pub mod sanction;
pub mod security_event;
pub mod sharing_consent;
pub mod sis_client_batch;
pub mod statement;
pub mod support_note;
pub mod supportive_measure;
pub mod timeline_event;
