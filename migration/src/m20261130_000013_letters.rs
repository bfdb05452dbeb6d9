//! Letters (issue 9): each letter of the procedure kept as a record of the case,
//! with its rendered text, its route and when it was delivered; and where an
//! investigation meeting takes place, which its invitation states.

use sea_orm_migration::prelude::*;

use crate::columns::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Letter::Table)
                .col(id(Letter::Id))
                .col(uuid(Letter::CaseId))
                .col(uuid_null(Letter::PartyId))
                .col(uuid(Letter::RecipientId))
                .col(code(Letter::Kind))
                .col(code(Letter::Rule))
                .col(ColumnDef::new(Letter::DatedOn).date().not_null())
                .col(text(Letter::Subject))
                .col(text(Letter::Body))
                .col(code(Letter::Route))
                .col(uuid_null(Letter::DelivererId))
                .col(ColumnDef::new(Letter::DeliveredOn).date().null())
                .col(uuid_null(Letter::ReplacesId))
                .col(uuid_null(Letter::AboutId))
                .col(ts(Letter::CreatedAt))
                .foreign_key(&mut fk(
                    Letter::Table,
                    Letter::CaseId,
                    Cases::Table,
                    Cases::Id,
                ))
                .to_owned(),
        )
        .await?;
        // A case's letters (both views), and a person's own (`myLetters`, newest first).
        m.create_index(index("ix_letter_case", Letter::Table, &["case_id"]))
            .await?;
        m.create_index(index(
            "ix_letter_recipient",
            Letter::Table,
            &["recipient_id", "dated_on", "id"],
        ))
        .await?;
        // Where an investigation meeting takes place (its invitation says,
        // R-INV-2), and a meeting called off (issue 10: changes of plan).
        for column in [
            text_null(Meeting::Location),
            ts_null(Meeting::CancelledAt),
            text_null(Meeting::CancelReason),
            ColumnDef::new(Meeting::Attended)
                .boolean()
                .null()
                .to_owned(),
        ] {
            m.alter_table(
                Table::alter()
                    .table(Meeting::Table)
                    .add_column(column)
                    .to_owned(),
            )
            .await?;
        }
        // Whether the student attended their hearing (R-HEA-2).
        m.alter_table(
            Table::alter()
                .table(Hearing::Table)
                .add_column(ColumnDef::new(Hearing::Attended).boolean().null())
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Hearing::Table)
                .drop_column(Hearing::Attended)
                .to_owned(),
        )
        .await?;
        for column in [
            Meeting::Location,
            Meeting::CancelledAt,
            Meeting::CancelReason,
            Meeting::Attended,
        ] {
            m.alter_table(
                Table::alter()
                    .table(Meeting::Table)
                    .drop_column(column)
                    .to_owned(),
            )
            .await?;
        }
        m.drop_table(Table::drop().table(Letter::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Cases {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Meeting {
    Table,
    Location,
    CancelledAt,
    CancelReason,
    Attended,
}

#[derive(DeriveIden)]
enum Hearing {
    Table,
    Attended,
}

#[derive(DeriveIden)]
enum Letter {
    Table,
    Id,
    CaseId,
    PartyId,
    RecipientId,
    Kind,
    Rule,
    DatedOn,
    Subject,
    Body,
    Route,
    DelivererId,
    DeliveredOn,
    ReplacesId,
    AboutId,
    CreatedAt,
}
