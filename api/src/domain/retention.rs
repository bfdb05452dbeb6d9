//! Retention (R-RET-1, 004 "Retention", 002 §8, R-INV-4): which concluded
//! cases have been kept long enough, and their removal.
//!
//! - A concluded case (closed or withdrawn) is removed whole
//!   `retention.years_after_leaving` years after the later of its closing and
//!   the leaving date of every student party (from the SIS). A case with a
//!   student whose leaving date is not known yet is kept.
//! - Where `retention.remove_not_upheld_when_concluded`, a concluded case whose
//!   allegation was not upheld (no breach found, or dismissed and removed from
//!   the record) is removed at once.
//! - Where `retention.delete_recordings_when_appeals_exhausted`, interview
//!   recordings are deleted once the appeal process has concluded or the case
//!   is closed.
//! - A legal hold stops all of it for that case.
//!
//! Removal is one transaction per case: the case's anonymous facts are kept
//! for the statistics (which therefore do not change), every row of the case
//! goes, and one audit entry names the case and how many rows went — never
//! what they said. People stay: they may have other cases.

use chrono::{DateTime, Months, NaiveDate, Utc};
use entity::{
    anonymous_channel, anonymous_message, appeal, case, case_fact, case_staff, communication,
    communication_plan, contact_attempt, deadline, disclosure_record, evidence, health_record,
    hearing, information_share, letter, measure, measure_event, meeting, notification,
    options_conversation, party, person, procedure, recording, removed_case_fact,
    respondent_outcome, review_request, risk_assessment, sanction, sharing_consent, statement,
    support_note, supportive_measure, timeline_event,
};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    JoinType, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, RelationDef, Set,
    TransactionTrait,
};
use uuid::Uuid;

use crate::domain::audit::{self, AuditRecord};
use crate::domain::calendar::uk_date;
use crate::domain::kinds::{HealthRecordKind, PersonKind, Stage};
use crate::domain::viewer::Viewer;
use crate::error::Result;
use crate::policy::PolicyBook;

/// Why a case is due for removal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Why {
    /// The retention period after the students left (and the case closed) has ended.
    PeriodEnded { counted_from: NaiveDate },
    /// The allegation was not upheld (004 "Retention").
    NotUpheld,
}

impl std::fmt::Display for Why {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Why::PeriodEnded { counted_from } => write!(
                f,
                "retention period ended (counted from {counted_from}, when the students had left and the case was closed)"
            ),
            Why::NotUpheld => f.write_str("allegation not upheld"),
        }
    }
}

#[derive(Debug, Clone)]
pub struct DueCase {
    pub case_id: Uuid,
    pub reference: String,
    pub why: Why,
}

