//! An informal resolution records that its terms restrict no one from
//! disclosing information about the misconduct (issue 12; the Office for
//! Students' condition E6 bans such non-disclosure terms).

use sea_orm_migration::prelude::*;

use crate::columns::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Procedure::Table)
                .add_column(ts_null(Procedure::NoRestrictingProvisionAt))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Procedure::Table)
                .drop_column(Procedure::NoRestrictingProvisionAt)
                .to_owned(),
        )
        .await
    }
}

#[derive(DeriveIden)]
enum Procedure {
    Table,
    NoRestrictingProvisionAt,
}
