//! Supportive measures (R-SUP-6): arranged and reviewed by the case worker of
//! the party they support; each one transaction.

use async_graphql::{Context, InputObject, Object};
use chrono::NaiveDate;
use uuid::Uuid;

use super::{CasePayload, payload};
use crate::domain::support::supportive::{self, NewSupportiveMeasure, SupportiveReview};
use crate::graphql::context::{CtxExt, GqlResult};
use crate::graphql::enums::{SupportiveMeasureKind, SupportiveReviewDecision};
use crate::graphql::transaction::in_tx;

/// A supportive measure to arrange for one party (R-SUP-6).
#[derive(InputObject)]
pub struct SupportiveMeasureInput {
    /// The case.
    case_id: Uuid,
    /// The party it supports.
    party_id: Uuid,
    /// What kind of help.
    kind: SupportiveMeasureKind,
    /// What is arranged, in words (e.g. "Essay deadline moved to 14 March").
    details: String,
    /// The day it starts; defaults to today.
    starts_on: Option<NaiveDate>,
    /// The last day it applies, if it has an end.
    until: Option<NaiveDate>,
    /// Its first review; defaults to the policy's interval in working days
    /// (`measures.supportive_review_interval_working_days`), and never after
    /// `until`.
    review_on: Option<NaiveDate>,
}

/// A case worker's review of a supportive measure (R-SUP-6).
#[derive(InputObject)]
pub struct ReviewSupportiveMeasureInput {
    /// The measure.
    measure_id: Uuid,
    /// Its `version` as you read it.
    expected_version: i32,
    /// Continue or end.
    decision: SupportiveReviewDecision,
    /// Why, as agreed with the party.
    reason: String,
    /// A new last day, when it continues.
    until: Option<NaiveDate>,
    /// The next review, when it continues; defaults to the policy's interval.
    next_review_on: Option<NaiveDate>,
}

#[derive(Default)]
pub struct SupportiveMeasureMutation;

#[Object]
impl SupportiveMeasureMutation {
    /// The party's case worker arranges a supportive measure for them
    /// (R-SUP-6): seen by the party and their case worker(s), never by the
    /// other side or the procedure. Its review is a deadline in the case
    /// worker's list.
    async fn arrange_supportive_measure(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The measure.")] input: SupportiveMeasureInput,
    ) -> GqlResult<CasePayload> {
        let policies = &ctx.state().policies;
        let (case_id, party_id) = (input.case_id, input.party_id);
        let new = NewSupportiveMeasure {
            kind: input.kind.into(),
            details: input.details,
            starts_on: input.starts_on,
            until: input.until,
            review_on: input.review_on,
        };
        in_tx(ctx, async |viewer, tx| {
            supportive::arrange(viewer, tx, policies, case_id, party_id, new).await
        })
        .await?;
        payload(ctx, case_id).await
    }

    /// The party's case worker reviews a supportive measure (R-SUP-6): it
    /// continues, with its next review set, or ends today.
    async fn review_supportive_measure(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The review.")] input: ReviewSupportiveMeasureInput,
    ) -> GqlResult<CasePayload> {
        let policies = &ctx.state().policies;
        let (measure_id, expected_version) = (input.measure_id, input.expected_version);
        let review = SupportiveReview {
            decision: input.decision.into(),
            reason: input.reason,
            until: input.until,
            next_review_on: input.next_review_on,
        };
        let changed = in_tx(ctx, async |viewer, tx| {
            supportive::review(viewer, tx, policies, measure_id, review, expected_version).await
        })
        .await?;
        payload(ctx, changed.case_id).await
    }
}
