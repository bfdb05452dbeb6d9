//! R-INV-8: who accompanies a party to an investigation meeting (never a
//! legal representative) and the reasonable adjustments agreed for it,
//! recorded with the meeting so that the investigator can honour them.

use sea_orm_migration::prelude::*;

use crate::columns::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        add_columns(
            m,
            Meeting::Table,
            vec![
                text_null(Meeting::CompanionName),
                code_null(Meeting::CompanionRole),
                // A JSON list of short descriptions ("a female interviewer", "breaks").
                text_null(Meeting::Adjustments),
            ],
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_columns(
            m,
            Meeting::Table,
            vec![
                Meeting::CompanionName,
                Meeting::CompanionRole,
                Meeting::Adjustments,
            ],
        )
        .await
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Meeting {
    Table,
    CompanionName,
    CompanionRole,
    Adjustments,
}
