//! The case timeline as the viewer may see it (on queries and live updates).

use async_graphql::{Context, Object};
use chrono::{DateTime, Utc};
use entity::timeline_event;

use super::Scoped;
use crate::domain::kinds;
use crate::graphql::context::{GqlResult, OrGql};
use crate::graphql::enums::{Stage, TimelineKind};

/// One timeline entry, as far as the viewer may see it.
pub struct TimelineEntry {
    event: timeline_event::Model,
    scope: Scoped,
}

impl TimelineEntry {
    /// An entry the caller has already checked `scope.rel` may see.
    pub fn new(event: timeline_event::Model, scope: Scoped) -> Self {
        TimelineEntry { event, scope }
    }

    fn exact(&self, stage: &Option<String>) -> GqlResult<Option<Stage>> {
        if !self.scope.rel.sees_exact_stage() {
            return Ok(None);
        }
        Ok(stage
            .as_deref()
            .map(kinds::Stage::from_db)
            .transpose()
            .gql()?
            .map(Into::into))
    }
}

/// The entries of a case's timeline the viewer may see, oldest first.
pub async fn of_scope(ctx: &Context<'_>, scope: &Scoped) -> GqlResult<Vec<TimelineEntry>> {
    let events = scope.timeline_rows(ctx).await?;
    Ok(events
        .into_iter()
        .filter(|e| scope.rel.can_see_timeline_event(&e.kind, e.party_id))
        .map(|event| TimelineEntry::new(event, scope.clone()))
        .collect())
}

/// Something that happened on the case: who did what is in the audit log;
/// the timeline says what and when, and why where you may know.
#[Object]
impl TimelineEntry {
    /// When it happened.
    async fn at(&self) -> DateTime<Utc> {
        self.event.at
    }
    /// What happened.
    async fn kind(&self) -> GqlResult<TimelineKind> {
        Ok(kinds::TimelineKind::from_db(&self.event.kind).gql()?.into())
    }
    /// For a stage change: the new stage in the limited form parties see.
    async fn progress(&self, ctx: &Context<'_>) -> GqlResult<Option<String>> {
        let Some(to) = &self.event.to_stage else {
            return Ok(None);
        };
        let stage = kinds::Stage::from_db(to).gql()?;
        let policy = self.scope.policy(ctx).await?;
        Ok(Some(policy.progress_label(stage).to_string()))
    }
    /// For a stage change: the stage it left (procedure staff only).
    async fn from_stage(&self) -> GqlResult<Option<Stage>> {
        self.exact(&self.event.from_stage)
    }
    /// For a stage change: the stage it moved to (procedure staff only).
    async fn to_stage(&self) -> GqlResult<Option<Stage>> {
        self.exact(&self.event.to_stage)
    }
    /// The reason given, where you may know it: the procedure, or the side the
    /// event concerns (a pause's reason is not told to the parties).
    async fn reason(&self) -> Option<&str> {
        self.scope
            .rel
            .can_read_event_reason(self.event.party_id)
            .then_some(self.event.reason.as_deref())
            .flatten()
    }
}
