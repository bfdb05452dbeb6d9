//! The names of the foundation's tables and columns, as this migration wrote
//! them (never the entities', so the migration never changes).

use sea_orm_migration::prelude::*;

#[derive(DeriveIden)]
pub(super) enum Person {
    Table,
    Id,
    Subject,
    Kind,
    DisplayName,
    Email,
    Phone,
    SisNumber,
    EnrolmentStatus,
    LeavingDate,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
pub(super) enum RoleGrant {
    Table,
    Id,
    PersonId,
    Role,
    GrantedBy,
    GrantedAt,
    RevokedBy,
    RevokedAt,
}

#[derive(DeriveIden)]
pub(super) enum PolicyVersion {
    Table,
    Version,
    Content,
    Sha256,
    FirstLoadedAt,
}

#[derive(DeriveIden)]
pub(super) enum Cases {
    Table,
    Id,
    Reference,
    Stage,
    PausedFrom,
    PauseReason,
    PolicyVersion,
    Version,
    OpenedAt,
    UpdatedAt,
    ClosedAt,
    Channel,
    Categories,
    IncidentDate,
    Description,
    Anonymous,
    Historic,
    NamesWithheld,
    ReceivedBy,
    ForwardedBy,
    RecordedBy,
    PoliceCaseOngoing,
    ReportSubmittedAt,
    ReportSubmittedBy,
    ReportStatement,
    ReportDesiredOutcome,
    RespondentMayBeInformed,
}

#[derive(DeriveIden)]
pub(super) enum Party {
    Table,
    Id,
    CaseId,
    PersonId,
    Role,
    DescribedAs,
    IdentityWithheld,
    InformedAt,
    CaseWorkerOfferedAt,
    PreferredChannel,
    AddedAt,
}

#[derive(DeriveIden)]
pub(super) enum CaseStaff {
    Table,
    Id,
    CaseId,
    PersonId,
    Role,
    PartyId,
    AssignedBy,
    AssignedAt,
    EndedAt,
}

#[derive(DeriveIden)]
pub(super) enum ContactAttempt {
    Table,
    Id,
    CaseId,
    PartyId,
    MadeBy,
    MadeAt,
    Method,
    StudentResponded,
}

#[derive(DeriveIden)]
pub(super) enum OptionsConversation {
    Table,
    Id,
    CaseId,
    PartyId,
    HeldBy,
    HeldAt,
    OptionsOffered,
    OptionsChosen,
    Summary,
}

#[derive(DeriveIden)]
pub(super) enum SharingConsent {
    Table,
    Id,
    CaseId,
    PartyId,
    Department,
    Granted,
    RecordedBy,
    RecordedAt,
}

#[derive(DeriveIden)]
pub(super) enum InformationShare {
    Table,
    Id,
    CaseId,
    PartyId,
    Department,
    Details,
    SharedBy,
    SharedAt,
}

#[derive(DeriveIden)]
pub(super) enum SupportNote {
    Table,
    Id,
    CaseId,
    PartyId,
    AuthorId,
    Body,
    SharedWithParty,
    CreatedAt,
}

#[derive(DeriveIden)]
pub(super) enum TimelineEvent {
    Table,
    Id,
    CaseId,
    At,
    ActorId,
    Kind,
    FromStage,
    ToStage,
    PartyId,
    Reason,
}

#[derive(DeriveIden)]
pub(super) enum AuditEntry {
    Table,
    Seq,
    At,
    ViewerId,
    ViewerRoles,
    Operation,
    CaseId,
    RequestId,
    Detail,
    PrevHash,
    Hash,
}
