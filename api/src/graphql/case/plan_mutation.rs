//! The communications agreed with each party (R-SUP-7) and 002's initial
//! meeting with the case officer; each one transaction.

use async_graphql::{Context, InputObject, Object};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{CasePayload, payload};
use crate::domain::communication_plan::{self, PlanInput};
use crate::graphql::context::{CtxExt, GqlResult};
use crate::graphql::transaction::in_tx;

/// The communications agreed with one party (R-SUP-7).
#[derive(InputObject)]
pub struct CommunicationPlanInput {
    /// The case.
    case_id: Uuid,
    /// The reporting or responding party.
    party_id: Uuid,
    /// What they will be told about.
    content: String,
    /// How often, in working days (1 to 60).
    every_working_days: u32,
    /// Who writes to them (e.g. "Case officer").
    sender: String,
}

#[derive(Default)]
pub struct CommunicationPlanMutation;

#[Object]
impl CommunicationPlanMutation {
    /// The case officer (conduct team) or the party's case worker records the
    /// communications agreed with a party at the start of a report (R-SUP-7):
    /// content, frequency, sender. Agreeing again replaces the plan. Its next
    /// update is a deadline that `sendProgressUpdate` to the party meets.
    async fn agree_communication_plan(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The plan.")] input: CommunicationPlanInput,
    ) -> GqlResult<CasePayload> {
        let policies = &ctx.state().policies;
        let (case_id, party_id) = (input.case_id, input.party_id);
        let plan = PlanInput {
            content: input.content,
            every_working_days: input.every_working_days,
            sender: input.sender,
        };
        in_tx(ctx, async |viewer, tx| {
            communication_plan::agree(viewer, tx, policies, case_id, party_id, plan).await
        })
        .await?;
        payload(ctx, case_id).await
    }

    /// 002 §7: the party's initial meeting with the case officer, and its
    /// note, which the party then confirms. Recording it again needs a fresh
    /// confirmation.
    async fn record_initial_meeting(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The case.")] case_id: Uuid,
        #[graphql(desc = "The party met.")] party_id: Uuid,
        #[graphql(desc = "When it was held; defaults to now.")] held_at: Option<DateTime<Utc>>,
        #[graphql(desc = "The note of the meeting.")] note: String,
    ) -> GqlResult<CasePayload> {
        in_tx(ctx, async |viewer, tx| {
            communication_plan::record_initial_meeting(
                viewer, tx, case_id, party_id, held_at, &note,
            )
            .await
        })
        .await?;
        payload(ctx, case_id).await
    }

    /// The party confirms the note of their initial meeting (R-SUP-7).
    async fn confirm_initial_meeting_note(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Your case.")] case_id: Uuid,
        #[graphql(desc = "Your party on it.")] party_id: Uuid,
    ) -> GqlResult<CasePayload> {
        in_tx(ctx, async |viewer, tx| {
            communication_plan::confirm_initial_meeting_note(viewer, tx, case_id, party_id).await
        })
        .await?;
        payload(ctx, case_id).await
    }
}
