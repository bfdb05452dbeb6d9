//! The procedure's mutations: thin wrappers over `domain::procedure`, each one
//! transaction, each answering with the case as the caller may see it.

use async_graphql::{Context, Enum, InputObject, Object};
use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use crate::domain::procedure::{
    appeals, hearings, investigation, outcome, review, sanctions, triage,
};
use crate::graphql::context::{CtxExt, GqlResult};
use crate::graphql::enums::*;
use crate::graphql::mutation::{CasePayload, payload};
use crate::graphql::transaction::in_tx;

#[derive(InputObject)]
pub struct AllegedBreachInput {
    description: String,
    level: Classification,
}

#[derive(InputObject, Clone)]
pub struct SanctionInput {
    party_id: Uuid,
    /// A sanction named in the policy, e.g. FORMAL_WRITTEN_WARNING, FINE, EXPULSION.
    kind: String,
    amount_pence: Option<u32>,
    ends_on: Option<NaiveDate>,
    /// R-SAN-2.
    justification: String,
    /// R-SAN-2: why lesser sanctions are not appropriate.
    why_not_lesser: String,
}

fn sanctions(input: Vec<SanctionInput>) -> Vec<sanctions::NewSanction> {
    input
        .into_iter()
        .map(|s| sanctions::NewSanction {
            party_id: s.party_id,
            kind: s.kind,
            amount_pence: s.amount_pence,
            ends_on: s.ends_on,
            justification: s.justification,
            why_not_lesser: s.why_not_lesser,
        })
        .collect()
}

#[derive(InputObject)]
pub struct InformalJudgementInput {
    safeguarding: String,
    risk_to_victim: String,
    risk_to_community: String,
    could_be_criminal_offence: bool,
}

#[derive(InputObject)]
pub struct DecisionInput {
    case_id: Uuid,
    expected_version: i32,
    option: DecisionOption,
    reasons: String,
    /// R-INF-1, for INFORMAL_RESOLUTION.
    informal_judgement: Option<InformalJudgementInput>,
    /// For SANCTION: what the decision maker imposes (R-SAN-1).
    #[graphql(default)]
    sanctions: Vec<SanctionInput>,
}

#[derive(InputObject)]
pub struct SummonsInput {
    case_id: Uuid,
    scheduled_at: DateTime<Utc>,
    location: String,
    alleged_breaches: String,
    penalty_range: String,
    proposed_penalty: String,
    #[graphql(default)]
    joint_case_ids: Vec<Uuid>,
}

#[derive(InputObject)]
pub struct VoteInput {
    member_id: Uuid,
    breach: bool,
}

#[derive(InputObject)]
pub struct HearingDecisionInput {
    hearing_id: Uuid,
    expected_version: i32,
    votes: Vec<VoteInput>,
    reasons: String,
    #[graphql(default)]
    sanctions: Vec<SanctionInput>,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum AppealReviewDecision {
    /// No grounds: Completion of Procedures.
    Reject,
    /// Correct the sanction or the irregularity.
    Correct,
    ReferToPanel,
}

#[derive(InputObject)]
pub struct AppealReviewInput {
    appeal_id: Uuid,
    expected_version: i32,
    decision: AppealReviewDecision,
    reasons: String,
    #[graphql(default)]
    corrected_sanctions: Vec<SanctionInput>,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum AppealPanelOutcome {
    Uphold,
    Substitute,
    DismissCase,
}

#[derive(InputObject)]
pub struct AppealVoteInput {
    member_id: Uuid,
    outcome: AppealPanelOutcome,
}

#[derive(InputObject)]
pub struct AppealDecisionInput {
    appeal_id: Uuid,
    expected_version: i32,
    votes: Vec<AppealVoteInput>,
    reasons: String,
    #[graphql(default)]
    substitute_sanctions: Vec<SanctionInput>,
}

#[derive(Default)]
pub struct ProcedureMutation;

#[Object]
impl ProcedureMutation {
    /// Classifies the alleged breaches (highest wins, no appeal), routes by policy
    /// and refers to the Cause for Concern group (R-TRI-1…3).
    async fn triage_case(
        &self,
        ctx: &Context<'_>,
        case_id: Uuid,
        expected_version: i32,
        alleged_breaches: Vec<AllegedBreachInput>,
    ) -> GqlResult<CasePayload> {
        let policy = ctx.state().policy.clone();
        let breaches = alleged_breaches
            .into_iter()
            .map(|b| (b.description, b.level.into()))
            .collect();
        in_tx(ctx, async |viewer, tx| {
            triage::triage(viewer, tx, &policy, case_id, breaches, expected_version).await
        })
        .await?;
        payload(ctx, case_id).await
    }

