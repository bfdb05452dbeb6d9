//! Mutations that open, report, pause and end a case: domain verbs, each one
//! transaction that the domain service fills (change, timeline, audit); the
//! payload is then read through the same visibility rules as any query.

use async_graphql::{Context, InputObject, Object};
use chrono::NaiveDate;
use uuid::Uuid;

use super::{CasePayload, payload};
use crate::domain::{disclosures, reports};
use crate::graphql::context::{CtxExt, GqlResult};
use crate::graphql::enums::{DisclosureChannel, Employment, IncidentCategory, PauseReason};
use crate::graphql::transaction::in_tx;

/// A responding party named in a disclosure.
#[derive(InputObject)]
pub struct RespondentInput {
    /// Their SIS student number, matched to a student record.
    sis_number: Option<String>,
    /// Their name, or how the discloser describes them.
    name: Option<String>,
}

/// A disclosure (R-DISC-1).
#[derive(InputObject)]
pub struct RecordDisclosureInput {
    /// How it reached the university; defaults to ONLINE_FORM
    /// (STAFF_FORWARDED is set by `forwarded`).
    channel: Option<DisclosureChannel>,
    /// What kind of incident (at least one).
    categories: Vec<IncidentCategory>,
    /// When it happened, if known; not in the future.
    incident_date: Option<NaiveDate>,
    /// What happened, in the discloser's words.
    description: String,
    /// R-DISC-2: no identity kept, no support offered, no formal process.
    #[graphql(default)]
    anonymous: bool,
    /// Staff recording for a student: the student's person id.
    disclosing_student_id: Option<Uuid>,
    /// R-DISC-3: you are forwarding this disclosure and will be told whether
    /// contact was made.
    #[graphql(default)]
    forwarded: bool,
    /// R-DISC-4: do not record the responding parties' names.
    #[graphql(default)]
    omit_respondent_names: bool,
    /// R-DISC-4: staff recording for a student who asks not to be named
    /// record the disclosure without her name (no `disclosingStudentId`); she
    /// can be named later (`identifyParty`), and until then has no case worker.
    #[graphql(default)]
    omit_reporting_party_name: bool,
    /// The students reported (at most 20).
    #[graphql(default)]
    respondents: Vec<RespondentInput>,
    /// A police case on the same allegation is ongoing.
    #[graphql(default)]
    police_case_ongoing: bool,
    /// R-TIME-2: the student agrees to letters on a Friday.
    #[graphql(default)]
    friday_contact_agreed: bool,
}

impl RecordDisclosureInput {
    fn disclosure(self) -> disclosures::NewDisclosure {
        disclosures::NewDisclosure {
            channel: self
                .channel
                .map(Into::into)
                .unwrap_or(crate::domain::kinds::DisclosureChannel::OnlineForm),
            categories: self.categories.into_iter().map(Into::into).collect(),
            incident_date: self.incident_date,
            description: self.description,
            anonymous: self.anonymous,
            disclosing_student: self.disclosing_student_id,
            forwarded: self.forwarded,
            omit_respondent_names: self.omit_respondent_names,
            omit_reporting_party_name: self.omit_reporting_party_name,
            respondents: self
                .respondents
                .into_iter()
                .map(|r| disclosures::RespondentInput {
                    sis_number: r.sis_number,
                    name: r.name,
                })
                .collect(),
            police_case_ongoing: self.police_case_ongoing,
            friday_contact_agreed: self.friday_contact_agreed,
        }
    }
}

/// A formal report (R-REP-1, R-REP-2).
#[derive(InputObject)]
pub struct FormalReportInput {
    /// The disclosure that becomes a report.
    case_id: Uuid,
    /// The case's `version` as you read it.
    expected_version: i32,
    /// The allegation, in the reporting party's words.
    statement: String,
    /// The resolution the reporting party seeks.
    desired_outcome: Option<String>,
    /// R-REP-2: the responding party may be told of the allegation; without
    /// this agreement the investigation cannot proceed.
    respondent_may_be_informed: bool,
    /// SIS numbers of students the reporting party names as witnesses (at most 20).
    #[graphql(default)]
    witnesses: Vec<String>,
}

