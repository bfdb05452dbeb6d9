//! The case as staff see it: the procedure, a party's case worker, the
//! safeguarding group, or a case worker looking at the intake queue.

use async_graphql::{Context, ID, MergedObject, Object, SimpleObject};

use super::shared::CaseFields;
use super::{DisclosureView, PartyView, Scoped};
use crate::domain::{kinds, lifecycle, reporting_party_disclosures};
use crate::graphql::communications::Communication;
use crate::graphql::context::{CtxExt, GqlResult, OrGql};
use crate::graphql::enums::{DisclosureItem, PauseReason, Stage};
use crate::graphql::measures::{Measure, RiskAssessment};
use crate::graphql::procedure::{CaseDeadline, ProcedureFields, Sanction, Triage};

/// A case as staff see it: everything their relation to the case allows
/// (docs/authorization.md). Students use `PartyCase` (`myCase`, `myCases`).
#[derive(MergedObject)]
pub struct Case(CaseFields, StaffFields);

impl Case {
    pub fn new(scope: Scoped) -> Self {
        Case(CaseFields(scope.clone()), StaffFields(scope))
    }

    pub fn scope(&self) -> &Scoped {
        &self.1.0
    }

    /// The case's id, for the `Node` interface (the field itself is `CaseFields::id`).
    pub async fn id(&self, _ctx: &async_graphql::Context<'_>) -> async_graphql::Result<ID> {
        Ok(self.scope().bundle.case.id.into())
    }
}

/// Something the reporting party was told of the responding party's case.
#[derive(async_graphql::SimpleObject)]
pub struct ReportingPartyDisclosure {
    /// What kind of thing was told.
    item: DisclosureItem,
    /// What they were shown, as they saw it (e.g. "Under investigation").
    disclosed: String,
    /// The reporting party told.
    party_id: ID,
    /// When it was first shown to them.
    first_disclosed_at: chrono::DateTime<chrono::Utc>,
    /// The lawful basis the policy names for this kind of disclosure.
    lawful_basis: String,
    /// The policy version that named it.
    policy_version: String,
}

impl TryFrom<entity::disclosure_record::Model> for ReportingPartyDisclosure {
    type Error = crate::error::Error;
    fn try_from(r: entity::disclosure_record::Model) -> Result<Self, Self::Error> {
        Ok(ReportingPartyDisclosure {
            item: kinds::DisclosureItem::from_db(&r.item)?.into(),
            disclosed: r.disclosed,
            party_id: r.party_id.into(),
            first_disclosed_at: r.first_disclosed_at,
            lawful_basis: r.lawful_basis,
            policy_version: r.policy_version,
        })
    }
}

/// A legal hold: retention keeps the case until it is released.
#[derive(async_graphql::SimpleObject)]
pub struct LegalHold {
    /// When it was placed.
    since: chrono::DateTime<chrono::Utc>,
    /// Why.
    reason: String,
    /// Who placed it.
    placed_by: Option<ID>,
}

/// What only the staff view has.
pub struct StaffFields(Scoped);

