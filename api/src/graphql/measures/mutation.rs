//! Risk assessment and measure mutations (R-MEA-1…7): each one transaction,
//! each answering with the measure as the caller may now see it.

use async_graphql::{Context, InputObject, Object, SimpleObject};
use chrono::NaiveDate;
use entity::measure;
use uuid::Uuid;

use super::{Measure, visible_measures};
use crate::domain::measures::{self, Approval, NewMeasure, Review};
use crate::domain::risk_assessments::{self, Impact, NewRiskAssessment};
use crate::domain::{case_store, cfc_referral};
use crate::error::Error;
use crate::graphql::case::{CasePayload, payload};
use crate::graphql::context::{CtxExt, GqlResult, OrGql, to_gql};
use crate::graphql::enums::{MeasureKind, ReviewDecision, RiskLevel};
use crate::graphql::transaction::in_tx;

/// The impact on one person involved.
#[derive(InputObject)]
pub struct ImpactInput {
    /// The party concerned.
    party_id: Uuid,
    /// The impact on their health, safety and wellbeing.
    impact: String,
}

/// A risk assessment (R-MEA-1).
#[derive(InputObject)]
pub struct RiskAssessmentInput {
    /// The case, which must have a formal report.
    case_id: Uuid,
    /// The day of the assessment; defaults to today, never in the future.
    assessed_on: Option<NaiveDate>,
    /// The nature of the incident.
    nature_of_incident: String,
    /// The impact on each person involved (at least one).
    impacts: Vec<ImpactInput>,
    /// The risk to the university as an organisation.
    organisational_risk: String,
    /// The overall level of risk.
    risk_level: RiskLevel,
    /// Significant, imminent risk: allows measures without the reporting
    /// party's consent (R-MEA-6).
    #[graphql(default)]
    significant_imminent_risk: bool,
    /// Who took part (names and roles).
    participants: Vec<String>,
}

/// A precautionary measure to recommend (R-MEA-2).
#[derive(InputObject)]
pub struct MeasureInput {
    /// The case, which must have a formal report.
    case_id: Uuid,
    /// What kind of measure.
    kind: MeasureKind,
    /// Parties the measure binds.
    subject_party_ids: Vec<Uuid>,
    /// For a no-contact order: parties the subjects must not contact.
    #[graphql(default)]
    protected_party_ids: Vec<Uuid>,
    /// A no-contact order binding both sides: the protected parties are bound too.
    #[graphql(default)]
    mutual: bool,
    /// For an exclusion: sites, buildings or activities.
    #[graphql(default)]
    sites: Vec<String>,
    /// What the measure requires, in words.
    #[graphql(default)]
    details: String,
    /// The day it starts.
    starts_on: NaiveDate,
    /// The day it ends, if it has an end.
    ends_on: Option<NaiveDate>,
    /// R-MEA-6: false requires a risk assessment recording significant, imminent risk.
    reporting_party_consent: bool,
}

/// The approval a precautionary suspension needs (policy
/// `approvals.precautionary_suspension`, R-MEA-3).
#[derive(InputObject)]
pub struct ApprovalInput {
    /// Who approved, e.g. "Vice-Chancellor (Prof. A. Smith)".
    approved_by: String,
    /// When, never in the future.
    approved_on: NaiveDate,
}

/// A decision maker's review of a measure (R-MEA-5).
#[derive(InputObject)]
pub struct ReviewMeasureInput {
    /// The measure reviewed.
    measure_id: Uuid,
    /// The measure's `version` as you read it.
    expected_version: i32,
    /// What the review decides.
    decision: ReviewDecision,
    /// The reasons, recorded in the measure's history.
    reason: String,
    /// For AMEND or AUGMENT: the measure's new wording.
    details: Option<String>,
    /// For AMEND or AUGMENT: the new list of sites.
    sites: Option<Vec<String>>,
    /// A new end date.
    ends_on: Option<NaiveDate>,
    /// The next review; defaults to the policy's review interval.
    next_review_on: Option<NaiveDate>,
}

