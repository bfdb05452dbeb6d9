//! The disciplinary procedure as each viewer may see it: triage, the
//! investigation, hearings, sanctions, the outcome and appeals. Every list is
//! filtered by `domain::access`; both `Case` and `PartyCase` ask through
//! `ProcedureFields`, so the two views cannot disagree. The procedure's
//! mutations are here too, one file per part of the procedure.

mod appeal_mutation;
mod decision_mutation;
mod fitness_to_study;
mod inputs;
mod investigation;
mod investigation_mutation;
mod outcome;

use async_graphql::Context;
use async_graphql::dataloader::DataLoader;

use crate::graphql::case::Scoped;
use crate::graphql::context::GqlResult;
use crate::graphql::loaders::{Db, ProcedureOf};

pub use appeal_mutation::AppealMutation;
pub use decision_mutation::DecisionMutation;
pub use fitness_to_study::{FitnessToStudyMutation, HealthRecord, of_case as fitness_to_study_of};
pub use investigation::{
    Evidence, InvestigationReport, Meeting, Recording, ReviewRequest, Statement, Triage,
};
pub use investigation_mutation::InvestigationMutation;
pub use outcome::{
    Appeal, CaseDeadline, Decision, Hearing, Outcome, PanelVote, RespondentOutcome, Sanction,
};

/// What each view of a case can ask of the procedure.
pub struct ProcedureFields;

impl ProcedureFields {
    fn loader<'a>(ctx: &'a Context<'_>) -> &'a DataLoader<Db> {
        ctx.data_unchecked::<DataLoader<Db>>()
    }

    /// The procedure row of a reported case (none before a report).
    async fn state(
        ctx: &Context<'_>,
        scope: &Scoped,
    ) -> GqlResult<Option<entity::procedure::Model>> {
        Self::loader(ctx)
            .load_one(ProcedureOf(scope.case_id()))
            .await
    }
}
