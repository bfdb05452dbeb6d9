//! Risk assessments and precautionary measures (R-MEA-1…7), their history,
//! deadlines (R-TIME-1) and notifications to parties.

use sea_orm_migration::prelude::*;

use crate::columns::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(RiskAssessment::Table)
                .col(id(RiskAssessment::Id))
                .col(uuid(RiskAssessment::CaseId))
                .col(ColumnDef::new(RiskAssessment::AssessedOn).date().not_null())
                .col(text(RiskAssessment::NatureOfIncident))
                .col(text(RiskAssessment::Impacts))
                .col(text(RiskAssessment::OrganisationalRisk))
                .col(code(RiskAssessment::RiskLevel))
                .col(flag(RiskAssessment::SignificantImminentRisk))
                .col(text(RiskAssessment::Participants))
                .col(uuid(RiskAssessment::RecordedBy))
                .col(ts(RiskAssessment::CreatedAt))
                .foreign_key(&mut fk(
                    RiskAssessment::Table,
                    RiskAssessment::CaseId,
                    Cases::Table,
                    Cases::Id,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ix_risk_assessment_case",
            RiskAssessment::Table,
            &["case_id"],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(Measure::Table)
                .col(id(Measure::Id))
                .col(uuid(Measure::CaseId))
                .col(code(Measure::Kind))
                .col(code(Measure::Status))
                .col(text(Measure::Subjects))
                .col(text(Measure::ProtectedParties))
                .col(flag(Measure::Mutual))
                .col(text(Measure::Sites))
                .col(text(Measure::Details))
                .col(ColumnDef::new(Measure::StartsOn).date().not_null())
                .col(ColumnDef::new(Measure::EndsOn).date().null())
                .col(ColumnDef::new(Measure::ReviewDue).date().not_null())
                .col(flag(Measure::ReportingPartyConsent))
                .col(uuid_null(Measure::ImminentRiskAssessment))
                .col(text_null(Measure::ApprovalBy))
                .col(ColumnDef::new(Measure::ApprovedOn).date().null())
                .col(uuid(Measure::RecommendedBy))
                .col(uuid_null(Measure::AuthorisedBy))
                .col(
                    ColumnDef::new(Measure::Version)
                        .integer()
                        .not_null()
                        .default(1),
                )
                .col(ts(Measure::CreatedAt))
                .col(ts(Measure::UpdatedAt))
                .foreign_key(&mut fk(
                    Measure::Table,
                    Measure::CaseId,
                    Cases::Table,
                    Cases::Id,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index("ix_measure_case", Measure::Table, &["case_id"]))
            .await?;

        m.create_table(
            Table::create()
                .table(MeasureEvent::Table)
                .col(id(MeasureEvent::Id))
                .col(uuid(MeasureEvent::MeasureId))
                .col(uuid(MeasureEvent::CaseId))
                .col(ts(MeasureEvent::At))
                .col(uuid_null(MeasureEvent::ActorId))
                .col(code(MeasureEvent::Action))
                .col(code(MeasureEvent::StatusAfter))
                .col(text_null(MeasureEvent::Detail))
                .col(ColumnDef::new(MeasureEvent::ReviewDue).date().null())
                .foreign_key(&mut fk(
                    MeasureEvent::Table,
                    MeasureEvent::MeasureId,
                    Measure::Table,
                    Measure::Id,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ix_measure_event_measure",
            MeasureEvent::Table,
            &["measure_id", "at"],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(Deadline::Table)
                .col(id(Deadline::Id))
                .col(uuid(Deadline::CaseId))
                .col(uuid(Deadline::SubjectId))
                .col(code(Deadline::Kind))
                .col(ColumnDef::new(Deadline::Rule).string_len(20).not_null())
                .col(ColumnDef::new(Deadline::DueOn).date().not_null())
                .col(code(Deadline::Status))
                .col(ts(Deadline::CreatedAt))
                .col(ts(Deadline::UpdatedAt))
                .foreign_key(&mut fk(
                    Deadline::Table,
                    Deadline::CaseId,
                    Cases::Table,
                    Cases::Id,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ix_deadline_due",
            Deadline::Table,
            &["status", "due_on"],
        ))
        .await?;
        m.create_index(index(
            "ix_deadline_subject",
            Deadline::Table,
            &["subject_id"],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(Notification::Table)
                .col(id(Notification::Id))
                .col(uuid(Notification::RecipientId))
                .col(uuid(Notification::CaseId))
                .col(code(Notification::Kind))
                .col(text(Notification::Message))
                .col(ts(Notification::CreatedAt))
                .col(ts_null(Notification::ReadAt))
                .foreign_key(&mut fk(
                    Notification::Table,
                    Notification::CaseId,
                    Cases::Table,
                    Cases::Id,
                ))
                .foreign_key(&mut fk(
                    Notification::Table,
                    Notification::RecipientId,
                    Person::Table,
                    Person::Id,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ix_notification_recipient",
            Notification::Table,
            &["recipient_id", "created_at"],
        ))
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Notification::Table.into_iden(),
            Deadline::Table.into_iden(),
            MeasureEvent::Table.into_iden(),
            Measure::Table.into_iden(),
            RiskAssessment::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Cases {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Person {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum RiskAssessment {
    Table,
    Id,
    CaseId,
    AssessedOn,
    NatureOfIncident,
    Impacts,
    OrganisationalRisk,
    RiskLevel,
    SignificantImminentRisk,
    Participants,
    RecordedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Measure {
    Table,
    Id,
    CaseId,
    Kind,
    Status,
    Subjects,
    ProtectedParties,
    Mutual,
    Sites,
    Details,
    StartsOn,
    EndsOn,
    ReviewDue,
    ReportingPartyConsent,
    ImminentRiskAssessment,
    ApprovalBy,
    ApprovedOn,
    RecommendedBy,
    AuthorisedBy,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum MeasureEvent {
    Table,
    Id,
    MeasureId,
    CaseId,
    At,
    ActorId,
    Action,
    StatusAfter,
    Detail,
    ReviewDue,
}

#[derive(DeriveIden)]
enum Deadline {
    Table,
    Id,
    CaseId,
    SubjectId,
    Kind,
    Rule,
    DueOn,
    Status,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Notification {
    Table,
    Id,
    RecipientId,
    CaseId,
    Kind,
    Message,
    CreatedAt,
    ReadAt,
}
