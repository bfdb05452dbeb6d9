//! Mutations from the decision to the outcome: informal resolution, decisions,
//! panels, summonses, hearings, the end of the appeal window and approvals.

use async_graphql::{Context, Object};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::inputs::{DecisionInput, HearingDecisionInput, SummonsInput};
use crate::domain::procedure::{
    attendance, hearing_changes, hearing_evidence, hearings, outcome, referral, sanctions, triage,
};
use crate::graphql::case::{CasePayload, payload};
use crate::graphql::context::{CtxExt, GqlResult};
use crate::graphql::enums::HearingResponse;
use crate::graphql::transaction::in_tx;

#[derive(Default)]
pub struct DecisionMutation;

#[Object]
impl DecisionMutation {
    /// The reporting party gives their express consent to informal resolution
    /// (R-INF-1), themselves.
    async fn consent_to_informal_resolution(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Your case.")] case_id: Uuid,
    ) -> GqlResult<CasePayload> {
        in_tx(ctx, async |viewer, tx| {
            triage::consent_to_informal_resolution(viewer, tx, case_id).await
        })
        .await?;
        payload(ctx, case_id).await
    }

    /// Records a decision (R-DEC-1): at TRIAGE the conduct team dismisses,
    /// advises or resolves informally; at DECISION the assigned decision maker
    /// may also sanction (R-SAN-1) or refer to a panel.
    async fn record_decision(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The decision.")] input: DecisionInput,
    ) -> GqlResult<CasePayload> {
        let policy = ctx.state().policies.clone();
        let (case_id, expected_version) = (input.case_id, input.expected_version);
        let decision = input.decision();
        in_tx(ctx, async |viewer, tx| {
            triage::decide(viewer, tx, &policy, case_id, decision, expected_version).await
        })
        .await?;
        payload(ctx, case_id).await
    }

