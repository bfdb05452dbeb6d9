//! Who may see and do what (DOMAIN §3, R-VIS-1) — the one place that decides.
//!
//! Everything that answers "may this viewer see this?" or "may this viewer do
//! this?" lives here, so `case(id)`, `cases`, nested fields, mutation payloads
//! and subscriptions all get the same answer:
//!
//! - [`relation`]: how a viewer is linked to one case, computed from the case's
//!   parties and staff. Each link has a Rust test over a loaded case and an SQL
//!   condition over `cases` ([`scope`]), so a list selects exactly the cases a
//!   single look-up would open.
//! - [`reads`]: a named predicate for every read decision a resolver makes.
//! - [`actions`]: a named check for every action, called in one line at the top
//!   of the service function that performs it.
//! - [`roles`]: role gates for screens whose existence is public (people and
//!   grants, statistics, the SIS interface).
//! - [`anonymous`]: the channel of an anonymous disclosure, Student Support only.
//! - [`refusal`]: the one rule for NOT_FOUND (the viewer may not know the thing
//!   exists) versus FORBIDDEN (they may).

pub mod actions;
pub mod anonymous;
pub mod reads;
pub mod refusal;
pub mod relation;
pub mod roles;
pub mod scope;

#[cfg(test)]
mod matrix;

pub use refusal::refuse;
pub use relation::{Link, Relation, relation};
pub use scope::{party_scope, staff_scope};
