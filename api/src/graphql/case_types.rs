//! The case as staff see it (`Case`) and as a party sees it (`PartyCase`), with
//! the pieces both share. Every field that can be sensitive asks the viewer's
//! `Relation` (domain::visibility) and records its read in the audit log.

use std::sync::Arc;

use async_graphql::dataloader::DataLoader;
use async_graphql::{Context, Object, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use entity::{party, timeline_event};
use uuid::Uuid;

use crate::domain::access::Relation;
use crate::domain::case_store::CaseBundle;
use crate::domain::disclosures::bundle_case_workers;
use crate::domain::kinds;
use crate::domain::lifecycle;
use crate::domain::support::{self, irreversible_from, latest_per_department, submitted_report};
use crate::graphql::context::{CtxExt, GqlResult, OrGql};
use crate::graphql::enums::*;
use crate::graphql::loaders::*;
use crate::graphql::procedure::ProcedureFields;

/// A case loaded for one viewer.
#[derive(Clone)]
pub struct Scoped {
    pub bundle: Arc<CaseBundle>,
    pub rel: Arc<Relation>,
}

impl Scoped {
    fn stage(&self) -> GqlResult<kinds::Stage> {
        self.bundle.stage().gql()
    }

    fn progress(&self, ctx: &Context<'_>) -> GqlResult<String> {
        Ok(ctx.state().policy.progress_label(self.stage()?).to_string())
    }

    fn disclosure(&self) -> Option<DisclosureView> {
        self.rel
            .can_read_disclosure_outline()
            .then(|| DisclosureView(self.clone()))
    }

    fn report(&self) -> Option<ReportView> {
        self.rel
            .can_read_report(&self.bundle.case)
            .then(|| ReportView(self.clone()))
    }

    pub fn parties(&self, except: Option<Uuid>) -> Vec<PartyView> {
        self.bundle
            .parties
            .iter()
            .filter(|p| Some(p.id) != except && self.rel.can_see_party(p))
            .map(|p| PartyView {
                party: p.clone(),
                scope: self.clone(),
            })
            .collect()
    }

    async fn timeline(&self, ctx: &Context<'_>) -> GqlResult<Vec<TimelineEntry>> {
        let events = ctx
            .data_unchecked::<DataLoader<Db>>()
            .load_one(TimelineOf(self.bundle.case.id))
            .await?
            .unwrap_or_default();
        Ok(events
            .into_iter()
            .filter(|e| self.rel.can_see_timeline_event(&e.kind, e.party_id))
            .map(|event| TimelineEntry {
                event,
                scope: self.clone(),
            })
            .collect())
    }
}

/// A case as seen by staff: the procedure, a party's case worker, or intake.
pub struct Case(pub Scoped);

#[Object]
impl Case {
    async fn id(&self) -> Uuid {
        self.0.bundle.case.id
    }
    /// Human-readable reference, e.g. MC-1A2B3C4D.
    async fn reference(&self) -> &str {
        &self.0.bundle.case.reference
    }
    /// Pass back as `expectedVersion` when changing the case; a stale value is refused with CONFLICT.
    async fn version(&self) -> i32 {
        self.0.bundle.case.version
    }
    /// The exact stage: for staff running the procedure only; others see `progress`.
    async fn stage(&self) -> GqlResult<Option<Stage>> {
        Ok(self
            .0
            .rel
            .sees_exact_stage()
            .then(|| self.0.stage())
            .transpose()?
            .map(Into::into))
    }
    /// The stage in the limited form the policy defines (000 §36).
    async fn progress(&self, ctx: &Context<'_>) -> GqlResult<String> {
        self.0.progress(ctx)
    }
    /// Stages the case may move to next (procedure staff only).
    async fn next_stages(&self) -> GqlResult<Vec<Stage>> {
        if !self.0.rel.sees_exact_stage() {
            return Ok(vec![]);
        }
        Ok(lifecycle::next_stages(self.0.stage()?)
            .into_iter()
            .map(Into::into)
            .collect())
    }
    /// The policy version this case follows (fixed when it was opened).
    async fn policy_version(&self) -> &str {
        &self.0.bundle.case.policy_version
    }
    async fn opened_at(&self) -> DateTime<Utc> {
        self.0.bundle.case.opened_at
    }
    async fn closed_at(&self) -> Option<DateTime<Utc>> {
        self.0.bundle.case.closed_at
    }
    /// Why the case is paused (procedure staff only).
    async fn pause_reason(&self) -> GqlResult<Option<PauseReason>> {
        if !self.0.rel.can_see_pause_reason() {
            return Ok(None);
        }
        Ok(self
            .0
            .bundle
            .case
            .pause_reason
            .as_deref()
            .map(kinds::PauseReason::from_db)
            .transpose()
            .gql()?
            .map(Into::into))
    }
    /// True when you see this case only as an unallocated disclosure in the intake queue.
    async fn in_intake_queue(&self) -> bool {
        self.0.rel.sees_only_as_intake()
    }
    async fn disclosure(&self) -> Option<DisclosureView> {
        self.0.disclosure()
    }
    async fn report(&self) -> Option<ReportView> {
        self.0.report()
    }
    /// The parties you may know of.
    async fn parties(&self) -> Vec<PartyView> {
        self.0.parties(None)
    }
    /// Risk assessments (CfC group, decision makers, conduct team only).
    async fn risk_assessments(
        &self,
        ctx: &Context<'_>,
    ) -> GqlResult<Vec<crate::graphql::measures::RiskAssessment>> {
        crate::graphql::measures::risk_assessments(ctx, &self.0).await
    }
    /// Triage: classification, routing and the CfC referral (the procedure only).
    async fn triage(
        &self,
        ctx: &Context<'_>,
    ) -> GqlResult<Option<crate::graphql::procedure::Triage>> {
        ProcedureFields::triage(ctx, &self.0).await
    }
    async fn investigation_report(
        &self,
        ctx: &Context<'_>,
    ) -> GqlResult<Option<crate::graphql::procedure::InvestigationReport>> {
        ProcedureFields::investigation_report(ctx, &self.0).await
    }
    async fn decision(
        &self,
        ctx: &Context<'_>,
    ) -> GqlResult<Option<crate::graphql::procedure::Decision>> {
        ProcedureFields::decision(ctx, &self.0).await
    }
    async fn outcome(
        &self,
        ctx: &Context<'_>,
    ) -> GqlResult<Option<crate::graphql::procedure::Outcome>> {
        ProcedureFields::outcome(ctx, &self.0).await
    }
    async fn meetings(
        &self,
        ctx: &Context<'_>,
    ) -> GqlResult<Vec<crate::graphql::procedure::Meeting>> {
        ProcedureFields::meetings(ctx, &self.0).await
    }
    async fn evidence(
        &self,
        ctx: &Context<'_>,
    ) -> GqlResult<Vec<crate::graphql::procedure::Evidence>> {
        ProcedureFields::evidence(ctx, &self.0).await
    }
    async fn statements(
        &self,
        ctx: &Context<'_>,
    ) -> GqlResult<Vec<crate::graphql::procedure::Statement>> {
        ProcedureFields::statements(ctx, &self.0).await
    }
    /// Interview recordings: the investigators and the interviewee only (R-INV-4).
    async fn recordings(
        &self,
        ctx: &Context<'_>,
    ) -> GqlResult<Vec<crate::graphql::procedure::Recording>> {
        ProcedureFields::recordings(ctx, &self.0).await
    }
    async fn hearings(
        &self,
        ctx: &Context<'_>,
    ) -> GqlResult<Vec<crate::graphql::procedure::Hearing>> {
        ProcedureFields::hearings(ctx, &self.0).await
    }
    async fn sanctions(
        &self,
        ctx: &Context<'_>,
    ) -> GqlResult<Vec<crate::graphql::procedure::Sanction>> {
        ProcedureFields::sanctions(ctx, &self.0).await
    }
    /// The responding student's sanctions in other cases (R-SAN-2; those deciding).
    async fn previous_sanctions(
        &self,
        ctx: &Context<'_>,
    ) -> GqlResult<Vec<crate::graphql::procedure::Sanction>> {
        ProcedureFields::previous_sanctions(ctx, &self.0).await
    }
    async fn appeals(
        &self,
        ctx: &Context<'_>,
    ) -> GqlResult<Vec<crate::graphql::procedure::Appeal>> {
        ProcedureFields::appeals(ctx, &self.0).await
    }
    async fn review_requests(
        &self,
        ctx: &Context<'_>,
    ) -> GqlResult<Vec<crate::graphql::procedure::ReviewRequest>> {
        ProcedureFields::review_requests(ctx, &self.0).await
    }
    /// Open deadlines of this case you may see, with the rule that set each.
    async fn deadlines(
        &self,
        ctx: &Context<'_>,
    ) -> GqlResult<Vec<crate::graphql::procedure::CaseDeadline>> {
        ProcedureFields::deadlines(ctx, &self.0).await
    }
    /// Precautionary measures: all of them for safeguarding staff; for a case
    /// worker, those binding the party they support.
    async fn measures(
        &self,
        ctx: &Context<'_>,
    ) -> GqlResult<Vec<crate::graphql::measures::Measure>> {
        crate::graphql::measures::visible_measures(ctx, &self.0).await
    }
    async fn timeline(&self, ctx: &Context<'_>) -> GqlResult<Vec<TimelineEntry>> {
        self.0.timeline(ctx).await
    }
    /// Scheduled letters and e-mails you may see: to the parties you support,
    /// and the procedure's notices (R-SUP-3, R-REP-3, R-TIME-2).
    async fn communications(
        &self,
        ctx: &Context<'_>,
    ) -> GqlResult<Vec<crate::graphql::communications::Communication>> {
        crate::graphql::communications::of_scope(ctx, &self.0, false).await
    }
}

/// A case as one of its parties sees it (DOMAIN §3).
pub struct PartyCase {
    pub scope: Scoped,
    pub me: party::Model,
}

#[Object]
impl PartyCase {
    async fn id(&self) -> Uuid {
        self.scope.bundle.case.id
    }
    async fn reference(&self) -> &str {
        &self.scope.bundle.case.reference
    }
    /// Pass back as `expectedVersion` when you change the case (submit, withdraw).
    async fn version(&self) -> i32 {
        self.scope.bundle.case.version
    }
    async fn my_role(&self) -> GqlResult<PartyRole> {
        Ok(kinds::PartyRole::from_db(&self.me.role).gql()?.into())
    }
    /// Where the case is, in the limited form shown to parties (000 §36).
    async fn progress(&self, ctx: &Context<'_>) -> GqlResult<Option<String>> {
        if !self.scope.rel.can_see_progress() {
            return Ok(None);
        }
        self.scope.progress(ctx).map(Some)
    }
    async fn opened_at(&self) -> DateTime<Utc> {
        self.scope.bundle.case.opened_at
    }
    async fn closed_at(&self) -> Option<DateTime<Utc>> {
        self.scope.bundle.case.closed_at
    }
    /// Your own disclosure (reporting party only).
    async fn disclosure(&self) -> Option<DisclosureView> {
        self.scope
            .rel
            .can_read_disclosure()
            .then(|| DisclosureView(self.scope.clone()))
    }
    /// The formal report, where you may read it.
    async fn report(&self) -> Option<ReportView> {
        self.scope.report()
    }
    /// Your own part: your case worker(s), support notes shared with you, your choices.
    async fn me(&self) -> PartyView {
        PartyView {
            party: self.me.clone(),
            scope: self.scope.clone(),
        }
    }
    /// The other parties you may know of (names only).
    async fn other_parties(&self) -> Vec<PartyView> {
        self.scope.parties(Some(self.me.id))
    }
    /// Whether any precautionary measure is in place in your case (R-MEA-7);
    /// null for witnesses.
    async fn measures_in_place(&self, ctx: &Context<'_>) -> GqlResult<Option<bool>> {
        if !self.scope.rel.can_see_whether_measures_in_place() {
            return Ok(None);
        }
        crate::graphql::measures::any_in_place(ctx, &self.scope)
            .await
            .map(Some)
    }
    /// The investigation report, once issued (both principal parties, 002 §8).
    async fn investigation_report(
        &self,
        ctx: &Context<'_>,
    ) -> GqlResult<Option<crate::graphql::procedure::InvestigationReport>> {
        ProcedureFields::investigation_report(ctx, &self.scope).await
    }
    /// The decision with reasons (for the reporting party, once appeals have concluded).
    async fn decision(
        &self,
        ctx: &Context<'_>,
    ) -> GqlResult<Option<crate::graphql::procedure::Decision>> {
        ProcedureFields::decision(ctx, &self.scope).await
    }
    /// The outcome: at once for the responding party; for the reporting party
    /// only after the appeal process has concluded (R-OUT-2).
    async fn outcome(
        &self,
        ctx: &Context<'_>,
    ) -> GqlResult<Option<crate::graphql::procedure::Outcome>> {
        ProcedureFields::outcome(ctx, &self.scope).await
    }
    /// Your meetings.
    async fn meetings(
        &self,
        ctx: &Context<'_>,
    ) -> GqlResult<Vec<crate::graphql::procedure::Meeting>> {
        ProcedureFields::meetings(ctx, &self.scope).await
    }
    /// Evidence you submitted or that is shared with you (R-INV-3).
    async fn evidence(
        &self,
        ctx: &Context<'_>,
    ) -> GqlResult<Vec<crate::graphql::procedure::Evidence>> {
        ProcedureFields::evidence(ctx, &self.scope).await
    }
    /// Your statements, and statements shared with you.
    async fn statements(
        &self,
        ctx: &Context<'_>,
    ) -> GqlResult<Vec<crate::graphql::procedure::Statement>> {
        ProcedureFields::statements(ctx, &self.scope).await
    }
    /// Recordings of your own interviews (R-INV-4).
    async fn recordings(
        &self,
        ctx: &Context<'_>,
    ) -> GqlResult<Vec<crate::graphql::procedure::Recording>> {
        ProcedureFields::recordings(ctx, &self.scope).await
    }
    /// Your summons and hearing (responding party).
    async fn hearings(
        &self,
        ctx: &Context<'_>,
    ) -> GqlResult<Vec<crate::graphql::procedure::Hearing>> {
        ProcedureFields::hearings(ctx, &self.scope).await
    }
    /// Sanctions (reporting party: only after appeals concluded, R-OUT-2).
    async fn sanctions(
        &self,
        ctx: &Context<'_>,
    ) -> GqlResult<Vec<crate::graphql::procedure::Sanction>> {
        ProcedureFields::sanctions(ctx, &self.scope).await
    }
    /// Your appeal (responding party).
    async fn appeals(
        &self,
        ctx: &Context<'_>,
    ) -> GqlResult<Vec<crate::graphql::procedure::Appeal>> {
        ProcedureFields::appeals(ctx, &self.scope).await
    }
    /// Your review requests (investigation review, informal review).
    async fn review_requests(
        &self,
        ctx: &Context<'_>,
    ) -> GqlResult<Vec<crate::graphql::procedure::ReviewRequest>> {
        ProcedureFields::review_requests(ctx, &self.scope).await
    }
    /// Your deadlines: written response, summons response, appeal window…
    async fn my_deadlines(
        &self,
        ctx: &Context<'_>,
    ) -> GqlResult<Vec<crate::graphql::procedure::CaseDeadline>> {
        ProcedureFields::deadlines(ctx, &self.scope).await
    }
    /// The measures that bind you, with their review dates and how to make representations.
    async fn measures_on_me(
        &self,
        ctx: &Context<'_>,
    ) -> GqlResult<Vec<crate::graphql::measures::Measure>> {
        crate::graphql::measures::visible_measures(ctx, &self.scope).await
    }
    async fn timeline(&self, ctx: &Context<'_>) -> GqlResult<Vec<TimelineEntry>> {
        self.scope.timeline(ctx).await
    }
    /// Letters and e-mails to you on this case: due, sent or cancelled.
    async fn my_communications(
        &self,
        ctx: &Context<'_>,
    ) -> GqlResult<Vec<crate::graphql::communications::Communication>> {
        crate::graphql::communications::of_scope(ctx, &self.scope, true).await
    }
}

pub struct DisclosureView(Scoped);

#[Object]
impl DisclosureView {
    async fn channel(&self) -> GqlResult<DisclosureChannel> {
        Ok(
            kinds::DisclosureChannel::from_db(&self.0.bundle.case.channel)
                .gql()?
                .into(),
        )
    }
    async fn categories(&self) -> GqlResult<Vec<IncidentCategory>> {
        Ok(crate::domain::disclosures::categories(&self.0.bundle.case)
            .gql()?
            .into_iter()
            .map(Into::into)
            .collect())
    }
    async fn incident_date(&self) -> Option<NaiveDate> {
        self.0.bundle.case.incident_date
    }
    async fn recorded_at(&self) -> DateTime<Utc> {
        self.0.bundle.case.opened_at
    }
    /// R-DISC-2: anonymous disclosures get no support and no formal process.
    async fn anonymous(&self) -> bool {
        self.0.bundle.case.anonymous
    }
    /// R-DISC-5: a responding party is no longer a student; no disciplinary action possible.
    async fn historic(&self) -> bool {
        self.0.bundle.case.historic
    }
    async fn police_case_ongoing(&self) -> bool {
        self.0.bundle.case.police_case_ongoing
    }
    /// What was disclosed: for the discloser and their case worker(s) only.
    async fn description(&self, ctx: &Context<'_>) -> Option<&str> {
        if !self.0.rel.can_read_disclosure() {
            return None;
        }
        ctx.record_read("disclosure.description", self.0.bundle.case.id);
        Some(&self.0.bundle.case.description)
    }
}

pub struct ReportView(Scoped);

#[Object]
impl ReportView {
    async fn submitted_at(&self) -> Option<DateTime<Utc>> {
        self.0.bundle.case.report_submitted_at
    }
    /// The allegation as the reporting party stated it.
    async fn statement(&self, ctx: &Context<'_>) -> Option<&str> {
        ctx.record_read("report.statement", self.0.bundle.case.id);
        self.0.bundle.case.report_statement.as_deref()
    }
    /// The resolution the reporting party seeks (reporting side and procedure only).
    async fn desired_outcome(&self, ctx: &Context<'_>) -> Option<&str> {
        if !self.reporting_side() {
            return None;
        }
        ctx.record_read("report.desiredOutcome", self.0.bundle.case.id);
        self.0.bundle.case.report_desired_outcome.as_deref()
    }
    /// R-REP-2: whether the reporting party agreed the responding party may be told.
    async fn respondent_may_be_informed(&self) -> Option<bool> {
        if !self.reporting_side() {
            return None;
        }
        self.0.bundle.case.respondent_may_be_informed
    }
}

impl ReportView {
    fn reporting_side(&self) -> bool {
        self.0.rel.can_read_reporting_side_of_report()
    }
}

/// One party to a case, as far as the viewer may see it.
pub struct PartyView {
    party: party::Model,
    scope: Scoped,
}

impl PartyView {
    pub fn party_id(&self) -> Uuid {
        self.party.id
    }

    async fn person(&self, ctx: &Context<'_>) -> GqlResult<Option<entity::person::Model>> {
        match self.party.person_id {
            Some(id) => {
                ctx.data_unchecked::<DataLoader<Db>>()
                    .load_one(PersonId(id))
                    .await
            }
            None => Ok(None),
        }
    }

    fn sees_support(&self) -> bool {
        self.scope.rel.can_see_support_records_of(self.party.id)
    }
}

#[derive(SimpleObject)]
pub struct Contact {
    email: Option<String>,
    phone: Option<String>,
}

#[derive(SimpleObject)]
pub struct StaffMember {
    id: Uuid,
    display_name: String,
    email: Option<String>,
}

impl From<entity::person::Model> for StaffMember {
    fn from(p: entity::person::Model) -> Self {
        StaffMember {
            id: p.id,
            display_name: p.display_name,
            email: p.email,
        }
    }
}

#[derive(SimpleObject)]
pub struct SupportNote {
    id: Uuid,
    body: String,
    shared_with_party: bool,
    created_at: DateTime<Utc>,
}

#[derive(SimpleObject)]
pub struct OptionsConversation {
    id: Uuid,
    held_at: DateTime<Utc>,
    options_offered: Vec<SupportOption>,
    options_chosen: Vec<SupportOption>,
    summary: String,
}

#[derive(SimpleObject)]
pub struct SharingConsent {
    department: Department,
    granted: bool,
    recorded_at: DateTime<Utc>,
}

#[derive(SimpleObject)]
pub struct InformationShare {
    department: Department,
    details: String,
    shared_at: DateTime<Utc>,
}

#[derive(SimpleObject)]
pub struct ContactAttempt {
    made_at: DateTime<Utc>,
    method: ContactMethod,
    student_responded: bool,
}

#[Object]
impl PartyView {
    async fn id(&self) -> Uuid {
        self.party.id
    }
    async fn role(&self) -> GqlResult<PartyRole> {
        Ok(kinds::PartyRole::from_db(&self.party.role).gql()?.into())
    }
    /// The party's name, unless withheld (R-DISC-4) or not identified.
    async fn name(&self, ctx: &Context<'_>) -> GqlResult<Option<String>> {
        if !self.scope.rel.can_see_party_name(&self.party) {
            return Ok(None);
        }
        Ok(match self.person(ctx).await? {
            Some(p) => Some(p.display_name),
            None => self.party.described_as.clone(),
        })
    }
    async fn identity_withheld(&self) -> bool {
        self.party.identity_withheld
    }
    /// Contact details: the party, their case worker(s) and the procedure only.
    async fn contact(&self, ctx: &Context<'_>) -> GqlResult<Option<Contact>> {
        if !self.scope.rel.can_see_party_contact(self.party.id) {
            return Ok(None);
        }
        let Some(p) = self.person(ctx).await? else {
            return Ok(None);
        };
        ctx.record_read("party.contact", self.scope.bundle.case.id);
        Ok(Some(Contact {
            email: p.email,
            phone: p.phone,
        }))
    }
    /// SIS student number (the party, their case worker(s), the procedure).
    async fn sis_number(&self, ctx: &Context<'_>) -> GqlResult<Option<String>> {
        if !self.scope.rel.can_see_party_contact(self.party.id) {
            return Ok(None);
        }
        Ok(self.person(ctx).await?.and_then(|p| p.sis_number))
    }
    /// How this party wants to be told of outcomes (R-OUT-1): the party, their
    /// case worker(s) and the procedure.
    async fn preferred_channel(&self) -> GqlResult<Option<PreferredChannel>> {
        if !self.scope.rel.can_see_party_contact(self.party.id) {
            return Ok(None);
        }
        Ok(self
            .party
            .preferred_channel
            .as_deref()
            .map(kinds::PreferredChannel::from_db)
            .transpose()
            .gql()?
            .map(Into::into))
    }
    /// When a responding party was told of the report.
    async fn informed_at(&self) -> Option<DateTime<Utc>> {
        self.scope
            .rel
            .can_see_party_contact(self.party.id)
            .then_some(self.party.informed_at)
            .flatten()
    }
    /// The party's own case worker(s): visible to the party, those case workers and the procedure.
    async fn case_workers(&self, ctx: &Context<'_>) -> GqlResult<Vec<StaffMember>> {
        if !self.scope.rel.can_see_case_workers_of(self.party.id) {
            return Ok(vec![]);
        }
        let ids: Vec<PersonId> = bundle_case_workers(&self.scope.bundle, self.party.id)
            .into_iter()
            .map(PersonId)
            .collect();
        let people = ctx
            .data_unchecked::<DataLoader<Db>>()
            .load_many(ids)
            .await?;
        Ok(people.into_values().map(Into::into).collect())
    }
    /// R-SUP-5: the party's case worker(s) see all; the party sees notes shared with them.
    async fn support_notes(&self, ctx: &Context<'_>) -> GqlResult<Vec<SupportNote>> {
        let rel = &self.scope.rel;
        if !rel.can_see_support_records_of(self.party.id) {
            return Ok(vec![]);
        }
        let notes = ctx
            .data_unchecked::<DataLoader<Db>>()
            .load_one(NotesOf(self.party.id))
            .await?
            .unwrap_or_default();
        let visible: Vec<SupportNote> = notes
            .into_iter()
            .filter(|n| {
                n.case_id == self.scope.bundle.case.id
                    && rel.can_read_support_note(self.party.id, n.shared_with_party)
            })
            .map(|n| SupportNote {
                id: n.id,
                body: n.body,
                shared_with_party: n.shared_with_party,
                created_at: n.created_at,
            })
            .collect();
        if !visible.is_empty() {
            ctx.record_read("party.supportNotes", self.scope.bundle.case.id);
        }
        Ok(visible)
    }
    /// Options conversations and choices (the party and their case worker(s)).
    async fn options_conversations(
        &self,
        ctx: &Context<'_>,
    ) -> GqlResult<Vec<OptionsConversation>> {
        if !self.sees_support() {
            return Ok(vec![]);
        }
        let rows = ctx
            .data_unchecked::<DataLoader<Db>>()
            .load_one(ConversationsOf(self.party.id))
            .await?
            .unwrap_or_default();
        if !rows.is_empty() {
            ctx.record_read("party.optionsConversations", self.scope.bundle.case.id);
        }
        rows.into_iter()
            .map(|c| {
                let list = |options: Vec<kinds::SupportOption>| -> Vec<SupportOption> {
                    options.into_iter().map(Into::into).collect()
                };
                Ok(OptionsConversation {
                    id: c.id,
                    held_at: c.held_at,
                    options_offered: list(support::offered(&c).gql()?),
                    options_chosen: list(support::chosen(&c).gql()?),
                    summary: c.summary,
                })
            })
            .collect()
    }
    /// Consent in force per department (R-SUP-4).
    async fn sharing_consents(&self, ctx: &Context<'_>) -> GqlResult<Vec<SharingConsent>> {
        if !self.sees_support() {
            return Ok(vec![]);
        }
        let rows = ctx
            .data_unchecked::<DataLoader<Db>>()
            .load_one(ConsentsOf(self.party.id))
            .await?
            .unwrap_or_default();
        latest_per_department(rows)
            .into_iter()
            .map(|c| {
                Ok(SharingConsent {
                    department: kinds::Department::from_db(&c.department).gql()?.into(),
                    granted: c.granted,
                    recorded_at: c.recorded_at,
                })
            })
            .collect()
    }
    async fn information_shares(&self, ctx: &Context<'_>) -> GqlResult<Vec<InformationShare>> {
        if !self.sees_support() {
            return Ok(vec![]);
        }
        let rows = ctx
            .data_unchecked::<DataLoader<Db>>()
            .load_one(SharesOf(self.party.id))
            .await?
            .unwrap_or_default();
        rows.into_iter()
            .map(|s| {
                Ok(InformationShare {
                    department: kinds::Department::from_db(&s.department).gql()?.into(),
                    details: s.details,
                    shared_at: s.shared_at,
                })
            })
            .collect()
    }
    /// R-SUP-2: actions already taken that changing one's mind cannot undo.
    async fn irreversible_actions(&self, ctx: &Context<'_>) -> GqlResult<Vec<String>> {
        if !self.sees_support() {
            return Ok(vec![]);
        }
        let shares = ctx
            .data_unchecked::<DataLoader<Db>>()
            .load_one(SharesOf(self.party.id))
            .await?
            .unwrap_or_default();
        Ok(irreversible_from(
            &shares,
            submitted_report(&self.scope.bundle, self.party.id),
        ))
    }
    /// Attempts to contact the student (their case worker(s) only).
    async fn contact_attempts(&self, ctx: &Context<'_>) -> GqlResult<Vec<ContactAttempt>> {
        if !self.scope.rel.can_see_contact_attempts_of(self.party.id) {
            return Ok(vec![]);
        }
        let rows = ctx
            .data_unchecked::<DataLoader<Db>>()
            .load_one(AttemptsOf(self.party.id))
            .await?
            .unwrap_or_default();
        rows.into_iter()
            .map(|a| {
                Ok(ContactAttempt {
                    made_at: a.made_at,
                    method: kinds::ContactMethod::from_db(&a.method).gql()?.into(),
                    student_responded: a.student_responded,
                })
            })
            .collect()
    }
}

/// One timeline entry, as far as the viewer may see it.
pub struct TimelineEntry {
    event: timeline_event::Model,
    scope: Scoped,
}

impl TimelineEntry {
    /// An entry the caller has already checked `scope.rel` may see.
    pub fn new(event: timeline_event::Model, scope: Scoped) -> Self {
        TimelineEntry { event, scope }
    }
}

#[Object]
impl TimelineEntry {
    async fn at(&self) -> DateTime<Utc> {
        self.event.at
    }
    async fn kind(&self) -> GqlResult<TimelineKind> {
        Ok(kinds::TimelineKind::from_db(&self.event.kind).gql()?.into())
    }
    /// For a stage change: the new stage in the limited form parties see.
    async fn progress(&self, ctx: &Context<'_>) -> GqlResult<Option<String>> {
        let Some(to) = &self.event.to_stage else {
            return Ok(None);
        };
        Ok(Some(
            ctx.state()
                .policy
                .progress_label(kinds::Stage::from_db(to).gql()?)
                .to_string(),
        ))
    }
    /// For a stage change: the exact stages (procedure staff only).
    async fn from_stage(&self) -> GqlResult<Option<Stage>> {
        self.exact(&self.event.from_stage)
    }
    async fn to_stage(&self) -> GqlResult<Option<Stage>> {
        self.exact(&self.event.to_stage)
    }
    /// Why, where the viewer may know (procedure, or the side it concerns).
    async fn reason(&self) -> Option<&str> {
        self.scope
            .rel
            .can_read_event_reason(self.event.party_id)
            .then_some(self.event.reason.as_deref())
            .flatten()
    }
}

impl TimelineEntry {
    fn exact(&self, stage: &Option<String>) -> GqlResult<Option<Stage>> {
        if !self.scope.rel.sees_exact_stage() {
            return Ok(None);
        }
        Ok(stage
            .as_deref()
            .map(kinds::Stage::from_db)
            .transpose()
            .gql()?
            .map(Into::into))
    }
}
