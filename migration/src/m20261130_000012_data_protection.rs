//! Data protection (issue 12): what was disclosed to a reporting party and on
//! what lawful basis, legal holds that stop retention, and the anonymous facts
//! of removed cases that keep the statistics unchanged (R-RET-1, R-MON-1).

use sea_orm_migration::prelude::*;

use crate::columns::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(DisclosureRecord::Table)
                .col(id(DisclosureRecord::Id))
                .col(uuid(DisclosureRecord::CaseId))
                .col(uuid(DisclosureRecord::PartyId))
                .col(code(DisclosureRecord::Item))
                .col(
                    ColumnDef::new(DisclosureRecord::Disclosed)
                        .string_len(400)
                        .not_null(),
                )
                .col(text(DisclosureRecord::LawfulBasis))
                .col(
                    ColumnDef::new(DisclosureRecord::PolicyVersion)
                        .string_len(100)
                        .not_null(),
                )
                .col(ts(DisclosureRecord::FirstDisclosedAt))
                .foreign_key(&mut fk(
                    DisclosureRecord::Table,
                    DisclosureRecord::CaseId,
                    Cases::Table,
                    Cases::Id,
                ))
                .to_owned(),
        )
        .await?;
        // One row per thing told: a second look at the same stage adds nothing.
        m.create_index(
            Index::create()
                .name("disclosure_record_once")
                .table(DisclosureRecord::Table)
                .col(DisclosureRecord::CaseId)
                .col(DisclosureRecord::PartyId)
                .col(DisclosureRecord::Item)
                .col(DisclosureRecord::Disclosed)
                .unique()
                .to_owned(),
        )
        .await?;
        for column in [
            ts_null(Cases::LegalHoldAt),
            text_null(Cases::LegalHoldReason),
            uuid_null(Cases::LegalHoldBy),
        ] {
            m.alter_table(
                Table::alter()
                    .table(Cases::Table)
                    .add_column(column)
                    .to_owned(),
            )
            .await?;
        }
        m.create_table(
            Table::create()
                .table(RemovedCaseFact::Table)
                .col(id(RemovedCaseFact::Id))
                .col(code(RemovedCaseFact::Stage))
                .col(text(RemovedCaseFact::Categories))
                .col(ts(RemovedCaseFact::OpenedAt))
                .col(ts_null(RemovedCaseFact::ClosedAt))
                .col(flag(RemovedCaseFact::HadProcedure))
                .col(
                    ColumnDef::new(RemovedCaseFact::BreachFound)
                        .boolean()
                        .null(),
                )
                .col(
                    ColumnDef::new(RemovedCaseFact::RemovedFromRecord)
                        .boolean()
                        .null(),
                )
                .col(code_null(RemovedCaseFact::DecisionOption))
                .col(ts_null(RemovedCaseFact::OutcomeNotifiedAt))
                .col(ts(RemovedCaseFact::RemovedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("removed_case_fact_opened")
                .table(RemovedCaseFact::Table)
                .col(RemovedCaseFact::OpenedAt)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(RemovedCaseFact::Table).to_owned())
            .await?;
        for column in [
            Cases::LegalHoldAt,
            Cases::LegalHoldReason,
            Cases::LegalHoldBy,
        ] {
            m.alter_table(
                Table::alter()
                    .table(Cases::Table)
                    .drop_column(column)
                    .to_owned(),
            )
            .await?;
        }
        m.drop_table(Table::drop().table(DisclosureRecord::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum DisclosureRecord {
    Table,
    Id,
    CaseId,
    PartyId,
    Item,
    Disclosed,
    LawfulBasis,
    PolicyVersion,
    FirstDisclosedAt,
}

#[derive(DeriveIden)]
enum Cases {
    Table,
    Id,
    LegalHoldAt,
    LegalHoldReason,
    LegalHoldBy,
}

#[derive(DeriveIden)]
enum RemovedCaseFact {
    Table,
    Id,
    Stage,
    Categories,
    OpenedAt,
    ClosedAt,
    HadProcedure,
    BreachFound,
    RemovedFromRecord,
    DecisionOption,
    OutcomeNotifiedAt,
    RemovedAt,
}