#[derive(Debug, Clone)]
pub struct HeldCase {
    pub case_id: Uuid,
    pub reference: String,
    pub reason: String,
    pub since: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct DueRecording {
    pub recording_id: Uuid,
    pub case_id: Uuid,
    /// Where the recording is stored: the operator deletes the file there.
    pub location: String,
}

/// What retention would do today.
#[derive(Debug, Clone)]
pub struct Review {
    pub as_of: NaiveDate,
    pub due: Vec<DueCase>,
    pub held: Vec<HeldCase>,
    /// Concluded cases kept because a student's leaving date is not known yet.
    pub awaiting_leaving_date: u64,
    pub recordings: Vec<DueRecording>,
}

#[derive(Debug, Clone)]
pub struct RemovedCase {
    pub case_id: Uuid,
    pub reference: String,
    pub why: Why,
    /// Rows removed with the case, the case row included.
    pub rows: u64,
}

/// What a real run did.
#[derive(Debug, Clone)]
pub struct Run {
    pub review: Review,
    pub removed: Vec<RemovedCase>,
    pub recordings_deleted: Vec<DueRecording>,
}

fn concluded() -> Condition {
    Condition::any()
        .add(case::Column::Stage.eq(Stage::Closed.as_str()))
        .add(case::Column::Stage.eq(Stage::Withdrawn.as_str()))
}

fn concluded_case_ids() -> sea_orm::sea_query::SelectStatement {
    Query::select()
        .column(case::Column::Id)
        .from(case::Entity)
        .cond_where(concluded())
        .to_owned()
}

fn not_upheld(p: &procedure::Model) -> bool {
    p.removed_from_record || (p.outcome_reasons.is_some() && !p.breach_found)
}

fn party_person() -> RelationDef {
    party::Entity::belongs_to(person::Entity)
        .from(party::Column::PersonId)
        .to(person::Column::Id)
        .into()
}

/// What is due on `today`, each case under the policy version it follows.
/// Three reads for cases (concluded cases, their procedures, their student
/// parties) and two for recordings.
pub async fn review(
    db: &impl ConnectionTrait,
    policies: &PolicyBook,
    today: NaiveDate,
) -> Result<Review> {
    let cases = case::Entity::find()
        .filter(concluded())
        .order_by_asc(case::Column::OpenedAt)
        .all(db)
        .await?;
    let procedures: std::collections::HashMap<Uuid, procedure::Model> = procedure::Entity::find()
        .filter(procedure::Column::CaseId.in_subquery(concluded_case_ids()))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.case_id, p))
        .collect();
    // (case, leaving date) of every student party of a concluded case.
    let rows: Vec<(Uuid, Option<NaiveDate>)> = party::Entity::find()
        .select_only()
        .column(party::Column::CaseId)
        .column(person::Column::LeavingDate)
        .join(JoinType::InnerJoin, party_person())
        .filter(party::Column::CaseId.in_subquery(concluded_case_ids()))
        .filter(person::Column::Kind.eq(PersonKind::Student.as_str()))
        .into_tuple()
        .all(db)
        .await?;
    let mut students: std::collections::HashMap<Uuid, Vec<Option<NaiveDate>>> =
        std::collections::HashMap::new();
    for (case_id, left) in rows {
        students.entry(case_id).or_default().push(left);
    }
    let mut review = Review {
        as_of: today,
        due: vec![],
        held: vec![],
        awaiting_leaving_date: 0,
        recordings: vec![],
    };
    for c in cases {
        let policy = policies.for_case(db, &c).await?;
        let years = policy.retention.years_after_leaving;
        if let (Some(since), Some(reason)) = (c.legal_hold_at, c.legal_hold_reason.clone()) {
            review.held.push(HeldCase {
                case_id: c.id,
                reference: c.reference,
                reason,
                since,
            });
            continue;
        }
        if policy.retention.remove_not_upheld_when_concluded
            && procedures.get(&c.id).is_some_and(not_upheld)
        {
            review.due.push(DueCase {
                case_id: c.id,
                reference: c.reference,
                why: Why::NotUpheld,
            });
            continue;
        }
        let leaving = students.remove(&c.id).unwrap_or_default();
        if leaving.iter().any(Option::is_none) {
            review.awaiting_leaving_date += 1;
            continue;
        }
        let closed_on = uk_date(c.closed_at.unwrap_or(c.updated_at));
        let counted_from = leaving
            .into_iter()
            .flatten()
            .chain([closed_on])
            .max()
            .unwrap_or(closed_on);
        let ends = counted_from
            .checked_add_months(Months::new(12 * years))
            .unwrap_or(NaiveDate::MAX);
        if ends <= today {
            review.due.push(DueCase {
                case_id: c.id,
                reference: c.reference,
                why: Why::PeriodEnded { counted_from },
            });
        }
    }
    let appeals_over = Query::select()
        .column(procedure::Column::CaseId)
        .from(procedure::Entity)
        .and_where(procedure::Column::AppealsConcludedAt.is_not_null())
        .to_owned();
    let held = Query::select()
        .column(case::Column::Id)
        .from(case::Entity)
        .and_where(case::Column::LegalHoldAt.is_not_null())
        .to_owned();
    let recordings = recording::Entity::find()
        .filter(recording::Column::DeletedAt.is_null())
        .filter(
            Condition::any()
                .add(recording::Column::CaseId.in_subquery(appeals_over))
                .add(recording::Column::CaseId.in_subquery(concluded_case_ids())),
        )
        .filter(recording::Column::CaseId.not_in_subquery(held))
        .order_by_asc(recording::Column::CreatedAt)
        .all(db)
        .await?;
    // Whether to delete them is each case's policy's to say.
    let versions: std::collections::HashMap<Uuid, String> = case::Entity::find()
        .select_only()
        .column(case::Column::Id)
        .column(case::Column::PolicyVersion)
        .filter(case::Column::Id.is_in(recordings.iter().map(|r| r.case_id)))
        .into_tuple::<(Uuid, String)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    for r in recordings {
        let Some(version) = versions.get(&r.case_id) else {
            continue;
        };
        if policies
            .version(db, version)
            .await?
            .retention
            .delete_recordings_when_appeals_exhausted
        {
            review.recordings.push(DueRecording {
                recording_id: r.id,
                case_id: r.case_id,
                location: r.location,
            });
        }
    }
    Ok(review)
}

/// The review as the data protection officer asks for it (the API); the
/// command and the schedule call [`review`] directly.
pub async fn review_for(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    policies: &PolicyBook,
) -> Result<Review> {
    crate::domain::access::roles::can_act_for_data_protection(
        viewer,
        policies.current(),
        "review retention",
    )?;
    review(db, policies, viewer.now.today()).await
}

/// A run as the data protection officer starts it (the API).
pub async fn apply_for(
    viewer: &Viewer,
    db: &DatabaseConnection,
    policies: &PolicyBook,
) -> Result<Run> {
    crate::domain::access::roles::can_act_for_data_protection(
        viewer,
        policies.current(),
        "run retention",
    )?;
    apply(db, Some(viewer), policies, viewer.now.at()).await
}

