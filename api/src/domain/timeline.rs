//! Writing the case timeline: who did what, when and why. Always written in
//! the same transaction as the change it records.

use entity::timeline_event;
use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};
use uuid::Uuid;

use crate::domain::kinds::{Stage, TimelineKind};
use crate::domain::viewer::Viewer;
use crate::error::Result;

pub struct Event {
    pub kind: TimelineKind,
    pub party: Option<Uuid>,
    pub from: Option<Stage>,
    pub to: Option<Stage>,
    pub reason: Option<String>,
}

impl Event {
    pub fn new(kind: TimelineKind) -> Self {
        Event {
            kind,
            party: None,
            from: None,
            to: None,
            reason: None,
        }
    }
    pub fn party(mut self, party: Uuid) -> Self {
        self.party = Some(party);
        self
    }
    pub fn stages(mut self, from: Stage, to: Stage) -> Self {
        self.from = Some(from);
        self.to = Some(to);
        self
    }
    pub fn reason(mut self, reason: Option<String>) -> Self {
        self.reason = reason;
        self
    }
}

/// Records `event` on the case's timeline as done by the viewer, at the
/// moment of their request.
pub async fn record(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    case_id: Uuid,
    event: Event,
) -> Result<()> {
    insert(db, viewer, Some(viewer.person_id), case_id, event).await
}

async fn insert(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    actor: Option<Uuid>,
    case_id: Uuid,
    event: Event,
) -> Result<()> {
    let id = Uuid::now_v7();
    timeline_event::ActiveModel {
        id: Set(id),
        case_id: Set(case_id),
        at: Set(viewer.now.at()),
        actor_id: Set(actor),
        kind: Set(event.kind.as_str().into()),
        from_stage: Set(event.from.map(|s| s.as_str().to_string())),
        to_stage: Set(event.to.map(|s| s.as_str().to_string())),
        party_id: Set(event.party),
        reason: Set(event.reason),
    }
    .insert(db)
    .await?;
    crate::events::emit(
        db,
        crate::events::Event::Timeline {
            case_id,
            event_id: id,
        },
    )
    .await
}

/// Records a change on the case timeline and in the audit log, in the caller's
/// transaction: every state change leaves both.
pub async fn record_change(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    case_id: Uuid,
    event: Event,
    operation: &str,
) -> Result<()> {
    record(db, viewer, case_id, event).await?;
    crate::domain::audit::append(
        db,
        Some(viewer),
        &[crate::domain::audit::AuditRecord::new(
            operation,
            Some(case_id),
        )],
    )
    .await
}

/// Records a change made by someone who must stay unknown (R-DISC-2: a
/// student disclosing anonymously): no actor on the timeline, and an audit
/// entry with neither person nor request id, so neither the log nor the
/// request logs lead back to them.
pub async fn record_anonymous_change(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    case_id: Uuid,
    event: Event,
    operation: &str,
) -> Result<()> {
    insert(db, viewer, None, case_id, event).await?;
    let mut entry = crate::domain::audit::AuditRecord::new(operation, Some(case_id));
    entry.detail = Some("by an anonymous student (R-DISC-2); not identified".into());
    crate::domain::audit::append(db, None, &[entry]).await
}
