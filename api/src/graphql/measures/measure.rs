//! A precautionary measure as the viewer may see it (R-MEA-2…7).

use async_graphql::ID;
use async_graphql::dataloader::DataLoader;
use async_graphql::{Context, Object, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use entity::measure;
use uuid::Uuid;

use crate::domain::{kinds, measures};
use crate::graphql::case::{PartyView, Scoped};
use crate::graphql::context::{CtxExt, GqlResult, OrGql};
use crate::graphql::enums::{MeasureAction, MeasureKind, MeasureStatus};
use crate::graphql::loaders::{Db, MeasureHistoryOf};

/// What the subject of a measure is told about making representations (R-MEA-5).
const HOW_TO_MAKE_REPRESENTATIONS: &str = "You may make written representations about this measure at any time with `submitMeasureRepresentations`, and ask for an earlier review if your circumstances change materially with `requestMeasureReview`. Your case worker can help you.";

/// A precautionary measure, as far as the viewer may see it.
pub struct Measure {
    pub m: measure::Model,
    pub scope: Scoped,
}

/// One change in a measure's life.
#[derive(SimpleObject)]
pub struct MeasureHistoryEntry {
    /// When.
    at: DateTime<Utc>,
    /// What happened.
    action: MeasureAction,
    /// The measure's status afterwards.
    status_after: MeasureStatus,
    /// Reasons, representations or the material change given.
    detail: Option<String>,
    /// The review date afterwards.
    review_due: Option<NaiveDate>,
}

impl Measure {
    /// Consent, approvals and history: safeguarding staff only.
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

/// A precautionary measure (R-MEA-2): not a penalty; recommended by the Cause
/// for Concern group, authorised by a decision maker, reviewed on a date
/// (R-MEA-3…5). Its subjects (and their case workers) see it once authorised;
/// safeguarding staff see every measure with its history.
#[Object]
impl Measure {
    /// The measure's id.
    async fn id(&self) -> ID {
        self.m.id.into()
    }
    /// The case it belongs to.
    async fn case_id(&self) -> Uuid {
        self.m.case_id
    }
    /// What kind of measure.
    async fn kind(&self) -> GqlResult<MeasureKind> {
        Ok(kinds::MeasureKind::from_db(&self.m.kind).gql()?.into())
    }
    /// Today's status; a measure past its end date shows as EXPIRED.
    async fn status(&self, ctx: &Context<'_>) -> GqlResult<MeasureStatus> {
        let today = ctx.viewer()?.now.today();
        Ok(measures::effective_status(&self.m, today).gql()?.into())
    }
    /// The parties the measure binds (those you may know of).
    async fn subjects(&self) -> GqlResult<Vec<PartyView>> {
        Ok(self.parties(measures::subjects(&self.m).gql()?))
    }
    /// For a no-contact order: whom the subjects must not contact (those you may know of).
    async fn protected_parties(&self) -> GqlResult<Vec<PartyView>> {
        let protected = measures::protected_parties(&self.m).gql()?;
        let subjects = measures::subjects(&self.m).gql()?;
        if !self.scope.rel.can_see_whom_a_measure_protects(&subjects) {
            return Ok(self.parties(protected));
        }
        Ok(self
            .scope
            .bundle
            .parties
            .iter()
            .filter(|p| protected.contains(&p.id))
            .map(|p| PartyView::new(p.clone(), self.scope.clone()))
            .collect())
    }
    /// A no-contact order binding both sides.
    async fn mutual(&self) -> bool {
        self.m.mutual
    }
    /// For an exclusion: the sites, buildings or activities.
    async fn sites(&self) -> GqlResult<Vec<String>> {
        measures::sites(&self.m).gql()
    }
    /// What the measure requires, in words.
    async fn details(&self) -> &str {
        &self.m.details
    }
    /// The day it starts.
    async fn starts_on(&self) -> NaiveDate {
        self.m.starts_on
    }
    /// The day it ends, if it has an end date.
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
    /// Whether the reporting party consented (R-MEA-6); safeguarding staff only.
    async fn reporting_party_consent(&self) -> Option<bool> {
        self.full().then_some(self.m.reporting_party_consent)
    }
    /// Who approved a suspension, as the policy requires; safeguarding staff only.
    async fn approval_by(&self) -> Option<&str> {
        self.full()
            .then_some(self.m.approval_by.as_deref())
            .flatten()
    }
    /// When that approval was given; safeguarding staff only.
    async fn approved_on(&self) -> Option<NaiveDate> {
        self.full().then_some(self.m.approved_on).flatten()
    }
    /// Every change, oldest first; safeguarding staff only (empty for others).
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
    let rows = scope.measure_rows(ctx).await?;
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
    if !visible.is_empty() {
        ctx.record_read("measures", scope.case_id());
    }
    Ok(visible)
}

/// Whether any measure applies in the case today (what a reporting party may know, R-MEA-7).
pub async fn any_in_place(ctx: &Context<'_>, scope: &Scoped) -> GqlResult<bool> {
    let rows = scope.measure_rows(ctx).await?;
    measures::any_in_place(&rows, ctx.viewer()?.now.today()).gql()
}

/// The measures that bind the viewer, on every case they are a party to —
/// including one they were told of before being told of any report (R-MEA-5).
/// Three queries for the cases, one for their measures.
pub async fn binding_viewer(ctx: &Context<'_>) -> GqlResult<Vec<Measure>> {
    use crate::domain::access::{Link, scope::scope};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
    let viewer = ctx.viewer()?;
    let db = &ctx.state().db;
    let cases = entity::case::Entity::find()
        .filter(scope(viewer, &[Link::Party, Link::MeasureSubject]))
        .all(db)
        .await
        .gql()?;
    let ids: Vec<Uuid> = cases.iter().map(|c| c.id).collect();
    let scopes: Vec<Scoped> = crate::domain::case_store::load_many(db, cases)
        .await
        .gql()?
        .into_iter()
        .map(|b| crate::graphql::case::scoped(viewer, b))
        .collect();
    let rows = measure::Entity::find()
        .filter(measure::Column::CaseId.is_in(ids))
        .order_by_desc(measure::Column::CreatedAt)
        .all(db)
        .await
        .gql()?;
    let mut out = Vec::new();
    for m in rows {
        let Some(scope) = scopes.iter().find(|s| s.case_id() == m.case_id) else {
            continue;
        };
        let subjects = measures::subjects(&m).gql()?;
        let status = kinds::MeasureStatus::from_db(&m.status).gql()?;
        if scope.rel.can_see_measure(&subjects, status) && scope.rel.is_bound_by(&subjects) {
            ctx.record_read("measures", m.case_id);
            out.push(Measure {
                m,
                scope: scope.clone(),
            });
        }
    }
    Ok(out)
}
