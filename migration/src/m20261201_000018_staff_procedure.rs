//! R-DISC-6 (002 §2): a responding party who is a member of staff or a
//! contractor is routed to the staff (HR) procedure. Recorded on their party:
//! which, when, and where the matter went. The statistics keep counting such a
//! case after retention removes it.

use sea_orm_migration::prelude::*;

use crate::columns::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        add_columns(
            m,
            Party::Table,
            vec![
                code_null(Party::Employment),
                ts_null(Party::StaffProcedureAt),
                text_null(Party::StaffProcedureReferredTo),
            ],
        )
        .await?;
        add_columns(
            m,
            RemovedCaseFact::Table,
            vec![flag(RemovedCaseFact::StaffProcedure)],
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_columns(
            m,
            RemovedCaseFact::Table,
            vec![RemovedCaseFact::StaffProcedure],
        )
        .await?;
        drop_columns(
            m,
            Party::Table,
            vec![
                Party::Employment,
                Party::StaffProcedureAt,
                Party::StaffProcedureReferredTo,
            ],
        )
        .await
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Party {
    Table,
    Employment,
    StaffProcedureAt,
    StaffProcedureReferredTo,
}

#[derive(DeriveIden, Clone, Copy)]
enum RemovedCaseFact {
    Table,
    StaffProcedure,
}
