//! R-SUP-7 (000 §20-21, §36; 002 §7): the communications agreed with each
//! party at the start of a report — what they will be told, how often and by
//! whom — with the next update it implies; and 002's initial meeting with the
//! case officer, whose note the party confirms.

use sea_orm_migration::prelude::*;

use crate::columns::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(CommunicationPlan::Table)
                .col(id(CommunicationPlan::Id))
                .col(uuid(CommunicationPlan::CaseId))
                .col(uuid(CommunicationPlan::PartyId))
                .col(text(CommunicationPlan::Content))
                .col(
                    ColumnDef::new(CommunicationPlan::EveryWorkingDays)
                        .integer()
                        .not_null(),
                )
                .col(text(CommunicationPlan::Sender))
                .col(uuid(CommunicationPlan::AgreedBy))
                .col(ts(CommunicationPlan::AgreedAt))
                .col(day(CommunicationPlan::NextUpdateDue))
                .col(ts_null(CommunicationPlan::MeetingHeldAt))
                .col(text_null(CommunicationPlan::MeetingNote))
                .col(uuid_null(CommunicationPlan::MeetingRecordedBy))
                .col(ts_null(CommunicationPlan::MeetingNoteConfirmedAt))
                .col(version(CommunicationPlan::Version))
                .col(ts(CommunicationPlan::UpdatedAt))
                .foreign_key(&mut fk(
                    CommunicationPlan::Table,
                    CommunicationPlan::CaseId,
                    Cases::Table,
                    Cases::Id,
                ))
                .to_owned(),
        )
        .await?;
        // One plan per party; read per party and removed per case.
        m.create_index(
            index(
                "ux_communication_plan_party",
                CommunicationPlan::Table,
                &["party_id"],
            )
            .unique()
            .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ix_communication_plan_case",
            CommunicationPlan::Table,
            &["case_id"],
        ))
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(CommunicationPlan::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Cases {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum CommunicationPlan {
    Table,
    Id,
    CaseId,
    PartyId,
    Content,
    EveryWorkingDays,
    Sender,
    AgreedBy,
    AgreedAt,
    NextUpdateDue,
    MeetingHeldAt,
    MeetingNote,
    MeetingRecordedBy,
    MeetingNoteConfirmedAt,
    Version,
    UpdatedAt,
}
