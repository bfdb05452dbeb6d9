//! Risk, precautionary measures and deadlines.

use async_graphql::Enum;

use crate::domain::kinds;

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
        /// A letter to hand to a party who asked to be told through a member
        /// of staff or in a meeting (R-OUT-1); met when marked delivered.
        LetterDelivery,
        /// An update owed to a party while their case is paused (R-INV-9); met
        /// by `sendProgressUpdate`, and set again while the pause lasts.
        ProgressUpdate,
        /// A supportive measure's review by the supported party's case worker
        /// (R-SUP-6); met by `reviewSupportiveMeasure`.
        SupportiveMeasureReview,
        /// The next update agreed in a party's communication plan (R-SUP-7);
        /// met by `sendProgressUpdate` to that party, which sets the next.
        CommunicationPlanUpdate,
    }
);
