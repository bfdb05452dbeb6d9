//! Who is asking: the authenticated person and the staff roles they hold.

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
    pub fn has(&self, role: StaffRole) -> bool {
        self.roles.contains(&role)
    }

    /// The roles as stored in the audit log, e.g. `CASE_WORKER,CONDUCT_OFFICER`.
    pub fn roles_label(&self) -> String {
        self.roles
            .iter()
            .map(|r| r.as_str())
            .collect::<Vec<_>>()
            .join(",")
    }

    /// Fails with `FORBIDDEN` unless the viewer holds `role`; for actions whose
    /// existence is public (admin screens), never for case content.
    pub fn require(&self, role: StaffRole, action: &str) -> crate::error::Result<()> {
        if self.has(role) {
            Ok(())
        } else {
            Err(crate::error::Error::Forbidden(format!(
                "Only staff with the {role} role may {action}."
            )))
        }
    }
}
