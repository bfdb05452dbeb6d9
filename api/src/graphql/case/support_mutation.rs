//! Mutations of a party's support (R-SUP-1…5, R-DISC-3, R-OUT-1): by the
//! party's case worker, and — where the rule says so — by the party.

use async_graphql::{Context, InputObject, Object};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{CasePayload, payload};
use crate::domain::support;
use crate::graphql::context::{CtxExt, GqlResult};
use crate::graphql::enums::{ContactMethod, Department, PreferredChannel, SupportOption};
use crate::graphql::transaction::in_tx;

/// An options conversation with a student (R-SUP-1).
#[derive(InputObject)]
pub struct OptionsConversationInput {
    /// The case.
    case_id: Uuid,
    /// The student's party.
    party_id: Uuid,
    /// When it was held; defaults to now, and cannot be in the future.
    held_at: Option<DateTime<Utc>>,
    /// The options discussed.
    options_offered: Vec<SupportOption>,
    /// The options the student chose (among those offered; some exclude each other).
    options_chosen: Vec<SupportOption>,
    /// A summary for the record and for Email 2 (R-SUP-3).
    summary: String,
}

#[derive(Default)]
pub struct SupportMutation;

#[Object]
impl SupportMutation {
    /// After two unanswered contact attempts on a disclosure a member of
    /// staff forwarded, the student's case worker or the CfC group records the
    /// decision, taken with the forwarder, whether to act further and why
    /// (R-DISC-7). The forwarder sees whether (`forwardedDisclosures`).
    async fn record_follow_up_decision(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The forwarded disclosure.")] case_id: Uuid,
        #[graphql(desc = "Whether the university acts further.")] act_further: bool,
        #[graphql(desc = "Why (kept for Student Support and the CfC group).")] reasons: String,
        #[graphql(desc = "The case's `version` as you read it.")] expected_version: i32,
    ) -> GqlResult<CasePayload> {
        in_tx(ctx, async |viewer, tx| {
            crate::domain::follow_up::record(
                viewer,
                tx,
                case_id,
                act_further,
                &reasons,
                expected_version,
            )
            .await
        })
        .await?;
        payload(ctx, case_id).await
    }

    /// The party's case worker records an attempt to contact the student
    /// (R-DISC-3); the forwarding member of staff is told after the second
    /// attempt, and a response stops pending follow-ups (R-SUP-3).
    async fn record_contact_attempt(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The case.")] case_id: Uuid,
        #[graphql(desc = "The student's party.")] party_id: Uuid,
        #[graphql(desc = "How contact was attempted.")] method: ContactMethod,
        #[graphql(desc = "Whether the student responded.")] student_responded: bool,
    ) -> GqlResult<CasePayload> {
        in_tx(ctx, async |viewer, tx| {
            support::record_contact_attempt(
                viewer,
                tx,
                &ctx.state().policies,
                case_id,
                party_id,
                method.into(),
                student_responded,
            )
            .await
        })
        .await?;
        payload(ctx, case_id).await
    }

    /// The party's case worker records an options conversation and the
    /// student's choice (R-SUP-1); Email 2 follows the same day (R-SUP-3).
    async fn record_options_conversation(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The conversation.")] input: OptionsConversationInput,
    ) -> GqlResult<CasePayload> {
        let case_id = input.case_id;
        let conversation = support::NewConversation {
            held_at: input.held_at,
            options_offered: input.options_offered.into_iter().map(Into::into).collect(),
            options_chosen: input.options_chosen.into_iter().map(Into::into).collect(),
            summary: input.summary,
        };
        in_tx(ctx, async |viewer, tx| {
            support::record_options_conversation(
                viewer,
                tx,
                &ctx.state().policies,
                case_id,
                input.party_id,
                conversation,
            )
            .await
        })
        .await?;
        payload(ctx, case_id).await
    }

    /// The student (or their case worker) changes their choice of options
    /// (R-SUP-2); refused where an irreversible action was taken (a submitted
    /// report is withdrawn instead).
    async fn change_options_choice(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The case.")] case_id: Uuid,
        #[graphql(desc = "The student's party.")] party_id: Uuid,
        #[graphql(desc = "The options now chosen, among those last offered.")] options_chosen: Vec<
            SupportOption,
        >,
        #[graphql(desc = "Why the choice changed.")] reason: String,
    ) -> GqlResult<CasePayload> {
        let chosen = options_chosen.into_iter().map(Into::into).collect();
        in_tx(ctx, async |viewer, tx| {
            support::change_options_choice(viewer, tx, case_id, party_id, chosen, reason).await
        })
        .await?;
        payload(ctx, case_id).await
    }

    /// The student (or their case worker) gives, refuses or withdraws consent
    /// to share with a department (R-SUP-4); the latest record is in force.
    async fn record_sharing_consent(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The case.")] case_id: Uuid,
        #[graphql(desc = "The student's party.")] party_id: Uuid,
        #[graphql(desc = "The department.")] department: Department,
        #[graphql(desc = "True to consent, false to refuse or withdraw.")] granted: bool,
    ) -> GqlResult<CasePayload> {
        in_tx(ctx, async |viewer, tx| {
            support::record_sharing_consent(
                viewer,
                tx,
                case_id,
                party_id,
                department.into(),
                granted,
            )
            .await
        })
        .await?;
        payload(ctx, case_id).await
    }

    /// The party's case worker records information shared with a department;
    /// refused without the student's consent in force (R-SUP-4). Sharing cannot
    /// be undone (R-SUP-2).
    async fn share_information(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The case.")] case_id: Uuid,
        #[graphql(desc = "The student's party.")] party_id: Uuid,
        #[graphql(desc = "Where the information goes.")] department: Department,
        #[graphql(desc = "What is shared.")] details: String,
    ) -> GqlResult<CasePayload> {
        in_tx(ctx, async |viewer, tx| {
            support::share_information(viewer, tx, case_id, party_id, department.into(), details)
                .await
        })
        .await?;
        payload(ctx, case_id).await
    }

    /// The party's case worker adds a support note (R-SUP-5): seen by that
    /// party's case workers, and by the party if shared; never by the procedure.
    async fn add_support_note(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The case.")] case_id: Uuid,
        #[graphql(desc = "The party supported.")] party_id: Uuid,
        #[graphql(desc = "The note.")] body: String,
        #[graphql(default, desc = "Let the party read it too.")] shared_with_party: bool,
    ) -> GqlResult<CasePayload> {
        in_tx(ctx, async |viewer, tx| {
            support::add_support_note(viewer, tx, case_id, party_id, body, shared_with_party).await
        })
        .await?;
        payload(ctx, case_id).await
    }

    /// A party (or their case worker) says how they want to be told of key
    /// updates and outcomes (R-OUT-1).
    async fn set_preferred_channel(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The case.")] case_id: Uuid,
        #[graphql(desc = "The party.")] party_id: Uuid,
        #[graphql(desc = "How they want to be told.")] channel: PreferredChannel,
    ) -> GqlResult<CasePayload> {
        in_tx(ctx, async |viewer, tx| {
            support::set_preferred_channel(viewer, tx, case_id, party_id, channel.into()).await
        })
        .await?;
        payload(ctx, case_id).await
    }
}
