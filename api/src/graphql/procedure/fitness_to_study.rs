//! Fitness to study (R-FTS-1) as the procedure sees it, and its mutations.
//! Medical detail reaches only the roles the policy names, each read audited.

use async_graphql::{Context, Object, SimpleObject};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::domain::fitness_to_study;
use crate::domain::kinds;
use crate::graphql::case::{CasePayload, Scoped, payload};
use crate::graphql::context::{CtxExt, GqlResult, OrGql};
use crate::graphql::enums::HealthRecordKind;
use crate::graphql::transaction::in_tx;

/// One step of a fitness-to-study referral.
#[derive(SimpleObject)]
pub struct HealthRecord {
    /// Referral, occupational-health assessment, or the end on health grounds.
    kind: HealthRecordKind,
    /// When it was recorded.
    recorded_at: DateTime<Utc>,
    /// On a referral: resuming needs an occupational-health assessment.
    assessment_required: bool,
    /// The medical detail (or, at the end, the reasons): special-category
    /// data, null unless your role is one the policy names
    /// (`fitness_to_study.medical_detail_roles`). Reading it is audited.
    detail: Option<String>,
}

/// The case's fitness-to-study steps, oldest first: the staff running the
/// procedure; empty for anyone else.
pub async fn of_case(ctx: &Context<'_>, scope: &Scoped) -> GqlResult<Vec<HealthRecord>> {
    if !scope.rel.can_see_fitness_to_study() {
        return Ok(vec![]);
    }
    let state = ctx.state();
    let policy = state
        .policies
        .for_case(&state.db, &scope.bundle.case)
        .await
        .gql()?;
    let reads_detail = scope
        .rel
        .can_read_medical_detail(&policy.medical_detail_roles());
    // One query for every case of a list (a DataLoader), not one per case.
    let rows = ctx
        .data_unchecked::<async_graphql::dataloader::DataLoader<crate::graphql::loaders::Db>>()
        .load_one(crate::graphql::loaders::HealthRecordsOf(scope.case_id()))
        .await?
        .unwrap_or_default();
    if reads_detail && !rows.is_empty() {
        ctx.record_read("fitnessToStudy.detail", scope.case_id());
    }
    rows.into_iter()
        .map(|r| {
            Ok(HealthRecord {
                kind: kinds::HealthRecordKind::from_db(&r.kind).gql()?.into(),
                recorded_at: r.recorded_at,
                assessment_required: r.assessment_required,
                detail: reads_detail.then_some(r.detail),
            })
        })
        .collect()
}

#[derive(Default)]
pub struct FitnessToStudyMutation;

#[Object]
impl FitnessToStudyMutation {
    /// The conduct team refers the case to fitness to study (R-FTS-1): the
    /// procedure is adjourned for medical reports (a HEALTH pause: deadlines
    /// move, R-TIME-3), and may require an occupational-health assessment
    /// before it resumes. Only conduct officers in a role the policy lets read
    /// medical detail.
    async fn refer_to_fitness_to_study(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The case.")] case_id: Uuid,
        #[graphql(desc = "Why, medically (special-category data).")] medical_detail: String,
        #[graphql(
            default,
            desc = "Resuming needs an occupational-health assessment first."
        )]
        require_occupational_health_assessment: bool,
        #[graphql(desc = "The case's `version` as you read it.")] expected_version: i32,
    ) -> GqlResult<CasePayload> {
        let policies = &ctx.state().policies;
        in_tx(ctx, async |viewer, tx| {
            fitness_to_study::refer(
                viewer,
                tx,
                policies,
                case_id,
                &medical_detail,
                require_occupational_health_assessment,
                expected_version,
            )
            .await
        })
        .await?;
        payload(ctx, case_id).await
    }

    /// Records the occupational-health assessment a referral required
    /// (R-FTS-1); the case can then resume (`resumeCase`).
    async fn record_occupational_health_assessment(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The case.")] case_id: Uuid,
        #[graphql(desc = "The assessment's findings (special-category data).")]
        medical_detail: String,
    ) -> GqlResult<CasePayload> {
        let policies = &ctx.state().policies;
        in_tx(ctx, async |viewer, tx| {
            fitness_to_study::record_assessment(viewer, tx, policies, case_id, &medical_detail)
                .await
        })
        .await?;
        payload(ctx, case_id).await
    }

    /// Ends the proceedings on health grounds, with reasons (R-FTS-1): the
    /// adjourned case closes.
    async fn end_on_health_grounds(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The case.")] case_id: Uuid,
        #[graphql(desc = "The reasons (special-category data).")] reasons: String,
        #[graphql(desc = "The case's `version` as you read it.")] expected_version: i32,
    ) -> GqlResult<CasePayload> {
        let policies = &ctx.state().policies;
        in_tx(ctx, async |viewer, tx| {
            fitness_to_study::end_on_health_grounds(
                viewer,
                tx,
                policies,
                case_id,
                &reasons,
                expected_version,
            )
            .await
        })
        .await?;
        payload(ctx, case_id).await
    }
}
