//! Risk assessments, precautionary measures, deadlines and notifications.
//! Field-level checks follow `domain::visibility`: risk assessments only for
//! the CfC group, decision makers and the conduct team; a measure's subject (and
//! their case worker) sees the measures on them; the reporting party learns only
//! whether measures are in place (R-MEA-7).

use async_graphql::dataloader::DataLoader;
use async_graphql::{Context, InputObject, Object, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use entity::{measure, risk_assessment};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::domain::access::{self, Relation};
use crate::domain::case_store;
use crate::domain::deadlines;
use crate::domain::kinds;
use crate::domain::measures::{self, Approval, NewMeasure, Review};
use crate::domain::risk_assessments::{self, Impact, NewRiskAssessment};
use crate::error::Error;
use crate::graphql::case::{PartyView, Scoped};
use crate::graphql::context::{CtxExt, GqlResult, OrGql, to_gql};
use crate::graphql::enums::*;
use crate::graphql::loaders::*;
use crate::graphql::transaction::in_tx;

/// What the subject of a measure is told about making representations (R-MEA-5).
const HOW_TO_MAKE_REPRESENTATIONS: &str = "You may make written representations about this measure at any time with `submitMeasureRepresentations`, and ask for an earlier review if your circumstances change materially with `requestMeasureReview`. Your case worker can help you.";

pub struct RiskAssessment(pub risk_assessment::Model);

#[derive(SimpleObject)]
pub struct ImpactOnPerson {
    party_id: Uuid,
    impact: String,
}

#[Object]
impl RiskAssessment {
    async fn id(&self) -> Uuid {
        self.0.id
    }
    async fn assessed_on(&self) -> NaiveDate {
        self.0.assessed_on
    }
    async fn nature_of_incident(&self) -> &str {
        &self.0.nature_of_incident
    }
    /// Impact on the health, safety and wellbeing of each person involved.
    async fn impacts(&self) -> GqlResult<Vec<ImpactOnPerson>> {
        Ok(risk_assessments::impacts(&self.0)
            .gql()?
            .into_iter()
            .map(|i| ImpactOnPerson {
                party_id: i.party_id,
                impact: i.impact,
            })
            .collect())
    }
    async fn organisational_risk(&self) -> &str {
        &self.0.organisational_risk
    }
    async fn risk_level(&self) -> GqlResult<RiskLevel> {
        Ok(kinds::RiskLevel::from_db(&self.0.risk_level).gql()?.into())
    }
    /// R-MEA-6: recorded significant, imminent risk allows action without the reporting party's consent.
    async fn significant_imminent_risk(&self) -> bool {
        self.0.significant_imminent_risk
    }
    /// Who took part.
    async fn participants(&self) -> GqlResult<Vec<String>> {
        risk_assessments::participants(&self.0).gql()
    }
    async fn recorded_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// A precautionary measure, as far as the viewer may see it.
pub struct Measure {
    pub m: measure::Model,
    pub scope: Scoped,
}

#[derive(SimpleObject)]
pub struct MeasureHistoryEntry {
    at: DateTime<Utc>,
    action: MeasureAction,
    status_after: MeasureStatus,
    /// Reasons, representations or the material change given.
    detail: Option<String>,
    review_due: Option<NaiveDate>,
}

impl Measure {
    fn full(&self) -> bool {
        self.scope.rel.can_see_all_measures()
    }
    fn parties(&self, ids: Vec<Uuid>) -> Vec<PartyView> {
        let visible = self.scope.parties(None);
        visible
            .into_iter()
            .filter(|p| ids.contains(&p.party_id()))
            .collect()
    }
}

#[Object]
impl Measure {
    async fn id(&self) -> Uuid {
        self.m.id
    }
    async fn case_id(&self) -> Uuid {
        self.m.case_id
    }
    async fn kind(&self) -> GqlResult<MeasureKind> {
        Ok(kinds::MeasureKind::from_db(&self.m.kind).gql()?.into())
    }
    /// Today's status; a measure past its end date shows as EXPIRED.
    async fn status(&self, ctx: &Context<'_>) -> GqlResult<MeasureStatus> {
        Ok(
            measures::effective_status(&self.m, ctx.viewer()?.now.today())
                .gql()?
                .into(),
        )
    }
    /// The parties the measure binds (those you may know of).
    async fn subjects(&self) -> GqlResult<Vec<PartyView>> {
        Ok(self.parties(measures::subjects(&self.m).gql()?))
    }
    /// For a no-contact order: whom the subjects must not contact.
    async fn protected_parties(&self) -> GqlResult<Vec<PartyView>> {
        Ok(self.parties(measures::protected_parties(&self.m).gql()?))
    }
    async fn mutual(&self) -> bool {
        self.m.mutual
    }
    /// For an exclusion: the sites, buildings or activities.
    async fn sites(&self) -> GqlResult<Vec<String>> {
        measures::sites(&self.m).gql()
    }
    async fn details(&self) -> &str {
        &self.m.details
    }
    async fn starts_on(&self) -> NaiveDate {
        self.m.starts_on
    }
    async fn ends_on(&self) -> Option<NaiveDate> {
        self.m.ends_on
    }
    /// The next review (R-MEA-4).
    async fn review_due(&self) -> NaiveDate {
        self.m.review_due
    }
    /// Pass back as `expectedVersion` when changing the measure.
    async fn version(&self) -> i32 {
        self.m.version
    }
    /// For the subject: how to make representations and ask for an earlier review.
    async fn how_to_make_representations(&self) -> &str {
        HOW_TO_MAKE_REPRESENTATIONS
    }
    /// R-MEA-6 (safeguarding staff only).
    async fn reporting_party_consent(&self) -> Option<bool> {
        self.full().then_some(self.m.reporting_party_consent)
    }
    /// The approval recorded for a suspension (safeguarding staff only).
    async fn approval_by(&self) -> Option<&str> {
        self.full()
            .then_some(self.m.approval_by.as_deref())
            .flatten()
    }
    async fn approved_on(&self) -> Option<NaiveDate> {
        self.full().then_some(self.m.approved_on).flatten()
    }
    /// Every change, oldest first (safeguarding staff only).
    async fn history(&self, ctx: &Context<'_>) -> GqlResult<Vec<MeasureHistoryEntry>> {
        if !self.full() {
            return Ok(vec![]);
        }
        let rows = ctx
            .data_unchecked::<DataLoader<Db>>()
            .load_one(MeasureHistoryOf(self.m.id))
            .await?
            .unwrap_or_default();
        rows.into_iter()
            .map(|e| {
                Ok(MeasureHistoryEntry {
                    at: e.at,
                    action: kinds::MeasureAction::from_db(&e.action).gql()?.into(),
                    status_after: kinds::MeasureStatus::from_db(&e.status_after).gql()?.into(),
                    detail: e.detail,
                    review_due: e.review_due,
                })
            })
            .collect()
    }
}

/// Measures of a case the viewer may see: all for safeguarding staff; otherwise
/// those binding the viewer's own party or the party they support.
pub async fn visible_measures(ctx: &Context<'_>, scope: &Scoped) -> GqlResult<Vec<Measure>> {
    let rows = ctx
        .data_unchecked::<DataLoader<Db>>()
        .load_one(MeasuresOf(scope.bundle.case.id))
        .await?
        .unwrap_or_default();
    let mut visible = Vec::new();
    for m in rows {
        let subjects = measures::subjects(&m).gql()?;
        let status = kinds::MeasureStatus::from_db(&m.status).gql()?;
        if scope.rel.can_see_measure(&subjects, status) {
            visible.push(Measure {
                m,
                scope: scope.clone(),
            });
        }
    }
    Ok(visible)
}

pub async fn any_in_place(ctx: &Context<'_>, scope: &Scoped) -> GqlResult<bool> {
    let rows = ctx
        .data_unchecked::<DataLoader<Db>>()
        .load_one(MeasuresOf(scope.bundle.case.id))
        .await?
        .unwrap_or_default();
    measures::any_in_place(&rows, ctx.viewer()?.now.today()).gql()
}

pub async fn risk_assessments(ctx: &Context<'_>, scope: &Scoped) -> GqlResult<Vec<RiskAssessment>> {
    if !scope.rel.can_see_risk_assessments() {
        return Ok(vec![]);
    }
    let rows = ctx
        .data_unchecked::<DataLoader<Db>>()
        .load_one(RiskAssessmentsOf(scope.bundle.case.id))
        .await?
        .unwrap_or_default();
    if !rows.is_empty() {
        ctx.record_read("riskAssessments", scope.bundle.case.id);
    }
    Ok(rows.into_iter().map(RiskAssessment).collect())
}

/// A deadline on a case the viewer works on.
#[derive(SimpleObject)]
pub struct Deadline {
    kind: DeadlineKind,
    /// The rule that set it, e.g. R-MEA-4.
    rule: String,
    due_on: NaiveDate,
    overdue: bool,
    /// Working days from today to the due date (0 when due today or overdue).
    working_days_left: u32,
    case_id: Uuid,
    case_reference: String,
    /// What it is about (e.g. the measure's id).
    subject_id: Uuid,
}

#[derive(SimpleObject)]
pub struct Notification {
    id: Uuid,
    case_id: Uuid,
    kind: NotificationKind,
    message: String,
    created_at: DateTime<Utc>,
    read_at: Option<DateTime<Utc>>,
}

impl Notification {
    pub fn from_row(n: entity::notification::Model) -> GqlResult<Self> {
        Ok(Notification {
            id: n.id,
            case_id: n.case_id,
            kind: kinds::NotificationKind::from_db(&n.kind).gql()?.into(),
            message: n.message,
            created_at: n.created_at,
            read_at: n.read_at,
        })
    }
}

#[derive(Default)]
pub struct MeasureQuery;

#[Object]
impl MeasureQuery {
    /// Open deadlines on the cases you work on, soonest first: those due within
    /// `dueWithinWorkingDays`, or only overdue ones.
    async fn deadlines(
        &self,
        ctx: &Context<'_>,
        due_within_working_days: Option<u32>,
        #[graphql(default)] overdue_only: bool,
    ) -> GqlResult<Vec<Deadline>> {
        let viewer = ctx.viewer()?;
        let state = ctx.state();
        let calendar = state.policy.calendar();
        let today = viewer.now.today();
        let until = if overdue_only {
            Some(today - chrono::Duration::days(1))
        } else {
            due_within_working_days.map(|n| calendar.add_working_days(today, n))
        };
        let rows = deadlines::open_in(&state.db, access::staff_scope(viewer), until)
            .await
            .gql()?;
        let case_ids: Vec<Uuid> = rows.iter().map(|d| d.case_id).collect();
        let cases = entity::case::Entity::find()
            .filter(entity::case::Column::Id.is_in(case_ids))
            .all(&state.db)
            .await
            .gql()?;
        let bundles = case_store::load_many(&state.db, cases).await.gql()?;
        let mut out = Vec::new();
        for d in rows {
            let Some(b) = bundles.iter().find(|b| b.case.id == d.case_id) else {
                continue;
            };
            let rel: Relation = access::relation(viewer, &b.case, &b.parties, &b.staff);
            let kind = kinds::DeadlineKind::from_db(&d.kind).gql()?;
            if rel.staff_view() && rel.can_see_deadline(kind, d.party_id) {
                out.push(Deadline {
                    kind: kind.into(),
                    rule: d.rule,
                    due_on: d.due_on,
                    overdue: d.due_on < today,
                    working_days_left: calendar.working_days_between(today, d.due_on),
                    case_id: d.case_id,
                    case_reference: b.case.reference.clone(),
                    subject_id: d.subject_id,
                });
            }
        }
        Ok(out)
    }

    /// Your notifications, newest first.
    async fn my_notifications(&self, ctx: &Context<'_>) -> GqlResult<Vec<Notification>> {
        let viewer = ctx.viewer()?;
        let rows = crate::domain::notices::notifications_for(viewer, &ctx.state().db)
            .await
            .gql()?;
        rows.into_iter().map(Notification::from_row).collect()
    }
}

#[derive(InputObject)]
pub struct ImpactInput {
    party_id: Uuid,
    impact: String,
}

#[derive(InputObject)]
pub struct RiskAssessmentInput {
    case_id: Uuid,
    /// Defaults to today.
    assessed_on: Option<NaiveDate>,
    nature_of_incident: String,
    impacts: Vec<ImpactInput>,
    organisational_risk: String,
    risk_level: RiskLevel,
    #[graphql(default)]
    significant_imminent_risk: bool,
    /// Who took part (names and roles).
    participants: Vec<String>,
}

#[derive(InputObject)]
pub struct MeasureInput {
    case_id: Uuid,
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
    #[graphql(default)]
    details: String,
    starts_on: NaiveDate,
    ends_on: Option<NaiveDate>,
    /// R-MEA-6: false requires a risk assessment recording significant, imminent risk.
    reporting_party_consent: bool,
}

#[derive(InputObject)]
pub struct ApprovalInput {
    /// Who approved, e.g. "Vice-Chancellor (Prof. A. Smith)".
    approved_by: String,
    approved_on: NaiveDate,
}

#[derive(InputObject)]
pub struct ReviewMeasureInput {
    measure_id: Uuid,
    expected_version: i32,
    decision: ReviewDecision,
    reason: String,
    details: Option<String>,
    sites: Option<Vec<String>>,
    ends_on: Option<NaiveDate>,
    /// Defaults to the policy's review interval.
    next_review_on: Option<NaiveDate>,
}

#[derive(SimpleObject)]
pub struct MeasurePayload {
    measure_id: Uuid,
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
    /// Records a risk assessment (R-MEA-1): CfC group or conduct team.
    async fn record_risk_assessment(
        &self,
        ctx: &Context<'_>,
        input: RiskAssessmentInput,
    ) -> GqlResult<Uuid> {
        let row = in_tx(ctx, async |viewer, tx| {
            risk_assessments::record_risk_assessment(
                viewer,
                tx,
                input.case_id,
                NewRiskAssessment {
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
                },
            )
            .await
        })
        .await?;
        Ok(row.id)
    }

    /// The CfC group recommends a precautionary measure (R-MEA-2, R-MEA-3, R-MEA-6).
    async fn recommend_measure(
        &self,
        ctx: &Context<'_>,
        input: MeasureInput,
    ) -> GqlResult<MeasurePayload> {
        let policy = &ctx.state().policy;
        let changed = in_tx(ctx, async |viewer, tx| {
            measures::recommend(
                viewer,
                tx,
                policy,
                input.case_id,
                NewMeasure {
                    kind: input.kind.into(),
                    subjects: input.subject_party_ids,
                    protected_parties: input.protected_party_ids,
                    mutual: input.mutual,
                    sites: input.sites,
                    details: input.details,
                    starts_on: input.starts_on,
                    ends_on: input.ends_on,
                    reporting_party_consent: input.reporting_party_consent,
                },
            )
            .await
        })
        .await?;
        measure_payload(ctx, changed).await
    }

    /// A decision maker authorises a recommended measure (R-MEA-3); a suspension
    /// also records the approval the policy requires.
    async fn authorise_measure(
        &self,
        ctx: &Context<'_>,
        measure_id: Uuid,
        expected_version: i32,
        approval: Option<ApprovalInput>,
    ) -> GqlResult<MeasurePayload> {
        let approval = approval.map(|a| Approval {
            approved_by: a.approved_by,
            approved_on: a.approved_on,
        });
        let policy = &ctx.state().policy;
        let changed = in_tx(ctx, async |viewer, tx| {
            measures::authorise(viewer, tx, policy, measure_id, approval, expected_version).await
        })
        .await?;
        measure_payload(ctx, changed).await
    }

    /// An authorised measure takes effect on or after its start date.
    async fn bring_measure_into_force(
        &self,
        ctx: &Context<'_>,
        measure_id: Uuid,
        expected_version: i32,
    ) -> GqlResult<MeasurePayload> {
        let policy = &ctx.state().policy;
        let changed = in_tx(ctx, async |viewer, tx| {
            measures::bring_into_force(viewer, tx, policy, measure_id, expected_version).await
        })
        .await?;
        measure_payload(ctx, changed).await
    }

    /// The subject asks for an earlier review on a material change (R-MEA-4).
    async fn request_measure_review(
        &self,
        ctx: &Context<'_>,
        measure_id: Uuid,
        material_change: String,
        expected_version: i32,
    ) -> GqlResult<MeasurePayload> {
        let policy = &ctx.state().policy;
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

    /// Records non-compliance; the review comes forward (R-MEA-4).
    async fn record_measure_non_compliance(
        &self,
        ctx: &Context<'_>,
        measure_id: Uuid,
        details: String,
        expected_version: i32,
    ) -> GqlResult<MeasurePayload> {
        let policy = &ctx.state().policy;
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

    /// The subject's written representations (R-MEA-5).
    async fn submit_measure_representations(
        &self,
        ctx: &Context<'_>,
        measure_id: Uuid,
        representations: String,
        expected_version: i32,
    ) -> GqlResult<MeasurePayload> {
        let policy = &ctx.state().policy;
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

    /// A decision maker's review: continue, amend, augment or withdraw (R-MEA-5).
    async fn review_measure(
        &self,
        ctx: &Context<'_>,
        input: ReviewMeasureInput,
    ) -> GqlResult<MeasurePayload> {
        let review = Review {
            decision: input.decision.into(),
            reason: input.reason,
            details: input.details,
            sites: input.sites,
            ends_on: input.ends_on,
            next_review_on: input.next_review_on,
        };
        let policy = &ctx.state().policy;
        let changed = in_tx(ctx, async |viewer, tx| {
            measures::review(
                viewer,
                tx,
                policy,
                input.measure_id,
                review,
                input.expected_version,
            )
            .await
        })
        .await?;
        measure_payload(ctx, changed).await
    }

    /// Marks one of your notifications as read.
    async fn mark_notification_read(&self, ctx: &Context<'_>, id: Uuid) -> GqlResult<bool> {
        in_tx(ctx, async |viewer, tx| {
            crate::domain::notices::mark_read(viewer, tx, id).await
        })
        .await?;
        Ok(true)
    }
}
