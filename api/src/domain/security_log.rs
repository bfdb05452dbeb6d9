//! The security log: refusals of things that exist — FORBIDDEN, or NOT_FOUND
//! for a thing the viewer may not know of — so that probing can be seen. Only
//! signed-in people reach anything that can be refused so; each may have at
//! most `BURST` entries written at once and one more every `REFILL` after,
//! and refusals beyond that are counted and written with their next entry,
//! so a flood cannot fill the database and nothing goes unrecorded.

use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use entity::security_event;
use governor::{DefaultKeyedRateLimiter, Quota};
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::domain::access;
use crate::domain::page::{KeyKind, Order, Page, Position};
use crate::domain::viewer::Viewer;
use crate::error::Result;

/// Entries one person may have written at once.
pub const BURST: u32 = 20;
/// After the burst, one more entry per person this often.
pub const REFILL: Duration = Duration::from_secs(30);

/// One refusal, as the request saw it.
#[derive(Debug, Clone)]
pub struct Refusal {
    pub code: &'static str,
    pub detail: String,
    pub case_id: Option<Uuid>,
}

/// Both maps are keyed by person: they hold at most one entry per person
/// registered with the service, however many refusals arrive.
pub struct SecurityLog {
    allowance: DefaultKeyedRateLimiter<Uuid>,
    suppressed: Mutex<HashMap<Uuid, i64>>,
}

impl Default for SecurityLog {
    fn default() -> Self {
        let quota = Quota::with_period(REFILL)
            .unwrap_or_else(|| Quota::per_minute(NonZeroU32::MIN))
            .allow_burst(NonZeroU32::new(BURST).unwrap_or(NonZeroU32::MIN));
        SecurityLog {
            allowance: DefaultKeyedRateLimiter::keyed(quota),
            suppressed: Mutex::default(),
        }
    }
}

impl SecurityLog {
    pub fn new() -> Arc<SecurityLog> {
        Arc::new(SecurityLog::default())
    }

    /// Writes the request's refusals within the viewer's allowance and counts
    /// the rest. A failure to write is logged, never shown to the caller (the
    /// request was refused anyway).
    pub async fn record(&self, db: &impl ConnectionTrait, viewer: &Viewer, refusals: Vec<Refusal>) {
        let now = viewer.now.at();
        let mut rows = Vec::new();
        {
            let mut suppressed = self.suppressed.lock().unwrap_or_else(|p| p.into_inner());
            for refusal in refusals {
                if self.allowance.check_key(&viewer.person_id).is_err() {
                    *suppressed.entry(viewer.person_id).or_default() += 1;
                    continue;
                }
                rows.push(security_event::ActiveModel {
                    id: Set(Uuid::now_v7()),
                    at: Set(now),
                    viewer_id: Set(viewer.person_id),
                    request_id: Set(viewer.request_id.clone()),
                    code: Set(refusal.code.into()),
                    detail: Set(refusal.detail),
                    case_id: Set(refusal.case_id),
                    suppressed_before: Set(suppressed.remove(&viewer.person_id).unwrap_or(0)),
                });
            }
        }
        if rows.is_empty() {
            return;
        }
        if let Err(err) = security_event::Entity::insert_many(rows).exec(db).await {
            tracing::warn!(error = %err, "could not write refusals to the security log");
        }
    }
}

pub fn position(e: &security_event::Model) -> Position {
    Position::new(crate::domain::page::Key::Time(e.at), e.id)
}

/// One page of the log, newest first, optionally one person's (administrators).
pub async fn entries(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    person: Option<Uuid>,
    page: &Page,
) -> Result<Vec<security_event::Model>> {
    use sea_orm::ColumnTrait;
    access::roles::can_administer(viewer, "read the security log")?;
    let mut query = security_event::Entity::find();
    if let Some(person) = person {
        query = query.filter(security_event::Column::ViewerId.eq(person));
    }
    let query = page.select(
        query,
        security_event::Column::At,
        KeyKind::Time,
        Some(security_event::Column::Id),
        Order::Descending,
    )?;
    Ok(query.all(db).await?)
}