    /// Assigns an INVESTIGATOR (one or two), DECISION_MAKER or APPEAL_REVIEWER (R-IND-3, R-IND-4).
    async fn assign_staff(
        &self,
        ctx: &Context<'_>,
        case_id: Uuid,
        person_id: Uuid,
        role: StaffRole,
    ) -> GqlResult<CasePayload> {
        in_tx(ctx, async |viewer, tx| {
            triage::assign(viewer, tx, case_id, person_id, role.into()).await
        })
        .await?;
        payload(ctx, case_id).await
    }

    /// TRIAGE → INVESTIGATION (R-REP-2, R-INV-1).
    async fn start_investigation(
        &self,
        ctx: &Context<'_>,
        case_id: Uuid,
        expected_version: i32,
    ) -> GqlResult<CasePayload> {
        let policy = ctx.state().policy.clone();
        in_tx(ctx, async |viewer, tx| {
            triage::start_investigation(viewer, tx, &policy, case_id, expected_version).await
        })
        .await?;
        payload(ctx, case_id).await
    }

    /// An investigation meeting with notice (R-INV-2).
    async fn schedule_meeting(
        &self,
        ctx: &Context<'_>,
        case_id: Uuid,
        party_id: Uuid,
        scheduled_at: DateTime<Utc>,
        #[graphql(default)] agreed_shorter_notice: bool,
    ) -> GqlResult<CasePayload> {
        let policy = ctx.state().policy.clone();
        in_tx(ctx, async |viewer, tx| {
            investigation::schedule_meeting(
                viewer,
                tx,
                &policy,
                case_id,
                party_id,
                scheduled_at,
                agreed_shorter_notice,
            )
            .await
        })
        .await?;
        payload(ctx, case_id).await
    }

    /// Records that a meeting was held and where its recording is kept (R-INV-4).
    async fn add_recording(
        &self,
        ctx: &Context<'_>,
        meeting_id: Uuid,
        location: String,
    ) -> GqlResult<CasePayload> {
        let row = in_tx(ctx, async |viewer, tx| {
            investigation::add_recording(viewer, tx, meeting_id, location).await
        })
        .await?;
        payload(ctx, row.case_id).await
    }

    /// Adds evidence (investigators), or submits it (a reporting or responding party). R-INV-3.
    async fn add_evidence(
        &self,
        ctx: &Context<'_>,
        case_id: Uuid,
        kind: EvidenceKind,
        description: String,
        shared_with: Option<Vec<Audience>>,
    ) -> GqlResult<CasePayload> {
        let audience = shared_with.map(|a| a.into_iter().map(Into::into).collect());
        in_tx(ctx, async |viewer, tx| {
            investigation::add_evidence(viewer, tx, case_id, kind.into(), description, audience)
                .await
        })
        .await?;
        payload(ctx, case_id).await
    }