/// Removes what is due, one transaction per case, and deletes due recordings.
/// `viewer` is the officer who ran it (None for the command and the schedule).
pub async fn apply(
    db: &DatabaseConnection,
    viewer: Option<&Viewer>,
    policies: &PolicyBook,
    now: DateTime<Utc>,
) -> Result<Run> {
    let review = review(db, policies, uk_date(now)).await?;
    let mut removed = Vec::new();
    for due in &review.due {
        let txn = crate::domain::case_store::begin(db).await?;
        // Decided on the rows as they are now: a hold placed since the review wins.
        let Some(case) = case::Entity::find_by_id(due.case_id)
            .filter(concluded())
            .filter(case::Column::LegalHoldAt.is_null())
            .one(&txn)
            .await?
        else {
            continue;
        };
        let rows = remove_case(&txn, &case, now).await?;
        let mut entry = AuditRecord::new("retention:removeCase", Some(case.id));
        entry.detail = Some(format!(
            "{} removed, {rows} rows: {}",
            case.reference, due.why
        ));
        audit::append(&txn, viewer, &[entry]).await?;
        txn.commit().await?;
        removed.push(RemovedCase {
            case_id: case.id,
            reference: case.reference,
            why: due.why.clone(),
            rows,
        });
    }
    let mut recordings_deleted = Vec::new();
    for due in &review.recordings {
        let txn = db.begin().await?;
        let done = recording::Entity::update_many()
            .col_expr(recording::Column::DeletedAt, Expr::value(Some(now)))
            .col_expr(recording::Column::Location, Expr::value(""))
            .filter(recording::Column::Id.eq(due.recording_id))
            .filter(recording::Column::DeletedAt.is_null())
            .exec(&txn)
            .await?;
        if done.rows_affected == 1 {
            let mut entry = AuditRecord::new("retention:deleteRecording", Some(due.case_id));
            entry.detail = Some(format!("recording {} deleted (R-INV-4)", due.recording_id));
            audit::append(&txn, viewer, &[entry]).await?;
            recordings_deleted.push(due.clone());
        }
        txn.commit().await?;
    }
    Ok(Run {
        review,
        removed,
        recordings_deleted,
    })
}

/// Keeps the case's anonymous facts for the statistics, then deletes every row
/// of the case, children first. Returns how many rows went.
async fn remove_case(
    db: &impl ConnectionTrait,
    case: &case::Model,
    now: DateTime<Utc>,
) -> Result<u64> {
    let procedure = procedure::Entity::find_by_id(case.id).one(db).await?;
    let staff_procedure = party::Entity::find()
        .filter(party::Column::CaseId.eq(case.id))
        .filter(party::Column::StaffProcedureAt.is_not_null())
        .count(db)
        .await?
        > 0;
    let health_grounds = health_record::Entity::find()
        .filter(health_record::Column::CaseId.eq(case.id))
        .filter(health_record::Column::Kind.eq(HealthRecordKind::EndedOnHealthGrounds.as_str()))
        .count(db)
        .await?
        > 0;
    removed_case_fact::ActiveModel {
        id: Set(Uuid::new_v4()),
        stage: Set(case.stage.clone()),
        categories: Set(case.categories.clone()),
        opened_at: Set(case.opened_at),
        closed_at: Set(case.closed_at),
        had_procedure: Set(procedure.is_some()),
        breach_found: Set(procedure.as_ref().map(|p| p.breach_found)),
        removed_from_record: Set(procedure.as_ref().map(|p| p.removed_from_record)),
        decision_option: Set(procedure.as_ref().and_then(|p| p.decision_option.clone())),
        outcome_notified_at: Set(procedure.as_ref().and_then(|p| p.outcome_notified_at)),
        removed_at: Set(now),
        staff_procedure: Set(staff_procedure),
        health_grounds: Set(health_grounds),
    }
    .insert(db)
    .await?;
    let id = case.id;
    let mut rows = 0;
    // Children before the rows they refer to (the foreign keys restrict).
    macro_rules! remove {
        ($($table:ident),+ $(,)?) => {$(
            rows += $table::Entity::delete_many()
                .filter($table::Column::CaseId.eq(id))
                .exec(db)
                .await?
                .rows_affected;
        )+};
    }
    remove!(
        case_fact,
        anonymous_message,
        anonymous_channel,
        measure_event,
        recording,
        meeting,
        case_staff,
        contact_attempt,
        options_conversation,
        sharing_consent,
        information_share,
        support_note,
        supportive_measure,
        communication_plan,
        health_record,
        disclosure_record,
        timeline_event,
        communication,
        letter,
        risk_assessment,
        measure,
        deadline,
        notification,
        evidence,
        statement,
        hearing,
        sanction,
        appeal,
        respondent_outcome,
        review_request,
        procedure,
        party,
    );
    rows += case::Entity::delete_by_id(id).exec(db).await?.rows_affected;
    Ok(rows)
}
