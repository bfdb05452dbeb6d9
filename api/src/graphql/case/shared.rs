//! The fields of a case that staff and parties ask for alike. Each returns
//! what the viewer may see of it, so one definition serves both views.

use async_graphql::ID;
use async_graphql::{Context, Object};
use chrono::{DateTime, Utc};

use super::{ReportView, Scoped, TimelineEntry};
use crate::graphql::context::GqlResult;
use crate::graphql::procedure::{
    Appeal, Decision, Evidence, Hearing, InvestigationReport, Meeting, Outcome, ProcedureFields,
    Recording, RespondentOutcome, ReviewRequest, Sanction, Statement,
};

/// The fields both views of a case share.
pub struct CaseFields(pub Scoped);

/// The fields both views of a case share.
#[Object]
impl CaseFields {
    /// The case's id: pass it to `case`, `myCase` and the mutations.
    async fn id(&self) -> ID {
        self.0.bundle.case.id.into()
    }
    /// Human-readable reference, e.g. MC-1A2B3C4D, to quote in letters and calls.
    async fn reference(&self) -> &str {
        &self.0.bundle.case.reference
    }
    /// Pass back as `expectedVersion` when changing the case; a stale value is
    /// refused with CONFLICT (someone else changed it first).
    async fn version(&self) -> i32 {
        self.0.bundle.case.version
    }
    /// When the disclosure was recorded.
    async fn opened_at(&self) -> DateTime<Utc> {
        self.0.bundle.case.opened_at
    }
    /// When the case was closed or withdrawn; null while it is open.
    async fn closed_at(&self) -> Option<DateTime<Utc>> {
        self.0.bundle.case.closed_at
    }
    /// The formal report, where you may read it: the reporting side and the
    /// procedure; the responding side once told, if the reporting party agreed
    /// (R-REP-2). Null before a report or when you may not read it.
    async fn report(&self) -> Option<ReportView> {
        self.0
            .rel
            .can_read_report(&self.0.bundle.case)
            .then(|| ReportView(self.0.clone()))
    }
    /// The investigation report (R-INV-7), once issued: both principal parties
    /// (002 §8) and the procedure.
    async fn investigation_report(
        &self,
        ctx: &Context<'_>,
    ) -> GqlResult<Option<InvestigationReport>> {
        ProcedureFields::investigation_report(ctx, &self.0).await
    }
    /// The decision with its reasons (R-DEC-1): at once for the responding side,
    /// for the reporting side only once the appeal process has concluded (R-OUT-2).
    async fn decision(&self, ctx: &Context<'_>) -> GqlResult<Option<Decision>> {
        ProcedureFields::decision(ctx, &self.0).await
    }
    /// The outcome (R-OUT-1): at once for the responding side; for the
    /// reporting side only after the appeal process has concluded (R-OUT-2).
    async fn outcome(&self, ctx: &Context<'_>) -> GqlResult<Option<Outcome>> {
        ProcedureFields::outcome(ctx, &self.0).await
    }
    /// Each responding party's own outcome (000 §35): the procedure sees all;
    /// a responding party their own; the reporting party each respondent's
    /// once that respondent's appeal process has concluded (R-OUT-2).
    async fn respondent_outcomes(&self, ctx: &Context<'_>) -> GqlResult<Vec<RespondentOutcome>> {
        ProcedureFields::respondent_outcomes(ctx, &self.0).await
    }
    /// Investigation meetings you may see: the procedure sees all; a party (and
    /// their case worker) their own.
    async fn meetings(&self, ctx: &Context<'_>) -> GqlResult<Vec<Meeting>> {
        ProcedureFields::meetings(ctx, &self.0).await
    }
    /// Evidence you may see (R-INV-3): what you submitted, and what is shared
    /// with you; investigators, decision makers and panels see all.
    async fn evidence(&self, ctx: &Context<'_>) -> GqlResult<Vec<Evidence>> {
        ProcedureFields::evidence(ctx, &self.0).await
    }
    /// Statements you may see: your own, and witness statements shared with the
    /// principal parties (002 §8); the procedure sees all.
    async fn statements(&self, ctx: &Context<'_>) -> GqlResult<Vec<Statement>> {
        ProcedureFields::statements(ctx, &self.0).await
    }
    /// Interview recordings: the assigned investigators and the interviewee
    /// only (R-INV-4).
    async fn recordings(&self, ctx: &Context<'_>) -> GqlResult<Vec<Recording>> {
        ProcedureFields::recordings(ctx, &self.0).await
    }
    /// Hearings with their summons and response: the procedure and the
    /// responding side (the panel's votes only to the procedure).
    async fn hearings(&self, ctx: &Context<'_>) -> GqlResult<Vec<Hearing>> {
        ProcedureFields::hearings(ctx, &self.0).await
    }
    /// Sanctions (R-SAN-1): the procedure and the sanctioned side at once; the
    /// reporting side after appeals concluded (R-OUT-2), without the justification.
    async fn sanctions(&self, ctx: &Context<'_>) -> GqlResult<Vec<Sanction>> {
        ProcedureFields::sanctions(ctx, &self.0).await
    }
    /// Appeals (R-APP-1…3): the procedure and the appellant's side.
    async fn appeals(&self, ctx: &Context<'_>) -> GqlResult<Vec<Appeal>> {
        ProcedureFields::appeals(ctx, &self.0).await
    }
    /// Requests for an investigation review (R-IRV-1) or an informal review
    /// (R-APP-4): the procedure and the requesting side.
    async fn review_requests(&self, ctx: &Context<'_>) -> GqlResult<Vec<ReviewRequest>> {
        ProcedureFields::review_requests(ctx, &self.0).await
    }
    /// What happened, oldest first, as far as you may see it: support events
    /// stay with the party they concern; procedural events are seen by all who
    /// can see the case, except witnesses.
    async fn timeline(&self, ctx: &Context<'_>) -> GqlResult<Vec<TimelineEntry>> {
        super::timeline::of_scope(ctx, &self.0).await
    }
}
