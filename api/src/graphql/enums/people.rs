//! People and their roles.

use async_graphql::Enum;

use crate::domain::kinds;

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
        /// Answers subject access requests and reviews retention (the role
        /// policy `data_protection.officer_role` names).
        DataProtectionOfficer,
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
