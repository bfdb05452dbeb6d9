//! A party's support records (R-SUP-1…5, R-DISC-3): for that party and their
//! case worker(s) only — never the procedure, never the other side.

use async_graphql::ID;
use async_graphql::dataloader::DataLoader;
use async_graphql::{Context, Object, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use entity::party;

use super::Scoped;
use crate::domain::kinds;
use crate::domain::support::{self, irreversible_from, latest_per_department, submitted_report};
use crate::graphql::context::{CtxExt, GqlResult, OrGql};
use crate::graphql::enums::{
    ContactMethod, Department, SupportOption, SupportiveMeasureKind, SupportiveMeasureStatus,
};
use crate::graphql::loaders::{
    AttemptsOf, ConsentsOf, ConversationsOf, Db, PersonId, PlanOf, SharesOf, SupportiveMeasuresOf,
};

/// A case worker's note about the party they support (R-SUP-5).
#[derive(SimpleObject)]
pub struct SupportNote {
    /// The note's id.
    id: ID,
    /// What the case worker wrote.
    body: String,
    /// Whether the party may read it too.
    shared_with_party: bool,
    /// When it was written.
    created_at: DateTime<Utc>,
}

/// An options conversation with the student (R-SUP-1), or a later change of
/// their choice (R-SUP-2).
#[derive(SimpleObject)]
pub struct OptionsConversation {
    /// The conversation's id.
    id: ID,
    /// When it was held.
    held_at: DateTime<Utc>,
    /// The options discussed.
    options_offered: Vec<SupportOption>,
    /// The options the student chose.
    options_chosen: Vec<SupportOption>,
    /// The case worker's summary (also the substance of Email 2, R-SUP-3).
    summary: String,
}

/// The student's consent to share with one department, as now in force (R-SUP-4).
#[derive(SimpleObject)]
pub struct SharingConsent {
    /// The department.
    department: Department,
    /// Whether information may go there.
    granted: bool,
    /// When this consent was recorded.
    recorded_at: DateTime<Utc>,
}

/// Information shared with a department with the student's consent (R-SUP-4).
#[derive(SimpleObject)]
pub struct InformationShare {
    /// The department it went to.
    department: Department,
    /// What was shared.
    details: String,
    /// When.
    shared_at: DateTime<Utc>,
}

/// Help arranged for one party (R-SUP-6): seen by that party and their case
/// worker(s) only.
pub struct SupportiveMeasure(entity::supportive_measure::Model);

/// Help arranged for one party (R-SUP-6): financial aid, priority counselling,
/// moved assessment dates, remedial support. Seen by that party and their case
/// worker(s) only — never the other side, never the procedure.
#[Object]
impl SupportiveMeasure {
    /// The measure's id.
    async fn id(&self) -> ID {
        self.0.id.into()
    }
    /// What kind of help.
    async fn kind(&self) -> GqlResult<SupportiveMeasureKind> {
        Ok(kinds::SupportiveMeasureKind::from_db(&self.0.kind)
            .gql()?
            .into())
    }
    /// What was arranged, in words.
    async fn details(&self) -> &str {
        &self.0.details
    }
    /// The case worker who arranged it.
    async fn arranged_by(&self, ctx: &Context<'_>) -> GqlResult<Option<super::StaffMember>> {
        Ok(ctx
            .data_unchecked::<DataLoader<Db>>()
            .load_one(PersonId(self.0.arranged_by))
            .await?
            .map(Into::into))
    }
    /// When it was arranged.
    async fn arranged_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// The day it starts.
    async fn starts_on(&self) -> NaiveDate {
        self.0.starts_on
    }
    /// The last day it applies, if it has an end.
    async fn until(&self) -> Option<NaiveDate> {
        self.0.until
    }
    /// Where it is today.
    async fn status(&self, ctx: &Context<'_>) -> GqlResult<SupportiveMeasureStatus> {
        Ok(support::supportive::status(&self.0, ctx.viewer()?.now.today()).into())
    }
    /// The day of its next review (none once ended).
    async fn review_due(&self) -> Option<NaiveDate> {
        self.0.review_due
    }
    /// The day it was last reviewed.
    async fn last_reviewed_on(&self) -> Option<NaiveDate> {
        self.0.last_reviewed_on
    }
    /// The day it was ended at a review.
    async fn ended_on(&self) -> Option<NaiveDate> {
        self.0.ended_on
    }
    /// Why it was ended.
    async fn end_reason(&self) -> Option<&str> {
        self.0.end_reason.as_deref()
    }
    /// Its version: pass it back to `reviewSupportiveMeasure`.
    async fn version(&self) -> i32 {
        self.0.version
    }
}

/// The communications agreed with one party (R-SUP-7): the party, their case
/// worker(s) and the procedure.
#[derive(SimpleObject)]
pub struct CommunicationPlan {
    /// What the party will be told about (e.g. "each stage, and any measure
    /// affecting them").
    content: String,
    /// How often, in working days.
    every_working_days: i32,
    /// Who writes (e.g. "Case officer", "Case worker").
    sender: String,
    /// When it was (last) agreed.
    agreed_at: DateTime<Utc>,
    /// The next update owed under it; `sendProgressUpdate` meets it.
    next_update_due: NaiveDate,
    /// 002 §7: when the initial meeting with the case officer was held.
    initial_meeting_held_at: Option<DateTime<Utc>>,
    /// The note of that meeting.
    initial_meeting_note: Option<String>,
    /// When the party confirmed the note (null until they do).
    initial_meeting_note_confirmed_at: Option<DateTime<Utc>>,
    /// Its version.
    version: i32,
}

/// An attempt by Student Support to reach the student (R-DISC-3).
#[derive(SimpleObject)]
pub struct ContactAttempt {
    /// When.
    made_at: DateTime<Utc>,
    /// How.
    method: ContactMethod,
    /// Whether the student responded.
    student_responded: bool,
}

/// A party's support records.
pub struct PartySupport {
    pub(super) party: party::Model,
    pub(super) scope: Scoped,
}

impl PartySupport {
    fn sees_support(&self) -> bool {
        self.scope.rel.can_see_support_records_of(self.party.id)
    }

    fn loader<'a>(ctx: &'a Context<'_>) -> &'a DataLoader<Db> {
        ctx.data_unchecked::<DataLoader<Db>>()
    }
}

/// A party's support records.
#[Object]
impl PartySupport {
    /// Support notes (R-SUP-5): the party's case worker(s) see all; the party
    /// sees those shared with them; nobody else any. Reading them is audited.
    async fn support_notes(&self, ctx: &Context<'_>) -> GqlResult<Vec<SupportNote>> {
        let rel = &self.scope.rel;
        if !self.sees_support() {
            return Ok(vec![]);
        }
        let notes = self.scope.support_note_rows(ctx, &self.party).await?;
        let visible: Vec<SupportNote> = notes
            .into_iter()
            .filter(|n| {
                n.case_id == self.scope.case_id()
                    && rel.can_read_support_note(self.party.id, n.shared_with_party)
            })
            .map(|n| SupportNote {
                id: n.id.into(),
                body: n.body,
                shared_with_party: n.shared_with_party,
                created_at: n.created_at,
            })
            .collect();
        if !visible.is_empty() {
            ctx.record_read("party.supportNotes", self.scope.case_id());
        }
        Ok(visible)
    }
    /// Options conversations and changes of choice, oldest first (the party and
    /// their case worker(s)). Reading them is audited.
    async fn options_conversations(
        &self,
        ctx: &Context<'_>,
    ) -> GqlResult<Vec<OptionsConversation>> {
        if !self.sees_support() {
            return Ok(vec![]);
        }
        let rows = Self::loader(ctx)
            .load_one(ConversationsOf(self.party.id))
            .await?
            .unwrap_or_default();
        if !rows.is_empty() {
            ctx.record_read("party.optionsConversations", self.scope.case_id());
        }
        let list = |options: Vec<kinds::SupportOption>| -> Vec<SupportOption> {
            options.into_iter().map(Into::into).collect()
        };
        rows.into_iter()
            .map(|c| {
                Ok(OptionsConversation {
                    id: c.id.into(),
                    held_at: c.held_at,
                    options_offered: list(support::offered(&c).gql()?),
                    options_chosen: list(support::chosen(&c).gql()?),
                    summary: c.summary,
                })
            })
            .collect()
    }
    /// The consent in force for each department (R-SUP-4): the party and their
    /// case worker(s).
    async fn sharing_consents(&self, ctx: &Context<'_>) -> GqlResult<Vec<SharingConsent>> {
        if !self.sees_support() {
            return Ok(vec![]);
        }
        let rows = Self::loader(ctx)
            .load_one(ConsentsOf(self.party.id))
            .await?
            .unwrap_or_default();
        latest_per_department(rows)
            .into_iter()
            .map(|c| {
                Ok(SharingConsent {
                    department: kinds::Department::from_db(&c.department).gql()?.into(),
                    granted: c.granted,
                    recorded_at: c.recorded_at,
                })
            })
            .collect()
    }
    /// Information shared with departments (R-SUP-4): the party and their case worker(s).
    async fn information_shares(&self, ctx: &Context<'_>) -> GqlResult<Vec<InformationShare>> {
        if !self.sees_support() {
            return Ok(vec![]);
        }
        let rows = Self::loader(ctx)
            .load_one(SharesOf(self.party.id))
            .await?
            .unwrap_or_default();
        rows.into_iter()
            .map(|s| {
                Ok(InformationShare {
                    department: kinds::Department::from_db(&s.department).gql()?.into(),
                    details: s.details,
                    shared_at: s.shared_at,
                })
            })
            .collect()
    }
    /// Actions already taken that a change of mind cannot undo (R-SUP-2), e.g.
    /// `FORMAL_REPORT_SUBMITTED` or `INFORMATION_SHARED_WITH_HALLS`: the party and their
    /// case worker(s).
    async fn irreversible_actions(&self, ctx: &Context<'_>) -> GqlResult<Vec<String>> {
        if !self.sees_support() {
            return Ok(vec![]);
        }
        let shares = Self::loader(ctx)
            .load_one(SharesOf(self.party.id))
            .await?
            .unwrap_or_default();
        Ok(irreversible_from(
            &shares,
            submitted_report(&self.scope.bundle, self.party.id),
        ))
    }
    /// The communications agreed with this party (R-SUP-7), with their initial
    /// meeting's note: the party, their case worker(s) and the procedure.
    /// Null until agreed. Reading the note is audited.
    async fn communication_plan(&self, ctx: &Context<'_>) -> GqlResult<Option<CommunicationPlan>> {
        if !self.scope.rel.can_see_communication_plan_of(self.party.id) {
            return Ok(None);
        }
        let plan = Self::loader(ctx)
            .load_one(PlanOf(self.party.id))
            .await?
            .unwrap_or_default()
            .into_iter()
            .find(|p| p.case_id == self.scope.case_id());
        let Some(p) = plan else {
            return Ok(None);
        };
        if p.meeting_note.is_some() {
            ctx.record_read("party.communicationPlan", self.scope.case_id());
        }
        Ok(Some(CommunicationPlan {
            content: p.content,
            every_working_days: p.every_working_days,
            sender: p.sender,
            agreed_at: p.agreed_at,
            next_update_due: p.next_update_due,
            initial_meeting_held_at: p.meeting_held_at,
            initial_meeting_note: p.meeting_note,
            initial_meeting_note_confirmed_at: p.meeting_note_confirmed_at,
            version: p.version,
        }))
    }
    /// Supportive measures arranged for this party (R-SUP-6), oldest first: the
    /// party and their case worker(s) only. Reading them is audited.
    async fn supportive_measures(&self, ctx: &Context<'_>) -> GqlResult<Vec<SupportiveMeasure>> {
        if !self.scope.rel.can_see_supportive_measures_of(self.party.id) {
            return Ok(vec![]);
        }
        let rows = Self::loader(ctx)
            .load_one(SupportiveMeasuresOf(self.party.id))
            .await?
            .unwrap_or_default();
        if !rows.is_empty() {
            ctx.record_read("party.supportiveMeasures", self.scope.case_id());
        }
        Ok(rows.into_iter().map(SupportiveMeasure).collect())
    }
    /// Attempts to contact the student (R-DISC-3): their case worker(s) only.
    async fn contact_attempts(&self, ctx: &Context<'_>) -> GqlResult<Vec<ContactAttempt>> {
        if !self.scope.rel.can_see_contact_attempts_of(self.party.id) {
            return Ok(vec![]);
        }
        let rows = Self::loader(ctx)
            .load_one(AttemptsOf(self.party.id))
            .await?
            .unwrap_or_default();
        rows.into_iter()
            .map(|a| {
                Ok(ContactAttempt {
                    made_at: a.made_at,
                    method: kinds::ContactMethod::from_db(&a.method).gql()?.into(),
                    student_responded: a.student_responded,
                })
            })
            .collect()
    }
}
