//! The disciplinary procedure in GraphQL: what each viewer may see of triage,
//! the investigation, hearings, sanctions, the outcome and appeals (every list
//! filtered by `domain::visibility`), and the procedure's mutations.

use async_graphql::dataloader::DataLoader;
use async_graphql::{Context, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use crate::domain::kinds;
use crate::domain::procedure::{appeals, hearings, investigation, sanctions};
use crate::graphql::case::Scoped;
use crate::graphql::context::{CtxExt, GqlResult, OrGql};
use crate::graphql::enums::*;
use crate::graphql::loaders::*;

fn loader<'a>(ctx: &'a Context<'_>) -> &'a DataLoader<Db> {
    ctx.data_unchecked::<DataLoader<Db>>()
}

#[derive(SimpleObject)]
pub struct Triage {
    classification: Option<Classification>,
    /// Alleged breaches with their levels, as classified (R-TRI-1).
    alleged_breaches: Vec<String>,
    /// The staff role the case is routed to by policy (R-TRI-2).
    routed_to: Option<String>,
    /// R-TRI-3: referred to the Cause for Concern group.
    cfc_referred_at: Option<DateTime<Utc>>,
    triaged_at: Option<DateTime<Utc>>,
    /// R-INV-1: target completion of the investigation.
    investigation_target_on: Option<NaiveDate>,
    /// R-INV-5: a conviction or caution was recorded.
    conviction: bool,
}

#[derive(SimpleObject)]
pub struct InvestigationReport {
    finding: Option<Finding>,
    summary: Option<String>,
    recommendations: Option<String>,
    issued_at: Option<DateTime<Utc>>,
}

#[derive(SimpleObject)]
pub struct Decision {
    option: DecisionOption,
    reasons: Option<String>,
    decided_at: Option<DateTime<Utc>>,
}

/// The outcome (R-OUT-1), for those who may know it (R-OUT-2).
#[derive(SimpleObject)]
pub struct Outcome {
    breach_found: bool,
    reasons: Option<String>,
    notified_at: Option<DateTime<Utc>>,
    /// Last day to appeal (R-APP-1).
    appeal_window_ends: Option<NaiveDate>,
    appeals_concluded_at: Option<DateTime<Utc>>,
    /// The case was dismissed and removed from the student's record.
    removed_from_record: bool,
}

#[derive(SimpleObject)]
pub struct Meeting {
    id: Uuid,
    party_id: Uuid,
    scheduled_at: DateTime<Utc>,
    notice_given_at: DateTime<Utc>,
    agreed_shorter_notice: bool,
    /// R-INV-2: the responding party's written response is due by this date.
    written_response_due: Option<NaiveDate>,
    held_at: Option<DateTime<Utc>>,
}

#[derive(SimpleObject)]
pub struct Evidence {
    id: Uuid,
    kind: EvidenceKind,
    description: String,
    submitted_by_party_id: Option<Uuid>,
    shared_with: Vec<Audience>,
    created_at: DateTime<Utc>,
}

#[derive(SimpleObject)]
pub struct Statement {
    id: Uuid,
    party_id: Uuid,
    kind: StatementKind,
    body: String,
    shared_with_parties: bool,
    created_at: DateTime<Utc>,
}

#[derive(SimpleObject)]
pub struct Recording {
    id: Uuid,
    meeting_id: Uuid,
    interviewee_party_id: Uuid,
    location: String,
    created_at: DateTime<Utc>,
}

#[derive(SimpleObject)]
pub struct PanelVote {
    member_id: Uuid,
    breach: bool,
}

/// A hearing: the summons the student receives, the response and the decision.
#[derive(SimpleObject)]
pub struct Hearing {
    id: Uuid,
    scheduled_at: DateTime<Utc>,
    location: String,
    alleged_breaches: String,
    penalty_range: String,
    /// The penalty proposed if the student does not respond (R-HEA-1).
    proposed_penalty: String,
    summons_sent_at: DateTime<Utc>,
    /// R-HEA-2: respond (and name any companion) by this date.
    response_due: Option<NaiveDate>,
    response: Option<HearingResponse>,
    companion: Option<String>,
    /// No response in time: the allegations were deemed accepted.
    deemed_acceptance: bool,
    joint_case_ids: Vec<Uuid>,
    decision: Option<HearingDecision>,
    decision_reasons: Option<String>,
    decided_at: Option<DateTime<Utc>>,
    /// Deliberations: the procedure only.
    votes: Vec<PanelVote>,
}

#[derive(SimpleObject)]
pub struct Sanction {
    id: Uuid,
    party_id: Uuid,
    kind: String,
    amount_pence: Option<i32>,
    imposed_as: Imposer,
    ends_on: Option<NaiveDate>,
    status: SanctionStatus,
    /// Whose approval it awaits (policy `approvals`).
    approval_by: Option<String>,
    /// R-SAN-2 (the procedure and the sanctioned student).
    justification: String,
    why_not_lesser: String,
    created_at: DateTime<Utc>,
}

#[derive(SimpleObject)]
pub struct Appeal {
    id: Uuid,
    party_id: Uuid,
    grounds: Vec<AppealGround>,
    statement: String,
    lodged_at: DateTime<Utc>,
    status: AppealStatus,
    review_reasons: Option<String>,
    /// The Completion of Procedures letter's date (R-APP-3).
    completion_of_procedures_on: Option<NaiveDate>,
    /// A complaint to the OIAHE is possible until this date.
    oiahe_deadline: Option<NaiveDate>,
    panel_reasons: Option<String>,
    decided_at: Option<DateTime<Utc>>,
}

#[derive(SimpleObject)]
pub struct ReviewRequest {
    id: Uuid,
    party_id: Uuid,
    kind: ReviewKind,
    grounds: String,
    requested_at: DateTime<Utc>,
    status: ReviewStatus,
    reasons: Option<String>,
    reviewer_id: Option<Uuid>,
    outcome: Option<String>,
    substantive_change: bool,
}

#[derive(SimpleObject)]
pub struct CaseDeadline {
    kind: DeadlineKind,
    /// The rule that set it.
    rule: String,
    due_on: NaiveDate,
    overdue: bool,
    party_id: Option<Uuid>,
}

/// What each view can ask of the procedure; both `Case` and `PartyCase` use these.
pub struct ProcedureFields;

impl ProcedureFields {
    async fn state(
        ctx: &Context<'_>,
        scope: &Scoped,
    ) -> GqlResult<Option<entity::procedure::Model>> {
        loader(ctx)
            .load_one(ProcedureOf(scope.bundle.case.id))
            .await
    }

    pub async fn triage(ctx: &Context<'_>, scope: &Scoped) -> GqlResult<Option<Triage>> {
        if !scope.rel.can_see_triage() {
            return Ok(None);
        }
        let Some(p) = Self::state(ctx, scope).await? else {
            return Ok(None);
        };
        let breaches = crate::domain::procedure::triage::alleged_breaches(&p).gql()?;
        Ok(Some(Triage {
            classification: p
                .classification
                .as_deref()
                .map(kinds::Classification::from_db)
                .transpose()
                .gql()?
                .map(Into::into),
            alleged_breaches: breaches
                .into_iter()
                .map(|b| format!("{} ({})", b.description, b.level))
                .collect(),
            routed_to: p.routed_to,
            cfc_referred_at: p.cfc_referred_at,
            triaged_at: p.triaged_at,
            investigation_target_on: p.investigation_target_on,
            conviction: p.conviction,
        }))
    }

    pub async fn investigation_report(
        ctx: &Context<'_>,
        scope: &Scoped,
    ) -> GqlResult<Option<InvestigationReport>> {
        let Some(p) = Self::state(ctx, scope).await? else {
            return Ok(None);
        };
        let issued = p.investigation_report_at.is_some();
        if !scope.rel.can_see_investigation_report(issued, p.conviction) {
            return Ok(None);
        }
        ctx.record_read("investigationReport", scope.bundle.case.id);
        Ok(Some(InvestigationReport {
            finding: p
                .finding
                .as_deref()
                .map(kinds::Finding::from_db)
                .transpose()
                .gql()?
                .map(Into::into),
            summary: p.investigation_summary,
            recommendations: p.recommendations,
            issued_at: p.investigation_report_at,
        }))
    }

    pub async fn decision(ctx: &Context<'_>, scope: &Scoped) -> GqlResult<Option<Decision>> {
        let Some(p) = Self::state(ctx, scope).await? else {
            return Ok(None);
        };
        let Some(option) = p.decision_option.as_deref() else {
            return Ok(None);
        };
        // The responding side learns the decision with reasons at once; the
        // reporting side once the appeal process has concluded (R-OUT-2).
        if !scope.rel.can_see_outcome(p.appeals_concluded_at.is_some()) {
            return Ok(None);
        }
        Ok(Some(Decision {
            option: kinds::DecisionOption::from_db(option).gql()?.into(),
            reasons: p.decision_reasons,
            decided_at: p.decided_at,
        }))
    }

    pub async fn outcome(ctx: &Context<'_>, scope: &Scoped) -> GqlResult<Option<Outcome>> {
        let Some(p) = Self::state(ctx, scope).await? else {
            return Ok(None);
        };
        if p.outcome_reasons.is_none()
            || !scope.rel.can_see_outcome(p.appeals_concluded_at.is_some())
        {
            return Ok(None);
        }
        Ok(Some(Outcome {
            breach_found: p.breach_found,
            reasons: p.outcome_reasons,
            notified_at: p.outcome_notified_at,
            appeal_window_ends: p.appeal_window_ends,
            appeals_concluded_at: p.appeals_concluded_at,
            removed_from_record: p.removed_from_record,
        }))
    }

    pub async fn meetings(ctx: &Context<'_>, scope: &Scoped) -> GqlResult<Vec<Meeting>> {
        let rows = loader(ctx)
            .load_one(MeetingsOf(scope.bundle.case.id))
            .await?
            .unwrap_or_default();
        Ok(rows
            .into_iter()
            .filter(|m| scope.rel.can_see_meeting(m.party_id))
            .map(|m| Meeting {
                id: m.id,
                party_id: m.party_id,
                scheduled_at: m.scheduled_at,
                notice_given_at: m.notice_given_at,
                agreed_shorter_notice: m.agreed_shorter_notice,
                written_response_due: m.written_response_due,
                held_at: m.held_at,
            })
            .collect())
    }

    pub async fn evidence(ctx: &Context<'_>, scope: &Scoped) -> GqlResult<Vec<Evidence>> {
        let rows = loader(ctx)
            .load_one(EvidenceOf(scope.bundle.case.id))
            .await?
            .unwrap_or_default();
        let mut out = Vec::new();
        for e in rows {
            let audience = investigation::audience(&e).gql()?;
            if scope.rel.can_see_evidence(&audience, e.submitted_by_party) {
                out.push(Evidence {
                    id: e.id,
                    kind: kinds::EvidenceKind::from_db(&e.kind).gql()?.into(),
                    description: e.description,
                    submitted_by_party_id: e.submitted_by_party,
                    shared_with: audience.into_iter().map(Into::into).collect(),
                    created_at: e.created_at,
                });
            }
        }
        if !out.is_empty() {
            ctx.record_read("evidence", scope.bundle.case.id);
        }
        Ok(out)
    }

    pub async fn statements(ctx: &Context<'_>, scope: &Scoped) -> GqlResult<Vec<Statement>> {
        let rows = loader(ctx)
            .load_one(StatementsOf(scope.bundle.case.id))
            .await?
            .unwrap_or_default();
        let mut out = Vec::new();
        for s in rows.into_iter().filter(|s| {
            scope
                .rel
                .can_see_statement(s.party_id, s.shared_with_parties)
        }) {
            out.push(Statement {
                id: s.id,
                party_id: s.party_id,
                kind: kinds::StatementKind::from_db(&s.kind).gql()?.into(),
                body: s.body,
                shared_with_parties: s.shared_with_parties,
                created_at: s.created_at,
            });
        }
        if !out.is_empty() {
            ctx.record_read("statements", scope.bundle.case.id);
        }
        Ok(out)
    }

    pub async fn recordings(ctx: &Context<'_>, scope: &Scoped) -> GqlResult<Vec<Recording>> {
        let rows = loader(ctx)
            .load_one(RecordingsOf(scope.bundle.case.id))
            .await?
            .unwrap_or_default();
        let out: Vec<Recording> = rows
            .into_iter()
            .filter(|r| {
                r.deleted_at.is_none() && scope.rel.can_see_recording(r.interviewee_party_id)
            })
            .map(|r| Recording {
                id: r.id,
                meeting_id: r.meeting_id,
                interviewee_party_id: r.interviewee_party_id,
                location: r.location,
                created_at: r.created_at,
            })
            .collect();
        if !out.is_empty() {
            ctx.record_read("recordings", scope.bundle.case.id);
        }
        Ok(out)
    }

    pub async fn hearings(ctx: &Context<'_>, scope: &Scoped) -> GqlResult<Vec<Hearing>> {
        if !scope.rel.can_see_hearing() {
            return Ok(vec![]);
        }
        let rows = loader(ctx)
            .load_one(HearingsOf(scope.bundle.case.id))
            .await?
            .unwrap_or_default();
        let mut out = Vec::new();
        for h in rows {
            let joint_case_ids = hearings::joint_cases(&h).gql()?;
            let votes = if scope.rel.can_see_panel_votes() {
                hearings::votes(&h).gql()?
            } else {
                vec![]
            };
            out.push(Hearing {
                id: h.id,
                scheduled_at: h.scheduled_at,
                location: h.location,
                alleged_breaches: h.alleged_breaches,
                penalty_range: h.penalty_range,
                proposed_penalty: h.proposed_penalty,
                summons_sent_at: h.summons_sent_at,
                response_due: h.response_due,
                response: h
                    .response
                    .as_deref()
                    .map(kinds::HearingResponse::from_db)
                    .transpose()
                    .gql()?
                    .map(Into::into),
                companion: h.companion,
                deemed_acceptance: h.deemed_acceptance,
                joint_case_ids,
                decision: h
                    .decision
                    .as_deref()
                    .map(kinds::HearingDecision::from_db)
                    .transpose()
                    .gql()?
                    .map(Into::into),
                decision_reasons: h.decision_reasons,
                decided_at: h.decided_at,
                votes: votes
                    .into_iter()
                    .map(|v| PanelVote {
                        member_id: v.member,
                        breach: v.breach,
                    })
                    .collect(),
            });
        }
        Ok(out)
    }

    fn sanction(s: entity::sanction::Model) -> GqlResult<Sanction> {
        Ok(Sanction {
            id: s.id,
            party_id: s.party_id,
            kind: s.kind,
            amount_pence: s.amount_pence,
            imposed_as: kinds::Imposer::from_db(&s.imposed_as).gql()?.into(),
            ends_on: s.ends_on,
            status: kinds::SanctionStatus::from_db(&s.status).gql()?.into(),
            approval_by: s.approval_by,
            justification: s.justification,
            why_not_lesser: s.why_not_lesser,
            created_at: s.created_at,
        })
    }

    /// Sanctions: the procedure; the sanctioned side at once; the reporting
    /// side only after appeals concluded (R-OUT-2), without the justification.
    pub async fn sanctions(ctx: &Context<'_>, scope: &Scoped) -> GqlResult<Vec<Sanction>> {
        let concluded = Self::state(ctx, scope)
            .await?
            .is_some_and(|p| p.appeals_concluded_at.is_some());
        if !scope.rel.can_see_outcome(concluded) {
            return Ok(vec![]);
        }
        let rows = loader(ctx)
            .load_one(SanctionsOf(scope.bundle.case.id))
            .await?
            .unwrap_or_default();
        let mut out = Vec::new();
        for s in rows {
            let own_side = scope.rel.can_see_sanction_justification(s.party_id);
            let mut view = Self::sanction(s)?;
            if !own_side {
                view.justification = String::new();
                view.why_not_lesser = String::new();
            }
            out.push(view);
        }
        Ok(out)
    }

    pub async fn previous_sanctions(ctx: &Context<'_>, scope: &Scoped) -> GqlResult<Vec<Sanction>> {
        if !scope.rel.can_see_previous_sanctions() {
            return Ok(vec![]);
        }
        let people = sanctions::responding_people(&scope.bundle)
            .into_iter()
            .map(SanctionsOfPerson);
        let theirs = loader(ctx).load_many(people).await?;
        sanctions::previous(&scope.bundle, theirs.into_values().flatten().collect())
            .into_iter()
            .map(Self::sanction)
            .collect()
    }

    pub async fn appeals(ctx: &Context<'_>, scope: &Scoped) -> GqlResult<Vec<Appeal>> {
        let rows = loader(ctx)
            .load_one(AppealsOf(scope.bundle.case.id))
            .await?
            .unwrap_or_default();
        let mut out = Vec::new();
        for a in rows
            .into_iter()
            .filter(|a| scope.rel.can_see_appeal(a.party_id))
        {
            out.push(Appeal {
                grounds: appeals::grounds(&a)
                    .gql()?
                    .into_iter()
                    .map(Into::into)
                    .collect(),
                status: kinds::AppealStatus::from_db(&a.status).gql()?.into(),
                id: a.id,
                party_id: a.party_id,
                statement: a.statement,
                lodged_at: a.lodged_at,
                review_reasons: a.review_reasons,
                completion_of_procedures_on: a.completion_of_procedures_on,
                oiahe_deadline: a.oiahe_deadline,
                panel_reasons: a.panel_reasons,
                decided_at: a.decided_at,
            });
        }
        Ok(out)
    }

    pub async fn review_requests(
        ctx: &Context<'_>,
        scope: &Scoped,
    ) -> GqlResult<Vec<ReviewRequest>> {
        let rows = loader(ctx)
            .load_one(ReviewRequestsOf(scope.bundle.case.id))
            .await?
            .unwrap_or_default();
        let mut out = Vec::new();
        for r in rows
            .into_iter()
            .filter(|r| scope.rel.can_see_review_request(r.party_id))
        {
            out.push(ReviewRequest {
                kind: kinds::ReviewKind::from_db(&r.kind).gql()?.into(),
                status: kinds::ReviewStatus::from_db(&r.status).gql()?.into(),
                id: r.id,
                party_id: r.party_id,
                grounds: r.grounds,
                requested_at: r.requested_at,
                reasons: r.reasons,
                reviewer_id: r.reviewer_id,
                outcome: r.outcome,
                substantive_change: r.substantive_change,
            });
        }
        Ok(out)
    }

    pub async fn deadlines(ctx: &Context<'_>, scope: &Scoped) -> GqlResult<Vec<CaseDeadline>> {
        let rows = loader(ctx)
            .load_one(DeadlinesOf(scope.bundle.case.id))
            .await?
            .unwrap_or_default();
        let today = ctx.viewer()?.now.today();
        let mut out = Vec::new();
        for d in rows
            .into_iter()
            .filter(|d| d.status == kinds::DeadlineStatus::Open.as_str())
        {
            let kind = kinds::DeadlineKind::from_db(&d.kind).gql()?;
            if scope.rel.can_see_deadline(kind, d.party_id) {
                out.push(CaseDeadline {
                    kind: kind.into(),
                    rule: d.rule,
                    due_on: d.due_on,
                    overdue: d.due_on < today,
                    party_id: d.party_id,
                });
            }
        }
        Ok(out)
    }
}
