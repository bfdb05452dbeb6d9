//! GraphQL mirrors of the domain enumerations (the domain layer knows nothing
//! of GraphQL); values and meanings are the domain's. Each value is described
//! here for portal developers, since this is what introspection shows them.

use async_graphql::Enum;

use crate::domain::kinds;

macro_rules! gql_enum {
    ($(#[$meta:meta])* $name:ident => kinds::$remote:ident { $($(#[$vmeta:meta])* $variant:ident),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl From<kinds::$remote> for $name {
            fn from(value: kinds::$remote) -> Self {
                match value { $(kinds::$remote::$variant => $name::$variant),+ }
            }
        }

        impl From<$name> for kinds::$remote {
            fn from(value: $name) -> Self {
                match value { $($name::$variant => kinds::$remote::$variant),+ }
            }
        }
    };
}

gql_enum!(
    /// Where a case is in the procedure (DOMAIN §2). Only staff running the
    /// procedure see it; everyone else sees the policy's coarse `progress` label.
    Stage => kinds::Stage {
        /// A disclosure to Student Support; not a formal report.
        Disclosure,
        /// A formal report was submitted and awaits triage.
        ReportReceived,
        /// The conduct team classifies and routes the case (R-TRI-1…3).
        Triage,
        /// Under investigation (R-INV-1…7).
        Investigation,
        /// The investigation report is issued; a decision is due (R-DEC-1).
        Decision,
        /// Resolved informally with the reporting party's consent (R-INF-1).
        InformalResolution,
        /// Referred to a hearing before a panel (R-HEA-1…4).
        Hearing,
        /// An outcome is recorded; the appeal window may be open (R-OUT-1, R-APP-1).
        Outcome,
        /// An appeal was lodged and is being reviewed (R-APP-3).
        Appeal,
        /// Paused (police, criminal proceedings, exams, health); resumes where it was.
        Paused,
        /// The reporting party withdrew (R-INV-6).
        Withdrawn,
        /// Concluded.
        Closed,
    }
);
gql_enum!(
    /// A staff role; a person may hold several. Roles are granted by an
    /// administrator; what each allows is in docs/authorization.md.
    StaffRole => kinds::StaffRole {
        /// Supports one party: options conversations, contact, support notes.
        CaseWorker,
        /// The Student Conduct team: receives formal reports and runs the procedure.
        ConductOfficer,
        /// Conducts investigations assigned to them.
        Investigator,
        /// Decides cases referred to them and authorises precautionary measures.
        DecisionMaker,
        /// Sits on hearing and appeal panels they are convened to.
        PanelMember,
        /// The Cause for Concern group: risk assessments and measures.
        CfcMember,
        /// Carries out the first review of appeals assigned to them.
        AppealReviewer,
        /// Reads anonymised statistics only.
        BiAnalyst,
        /// The student information system (a machine client).
        SisIntegration,
        /// Manages people and role grants; sees no case content.
        Admin,
    }
);
gql_enum!(
    /// A person's part in one case.
    PartyRole => kinds::PartyRole {
        /// The student who disclosed or reported.
        Reporting,
        /// The student reported.
        Responding,
        /// A student named as a witness.
        Witness,
    }
);
gql_enum!(
    /// What kind of person is registered.
    PersonKind => kinds::PersonKind {
        /// A student of the university.
        Student,
        /// A member of staff.
        Staff,
        /// Someone neither student nor staff (historic or external cases).
        Visitor,
    }
);
gql_enum!(
    /// A student's enrolment, as the SIS reports it (R-REP-1, R-DISC-5).
    EnrolmentStatus => kinds::EnrolmentStatus {
        /// Studying now.
        Enrolled,
        /// Studies interrupted; still a student.
        Interrupted,
        /// Withdrew from the university.
        Withdrawn,
        /// Graduated.
        Graduated,
        /// Left without graduating.
        Left,
    }
);
gql_enum!(
    /// How a disclosure reached the university (R-DISC-1).
    DisclosureChannel => kinds::DisclosureChannel {
        /// The online disclosure form.
        OnlineForm,
        /// By telephone.
        Phone,
        /// By e-mail.
        Email,
        /// In person.
        InPerson,
        /// Passed on by a member of staff (R-DISC-3).
        StaffForwarded,
    }
);
gql_enum!(
    /// What the incident was, as the discloser describes it.
    IncidentCategory => kinds::IncidentCategory {
        /// Sexual misconduct.
        SexualMisconduct,
        /// Sexual harassment.
        SexualHarassment,
        /// Sexual violence.
        SexualViolence,
        /// Harassment.
        Harassment,
        /// A hate incident.
        HateIncident,
        /// Bullying.
        Bullying,
        /// Physical assault.
        PhysicalAssault,
        /// Stalking.
        Stalking,
        /// Online abuse.
        OnlineAbuse,
        /// Anything else.
        Other,
    }
);
gql_enum!(
    /// An option discussed in an options conversation (R-SUP-1). Some exclude
    /// each other, e.g. a report to the university and to the police at once.
    SupportOption => kinds::SupportOption {
        /// Support without any report.
        SupportOnly,
        /// Report to the police.
        ReportToPolice,
        /// Make a formal report to the university.
        ReportToUniversity,
        /// Resolve the matter informally (R-INF-1).
        InformalResolution,
        /// No report of any kind.
        NoReport,
        /// Referral to a sexual assault referral centre.
        SarcReferral,
    }
);
gql_enum!(
    /// Where a student may consent to information going (R-SUP-4).
    Department => kinds::Department {
        /// The student's academic department.
        AcademicDepartment,
        /// Halls of residence.
        Halls,
        /// Sport.
        Sport,
        /// The Students' Union.
        StudentsUnion,
    }
);
gql_enum!(
    /// How a contact attempt was made (R-DISC-3).
    ContactMethod => kinds::ContactMethod {
        /// By e-mail.
        Email,
        /// By telephone.
        Phone,
        /// By text message.
        TextMessage,
        /// In person.
        InPerson,
        /// By video call.
        VideoCall,
    }
);
gql_enum!(
    /// Why a case is paused (R-INV-5).
    PauseReason => kinds::PauseReason {
        /// A police investigation on the same facts.
        PoliceInvestigation,
        /// Criminal proceedings on the same facts.
        CriminalProceedings,
        /// The examination period.
        Exams,
        /// A party's health.
        Health,
    }
);
gql_enum!(
    /// What a timeline entry records.
    TimelineKind => kinds::TimelineKind {
        /// The disclosure was recorded.
        DisclosureRecorded,
        /// A case worker was allocated to a party.
        CaseWorkerAssigned,
        /// Student Support tried to contact the student.
        ContactAttempted,
        /// An options conversation was held.
        OptionsConversationHeld,
        /// The student changed their choice of options (R-SUP-2).
        OptionsChoiceChanged,
        /// Consent to share with a department was recorded (R-SUP-4).
        ConsentRecorded,
        /// Information was shared with a department.
        InformationShared,
        /// A case worker added a support note.
        SupportNoteAdded,
        /// The formal report was submitted.
        FormalReportSubmitted,
        /// The responding party was told of the report.
        RespondingPartyInformed,
        /// The case moved to another stage.
        StageChanged,
    }
);
gql_enum!(
    /// Precautionary measure kinds (R-MEA-2). Measures are not penalties.
    MeasureKind => kinds::MeasureKind {
        /// No contact between named parties (one-way or mutual).
        NoContactOrder,
        /// Exclusion from named sites, buildings or activities.
        Exclusion,
        /// Temporary suspension from study (needs the approval the policy names).
        Suspension,
        /// Alternative accommodation.
        AlternativeAccommodation,
        /// Other conditions, e.g. a change of class.
        Conditions,
    }
);
gql_enum!(
    /// Where a measure is in its life (R-MEA-3…5).
    MeasureStatus => kinds::MeasureStatus {
        /// Recommended by the Cause for Concern group; not yet authorised.
        Recommended,
        /// Authorised by a decision maker; not yet in force.
        Authorised,
        /// In force.
        InForce,
        /// In force, with a review under way (early review or representations).
        UnderReview,
        /// In force, amended or augmented at a review.
        Varied,
        /// Withdrawn at a review.
        Withdrawn,
        /// Its end date has passed.
        Expired,
    }
);
gql_enum!(
    /// The level of risk a risk assessment records (R-MEA-1).
    RiskLevel => kinds::RiskLevel {
        /// Low risk.
        Low,
        /// Medium risk.
        Medium,
        /// High risk.
        High,
    }
);
gql_enum!(
    /// One change in a measure's history.
    MeasureAction => kinds::MeasureAction {
        /// Recommended by the Cause for Concern group.
        Recommended,
        /// Authorised by a decision maker.
        Authorised,
        /// Came into force.
        BroughtIntoForce,
        /// The subject asked for an earlier review (R-MEA-4).
        EarlyReviewRequested,
        /// Non-compliance was recorded; the review came forward (R-MEA-4).
        NonComplianceRecorded,
        /// The subject made written representations (R-MEA-5).
        RepresentationsMade,
        /// Continued at a review.
        Continued,
        /// Amended at a review.
        Amended,
        /// Augmented at a review.
        Augmented,
        /// Withdrawn at a review.
        Withdrawn,
    }
);
gql_enum!(
    /// A reviewer's decision on a measure (R-MEA-5).
    ReviewDecision => kinds::ReviewDecision {
        /// Keep the measure as it is until the next review.
        Continue,
        /// Change its terms.
        Amend,
        /// Add to it.
        Augment,
        /// End it.
        Withdraw,
    }
);
gql_enum!(
    /// What a deadline is for; each is set by one rule (docs/lifecycle.md).
    DeadlineKind => kinds::DeadlineKind {
        /// A measure's next review (R-MEA-4).
        MeasureReview,
        /// Acknowledge a formal report (R-REP-3).
        AcknowledgeReport,
        /// Decide whether to investigate (R-REP-3).
        DecideWhetherToInvestigate,
        /// Target completion of the investigation (R-INV-1).
        InvestigationTarget,
        /// The responding party's written response before their meeting (R-INV-2).
        WrittenResponse,
        /// The last day a party may ask for an investigation review (R-IRV-1).
        InvestigationReviewRequest,
        /// The last day to answer a summons (R-HEA-2).
        HearingResponse,
        /// The panel's decision after a hearing (R-HEA-4).
        HearingDecision,
        /// The last day to appeal (R-APP-1).
        AppealWindow,
        /// The decision on an appeal (R-APP-3).
        AppealDecision,
    }
);
gql_enum!(
    /// What a notification is about; its message never carries case content.
    NotificationKind => kinds::NotificationKind {
        /// A precautionary measure on you, or in your case, changed (R-MEA-7).
        MeasureChanged,
        /// You have been told of a report that concerns you (R-REP-2, R-REP-4).
        ReportAgainstYou,
        /// You are summoned to a hearing (R-HEA-1).
        HearingSummons,
        /// A decision was made in your case (R-OUT-1).
        OutcomeRecorded,
    }
);
gql_enum!(
    /// What a scheduled letter or e-mail is (R-SUP-3, R-REP-3, R-DISC-3).
    CommunicationKind => kinds::CommunicationKind {
        /// Offer of an options conversation, when a disclosure is received.
        Email1,
        /// No reply to Email 1: one follow-up a week later, then no more.
        Email1FollowUp,
        /// Summary of an options conversation, the same day.
        Email2,
        /// No reply to Email 2: a check-in two weeks later.
        Email2FollowUp,
        /// The formal report is acknowledged (R-REP-3).
        ReportAcknowledgement,
        /// The member of staff who forwarded a disclosure hears how contact went (R-DISC-3).
        ForwarderUpdate,
        /// A notice of the procedure (the words of the in-app notification).
        Notice,
    }
);
gql_enum!(
    /// Where a scheduled communication stands.
    CommunicationStatus => kinds::CommunicationStatus {
        /// Waiting for its date (`dueOn`).
        Due,
        /// Sent.
        Sent,
        /// Stopped before it was sent (`cancelReason` says why).
        Cancelled,
        /// Delivery kept failing; a person has to look at it (`lastError`).
        Failed,
    }
);
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
gql_enum!(
    /// How a party wants to be told of key updates and outcomes (R-OUT-1).
    PreferredChannel => kinds::PreferredChannel {
        /// By e-mail.
        Email,
        /// In a virtual meeting.
        VirtualMeeting,
        /// In person.
        InPerson,
        /// Through their case worker.
        ViaCaseWorker,
        /// Through the conduct officer.
        ViaConductOfficer,
    }
);