    /// The conduct team records what was agreed: INFORMAL_RESOLUTION → CLOSED.
    /// Refused (OFS-E6) unless you attest that the terms restrict no one from
    /// disclosing information about the misconduct.
    async fn complete_informal_resolution(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The case.")] case_id: Uuid,
        #[graphql(desc = "What was agreed.")] outcome: String,
        #[graphql(
            desc = "You attest that the agreed terms contain no provision restricting any party from disclosing information about the misconduct (Office for Students condition E6). Must be true."
        )]
        no_restricting_provision: bool,
        #[graphql(desc = "The case's `version` as you read it.")] expected_version: i32,
    ) -> GqlResult<CasePayload> {
        in_tx(ctx, async |viewer, tx| {
            triage::complete_informal_resolution(
                viewer,
                tx,
                case_id,
                outcome,
                no_restricting_provision,
                expected_version,
            )
            .await
        })
        .await?;
        payload(ctx, case_id).await
    }

    /// The conduct team convenes PANEL_MEMBERs with no previous involvement:
    /// for the hearing, as many as the policy's `hearings.panel_size` (three,
    /// or one hearing officer, R-HEA-3, R-HEA-5); for an appeal, three
    /// (R-IND-4). A new panel replaces the earlier one.
    async fn convene_panel(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The case.")] case_id: Uuid,
        #[graphql(desc = "The members (three, or as the policy says).")] member_ids: Vec<Uuid>,
        #[graphql(
            default,
            desc = "The panel hears an appeal: the hearing panel may not sit (R-IND-4)."
        )]
        for_appeal: bool,
    ) -> GqlResult<CasePayload> {
        let policies = &ctx.state().policies;
        in_tx(ctx, async |viewer, tx| {
            hearings::convene_panel(viewer, tx, policies, case_id, member_ids, for_appeal).await
        })
        .await?;
        payload(ctx, case_id).await
    }

    /// The conduct team sends the summons (R-HEA-1) at least the policy's
    /// notice before the hearing; the student's response date and the panel's
    /// decision deadline are set.
    async fn summon_to_hearing(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The summons.")] input: SummonsInput,
    ) -> GqlResult<CasePayload> {
        let policy = ctx.state().policies.clone();
        let case_id = input.case_id;
        let summons = input.summons();
        in_tx(ctx, async |viewer, tx| {
            hearings::summon(viewer, tx, &policy, case_id, summons).await
        })
        .await?;
        payload(ctx, case_id).await
    }

    /// The conduct team rearranges a hearing not yet decided, for good reason
    /// (R-HEA-6): R-HEA-1's notice applies to the new date; the response and
    /// decision dates move with it; the student gets a letter that replaces
    /// the summons. Each case of a joint sitting is rearranged on its own.
    async fn rearrange_hearing(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The hearing (this case's).")] hearing_id: Uuid,
        #[graphql(desc = "Its new date and time.")] scheduled_at: DateTime<Utc>,
        #[graphql(desc = "Where it now takes place (the same place if not given).")]
        location: Option<String>,
        #[graphql(desc = "Why it is rearranged (on the timeline, for the procedure).")]
        reason: String,
    ) -> GqlResult<CasePayload> {
        let policy = ctx.state().policies.clone();
        let row = in_tx(ctx, async |viewer, tx| {
            let change = hearing_changes::HearingMove {
                at: scheduled_at,
                location,
                reason,
            };
            hearing_changes::rearrange(viewer, tx, &policy, hearing_id, change).await
        })
        .await?;
        payload(ctx, row.case_id).await
    }

    /// A member of the panel, as its chair, admits or refuses late evidence
    /// for the hearing (R-HEA-6): admitted, it is before the panel and shared
    /// like any other; refused, it stays out. The panel cannot decide while
    /// any awaits this.
    async fn admit_late_evidence(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The late evidence item (its `admission` is PENDING).")] evidence_id: Uuid,
        #[graphql(desc = "True to admit it, false to refuse it.")] admit: bool,
    ) -> GqlResult<CasePayload> {
        let row = in_tx(ctx, async |viewer, tx| {
            hearing_evidence::decide_admission(viewer, tx, evidence_id, admit).await
        })
        .await?;
        payload(ctx, row.case_id).await
    }

    /// The conduct team records, once the hearing has taken place, whether the
    /// student attended. Not attending is deemed acceptance of the allegations
    /// (R-HEA-2) where the summons reached them with the notice R-HEA-1 gives.
    async fn record_hearing_attendance(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The hearing (this case's).")] hearing_id: Uuid,
        #[graphql(desc = "True if the student attended.")] attended: bool,
    ) -> GqlResult<CasePayload> {
        let row = in_tx(ctx, async |viewer, tx| {
            attendance::at_hearing(viewer, tx, hearing_id, attended).await
        })
        .await?;
        payload(ctx, row.case_id).await
    }

    /// The summoned student answers by the response date (R-HEA-2): attend
    /// (naming any companion, at least the policy's `companion_notice_before`
    /// working days ahead) or admit and waive the hearing.
    async fn respond_to_summons(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Your hearing.")] hearing_id: Uuid,
        #[graphql(desc = "Your answer.")] response: HearingResponse,
        #[graphql(desc = "Who will accompany you, if anyone.")] companion: Option<String>,
    ) -> GqlResult<CasePayload> {
        let policies = ctx.state().policies.clone();
        let row = in_tx(ctx, async |viewer, tx| {
            hearings::respond(
                viewer,
                tx,
                &policies,
                hearing_id,
                response.into(),
                companion,
            )
            .await
        })
        .await?;
        payload(ctx, row.case_id).await
    }

    /// A member of the convened panel records its majority decision (R-HEA-3,
    /// R-HEA-4); no response by the date, or an admission, is a breach (R-HEA-2).
    /// HEARING → OUTCOME for every case heard jointly.
    async fn record_hearing_decision(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The panel's decision.")] input: HearingDecisionInput,
    ) -> GqlResult<CasePayload> {
        let policy = ctx.state().policies.clone();
        let (votes, sanctions) = (input.votes(), input.sanctions());
        let row = in_tx(ctx, async |viewer, tx| {
            hearings::decide(
                viewer,
                tx,
                &policy,
                input.hearing_id,
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

    /// A member of the convened panel (or the hearing officer) refers the case,
    /// instead of deciding it, to the body the procedure names (policy
    /// `hearings.referral_body`, R-HEA-5), e.g. 003's Senate Student Discipline
    /// Committee. The panel stands down; each responding party is written to;
    /// the case stays at HEARING for that body to be convened (`convenePanel`,
    /// `hearings.referral_panel_size` members) and to summon them afresh. Its
    /// decision imposes with the `SENATE` powers of the sanction table.
    async fn refer_hearing(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The hearing that refers the case.")] hearing_id: Uuid,
        #[graphql(desc = "Why the hearing refers the case rather than deciding it.")]
        reasons: String,
        #[graphql(desc = "The case's `version` as you read it.")] expected_version: i32,
    ) -> GqlResult<CasePayload> {
        let policy = ctx.state().policies.clone();
        let row = in_tx(ctx, async |viewer, tx| {
            referral::refer(viewer, tx, &policy, hearing_id, reasons, expected_version).await
        })
        .await?;
        payload(ctx, row.case_id).await
    }

    /// The conduct team closes the case once the appeal window has passed
    /// unused (R-APP-1): OUTCOME → CLOSED; the reporting party may now learn
    /// the outcome (R-OUT-2).
    async fn close_after_appeal_window(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The case.")] case_id: Uuid,
        #[graphql(desc = "The case's `version` as you read it.")] expected_version: i32,
    ) -> GqlResult<CasePayload> {
        let policy = ctx.state().policies.clone();
        in_tx(ctx, async |viewer, tx| {
            outcome::close_after_appeal_window(viewer, tx, &policy, case_id, expected_version).await
        })
        .await?;
        payload(ctx, case_id).await
    }

    /// The conduct team or the decision maker records the approval a sanction
    /// awaits (policy `approvals`), once the appeal process has concluded.
    async fn approve_sanction(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The sanction awaiting approval.")] sanction_id: Uuid,
        #[graphql(desc = "Who approved, e.g. \"Vice-Chancellor (Prof. A. Smith)\".")]
        approved_by: String,
    ) -> GqlResult<CasePayload> {
        let row = in_tx(ctx, async |viewer, tx| {
            sanctions::approve_sanction(viewer, tx, sanction_id, approved_by).await
        })
        .await?;
        payload(ctx, row.case_id).await
    }
}
