//! DataLoaders: nested fields load in one batched query per level, never per row.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use entity::{
    appeal, communication, communication_plan, contact_attempt, deadline, evidence, health_record,
    hearing, information_share, letter, measure, measure_event, meeting, options_conversation,
    person, procedure, recording, respondent_outcome, review_request, risk_assessment, sanction,
    sharing_consent, statement, support_note, supportive_measure, timeline_event,
};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use crate::domain::positional;
use crate::graphql::context::to_gql;

pub struct Db(pub DatabaseConnection);

#[derive(Clone, Copy, Hash, PartialEq, Eq, Debug)]
pub struct PersonId(pub Uuid);

impl Loader<PersonId> for Db {
    type Value = person::Model;
    type Error = async_graphql::Error;

    async fn load(
        &self,
        keys: &[PersonId],
    ) -> Result<HashMap<PersonId, person::Model>, Self::Error> {
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        let rows = positional::all(
            person::Entity::find().filter(person::Column::Id.is_in(ids)),
            &self.0,
        )
        .await
        .map_err(|e| to_gql(e.into()))?;
        Ok(rows.into_iter().map(|p| (PersonId(p.id), p)).collect())
    }
}

/// A loader returning, for each key, every row whose `$field` equals it, in order.
macro_rules! grouped_loader {
    ($(#[$meta:meta])* $key:ident: $entity:ident by $column:ident ($field:ident) ordered $order:ident) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Hash, PartialEq, Eq, Debug)]
        pub struct $key(pub Uuid);

        impl Loader<$key> for Db {
            type Value = Vec<$entity::Model>;
            type Error = async_graphql::Error;

            async fn load(&self, keys: &[$key]) -> Result<HashMap<$key, Vec<$entity::Model>>, Self::Error> {
                let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
                let rows = $entity::Entity::find()
                    .filter($entity::Column::$column.is_in(ids))
                    .order_by_asc($entity::Column::$order)
                    .order_by_asc($entity::Column::Id)
                    .all(&self.0)
                    .await
                    .map_err(|e| to_gql(e.into()))?;
                let mut map: HashMap<$key, Vec<$entity::Model>> = keys.iter().map(|k| (*k, Vec::new())).collect();
                for row in rows {
                    map.entry($key(row.$field)).or_default().push(row);
                }
                Ok(map)
            }
        }
    };
}

grouped_loader!(NotesOf: support_note by PartyId (party_id) ordered CreatedAt);
grouped_loader!(ConversationsOf: options_conversation by PartyId (party_id) ordered HeldAt);
grouped_loader!(ConsentsOf: sharing_consent by PartyId (party_id) ordered RecordedAt);
grouped_loader!(SharesOf: information_share by PartyId (party_id) ordered SharedAt);
grouped_loader!(SupportiveMeasuresOf: supportive_measure by PartyId (party_id) ordered CreatedAt);
grouped_loader!(PlanOf: communication_plan by PartyId (party_id) ordered AgreedAt);
grouped_loader!(AttemptsOf: contact_attempt by PartyId (party_id) ordered MadeAt);
grouped_loader!(TimelineOf: timeline_event by CaseId (case_id) ordered At);

grouped_loader!(MeasuresOf: measure by CaseId (case_id) ordered CreatedAt);
grouped_loader!(RiskAssessmentsOf: risk_assessment by CaseId (case_id) ordered AssessedOn);
grouped_loader!(HealthRecordsOf: health_record by CaseId (case_id) ordered RecordedAt);
grouped_loader!(MeasureHistoryOf: measure_event by MeasureId (measure_id) ordered At);

grouped_loader!(MeetingsOf: meeting by CaseId (case_id) ordered ScheduledAt);
grouped_loader!(EvidenceOf: evidence by CaseId (case_id) ordered CreatedAt);
grouped_loader!(StatementsOf: statement by CaseId (case_id) ordered CreatedAt);
grouped_loader!(RecordingsOf: recording by CaseId (case_id) ordered CreatedAt);
grouped_loader!(HearingsOf: hearing by CaseId (case_id) ordered ScheduledAt);
grouped_loader!(SanctionsOf: sanction by CaseId (case_id) ordered CreatedAt);
grouped_loader!(AppealsOf: appeal by CaseId (case_id) ordered LodgedAt);
grouped_loader!(ReviewRequestsOf: review_request by CaseId (case_id) ordered RequestedAt);
grouped_loader!(DeadlinesOf: deadline by CaseId (case_id) ordered DueOn);
grouped_loader!(CommunicationsOf: communication by CaseId (case_id) ordered DueOn);
grouped_loader!(LettersOf: letter by CaseId (case_id) ordered CreatedAt);

/// A student's sanctions in all their cases, except those removed on appeal (R-SAN-2).
#[derive(Clone, Copy, Hash, PartialEq, Eq, Debug)]
pub struct SanctionsOfPerson(pub Uuid);

impl Loader<SanctionsOfPerson> for Db {
    type Value = Vec<sanction::Model>;
    type Error = async_graphql::Error;

    async fn load(
        &self,
        keys: &[SanctionsOfPerson],
    ) -> Result<HashMap<SanctionsOfPerson, Vec<sanction::Model>>, Self::Error> {
        let people: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        let rows = crate::domain::procedure::sanctions::of_people(&self.0, &people)
            .await
            .map_err(to_gql)?;
        let mut map: HashMap<SanctionsOfPerson, Vec<sanction::Model>> = HashMap::new();
        for (person, row) in rows {
            map.entry(SanctionsOfPerson(person)).or_default().push(row);
        }
        Ok(map)
    }
}

/// Each responding party's outcome on a case (000 §35).
#[derive(Clone, Copy, Hash, PartialEq, Eq, Debug)]
pub struct RespondentOutcomesOf(pub Uuid);

impl Loader<RespondentOutcomesOf> for Db {
    type Value = Vec<respondent_outcome::Model>;
    type Error = async_graphql::Error;

    async fn load(
        &self,
        keys: &[RespondentOutcomesOf],
    ) -> Result<HashMap<RespondentOutcomesOf, Self::Value>, Self::Error> {
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        let rows = respondent_outcome::Entity::find()
            .filter(respondent_outcome::Column::CaseId.is_in(ids))
            .order_by_asc(respondent_outcome::Column::CreatedAt)
            .order_by_asc(respondent_outcome::Column::PartyId)
            .all(&self.0)
            .await
            .map_err(|e| to_gql(e.into()))?;
        let mut map: HashMap<RespondentOutcomesOf, Self::Value> = HashMap::new();
        for row in rows {
            map.entry(RespondentOutcomesOf(row.case_id))
                .or_default()
                .push(row);
        }
        Ok(map)
    }
}

/// The procedure row of a case (one per reported case).
#[derive(Clone, Copy, Hash, PartialEq, Eq, Debug)]
pub struct ProcedureOf(pub Uuid);

impl Loader<ProcedureOf> for Db {
    type Value = procedure::Model;
    type Error = async_graphql::Error;

    async fn load(
        &self,
        keys: &[ProcedureOf],
    ) -> Result<HashMap<ProcedureOf, procedure::Model>, Self::Error> {
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        let rows = procedure::Entity::find()
            .filter(procedure::Column::CaseId.is_in(ids))
            .all(&self.0)
            .await
            .map_err(|e| to_gql(e.into()))?;
        Ok(rows
            .into_iter()
            .map(|p| (ProcedureOf(p.case_id), p))
            .collect())
    }
}
