//! The security log: refusals of things that exist, bounded per person.

use sea_orm_migration::prelude::*;

use crate::columns::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(SecurityEvent::Table)
                .col(id(SecurityEvent::Id))
                .col(ts(SecurityEvent::At))
                .col(uuid(SecurityEvent::ViewerId))
                .col(
                    ColumnDef::new(SecurityEvent::RequestId)
                        .string_len(200)
                        .null(),
                )
                .col(code(SecurityEvent::Code))
                .col(text(SecurityEvent::Detail))
                .col(uuid_null(SecurityEvent::CaseId))
                .col(
                    ColumnDef::new(SecurityEvent::SuppressedBefore)
                        .big_integer()
                        .not_null()
                        .default(0),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("security_event_at")
                .table(SecurityEvent::Table)
                .col(SecurityEvent::At)
                .col(SecurityEvent::Id)
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("security_event_viewer")
                .table(SecurityEvent::Table)
                .col(SecurityEvent::ViewerId)
                .col(SecurityEvent::At)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(SecurityEvent::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum SecurityEvent {
    Table,
    Id,
    At,
    ViewerId,
    RequestId,
    Code,
    Detail,
    CaseId,
    SuppressedBefore,
}
