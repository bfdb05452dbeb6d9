//! Role gates for screens whose existence is public: people and role grants,
//! the audit log, anonymised statistics and the SIS interface. A viewer without
//! the role is told so (FORBIDDEN). Case content is never decided here — it
//! follows the viewer's relation to the case.

use crate::domain::kinds::{PersonKind, StaffRole};
use crate::domain::viewer::Viewer;
use crate::error::{Error, Result};

fn require(viewer: &Viewer, role: StaffRole, action: &str) -> Result<()> {
    if viewer.roles.contains(&role) {
        Ok(())
    } else {
        Err(Error::Forbidden(format!(
            "Only staff with the {role} role may {action}."
        )))
    }
}

/// People, role grants and the audit log are for administrators (who see no case content).
pub fn can_administer(viewer: &Viewer, action: &str) -> Result<()> {
    require(viewer, StaffRole::Admin, action)
}

/// An administrator may revoke any grant but their own ADMIN role, so the
/// service is never left without one by mistake.
pub fn can_revoke_grant(viewer: &Viewer, grant: &entity::role_grant::Model) -> Result<()> {
    if grant.person_id == viewer.person_id && grant.role == StaffRole::Admin.as_str() {
        return Err(Error::validation(
            "grantId",
            "Administrators cannot revoke their own ADMIN role.",
        ));
    }
    Ok(())
}

/// R-MON-1: anonymised statistics are for BI analysts.
pub fn can_read_statistics(viewer: &Viewer) -> Result<()> {
    require(viewer, StaffRole::BiAnalyst, "read anonymised statistics")
}

/// The SIS interface (student sync, enrolment-outcome feed) is for the SIS client.
pub fn can_use_sis_interface(viewer: &Viewer, action: &str) -> Result<()> {
    require(viewer, StaffRole::SisIntegration, action)
}

/// Who may record a disclosure (R-DISC-1): a student their own; staff for a
/// student (or forwarding one); visitors not here.
pub fn can_record_disclosure(kind: PersonKind, for_someone_else: bool) -> Result<()> {
    match kind {
        PersonKind::Student if for_someone_else => Err(Error::Forbidden(
            "Students can only make disclosures of their own.".into(),
        )),
        PersonKind::Student | PersonKind::Staff => Ok(()),
        PersonKind::Visitor => Err(Error::Forbidden(
            "Visitors cannot record disclosures here.".into(),
        )),
    }
}

/// Subject access requests and the retention review are for the data
/// protection officer: the role the policy names (R-RET-1, R-RET-2).
pub fn can_act_for_data_protection(
    viewer: &Viewer,
    policy: &crate::policy::Policy,
    action: &str,
) -> Result<()> {
    require(viewer, policy.data_protection_officer(), action)
}
