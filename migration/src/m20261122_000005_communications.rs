//! Scheduled communications (R-SUP-3, R-REP-3, R-DISC-3, procedure notices):
//! a transactional outbox the delivery worker drains, and each party's
//! agreement to be written to on a Friday (R-TIME-2).

use sea_orm_migration::prelude::*;

use crate::columns::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Party::Table)
                .add_column(flag(Party::FridayContactAgreed))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Communication::Table)
                .col(id(Communication::Id))
                .col(uuid(Communication::CaseId))
                .col(uuid_null(Communication::PartyId))
                .col(uuid(Communication::RecipientId))
                .col(code(Communication::Kind))
                .col(code(Communication::Status))
                .col(code(Communication::Rule))
                .col(ColumnDef::new(Communication::PlannedOn).date().not_null())
                .col(ColumnDef::new(Communication::DueOn).date().not_null())
                .col(flag(Communication::NotOnFriday))
                .col(text(Communication::Subject))
                .col(text(Communication::Body))
                .col(ts(Communication::CreatedAt))
                .col(ts_null(Communication::LeaseUntil))
                .col(ts_null(Communication::NextAttemptAt))
                .col(
                    ColumnDef::new(Communication::Attempts)
                        .integer()
                        .not_null()
                        .default(0),
                )
                .col(text_null(Communication::LastError))
                .col(ts_null(Communication::SentAt))
                .col(ts_null(Communication::CancelledAt))
                .col(text_null(Communication::CancelReason))
                .foreign_key(&mut fk(
                    Communication::Table,
                    Communication::CaseId,
                    Cases::Table,
                    Cases::Id,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ix_communication_due",
            Communication::Table,
            &["status", "due_on"],
        ))
        .await?;
        m.create_index(index(
            "ix_communication_case",
            Communication::Table,
            &["case_id"],
        ))
        .await?;
        m.create_index(index(
            "ix_communication_recipient",
            Communication::Table,
            &["recipient_id"],
        ))
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(Communication::Table).to_owned())
            .await?;
        m.alter_table(
            Table::alter()
                .table(Party::Table)
                .drop_column(Party::FridayContactAgreed)
                .to_owned(),
        )
        .await
    }
}

#[derive(DeriveIden)]
enum Party {
    Table,
    FridayContactAgreed,
}

#[derive(DeriveIden)]
enum Cases {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Communication {
    Table,
    Id,
    CaseId,
    PartyId,
    RecipientId,
    Kind,
    Status,
    Rule,
    PlannedOn,
    DueOn,
    NotOnFriday,
    Subject,
    Body,
    CreatedAt,
    LeaseUntil,
    NextAttemptAt,
    Attempts,
    LastError,
    SentAt,
    CancelledAt,
    CancelReason,
}
