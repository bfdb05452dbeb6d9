//! Audit entries a change records, not yet chained (issue 16 item 4). A
//! mutation inserts its entries here inside its own transaction, so they commit
//! or roll back with the change and take no lock; the one audit writer moves
//! them into `audit_entry`, hash-chained, in batches. Nothing else reads them.

use sea_orm_migration::prelude::*;

use crate::columns::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(AuditPending::Table)
                .col(
                    ColumnDef::new(AuditPending::Id)
                        .big_integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(ts(AuditPending::At))
                .col(uuid_null(AuditPending::ViewerId))
                .col(text(AuditPending::ViewerRoles))
                .col(
                    ColumnDef::new(AuditPending::Operation)
                        .string_len(100)
                        .not_null(),
                )
                .col(uuid_null(AuditPending::CaseId))
                .col(
                    ColumnDef::new(AuditPending::RequestId)
                        .string_len(64)
                        .null(),
                )
                .col(text_null(AuditPending::Detail))
                .to_owned(),
        )
        .await?;
        // Rows live for milliseconds: vacuum after a thousand dead ones rather
        // than a fifth of a table that is nearly always empty, and never
        // truncate it (that takes a lock the audit writer would wait on).
        if m.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
            m.get_connection()
                .execute_unprepared(
                    "ALTER TABLE audit_pending SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 1000, vacuum_truncate = false)",
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(AuditPending::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum AuditPending {
    Table,
    Id,
    At,
    ViewerId,
    ViewerRoles,
    Operation,
    CaseId,
    RequestId,
    Detail,
}
