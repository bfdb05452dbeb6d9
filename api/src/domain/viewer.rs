//! Who is asking, and when: the authenticated person, the staff roles they hold,
//! and the moment of the request read once from the server's clock, so every
//! rule a request applies agrees on "now" and "today" (`domain::clock`). What
//! the roles allow is decided in `domain::access`, never here.

use std::collections::BTreeSet;

use uuid::Uuid;

use crate::domain::kinds::StaffRole;

#[derive(Debug, Clone)]
pub struct Viewer {
    pub person_id: Uuid,
    pub roles: BTreeSet<StaffRole>,
    /// Correlates the audit log with request logs.
    pub request_id: Option<String>,
    /// When the request was made, on the server's clock.
    pub now: crate::domain::clock::Now,
}

impl Viewer {
    /// The roles as stored in the audit log, e.g. `CASE_WORKER,CONDUCT_OFFICER`.
    pub fn roles_label(&self) -> String {
        self.roles
            .iter()
            .map(|r| r.as_str())
            .collect::<Vec<_>>()
            .join(",")
    }
}
