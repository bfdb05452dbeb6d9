//! R-FTS-1 (003 §2.4, §8.2; 004 App. 7): a case referred to fitness to study,
//! adjourned for medical reports, resumed only after an occupational-health
//! assessment where one is required, or ended on health grounds. Each step is
//! a health record whose detail is special-category data (UK GDPR art. 9),
//! kept apart from the case's other text.

use sea_orm_migration::prelude::*;

use crate::columns::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(HealthRecord::Table)
                .col(id(HealthRecord::Id))
                .col(uuid(HealthRecord::CaseId))
                .col(code(HealthRecord::Kind))
                .col(text(HealthRecord::Detail))
                .col(flag(HealthRecord::AssessmentRequired))
                .col(uuid(HealthRecord::RecordedBy))
                .col(ts(HealthRecord::RecordedAt))
                .foreign_key(&mut fk(
                    HealthRecord::Table,
                    HealthRecord::CaseId,
                    Cases::Table,
                    Cases::Id,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ix_health_record_case",
            HealthRecord::Table,
            &["case_id", "recorded_at"],
        ))
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(HealthRecord::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Cases {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum HealthRecord {
    Table,
    Id,
    CaseId,
    Kind,
    Detail,
    AssessmentRequired,
    RecordedBy,
    RecordedAt,
}
