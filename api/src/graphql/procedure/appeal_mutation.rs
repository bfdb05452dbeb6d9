//! Appeals (R-APP-1…4): lodging, the reviewer's decision, the appeal panel's
//! decision, and the reporting party's informal review.

use async_graphql::{Context, Object};
use uuid::Uuid;

use super::inputs::{AppealDecisionInput, AppealReviewInput};
use crate::domain::procedure::appeals;
use crate::graphql::case::{CasePayload, payload};
use crate::graphql::context::{CtxExt, GqlResult};
use crate::graphql::enums::AppealGround;
use crate::graphql::transaction::in_tx;

#[derive(Default)]
pub struct AppealMutation;

#[Object]
impl AppealMutation {
    /// The responding party found in breach appeals, themselves, within the
    /// window (R-APP-1), on at least one ground with a statement of the
    /// evidence (R-APP-2). OUTCOME → APPEAL.
    async fn lodge_appeal(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Your case.")] case_id: Uuid,
        #[graphql(desc = "At least one ground.")] grounds: Vec<AppealGround>,
        #[graphql(desc = "The evidence for the grounds.")] statement: String,
    ) -> GqlResult<CasePayload> {
        let policy = ctx.state().policies.clone();
        let grounds = grounds.into_iter().map(Into::into).collect();
        in_tx(ctx, async |viewer, tx| {
            appeals::lodge(viewer, tx, &policy, case_id, grounds, statement).await
        })
        .await?;
        payload(ctx, case_id).await
    }

    /// The assigned appeal reviewer rejects the appeal (Completion of
    /// Procedures), corrects the sanction or irregularity, or refers it to an
    /// appeal panel (R-APP-3).
    async fn review_appeal(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The reviewer's decision.")] input: AppealReviewInput,
    ) -> GqlResult<CasePayload> {
        let policy = ctx.state().policies.clone();
        let outcome = input.outcome();
        let row = in_tx(ctx, async |viewer, tx| {
            appeals::review(
                viewer,
                tx,
                &policy,
                input.appeal_id,
                outcome,
                input.reasons,
                input.expected_version,
            )
            .await
        })
        .await?;
        payload(ctx, row.case_id).await
    }

    /// A member of the appeal panel records its majority decision: uphold,
    /// substitute another decision, or dismiss the case and remove the record
    /// (R-APP-3). The Completion of Procedures letter follows; APPEAL → CLOSED
    /// once every respondent's appeal process has concluded. Where the policy
    /// names who decides finally (R-APP-5), the decision is recorded as a
    /// recommendation (status RECOMMENDED) for `recordFinalAppealDecision`.
    async fn decide_appeal(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The panel's decision.")] input: AppealDecisionInput,
    ) -> GqlResult<CasePayload> {
        let policy = ctx.state().policies.clone();
        let (votes, sanctions) = (input.votes(), input.sanctions());
        let row = in_tx(ctx, async |viewer, tx| {
            appeals::decide(
                viewer,
                tx,
                &policy,
                input.appeal_id,
                votes,
                input.reasons,
                sanctions,
                input.expected_version,
            )
            .await
        })
        .await?;
        payload(ctx, row.case_id).await
    }

    /// R-APP-5: where the policy names who decides finally on an appeal
    /// panel's recommendation (`appeals.final_decision_by`, e.g. the
    /// Vice-Chancellor), the conduct team records that decision: accepted,
    /// the recommendation takes effect; not accepted, the outcome appealed
    /// against stands. Procedures then complete for the appellant.
    async fn record_final_appeal_decision(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The appeal, its status RECOMMENDED.")] appeal_id: Uuid,
        #[graphql(desc = "The case's `version` as you read it.")] expected_version: i32,
        #[graphql(desc = "Whether the recommendation was accepted.")] accepted: bool,
        #[graphql(desc = "Who decided, e.g. \"Vice-Chancellor (Prof. A. Smith)\".")]
        decided_by: String,
        #[graphql(desc = "The reasons for the final decision.")] reasons: String,
    ) -> GqlResult<CasePayload> {
        let policy = ctx.state().policies.clone();
        let row = in_tx(ctx, async |viewer, tx| {
            appeals::record_final_decision(
                viewer,
                tx,
                &policy,
                appeal_id,
                accepted,
                decided_by,
                reasons,
                expected_version,
            )
            .await
        })
        .await?;
        payload(ctx, row.case_id).await
    }

    /// The reporting party, who cannot appeal, asks for an informal review of
    /// the outcome (R-APP-4): recorded, and never changes the outcome.
    async fn request_informal_review(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Your case.")] case_id: Uuid,
        #[graphql(desc = "What you ask to be reviewed, and why.")] request: String,
    ) -> GqlResult<CasePayload> {
        in_tx(ctx, async |viewer, tx| {
            appeals::request_informal_review(viewer, tx, case_id, request).await
        })
        .await?;
        payload(ctx, case_id).await
    }
}
