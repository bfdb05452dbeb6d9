//! Changes to who is on a case (issue 10 item 1): a party added after the
//! report, a withheld name given (R-DISC-4), a party's details corrected.

use async_graphql::{Context, InputObject, Object};
use uuid::Uuid;

use super::{CasePayload, payload};
use crate::domain::parties;
use crate::graphql::context::GqlResult;
use crate::graphql::enums::PartyRole;
use crate::graphql::transaction::in_tx;

/// A witness or a further responding party to add to a case.
#[derive(InputObject)]
pub struct AddPartyInput {
    /// The case.
    case_id: Uuid,
    /// WITNESS or RESPONDING (a case has one reporting party).
    role: PartyRole,
    /// The student's SIS number: required for a witness; for a responding
    /// party, unless only a name is known yet.
    sis_number: Option<String>,
    /// How an unidentified responding party is known, until identified.
    name: Option<String>,
    /// The case's `version` as you read it.
    expected_version: i32,
}

/// A correction to a party's details.
#[derive(InputObject)]
pub struct CorrectPartyInput {
    /// The case.
    case_id: Uuid,
    /// The party.
    party_id: Uuid,
    /// The right student's SIS number, where the wrong student was linked.
    sis_number: Option<String>,
    /// How an unidentified party is described.
    described_as: Option<String>,
    /// Why (kept on the timeline of the party's side).
    reason: String,
    /// The case's `version` as you read it.
    expected_version: i32,
}

#[derive(Default)]
pub struct PartyMutation;

#[Object]
impl PartyMutation {
    /// The staff running the procedure add a witness, or a further responding
    /// party, after the report (a second witness comes forward; another
    /// student is named). A responding party added is told of the report like
    /// the others (`informRespondingParty`, R-REP-2).
    async fn add_party(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The party to add.")] input: AddPartyInput,
    ) -> GqlResult<CasePayload> {
        let case_id = input.case_id;
        in_tx(ctx, async |viewer, tx| {
            let new = parties::NewParty {
                role: input.role.into(),
                sis_number: input.sis_number,
                name: input.name,
            };
            parties::add(viewer, tx, case_id, new, input.expected_version).await
        })
        .await?;
        payload(ctx, case_id).await
    }

    /// Student Support (a case worker on the case, or intake) or the conduct
    /// team offers support to a student affected who is not a witness (000
    /// §15), with the case worker who will support them. They are not a party
    /// to the procedure: only they and their case worker(s) know they are on
    /// the case, and they see their own support and nothing else of it.
    async fn offer_support_to_affected_person(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The case.")] case_id: Uuid,
        #[graphql(desc = "The student's SIS number.")] sis_number: String,
        #[graphql(desc = "Their case worker (a person holding CASE_WORKER).")] case_worker_id: Uuid,
        #[graphql(desc = "The case's `version` as you read it.")] expected_version: i32,
    ) -> GqlResult<CasePayload> {
        in_tx(ctx, async |viewer, tx| {
            crate::domain::third_parties::offer_support(
                viewer,
                tx,
                case_id,
                &sis_number,
                case_worker_id,
                expected_version,
            )
            .await
        })
        .await?;
        payload(ctx, case_id).await
    }

    /// Names a party recorded without a name (R-DISC-4): the reporting party
    /// (who can then be offered a case worker and report) or a responding
    /// party (after which R-REP-1 can be met). The staff running the
    /// procedure, or Student Support for the reporting party.
    async fn identify_party(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The case.")] case_id: Uuid,
        #[graphql(desc = "The party recorded without a name.")] party_id: Uuid,
        #[graphql(desc = "The student's SIS number.")] sis_number: String,
        #[graphql(desc = "The case's `version` as you read it.")] expected_version: i32,
    ) -> GqlResult<CasePayload> {
        in_tx(ctx, async |viewer, tx| {
            parties::identify(viewer, tx, case_id, party_id, &sis_number, expected_version).await
        })
        .await?;
        payload(ctx, case_id).await
    }

    /// Corrects a party's details, with the reason: the student they are (the
    /// wrong student was linked — a responding party is then told of the
    /// report afresh, R-REP-2) or how an unidentified party is described.
    async fn correct_party_details(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The party and the correction.")] input: CorrectPartyInput,
    ) -> GqlResult<CasePayload> {
        let case_id = input.case_id;
        in_tx(ctx, async |viewer, tx| {
            let correction = parties::Correction {
                sis_number: input.sis_number,
                described_as: input.described_as,
                reason: input.reason,
            };
            parties::correct(
                viewer,
                tx,
                case_id,
                input.party_id,
                correction,
                input.expected_version,
            )
            .await
        })
        .await?;
        payload(ctx, case_id).await
    }
}