/// A measure after a change.
#[derive(SimpleObject)]
pub struct MeasurePayload {
    /// The measure changed.
    measure_id: Uuid,
    /// Its new version, for the next `expectedVersion`.
    version: i32,
    /// The measure as you may see it.
    measure: Option<Measure>,
}

async fn measure_payload(ctx: &Context<'_>, m: measure::Model) -> GqlResult<MeasurePayload> {
    let viewer = ctx.viewer()?;
    let bundle = case_store::load(&ctx.state().db, m.case_id)
        .await
        .gql()?
        .ok_or_else(|| to_gql(Error::NotFound("case")))?;
    let scope = crate::graphql::case::scoped(viewer, bundle);
    let visible = visible_measures(ctx, &scope)
        .await?
        .into_iter()
        .any(|x| x.m.id == m.id);
    Ok(MeasurePayload {
        measure_id: m.id,
        version: m.version,
        measure: visible.then_some(Measure { m, scope }),
    })
}

#[derive(Default)]
pub struct MeasureMutation;

#[Object]
impl MeasureMutation {
    /// Refers a case to the Cause for Concern group before triage because
    /// someone's safety or wellbeing is at urgent risk (R-TRI-3; triage refers
    /// every conduct case anyway). The conduct team or a party's case worker;
    /// the reason is kept and the referral logged with who made it. From now
    /// on the group's members see the case, its risk assessments and measures.
    async fn refer_to_cause_for_concern(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The case.")] case_id: Uuid,
        #[graphql(desc = "The case's `version` as you read it.")] expected_version: i32,
        #[graphql(desc = "The urgent risk, for the group.")] urgent_reason: String,
    ) -> GqlResult<CasePayload> {
        in_tx(ctx, async |viewer, tx| {
            cfc_referral::refer_for_urgent_risk(
                viewer,
                tx,
                case_id,
                expected_version,
                &urgent_reason,
            )
            .await
        })
        .await?;
        payload(ctx, case_id).await
    }

    /// Records a risk assessment (R-MEA-1): the CfC group or the conduct team.
    /// Answers with the assessment's id.
    async fn record_risk_assessment(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The assessment.")] input: RiskAssessmentInput,
    ) -> GqlResult<Uuid> {
        let assessment = NewRiskAssessment {
            assessed_on: input.assessed_on,
            nature_of_incident: input.nature_of_incident,
            impacts: input
                .impacts
                .into_iter()
                .map(|i| Impact {
                    party_id: i.party_id,
                    impact: i.impact,
                })
                .collect(),
            organisational_risk: input.organisational_risk,
            risk_level: input.risk_level.into(),
            significant_imminent_risk: input.significant_imminent_risk,
            participants: input.participants,
        };
        let row = in_tx(ctx, async |viewer, tx| {
            risk_assessments::record_risk_assessment(viewer, tx, input.case_id, assessment).await
        })
        .await?;
        Ok(row.id)
    }

    /// The CfC group recommends a precautionary measure (R-MEA-2, R-MEA-3);
    /// without the reporting party's consent only on a recorded significant,
    /// imminent risk (R-MEA-6).
    async fn recommend_measure(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The measure.")] input: MeasureInput,
    ) -> GqlResult<MeasurePayload> {
        let policy = &ctx.state().policies;
        let case_id = input.case_id;
        let measure = NewMeasure {
            kind: input.kind.into(),
            subjects: input.subject_party_ids,
            protected_parties: input.protected_party_ids,
            mutual: input.mutual,
            sites: input.sites,
            details: input.details,
            starts_on: input.starts_on,
            ends_on: input.ends_on,
            reporting_party_consent: input.reporting_party_consent,
        };
        let changed = in_tx(ctx, async |viewer, tx| {
            measures::recommend(viewer, tx, policy, case_id, measure).await
        })
        .await?;
        measure_payload(ctx, changed).await
    }

