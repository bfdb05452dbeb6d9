//! Mutations from triage to the investigation report, and the investigation
//! review. Each runs in one transaction and answers with the case as the
//! caller may now see it.

use async_graphql::{Context, Object};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::inputs::{AllegedBreachInput, MeetingCompanionInput};
use crate::domain::procedure::{
    arrangements, attendance, investigation, meeting_changes, review, triage,
};
use crate::graphql::case::{CasePayload, payload};
use crate::graphql::context::{CtxExt, GqlResult};
use crate::graphql::enums::{Audience, EvidenceKind, Finding, StaffRole, StatementKind};
use crate::graphql::transaction::in_tx;

#[derive(Default)]
pub struct InvestigationMutation;

#[Object]
impl InvestigationMutation {
    /// The conduct team classifies the alleged breaches (the highest wins; no
    /// appeal), routes the case by policy and refers it to the Cause for
    /// Concern group (R-TRI-1…3). REPORT_RECEIVED → TRIAGE; may be repeated
    /// during triage.
    async fn triage_case(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The case to triage.")] case_id: Uuid,
        #[graphql(desc = "The case's `version` as you read it.")] expected_version: i32,
        #[graphql(desc = "Each alleged breach with its level.")] alleged_breaches: Vec<
            AllegedBreachInput,
        >,
    ) -> GqlResult<CasePayload> {
        let policy = ctx.state().policies.clone();
        let breaches = alleged_breaches
            .into_iter()
            .map(|b| (b.description, b.level.into(), b.kind))
            .collect();
        in_tx(ctx, async |viewer, tx| {
            triage::triage(viewer, tx, &policy, case_id, breaches, expected_version).await
        })
        .await?;
        payload(ctx, case_id).await
    }

    /// The conduct team assigns an INVESTIGATOR (one or two, R-INV-1), a
    /// DECISION_MAKER (R-IND-3) or an APPEAL_REVIEWER (R-IND-4), none with
    /// previous involvement. Panels are convened with `convenePanel`.
    async fn assign_staff(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The case.")] case_id: Uuid,
        #[graphql(desc = "The member of staff, who must hold `role`.")] person_id: Uuid,
        #[graphql(desc = "INVESTIGATOR, DECISION_MAKER or APPEAL_REVIEWER.")] role: StaffRole,
    ) -> GqlResult<CasePayload> {
        in_tx(ctx, async |viewer, tx| {
            triage::assign(viewer, tx, case_id, person_id, role.into()).await
        })
        .await?;
        payload(ctx, case_id).await
    }

    /// TRIAGE → INVESTIGATION: needs the reporting party's agreement that the
    /// responding party may be told (R-REP-2) and an investigator (R-INV-1);
    /// sets the target completion date.
    async fn start_investigation(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The case.")] case_id: Uuid,
        #[graphql(desc = "The case's `version` as you read it.")] expected_version: i32,
    ) -> GqlResult<CasePayload> {
        let policy = ctx.state().policies.clone();
        in_tx(ctx, async |viewer, tx| {
            triage::start_investigation(viewer, tx, &policy, case_id, expected_version).await
        })
        .await?;
        payload(ctx, case_id).await
    }

