//! The record of what a reporting party was told of the responding party's
//! case (issue 12 item 3): the coarse stage (000 §36), whether measures are in
//! place (R-MEA-7) and the outcome once appeals concluded (R-OUT-2), each with
//! when it was first told and the lawful basis the policy names. The party
//! view notes what it shows; the request writes the notes in one statement,
//! and a thing already told adds nothing.

use chrono::{DateTime, Utc};
use entity::disclosure_record;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use uuid::Uuid;

use crate::domain::access::Relation;
use crate::domain::kinds::DisclosureItem;
use crate::error::Result;
use crate::policy::{Policy, PolicyBook};

/// One thing shown to a reporting party, as the view showed it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Told {
    pub case_id: Uuid,
    /// The policy version the case follows: it names the lawful basis.
    pub policy_version: String,
    pub party_id: Uuid,
    pub item: DisclosureItem,
    pub disclosed: String,
}

/// What `rel`'s viewer is about to be shown, if it is a disclosure: the viewer
/// is the case's reporting party (their case worker is staff and told as such).
pub fn told(
    rel: &Relation,
    case: &entity::case::Model,
    item: DisclosureItem,
    disclosed: String,
) -> Option<Told> {
    rel.disclosure_recipient().map(|party_id| Told {
        case_id: case.id,
        policy_version: case.policy_version.clone(),
        party_id,
        item,
        disclosed,
    })
}

fn basis(policy: &Policy, item: DisclosureItem) -> &str {
    let b = &policy.disclosure_to_reporting_party;
    match item {
        DisclosureItem::Progress => &b.progress,
        DisclosureItem::MeasuresInPlace => &b.measures_in_place,
        DisclosureItem::Outcome | DisclosureItem::Sanctions => &b.outcome,
    }
}

/// The rows recording what a request told, each under its case's policy; the
/// audit writer inserts them with the request's audited reads.
pub async fn rows(
    db: &impl ConnectionTrait,
    policies: &PolicyBook,
    at: DateTime<Utc>,
    told: Vec<Told>,
) -> Result<Vec<disclosure_record::ActiveModel>> {
    let mut rows = Vec::with_capacity(told.len());
    for t in told {
        let policy = policies.version(db, &t.policy_version).await?;
        rows.push(row(&policy, at, t));
    }
    Ok(rows)
}

/// Records what was told at once, where no request waits on the audit
/// writer (a subscription's event).
pub async fn record(
    db: &impl ConnectionTrait,
    policies: &PolicyBook,
    at: DateTime<Utc>,
    told: Vec<Told>,
) -> Result<()> {
    insert(db, rows(db, policies, at, told).await?).await
}

/// Records what a letter told, under the case's policy (already in hand).
pub async fn record_under(
    db: &impl ConnectionTrait,
    policy: &Policy,
    at: DateTime<Utc>,
    told: Vec<Told>,
) -> Result<()> {
    insert(db, told.into_iter().map(|t| row(policy, at, t)).collect()).await
}

/// Inserts, once per thing told: what was recorded before stays as it was.
pub async fn insert(
    db: &impl ConnectionTrait,
    rows: Vec<disclosure_record::ActiveModel>,
) -> Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    disclosure_record::Entity::insert_many(rows)
        .on_conflict_do_nothing_on([
            disclosure_record::Column::CaseId,
            disclosure_record::Column::PartyId,
            disclosure_record::Column::Item,
            disclosure_record::Column::Disclosed,
        ])
        .exec_without_returning(db)
        .await?;
    Ok(())
}

fn row(policy: &Policy, at: DateTime<Utc>, t: Told) -> disclosure_record::ActiveModel {
    disclosure_record::ActiveModel {
        id: Set(Uuid::new_v4()),
        case_id: Set(t.case_id),
        party_id: Set(t.party_id),
        item: Set(t.item.as_str().into()),
        lawful_basis: Set(basis(policy, t.item).into()),
        // Long enough for any label or outcome; the column holds 400.
        disclosed: Set(t.disclosed.chars().take(400).collect()),
        policy_version: Set(policy.version.clone()),
        first_disclosed_at: Set(at),
    }
}

/// The record of a case, oldest first, for staff who run it and the reporting
/// party's case worker (None for anyone else).
pub async fn of_case(
    rel: &Relation,
    db: &impl ConnectionTrait,
    case_id: Uuid,
) -> Result<Option<Vec<disclosure_record::Model>>> {
    if !rel.can_see_disclosure_record() {
        return Ok(None);
    }
    Ok(Some(
        disclosure_record::Entity::find()
            .filter(disclosure_record::Column::CaseId.eq(case_id))
            .order_by_asc(disclosure_record::Column::FirstDisclosedAt)
            .order_by_asc(disclosure_record::Column::Item)
            .all(db)
            .await?,
    ))
}
