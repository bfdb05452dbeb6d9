//! Triage and the investigation as each viewer may see them (R-TRI-1…3,
//! R-INV-1…7, R-IRV-1).

use async_graphql::ID;
use async_graphql::{Context, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use super::ProcedureFields;
use crate::domain::kinds;
use crate::domain::procedure::{arrangements, hearing_evidence, investigation, triage};
use crate::graphql::case::Scoped;
use crate::graphql::context::{CtxExt, GqlResult, OrGql};
use crate::graphql::enums::{
    Audience, Classification, CompanionRole, EvidenceAdmission, EvidenceKind, Finding, ReviewKind,
    ReviewStatus, StatementKind,
};
use crate::graphql::loaders::{
    EvidenceOf, MeetingsOf, RecordingsOf, ReviewRequestsOf, StatementsOf,
};

/// Triage (R-TRI-1…3): how the conduct team classified and routed the case.
#[derive(SimpleObject)]
pub struct Triage {
    /// The highest level of the alleged breaches (R-TRI-1); there is no appeal against it.
    classification: Option<Classification>,
    /// Alleged breaches with their levels (and kinds, where the policy routes
    /// by kind), as classified, e.g. "Harassment (MEDIUM)" or "Damage to a
    /// room (LOW, ACCOMMODATION)".
    alleged_breaches: Vec<String>,
    /// The staff role the case is routed to by policy (R-TRI-2).
    routed_to: Option<String>,
    /// When the case was referred to the Cause for Concern group (R-TRI-3).
    cfc_referred_at: Option<DateTime<Utc>>,
    /// When it was triaged.
    triaged_at: Option<DateTime<Utc>>,
    /// Target completion of the investigation (R-INV-1).
    investigation_target_on: Option<NaiveDate>,
    /// A conviction or caution was recorded (R-INV-5): conclusive evidence.
    conviction: bool,
}

/// The investigation report (R-INV-7).
#[derive(SimpleObject)]
pub struct InvestigationReport {
    /// The finding on the balance of probabilities.
    finding: Option<Finding>,
    /// The investigator's summary.
    summary: Option<String>,
    /// The investigator's recommendations.
    recommendations: Option<String>,
    /// When the report was issued; each principal party may ask for a review
    /// within the policy's window from then (R-IRV-1).
    issued_at: Option<DateTime<Utc>>,
}

/// An investigation meeting with one party (R-INV-2).
#[derive(SimpleObject)]
pub struct Meeting {
    /// The meeting's id (pass it to `addRecording`).
    id: ID,
    /// The party invited.
    party_id: Uuid,
    /// When it takes place.
    scheduled_at: DateTime<Utc>,
    /// Where it takes place, as the invitation letter states (null: to be confirmed).
    location: Option<String>,
    /// When the invitation was given.
    notice_given_at: DateTime<Utc>,
    /// The invitee agreed to less than the policy's notice.
    agreed_shorter_notice: bool,
    /// For the responding party: their written response is due by this date (R-INV-2).
    written_response_due: Option<NaiveDate>,
    /// When it was held (a recording was added).
    held_at: Option<DateTime<Utc>>,
    /// When it was called off; null if it was not.
    cancelled_at: Option<DateTime<Utc>>,
    /// Whether the invitee attended; null until recorded.
    attended: Option<bool>,
    /// Who accompanies the invitee (R-INV-8); null if nobody was named.
    companion: Option<MeetingCompanion>,
    /// The reasonable adjustments agreed for the meeting (R-INV-8).
    adjustments: Vec<String>,
}

/// Who accompanies a party to an investigation meeting (R-INV-8).
#[derive(SimpleObject)]
pub struct MeetingCompanion {
    /// Their name.
    name: String,
    /// In what capacity.
    role: CompanionRole,
}

/// An evidence item (R-INV-3).
#[derive(SimpleObject)]
pub struct Evidence {
    /// The item's id.
    id: ID,
    /// What kind of evidence it is.
    kind: EvidenceKind,
    /// What it is and where it is kept.
    description: String,
    /// The party who submitted it; null when an investigator added it.
    submitted_by_party_id: Option<Uuid>,
    /// Who it is shared with, besides those running the investigation.
    shared_with: Vec<Audience>,
    /// When it was added.
    created_at: DateTime<Utc>,
    /// The hearing it was given for (R-HEA-6); null for the investigation's.
    hearing_id: Option<Uuid>,
    /// Late evidence for a hearing (R-HEA-6): PENDING until a panel member
    /// admits or refuses it; null for evidence given in time.
    admission: Option<EvidenceAdmission>,
}

/// A statement taken in the investigation.
#[derive(SimpleObject)]
pub struct Statement {
    /// The statement's id.
    id: ID,
    /// Whose statement it is.
    party_id: Uuid,
    /// What kind of statement it is.
    kind: StatementKind,
    /// The statement.
    body: String,
    /// Shared with both principal parties (witness statements by default, 002 §8).
    shared_with_parties: bool,
    /// When it was recorded.
    created_at: DateTime<Utc>,
}

/// An interview recording (R-INV-4): for the investigators and the interviewee
/// only, deleted once internal procedures are exhausted.
#[derive(SimpleObject)]
pub struct Recording {
    /// The recording's id.
    id: ID,
    /// The meeting recorded.
    meeting_id: Uuid,
    /// The party interviewed.
    interviewee_party_id: Uuid,
    /// Where the recording is kept (never the recording itself).
    location: String,
    /// When it was added.
    created_at: DateTime<Utc>,
}

/// A party's request for an investigation review (R-IRV-1) or an informal
/// review of the outcome (R-APP-4).
#[derive(SimpleObject)]
pub struct ReviewRequest {
    /// The request's id (pass it to the review mutations).
    id: ID,
    /// The party who asked.
    party_id: Uuid,
    /// What is asked for.
    kind: ReviewKind,
    /// The grounds given.
    grounds: String,
    /// When it was asked for.
    requested_at: DateTime<Utc>,
    /// Where it stands.
    status: ReviewStatus,
    /// The conduct team's reasons for accepting or refusing.
    reasons: Option<String>,
    /// The uninvolved investigator who reviews (R-IND-4).
    reviewer_id: Option<Uuid>,
    /// The reviewer's outcome.
    outcome: Option<String>,
    /// The review changed the findings substantively: a further review window opened.
    substantive_change: bool,
}

impl ProcedureFields {
    pub async fn triage(ctx: &Context<'_>, scope: &Scoped) -> GqlResult<Option<Triage>> {
        if !scope.rel.can_see_triage() {
            return Ok(None);
        }
        let Some(p) = Self::state(ctx, scope).await? else {
            return Ok(None);
        };
        let breaches = triage::alleged_breaches(&p).gql()?;
        let classification = p.classification.as_deref();
        Ok(Some(Triage {
            classification: classification
                .map(kinds::Classification::from_db)
                .transpose()
                .gql()?
                .map(Into::into),
            alleged_breaches: breaches
                .into_iter()
                .map(|b| {
                    if b.kind == "GENERAL" {
                        format!("{} ({})", b.description, b.level)
                    } else {
                        format!("{} ({}, {})", b.description, b.level, b.kind)
                    }
                })
                .collect(),
            routed_to: p.routed_to,
            cfc_referred_at: scope.bundle.case.cfc_referred_at,
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
        ctx.record_read("investigationReport", scope.case_id());
        let finding = p.finding.as_deref();
        Ok(Some(InvestigationReport {
            finding: finding
                .map(kinds::Finding::from_db)
                .transpose()
                .gql()?
                .map(Into::into),
            summary: p.investigation_summary,
            recommendations: p.recommendations,
            issued_at: p.investigation_report_at,
        }))
    }

    pub async fn meetings(ctx: &Context<'_>, scope: &Scoped) -> GqlResult<Vec<Meeting>> {
        let rows = Self::loader(ctx)
            .load_one(MeetingsOf(scope.case_id()))
            .await?
            .unwrap_or_default();
        rows.into_iter()
            .filter(|m| scope.rel.can_see_meeting(m.party_id))
            .map(|m| {
                let adjustments = arrangements::adjustments(&m).gql()?;
                let companion = match (m.companion_name.clone(), m.companion_role.as_deref()) {
                    (Some(name), Some(role)) => Some(MeetingCompanion {
                        name,
                        role: kinds::CompanionRole::from_db(role).gql()?.into(),
                    }),
                    _ => None,
                };
                Ok(Meeting {
                    id: m.id.into(),
                    party_id: m.party_id,
                    scheduled_at: m.scheduled_at,
                    location: m.location,
                    notice_given_at: m.notice_given_at,
                    agreed_shorter_notice: m.agreed_shorter_notice,
                    written_response_due: m.written_response_due,
                    held_at: m.held_at,
                    cancelled_at: m.cancelled_at,
                    attended: m.attended,
                    companion,
                    adjustments,
                })
            })
            .collect()
    }

    pub async fn evidence(ctx: &Context<'_>, scope: &Scoped) -> GqlResult<Vec<Evidence>> {
        let rows = Self::loader(ctx)
            .load_one(EvidenceOf(scope.case_id()))
            .await?
            .unwrap_or_default();
        let mut out = Vec::new();
        for e in rows {
            let audience = investigation::audience(&e).gql()?;
            if hearing_evidence::unadmitted(&e)
                && !scope.rel.can_see_unadmitted_evidence(e.submitted_by_party)
            {
                continue;
            }
            if scope.rel.can_see_evidence(&audience, e.submitted_by_party) {
                let admission = e
                    .admission
                    .as_deref()
                    .map(kinds::EvidenceAdmission::from_db)
                    .transpose()
                    .gql()?
                    .map(Into::into);
                out.push(Evidence {
                    id: e.id.into(),
                    kind: kinds::EvidenceKind::from_db(&e.kind).gql()?.into(),
                    description: e.description,
                    submitted_by_party_id: e.submitted_by_party,
                    shared_with: audience.into_iter().map(Into::into).collect(),
                    created_at: e.created_at,
                    hearing_id: e.hearing_id,
                    admission,
                });
            }
        }
        if !out.is_empty() {
            ctx.record_read("evidence", scope.case_id());
        }
        Ok(out)
    }

    pub async fn statements(ctx: &Context<'_>, scope: &Scoped) -> GqlResult<Vec<Statement>> {
        let rows = Self::loader(ctx)
            .load_one(StatementsOf(scope.case_id()))
            .await?
            .unwrap_or_default();
        let mut out = Vec::new();
        for s in rows.into_iter().filter(|s| {
            scope
                .rel
                .can_see_statement(s.party_id, s.shared_with_parties)
        }) {
            out.push(Statement {
                id: s.id.into(),
                party_id: s.party_id,
                kind: kinds::StatementKind::from_db(&s.kind).gql()?.into(),
                body: s.body,
                shared_with_parties: s.shared_with_parties,
                created_at: s.created_at,
            });
        }
        if !out.is_empty() {
            ctx.record_read("statements", scope.case_id());
        }
        Ok(out)
    }

    pub async fn recordings(ctx: &Context<'_>, scope: &Scoped) -> GqlResult<Vec<Recording>> {
        let rows = Self::loader(ctx)
            .load_one(RecordingsOf(scope.case_id()))
            .await?
            .unwrap_or_default();
        let out: Vec<Recording> = rows
            .into_iter()
            .filter(|r| {
                r.deleted_at.is_none() && scope.rel.can_see_recording(r.interviewee_party_id)
            })
            .map(|r| Recording {
                id: r.id.into(),
                meeting_id: r.meeting_id,
                interviewee_party_id: r.interviewee_party_id,
                location: r.location,
                created_at: r.created_at,
            })
            .collect();
        if !out.is_empty() {
            ctx.record_read("recordings", scope.case_id());
        }
        Ok(out)
    }

    pub async fn review_requests(
        ctx: &Context<'_>,
        scope: &Scoped,
    ) -> GqlResult<Vec<ReviewRequest>> {
        let rows = Self::loader(ctx)
            .load_one(ReviewRequestsOf(scope.case_id()))
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
                id: r.id.into(),
                party_id: r.party_id,
                grounds: r.grounds,
                requested_at: r.requested_at,
                reasons: r.reasons,
                reviewer_id: r.reviewer_id,
                outcome: r.outcome,
                substantive_change: r.substantive_change,
            });
        }
        if !out.is_empty() {
            ctx.record_read("reviewRequests", scope.case_id());
        }
        Ok(out)
    }
}
