//! Case mutations: domain verbs. Each runs in one transaction that the domain
//! service fills (change, timeline, audit) and the resolver commits; the payload
//! is then re-read through the same visibility rules as any query.

use async_graphql::{Context, InputObject, Object, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use crate::domain::{disclosures, reports, support};
use crate::graphql::case::{Case, PartyCase};
use crate::graphql::case::{as_party, as_staff, scoped};
use crate::graphql::context::{CtxExt, GqlResult, OrGql, to_gql};
use crate::graphql::enums::*;
use crate::graphql::transaction::in_tx;

/// The case after a change, in the view the caller is entitled to.
#[derive(SimpleObject)]
pub struct CasePayload {
    case_id: Uuid,
    reference: String,
    /// The new version, for the next `expectedVersion`.
    version: i32,
    /// The staff view, if the caller is staff on this case.
    case: Option<Case>,
    /// The party view, if the caller is a party to this case.
    my_case: Option<PartyCase>,
}

/// The case after a change: the case is read once and shown in each view the
/// caller is entitled to. A database failure is reported as such; a case the
/// caller can no longer see simply has neither view.
pub async fn payload(ctx: &Context<'_>, case_id: Uuid) -> GqlResult<CasePayload> {
    let viewer = ctx.viewer()?;
    let Some(bundle) = crate::domain::case_store::load(&ctx.state().db, case_id)
        .await
        .gql()?
    else {
        return Err(to_gql(crate::error::Error::NotFound("case")));
    };
    let (reference, version) = (bundle.case.reference.clone(), bundle.case.version);
    let scope = scoped(viewer, bundle);
    Ok(CasePayload {
        case_id,
        reference,
        version,
        case: as_staff(scope.clone()),
        my_case: as_party(scope),
    })
}

#[derive(InputObject)]
pub struct RespondentInput {
    /// Matched to a student record by SIS number.
    sis_number: Option<String>,
    /// As the discloser names or describes them.
    name: Option<String>,
}

#[derive(InputObject)]
pub struct RecordDisclosureInput {
    /// Defaults to ONLINE_FORM; STAFF_FORWARDED is set by `forwarded`.
    channel: Option<DisclosureChannel>,
    categories: Vec<IncidentCategory>,
    incident_date: Option<NaiveDate>,
    description: String,
    /// R-DISC-2: no identity kept, no support offered, no formal process.
    #[graphql(default)]
    anonymous: bool,
    /// Staff recording for a student: the student's person id.
    disclosing_student_id: Option<Uuid>,
    /// R-DISC-3: you are forwarding this disclosure and will be told whether contact was made.
    #[graphql(default)]
    forwarded: bool,
    /// R-DISC-4: do not record the responding parties' names.
    #[graphql(default)]
    omit_respondent_names: bool,
    #[graphql(default)]
    respondents: Vec<RespondentInput>,
    #[graphql(default)]
    police_case_ongoing: bool,
    /// R-TIME-2: the student agrees to letters on a Friday.
    #[graphql(default)]
    friday_contact_agreed: bool,
}

#[derive(InputObject)]
pub struct OptionsConversationInput {
    case_id: Uuid,
    party_id: Uuid,
    /// Defaults to now.
    held_at: Option<DateTime<Utc>>,
    options_offered: Vec<SupportOption>,
    options_chosen: Vec<SupportOption>,
    summary: String,
}

#[derive(InputObject)]
pub struct FormalReportInput {
    case_id: Uuid,
    expected_version: i32,
    statement: String,
    desired_outcome: Option<String>,
    /// R-REP-2: without this agreement the investigation cannot proceed.
    respondent_may_be_informed: bool,
    /// SIS numbers of students the reporting party names as witnesses.
    #[graphql(default)]
    witnesses: Vec<String>,
}

#[derive(Default)]
pub struct CaseMutation;

#[Object]
impl CaseMutation {
    /// Records a disclosure (R-DISC-1…5). A student records their own; staff record
    /// or forward one for a student.
    async fn record_disclosure(
        &self,
        ctx: &Context<'_>,
        input: RecordDisclosureInput,
    ) -> GqlResult<CasePayload> {
        let policy = ctx.state().policy.clone();
        let case = in_tx(ctx, async |viewer, tx| {
            disclosures::record_disclosure(
                viewer,
                tx,
                &policy,
                disclosures::NewDisclosure {
                    channel: input
                        .channel
                        .map(Into::into)
                        .unwrap_or(crate::domain::kinds::DisclosureChannel::OnlineForm),
                    categories: input.categories.into_iter().map(Into::into).collect(),
                    incident_date: input.incident_date,
                    description: input.description,
                    anonymous: input.anonymous,
                    disclosing_student: input.disclosing_student_id,
                    forwarded: input.forwarded,
                    omit_respondent_names: input.omit_respondent_names,
                    respondents: input
                        .respondents
                        .into_iter()
                        .map(|r| disclosures::RespondentInput {
                            sis_number: r.sis_number,
                            name: r.name,
                        })
                        .collect(),
                    police_case_ongoing: input.police_case_ongoing,
                    friday_contact_agreed: input.friday_contact_agreed,
                },
            )
            .await
        })
        .await?;
        payload(ctx, case.id).await
    }

    /// Allocates a case worker to a party (R-IND-1, R-IND-2, R-REP-4).
    async fn assign_case_worker(
        &self,
        ctx: &Context<'_>,
        case_id: Uuid,
        party_id: Uuid,
        case_worker_id: Uuid,
    ) -> GqlResult<CasePayload> {
        in_tx(ctx, async |viewer, tx| {
            disclosures::assign_case_worker(viewer, tx, case_id, party_id, case_worker_id).await
        })
        .await?;
        payload(ctx, case_id).await
    }

    /// Records an attempt to contact a student (R-DISC-3).
    async fn record_contact_attempt(
        &self,
        ctx: &Context<'_>,
        case_id: Uuid,
        party_id: Uuid,
        method: ContactMethod,
        student_responded: bool,
    ) -> GqlResult<CasePayload> {
        in_tx(ctx, async |viewer, tx| {
            support::record_contact_attempt(
                viewer,
                tx,
                &ctx.state().policy,
                case_id,
                party_id,
                method.into(),
                student_responded,
            )
            .await
        })
        .await?;
        payload(ctx, case_id).await
    }

    /// Records an options conversation and the student's choice (R-SUP-1).
    async fn record_options_conversation(
        &self,
        ctx: &Context<'_>,
        input: OptionsConversationInput,
    ) -> GqlResult<CasePayload> {
        let case_id = input.case_id;
        in_tx(ctx, async |viewer, tx| {
            support::record_options_conversation(
                viewer,
                tx,
                &ctx.state().policy,
                input.case_id,
                input.party_id,
                support::NewConversation {
                    held_at: input.held_at,
                    options_offered: input.options_offered.into_iter().map(Into::into).collect(),
                    options_chosen: input.options_chosen.into_iter().map(Into::into).collect(),
                    summary: input.summary,
                },
            )
            .await
        })
        .await?;
        payload(ctx, case_id).await
    }

    /// The student changes their choice (R-SUP-2); refused where an irreversible action was taken.
    async fn change_options_choice(
        &self,
        ctx: &Context<'_>,
        case_id: Uuid,
        party_id: Uuid,
        options_chosen: Vec<SupportOption>,
        reason: String,
    ) -> GqlResult<CasePayload> {
        in_tx(ctx, async |viewer, tx| {
            support::change_options_choice(
                viewer,
                tx,
                case_id,
                party_id,
                options_chosen.into_iter().map(Into::into).collect(),
                reason,
            )
            .await
        })
        .await?;
        payload(ctx, case_id).await
    }

    /// Records consent (or its refusal or withdrawal) to share with a department (R-SUP-4).
    async fn record_sharing_consent(
        &self,
        ctx: &Context<'_>,
        case_id: Uuid,
        party_id: Uuid,
        department: Department,
        granted: bool,
    ) -> GqlResult<CasePayload> {
        in_tx(ctx, async |viewer, tx| {
            support::record_sharing_consent(
                viewer,
                tx,
                case_id,
                party_id,
                department.into(),
                granted,
            )
            .await
        })
        .await?;
        payload(ctx, case_id).await
    }

    /// Records information shared with a department; refused without consent (R-SUP-4).
    async fn share_information(
        &self,
        ctx: &Context<'_>,
        case_id: Uuid,
        party_id: Uuid,
        department: Department,
        details: String,
    ) -> GqlResult<CasePayload> {
        in_tx(ctx, async |viewer, tx| {
            support::share_information(viewer, tx, case_id, party_id, department.into(), details)
                .await
        })
        .await?;
        payload(ctx, case_id).await
    }

    /// Adds a support note about a party (R-SUP-5).
    async fn add_support_note(
        &self,
        ctx: &Context<'_>,
        case_id: Uuid,
        party_id: Uuid,
        body: String,
        #[graphql(default)] shared_with_party: bool,
    ) -> GqlResult<CasePayload> {
        in_tx(ctx, async |viewer, tx| {
            support::add_support_note(viewer, tx, case_id, party_id, body, shared_with_party).await
        })
        .await?;
        payload(ctx, case_id).await
    }

    /// Turns a disclosure into a formal report (R-REP-1, R-REP-2).
    async fn submit_formal_report(
        &self,
        ctx: &Context<'_>,
        input: FormalReportInput,
    ) -> GqlResult<CasePayload> {
        let case_id = input.case_id;
        let policy = ctx.state().policy.clone();
        in_tx(ctx, async |viewer, tx| {
            reports::submit_formal_report(
                viewer,
                tx,
                &policy,
                input.case_id,
                reports::NewReport {
                    statement: input.statement,
                    desired_outcome: input.desired_outcome,
                    respondent_may_be_informed: input.respondent_may_be_informed,
                    witnesses: input.witnesses,
                    expected_version: input.expected_version,
                },
            )
            .await
        })
        .await?;
        payload(ctx, case_id).await
    }

    /// Tells a responding party of the report and offers them a case worker (R-REP-2, R-REP-4).
    async fn inform_responding_party(
        &self,
        ctx: &Context<'_>,
        case_id: Uuid,
        party_id: Uuid,
        expected_version: i32,
    ) -> GqlResult<CasePayload> {
        in_tx(ctx, async |viewer, tx| {
            reports::inform_responding_party(
                viewer,
                tx,
                &ctx.state().policy,
                case_id,
                party_id,
                expected_version,
            )
            .await
        })
        .await?;
        payload(ctx, case_id).await
    }

    /// Closes a disclosure that will not become a report.
    async fn close_disclosure(
        &self,
        ctx: &Context<'_>,
        case_id: Uuid,
        reason: String,
        expected_version: i32,
    ) -> GqlResult<CasePayload> {
        in_tx(ctx, async |viewer, tx| {
            reports::close_disclosure(viewer, tx, case_id, reason, expected_version).await
        })
        .await?;
        payload(ctx, case_id).await
    }

    /// The reporting party withdraws (R-INV-6).
    async fn withdraw_case(
        &self,
        ctx: &Context<'_>,
        case_id: Uuid,
        reason: Option<String>,
        expected_version: i32,
    ) -> GqlResult<CasePayload> {
        in_tx(ctx, async |viewer, tx| {
            reports::withdraw(viewer, tx, case_id, reason, expected_version).await
        })
        .await?;
        payload(ctx, case_id).await
    }

    /// Pauses a case (R-INV-5); it resumes where it was.
    async fn pause_case(
        &self,
        ctx: &Context<'_>,
        case_id: Uuid,
        reason: PauseReason,
        note: Option<String>,
        expected_version: i32,
    ) -> GqlResult<CasePayload> {
        in_tx(ctx, async |viewer, tx| {
            reports::pause(viewer, tx, case_id, reason.into(), note, expected_version).await
        })
        .await?;
        payload(ctx, case_id).await
    }

    async fn resume_case(
        &self,
        ctx: &Context<'_>,
        case_id: Uuid,
        expected_version: i32,
    ) -> GqlResult<CasePayload> {
        let policy = ctx.state().policy.clone();
        in_tx(ctx, async |viewer, tx| {
            reports::resume(viewer, tx, &policy, case_id, expected_version).await
        })
        .await?;
        payload(ctx, case_id).await
    }
}
