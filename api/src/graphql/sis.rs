//! The SIS integration (role SIS_INTEGRATION): student sync in, enrolment-
//! affecting outcomes out.

use async_graphql::{Context, InputObject, Object, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};

use crate::domain::sis::{self, StudentRecord};
use crate::error::Error;
use crate::graphql::context::{CtxExt, GqlResult, OrGql, to_gql};
use crate::graphql::transaction::in_tx;

/// One student record from the SIS.
#[derive(InputObject)]
pub struct StudentRecordInput {
    /// The student number: the key students are matched on.
    sis_number: String,
    /// The identity provider's subject for this student; defaults to `sis:<number>`.
    subject: Option<String>,
    /// The student's name.
    name: String,
    /// Their e-mail address, for letters.
    email: Option<String>,
    /// Their programme of study.
    programme: Option<String>,
    /// Their enrolment now: ENROLLED, INTERRUPTED, WITHDRAWN, GRADUATED or LEFT
    /// (the values of `EnrolmentStatus`). Text rather than the enum so that an
    /// unknown value is reported as that row's error, with its index, instead
    /// of refusing the whole batch.
    enrolment_status: String,
    /// When they left or graduated (drives retention, R-RET-1).
    leaving_date: Option<NaiveDate>,
}

/// Why one row of a batch was refused.
#[derive(SimpleObject)]
pub struct RowError {
    /// Position of the row in the batch (from 0).
    index: usize,
    /// The row's student number.
    sis_number: String,
    /// Always VALIDATION: the row's content is at fault.
    code: &'static str,
    /// The input field at fault, e.g. `enrolmentStatus`.
    field: Option<String>,
    /// What is wrong with it.
    message: String,
}

/// The result of a batch. When `errors` is not empty nothing was saved.
#[derive(SimpleObject)]
pub struct StudentBatchResult {
    /// Students registered by this batch.
    created: u32,
    /// Students whose record changed.
    updated: u32,
    /// Students already up to date.
    unchanged: u32,
    /// Rows refused; when there are any, nothing was saved.
    errors: Vec<RowError>,
    /// This idempotency key was processed before; its stored result is returned.
    replayed: bool,
}

/// An outcome that affects a student's enrolment.
#[derive(SimpleObject)]
pub struct EnrolmentOutcome {
    /// The student's number.
    sis_number: String,
    /// SUSPENSION, EXPULSION, EXCLUSION_FROM_CONGREGATION or REVOCATION_OF_AWARD.
    outcome: String,
    /// IMPOSED, or REMOVED / SUBSTITUTED when an appeal changed it.
    status: String,
    /// For a suspension or exclusion: when it ends.
    ends_on: Option<NaiveDate>,
    /// When this change was recorded.
    recorded_at: DateTime<Utc>,
}

/// The enrolment-outcome feed: changes since your cursor, oldest first, with
/// no gaps (docs/sis.md). Unlike the lists of the API this is a change feed:
/// keep `endCursor` and ask again later.
#[derive(SimpleObject)]
pub struct EnrolmentFeed {
    /// The changes, oldest first.
    items: Vec<EnrolmentOutcome>,
    /// Pass as `after` next time; unchanged when there was nothing new.
    end_cursor: String,
    /// More changes wait: ask again at once.
    has_more: bool,
}

#[derive(Default)]
pub struct SisQuery;

#[Object]
impl SisQuery {
    /// Enrolment-affecting outcomes since your last cursor, oldest first.
    #[graphql(complexity = "crate::graphql::cost::feed(first, child_complexity)")]
    async fn enrolment_outcomes(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The `endCursor` you last received; omit it the first time.")]
        after: Option<String>,
        #[graphql(default = 100, desc = "How many changes at most (1 to 1000).")] first: u64,
    ) -> GqlResult<EnrolmentFeed> {
        let viewer = ctx.viewer()?;
        let after_seq = match after.as_deref() {
            None | Some("") => 0,
            Some(text) => text.parse::<i64>().map_err(|e| {
                to_gql(Error::validation(
                    "after",
                    format!("This cursor is not one this server issued ({e})."),
                ))
            })?,
        };
        if !(1..=1000).contains(&first) {
            return Err(to_gql(Error::validation(
                "first",
                "`first` must be between 1 and 1000.",
            )));
        }
        let mut rows = sis::feed(viewer, &ctx.state().db, after_seq, first + 1)
            .await
            .gql()?;
        let has_more = rows.len() as u64 > first;
        rows.truncate(first as usize);
        let end = rows.last().map(|e| e.seq).unwrap_or(after_seq);
        Ok(EnrolmentFeed {
            items: rows
                .into_iter()
                .map(|e| EnrolmentOutcome {
                    sis_number: e.sis_number,
                    outcome: e.kind,
                    status: e.status,
                    ends_on: e.ends_on,
                    recorded_at: e.recorded_at,
                })
                .collect(),
            end_cursor: end.to_string(),
            has_more,
        })
    }
}

#[derive(Default)]
pub struct SisMutation;

#[Object]
impl SisMutation {
    /// Upserts students by SIS number; idempotent, all or nothing (see docs/sis.md).
    async fn upsert_students(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "A key unique to this batch: a retry with the same key returns the first result and changes nothing."
        )]
        idempotency_key: String,
        #[graphql(desc = "The students (1 to 1000 per batch).")] students: Vec<StudentRecordInput>,
    ) -> GqlResult<StudentBatchResult> {
        let records = students
            .into_iter()
            .map(|s| StudentRecord {
                sis_number: s.sis_number,
                subject: s.subject,
                name: s.name,
                email: s.email,
                programme: s.programme,
                enrolment_status: s.enrolment_status.trim().to_owned(),
                leaving_date: s.leaving_date,
            })
            .collect();
        let r = in_tx(ctx, async |viewer, tx| {
            sis::upsert_students(viewer, tx, &idempotency_key, records).await
        })
        .await?;
        Ok(StudentBatchResult {
            created: r.created,
            updated: r.updated,
            unchanged: r.unchanged,
            errors: r
                .errors
                .into_iter()
                .map(|e| RowError {
                    index: e.index,
                    sis_number: e.sis_number,
                    code: "VALIDATION",
                    field: e.field,
                    message: e.message,
                })
                .collect(),
            replayed: r.replayed,
        })
    }
}
