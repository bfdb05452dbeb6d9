//! R-SUP-6: supportive measures (financial aid, priority counselling, moved
//! assessment dates, remedial support) kept apart from precautionary measures:
//! for the party they support, with who arranged them, until when, and their
//! own review date.

use sea_orm_migration::prelude::*;

use crate::columns::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(SupportiveMeasure::Table)
                .col(id(SupportiveMeasure::Id))
                .col(uuid(SupportiveMeasure::CaseId))
                .col(uuid(SupportiveMeasure::PartyId))
                .col(code(SupportiveMeasure::Kind))
                .col(text(SupportiveMeasure::Details))
                .col(uuid(SupportiveMeasure::ArrangedBy))
                .col(day(SupportiveMeasure::StartsOn))
                .col(day_null(SupportiveMeasure::Until))
                .col(day_null(SupportiveMeasure::ReviewDue))
                .col(day_null(SupportiveMeasure::LastReviewedOn))
                .col(day_null(SupportiveMeasure::EndedOn))
                .col(text_null(SupportiveMeasure::EndReason))
                .col(version(SupportiveMeasure::Version))
                .col(ts(SupportiveMeasure::CreatedAt))
                .col(ts(SupportiveMeasure::UpdatedAt))
                .foreign_key(&mut fk(
                    SupportiveMeasure::Table,
                    SupportiveMeasure::CaseId,
                    Cases::Table,
                    Cases::Id,
                ))
                .to_owned(),
        )
        .await?;
        // Read per party (the party's support records) and per case (retention).
        m.create_index(index(
            "ix_supportive_measure_party",
            SupportiveMeasure::Table,
            &["party_id"],
        ))
        .await?;
        m.create_index(index(
            "ix_supportive_measure_case",
            SupportiveMeasure::Table,
            &["case_id"],
        ))
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(SupportiveMeasure::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Cases {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum SupportiveMeasure {
    Table,
    Id,
    CaseId,
    PartyId,
    Kind,
    Details,
    ArrangedBy,
    StartsOn,
    Until,
    ReviewDue,
    LastReviewedOn,
    EndedOn,
    EndReason,
    Version,
    CreatedAt,
    UpdatedAt,
}
