//! Supportive measures (R-SUP-6, 004 App. 3): financial aid, priority
//! counselling, moved assessment dates, remedial support for a suspended
//! student. Help for one party, not a restriction on anyone — so they are kept
//! apart from precautionary measures, arranged and reviewed by that party's
//! case worker, and seen only by the party and their case worker(s). Each has
//! a review date on the working-day calendar, a deadline in the case worker's
//! list until the measure ends.

use chrono::NaiveDate;
use entity::supportive_measure;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

use crate::domain::access;
use crate::domain::case_store::{self, CaseBundle};
use crate::domain::clock::Now;
use crate::domain::deadlines;
use crate::domain::disclosures::require_text;
use crate::domain::kinds::{
    DeadlineKind, SupportiveMeasureKind, SupportiveMeasureStatus, SupportiveReviewDecision,
    TimelineKind,
};
use crate::domain::timeline::{self, Event};
use crate::domain::viewer::Viewer;
use crate::error::{Error, Result};
use crate::policy::{Policy, PolicyBook};

const RULE: &str = "R-SUP-6";

/// Where a supportive measure stands on `today`.
pub fn status(m: &supportive_measure::Model, today: NaiveDate) -> SupportiveMeasureStatus {
    if m.ended_on.is_some() {
        SupportiveMeasureStatus::Ended
    } else if m.until.is_some_and(|until| until < today) {
        SupportiveMeasureStatus::Expired
    } else if m.starts_on > today {
        SupportiveMeasureStatus::Arranged
    } else {
        SupportiveMeasureStatus::Active
    }
}

pub struct NewSupportiveMeasure {
    pub kind: SupportiveMeasureKind,
    pub details: String,
    pub starts_on: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
    pub review_on: Option<NaiveDate>,
}