    /// An assigned investigator arranges a meeting with one party, with the
    /// policy's notice unless the invitee agreed to less (R-INV-2); for the
    /// responding party, sets their written-response deadline.
    async fn schedule_meeting(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The case, under investigation.")] case_id: Uuid,
        #[graphql(desc = "The party invited.")] party_id: Uuid,
        #[graphql(desc = "When the meeting takes place.")] scheduled_at: DateTime<Utc>,
        #[graphql(default, desc = "The invitee agreed to less than the policy's notice.")]
        agreed_shorter_notice: bool,
        #[graphql(
            desc = "Where it takes place (a room, or \"online\" with how to join); \
                          the invitation letter says it will be confirmed if not given."
        )]
        location: Option<String>,
    ) -> GqlResult<CasePayload> {
        let policy = ctx.state().policies.clone();
        in_tx(ctx, async |viewer, tx| {
            investigation::schedule_meeting(
                viewer,
                tx,
                &policy,
                investigation::NewMeeting {
                    case_id,
                    party_id,
                    at: scheduled_at,
                    agreed_shorter_notice,
                    location,
                },
            )
            .await
        })
        .await?;
        payload(ctx, case_id).await
    }

    /// An assigned investigator moves a meeting not yet held: R-INV-2's notice
    /// applies to the new date unless the invitee agreed to less, and the
    /// responding party's written response date moves with it. The invitee
    /// gets a new invitation that replaces the first.
    async fn reschedule_meeting(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The meeting.")] meeting_id: Uuid,
        #[graphql(desc = "Its new date and time.")] scheduled_at: DateTime<Utc>,
        #[graphql(default, desc = "The invitee agreed to less than the policy's notice.")]
        agreed_shorter_notice: bool,
        #[graphql(desc = "Where it now takes place (the same place if not given).")]
        location: Option<String>,
    ) -> GqlResult<CasePayload> {
        let policy = ctx.state().policies.clone();
        let row = in_tx(ctx, async |viewer, tx| {
            let change = meeting_changes::MeetingMove {
                at: scheduled_at,
                location,
                agreed_shorter_notice,
            };
            meeting_changes::reschedule(viewer, tx, &policy, meeting_id, change).await
        })
        .await?;
        payload(ctx, row.case_id).await
    }

    /// An assigned investigator calls off a meeting not yet held, saying why;
    /// the invitee is told it will not take place and any written-response
    /// deadline it set is cancelled.
    async fn cancel_meeting(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The meeting.")] meeting_id: Uuid,
        #[graphql(
            desc = "Why it is called off: on the timeline, for the procedure and the invitee's side; not in the letter."
        )]
        reason: String,
    ) -> GqlResult<CasePayload> {
        let policy = ctx.state().policies.clone();
        let row = in_tx(ctx, async |viewer, tx| {
            meeting_changes::cancel(viewer, tx, &policy, meeting_id, reason).await
        })
        .await?;
        payload(ctx, row.case_id).await
    }

    /// Who accompanies the invitee and the reasonable adjustments agreed for
    /// an investigation meeting (R-INV-8), replacing any recorded before: set
    /// by the invitee, their case worker or the investigator until the meeting
    /// is held. A legal representative may not accompany (RULE_VIOLATION).
    async fn set_meeting_arrangements(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The meeting.")] meeting_id: Uuid,
        #[graphql(desc = "Who accompanies the invitee; omit for nobody.")] companion: Option<
            MeetingCompanionInput,
        >,
        #[graphql(
            desc = "Short descriptions of the adjustments (\"a female interviewer\", \"breaks every 30 minutes\"); at most 10.",
            default
        )]
        adjustments: Vec<String>,
    ) -> GqlResult<CasePayload> {
        let arrangements = arrangements::Arrangements {
            companion: companion.map(|c| arrangements::Companion {
                name: c.name,
                role: c.role.into(),
            }),
            adjustments,
        };
        let row = in_tx(ctx, async |viewer, tx| {
            arrangements::set(viewer, tx, meeting_id, arrangements).await
        })
        .await?;
        payload(ctx, row.case_id).await
    }

    /// An assigned investigator records, once the meeting has taken place,
    /// whether the invitee attended (on the timeline of their side).
    async fn record_meeting_attendance(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The meeting.")] meeting_id: Uuid,
        #[graphql(desc = "True if they attended.")] attended: bool,
    ) -> GqlResult<CasePayload> {
        let row = in_tx(ctx, async |viewer, tx| {
            attendance::at_meeting(viewer, tx, meeting_id, attended).await
        })
        .await?;
        payload(ctx, row.case_id).await
    }

    /// An assigned investigator records that a meeting was held and where its
    /// recording is kept (R-INV-4).
    async fn add_recording(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The meeting recorded.")] meeting_id: Uuid,
        #[graphql(desc = "Where the recording is kept (never the recording itself).")]
        location: String,
    ) -> GqlResult<CasePayload> {
        let row = in_tx(ctx, async |viewer, tx| {
            investigation::add_recording(viewer, tx, meeting_id, location).await
        })
        .await?;
        payload(ctx, row.case_id).await
    }

    /// An investigator adds evidence, choosing who it is shared with; or a
    /// reporting or responding party submits evidence, shared by the policy
    /// default (R-INV-3). At the hearing stage it is evidence for the hearing:
    /// given later than the policy's `hearing_evidence_before` working days
    /// before it, it waits for a panel member to admit it (R-HEA-6).
    async fn add_evidence(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The case.")] case_id: Uuid,
        #[graphql(desc = "What kind of evidence.")] kind: EvidenceKind,
        #[graphql(desc = "What it is and where it is kept.")] description: String,
        #[graphql(
            desc = "Investigators only: who it is shared with (default: both parties and the case officer)."
        )]
        shared_with: Option<Vec<Audience>>,
    ) -> GqlResult<CasePayload> {
        let audience = shared_with.map(|a| a.into_iter().map(Into::into).collect());
        let policies = ctx.state().policies.clone();
        in_tx(ctx, async |viewer, tx| {
            investigation::add_evidence(
                viewer,
                tx,
                &policies,
                case_id,
                kind.into(),
                description,
                audience,
            )
            .await
        })
        .await?;
        payload(ctx, case_id).await
    }

    /// An investigator records a statement; or the responding party submits
    /// their written response (R-INV-2), which meets their deadline.
    async fn add_statement(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The case, under investigation.")] case_id: Uuid,
        #[graphql(desc = "Investigators: whose statement it is.")] party_id: Option<Uuid>,
        #[graphql(desc = "What kind of statement.")] kind: StatementKind,
        #[graphql(desc = "The statement.")] body: String,
        #[graphql(
            desc = "Investigators: share with both principal parties (default: witness statements only)."
        )]
        shared_with_parties: Option<bool>,
    ) -> GqlResult<CasePayload> {
        in_tx(ctx, async |viewer, tx| {
            investigation::add_statement(
                viewer,
                tx,
                case_id,
                party_id,
                kind.into(),
                body,
                shared_with_parties,
            )
            .await
        })
        .await?;
        payload(ctx, case_id).await
    }

    /// The conduct team records a conviction or caution on the same facts:
    /// conclusive evidence, straight to DECISION with a breach finding (R-INV-5).
    async fn record_conviction(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The case.")] case_id: Uuid,
        #[graphql(desc = "The conviction or caution, as recorded.")] details: String,
        #[graphql(desc = "The case's `version` as you read it.")] expected_version: i32,
    ) -> GqlResult<CasePayload> {
        in_tx(ctx, async |viewer, tx| {
            investigation::record_conviction(viewer, tx, case_id, details, expected_version).await
        })
        .await?;
        payload(ctx, case_id).await
    }

    /// An assigned investigator issues the investigation report (R-INV-7):
    /// INVESTIGATION → DECISION; each principal party may ask for a review
    /// within the policy's window (R-IRV-1).
    async fn issue_investigation_report(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The case.")] case_id: Uuid,
        #[graphql(desc = "The finding on the balance of probabilities.")] finding: Finding,
        #[graphql(desc = "The investigator's summary.")] summary: String,
        #[graphql(desc = "The investigator's recommendations.")] recommendations: String,
        #[graphql(desc = "The case's `version` as you read it.")] expected_version: i32,
    ) -> GqlResult<CasePayload> {
        let policy = ctx.state().policies.clone();
        in_tx(ctx, async |viewer, tx| {
            investigation::issue_report(
                viewer,
                tx,
                &policy,
                case_id,
                finding.into(),
                summary,
                recommendations,
                expected_version,
            )
            .await
        })
        .await?;
        payload(ctx, case_id).await
    }

    /// A reporting or responding party asks for an investigation review on
    /// procedural grounds, within the window after the report (R-IRV-1).
    async fn request_investigation_review(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Your case.")] case_id: Uuid,
        #[graphql(desc = "The procedural grounds, not dissatisfaction with the outcome.")]
        grounds: String,
    ) -> GqlResult<CasePayload> {
        in_tx(ctx, async |viewer, tx| {
            review::request_review(viewer, tx, case_id, grounds).await
        })
        .await?;
        payload(ctx, case_id).await
    }

    /// The conduct team accepts a review request, naming an investigator with
    /// no prior involvement (R-IND-4), or refuses it with reasons (R-IRV-1).
    async fn decide_investigation_review(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The review request.")] request_id: Uuid,
        #[graphql(desc = "True to accept, false to refuse.")] accept: bool,
        #[graphql(desc = "The reasons, given to the party.")] reasons: String,
        #[graphql(desc = "When accepting: the investigator who reviews.")] reviewer_id: Option<
            Uuid,
        >,
    ) -> GqlResult<CasePayload> {
        let policy = ctx.state().policies.clone();
        let row = in_tx(ctx, async |viewer, tx| {
            let decision = review::ReviewDecision {
                accept,
                reasons,
                reviewer: reviewer_id,
            };
            review::decide_review(viewer, tx, &policy, request_id, decision).await
        })
        .await?;
        payload(ctx, row.case_id).await
    }

    /// The reviewing investigator records the review's outcome; a substantive
    /// change opens a further review window for both parties (R-IRV-1).
    async fn complete_investigation_review(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The accepted review request.")] request_id: Uuid,
        #[graphql(desc = "The review's outcome.")] outcome: String,
        #[graphql(desc = "The findings changed substantively.")] substantive_change: bool,
    ) -> GqlResult<CasePayload> {
        let policy = ctx.state().policies.clone();
        let row = in_tx(ctx, async |viewer, tx| {
            review::complete_review(viewer, tx, &policy, request_id, outcome, substantive_change)
                .await
        })
        .await?;
        payload(ctx, row.case_id).await
    }
}