    /// A statement taken by an investigator, or the responding party's written response.
    async fn add_statement(
        &self,
        ctx: &Context<'_>,
        case_id: Uuid,
        party_id: Option<Uuid>,
        kind: StatementKind,
        body: String,
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

    /// A conviction or caution: straight to the formal stage (R-INV-5).
    async fn record_conviction(
        &self,
        ctx: &Context<'_>,
        case_id: Uuid,
        details: String,
        expected_version: i32,
    ) -> GqlResult<CasePayload> {
        in_tx(ctx, async |viewer, tx| {
            investigation::record_conviction(viewer, tx, case_id, details, expected_version).await
        })
        .await?;
        payload(ctx, case_id).await
    }

    /// The investigation report (R-INV-7); INVESTIGATION → DECISION.
    async fn issue_investigation_report(
        &self,
        ctx: &Context<'_>,
        case_id: Uuid,
        finding: Finding,
        summary: String,
        recommendations: String,
        expected_version: i32,
    ) -> GqlResult<CasePayload> {
        let policy = ctx.state().policy.clone();
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

    /// A principal party asks for an investigation review (R-IRV-1).
    async fn request_investigation_review(
        &self,
        ctx: &Context<'_>,
        case_id: Uuid,
        grounds: String,
    ) -> GqlResult<CasePayload> {
        in_tx(ctx, async |viewer, tx| {
            review::request_review(viewer, tx, case_id, grounds).await
        })
        .await?;
        payload(ctx, case_id).await
    }

    /// Accepts (with an uninvolved reviewer, R-IND-4) or refuses with reasons.
    async fn decide_investigation_review(
        &self,
        ctx: &Context<'_>,
        request_id: Uuid,
        accept: bool,
        reasons: String,
        reviewer_id: Option<Uuid>,
    ) -> GqlResult<CasePayload> {
        let row = in_tx(ctx, async |viewer, tx| {
            review::decide_review(viewer, tx, request_id, accept, reasons, reviewer_id).await
        })
        .await?;
        payload(ctx, row.case_id).await
    }

    async fn complete_investigation_review(
        &self,
        ctx: &Context<'_>,
        request_id: Uuid,
        outcome: String,
        substantive_change: bool,
    ) -> GqlResult<CasePayload> {
        let policy = ctx.state().policy.clone();
        let row = in_tx(ctx, async |viewer, tx| {
            review::complete_review(viewer, tx, &policy, request_id, outcome, substantive_change)
                .await
        })
        .await?;
        payload(ctx, row.case_id).await
    }

    /// The reporting party's express consent to informal resolution (R-INF-1).
    async fn consent_to_informal_resolution(
        &self,
        ctx: &Context<'_>,
        case_id: Uuid,
    ) -> GqlResult<CasePayload> {
        in_tx(ctx, async |viewer, tx| {
            triage::consent_to_informal_resolution(viewer, tx, case_id).await
        })
        .await?;
        payload(ctx, case_id).await
    }

    /// R-DEC-1: dismiss, sanction, refer to a panel, informal resolution, advice.
    async fn record_decision(
        &self,
        ctx: &Context<'_>,
        input: DecisionInput,
    ) -> GqlResult<CasePayload> {
        let policy = ctx.state().policy.clone();
        let case_id = input.case_id;
        let decision = triage::NewDecision {
            option: input.option.into(),
            reasons: input.reasons,
            informal: input.informal_judgement.map(|j| triage::InformalJudgement {
                safeguarding: j.safeguarding,
                risk_to_victim: j.risk_to_victim,
                risk_to_community: j.risk_to_community,
                could_be_criminal_offence: j.could_be_criminal_offence,
            }),
            sanctions: sanctions(input.sanctions),
        };
        in_tx(ctx, async |viewer, tx| {
            triage::decide(
                viewer,
                tx,
                &policy,
                case_id,
                decision,
                input.expected_version,
            )
            .await
        })
        .await?;
        payload(ctx, case_id).await
    }

    async fn complete_informal_resolution(
        &self,
        ctx: &Context<'_>,
        case_id: Uuid,
        outcome: String,
        expected_version: i32,
    ) -> GqlResult<CasePayload> {
        in_tx(ctx, async |viewer, tx| {
            triage::complete_informal_resolution(viewer, tx, case_id, outcome, expected_version)
                .await
        })
        .await?;
        payload(ctx, case_id).await
    }

    /// Convenes a panel of three uninvolved members for the hearing (R-HEA-3) or an appeal (R-IND-4).
    async fn convene_panel(
        &self,
        ctx: &Context<'_>,
        case_id: Uuid,
        member_ids: Vec<Uuid>,
        #[graphql(default)] for_appeal: bool,
    ) -> GqlResult<CasePayload> {
        let rule = if for_appeal { "R-IND-4" } else { "R-IND-3" };
        in_tx(ctx, async |viewer, tx| {
            hearings::convene_panel(viewer, tx, case_id, member_ids, rule).await
        })
        .await?;
        payload(ctx, case_id).await
    }

    /// Sends the summons (R-HEA-1).
    async fn summon_to_hearing(
        &self,
        ctx: &Context<'_>,
        input: SummonsInput,
    ) -> GqlResult<CasePayload> {
        let policy = ctx.state().policy.clone();
        let case_id = input.case_id;
        let summons = hearings::NewSummons {
            scheduled_at: input.scheduled_at,
            location: input.location,
            alleged_breaches: input.alleged_breaches,
            penalty_range: input.penalty_range,
            proposed_penalty: input.proposed_penalty,
            joint_cases: input.joint_case_ids,
        };
        in_tx(ctx, async |viewer, tx| {
            hearings::summon(viewer, tx, &policy, case_id, summons).await
        })
        .await?;
        payload(ctx, case_id).await
    }

    /// The student's response to a summons (R-HEA-2).
    async fn respond_to_summons(
        &self,
        ctx: &Context<'_>,
        hearing_id: Uuid,
        response: HearingResponse,
        companion: Option<String>,
    ) -> GqlResult<CasePayload> {
        let row = in_tx(ctx, async |viewer, tx| {
            hearings::respond(viewer, tx, hearing_id, response.into(), companion).await
        })
        .await?;
        payload(ctx, row.case_id).await
    }

    /// The panel's majority decision (R-HEA-3, R-HEA-4).
    async fn record_hearing_decision(
        &self,
        ctx: &Context<'_>,
        input: HearingDecisionInput,
    ) -> GqlResult<CasePayload> {
        let policy = ctx.state().policy.clone();
        let votes = input
            .votes
            .into_iter()
            .map(|v| hearings::Vote {
                member: v.member_id,
                breach: v.breach,
            })
            .collect();
        let row = in_tx(ctx, async |viewer, tx| {
            hearings::decide(
                viewer,
                tx,
                &policy,
                input.hearing_id,
                votes,
                input.reasons,
                sanctions(input.sanctions),
                input.expected_version,
            )
            .await
        })
        .await?;
        payload(ctx, row.case_id).await
    }

    /// OUTCOME → CLOSED once the appeal window has passed unused (R-APP-1).
    async fn close_after_appeal_window(
        &self,
        ctx: &Context<'_>,
        case_id: Uuid,
        expected_version: i32,
    ) -> GqlResult<CasePayload> {
        in_tx(ctx, async |viewer, tx| {
            outcome::close_after_appeal_window(viewer, tx, case_id, expected_version).await
        })
        .await?;
        payload(ctx, case_id).await
    }

    /// The responding party appeals (R-APP-1, R-APP-2).
    async fn lodge_appeal(
        &self,
        ctx: &Context<'_>,
        case_id: Uuid,
        grounds: Vec<AppealGround>,
        statement: String,
    ) -> GqlResult<CasePayload> {
        let policy = ctx.state().policy.clone();
        let grounds = grounds.into_iter().map(Into::into).collect();
        in_tx(ctx, async |viewer, tx| {
            appeals::lodge(viewer, tx, &policy, case_id, grounds, statement).await
        })
        .await?;
        payload(ctx, case_id).await
    }

    /// The appeal reviewer's decision (R-APP-3).
    async fn review_appeal(
        &self,
        ctx: &Context<'_>,
        input: AppealReviewInput,
    ) -> GqlResult<CasePayload> {
        let policy = ctx.state().policy.clone();
        let outcome = match input.decision {
            AppealReviewDecision::Reject => appeals::ReviewOutcome::Reject,
            AppealReviewDecision::Correct => {
                appeals::ReviewOutcome::Correct(sanctions(input.corrected_sanctions))
            }
            AppealReviewDecision::ReferToPanel => appeals::ReviewOutcome::Refer,
        };
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

    /// The appeal panel's majority decision (R-APP-3).
    async fn decide_appeal(
        &self,
        ctx: &Context<'_>,
        input: AppealDecisionInput,
    ) -> GqlResult<CasePayload> {
        let policy = ctx.state().policy.clone();
        let votes = input
            .votes
            .into_iter()
            .map(|v| appeals::PanelVote {
                member: v.member_id,
                outcome: match v.outcome {
                    AppealPanelOutcome::Uphold => appeals::PanelOutcome::Uphold,
                    AppealPanelOutcome::Substitute => appeals::PanelOutcome::Substitute,
                    AppealPanelOutcome::DismissCase => appeals::PanelOutcome::DismissCase,
                },
            })
            .collect();
        let row = in_tx(ctx, async |viewer, tx| {
            appeals::decide(
                viewer,
                tx,
                &policy,
                input.appeal_id,
                votes,
                input.reasons,
                sanctions(input.substitute_sanctions),
                input.expected_version,
            )
            .await
        })
        .await?;
        payload(ctx, row.case_id).await
    }

    /// Records the approval a sanction awaits (policy `approvals`), after appeals.
    async fn approve_sanction(
        &self,
        ctx: &Context<'_>,
        sanction_id: Uuid,
        approved_by: String,
    ) -> GqlResult<CasePayload> {
        let row = in_tx(ctx, async |viewer, tx| {
            sanctions::approve_sanction(viewer, tx, sanction_id, approved_by).await
        })
        .await?;
        payload(ctx, row.case_id).await
    }

    /// How a party wants to be told of outcomes (R-OUT-1).
    async fn set_preferred_channel(
        &self,
        ctx: &Context<'_>,
        case_id: Uuid,
        party_id: Uuid,
        channel: PreferredChannel,
    ) -> GqlResult<CasePayload> {
        in_tx(ctx, async |viewer, tx| {
            {
                crate::domain::support::set_preferred_channel(
                    viewer,
                    tx,
                    case_id,
                    party_id,
                    channel.into(),
                )
            }
            .await
        })
        .await?;
        payload(ctx, case_id).await
    }

    /// A reporting party's request for an informal review (R-APP-4): recorded, never changes the outcome.
    async fn request_informal_review(
        &self,
        ctx: &Context<'_>,
        case_id: Uuid,
        request: String,
    ) -> GqlResult<CasePayload> {
        in_tx(ctx, async |viewer, tx| {
            appeals::request_informal_review(viewer, tx, case_id, request).await
        })
        .await?;
        payload(ctx, case_id).await
    }
}
