//! R-MEA-5 before R-REP-2 (000 §23–28, §35; issue 10 item 5): a responding
//! party bound by a precautionary measure before being told of the report is
//! told of the measure — its terms and their right to make representations —
//! and nothing else. The moment they were told opens that narrow view.

use sea_orm_migration::prelude::*;

use crate::columns::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        add_columns(m, Party::Table, vec![ts_null(Party::MeasureNotifiedAt)]).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_columns(m, Party::Table, vec![Party::MeasureNotifiedAt]).await
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Party {
    Table,
    MeasureNotifiedAt,
}
