//! Accounts that can be stopped (issue 12, ASVS 7.4.2): an administrator
//! disables a person, and from their next request their tokens are refused.

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
                .add_column(ts_null(Person::DisabledAt))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Person::Table)
                .add_column(text_null(Person::DisabledReason))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for column in [Person::DisabledReason, Person::DisabledAt] {
            m.alter_table(
                Table::alter()
                    .table(Person::Table)
                    .drop_column(column)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Person {
    Table,
    DisabledAt,
    DisabledReason,
}
