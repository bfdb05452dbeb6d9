//! Data protection for the DPO (issue 12): the retention review and run
//! (R-RET-1), legal holds, and subject access exports (R-RET-2).

use async_graphql::{Context, ID, Object, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use crate::domain::audit::AuditRecord;
use crate::domain::{legal_hold, retention, subject_access};
use crate::graphql::case::{CasePayload, payload};
use crate::graphql::context::{CtxExt, GqlResult, OrGql};
use crate::graphql::transaction::in_tx;

/// A concluded case retention will remove.
#[derive(SimpleObject)]
pub struct RetentionDueCase {
    /// The case.
    case_id: ID,
    /// Its reference.
    reference: String,
    /// Why it goes (R-RET-1).
    reason: String,
}

/// A case kept by a legal hold.
#[derive(SimpleObject)]
pub struct HeldCase {
    /// The case.
    case_id: ID,
    /// Its reference.
    reference: String,
    /// Why it is held.
    reason: String,
    /// Since when.
    since: DateTime<Utc>,
}

/// An interview recording due for deletion (R-INV-4).
#[derive(SimpleObject, Clone)]
pub struct DueRecording {
    /// The recording.
    recording_id: ID,
    /// Its case.
    case_id: ID,
    /// Where it is stored: delete the file there (the service holds only this pointer).
    location: String,
}

/// What retention would remove today (nothing is removed by reading this).
#[derive(SimpleObject)]
pub struct RetentionReview {
    /// The UK day the review is for.
    as_of: NaiveDate,
    /// Concluded cases due for removal, with why.
    due: Vec<RetentionDueCase>,
    /// Cases kept by a legal hold.
    held: Vec<HeldCase>,
    /// Concluded cases kept because a student's leaving date is not known yet.
    awaiting_leaving_date: u64,
    /// Interview recordings due for deletion (R-INV-4).
    recordings: Vec<DueRecording>,
}

/// A case retention removed.
#[derive(SimpleObject)]
pub struct RemovedCase {
    /// The case, which no longer exists.
    case_id: ID,
    /// Its reference.
    reference: String,
    /// Why it went.
    reason: String,
    /// Rows removed with it, the case row included.
    rows: u64,
}

/// What a retention run did.
#[derive(SimpleObject)]
pub struct RetentionRun {
    /// What was due when the run began.
    review: RetentionReview,
    /// The cases removed.
    removed: Vec<RemovedCase>,
    /// The recordings deleted: delete their files where they are stored.
    recordings_deleted: Vec<DueRecording>,
}

fn recording(r: retention::DueRecording) -> DueRecording {
    DueRecording {
        recording_id: r.recording_id.into(),
        case_id: r.case_id.into(),
        location: r.location,
    }
}

impl From<retention::Review> for RetentionReview {
    fn from(r: retention::Review) -> Self {
        RetentionReview {
            as_of: r.as_of,
            due: r
                .due
                .into_iter()
                .map(|d| RetentionDueCase {
                    case_id: d.case_id.into(),
                    reference: d.reference,
                    reason: d.why.to_string(),
                })
                .collect(),
            held: r
                .held
                .into_iter()
                .map(|h| HeldCase {
                    case_id: h.case_id.into(),
                    reference: h.reference,
                    reason: h.reason,
                    since: h.since,
                })
                .collect(),
            awaiting_leaving_date: r.awaiting_leaving_date,
            recordings: r.recordings.into_iter().map(recording).collect(),
        }
    }
}

/// Everything held about one person (R-RET-2, UK GDPR Art. 15), with other
/// people's personal data left out (docs/data-protection.md).
#[derive(SimpleObject)]
pub struct SubjectAccessExport {
    /// The person it is about.
    person_id: ID,
    /// The machine-readable document: JSON text.
    document: String,
    /// The same, rendered as plain text for the person to read.
    readable: String,
}

#[derive(Default)]
pub struct DataProtectionQuery;

#[Object]
impl DataProtectionQuery {
    /// What the retention job would remove today, and what legal holds keep
    /// (R-RET-1). For the data protection officer (policy
    /// `data_protection.officer_role`).
    async fn retention_review(&self, ctx: &Context<'_>) -> GqlResult<RetentionReview> {
        let viewer = ctx.viewer()?;
        let state = ctx.state();
        let review = retention::review_for(viewer, &state.db, &state.policies)
            .await
            .gql()?;
        Ok(review.into())
    }

    /// A subject access export for one person (R-RET-2): their own data as a
    /// party, witness, subject of measures and recipient of letters, and who
    /// read their cases; other people's personal data left out. For the data
    /// protection officer; producing it is audited.
    async fn subject_access_export(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The person the request is about.")] person_id: Uuid,
    ) -> GqlResult<SubjectAccessExport> {
        let viewer = ctx.viewer()?;
        let state = ctx.state();
        let export = subject_access::export(viewer, &state.db, &state.policies, person_id)
            .await
            .gql()?;
        let mut entry = AuditRecord::new("subjectAccessExport", None);
        entry.detail = Some(format!("export for person {person_id}"));
        state.audit.append(Some(viewer), vec![entry]).await.gql()?;
        let document = serde_json::to_string_pretty(&export.document)
            .map_err(|e| crate::error::Error::Internal(e.into()))
            .gql()?;
        Ok(SubjectAccessExport {
            person_id: export.person_id.into(),
            document,
            readable: export.readable,
        })
    }
}

#[derive(Default)]
pub struct DataProtectionMutation;

#[Object]
impl DataProtectionMutation {
    /// Runs retention now (R-RET-1): removes each due case whole, one
    /// transaction per case, keeping only its anonymous facts for the
    /// statistics, and deletes due recordings; each removal is logged. The
    /// same as `misconduct-server retention`. For the data protection officer.
    async fn apply_retention(&self, ctx: &Context<'_>) -> GqlResult<RetentionRun> {
        let viewer = ctx.viewer()?;
        let state = ctx.state();
        let run = retention::apply_for(viewer, &state.db, &state.policies)
            .await
            .gql()?;
        Ok(RetentionRun {
            review: run.review.into(),
            removed: run
                .removed
                .into_iter()
                .map(|r| RemovedCase {
                    case_id: r.case_id.into(),
                    reference: r.reference,
                    reason: r.why.to_string(),
                    rows: r.rows,
                })
                .collect(),
            recordings_deleted: run.recordings_deleted.into_iter().map(recording).collect(),
        })
    }

    /// Places a legal hold on a case: retention will not remove it (or its
    /// recordings) until the hold is released. The conduct team, an
    /// administrator or the data protection officer; the reason is kept.
    async fn place_legal_hold(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The case.")] case_id: Uuid,
        #[graphql(desc = "The case's `version` as you read it.")] expected_version: i32,
        #[graphql(desc = "Why the case must be kept (e.g. a claim, an OIAHE complaint).")]
        reason: String,
    ) -> GqlResult<CasePayload> {
        let policy = ctx.state().policy.clone();
        in_tx(ctx, async |viewer, tx| {
            legal_hold::place(viewer, tx, &policy, case_id, expected_version, &reason).await
        })
        .await?;
        payload(ctx, case_id).await
    }

    /// Releases a case's legal hold: retention applies to it again.
    async fn release_legal_hold(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The case.")] case_id: Uuid,
        #[graphql(desc = "The case's `version` as you read it.")] expected_version: i32,
    ) -> GqlResult<CasePayload> {
        let policy = ctx.state().policy.clone();
        in_tx(ctx, async |viewer, tx| {
            legal_hold::release(viewer, tx, &policy, case_id, expected_version).await
        })
        .await?;
        payload(ctx, case_id).await
    }
}
