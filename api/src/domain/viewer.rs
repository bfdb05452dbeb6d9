//! Who is asking: the authenticated person and the staff roles they hold.
//! What those roles allow is decided in `domain::access`, never here.

use std::collections::BTreeSet;

use uuid::Uuid;

use crate::domain::kinds::StaffRole;

#[derive(Debug, Clone)]
pub struct Viewer {
    pub person_id: Uuid,
    pub roles: BTreeSet<StaffRole>,
    /// Correlates the audit log with request logs.
    pub request_id: Option<String>,
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
