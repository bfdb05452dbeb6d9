//! 000 §35 with several responding parties (issue 10 item 2): the finding, the
//! appeal and the moment the appeal process concluded belong to each
//! responding party, so one student's appeal does not hold another's outcome
//! and R-OUT-2 is judged per respondent. Outcomes recorded before this
//! migration are copied from the case to each of its responding parties.

use sea_orm_migration::prelude::*;

use crate::columns::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(RespondentOutcome::Table)
                .col(id(RespondentOutcome::PartyId))
                .col(uuid(RespondentOutcome::CaseId))
                .col(flag(RespondentOutcome::BreachFound))
                .col(flag(RespondentOutcome::RemovedFromRecord))
                .col(ts_null(RespondentOutcome::ConcludedAt))
                .col(ts(RespondentOutcome::CreatedAt))
                .foreign_key(&mut fk(
                    RespondentOutcome::Table,
                    RespondentOutcome::CaseId,
                    Cases::Table,
                    Cases::Id,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ix_respondent_outcome_case",
            RespondentOutcome::Table,
            &["case_id"],
        ))
        .await?;
        m.get_connection()
            .execute_unprepared(
                "INSERT INTO respondent_outcome (party_id, case_id, breach_found, removed_from_record, concluded_at, created_at) \
                 SELECT p.id, p.case_id, pr.breach_found, pr.removed_from_record, pr.appeals_concluded_at, pr.outcome_notified_at \
                 FROM party p JOIN procedure pr ON pr.case_id = p.case_id \
                 WHERE p.role = 'RESPONDING' AND pr.outcome_notified_at IS NOT NULL",
            )
            .await
            .map(|_| ())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(RespondentOutcome::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Cases {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum RespondentOutcome {
    Table,
    PartyId,
    CaseId,
    BreachFound,
    RemovedFromRecord,
    ConcludedAt,
    CreatedAt,
}
