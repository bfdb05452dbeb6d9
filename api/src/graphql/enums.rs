//! GraphQL mirrors of the domain enumerations (the domain layer knows nothing
//! of GraphQL); values and meanings are the domain's.

use async_graphql::Enum;

use crate::domain::kinds;

macro_rules! gql_enum {
    ($(#[$meta:meta])* $name:ident => kinds::$remote:ident { $($variant:ident),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
        pub enum $name { $($variant),+ }

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
    /// Stage of a case (DOMAIN §2).
    Stage => kinds::Stage { Disclosure, ReportReceived, Triage, Investigation, Decision, InformalResolution, Hearing, Outcome, Appeal, Paused, Withdrawn, Closed }
);
gql_enum!(
    /// A staff role; a person may hold several.
    StaffRole => kinds::StaffRole { CaseWorker, ConductOfficer, Investigator, DecisionMaker, PanelMember, CfcMember, AppealReviewer, BiAnalyst, SisIntegration, Admin }
);
gql_enum!(
    /// A person's part in a case.
    PartyRole => kinds::PartyRole { Reporting, Responding, Witness }
);
gql_enum!(PersonKind => kinds::PersonKind { Student, Staff, Visitor });
gql_enum!(EnrolmentStatus => kinds::EnrolmentStatus { Enrolled, Interrupted, Withdrawn, Graduated, Left });
gql_enum!(
    /// How a disclosure reached the university (R-DISC-1).
    DisclosureChannel => kinds::DisclosureChannel { OnlineForm, Phone, Email, InPerson, StaffForwarded }
);
gql_enum!(IncidentCategory => kinds::IncidentCategory { SexualMisconduct, SexualHarassment, SexualViolence, Harassment, HateIncident, Bullying, PhysicalAssault, Stalking, OnlineAbuse, Other });
gql_enum!(
    /// Options of an options conversation (R-SUP-1).
    SupportOption => kinds::SupportOption { SupportOnly, ReportToPolice, ReportToUniversity, InformalResolution, NoReport, SarcReferral }
);
gql_enum!(
    /// Where a student may consent to information going (R-SUP-4).
    Department => kinds::Department { AcademicDepartment, Halls, Sport, StudentsUnion }
);
gql_enum!(ContactMethod => kinds::ContactMethod { Email, Phone, TextMessage, InPerson, VideoCall });
gql_enum!(
    /// Why a case is paused (R-INV-5).
    PauseReason => kinds::PauseReason { PoliceInvestigation, CriminalProceedings, Exams, Health }
);
gql_enum!(TimelineKind => kinds::TimelineKind {
    DisclosureRecorded, CaseWorkerAssigned, ContactAttempted, OptionsConversationHeld, OptionsChoiceChanged,
    ConsentRecorded, InformationShared, SupportNoteAdded, FormalReportSubmitted, RespondingPartyInformed, StageChanged
});
gql_enum!(
    /// Precautionary measure kinds (R-MEA-2).
    MeasureKind => kinds::MeasureKind { NoContactOrder, Exclusion, Suspension, AlternativeAccommodation, Conditions }
);
gql_enum!(MeasureStatus => kinds::MeasureStatus { Recommended, Authorised, InForce, UnderReview, Varied, Withdrawn, Expired });
gql_enum!(RiskLevel => kinds::RiskLevel { Low, Medium, High });
gql_enum!(MeasureAction => kinds::MeasureAction {
    Recommended, Authorised, BroughtIntoForce, EarlyReviewRequested, NonComplianceRecorded, RepresentationsMade, Continued, Amended, Augmented, Withdrawn
});
gql_enum!(
    /// A reviewer's decision on a measure (R-MEA-5).
    ReviewDecision => kinds::ReviewDecision { Continue, Amend, Augment, Withdraw }
);
gql_enum!(DeadlineKind => kinds::DeadlineKind { MeasureReview, AcknowledgeReport, DecideWhetherToInvestigate, InvestigationTarget, WrittenResponse, InvestigationReviewRequest, HearingResponse, HearingDecision, AppealWindow, AppealDecision });
gql_enum!(NotificationKind => kinds::NotificationKind { MeasureChanged, ReportAgainstYou, HearingSummons, OutcomeRecorded });
gql_enum!(CommunicationKind => kinds::CommunicationKind { Email1, Email1FollowUp, Email2, Email2FollowUp, ReportAcknowledgement, ForwarderUpdate, Notice });
gql_enum!(CommunicationStatus => kinds::CommunicationStatus { Due, Sent, Cancelled, Failed });
gql_enum!(Classification => kinds::Classification { Low, Medium, High });
gql_enum!(Finding => kinds::Finding { Breach, NoBreach, Partly });
gql_enum!(DecisionOption => kinds::DecisionOption { Dismiss, Sanction, ReferToPanel, InformalResolution, Advice });
gql_enum!(EvidenceKind => kinds::EvidenceKind { Document, Image, Message, CctvReference, Other });
gql_enum!(Audience => kinds::Audience { ReportingParty, RespondingParty, CaseOfficer, Witnesses });
gql_enum!(StatementKind => kinds::StatementKind { WitnessStatement, RespondentResponse, ReportingPartyStatement });
gql_enum!(HearingResponse => kinds::HearingResponse { Attend, AdmitAndWaive });
gql_enum!(HearingDecision => kinds::HearingDecision { Breach, NoBreach });
gql_enum!(Imposer => kinds::Imposer { CaseOfficer, DecisionMaker, Panel, Senate });
gql_enum!(SanctionStatus => kinds::SanctionStatus { Imposed, AwaitingApproval, Substituted, Removed });
gql_enum!(AppealGround => kinds::AppealGround { ProceduralIrregularity, EvidenceNotConsidered, PrejudiceOrBias, UnreasonableDecision, ExcessiveSanction, NewEvidence });
gql_enum!(AppealStatus => kinds::AppealStatus { Lodged, Rejected, Corrected, ReferredToPanel, Upheld, Substituted, CaseDismissed });
gql_enum!(ReviewKind => kinds::ReviewKind { InvestigationReview, InformalReview });
gql_enum!(ReviewStatus => kinds::ReviewStatus { Requested, Accepted, Refused, Completed, Recorded });
gql_enum!(
    /// How a party wants to be told of outcomes (R-OUT-1).
    PreferredChannel => kinds::PreferredChannel { Email, VirtualMeeting, InPerson, ViaCaseWorker, ViaConductOfficer }
);
