//! A case as GraphQL shows it: to staff (`Case`) and to one of its parties
//! (`PartyCase`). The fields both views share are written once
//! (`shared::CaseFields`) and merged into each; every field that can be
//! sensitive asks the viewer's relation (`domain::access`) and records an
//! audited read where the content is sensitive (R-VIS-2).

mod disclosure;
mod kept;
mod mutation;
mod parties;
mod party;
mod party_mutation;
mod payload;
mod plan_mutation;
mod shared;
mod staff;
mod support;
mod support_mutation;
mod supportive_mutation;
mod timeline;

use std::sync::Arc;

use async_graphql::Context;
use uuid::Uuid;

use crate::domain::access::Relation;
use crate::domain::case_bundle_row::Kept;
use crate::domain::case_store::{self, CaseBundle};
use crate::domain::kinds;
use crate::domain::viewer::Viewer;
use crate::error::Error;
use crate::graphql::context::{CtxExt, GqlResult, OrGql, to_gql};
pub use kept::wanted;

pub use disclosure::{DisclosureView, ReportView};
pub use mutation::CaseMutation;
pub use parties::{Contact, PartyView, StaffMember};
pub use party::PartyCase;
pub use party_mutation::PartyMutation;
pub use payload::{CasePayload, payload};
pub use plan_mutation::CommunicationPlanMutation;
pub use staff::Case;
pub use support::{
    ContactAttempt, InformationShare, OptionsConversation, SharingConsent, SupportNote,
};
pub use support_mutation::SupportMutation;
pub use supportive_mutation::SupportiveMeasureMutation;
pub use timeline::TimelineEntry;

/// A case loaded for one viewer, with their relation to it.
#[derive(Clone)]
pub struct Scoped {
    pub bundle: Arc<CaseBundle>,
    pub rel: Arc<Relation>,
    /// Rows read with the case (see `kept`).
    kept: Arc<Kept>,
}

impl Scoped {
    /// A case whose viewer's relation was worked out already.
    pub fn with_relation(bundle: CaseBundle, rel: Relation) -> Self {
        Scoped {
            bundle: Arc::new(bundle),
            rel: Arc::new(rel),
            kept: Arc::default(),
        }
    }

    pub fn case_id(&self) -> Uuid {
        self.bundle.case.id
    }

    fn stage(&self) -> GqlResult<kinds::Stage> {
        self.bundle.stage().gql()
    }

    /// The policy version this case follows (issue 11: the one it opened under).
    pub async fn policy(
        &self,
        ctx: &Context<'_>,
    ) -> GqlResult<std::sync::Arc<crate::policy::Policy>> {
        let state = ctx.state();
        state
            .policies
            .for_case(&state.db, &self.bundle.case)
            .await
            .gql()
    }

    /// The stage in the limited form the case's policy defines (000 §36).
    async fn progress(&self, ctx: &Context<'_>) -> GqlResult<String> {
        let stage = self.stage()?;
        Ok(self.policy(ctx).await?.progress_label(stage).to_string())
    }

    /// The other parties the viewer may know of (all but `except`).
    pub fn parties(&self, except: Option<Uuid>) -> Vec<PartyView> {
        self.bundle
            .parties
            .iter()
            .filter(|p| Some(p.id) != except && self.rel.can_see_party(p))
            .map(|p| PartyView::new(p.clone(), self.clone()))
            .collect()
    }
}

/// A case loaded for one viewer.
pub fn scoped(viewer: &Viewer, bundle: CaseBundle) -> Scoped {
    scoped_with(viewer, bundle, Kept::default())
}

/// A case loaded for one viewer, with rows of it read in the same statement.
pub fn scoped_with(viewer: &Viewer, bundle: CaseBundle, kept: Kept) -> Scoped {
    let rel = crate::domain::access::relation(viewer, &bundle.case, &bundle.parties, &bundle.staff);
    Scoped {
        kept: Arc::new(kept),
        ..Scoped::with_relation(bundle, rel)
    }
}

/// The case in the staff view, if the viewer may open it as staff.
pub fn as_staff(scope: Scoped) -> Option<Case> {
    scope.rel.staff_view().then(|| Case::new(scope))
}

/// The case in the party view, if the viewer is a party to it.
pub fn as_party(scope: Scoped) -> Option<PartyCase> {
    let my_party = scope.rel.party_view_as()?;
    let me = scope
        .bundle
        .parties
        .iter()
        .find(|p| p.id == my_party)?
        .clone();
    Some(PartyCase::new(scope, me))
}

/// Loads one case for the viewer, or NOT_FOUND when it does not exist.
/// What the request selects of the case is read with it.
pub async fn load(ctx: &Context<'_>, id: Uuid) -> GqlResult<Scoped> {
    let viewer = ctx.viewer()?;
    let wanted = kept::wanted(&ctx.look_ahead(), viewer);
    let (bundle, kept) = case_store::load_for_reading(&ctx.state().db, id, wanted)
        .await
        .gql()?
        .ok_or_else(|| to_gql(Error::NotFound("case")))?;
    Ok(scoped_with(viewer, bundle, kept))
}
