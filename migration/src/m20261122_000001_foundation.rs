//! People, role grants, policy versions, cases (disclosure + formal report),
//! parties, staff assignments, support records, timeline and the audit log.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

use crate::columns::*;

mod idens;
use idens::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Person::Table)
                .col(id(Person::Id))
                .col(
                    ColumnDef::new(Person::Subject)
                        .string_len(200)
                        .not_null()
                        .unique_key(),
                )
                .col(code(Person::Kind))
                .col(text(Person::DisplayName))
                .col(text_null(Person::Email))
                .col(text_null(Person::Phone))
                .col(
                    ColumnDef::new(Person::SisNumber)
                        .string_len(40)
                        .null()
                        .unique_key(),
                )
                .col(code_null(Person::EnrolmentStatus))
                .col(ColumnDef::new(Person::LeavingDate).date().null())
                .col(ts(Person::CreatedAt))
                .col(ts(Person::UpdatedAt))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(RoleGrant::Table)
                .col(id(RoleGrant::Id))
                .col(uuid(RoleGrant::PersonId))
                .col(code(RoleGrant::Role))
                .col(uuid_null(RoleGrant::GrantedBy))
                .col(ts(RoleGrant::GrantedAt))
                .col(uuid_null(RoleGrant::RevokedBy))
                .col(ts_null(RoleGrant::RevokedAt))
                .foreign_key(&mut fk(
                    RoleGrant::Table,
                    RoleGrant::PersonId,
                    Person::Table,
                    Person::Id,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ix_role_grant_person",
            RoleGrant::Table,
            &["person_id"],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(PolicyVersion::Table)
                .col(
                    ColumnDef::new(PolicyVersion::Version)
                        .string_len(100)
                        .not_null()
                        .primary_key(),
                )
                .col(text(PolicyVersion::Content))
                .col(
                    ColumnDef::new(PolicyVersion::Sha256)
                        .string_len(64)
                        .not_null(),
                )
                .col(ts(PolicyVersion::FirstLoadedAt))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Cases::Table)
                .col(id(Cases::Id))
                .col(
                    ColumnDef::new(Cases::Reference)
                        .string_len(20)
                        .not_null()
                        .unique_key(),
                )
                .col(code(Cases::Stage))
                .col(code_null(Cases::PausedFrom))
                .col(code_null(Cases::PauseReason))
                .col(
                    ColumnDef::new(Cases::PolicyVersion)
                        .string_len(100)
                        .not_null(),
                )
                .col(
                    ColumnDef::new(Cases::Version)
                        .integer()
                        .not_null()
                        .default(1),
                )
                .col(ts(Cases::OpenedAt))
                .col(ts(Cases::UpdatedAt))
                .col(ts_null(Cases::ClosedAt))
                .col(code(Cases::Channel))
                .col(text(Cases::Categories))
                .col(ColumnDef::new(Cases::IncidentDate).date().null())
                .col(text(Cases::Description))
                .col(flag(Cases::Anonymous))
                .col(flag(Cases::Historic))
                .col(flag(Cases::NamesWithheld))
                .col(uuid_null(Cases::ReceivedBy))
                .col(uuid_null(Cases::ForwardedBy))
                .col(uuid_null(Cases::RecordedBy))
                .col(flag(Cases::PoliceCaseOngoing))
                .col(ts_null(Cases::ReportSubmittedAt))
                .col(uuid_null(Cases::ReportSubmittedBy))
                .col(text_null(Cases::ReportStatement))
                .col(text_null(Cases::ReportDesiredOutcome))
                .col(
                    ColumnDef::new(Cases::RespondentMayBeInformed)
                        .boolean()
                        .null(),
                )
                .foreign_key(&mut fk(
                    Cases::Table,
                    Cases::PolicyVersion,
                    PolicyVersion::Table,
                    PolicyVersion::Version,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index("ix_cases_opened", Cases::Table, &["opened_at", "id"]))
            .await?;

        m.create_table(
            Table::create()
                .table(Party::Table)
                .col(id(Party::Id))
                .col(uuid(Party::CaseId))
                .col(uuid_null(Party::PersonId))
                .col(code(Party::Role))
                .col(text_null(Party::DescribedAs))
                .col(flag(Party::IdentityWithheld))
                .col(ts_null(Party::InformedAt))
                .col(ts_null(Party::CaseWorkerOfferedAt))
                .col(code_null(Party::PreferredChannel))
                .col(ts(Party::AddedAt))
                .foreign_key(&mut fk(
                    Party::Table,
                    Party::CaseId,
                    Cases::Table,
                    Cases::Id,
                ))
                .foreign_key(&mut fk(
                    Party::Table,
                    Party::PersonId,
                    Person::Table,
                    Person::Id,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index("ix_party_case", Party::Table, &["case_id"]))
            .await?;
        m.create_index(index("ix_party_person", Party::Table, &["person_id"]))
            .await?;

        m.create_table(
            Table::create()
                .table(CaseStaff::Table)
                .col(id(CaseStaff::Id))
                .col(uuid(CaseStaff::CaseId))
                .col(uuid(CaseStaff::PersonId))
                .col(code(CaseStaff::Role))
                .col(uuid_null(CaseStaff::PartyId))
                .col(uuid_null(CaseStaff::AssignedBy))
                .col(ts(CaseStaff::AssignedAt))
                .col(ts_null(CaseStaff::EndedAt))
                .foreign_key(&mut fk(
                    CaseStaff::Table,
                    CaseStaff::CaseId,
                    Cases::Table,
                    Cases::Id,
                ))
                .foreign_key(&mut fk(
                    CaseStaff::Table,
                    CaseStaff::PersonId,
                    Person::Table,
                    Person::Id,
                ))
                .foreign_key(&mut fk(
                    CaseStaff::Table,
                    CaseStaff::PartyId,
                    Party::Table,
                    Party::Id,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index("ix_case_staff_case", CaseStaff::Table, &["case_id"]))
            .await?;
        m.create_index(index(
            "ix_case_staff_person",
            CaseStaff::Table,
            &["person_id"],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(ContactAttempt::Table)
                .col(id(ContactAttempt::Id))
                .col(uuid(ContactAttempt::CaseId))
                .col(uuid(ContactAttempt::PartyId))
                .col(uuid(ContactAttempt::MadeBy))
                .col(ts(ContactAttempt::MadeAt))
                .col(code(ContactAttempt::Method))
                .col(flag(ContactAttempt::StudentResponded))
                .foreign_key(&mut fk(
                    ContactAttempt::Table,
                    ContactAttempt::CaseId,
                    Cases::Table,
                    Cases::Id,
                ))
                .foreign_key(&mut fk(
                    ContactAttempt::Table,
                    ContactAttempt::PartyId,
                    Party::Table,
                    Party::Id,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ix_contact_attempt_case",
            ContactAttempt::Table,
            &["case_id"],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(OptionsConversation::Table)
                .col(id(OptionsConversation::Id))
                .col(uuid(OptionsConversation::CaseId))
                .col(uuid(OptionsConversation::PartyId))
                .col(uuid(OptionsConversation::HeldBy))
                .col(ts(OptionsConversation::HeldAt))
                .col(text(OptionsConversation::OptionsOffered))
                .col(text(OptionsConversation::OptionsChosen))
                .col(text(OptionsConversation::Summary))
                .foreign_key(&mut fk(
                    OptionsConversation::Table,
                    OptionsConversation::CaseId,
                    Cases::Table,
                    Cases::Id,
                ))
                .foreign_key(&mut fk(
                    OptionsConversation::Table,
                    OptionsConversation::PartyId,
                    Party::Table,
                    Party::Id,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ix_options_case",
            OptionsConversation::Table,
            &["case_id"],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(SharingConsent::Table)
                .col(id(SharingConsent::Id))
                .col(uuid(SharingConsent::CaseId))
                .col(uuid(SharingConsent::PartyId))
                .col(code(SharingConsent::Department))
                .col(flag(SharingConsent::Granted))
                .col(uuid(SharingConsent::RecordedBy))
                .col(ts(SharingConsent::RecordedAt))
                .foreign_key(&mut fk(
                    SharingConsent::Table,
                    SharingConsent::CaseId,
                    Cases::Table,
                    Cases::Id,
                ))
                .foreign_key(&mut fk(
                    SharingConsent::Table,
                    SharingConsent::PartyId,
                    Party::Table,
                    Party::Id,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ix_consent_case",
            SharingConsent::Table,
            &["case_id"],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(InformationShare::Table)
                .col(id(InformationShare::Id))
                .col(uuid(InformationShare::CaseId))
                .col(uuid(InformationShare::PartyId))
                .col(code(InformationShare::Department))
                .col(text(InformationShare::Details))
                .col(uuid(InformationShare::SharedBy))
                .col(ts(InformationShare::SharedAt))
                .foreign_key(&mut fk(
                    InformationShare::Table,
                    InformationShare::CaseId,
                    Cases::Table,
                    Cases::Id,
                ))
                .foreign_key(&mut fk(
                    InformationShare::Table,
                    InformationShare::PartyId,
                    Party::Table,
                    Party::Id,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ix_share_case",
            InformationShare::Table,
            &["case_id"],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(SupportNote::Table)
                .col(id(SupportNote::Id))
                .col(uuid(SupportNote::CaseId))
                .col(uuid(SupportNote::PartyId))
                .col(uuid(SupportNote::AuthorId))
                .col(text(SupportNote::Body))
                .col(flag(SupportNote::SharedWithParty))
                .col(ts(SupportNote::CreatedAt))
                .foreign_key(&mut fk(
                    SupportNote::Table,
                    SupportNote::CaseId,
                    Cases::Table,
                    Cases::Id,
                ))
                .foreign_key(&mut fk(
                    SupportNote::Table,
                    SupportNote::PartyId,
                    Party::Table,
                    Party::Id,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ix_support_note_case",
            SupportNote::Table,
            &["case_id"],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(TimelineEvent::Table)
                .col(id(TimelineEvent::Id))
                .col(uuid(TimelineEvent::CaseId))
                .col(ts(TimelineEvent::At))
                .col(uuid_null(TimelineEvent::ActorId))
                .col(code(TimelineEvent::Kind))
                .col(code_null(TimelineEvent::FromStage))
                .col(code_null(TimelineEvent::ToStage))
                .col(uuid_null(TimelineEvent::PartyId))
                .col(text_null(TimelineEvent::Reason))
                .foreign_key(&mut fk(
                    TimelineEvent::Table,
                    TimelineEvent::CaseId,
                    Cases::Table,
                    Cases::Id,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ix_timeline_case",
            TimelineEvent::Table,
            &["case_id", "at"],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(AuditEntry::Table)
                .col(
                    ColumnDef::new(AuditEntry::Seq)
                        .big_integer()
                        .not_null()
                        .primary_key(),
                )
                .col(ts(AuditEntry::At))
                .col(uuid_null(AuditEntry::ViewerId))
                .col(text(AuditEntry::ViewerRoles))
                .col(
                    ColumnDef::new(AuditEntry::Operation)
                        .string_len(100)
                        .not_null(),
                )
                .col(uuid_null(AuditEntry::CaseId))
                .col(ColumnDef::new(AuditEntry::RequestId).string_len(64).null())
                .col(text_null(AuditEntry::Detail))
                .col(
                    ColumnDef::new(AuditEntry::PrevHash)
                        .string_len(64)
                        .not_null(),
                )
                .col(ColumnDef::new(AuditEntry::Hash).string_len(64).not_null())
                .to_owned(),
        )
        .await?;
        m.create_index(index("ix_audit_case", AuditEntry::Table, &["case_id"]))
            .await?;
        append_only_guard(m).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            AuditEntry::Table.into_iden(),
            TimelineEvent::Table.into_iden(),
            SupportNote::Table.into_iden(),
            InformationShare::Table.into_iden(),
            SharingConsent::Table.into_iden(),
            OptionsConversation::Table.into_iden(),
            ContactAttempt::Table.into_iden(),
            CaseStaff::Table.into_iden(),
            Party::Table.into_iden(),
            Cases::Table.into_iden(),
            PolicyVersion::Table.into_iden(),
            RoleGrant::Table.into_iden(),
            Person::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}

/// The audit log is append-only (R-VIS-2): the database itself refuses UPDATE
/// and DELETE, so even a bug in the server cannot rewrite history. The hash chain
/// catches anyone who bypasses this with owner rights.
async fn append_only_guard(m: &SchemaManager<'_>) -> Result<(), DbErr> {
    let conn = m.get_connection();
    match m.get_database_backend() {
        DatabaseBackend::Postgres => {
            conn.execute_unprepared(
                "CREATE FUNCTION audit_entry_append_only() RETURNS trigger AS $$ \
                 BEGIN RAISE EXCEPTION 'audit_entry is append-only'; END; $$ LANGUAGE plpgsql",
            )
            .await?;
            conn.execute_unprepared(
                "CREATE TRIGGER audit_entry_no_change BEFORE UPDATE OR DELETE ON audit_entry \
                 FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only()",
            )
            .await?;
        }
        DatabaseBackend::Sqlite => {
            for op in ["UPDATE", "DELETE"] {
                conn.execute_unprepared(&format!(
                    "CREATE TRIGGER audit_entry_no_{} BEFORE {op} ON audit_entry \
                     BEGIN SELECT RAISE(ABORT, 'audit_entry is append-only'); END",
                    op.to_lowercase()
                ))
                .await?;
            }
        }
        _ => {}
    }
    Ok(())
}
