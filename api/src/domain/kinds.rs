//! The domain's enumerations. Stored as the readable strings given here, so a
//! database row reads `REPORT_RECEIVED`, not `3`.

macro_rules! string_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn parse(text: &str) -> Option<Self> {
                match text { $($text => Some($name::$variant),)+ _ => None }
            }

            /// Reads a value stored by this server; anything else means the row is corrupt.
            pub fn from_db(text: &str) -> Result<Self, crate::error::Error> {
                Self::parse(text).ok_or_else(|| crate::error::Error::Internal(anyhow::anyhow!(
                    "unknown {} value in database: {text:?}", stringify!($name)
                )))
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

string_enum!(
    /// Stages of DOMAIN §2.
    Stage {
        Disclosure = "DISCLOSURE",
        ReportReceived = "REPORT_RECEIVED",
        Triage = "TRIAGE",
        Investigation = "INVESTIGATION",
        Decision = "DECISION",
        InformalResolution = "INFORMAL_RESOLUTION",
        Hearing = "HEARING",
        Outcome = "OUTCOME",
        Appeal = "APPEAL",
        Paused = "PAUSED",
        Withdrawn = "WITHDRAWN",
        Closed = "CLOSED",
    }
);

string_enum!(
    /// Staff roles (DOMAIN §1). A person may hold several.
    StaffRole {
        CaseWorker = "CASE_WORKER",
        ConductOfficer = "CONDUCT_OFFICER",
        Investigator = "INVESTIGATOR",
        DecisionMaker = "DECISION_MAKER",
        PanelMember = "PANEL_MEMBER",
        CfcMember = "CFC_MEMBER",
        AppealReviewer = "APPEAL_REVIEWER",
        BiAnalyst = "BI_ANALYST",
        SisIntegration = "SIS_INTEGRATION",
        Admin = "ADMIN",
        DataProtectionOfficer = "DATA_PROTECTION_OFFICER",
    }
);

string_enum!(
    /// What a reporting party may be told of the responding party's case
    /// (000 §36, R-OUT-2), each recorded with its lawful basis.
    DisclosureItem {
        Progress = "PROGRESS",
        MeasuresInPlace = "MEASURES_IN_PLACE",
        Outcome = "OUTCOME",
        Sanctions = "SANCTIONS",
    }
);

string_enum!(
    /// A party's part in a case. `Affected`: a third party affected who is not a
    /// witness, offered support without becoming a party to the procedure (000 §15).
    PartyRole { Reporting = "REPORTING", Responding = "RESPONDING", Witness = "WITNESS", Affected = "AFFECTED" }
);

string_enum!(PersonKind { Student = "STUDENT", Staff = "STAFF", Visitor = "VISITOR" });

string_enum!(EnrolmentStatus {
    Enrolled = "ENROLLED",
    Interrupted = "INTERRUPTED",
    Withdrawn = "WITHDRAWN",
    Graduated = "GRADUATED",
    Left = "LEFT",
});

impl EnrolmentStatus {
    /// Still a student of the university (R-REP-1, R-DISC-5).
    pub fn is_current(self) -> bool {
        matches!(
            self,
            EnrolmentStatus::Enrolled | EnrolmentStatus::Interrupted
        )
    }
}

string_enum!(DisclosureChannel {
    OnlineForm = "ONLINE_FORM",
    Phone = "PHONE",
    Email = "EMAIL",
    InPerson = "IN_PERSON",
    StaffForwarded = "STAFF_FORWARDED",
});

string_enum!(IncidentCategory {
    SexualMisconduct = "SEXUAL_MISCONDUCT",
    SexualHarassment = "SEXUAL_HARASSMENT",
    SexualViolence = "SEXUAL_VIOLENCE",
    Harassment = "HARASSMENT",
    HateIncident = "HATE_INCIDENT",
    Bullying = "BULLYING",
    PhysicalAssault = "PHYSICAL_ASSAULT",
    Stalking = "STALKING",
    OnlineAbuse = "ONLINE_ABUSE",
    Other = "OTHER",
});

string_enum!(
    /// Options of an options conversation (R-SUP-1).
    SupportOption {
        SupportOnly = "SUPPORT_ONLY",
        ReportToPolice = "REPORT_TO_POLICE",
        ReportToUniversity = "REPORT_TO_UNIVERSITY",
        InformalResolution = "INFORMAL_RESOLUTION",
        NoReport = "NO_REPORT",
        SarcReferral = "SARC_REFERRAL",
    }
);

string_enum!(
    /// Parts of the university a student may consent to information going to (R-SUP-4).
    Department {
        AcademicDepartment = "ACADEMIC_DEPARTMENT",
        Halls = "HALLS",
        Sport = "SPORT",
        StudentsUnion = "STUDENTS_UNION",
    }
);

string_enum!(ContactMethod {
    Email = "EMAIL",
    Phone = "PHONE",
    TextMessage = "TEXT_MESSAGE",
    InPerson = "IN_PERSON",
    VideoCall = "VIDEO_CALL",
});

string_enum!(PauseReason {
    PoliceInvestigation = "POLICE_INVESTIGATION",
    CriminalProceedings = "CRIMINAL_PROCEEDINGS",
    Exams = "EXAMS",
    Health = "HEALTH",
});

string_enum!(
    /// What a timeline entry records.
    TimelineKind {
        DisclosureRecorded = "DISCLOSURE_RECORDED",
        CaseWorkerAssigned = "CASE_WORKER_ASSIGNED",
        CaseWorkerAssignmentEnded = "CASE_WORKER_ASSIGNMENT_ENDED",
        ContactAttempted = "CONTACT_ATTEMPTED",
        OptionsConversationHeld = "OPTIONS_CONVERSATION_HELD",
        OptionsChoiceChanged = "OPTIONS_CHOICE_CHANGED",
        ConsentRecorded = "CONSENT_RECORDED",
        InformationShared = "INFORMATION_SHARED",
        SupportNoteAdded = "SUPPORT_NOTE_ADDED",
        FormalReportSubmitted = "FORMAL_REPORT_SUBMITTED",
        RespondingPartyInformed = "RESPONDING_PARTY_INFORMED",
        StageChanged = "STAGE_CHANGED",
        PolicyVersionChanged = "POLICY_VERSION_CHANGED",
        MeetingRescheduled = "MEETING_RESCHEDULED",
        MeetingCancelled = "MEETING_CANCELLED",
        HearingRearranged = "HEARING_REARRANGED",
        HearingReferred = "HEARING_REFERRED",
        AttendanceRecorded = "ATTENDANCE_RECORDED",
        PartyAdded = "PARTY_ADDED",
        PartyIdentified = "PARTY_IDENTIFIED",
        PartyDetailsCorrected = "PARTY_DETAILS_CORRECTED",
        FollowUpDecided = "FOLLOW_UP_DECIDED",
        SupportiveMeasureArranged = "SUPPORTIVE_MEASURE_ARRANGED",
        SupportiveMeasureReviewed = "SUPPORTIVE_MEASURE_REVIEWED",
        SupportiveMeasureEnded = "SUPPORTIVE_MEASURE_ENDED",
        RoutedToStaffProcedure = "ROUTED_TO_STAFF_PROCEDURE",
        AffectedPersonSupported = "AFFECTED_PERSON_SUPPORTED",
        CommunicationPlanAgreed = "COMMUNICATION_PLAN_AGREED",
        InitialMeetingRecorded = "INITIAL_MEETING_RECORDED",
        InitialMeetingNoteConfirmed = "INITIAL_MEETING_NOTE_CONFIRMED",
    }
);

string_enum!(
    /// Precautionary measure kinds (R-MEA-2).
    MeasureKind {
        NoContactOrder = "NO_CONTACT_ORDER",
        Exclusion = "EXCLUSION",
        Suspension = "SUSPENSION",
        AlternativeAccommodation = "ALTERNATIVE_ACCOMMODATION",
        Conditions = "CONDITIONS",
    }
);

string_enum!(
    /// Where a measure is in its life (R-MEA-3…5).
    MeasureStatus {
        Recommended = "RECOMMENDED",
        Authorised = "AUTHORISED",
        InForce = "IN_FORCE",
        UnderReview = "UNDER_REVIEW",
        Varied = "VARIED",
        Withdrawn = "WITHDRAWN",
        Expired = "EXPIRED",
    }
);

impl MeasureStatus {
    /// The measure currently applies to its subjects.
    pub fn applies(self) -> bool {
        matches!(
            self,
            MeasureStatus::InForce | MeasureStatus::UnderReview | MeasureStatus::Varied
        )
    }
}

string_enum!(
    /// Who wrote on an anonymous disclosure's channel (R-DISC-2).
    AnonymousSender {
        Reporter = "REPORTER",
        SupportTeam = "SUPPORT_TEAM",
    }
);

string_enum!(
    /// One step of a fitness-to-study referral (R-FTS-1).
    HealthRecordKind {
        Referral = "REFERRAL",
        OccupationalHealthAssessment = "OCCUPATIONAL_HEALTH_ASSESSMENT",
        EndedOnHealthGrounds = "ENDED_ON_HEALTH_GROUNDS",
    }
);

string_enum!(
    /// R-DISC-6: a responding party who is not a student.
    Employment { Staff = "STAFF", Contractor = "CONTRACTOR" }
);

impl PartyRole {
    /// The two sides of the procedure; witnesses and third parties are neither.
    pub fn is_principal(self) -> bool {
        matches!(self, PartyRole::Reporting | PartyRole::Responding)
    }
}

string_enum!(
    /// Supportive measures (R-SUP-6): help for one party, not a restriction.
    SupportiveMeasureKind {
        FinancialAid = "FINANCIAL_AID",
        PriorityCounselling = "PRIORITY_COUNSELLING",
        AssessmentAdjustment = "ASSESSMENT_ADJUSTMENT",
        AccommodationSupport = "ACCOMMODATION_SUPPORT",
        RemedialSupport = "REMEDIAL_SUPPORT",
        Other = "OTHER",
    }
);

string_enum!(
    /// Where a supportive measure is: arranged to start later, active, past
    /// its end date, or ended at a review.
    SupportiveMeasureStatus {
        Arranged = "ARRANGED",
        Active = "ACTIVE",
        Expired = "EXPIRED",
        Ended = "ENDED",
    }
);

string_enum!(
    /// A case worker's decision at a supportive measure's review (R-SUP-6).
    SupportiveReviewDecision { Continue = "CONTINUE", End = "END" }
);

string_enum!(RiskLevel { Low = "LOW", Medium = "MEDIUM", High = "HIGH" });

string_enum!(
    /// One entry in a measure's history.
    MeasureAction {
        Recommended = "RECOMMENDED",
        Authorised = "AUTHORISED",
        BroughtIntoForce = "BROUGHT_INTO_FORCE",
        EarlyReviewRequested = "EARLY_REVIEW_REQUESTED",
        NonComplianceRecorded = "NON_COMPLIANCE_RECORDED",
        RepresentationsMade = "REPRESENTATIONS_MADE",
        Continued = "CONTINUED",
        Amended = "AMENDED",
        Augmented = "AUGMENTED",
        Withdrawn = "WITHDRAWN",
    }
);

string_enum!(
    /// A reviewer's decision on a measure (R-MEA-5).
    ReviewDecision { Continue = "CONTINUE", Amend = "AMEND", Augment = "AUGMENT", Withdraw = "WITHDRAW" }
);

string_enum!(
    /// What a deadline is for; each is set by one rule.
    DeadlineKind {
        MeasureReview = "MEASURE_REVIEW",
        AcknowledgeReport = "ACKNOWLEDGE_REPORT",
        DecideWhetherToInvestigate = "DECIDE_WHETHER_TO_INVESTIGATE",
        InvestigationTarget = "INVESTIGATION_TARGET",
        WrittenResponse = "WRITTEN_RESPONSE",
        InvestigationReviewRequest = "INVESTIGATION_REVIEW_REQUEST",
        HearingResponse = "HEARING_RESPONSE",
        HearingDecision = "HEARING_DECISION",
        AppealWindow = "APPEAL_WINDOW",
        AppealDecision = "APPEAL_DECISION",
        LetterDelivery = "LETTER_DELIVERY",
        ProgressUpdate = "PROGRESS_UPDATE",
        SupportiveMeasureReview = "SUPPORTIVE_MEASURE_REVIEW",
        CommunicationPlanUpdate = "COMMUNICATION_PLAN_UPDATE",
    }
);

string_enum!(DeadlineStatus { Open = "OPEN", Done = "DONE", Cancelled = "CANCELLED" });

string_enum!(NotificationKind {
    MeasureChanged = "MEASURE_CHANGED",
    ReportAgainstYou = "REPORT_AGAINST_YOU",
    HearingSummons = "HEARING_SUMMONS",
    OutcomeRecorded = "OUTCOME_RECORDED",
});

string_enum!(Classification { Low = "LOW", Medium = "MEDIUM", High = "HIGH" });

string_enum!(
    /// R-INV-7: on the balance of probabilities.
    Finding { Breach = "BREACH", NoBreach = "NO_BREACH", Partly = "PARTLY" }
);

string_enum!(
    /// R-DEC-1.
    DecisionOption {
        Dismiss = "DISMISS",
        Sanction = "SANCTION",
        ReferToPanel = "REFER_TO_PANEL",
        InformalResolution = "INFORMAL_RESOLUTION",
        Advice = "ADVICE",
    }
);

string_enum!(EvidenceKind { Document = "DOCUMENT", Image = "IMAGE", Message = "MESSAGE", CctvReference = "CCTV_REFERENCE", Other = "OTHER" });

string_enum!(
    /// Who an evidence item is shared with (R-INV-3); investigators always see it.
    Audience { ReportingParty = "REPORTING_PARTY", RespondingParty = "RESPONDING_PARTY", CaseOfficer = "CASE_OFFICER", Witnesses = "WITNESSES" }
);

string_enum!(StatementKind { WitnessStatement = "WITNESS_STATEMENT", RespondentResponse = "RESPONDENT_RESPONSE", ReportingPartyStatement = "REPORTING_PARTY_STATEMENT" });

string_enum!(
    /// R-HEA-2: the student's answer to a summons.
    HearingResponse { Attend = "ATTEND", AdmitAndWaive = "ADMIT_AND_WAIVE" }
);

string_enum!(
    /// R-INV-8: in what capacity someone accompanies a party to an
    /// investigation meeting. A legal representative may not.
    CompanionRole {
        Friend = "FRIEND",
        FamilyMember = "FAMILY_MEMBER",
        StudentsUnionAdviser = "STUDENTS_UNION_ADVISER",
        MemberOfStaff = "MEMBER_OF_STAFF",
        Other = "OTHER",
        LegalRepresentative = "LEGAL_REPRESENTATIVE",
    }
);

string_enum!(
    /// R-HEA-6: late evidence for a hearing, before and after the chair's word.
    EvidenceAdmission { Pending = "PENDING", Admitted = "ADMITTED", Refused = "REFUSED" }
);

string_enum!(HearingDecision { Breach = "BREACH", NoBreach = "NO_BREACH", Referred = "REFERRED" });

string_enum!(
    /// In what capacity a sanction is imposed (policy `sanctions`).
    Imposer { CaseOfficer = "CASE_OFFICER", DecisionMaker = "DECISION_MAKER", Panel = "PANEL", Senate = "SENATE" }
);

string_enum!(SanctionStatus { Imposed = "IMPOSED", AwaitingApproval = "AWAITING_APPROVAL", Substituted = "SUBSTITUTED", Removed = "REMOVED" });

string_enum!(
    /// R-APP-2.
    AppealGround {
        ProceduralIrregularity = "PROCEDURAL_IRREGULARITY",
        EvidenceNotConsidered = "EVIDENCE_NOT_CONSIDERED",
        PrejudiceOrBias = "PREJUDICE_OR_BIAS",
        UnreasonableDecision = "UNREASONABLE_DECISION",
        ExcessiveSanction = "EXCESSIVE_SANCTION",
        NewEvidence = "NEW_EVIDENCE",
        FindingsOfFact = "FINDINGS_OF_FACT",
    }
);

string_enum!(AppealStatus {
    Lodged = "LODGED",
    Rejected = "REJECTED",
    Corrected = "CORRECTED",
    ReferredToPanel = "REFERRED_TO_PANEL",
    Recommended = "RECOMMENDED",
    Upheld = "UPHELD",
    Substituted = "SUBSTITUTED",
    CaseDismissed = "CASE_DISMISSED",
});

string_enum!(ReviewKind { InvestigationReview = "INVESTIGATION_REVIEW", InformalReview = "INFORMAL_REVIEW" });

string_enum!(ReviewStatus { Requested = "REQUESTED", Accepted = "ACCEPTED", Refused = "REFUSED", Completed = "COMPLETED", Recorded = "RECORDED" });

string_enum!(
    /// How a party wants to be told of key updates and outcomes (R-OUT-1).
    PreferredChannel {
        Email = "EMAIL",
        VirtualMeeting = "VIRTUAL_MEETING",
        InPerson = "IN_PERSON",
        ViaCaseWorker = "VIA_CASE_WORKER",
        ViaConductOfficer = "VIA_CONDUCT_OFFICER",
    }
);

string_enum!(
    /// What a scheduled communication is (R-SUP-3, R-REP-3, R-DISC-3, notices).
    CommunicationKind {
        Email1 = "EMAIL_1",
        Email1FollowUp = "EMAIL_1_FOLLOW_UP",
        Email2 = "EMAIL_2",
        Email2FollowUp = "EMAIL_2_FOLLOW_UP",
        ReportAcknowledgement = "REPORT_ACKNOWLEDGEMENT",
        ForwarderUpdate = "FORWARDER_UPDATE",
        Notice = "NOTICE",
    }
);

impl CommunicationKind {
    /// Follow-ups stop when the student replies (R-SUP-3).
    pub fn is_follow_up(self) -> bool {
        matches!(self, Self::Email1FollowUp | Self::Email2FollowUp)
    }

    /// The rule that schedules this kind.
    pub fn rule(self) -> &'static str {
        match self {
            Self::Email1 | Self::Email1FollowUp | Self::Email2 | Self::Email2FollowUp => "R-SUP-3",
            Self::ReportAcknowledgement => "R-REP-3",
            Self::ForwarderUpdate => "R-DISC-3",
            Self::Notice => "NOTICE",
        }
    }
}

