//! The disciplinary procedure: triage to appeal.

use async_graphql::Enum;

use crate::domain::kinds;

gql_enum!(
    /// A case's classification at triage (R-TRI-1); the highest alleged breach wins.
    Classification => kinds::Classification {
        /// Low.
        Low,
        /// Medium.
        Medium,
        /// High.
        High,
    }
);

gql_enum!(
    /// The investigation's finding on the balance of probabilities (R-INV-7).
    Finding => kinds::Finding {
        /// A breach of the regulations is found.
        Breach,
        /// No breach is found.
        NoBreach,
        /// A breach is found in part.
        Partly,
    }
);

gql_enum!(
    /// What a decision decides (R-DEC-1).
    DecisionOption => kinds::DecisionOption {
        /// Dismiss: no case to answer. The record is removed.
        Dismiss,
        /// Sanction within the decision maker's authority (R-SAN-1).
        Sanction,
        /// Refer to a panel hearing.
        ReferToPanel,
        /// Resolve informally, with the reporting party's consent (R-INF-1).
        InformalResolution,
        /// Advice only (LOW or MEDIUM cases).
        Advice,
    }
);

gql_enum!(
    /// What an evidence item is (R-INV-3).
    EvidenceKind => kinds::EvidenceKind {
        /// A document.
        Document,
        /// An image.
        Image,
        /// A message (text, e-mail, social media).
        Message,
        /// A reference to CCTV footage.
        CctvReference,
        /// Anything else.
        Other,
    }
);

gql_enum!(
    /// Who an evidence item is shared with (R-INV-3); investigators, decision
    /// makers and panels always see it.
    Audience => kinds::Audience {
        /// The reporting party (and their case worker).
        ReportingParty,
        /// The responding party (and their case worker).
        RespondingParty,
        /// The conduct team.
        CaseOfficer,
        /// Witnesses.
        Witnesses,
    }
);

gql_enum!(
    /// What a statement is.
    StatementKind => kinds::StatementKind {
        /// A witness's statement, taken by an investigator.
        WitnessStatement,
        /// The responding party's written response (R-INV-2).
        RespondentResponse,
        /// The reporting party's statement to the investigation.
        ReportingPartyStatement,
    }
);

gql_enum!(
    /// In what capacity someone accompanies a party to an investigation
    /// meeting (R-INV-8).
    CompanionRole => kinds::CompanionRole {
        /// A friend.
        Friend,
        /// A member of the family.
        FamilyMember,
        /// An adviser from the Students' Union.
        StudentsUnionAdviser,
        /// A member of the university's staff.
        MemberOfStaff,
        /// Someone else who is not a legal representative.
        Other,
        /// A legal representative: refused (R-INV-8, no legal representation).
        LegalRepresentative,
    }
);

gql_enum!(
    /// Late evidence for a hearing and the chair's word on it (R-HEA-6).
    EvidenceAdmission => kinds::EvidenceAdmission {
        /// Awaiting a panel member's permission: not before the panel nor the other side yet.
        Pending,
        /// Admitted: before the panel, and shared like any other evidence.
        Admitted,
        /// Refused: kept for the record, not before the panel.
        Refused,
    }
);

gql_enum!(
    /// The student's answer to a summons (R-HEA-2).
    HearingResponse => kinds::HearingResponse {
        /// The student will attend (and may name a companion).
        Attend,
        /// The student admits the allegations and waives the hearing, accepting the proposed penalty.
        AdmitAndWaive,
    }
);

gql_enum!(
    /// A panel's decision at a hearing.
    HearingDecision => kinds::HearingDecision {
        /// A breach is found.
        Breach,
        /// No breach is found; the record is removed.
        NoBreach,
        /// Not decided here: referred to the body the procedure names, which
        /// hears the case afresh (policy `hearings.referral_body`, R-HEA-5).
        Referred,
    }
);

gql_enum!(
    /// In what capacity a sanction is imposed (policy `sanctions`, R-SAN-1).
    Imposer => kinds::Imposer {
        /// A case officer or Head of School.
        CaseOfficer,
        /// A decision maker.
        DecisionMaker,
        /// A panel.
        Panel,
        /// The Senate (e.g. revocation of an award).
        Senate,
    }
);

gql_enum!(
    /// Where a sanction stands.
    SanctionStatus => kinds::SanctionStatus {
        /// In effect.
        Imposed,
        /// Waits for the approval the policy names (e.g. expulsion, after appeals).
        AwaitingApproval,
        /// Replaced on review or appeal.
        Substituted,
        /// Removed when the case was dismissed on appeal.
        Removed,
    }
);

gql_enum!(
    /// A ground of appeal (R-APP-2); an appeal states at least one.
    AppealGround => kinds::AppealGround {
        /// The procedure was not followed.
        ProceduralIrregularity,
        /// Evidence was not fully considered.
        EvidenceNotConsidered,
        /// Prejudice or bias.
        PrejudiceOrBias,
        /// The decision was unreasonable.
        UnreasonableDecision,
        /// The sanction is excessive.
        ExcessiveSanction,
        /// New material evidence that was not available for good reason.
        NewEvidence,
        /// A challenge to the findings of fact (004 App. 5).
        FindingsOfFact,
    }
);

gql_enum!(
    /// Where an appeal stands (R-APP-3).
    AppealStatus => kinds::AppealStatus {
        /// Lodged; awaiting the appeal reviewer.
        Lodged,
        /// Rejected: no grounds. Completion of Procedures letter issued.
        Rejected,
        /// The reviewer corrected the sanction or the irregularity.
        Corrected,
        /// Referred to an appeal panel.
        ReferredToPanel,
        /// The panel has recommended; the officer the policy names decides
        /// finally (R-APP-5, `confirmAppealRecommendation`).
        Recommended,
        /// The panel upheld the outcome.
        Upheld,
        /// The panel substituted another decision.
        Substituted,
        /// The panel dismissed the case and removed the record.
        CaseDismissed,
    }
);

gql_enum!(
    /// What a party's review request asks for.
    ReviewKind => kinds::ReviewKind {
        /// A review of the investigation on procedural grounds (R-IRV-1).
        InvestigationReview,
        /// The reporting party's informal review of an outcome (R-APP-4); recorded, never changes it.
        InformalReview,
    }
);

gql_enum!(
    /// Where a review request stands.
    ReviewStatus => kinds::ReviewStatus {
        /// Asked for; awaiting the conduct team.
        Requested,
        /// Accepted; an uninvolved investigator reviews (R-IND-4).
        Accepted,
        /// Refused, with reasons.
        Refused,
        /// The review is complete.
        Completed,
        /// Recorded (informal reviews).
        Recorded,
    }
);
