//! Statistics kept as cases change (issue 16 item 3): `case_tally` holds the
//! number of cases for each combination of what the committee's tables count
//! (the UK day a case opened, its categories, stage, outcome and days to
//! outcome), so a BI query reads a few thousand rows whatever the number of
//! cases. `case_fact` is each live case's contribution as last tallied, so a
//! change moves one count from the old combination to the new one in the same
//! transaction. The API fills both from the cases at start-up when they are
//! out of step (a new install, or cases loaded with SQL).

use sea_orm_migration::prelude::*;

use crate::columns::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(CaseFact::Table)
                .col(id(CaseFact::CaseId))
                .col(day(CaseFact::OpenedOn))
                .col(text(CaseFact::Categories))
                .col(code(CaseFact::Stage))
                .col(code(CaseFact::Outcome))
                .col(ColumnDef::new(CaseFact::DaysToOutcome).integer().not_null())
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(CaseTally::Table)
                .col(day(CaseTally::OpenedOn))
                .col(text(CaseTally::Categories))
                .col(code(CaseTally::Stage))
                .col(code(CaseTally::Outcome))
                .col(
                    ColumnDef::new(CaseTally::DaysToOutcome)
                        .integer()
                        .not_null(),
                )
                .col(ColumnDef::new(CaseTally::Cases).big_integer().not_null())
                .primary_key(
                    Index::create()
                        .col(CaseTally::OpenedOn)
                        .col(CaseTally::Categories)
                        .col(CaseTally::Stage)
                        .col(CaseTally::Outcome)
                        .col(CaseTally::DaysToOutcome),
                )
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(CaseTally::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(CaseFact::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum CaseFact {
    Table,
    CaseId,
    OpenedOn,
    Categories,
    Stage,
    Outcome,
    DaysToOutcome,
}

#[derive(DeriveIden)]
enum CaseTally {
    Table,
    OpenedOn,
    Categories,
    Stage,
    Outcome,
    DaysToOutcome,
    Cases,
}