/// The party's case worker arranges a supportive measure for them.
pub async fn arrange(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    policies: &PolicyBook,
    case_id: Uuid,
    party_id: Uuid,
    input: NewSupportiveMeasure,
) -> Result<supportive_measure::Model> {
    let (bundle, rel) = case_store::open(viewer, db, case_id).await?;
    access::actions::can_arrange_supportive_measure(&rel, bundle.party(party_id)?)?;
    let policy = &*policies.for_case(db, &bundle.case).await?;
    let details = require_text("details", &input.details)?;
    let today = viewer.now.today();
    let starts_on = input.starts_on.unwrap_or(today);
    if let Some(until) = input.until {
        if until < starts_on {
            return Err(Error::validation(
                "until",
                "A supportive measure cannot end before it starts.",
            ));
        }
        if until < today {
            return Err(Error::validation(
                "until",
                "A supportive measure cannot be arranged to end in the past.",
            ));
        }
    }
    let review_due = next_review(policy, today, input.review_on, input.until)?;
    let now = viewer.now.at();
    let row = supportive_measure::ActiveModel {
        id: Set(Uuid::now_v7()),
        case_id: Set(case_id),
        party_id: Set(party_id),
        kind: Set(input.kind.as_str().into()),
        details: Set(details),
        arranged_by: Set(viewer.person_id),
        starts_on: Set(starts_on),
        until: Set(input.until),
        review_due: Set(Some(review_due)),
        last_reviewed_on: Set(None),
        ended_on: Set(None),
        end_reason: Set(None),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await?;
    set_review_deadline(db, viewer.now, &row, review_due).await?;
    timeline::record_change(
        db,
        viewer,
        case_id,
        Event::new(TimelineKind::SupportiveMeasureArranged).party(party_id),
        "arrangeSupportiveMeasure",
    )
    .await?;
    Ok(row)
}

pub struct SupportiveReview {
    pub decision: SupportiveReviewDecision,
    pub reason: String,
    pub until: Option<NaiveDate>,
    pub next_review_on: Option<NaiveDate>,
}

/// The party's case worker reviews a supportive measure: it continues (with a
/// new end date if given, and the next review on the calendar) or ends.
pub async fn review(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    policies: &PolicyBook,
    measure_id: Uuid,
    input: SupportiveReview,
    expected_version: i32,
) -> Result<supportive_measure::Model> {
    let (m, bundle) = load(viewer, db, measure_id).await?;
    let policy = &*policies.for_case(db, &bundle.case).await?;
    let reason = require_text("reason", &input.reason)?;
    let today = viewer.now.today();
    if m.ended_on.is_some() {
        return Err(Error::rule(
            RULE,
            "This supportive measure has ended; arrange a new one if help is needed again.",
        ));
    }
    let mut update = supportive_measure::Entity::update_many()
        .col_expr(
            supportive_measure::Column::Version,
            Expr::col(supportive_measure::Column::Version).add(1),
        )
        .col_expr(
            supportive_measure::Column::UpdatedAt,
            Expr::value(viewer.now.at()),
        )
        .col_expr(
            supportive_measure::Column::LastReviewedOn,
            Expr::value(Some(today)),
        )
        .filter(supportive_measure::Column::Id.eq(m.id))
        .filter(supportive_measure::Column::Version.eq(expected_version));
    let kind = match input.decision {
        SupportiveReviewDecision::Continue => {
            let until = input.until.or(m.until);
            if let Some(end) = input.until
                && (end < m.starts_on || end < today)
            {
                return Err(Error::validation(
                    "until",
                    "A supportive measure cannot end before it starts or in the past.",
                ));
            }
            let due = next_review(policy, today, input.next_review_on, until)?;
            update = update
                .col_expr(supportive_measure::Column::Until, Expr::value(until))
                .col_expr(
                    supportive_measure::Column::ReviewDue,
                    Expr::value(Some(due)),
                );
            TimelineKind::SupportiveMeasureReviewed
        }
        SupportiveReviewDecision::End => {
            update = update
                .col_expr(
                    supportive_measure::Column::EndedOn,
                    Expr::value(Some(today)),
                )
                .col_expr(
                    supportive_measure::Column::EndReason,
                    Expr::value(Some(reason.clone())),
                )
                .col_expr(
                    supportive_measure::Column::ReviewDue,
                    Expr::value(Option::<NaiveDate>::None),
                );
            TimelineKind::SupportiveMeasureEnded
        }
    };
    if m.version != expected_version || update.exec(db).await?.rows_affected == 0 {
        return Err(Error::Conflict(
            "This supportive measure was changed by someone else since you loaded it. Reload it and try again."
                .into(),
        ));
    }
    let updated = supportive_measure::Entity::find_by_id(m.id)
        .one(db)
        .await?
        .ok_or(Error::NotFound("supportive measure"))?;
    match updated.review_due {
        Some(due) => set_review_deadline(db, viewer.now, &updated, due).await?,
        None => deadlines::cancel(db, viewer.now, updated.id).await?,
    }
    timeline::record_change(
        db,
        viewer,
        m.case_id,
        Event::new(kind).party(m.party_id).reason(Some(reason)),
        "reviewSupportiveMeasure",
    )
    .await?;
    Ok(updated)
}

/// Loads a measure for its party's case worker; to anyone else it does not exist
/// unless they may see it.
async fn load(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    measure_id: Uuid,
) -> Result<(supportive_measure::Model, CaseBundle)> {
    let missing = || Error::NotFound("supportive measure");
    let m = supportive_measure::Entity::find_by_id(measure_id)
        .one(db)
        .await?
        .ok_or_else(missing)?;
    let (bundle, rel) = case_store::open(viewer, db, m.case_id)
        .await
        .map_err(access::refusal::hide_case_as("supportive measure"))?;
    if !rel.can_see_supportive_measures_of(m.party_id) {
        return Err(missing());
    }
    access::actions::can_arrange_supportive_measure(&rel, bundle.party(m.party_id)?)?;
    Ok((m, bundle))
}

/// The next review: the day asked for (in the future, not after the measure
/// ends), or the policy's interval from today, brought forward to the end date.
fn next_review(
    policy: &Policy,
    today: NaiveDate,
    asked: Option<NaiveDate>,
    until: Option<NaiveDate>,
) -> Result<NaiveDate> {
    match asked {
        Some(day) if day <= today => Err(Error::validation(
            "reviewOn",
            "The review must be on a day after today.",
        )),
        Some(day) if until.is_some_and(|end| day > end) => Err(Error::validation(
            "reviewOn",
            "The review must fall on or before the day the measure ends.",
        )),
        Some(day) => Ok(day),
        None => {
            let interval = policy.calendar().add_working_days(
                today,
                policy.measures.supportive_review_interval_working_days,
            );
            Ok(until.map_or(interval, |end| Ord::min(interval, Ord::max(end, today))))
        }
    }
}

async fn set_review_deadline(
    db: &impl ConnectionTrait,
    now: Now,
    m: &supportive_measure::Model,
    due: NaiveDate,
) -> Result<()> {
    deadlines::set_for(
        db,
        now,
        m.case_id,
        m.id,
        Some(m.party_id),
        DeadlineKind::SupportiveMeasureReview,
        RULE,
        due,
    )
    .await
}
