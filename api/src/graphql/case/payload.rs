//! What every case mutation answers: the case as the caller may now see it.

use async_graphql::{Context, SimpleObject};
use uuid::Uuid;

use super::{Case, PartyCase, as_party, as_staff, scoped};
use crate::graphql::context::{CtxExt, GqlResult, OrGql, to_gql};

/// The case after a change, in each view the caller is entitled to; the case
/// is read once, after the change was committed.
#[derive(SimpleObject)]
pub struct CasePayload {
    /// The case changed.
    case_id: Uuid,
    /// Its human-readable reference.
    reference: String,
    /// The new version, for the next `expectedVersion`.
    version: i32,
    /// The staff view, if the caller is staff on this case.
    case: Option<Case>,
    /// The party view, if the caller is a party to this case.
    my_case: Option<PartyCase>,
    /// Only in `recordDisclosure`'s answer for an anonymous disclosure: the
    /// access code to its conversation with Student Support
    /// (`anonymousConversation`). Shown this once and never stored — give it
    /// to the reporter and keep no copy.
    anonymous_access_code: Option<String>,
}

/// The case after a change: the case is read once and shown in each view the
/// caller is entitled to. A database failure is reported as such; a case the
/// caller can no longer see simply has neither view.
pub async fn payload(ctx: &Context<'_>, case_id: Uuid) -> GqlResult<CasePayload> {
    let viewer = ctx.viewer()?;
    // Most writes ask only for the new `version`: then the case row is all
    // there is to read (not its parties and staff for the views).
    let selection = ctx.look_ahead();
    if !selection.field("case").exists() && !selection.field("myCase").exists() {
        let case = crate::domain::case_store::load_row(&ctx.state().db, case_id)
            .await
            .gql()?
            .ok_or_else(|| to_gql(crate::error::Error::NotFound("case")))?;
        return Ok(CasePayload {
            case_id,
            reference: case.reference,
            version: case.version,
            case: None,
            my_case: None,
            anonymous_access_code: None,
        });
    }
    let Some(bundle) = crate::domain::case_store::load(&ctx.state().db, case_id)
        .await
        .gql()?
    else {
        return Err(to_gql(crate::error::Error::NotFound("case")));
    };
    let (reference, version) = (bundle.case.reference.clone(), bundle.case.version);
    let scope = scoped(viewer, bundle);
    Ok(CasePayload {
        case_id,
        reference,
        version,
        case: as_staff(scope.clone()),
        my_case: as_party(scope),
        anonymous_access_code: None,
    })
}

impl CasePayload {
    /// The payload with an anonymous disclosure's access code.
    pub fn with_access_code(mut self, code: Option<String>) -> Self {
        self.anonymous_access_code = code;
        self
    }
}
