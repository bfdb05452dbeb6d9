//! The case, its parties and its timeline.

use async_graphql::Enum;

use crate::domain::kinds;

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
        /// A case worker's assignment to a party ended.
        CaseWorkerAssignmentEnded,
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
        /// An administrator moved the case to the policy version now in force.
        PolicyVersionChanged,
        /// An investigation meeting was moved (R-INV-2 re-checked).
        MeetingRescheduled,
        /// An investigation meeting was called off.
        MeetingCancelled,
        /// The hearing was rearranged (R-HEA-6, R-HEA-1 re-checked).
        HearingRearranged,
        /// The hearing referred the case to the body the procedure names
        /// instead of deciding it (R-HEA-5).
        HearingReferred,
        /// Whether a party attended their meeting, or the student their hearing.
        AttendanceRecorded,
        /// A witness or a further responding party was added after the report.
        PartyAdded,
        /// A party whose name was withheld was named (R-DISC-4).
        PartyIdentified,
        /// A party's details were corrected (the reason is on the event).
        PartyDetailsCorrected,
        /// Whether to act further on a forwarded disclosure whose student did
        /// not reply was decided with the forwarder (R-DISC-7).
        FollowUpDecided,
        /// A supportive measure was arranged for the party (R-SUP-6).
        SupportiveMeasureArranged,
        /// A supportive measure was reviewed and continues (R-SUP-6).
        SupportiveMeasureReviewed,
        /// A supportive measure was ended at a review (R-SUP-6).
        SupportiveMeasureEnded,
        /// A responding party who is staff or a contractor was routed to the
        /// staff procedure (R-DISC-6).
        RoutedToStaffProcedure,
        /// A third party affected was offered support on the case (000 §15).
        AffectedPersonSupported,
        /// The party's communication plan was agreed (R-SUP-7).
        CommunicationPlanAgreed,
        /// The party's initial meeting with the case officer was recorded (R-SUP-7).
        InitialMeetingRecorded,
        /// The party confirmed their initial meeting's note (R-SUP-7).
        InitialMeetingNoteConfirmed,
    }
);

gql_enum!(
    /// One step of a fitness-to-study referral (R-FTS-1).
    HealthRecordKind => kinds::HealthRecordKind {
        /// Referred, and the procedure adjourned for medical reports.
        Referral,
        /// An occupational-health assessment was recorded.
        OccupationalHealthAssessment,
        /// The proceedings ended on health grounds.
        EndedOnHealthGrounds,
    }
);

gql_enum!(
    /// A responding party who is not a student (R-DISC-6).
    Employment => kinds::Employment {
        /// A member of the university's staff.
        Staff,
        /// A contractor working for the university.
        Contractor,
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
    /// A person's part in one case.
    PartyRole => kinds::PartyRole {
        /// The student who disclosed or reported.
        Reporting,
        /// The student reported.
        Responding,
        /// A student named as a witness.
        Witness,
        /// A third party affected who is not a witness, offered support on the
        /// case without becoming a party to the procedure (000 §15).
        Affected,
    }
);

gql_enum!(
    /// What a reporting party may be told of the responding party's case
    /// (000 §36, R-OUT-2).
    DisclosureItem => kinds::DisclosureItem {
        /// The stage, in the limited form the policy defines.
        Progress,
        /// Whether any precautionary measure is in place.
        MeasuresInPlace,
        /// The decision and outcome, once the appeal process has concluded.
        Outcome,
        /// A sanction imposed, once the appeal process has concluded.
        Sanctions,
    }
);