    /// A decision maker authorises a recommended measure (R-MEA-3); a
    /// suspension also records the approval the policy requires.
    async fn authorise_measure(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The recommended measure.")] measure_id: Uuid,
        #[graphql(desc = "The measure's `version` as you read it.")] expected_version: i32,
        #[graphql(desc = "For a suspension: the approval the policy names.")] approval: Option<
            ApprovalInput,
        >,
    ) -> GqlResult<MeasurePayload> {
        let approval = approval.map(|a| Approval {
            approved_by: a.approved_by,
            approved_on: a.approved_on,
        });
        let policy = &ctx.state().policies;
        let changed = in_tx(ctx, async |viewer, tx| {
            measures::authorise(viewer, tx, policy, measure_id, approval, expected_version).await
        })
        .await?;
        measure_payload(ctx, changed).await
    }

    /// A decision maker or the conduct team brings an authorised measure into
    /// force, on or after its start date; its subjects (and the reporting
    /// party, for a measure on the responding party) are told (R-MEA-7).
    async fn bring_measure_into_force(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The authorised measure.")] measure_id: Uuid,
        #[graphql(desc = "The measure's `version` as you read it.")] expected_version: i32,
    ) -> GqlResult<MeasurePayload> {
        let policy = &ctx.state().policies;
        let changed = in_tx(ctx, async |viewer, tx| {
            measures::bring_into_force(viewer, tx, policy, measure_id, expected_version).await
        })
        .await?;
        measure_payload(ctx, changed).await
    }

    /// The subject (or their case worker) asks for an earlier review on a
    /// material change of circumstances (R-MEA-4); the review comes forward.
    async fn request_measure_review(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The measure on you.")] measure_id: Uuid,
        #[graphql(desc = "What has changed.")] material_change: String,
        #[graphql(desc = "The measure's `version` as you read it.")] expected_version: i32,
    ) -> GqlResult<MeasurePayload> {
        let policy = &ctx.state().policies;
        let changed = in_tx(ctx, async |viewer, tx| {
            measures::request_early_review(
                viewer,
                tx,
                policy,
                measure_id,
                material_change,
                expected_version,
            )
            .await
        })
        .await?;
        measure_payload(ctx, changed).await
    }

    /// The CfC group or the conduct team records non-compliance; the review
    /// comes forward (R-MEA-4).
    async fn record_measure_non_compliance(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The measure.")] measure_id: Uuid,
        #[graphql(desc = "What happened.")] details: String,
        #[graphql(desc = "The measure's `version` as you read it.")] expected_version: i32,
    ) -> GqlResult<MeasurePayload> {
        let policy = &ctx.state().policies;
        let changed = in_tx(ctx, async |viewer, tx| {
            measures::record_non_compliance(
                viewer,
                tx,
                policy,
                measure_id,
                details,
                expected_version,
            )
            .await
        })
        .await?;
        measure_payload(ctx, changed).await
    }

    /// The subject (or their case worker) makes written representations about
    /// a measure (R-MEA-5).
    async fn submit_measure_representations(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The measure on you.")] measure_id: Uuid,
        #[graphql(desc = "Your representations.")] representations: String,
        #[graphql(desc = "The measure's `version` as you read it.")] expected_version: i32,
    ) -> GqlResult<MeasurePayload> {
        let policy = &ctx.state().policies;
        let changed = in_tx(ctx, async |viewer, tx| {
            measures::submit_representations(
                viewer,
                tx,
                policy,
                measure_id,
                representations,
                expected_version,
            )
            .await
        })
        .await?;
        measure_payload(ctx, changed).await
    }

    /// A decision maker reviews a measure: continue, amend, augment or
    /// withdraw (R-MEA-5); the next review is set.
    async fn review_measure(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The review.")] input: ReviewMeasureInput,
    ) -> GqlResult<MeasurePayload> {
        let review = Review {
            decision: input.decision.into(),
            reason: input.reason,
            details: input.details,
            sites: input.sites,
            ends_on: input.ends_on,
            next_review_on: input.next_review_on,
        };
        let policy = &ctx.state().policies;
        let (measure_id, expected_version) = (input.measure_id, input.expected_version);
        let changed = in_tx(ctx, async |viewer, tx| {
            measures::review(viewer, tx, policy, measure_id, review, expected_version).await
        })
        .await?;
        measure_payload(ctx, changed).await
    }
}
