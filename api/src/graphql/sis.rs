//! The SIS integration (role SIS_INTEGRATION): student sync in, enrolment-
//! affecting outcomes out.

use async_graphql::{Context, InputObject, Object, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};

use crate::domain::sis::{self, StudentRecord};
use crate::error::Error;
use crate::graphql::context::{CtxExt, GqlResult, OrGql, to_gql};
use crate::graphql::enums::EnrolmentStatus;
use crate::graphql::transaction::in_tx;

#[derive(InputObject)]
pub struct StudentRecordInput {
    sis_number: String,
    /// The identity provider's subject for this student; defaults to `sis:<number>`.
    subject: Option<String>,
    name: String,
    email: Option<String>,
    programme: Option<String>,
    enrolment_status: EnrolmentStatus,
    leaving_date: Option<NaiveDate>,
}

#[derive(SimpleObject)]
pub struct RowError {
    /// Position of the row in the batch (from 0).
    index: usize,
    sis_number: String,
    message: String,
}

/// The result of a batch. When `errors` is not empty nothing was saved.
#[derive(SimpleObject)]
pub struct StudentBatchResult {
    created: u32,
    updated: u32,
    unchanged: u32,
    errors: Vec<RowError>,
    /// This idempotency key was processed before; its stored result is returned.
    replayed: bool,
}

#[derive(SimpleObject)]
pub struct EnrolmentOutcome {
    sis_number: String,
    /// SUSPENSION, EXPULSION, EXCLUSION_FROM_CONGREGATION or REVOCATION_OF_AWARD.
    outcome: String,
    /// IMPOSED, or REMOVED / SUBSTITUTED when an appeal changed it.
    status: String,
    ends_on: Option<NaiveDate>,
    recorded_at: DateTime<Utc>,
}

#[derive(SimpleObject)]
pub struct EnrolmentFeed {
    items: Vec<EnrolmentOutcome>,
    /// Pass as `after` next time; unchanged when there was nothing new.
    end_cursor: String,
    has_more: bool,
}

#[derive(Default)]
pub struct SisQuery;

#[Object]
impl SisQuery {
    /// Enrolment-affecting outcomes since your last cursor, oldest first.
    async fn enrolment_outcomes(
        &self,
        ctx: &Context<'_>,
        after: Option<String>,
        #[graphql(default = 100)] first: u64,
    ) -> GqlResult<EnrolmentFeed> {
        let viewer = ctx.viewer()?;
        let after_seq = match after.as_deref() {
            None | Some("") => 0,
            Some(text) => text.parse::<i64>().map_err(|_| {
                to_gql(Error::validation(
                    "after",
                    "This cursor is not one this server issued.",
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
        idempotency_key: String,
        students: Vec<StudentRecordInput>,
    ) -> GqlResult<StudentBatchResult> {
        let records = students
            .into_iter()
            .map(|s| StudentRecord {
                sis_number: s.sis_number,
                subject: s.subject,
                name: s.name,
                email: s.email,
                programme: s.programme,
                enrolment_status: crate::domain::kinds::EnrolmentStatus::from(s.enrolment_status)
                    .as_str()
                    .into(),
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
                    message: e.message,
                })
                .collect(),
            replayed: r.replayed,
        })
    }
}