#[derive(Default)]
pub struct CaseMutation;

#[Object]
impl CaseMutation {
    /// Records a disclosure (R-DISC-1…5): a student records their own; staff
    /// record or forward one for a student. Schedules Email 1 (R-SUP-3). An
    /// anonymous disclosure answers with `anonymousAccessCode`, shown once.
    async fn record_disclosure(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The disclosure.")] input: RecordDisclosureInput,
    ) -> GqlResult<CasePayload> {
        let policy = ctx.state().policy.clone();
        let disclosure = input.disclosure();
        let recorded = in_tx(ctx, async |viewer, tx| {
            disclosures::record_disclosure(viewer, tx, &policy, disclosure).await
        })
        .await?;
        Ok(payload(ctx, recorded.case.id)
            .await?
            .with_access_code(recorded.access_code))
    }

    /// Allocates a case worker to a party (R-IND-1, R-IND-2, R-REP-4): for a
    /// reporting party, Student Support (from intake) or the conduct team; for
    /// a responding party, the conduct team once they have been told.
    async fn assign_case_worker(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The case.")] case_id: Uuid,
        #[graphql(desc = "The party supported.")] party_id: Uuid,
        #[graphql(desc = "The case worker, who must hold CASE_WORKER and be independent.")]
        case_worker_id: Uuid,
    ) -> GqlResult<CasePayload> {
        in_tx(ctx, async |viewer, tx| {
            disclosures::assign_case_worker(viewer, tx, case_id, party_id, case_worker_id).await
        })
        .await?;
        payload(ctx, case_id).await
    }

    /// Ends a case worker's assignment to a party (they leave, or the party
    /// asks for someone else): the conduct team or the party's own case
    /// worker. The reason is on the timeline for the party's side. Allocate the next one with
    /// `assignCaseWorker`, which checks R-IND-1/2 again.
    async fn end_case_worker_assignment(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The case.")] case_id: Uuid,
        #[graphql(desc = "The party supported.")] party_id: Uuid,
        #[graphql(desc = "The case worker whose assignment ends.")] case_worker_id: Uuid,
        #[graphql(desc = "Why it ends.")] reason: String,
    ) -> GqlResult<CasePayload> {
        in_tx(ctx, async |viewer, tx| {
            disclosures::end_case_worker(viewer, tx, case_id, party_id, case_worker_id, reason)
                .await
        })
        .await?;
        payload(ctx, case_id).await
    }

    /// Turns a disclosure into a formal report, by the reporting party or their
    /// case worker, once every condition of R-REP-1 holds; sets the R-REP-3
    /// deadlines and schedules the acknowledgement.
    async fn submit_formal_report(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The report.")] input: FormalReportInput,
    ) -> GqlResult<CasePayload> {
        let case_id = input.case_id;
        let policy = ctx.state().policies.clone();
        let report = reports::NewReport {
            statement: input.statement,
            desired_outcome: input.desired_outcome,
            respondent_may_be_informed: input.respondent_may_be_informed,
            witnesses: input.witnesses,
            expected_version: input.expected_version,
        };
        in_tx(ctx, async |viewer, tx| {
            reports::submit_formal_report(viewer, tx, &policy, case_id, report).await
        })
        .await?;
        payload(ctx, case_id).await
    }

    /// Staff running the procedure tell a responding party of the report and
    /// offer them a case worker (R-REP-2, R-REP-4); only if the reporting party
    /// agreed. From now the case exists for that party.
    async fn inform_responding_party(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The case.")] case_id: Uuid,
        #[graphql(desc = "The responding party to tell.")] party_id: Uuid,
        #[graphql(desc = "The case's `version` as you read it.")] expected_version: i32,
    ) -> GqlResult<CasePayload> {
        in_tx(ctx, async |viewer, tx| {
            reports::inform_responding_party(
                viewer,
                tx,
                &ctx.state().policies,
                case_id,
                party_id,
                expected_version,
            )
            .await
        })
        .await?;
        payload(ctx, case_id).await
    }

