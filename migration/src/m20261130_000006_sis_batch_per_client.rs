//! SIS idempotency keys belong to the client that sent them: the processed
//! batch is keyed by (client, key), so one SIS client can never read another's
//! stored result by guessing or reusing its key. Batches stored before this
//! change are kept under the nil client, which no signed-in client is: a
//! retry of one of them is applied again, harmlessly (upserts by SIS number).

use sea_orm_migration::prelude::*;

use crate::columns::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(SisClientBatch::Table)
                .col(uuid(SisClientBatch::ClientId))
                .col(
                    ColumnDef::new(SisClientBatch::IdempotencyKey)
                        .string_len(200)
                        .not_null(),
                )
                .col(
                    ColumnDef::new(SisClientBatch::RequestHash)
                        .string_len(64)
                        .not_null(),
                )
                .col(text(SisClientBatch::Result))
                .col(ts(SisClientBatch::ReceivedAt))
                .primary_key(
                    Index::create()
                        .col(SisClientBatch::ClientId)
                        .col(SisClientBatch::IdempotencyKey),
                )
                .to_owned(),
        )
        .await?;
        m.exec_stmt(
            Query::insert()
                .into_table(SisClientBatch::Table)
                .columns([
                    SisClientBatch::ClientId,
                    SisClientBatch::IdempotencyKey,
                    SisClientBatch::RequestHash,
                    SisClientBatch::Result,
                    SisClientBatch::ReceivedAt,
                ])
                .select_from(
                    Query::select()
                        .expr(Expr::val(sea_orm_migration::sea_orm::prelude::Uuid::nil()))
                        .columns([
                            SisBatch::IdempotencyKey,
                            SisBatch::RequestHash,
                            SisBatch::Result,
                            SisBatch::ReceivedAt,
                        ])
                        .from(SisBatch::Table)
                        .to_owned(),
                )
                .map_err(|e| DbErr::Migration(e.to_string()))?
                .to_owned(),
        )
        .await?;
        m.drop_table(Table::drop().table(SisBatch::Table).to_owned())
            .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(SisBatch::Table)
                .col(
                    ColumnDef::new(SisBatch::IdempotencyKey)
                        .string_len(200)
                        .not_null()
                        .primary_key(),
                )
                .col(
                    ColumnDef::new(SisBatch::RequestHash)
                        .string_len(64)
                        .not_null(),
                )
                .col(text(SisBatch::Result))
                .col(ts(SisBatch::ReceivedAt))
                .to_owned(),
        )
        .await?;
        m.drop_table(Table::drop().table(SisClientBatch::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum SisBatch {
    Table,
    IdempotencyKey,
    RequestHash,
    Result,
    ReceivedAt,
}

#[derive(DeriveIden)]
enum SisClientBatch {
    Table,
    ClientId,
    IdempotencyKey,
    RequestHash,
    Result,
    ReceivedAt,
}
