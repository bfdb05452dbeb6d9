//! The disciplinary procedure after the formal report (DOMAIN §2, §4):
//! procedure state per case, meetings, evidence, statements, recordings,
//! hearings, sanctions, appeals and review requests; deadlines gain a party.

use sea_orm_migration::prelude::*;

use crate::columns::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

fn date_null(col: impl IntoIden) -> ColumnDef {
    ColumnDef::new(col).date().null().to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Deadline::Table)
                .add_column(uuid_null(Deadline::PartyId))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Procedure::Table)
                .col(
                    ColumnDef::new(Procedure::CaseId)
                        .uuid()
                        .not_null()
                        .primary_key(),
                )
                .col(code_null(Procedure::Classification))
                .col(text_null(Procedure::AllegedBreaches))
                .col(code_null(Procedure::RoutedTo))
                .col(ts_null(Procedure::CfcReferredAt))
                .col(uuid_null(Procedure::TriagedBy))
                .col(ts_null(Procedure::TriagedAt))
                .col(date_null(Procedure::InvestigationTargetOn))
                .col(flag(Procedure::Conviction))
                .col(code_null(Procedure::Finding))
                .col(text_null(Procedure::InvestigationSummary))
                .col(text_null(Procedure::Recommendations))
                .col(ts_null(Procedure::InvestigationReportAt))
                .col(code_null(Procedure::DecisionOption))
                .col(text_null(Procedure::DecisionReasons))
                .col(uuid_null(Procedure::DecidedBy))
                .col(ts_null(Procedure::DecidedAt))
                .col(ts_null(Procedure::InformalConsentAt))
                .col(text_null(Procedure::InformalJudgement))
                .col(flag(Procedure::BreachFound))
                .col(text_null(Procedure::OutcomeReasons))
                .col(ts_null(Procedure::OutcomeNotifiedAt))
                .col(date_null(Procedure::AppealWindowEnds))
                .col(ts_null(Procedure::AppealsConcludedAt))
                .col(flag(Procedure::RemovedFromRecord))
                .foreign_key(&mut fk(
                    Procedure::Table,
                    Procedure::CaseId,
                    Cases::Table,
                    Cases::Id,
                ))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Meeting::Table)
                .col(id(Meeting::Id))
                .col(uuid(Meeting::CaseId))
                .col(uuid(Meeting::PartyId))
                .col(ts(Meeting::ScheduledAt))
                .col(ts(Meeting::NoticeGivenAt))
                .col(flag(Meeting::AgreedShorterNotice))
                .col(date_null(Meeting::WrittenResponseDue))
                .col(ts_null(Meeting::HeldAt))
                .col(uuid(Meeting::ArrangedBy))
                .foreign_key(&mut fk(
                    Meeting::Table,
                    Meeting::CaseId,
                    Cases::Table,
                    Cases::Id,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index("ix_meeting_case", Meeting::Table, &["case_id"]))
            .await?;

        m.create_table(
            Table::create()
                .table(Evidence::Table)
                .col(id(Evidence::Id))
                .col(uuid(Evidence::CaseId))
                .col(code(Evidence::Kind))
                .col(text(Evidence::Description))
                .col(uuid_null(Evidence::SubmittedByParty))
                .col(uuid(Evidence::RecordedBy))
                .col(text(Evidence::SharedWith))
                .col(ts(Evidence::CreatedAt))
                .foreign_key(&mut fk(
                    Evidence::Table,
                    Evidence::CaseId,
                    Cases::Table,
                    Cases::Id,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index("ix_evidence_case", Evidence::Table, &["case_id"]))
            .await?;

        m.create_table(
            Table::create()
                .table(Statement::Table)
                .col(id(Statement::Id))
                .col(uuid(Statement::CaseId))
                .col(uuid(Statement::PartyId))
                .col(code(Statement::Kind))
                .col(text(Statement::Body))
                .col(flag(Statement::SharedWithParties))
                .col(uuid(Statement::RecordedBy))
                .col(ts(Statement::CreatedAt))
                .foreign_key(&mut fk(
                    Statement::Table,
                    Statement::CaseId,
                    Cases::Table,
                    Cases::Id,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index("ix_statement_case", Statement::Table, &["case_id"]))
            .await?;

        m.create_table(
            Table::create()
                .table(Recording::Table)
                .col(id(Recording::Id))
                .col(uuid(Recording::CaseId))
                .col(uuid(Recording::MeetingId))
                .col(uuid(Recording::IntervieweePartyId))
                .col(text(Recording::Location))
                .col(ts(Recording::CreatedAt))
                .col(ts_null(Recording::DeletedAt))
                .foreign_key(&mut fk(
                    Recording::Table,
                    Recording::CaseId,
                    Cases::Table,
                    Cases::Id,
                ))
                .foreign_key(&mut fk(
                    Recording::Table,
                    Recording::MeetingId,
                    Meeting::Table,
                    Meeting::Id,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index("ix_recording_case", Recording::Table, &["case_id"]))
            .await?;

        m.create_table(
            Table::create()
                .table(Hearing::Table)
                .col(id(Hearing::Id))
                .col(uuid(Hearing::CaseId))
                .col(text(Hearing::JointCases))
                .col(ts(Hearing::ScheduledAt))
                .col(text(Hearing::Location))
                .col(text(Hearing::AllegedBreaches))
                .col(text(Hearing::PenaltyRange))
                .col(text(Hearing::ProposedPenalty))
                .col(ts(Hearing::SummonsSentAt))
                .col(date_null(Hearing::ResponseDue))
                .col(code_null(Hearing::Response))
                .col(ts_null(Hearing::RespondedAt))
                .col(text_null(Hearing::Companion))
                .col(flag(Hearing::DeemedAcceptance))
                .col(text(Hearing::Votes))
                .col(code_null(Hearing::Decision))
                .col(text_null(Hearing::DecisionReasons))
                .col(ts_null(Hearing::DecidedAt))
                .foreign_key(&mut fk(
                    Hearing::Table,
                    Hearing::CaseId,
                    Cases::Table,
                    Cases::Id,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index("ix_hearing_case", Hearing::Table, &["case_id"]))
            .await?;

        m.create_table(
            Table::create()
                .table(Sanction::Table)
                .col(id(Sanction::Id))
                .col(uuid(Sanction::CaseId))
                .col(uuid(Sanction::PartyId))
                .col(code(Sanction::Kind))
                .col(ColumnDef::new(Sanction::AmountPence).integer().null())
                .col(code(Sanction::ImposedAs))
                .col(uuid(Sanction::ImposedBy))
                .col(text(Sanction::Justification))
                .col(text(Sanction::WhyNotLesser))
                .col(date_null(Sanction::EndsOn))
                .col(code(Sanction::Status))
                .col(text_null(Sanction::ApprovalBy))
                .col(ts(Sanction::CreatedAt))
                .foreign_key(&mut fk(
                    Sanction::Table,
                    Sanction::CaseId,
                    Cases::Table,
                    Cases::Id,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index("ix_sanction_case", Sanction::Table, &["case_id"]))
            .await?;
        m.create_index(index("ix_sanction_party", Sanction::Table, &["party_id"]))
            .await?;

        m.create_table(
            Table::create()
                .table(Appeal::Table)
                .col(id(Appeal::Id))
                .col(uuid(Appeal::CaseId))
                .col(uuid(Appeal::PartyId))
                .col(text(Appeal::Grounds))
                .col(text(Appeal::Statement))
                .col(ts(Appeal::LodgedAt))
                .col(code(Appeal::Status))
                .col(text_null(Appeal::ReviewReasons))
                .col(uuid_null(Appeal::ReviewedBy))
                .col(date_null(Appeal::CompletionOfProceduresOn))
                .col(date_null(Appeal::OiaheDeadline))
                .col(text(Appeal::PanelVotes))
                .col(text_null(Appeal::PanelReasons))
                .col(ts_null(Appeal::DecidedAt))
                .foreign_key(&mut fk(
                    Appeal::Table,
                    Appeal::CaseId,
                    Cases::Table,
                    Cases::Id,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index("ix_appeal_case", Appeal::Table, &["case_id"]))
            .await?;

        m.create_table(
            Table::create()
                .table(ReviewRequest::Table)
                .col(id(ReviewRequest::Id))
                .col(uuid(ReviewRequest::CaseId))
                .col(uuid(ReviewRequest::PartyId))
                .col(code(ReviewRequest::Kind))
                .col(text(ReviewRequest::Grounds))
                .col(ts(ReviewRequest::RequestedAt))
                .col(code(ReviewRequest::Status))
                .col(text_null(ReviewRequest::Reasons))
                .col(uuid_null(ReviewRequest::ReviewerId))
                .col(text_null(ReviewRequest::Outcome))
                .col(flag(ReviewRequest::SubstantiveChange))
                .foreign_key(&mut fk(
                    ReviewRequest::Table,
                    ReviewRequest::CaseId,
                    Cases::Table,
                    Cases::Id,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ix_review_request_case",
            ReviewRequest::Table,
            &["case_id"],
        ))
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            ReviewRequest::Table.into_iden(),
            Appeal::Table.into_iden(),
            Sanction::Table.into_iden(),
            Hearing::Table.into_iden(),
            Recording::Table.into_iden(),
            Statement::Table.into_iden(),
            Evidence::Table.into_iden(),
            Meeting::Table.into_iden(),
            Procedure::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        m.alter_table(
            Table::alter()
                .table(Deadline::Table)
                .drop_column(Deadline::PartyId)
                .to_owned(),
        )
        .await
    }
}

#[derive(DeriveIden)]
enum Cases {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Deadline {
    Table,
    PartyId,
}

#[derive(DeriveIden)]
enum Procedure {
    Table,
    CaseId,
    Classification,
    AllegedBreaches,
    RoutedTo,
    CfcReferredAt,
    TriagedBy,
    TriagedAt,
    InvestigationTargetOn,
    Conviction,
    Finding,
    InvestigationSummary,
    Recommendations,
    InvestigationReportAt,
    DecisionOption,
    DecisionReasons,
    DecidedBy,
    DecidedAt,
    InformalConsentAt,
    InformalJudgement,
    BreachFound,
    OutcomeReasons,
    OutcomeNotifiedAt,
    AppealWindowEnds,
    AppealsConcludedAt,
    RemovedFromRecord,
}

#[derive(DeriveIden)]
enum Meeting {
    Table,
    Id,
    CaseId,
    PartyId,
    ScheduledAt,
    NoticeGivenAt,
    AgreedShorterNotice,
    WrittenResponseDue,
    HeldAt,
    ArrangedBy,
}

#[derive(DeriveIden)]
enum Evidence {
    Table,
    Id,
    CaseId,
    Kind,
    Description,
    SubmittedByParty,
    RecordedBy,
    SharedWith,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Statement {
    Table,
    Id,
    CaseId,
    PartyId,
    Kind,
    Body,
    SharedWithParties,
    RecordedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Recording {
    Table,
    Id,
    CaseId,
    MeetingId,
    IntervieweePartyId,
    Location,
    CreatedAt,
    DeletedAt,
}

#[derive(DeriveIden)]
enum Hearing {
    Table,
    Id,
    CaseId,
    JointCases,
    ScheduledAt,
    Location,
    AllegedBreaches,
    PenaltyRange,
    ProposedPenalty,
    SummonsSentAt,
    ResponseDue,
    Response,
    RespondedAt,
    Companion,
    DeemedAcceptance,
    Votes,
    Decision,
    DecisionReasons,
    DecidedAt,
}

#[derive(DeriveIden)]
enum Sanction {
    Table,
    Id,
    CaseId,
    PartyId,
    Kind,
    AmountPence,
    ImposedAs,
    ImposedBy,
    Justification,
    WhyNotLesser,
    EndsOn,
    Status,
    ApprovalBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Appeal {
    Table,
    Id,
    CaseId,
    PartyId,
    Grounds,
    Statement,
    LodgedAt,
    Status,
    ReviewReasons,
    ReviewedBy,
    CompletionOfProceduresOn,
    OiaheDeadline,
    PanelVotes,
    PanelReasons,
    DecidedAt,
}

#[derive(DeriveIden)]
enum ReviewRequest {
    Table,
    Id,
    CaseId,
    PartyId,
    Kind,
    Grounds,
    RequestedAt,
    Status,
    Reasons,
    ReviewerId,
    Outcome,
    SubstantiveChange,
}