    /// The discloser's case worker closes a disclosure that will not become a
    /// report: DISCLOSURE → CLOSED.
    async fn close_disclosure(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The disclosure.")] case_id: Uuid,
        #[graphql(desc = "Why it closes (support only, no report…).")] reason: String,
        #[graphql(desc = "The case's `version` as you read it.")] expected_version: i32,
    ) -> GqlResult<CasePayload> {
        in_tx(ctx, async |viewer, tx| {
            reports::close_disclosure(viewer, tx, case_id, reason, expected_version).await
        })
        .await?;
        payload(ctx, case_id).await
    }

    /// Records that a police case on the same allegation has begun
    /// (`ongoing: true`) or has ended (`false`) (R-SUP-1): while one is ongoing
    /// a formal report is refused (R-REP-1). The reporting party's case worker
    /// or the conduct team.
    async fn record_police_case(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The case.")] case_id: Uuid,
        #[graphql(desc = "Whether a police case is now ongoing.")] ongoing: bool,
        #[graphql(desc = "The case's `version` as you read it.")] expected_version: i32,
    ) -> GqlResult<CasePayload> {
        in_tx(ctx, async |viewer, tx| {
            reports::record_police_case(viewer, tx, case_id, ongoing, expected_version).await
        })
        .await?;
        payload(ctx, case_id).await
    }

    /// A responding party who is a member of staff or a contractor is routed
    /// to the staff procedure (R-DISC-6): no formal report under the student
    /// procedure can name them from then on, while the reporting student keeps
    /// her support. The reporting party's case worker or the conduct team,
    /// before a formal report.
    async fn route_to_staff_procedure(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The case.")] case_id: Uuid,
        #[graphql(desc = "The responding party.")] party_id: Uuid,
        #[graphql(desc = "Staff or contractor.")] employment: Employment,
        #[graphql(desc = "Where the matter goes (e.g. \"Human Resources\").")] referred_to: String,
        #[graphql(desc = "The case's `version` as you read it.")] expected_version: i32,
    ) -> GqlResult<CasePayload> {
        in_tx(ctx, async |viewer, tx| {
            crate::domain::staff_procedure::route(
                viewer,
                tx,
                case_id,
                party_id,
                employment.into(),
                &referred_to,
                expected_version,
            )
            .await
        })
        .await?;
        payload(ctx, case_id).await
    }

    /// The reporting party withdraws, or their case worker for them, at any
    /// time (R-INV-6). Safeguarding measures may stay.
    async fn withdraw_case(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Your case.")] case_id: Uuid,
        #[graphql(desc = "Why, if you wish to say.")] reason: Option<String>,
        #[graphql(desc = "The case's `version` as you read it.")] expected_version: i32,
    ) -> GqlResult<CasePayload> {
        in_tx(ctx, async |viewer, tx| {
            reports::withdraw(viewer, tx, case_id, reason, expected_version).await
        })
        .await?;
        payload(ctx, case_id).await
    }

    /// Staff running the procedure pause a case (R-INV-5); it resumes where it
    /// was, with its deadlines moved (R-TIME-3). The reason is for the procedure only.
    async fn pause_case(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The case.")] case_id: Uuid,
        #[graphql(desc = "Why it is paused.")] reason: PauseReason,
        #[graphql(desc = "Anything to add to the reason.")] note: Option<String>,
        #[graphql(desc = "The case's `version` as you read it.")] expected_version: i32,
    ) -> GqlResult<CasePayload> {
        let policy = ctx.state().policies.clone();
        in_tx(ctx, async |viewer, tx| {
            reports::pause(
                viewer,
                tx,
                &policy,
                case_id,
                reason.into(),
                note,
                expected_version,
            )
            .await
        })
        .await?;
        payload(ctx, case_id).await
    }

    /// Staff running the procedure resume a paused case at the stage it left;
    /// its open deadlines move on by the working days it was paused (R-TIME-3).
    async fn resume_case(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The case.")] case_id: Uuid,
        #[graphql(desc = "The case's `version` as you read it.")] expected_version: i32,
    ) -> GqlResult<CasePayload> {
        let policy = ctx.state().policies.clone();
        in_tx(ctx, async |viewer, tx| {
            reports::resume(viewer, tx, &policy, case_id, expected_version).await
        })
        .await?;
        payload(ctx, case_id).await
    }
}
