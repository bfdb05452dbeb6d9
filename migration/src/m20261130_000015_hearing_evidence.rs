//! R-HEA-6: documentary evidence for a hearing reaches the panel and the
//! parties at least 5 working days before it; evidence later than that is
//! before the panel only with the chair's permission. An item records the
//! hearing it was given for, and for a late one, whether it was admitted.

use sea_orm_migration::prelude::*;

use crate::columns::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        add_columns(
            m,
            Evidence::Table,
            vec![
                uuid_null(Evidence::HearingId),
                // PENDING, ADMITTED or REFUSED; null for evidence in time.
                code_null(Evidence::Admission),
                uuid_null(Evidence::AdmissionBy),
                ts_null(Evidence::AdmissionAt),
            ],
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        drop_columns(
            m,
            Evidence::Table,
            vec![
                Evidence::HearingId,
                Evidence::Admission,
                Evidence::AdmissionBy,
                Evidence::AdmissionAt,
            ],
        )
        .await
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Evidence {
    Table,
    HearingId,
    Admission,
    AdmissionBy,
    AdmissionAt,
}
