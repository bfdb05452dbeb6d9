//! One party to a case as the viewer may see them: who they are, how to reach
//! them and who supports them (their support records are in `support`).

use async_graphql::ID;
use async_graphql::dataloader::DataLoader;
use async_graphql::{Context, MergedObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use entity::party;
use uuid::Uuid;

use super::Scoped;
use super::support::PartySupport;
use crate::domain::disclosures::bundle_case_workers;
use crate::domain::procedure::respondents;
use crate::domain::{kinds, repeat_respondent, reporting_party_disclosures};
use crate::graphql::context::{CtxExt, GqlResult, OrGql};
use crate::graphql::enums::{Employment, PartyRole, PreferredChannel};
use crate::graphql::loaders::{Db, RespondentOutcomesOf};

/// A party to a case (reporting, responding or witness), as far as you may
/// see them: the procedure sees every party in full; a party and their case
/// worker see their own part in full and the other side by name only.
#[derive(MergedObject)]
pub struct PartyView(PartyIdentity, PartySupport);

impl PartyView {
    pub fn new(party: party::Model, scope: Scoped) -> Self {
        PartyView(
            PartyIdentity {
                party: party.clone(),
                scope: scope.clone(),
            },
            PartySupport { party, scope },
        )
    }

    pub fn party_id(&self) -> Uuid {
        self.0.party.id
    }
}

/// How to reach a party.
#[derive(SimpleObject)]
pub struct Contact {
    /// E-mail address on record.
    email: Option<String>,
    /// Telephone number on record.
    phone: Option<String>,
}

/// A member of staff, as a party and their supporters see them.
#[derive(SimpleObject)]
pub struct StaffMember {
    /// The person's id.
    id: ID,
    /// Their name.
    display_name: String,
    /// Their e-mail address.
    email: Option<String>,
}

impl From<entity::person::Model> for StaffMember {
    fn from(p: entity::person::Model) -> Self {
        StaffMember {
            id: p.id.into(),
            display_name: p.display_name,
            email: p.email,
        }
    }
}

/// A responding party routed to the staff procedure (R-DISC-6).
#[derive(SimpleObject)]
pub struct StaffProcedureRouting {
    /// Staff or contractor.
    employment: Employment,
    /// When the matter was routed.
    routed_at: DateTime<Utc>,
    /// Where it went (e.g. "Human Resources", the contractor's employer).
    referred_to: String,
}

/// Who a party is and who supports them.
pub struct PartyIdentity {
    party: party::Model,
    scope: Scoped,
}

impl PartyIdentity {
    async fn person(&self, ctx: &Context<'_>) -> GqlResult<Option<entity::person::Model>> {
        match self.party.person_id {
            Some(id) => Ok(self.scope.people(ctx, vec![id]).await?.pop()),
            None => Ok(None),
        }
    }

    fn sees_contact(&self) -> bool {
        self.scope.rel.can_see_party_contact(self.party.id)
    }
}

/// Other cases in which a responding party is, or was, responding.
#[derive(SimpleObject)]
pub struct RespondentHistory {
    /// How many other cases, whether or not you may open them.
    count: u64,
    /// The references of those you may open, newest first.
    visible_references: Vec<String>,
}

/// Who a party is and who supports them.
#[Object]
impl PartyIdentity {
    /// The party's id on this case (pass it as `partyId`).
    async fn id(&self) -> ID {
        self.party.id.into()
    }
    /// Their part in the case.
    async fn role(&self) -> GqlResult<PartyRole> {
        Ok(kinds::PartyRole::from_db(&self.party.role).gql()?.into())
    }
    /// Their name, or how the discloser described an unidentified person;
    /// null where the name is withheld (R-DISC-4) from you.
    async fn name(&self, ctx: &Context<'_>) -> GqlResult<Option<String>> {
        if !self.scope.rel.can_see_party_name(&self.party) {
            return Ok(None);
        }
        Ok(match self.person(ctx).await? {
            Some(p) => Some(p.display_name),
            None => self.party.described_as.clone(),
        })
    }
    /// For the conduct team and the decision maker: whether this responding
    /// party is, or has been, a responding party in other cases (a pattern
    /// 000 and 001 ask staff to weigh). Null for anyone else, and for parties
    /// in other roles or not identified.
    async fn other_cases_as_respondent(
        &self,
        ctx: &Context<'_>,
    ) -> GqlResult<Option<RespondentHistory>> {
        let responding = self.party.role == kinds::PartyRole::Responding.as_str();
        let (true, true, Some(person_id)) = (
            responding,
            self.scope.rel.can_see_repeat_respondent(),
            self.party.person_id,
        ) else {
            return Ok(None);
        };
        let state = ctx.state();
        let history =
            repeat_respondent::history(ctx.viewer()?, &state.db, person_id, self.scope.case_id())
                .await
                .gql()?;
        Ok(Some(RespondentHistory {
            count: history.count,
            visible_references: history.visible_references,
        }))
    }
    /// R-DISC-6: for a responding party who is a member of staff or a
    /// contractor, their routing to the staff procedure; null otherwise.
    async fn staff_procedure(&self) -> GqlResult<Option<StaffProcedureRouting>> {
        let (Some(employment), Some(routed_at)) =
            (&self.party.employment, self.party.staff_procedure_at)
        else {
            return Ok(None);
        };
        Ok(Some(StaffProcedureRouting {
            employment: kinds::Employment::from_db(employment).gql()?.into(),
            routed_at,
            referred_to: self
                .party
                .staff_procedure_referred_to
                .clone()
                .unwrap_or_default(),
        }))
    }
    /// For a responding party: where their part of the case stands, in the
    /// limited form the policy defines (000 §36). With several responding
    /// parties one may have concluded while another appeals (000 §35). Null
    /// for other parties and for viewers who do not see the case's progress.
    async fn progress(&self, ctx: &Context<'_>) -> GqlResult<Option<String>> {
        if self.party.role != kinds::PartyRole::Responding.as_str()
            || !self.scope.rel.can_see_progress()
        {
            return Ok(None);
        }
        let loader = ctx.data_unchecked::<DataLoader<Db>>();
        let case_id = self.scope.case_id();
        let rows = loader
            .load_one(RespondentOutcomesOf(case_id))
            .await?
            .unwrap_or_default();
        let case_stage = self.scope.bundle.stage().gql()?;
        let stage = if rows.is_empty() {
            case_stage
        } else {
            let appeals = self.scope.appeal_rows(ctx).await?;
            let outcomes = respondents::assemble(rows, &[], &appeals);
            respondents::stage_of(&outcomes, self.party.id, case_stage)
        };
        let label = self
            .scope
            .policy(ctx)
            .await?
            .progress_label(stage)
            .to_string();
        ctx.note_told(reporting_party_disclosures::told(
            &self.scope.rel,
            &self.scope.bundle.case,
            kinds::DisclosureItem::Progress,
            label.clone(),
        ));
        Ok(Some(label))
    }
    /// The name was withheld on request (R-DISC-4).
    async fn identity_withheld(&self) -> bool {
        self.party.identity_withheld
    }
    /// Contact details: the party, their case worker(s) and the procedure only.
    /// Reading them is audited.
    async fn contact(&self, ctx: &Context<'_>) -> GqlResult<Option<Contact>> {
        if !self.sees_contact() {
            return Ok(None);
        }
        let Some(p) = self.person(ctx).await? else {
            return Ok(None);
        };
        crate::graphql::context::CtxExt::record_read(ctx, "party.contact", self.scope.case_id());
        Ok(Some(Contact {
            email: p.email,
            phone: p.phone,
        }))
    }
    /// SIS student number: the party, their case worker(s) and the procedure.
    async fn sis_number(&self, ctx: &Context<'_>) -> GqlResult<Option<String>> {
        if !self.sees_contact() {
            return Ok(None);
        }
        Ok(self.person(ctx).await?.and_then(|p| p.sis_number))
    }
    /// How this party wants to be told of outcomes (R-OUT-1): the party, their
    /// case worker(s) and the procedure.
    async fn preferred_channel(&self) -> GqlResult<Option<PreferredChannel>> {
        if !self.sees_contact() {
            return Ok(None);
        }
        let channel = self.party.preferred_channel.as_deref();
        Ok(channel
            .map(kinds::PreferredChannel::from_db)
            .transpose()
            .gql()?
            .map(Into::into))
    }
    /// When a responding party was told of the report (R-REP-2): the party,
    /// their case worker(s) and the procedure.
    async fn informed_at(&self) -> Option<DateTime<Utc>> {
        self.sees_contact()
            .then_some(self.party.informed_at)
            .flatten()
    }
    /// The party's own case worker(s): the party, those case workers and the
    /// procedure (empty for others).
    async fn case_workers(&self, ctx: &Context<'_>) -> GqlResult<Vec<StaffMember>> {
        if !self.scope.rel.can_see_case_workers_of(self.party.id) {
            return Ok(vec![]);
        }
        let ids = bundle_case_workers(&self.scope.bundle, self.party.id);
        let people = self.scope.people(ctx, ids).await?;
        Ok(people.into_iter().map(Into::into).collect())
    }
}