string_enum!(
    /// A letter of the procedure (issue 9): each kind has its template, the rule
    /// that requires it and the fields its template may use.
    LetterKind {
        MeetingInvitation = "MEETING_INVITATION",
        MeetingCancelled = "MEETING_CANCELLED",
        InvestigationReportIssued = "INVESTIGATION_REPORT_ISSUED",
        ReviewAccepted = "REVIEW_ACCEPTED",
        ReviewRefused = "REVIEW_REFUSED",
        ReviewOutcome = "REVIEW_OUTCOME",
        CasePaused = "CASE_PAUSED",
        CaseResumed = "CASE_RESUMED",
        HearingSummons = "HEARING_SUMMONS",
        HearingRearranged = "HEARING_REARRANGED",
        Outcome = "OUTCOME",
        AppealAcknowledgement = "APPEAL_ACKNOWLEDGEMENT",
        AppealOutcome = "APPEAL_OUTCOME",
        CompletionOfProcedures = "COMPLETION_OF_PROCEDURES",
        ReportingPartyOutcome = "REPORTING_PARTY_OUTCOME",
        MeasureNotice = "MEASURE_NOTICE",
        MeasuresChanged = "MEASURES_CHANGED",
        OutcomeCopy = "OUTCOME_COPY",
        ProgressUpdate = "PROGRESS_UPDATE",
        AppealReferred = "APPEAL_REFERRED",
        HearingReferred = "HEARING_REFERRED",
    }
);

