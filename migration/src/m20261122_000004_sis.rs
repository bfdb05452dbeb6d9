//! SIS integration: a student's programme, idempotent batches, and the feed of
//! enrolment-affecting outcomes.

use sea_orm_migration::prelude::*;

use crate::columns::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Person::Table)
                .add_column(text_null(Person::Programme))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(SisBatch::Table)
                .col(
                    ColumnDef::new(SisBatch::IdempotencyKey)
                        .string_len(200)
                        .not_null()
                        .primary_key(),
                )
                .col(
                    ColumnDef::new(SisBatch::RequestHash)
                        .string_len(64)
                        .not_null(),
                )
                .col(text(SisBatch::Result))
                .col(ts(SisBatch::ReceivedAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(EnrolmentEvent::Table)
                .col(
                    ColumnDef::new(EnrolmentEvent::Seq)
                        .big_integer()
                        .not_null()
                        .primary_key(),
                )
                .col(uuid(EnrolmentEvent::SanctionId))
                .col(
                    ColumnDef::new(EnrolmentEvent::SisNumber)
                        .string_len(40)
                        .not_null(),
                )
                .col(code(EnrolmentEvent::Kind))
                .col(code(EnrolmentEvent::Status))
                .col(ColumnDef::new(EnrolmentEvent::EndsOn).date().null())
                .col(ts(EnrolmentEvent::RecordedAt))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(EnrolmentEvent::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(SisBatch::Table).to_owned())
            .await?;
        m.alter_table(
            Table::alter()
                .table(Person::Table)
                .drop_column(Person::Programme)
                .to_owned(),
        )
        .await
    }
}

#[derive(DeriveIden)]
enum Person {
    Table,
    Programme,
}

#[derive(DeriveIden)]
enum SisBatch {
    Table,
    IdempotencyKey,
    RequestHash,
    Result,
    ReceivedAt,
}

#[derive(DeriveIden)]
enum EnrolmentEvent {
    Table,
    Seq,
    SanctionId,
    SisNumber,
    Kind,
    Status,
    EndsOn,
    RecordedAt,
}
