//! Issue 17 item 7 (R-DISC-2; 002 §6: anonymous disclosures "to inform the
//! University and/or to seek support"): an anonymous disclosure's two-way
//! channel with Student Support. The reporter holds an access code shown once;
//! only its SHA-256 is kept. Messages record who on the support team wrote,
//! never who the reporter is.

use sea_orm_migration::prelude::*;

use crate::columns::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(AnonymousChannel::Table)
                .col(id(AnonymousChannel::Id))
                .col(uuid(AnonymousChannel::CaseId))
                .col(text(AnonymousChannel::CodeHash))
                .col(ts(AnonymousChannel::OpenedAt))
                .col(ts_null(AnonymousChannel::RevokedAt))
                .col(code_null(AnonymousChannel::RevokedBy))
                .col(text_null(AnonymousChannel::RevokedReason))
                .foreign_key(&mut fk(
                    AnonymousChannel::Table,
                    AnonymousChannel::CaseId,
                    Cases::Table,
                    Cases::Id,
                ))
                .to_owned(),
        )
        .await?;
        // One channel per anonymous disclosure; a code finds its channel by hash.
        m.create_index(
            index(
                "ux_anonymous_channel_case",
                AnonymousChannel::Table,
                &["case_id"],
            )
            .unique()
            .to_owned(),
        )
        .await?;
        m.create_index(
            index(
                "ux_anonymous_channel_code",
                AnonymousChannel::Table,
                &["code_hash"],
            )
            .unique()
            .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(AnonymousMessage::Table)
                .col(id(AnonymousMessage::Id))
                .col(uuid(AnonymousMessage::CaseId))
                .col(code(AnonymousMessage::Sender))
                .col(uuid_null(AnonymousMessage::AuthorId))
                .col(text(AnonymousMessage::Body))
                .col(ts(AnonymousMessage::SentAt))
                .foreign_key(&mut fk(
                    AnonymousMessage::Table,
                    AnonymousMessage::CaseId,
                    Cases::Table,
                    Cases::Id,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ix_anonymous_message_case",
            AnonymousMessage::Table,
            &["case_id", "sent_at"],
        ))
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(AnonymousMessage::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(AnonymousChannel::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Cases {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum AnonymousChannel {
    Table,
    Id,
    CaseId,
    CodeHash,
    OpenedAt,
    RevokedAt,
    RevokedBy,
    RevokedReason,
}

#[derive(DeriveIden)]
enum AnonymousMessage {
    Table,
    Id,
    CaseId,
    Sender,
    AuthorId,
    Body,
    SentAt,
}
