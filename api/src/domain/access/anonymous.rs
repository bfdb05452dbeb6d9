//! The channel of an anonymous disclosure (R-DISC-2, issue 17 item 7). Its
//! messages are for Student Support — staff holding CASE_WORKER — and nobody
//! else: not the conduct team, the Cause for Concern group, administrators or
//! the data protection officer. The reporter reaches it with their access code
//! alone, never as a signed-in person, so no viewer is ever linked to it.
//!
//! The same rule twice: [`can_answer`] for one loaded case, and
//! [`inbox_condition`] for the inbox's SQL.

use entity::case;
use sea_orm::{ColumnTrait, Condition};

use crate::domain::kinds::StaffRole;
use crate::domain::viewer::Viewer;
use crate::error::{Error, Result};

/// Whether the viewer is on the support team that answers anonymous reporters.
pub fn can_use_inbox(viewer: &Viewer) -> Result<()> {
    if viewer.roles.contains(&StaffRole::CaseWorker) {
        return Ok(());
    }
    Err(Error::Forbidden(
        "Only Student Support (staff with the CASE_WORKER role) answers anonymous reporters."
            .into(),
    ))
}

/// The Rust side: a support-team member may read and answer this case's
/// channel if the case is an anonymous disclosure. Any other case is, for
/// this purpose, not there.
pub fn can_answer(viewer: &Viewer, case: &case::Model) -> Result<()> {
    can_use_inbox(viewer)?;
    if case.anonymous {
        Ok(())
    } else {
        Err(Error::NotFound("anonymous conversation"))
    }
}

/// The SQL side of [`can_answer`], over `cases`, for a viewer who passed
/// [`can_use_inbox`].
pub fn inbox_condition() -> Condition {
    Condition::all().add(case::Column::Anonymous.eq(true))
}