impl LetterKind {
    /// The rule that requires this letter.
    pub fn rule(self) -> &'static str {
        match self {
            Self::MeetingInvitation | Self::MeetingCancelled => "R-INV-2",
            Self::InvestigationReportIssued | Self::ReviewRefused => "R-IRV-1",
            Self::ReviewAccepted | Self::ReviewOutcome => "R-IRV-2",
            Self::CasePaused | Self::CaseResumed | Self::ProgressUpdate => "R-INV-9",
            Self::HearingSummons => "R-HEA-1",
            Self::HearingRearranged => "R-HEA-6",
            Self::HearingReferred => "R-HEA-5",
            Self::Outcome => "R-OUT-1",
            Self::AppealAcknowledgement => "R-APP-1",
            Self::AppealOutcome | Self::CompletionOfProcedures | Self::AppealReferred => "R-APP-3",
            Self::ReportingPartyOutcome => "R-OUT-2",
            Self::MeasureNotice => "R-MEA-5",
            Self::MeasuresChanged => "R-MEA-7",
            Self::OutcomeCopy => "R-OUT-3",
        }
    }

    /// The letter's title, as shown in lists and e-mail subjects (never case content).
    pub fn title(self) -> &'static str {
        match self {
            Self::MeetingInvitation => "Invitation to an investigation meeting",
            Self::MeetingCancelled => "Your investigation meeting is cancelled",
            Self::InvestigationReportIssued => "The investigation report has been issued",
            Self::ReviewAccepted => "A review of the investigation is under way",
            Self::ReviewRefused => "Your request for a review of the investigation",
            Self::ReviewOutcome => "The outcome of the review of the investigation",
            Self::CasePaused => "Your case has been paused",
            Self::CaseResumed => "Your case has resumed",
            Self::HearingSummons => "Summons to a disciplinary hearing",
            Self::HearingRearranged => "Your disciplinary hearing has been rearranged",
            Self::Outcome => "The outcome of the disciplinary procedure",
            Self::AppealAcknowledgement => "Your appeal has been received",
            Self::AppealOutcome => "The outcome of your appeal",
            Self::CompletionOfProcedures => "Completion of Procedures",
            Self::ReportingPartyOutcome => "The procedure on your report has concluded",
            Self::MeasureNotice => "A precautionary measure that applies to you",
            Self::MeasuresChanged => "Precautionary measures in your case",
            Self::OutcomeCopy => "Confidential: the outcome of a disciplinary case",
            Self::ProgressUpdate => "An update on your case",
            Self::AppealReferred => "Your appeal has been referred to an appeal panel",
            Self::HearingReferred => "Your case has been referred for a further hearing",
        }
    }
}

string_enum!(CommunicationStatus {
    Due = "DUE",
    Sent = "SENT",
    Cancelled = "CANCELLED",
    Failed = "FAILED",
});
