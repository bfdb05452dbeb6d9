//! R-FTS-1 in the statistics (R-MON-1): a case ended on health grounds keeps
//! that outcome in the anonymous facts retention leaves behind.

use sea_orm_migration::prelude::*;

use crate::columns::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        add_columns(
            m,
            RemovedCaseFact::Table,
            vec![flag(RemovedCaseFact::HealthGrounds)],
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_columns(
            m,
            RemovedCaseFact::Table,
            vec![RemovedCaseFact::HealthGrounds],
        )
        .await
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum RemovedCaseFact {
    Table,
    HealthGrounds,
}
