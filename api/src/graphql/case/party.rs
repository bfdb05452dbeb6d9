//! The case as one of its parties sees it (DOMAIN §3): their own part in full,
//! the other side in the limited form the matrix allows.

use async_graphql::{Context, ID, MergedObject, Object};
use entity::party;

use super::shared::CaseFields;
use super::{DisclosureView, PartyView, Scoped};
use crate::domain::kinds::{self, DisclosureItem};
use crate::domain::reporting_party_disclosures::{self, Told};
use crate::graphql::communications::Communication;
use crate::graphql::context::{CtxExt, GqlResult, OrGql};
use crate::graphql::enums::PartyRole;
use crate::graphql::letters::Letter;
use crate::graphql::measures::Measure;
use crate::graphql::procedure::{CaseDeadline, ProcedureFields};

/// A case as one of its parties sees it: a reporting or responding student, or
/// a witness (DOMAIN §3). Staff use `Case` (`case`, `cases`).
#[derive(MergedObject)]
pub struct PartyCase(CaseFields, PartyFields);

impl PartyCase {
    pub fn new(scope: Scoped, me: party::Model) -> Self {
        PartyCase(CaseFields(scope.clone()), PartyFields { scope, me })
    }

    pub fn scope(&self) -> &Scoped {
        &self.1.scope
    }

    /// The case's id, for the `Node` interface (the field itself is `CaseFields::id`).
    pub async fn id(&self, _ctx: &async_graphql::Context<'_>) -> async_graphql::Result<ID> {
        Ok(self.scope().bundle.case.id.into())
    }
}

/// What only the party view has.
pub struct PartyFields {
    scope: Scoped,
    me: party::Model,
}

impl PartyFields {
    fn told(&self, item: DisclosureItem, disclosed: String) -> Option<Told> {
        reporting_party_disclosures::told(&self.scope.rel, &self.scope.bundle.case, item, disclosed)
    }
}

/// What only the party view has.
#[Object]
impl PartyFields {
    /// Your part in this case.
    async fn my_role(&self) -> GqlResult<PartyRole> {
        Ok(kinds::PartyRole::from_db(&self.me.role).gql()?.into())
    }
    /// Where the case is, in the limited form shown to parties (000 §36), e.g.
    /// "Under investigation"; null for witnesses.
    async fn progress(&self, ctx: &Context<'_>) -> GqlResult<Option<String>> {
        if !self.scope.rel.can_see_progress() {
            return Ok(None);
        }
        let progress = self.scope.progress(ctx).await?;
        ctx.note_told(self.told(DisclosureItem::Progress, progress.clone()));
        Ok(Some(progress))
    }
    /// Your own disclosure (reporting party only; null otherwise).
    async fn disclosure(&self) -> Option<DisclosureView> {
        self.scope
            .rel
            .can_read_disclosure()
            .then(|| DisclosureView(self.scope.clone()))
    }
    /// Your own part: your contact details, case worker(s), support notes shared
    /// with you, your options and consents.
    async fn me(&self) -> PartyView {
        PartyView::new(self.me.clone(), self.scope.clone())
    }
    /// The other parties you may know of, by name only: the other principal
    /// party unless their name is withheld (R-DISC-4); never witnesses.
    async fn other_parties(&self) -> Vec<PartyView> {
        self.scope.parties(Some(self.me.id))
    }
    /// Whether any precautionary measure is in place in your case (R-MEA-7),
    /// without saying what; null for witnesses.
    async fn measures_in_place(&self, ctx: &Context<'_>) -> GqlResult<Option<bool>> {
        if !self.scope.rel.can_see_whether_measures_in_place() {
            return Ok(None);
        }
        let in_place = crate::graphql::measures::any_in_place(ctx, &self.scope).await?;
        let said = if in_place {
            "Measures in place"
        } else {
            "No measures in place"
        };
        ctx.note_told(self.told(DisclosureItem::MeasuresInPlace, said.into()));
        Ok(Some(in_place))
    }
    /// Your deadlines (written response, summons response, appeal window…),
    /// soonest first, each with the rule that set it.
    async fn my_deadlines(&self, ctx: &Context<'_>) -> GqlResult<Vec<CaseDeadline>> {
        ProcedureFields::deadlines(ctx, &self.scope).await
    }
    /// The measures that bind you, once authorised, with their review dates and
    /// how to make representations (R-MEA-4, R-MEA-5).
    async fn measures_on_me(&self, ctx: &Context<'_>) -> GqlResult<Vec<Measure>> {
        crate::graphql::measures::visible_measures(ctx, &self.scope).await
    }
    /// Letters and e-mails to you on this case: due, sent or cancelled.
    async fn my_communications(&self, ctx: &Context<'_>) -> GqlResult<Vec<Communication>> {
        crate::graphql::communications::of_scope(ctx, &self.scope, true).await
    }
    /// Your letters on this case (outcome, summons, invitations…), oldest
    /// first, each once it has reached you.
    async fn letters(&self, ctx: &Context<'_>) -> GqlResult<Vec<Letter>> {
        crate::graphql::letters::of_scope(ctx, &self.scope, true).await
    }
}
