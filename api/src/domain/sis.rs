//! The student information system (SIS) integration: students in, enrolment-
//! affecting outcomes out. The feed carries the minimum the SIS needs (DOMAIN
//! §3): SIS number, outcome, status and end date — no narrative, category or
//! other party.

use chrono::NaiveDate;
use entity::{enrolment_event, person, sanction, sis_client_batch};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseBackend, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set, Statement,
};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::domain::access;
use crate::domain::clock::Now;
use crate::domain::codec;
use crate::domain::kinds::{EnrolmentStatus, PersonKind};
use crate::domain::viewer::Viewer;
use crate::error::{Error, Result};

/// Sanctions that change a student's enrolment (the SIS acts on these).
pub const ENROLMENT_AFFECTING: &[&str] = &[
    "SUSPENSION",
    "EXPULSION",
    "EXCLUSION_FROM_CONGREGATION",
    "REVOCATION_OF_AWARD",
];
const FEED_LOCK: i64 = 0x5349_535f_4645_4544;
pub const MAX_BATCH: usize = 1000;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct StudentRecord {
    pub sis_number: String,
    /// The identity provider's subject; defaults to `sis:<number>`.
    pub subject: Option<String>,
    pub name: String,
    pub email: Option<String>,
    pub programme: Option<String>,
    pub enrolment_status: String,
    pub leaving_date: Option<NaiveDate>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct RowError {
    pub index: usize,
    pub sis_number: String,
    /// The input field at fault (results stored before it was kept have none).
    #[serde(default)]
    pub field: Option<String>,
    pub message: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct BatchResult {
    pub created: u32,
    pub updated: u32,
    pub unchanged: u32,
    /// Every bad row; when there are any, nothing in the batch was saved.
    pub errors: Vec<RowError>,
    /// True when this key was seen before and its stored result is returned.
    pub replayed: bool,
}

fn check_row(
    i: usize,
    r: &StudentRecord,
    seen: &mut std::collections::BTreeSet<String>,
) -> Option<RowError> {
    let bad = |field: &str, m: String| {
        Some(RowError {
            index: i,
            sis_number: r.sis_number.clone(),
            field: Some(field.into()),
            message: m,
        })
    };
    if r.sis_number.trim().is_empty() || r.sis_number.len() > 40 {
        return bad("sisNumber", "sisNumber must be 1 to 40 characters".into());
    }
    if !seen.insert(r.sis_number.trim().to_string()) {
        return bad(
            "sisNumber",
            "this SIS number appears twice in the batch".into(),
        );
    }
    if r.name.trim().is_empty() {
        return bad("name", "name is required".into());
    }
    if r.email.as_deref().is_some_and(|e| !e.contains('@')) {
        return bad("email", "email is not an email address".into());
    }
    if EnrolmentStatus::parse(&r.enrolment_status).is_none() {
        return bad(
            "enrolmentStatus",
            format!(
                "enrolmentStatus {:?} is not one of ENROLLED, INTERRUPTED, WITHDRAWN, GRADUATED or LEFT",
                r.enrolment_status
            ),
        );
    }
    None
}

/// R-…: bulk upsert keyed by SIS number. All or nothing: a batch with a bad row
/// saves none and reports every bad row. The same key again returns the stored
/// result (a retry is safe); the same key with different content is a CONFLICT.
pub async fn upsert_students(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    key: &str,
    records: Vec<StudentRecord>,
) -> Result<BatchResult> {
    access::roles::can_use_sis_interface(viewer, "synchronise students")?;
    let key = key.trim();
    if key.is_empty() || key.len() > 200 {
        return Err(Error::validation(
            "idempotencyKey",
            "Give an idempotency key of 1 to 200 characters.",
        ));
    }
    if records.is_empty() || records.len() > MAX_BATCH {
        return Err(Error::validation(
            "students",
            format!("A batch holds 1 to {MAX_BATCH} students."),
        ));
    }
    let hash = hex::encode(Sha256::digest(codec::encode(
        "sis_batch.request",
        &records,
    )?));
    // Keys are scoped to the client: another client's batch under the same
    // key is neither replayed nor a conflict.
    if let Some(done) = sis_client_batch::Entity::find_by_id((viewer.person_id, key.to_string()))
        .one(db)
        .await?
    {
        if done.request_hash != hash {
            return Err(Error::Conflict(
                "This idempotency key was used for a different batch.".into(),
            ));
        }
        let mut result: BatchResult = codec::decode("sis_batch.result", &done.result)?;
        result.replayed = true;
        return Ok(result);
    }
    let mut seen = Default::default();
    let errors: Vec<RowError> = records
        .iter()
        .enumerate()
        .filter_map(|(i, r)| check_row(i, r, &mut seen))
        .collect();
    if !errors.is_empty() {
        return Ok(BatchResult {
            errors,
            ..Default::default()
        });
    }
    let mut result = BatchResult::default();
    let now = viewer.now.at();
    for r in &records {
        let sis = r.sis_number.trim().to_string();
        let existing = person::Entity::find()
            .filter(person::Column::SisNumber.eq(sis.clone()))
            .one(db)
            .await?;
        match existing {
            None => {
                person::ActiveModel {
                    id: Set(Uuid::now_v7()),
                    subject: Set(r.subject.clone().unwrap_or_else(|| format!("sis:{sis}"))),
                    kind: Set(PersonKind::Student.as_str().into()),
                    display_name: Set(r.name.trim().into()),
                    email: Set(r.email.clone()),
                    phone: Set(None),
                    sis_number: Set(Some(sis)),
                    enrolment_status: Set(Some(r.enrolment_status.clone())),
                    leaving_date: Set(r.leaving_date),
                    programme: Set(r.programme.clone()),
                    created_at: Set(now),
                    updated_at: Set(now),
                    disabled_at: Set(None),
                    disabled_reason: Set(None),
                }
                .insert(db)
                .await?;
                result.created += 1;
            }
            Some(p) => {
                // A row naming a sign-in identity sets it (e.g. the Entra object
                // id replacing the `sis:<number>` placeholder); a row without one
                // leaves it alone.
                let subject = r.subject.clone().unwrap_or_else(|| p.subject.clone());
                let same = p.display_name == r.name.trim()
                    && p.email == r.email
                    && p.programme == r.programme
                    && p.enrolment_status.as_deref() == Some(r.enrolment_status.as_str())
                    && p.leaving_date == r.leaving_date
                    && p.subject == subject;
                if same {
                    result.unchanged += 1;
                } else {
                    let mut a: person::ActiveModel = p.into();
                    a.display_name = Set(r.name.trim().into());
                    a.email = Set(r.email.clone());
                    a.programme = Set(r.programme.clone());
                    a.enrolment_status = Set(Some(r.enrolment_status.clone()));
                    a.leaving_date = Set(r.leaving_date);
                    a.subject = Set(subject);
                    a.updated_at = Set(now);
                    a.update(db).await?;
                    result.updated += 1;
                }
            }
        }
    }
    sis_client_batch::ActiveModel {
        client_id: Set(viewer.person_id),
        idempotency_key: Set(key.into()),
        request_hash: Set(hash),
        result: Set(codec::encode("sis_batch.result", &result)?),
        received_at: Set(now),
    }
    .insert(db)
    .await?;
    crate::domain::audit::append(
        db,
        Some(viewer),
        &[crate::domain::audit::AuditRecord {
            operation: "upsertStudents".into(),
            case_id: None,
            detail: Some(format!(
                "created {} updated {} unchanged {}",
                result.created, result.updated, result.unchanged
            )),
        }],
    )
    .await?;
    Ok(result)
}

/// Emits a feed event for every enrolment-affecting sanction of the case whose
/// status differs from the last one the SIS was told (imposed, then removed or
/// substituted). Sequence numbers are allocated under a lock, so a consumer
/// reading "after my cursor" never skips an event committed late.
pub async fn emit_changes(db: &impl ConnectionTrait, now: Now, case_id: Uuid) -> Result<()> {
    let sanctions = sanction::Entity::find()
        .filter(sanction::Column::CaseId.eq(case_id))
        .filter(sanction::Column::Kind.is_in(ENROLMENT_AFFECTING.iter().copied()))
        .all(db)
        .await?;
    if sanctions.is_empty() {
        return Ok(());
    }
    if db.get_database_backend() == DatabaseBackend::Postgres {
        db.execute_raw(Statement::from_sql_and_values(
            DatabaseBackend::Postgres,
            "SELECT pg_advisory_xact_lock($1)",
            [FEED_LOCK.into()],
        ))
        .await?;
    }
    let ids: Vec<Uuid> = sanctions.iter().map(|s| s.id).collect();
    let events = enrolment_event::Entity::find()
        .filter(enrolment_event::Column::SanctionId.is_in(ids))
        .order_by_asc(enrolment_event::Column::Seq)
        .all(db)
        .await?;
    let mut seq = enrolment_event::Entity::find()
        .order_by_desc(enrolment_event::Column::Seq)
        .limit(1)
        .one(db)
        .await?
        .map(|e| e.seq)
        .unwrap_or(0);
    for s in sanctions {
        let last = events
            .iter()
            .rev()
            .find(|e| e.sanction_id == s.id)
            .map(|e| e.status.clone());
        let tell = match last.as_deref() {
            None => s.status == "IMPOSED",
            Some(previous) => previous != s.status && s.status != "AWAITING_APPROVAL",
        };
        if !tell {
            continue;
        }
        let party = entity::party::Entity::find_by_id(s.party_id)
            .one(db)
            .await?;
        let sis = match party.and_then(|p| p.person_id) {
            Some(pid) => person::Entity::find_by_id(pid)
                .one(db)
                .await?
                .and_then(|p| p.sis_number),
            None => None,
        };
        let Some(sis_number) = sis else { continue };
        seq += 1;
        enrolment_event::ActiveModel {
            seq: Set(seq),
            sanction_id: Set(s.id),
            sis_number: Set(sis_number),
            kind: Set(s.kind.clone()),
            status: Set(s.status.clone()),
            ends_on: Set(s.ends_on),
            recorded_at: Set(now.at()),
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

/// The feed: events after `after` (a sequence number), oldest first.
pub async fn feed(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    after: i64,
    first: u64,
) -> Result<Vec<enrolment_event::Model>> {
    access::roles::can_use_sis_interface(viewer, "read the enrolment-outcome feed")?;
    Ok(enrolment_event::Entity::find()
        .filter(enrolment_event::Column::Seq.gt(after))
        .order_by_asc(enrolment_event::Column::Seq)
        .limit(first)
        .all(db)
        .await?)
}
