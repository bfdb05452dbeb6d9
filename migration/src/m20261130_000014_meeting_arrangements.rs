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
        for column in [
            text_null(Meeting::CompanionName),
            code_null(Meeting::CompanionRole),
            // A JSON list of short descriptions ("a female interviewer", "breaks").
            text_null(Meeting::Adjustments),
        ] {
            m.alter_table(
                Table::alter()
                    .table(Meeting::Table)
                    .add_column(column)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for column in [
            Meeting::CompanionName,
            Meeting::CompanionRole,
            Meeting::Adjustments,
        ] {
            m.alter_table(
                Table::alter()
                    .table(Meeting::Table)
                    .drop_column(column)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Meeting {
    Table,
    CompanionName,
    CompanionRole,
    Adjustments,
}