/// What only the staff view has.
#[Object]
impl StaffFields {
    /// The exact stage: for staff running the procedure only (null for others,
    /// who see `progress`).
    async fn stage(&self) -> GqlResult<Option<Stage>> {
        if !self.0.rel.sees_exact_stage() {
            return Ok(None);
        }
        Ok(Some(self.0.stage()?.into()))
    }
    /// The stage in the limited form the policy defines (000 §36), e.g.
    /// "Under investigation". Null for the case worker of a third party
    /// affected (000 §15), who learns nothing of where the case stands.
    async fn progress(&self, ctx: &Context<'_>) -> GqlResult<Option<String>> {
        if !self.0.rel.can_see_progress() {
            return Ok(None);
        }
        Ok(Some(self.0.progress(ctx).await?))
    }
    /// Stages the case may move to next (procedure staff only; empty for others).
    async fn next_stages(&self) -> GqlResult<Vec<Stage>> {
        if !self.0.rel.sees_exact_stage() {
            return Ok(vec![]);
        }
        Ok(lifecycle::next_stages(self.0.stage()?)
            .into_iter()
            .map(Into::into)
            .collect())
    }
    /// The policy version this case follows, fixed when it was opened.
    async fn policy_version(&self) -> &str {
        &self.0.bundle.case.policy_version
    }
    /// What the reporting party has been told of the responding party's case
    /// (000 §36, R-OUT-2): each thing once, when first told, with the lawful
    /// basis the policy names. For the staff running the case and the
    /// reporting party's case worker; null for others. An audited read.
    async fn told_to_reporting_party(
        &self,
        ctx: &Context<'_>,
    ) -> GqlResult<Option<Vec<ReportingPartyDisclosure>>> {
        let rows =
            reporting_party_disclosures::of_case(&self.0.rel, &ctx.state().db, self.0.case_id())
                .await
                .gql()?;
        let Some(rows) = rows else {
            return Ok(None);
        };
        ctx.record_read("toldToReportingParty", self.0.case_id());
        rows.into_iter()
            .map(ReportingPartyDisclosure::try_from)
            .collect::<Result<Vec<_>, _>>()
            .gql()
            .map(Some)
    }
    /// The legal hold that keeps this case from retention, if any (null when
    /// none).
    async fn legal_hold(&self) -> Option<LegalHold> {
        let c = &self.0.bundle.case;
        Some(LegalHold {
            since: c.legal_hold_at?,
            reason: c.legal_hold_reason.clone().unwrap_or_default(),
            placed_by: c.legal_hold_by.map(Into::into),
        })
    }
    /// Why the case is paused (procedure staff only; null when not paused).
    async fn pause_reason(&self) -> GqlResult<Option<PauseReason>> {
        if !self.0.rel.can_see_pause_reason() {
            return Ok(None);
        }
        let reason = self.0.bundle.case.pause_reason.as_deref();
        Ok(reason
            .map(kinds::PauseReason::from_db)
            .transpose()
            .gql()?
            .map(Into::into))
    }
    /// R-DISC-7: the decision, taken with the forwarding member of staff,
    /// whether to act further when the student did not reply; for the
    /// student's case worker and the CfC group; null until decided.
    async fn follow_up_decision(&self) -> GqlResult<Option<FollowUpDecision>> {
        let case = &self.0.bundle.case;
        let reporter = crate::domain::reports::reporting_party(&self.0.bundle).gql()?;
        if !self.0.rel.can_see_follow_up_decision(Some(reporter.id)) {
            return Ok(None);
        }
        Ok(case.follow_up_decided_at.and_then(|decided_at| {
            Some(FollowUpDecision {
                decided_at,
                act_further: case.follow_up_act_further?,
                reasons: case.follow_up_reasons.clone()?,
            })
        }))
    }
    /// True when you see this case only as an unallocated disclosure in the
    /// intake queue (in outline, to pick it up).
    async fn in_intake_queue(&self) -> bool {
        self.0.rel.sees_only_as_intake()
    }
    /// The disclosure: its outline (channel, categories, date) for staff on the
    /// case; the narrative only for the reporting party's case worker.
    async fn disclosure(&self) -> Option<DisclosureView> {
        self.0
            .rel
            .can_read_disclosure_outline()
            .then(|| DisclosureView(self.0.clone()))
    }
    /// The parties you may know of: all of them for the procedure; for a case
    /// worker, the principal parties whose names are not withheld (R-DISC-4).
    async fn parties(&self) -> Vec<PartyView> {
        self.0.parties(None)
    }
    /// Risk assessments (R-MEA-1): the CfC group on a case referred to it,
    /// the assigned decision maker and the conduct team; empty for others.
    async fn risk_assessments(&self, ctx: &Context<'_>) -> GqlResult<Vec<RiskAssessment>> {
        crate::graphql::measures::risk_assessments(ctx, &self.0).await
    }
    /// The referral to the Cause for Concern group (R-TRI-3), for those who
    /// see risk assessments; null before referral.
    async fn cause_for_concern_referral(&self, ctx: &Context<'_>) -> Option<CfcReferral> {
        let case = &self.0.bundle.case;
        if !self.0.rel.can_see_risk_assessments() {
            return None;
        }
        if case.cfc_urgent_reason.is_some() {
            crate::graphql::context::CtxExt::record_read(ctx, "causeForConcernReferral", case.id);
        }
        case.cfc_referred_at.map(|referred_at| CfcReferral {
            referred_at,
            urgent_reason: case.cfc_urgent_reason.clone(),
        })
    }
    /// Triage (R-TRI-1…3): classification, routing and the CfC referral
    /// (the procedure only).
    async fn triage(&self, ctx: &Context<'_>) -> GqlResult<Option<Triage>> {
        ProcedureFields::triage(ctx, &self.0).await
    }
    /// The responding student's sanctions in other cases (R-SAN-2), for those
    /// deciding: the conduct team, the decision maker, panels, the appeal reviewer.
    async fn previous_sanctions(&self, ctx: &Context<'_>) -> GqlResult<Vec<Sanction>> {
        ProcedureFields::previous_sanctions(ctx, &self.0).await
    }
    /// The indicative offence → sanction matrix of the case's procedure
    /// (R-SAN-3, e.g. 002 App. 1), for the same people as
    /// `previousSanctions`; empty where the procedure has none.
    async fn sanction_guidance(&self, ctx: &Context<'_>) -> GqlResult<Vec<SanctionGuidance>> {
        if !self.0.rel.can_see_previous_sanctions() {
            return Ok(vec![]);
        }
        Ok(self
            .0
            .policy(ctx)
            .await?
            .sanction_guidance
            .iter()
            .map(|g| SanctionGuidance {
                offences: g.offences.clone(),
                sanctions: g.sanctions.clone(),
            })
            .collect())
    }
    /// Fitness to study (R-FTS-1): the referral, assessment and any end on
    /// health grounds, oldest first — the staff running the procedure; the
    /// medical detail only for the roles the policy names (audited).
    async fn fitness_to_study(
        &self,
        ctx: &Context<'_>,
    ) -> GqlResult<Vec<crate::graphql::procedure::HealthRecord>> {
        crate::graphql::procedure::fitness_to_study_of(ctx, &self.0).await
    }
    /// Open deadlines of this case you may see, soonest first, each with the
    /// rule that set it (R-TIME-1).
    async fn deadlines(&self, ctx: &Context<'_>) -> GqlResult<Vec<CaseDeadline>> {
        ProcedureFields::deadlines(ctx, &self.0).await
    }
    /// Precautionary measures (R-MEA-2…7): all of them, with history, for
    /// safeguarding staff; for a case worker, those binding the party they support.
    async fn measures(&self, ctx: &Context<'_>) -> GqlResult<Vec<Measure>> {
        crate::graphql::measures::visible_measures(ctx, &self.0).await
    }
    /// Scheduled letters and e-mails you may see: to the parties you support,
    /// and the procedure's notices and acknowledgements (R-SUP-3, R-REP-3, R-TIME-2).
    async fn communications(&self, ctx: &Context<'_>) -> GqlResult<Vec<Communication>> {
        crate::graphql::communications::of_scope(ctx, &self.0, false).await
    }
    /// The case's letters you may read, oldest first: all of them for the
    /// staff running the procedure; for a case worker, those to the party
    /// they support (never the other side's).
    async fn letters(&self, ctx: &Context<'_>) -> GqlResult<Vec<crate::graphql::letters::Letter>> {
        crate::graphql::letters::of_scope(ctx, &self.0, false).await
    }
}

/// One row of the indicative sanction matrix (R-SAN-3): for offences such as
/// these, the sanctions normally considered. Decisions stay individual, with
/// their justification (R-SAN-2).
#[derive(SimpleObject)]
pub struct SanctionGuidance {
    /// Offences such as these, in the procedure's words.
    offences: Vec<String>,
    /// The sanctions normally considered, as the policy names them (e.g. ADVISORY_NOTE).
    sanctions: Vec<String>,
}

/// When and why a case was referred to the Cause for Concern group.
#[derive(async_graphql::SimpleObject)]
pub struct CfcReferral {
    /// At triage, or earlier for an urgent risk.
    pub referred_at: chrono::DateTime<chrono::Utc>,
    /// The urgent risk, when referred before triage; null for the referral
    /// every conduct case gets at triage.
    pub urgent_reason: Option<String>,
}

/// Whether to act further on a forwarded disclosure whose student did not
/// reply, decided with the forwarder (R-DISC-7).
#[derive(async_graphql::SimpleObject)]
pub struct FollowUpDecision {
    /// When it was decided.
    decided_at: chrono::DateTime<chrono::Utc>,
    /// Whether the university acts further.
    act_further: bool,
    /// Why.
    reasons: String,
}
