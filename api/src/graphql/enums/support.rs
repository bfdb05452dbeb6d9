//! Support, communications and notifications.

use async_graphql::Enum;

use crate::domain::kinds;

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
    /// A letter of the procedure (issue 9), with the rule that requires it.
    LetterKind => kinds::LetterKind {
        /// Invitation to an investigation meeting: date, time, place, notice,
        /// the right to be accompanied and to adjustments (R-INV-2, R-INV-8).
        MeetingInvitation,
        /// An investigation meeting called off (it replaces the invitation).
        MeetingCancelled,
        /// The investigation report is out, with the review window (R-IRV-1).
        InvestigationReportIssued,
        /// A review of the investigation was accepted and is under way: to
        /// both principal parties (R-IRV-2).
        ReviewAccepted,
        /// A request for a review was refused, with the reasons: to the party
        /// who asked (R-IRV-1).
        ReviewRefused,
        /// The review's outcome, to both principal parties (R-IRV-2).
        ReviewOutcome,
        /// The case is paused; the reason is not given (R-INV-9).
        CasePaused,
        /// The case has resumed, its deadlines moved (R-INV-9, R-TIME-3).
        CaseResumed,
        /// Summons to a hearing, with the penalty range and the evidence (R-HEA-1, R-HEA-6).
        HearingSummons,
        /// A hearing rearranged, with its new date and the same papers (R-HEA-6);
        /// it replaces the summons.
        HearingRearranged,
        /// The outcome, reasons, penalties and the last day to appeal (R-OUT-1, R-APP-1).
        Outcome,
        /// The appeal is received, with when to expect the decision (R-APP-1).
        AppealAcknowledgement,
        /// The appeal's outcome (R-APP-3).
        AppealOutcome,
        /// Completion of Procedures, with the OIAHE complaint period (R-APP-3).
        CompletionOfProcedures,
        /// To the reporting party, once appeals have concluded: what they may
        /// know of the outcome (R-OUT-2).
        ReportingPartyOutcome,
        /// To a party bound by a precautionary measure brought into force or
        /// changed: its terms, dates, review and the right to make
        /// representations (R-MEA-5).
        MeasureNotice,
        /// To the reporting party when a stated measure on the responding party
        /// comes into force, changes or is withdrawn — whether, not what (R-MEA-7).
        MeasuresChanged,
        /// A confidential copy of the outcome to an officer the policy names
        /// (R-OUT-3); the officer sees this and nothing else of the case.
        OutcomeCopy,
        /// An update on the case, in the words of the staff who wrote it: owed
        /// regularly while the case is paused (R-INV-9), and sent whenever
        /// there is progress to tell.
        ProgressUpdate,
        /// To the appellant: the appeal reviewer referred the appeal to an
        /// appeal panel, with the reviewer's reasons (R-APP-3).
        AppealReferred,
        /// To each responding party: the hearing referred the case to the body
        /// the procedure names, which will summon them afresh (R-HEA-5).
        HearingReferred,
    }
);

gql_enum!(
    /// A supportive measure (R-SUP-6): help for one party, kept apart from
    /// precautionary measures.
    SupportiveMeasureKind => kinds::SupportiveMeasureKind {
        /// Financial aid (hardship funds, costs of moving).
        FinancialAid,
        /// Priority access to counselling or mental-health support.
        PriorityCounselling,
        /// Moved assessment dates, extensions or other academic adjustments.
        AssessmentAdjustment,
        /// A change of room or accommodation arranged for the party's benefit.
        AccommodationSupport,
        /// Remedial support, e.g. for a student while suspended (004 App. 3).
        RemedialSupport,
        /// Anything else, described in its details.
        Other,
    }
);

gql_enum!(
    /// Where a supportive measure is.
    SupportiveMeasureStatus => kinds::SupportiveMeasureStatus {
        /// Arranged to start on a later day.
        Arranged,
        /// In place.
        Active,
        /// Its end date has passed.
        Expired,
        /// Ended at a review.
        Ended,
    }
);

gql_enum!(
    /// The case worker's decision at a supportive measure's review.
    SupportiveReviewDecision => kinds::SupportiveReviewDecision {
        /// It continues; the next review is set.
        Continue,
        /// It ends today.
        End,
    }
);

gql_enum!(
    /// Who wrote on an anonymous disclosure's conversation.
    AnonymousSender => kinds::AnonymousSender {
        /// The anonymous reporter, with their access code.
        Reporter,
        /// Student Support.
        SupportTeam,
    }
);
