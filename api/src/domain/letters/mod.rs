//! Letters (issue 9): the letters the procedures require, written in the
//! transaction of the change that requires them, kept as immutable records of
//! the case, and delivered by the route each party chose (R-OUT-1).
//!
//! - [`templates`]: the wording, one template per kind, policy of the institution;
//! - [`triggers`]: which change issues which letter to whom;
//! - [`delivery`]: routes, and recording a letter handed over by a member of staff.
//!
//! Who may read a letter is decided in `access` (`can_see_letter`), like every
//! other read.

pub mod copies;
pub mod corrections;
pub mod delivery;
pub mod templates;
pub mod triggers;
pub mod updates;

use std::collections::BTreeMap;

use chrono::NaiveDate;
use entity::{letter, party, person};
use minijinja::Value;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

use crate::domain::access;
use crate::domain::case_store::CaseBundle;
use crate::domain::clock::Now;
use crate::domain::communications;
use crate::domain::kinds::{LetterKind, PartyRole};
use crate::domain::page::{Key, KeyKind, Order, Page, Position};
use crate::domain::viewer::Viewer;
use crate::error::Result;
use crate::policy::Policy;

pub use templates::Templates;

/// The fields of one letter, beside those every letter has.
pub type Fields = BTreeMap<&'static str, Value>;

/// A date as letters write it: "Tuesday 1 December 2026".
pub fn long_date(day: NaiveDate) -> Value {
    Value::from(day.format("%A %-d %B %Y").to_string())
}

/// A letter to issue: its kind, its fields, and the record it is about.
pub struct Draft {
    pub kind: LetterKind,
    pub fields: Fields,
    /// The meeting, hearing or appeal the letter is about.
    pub about: Option<Uuid>,
    /// It replaces the last letter to the same party about the same record
    /// (a meeting moved or called off, a hearing rearranged).
    pub replacing: bool,
}

impl Draft {
    pub fn new(kind: LetterKind, fields: Fields) -> Draft {
        Draft {
            kind,
            fields,
            about: None,
            replacing: false,
        }
    }

    pub fn about(mut self, record: Uuid) -> Draft {
        self.about = Some(record);
        self
    }

    pub fn replacing(mut self, record: Uuid) -> Draft {
        self.about = Some(record);
        self.replacing = true;
        self
    }
}

/// The person a letter to `party` goes to, if they may be written to: a
/// party with no identified person gets no letter, and until told of the
/// report (R-REP-2) a responding party is told nothing.
pub fn addressee(party: &party::Model) -> Option<Uuid> {
    if party.role == PartyRole::Responding.as_str() && party.informed_at.is_none() {
        return None;
    }
    party.person_id
}

/// Like [`addressee`], for one kind of letter: a responding party not yet
/// told of the report may still be told of a measure binding them (R-MEA-5),
/// once that notice is recorded — that letter and no other.
fn addressee_for(party: &party::Model, kind: LetterKind) -> Option<Uuid> {
    if kind == LetterKind::MeasureNotice && crate::domain::measures::may_hear_of_measures(party) {
        return party.person_id;
    }
    addressee(party)
}

/// The date a letter to `party` (or to an officer) issued today bears: today,
/// or the next day R-TIME-2 allows.
fn date_for(policy: &Policy, now: Now, party: Option<&party::Model>) -> NaiveDate {
    let not_on_friday = communications::not_on_friday(policy, party);
    communications::due_on(&policy.calendar(), now.today(), not_on_friday, false)
}

/// Issues a letter to `party` in the caller's transaction, dated today (or
/// the next day R-TIME-2 allows), and starts its delivery by the party's
/// route. A party who may not be written to ([`addressee`]) gets no letter.
pub async fn issue(
    db: &impl ConnectionTrait,
    now: Now,
    policy: &Policy,
    bundle: &CaseBundle,
    party: &party::Model,
    draft: Draft,
) -> Result<Option<letter::Model>> {
    let Draft {
        kind,
        mut fields,
        about,
        replacing,
    } = draft;
    let Some(recipient) = addressee_for(party, kind) else {
        return Ok(None);
    };
    let dated_on = date_for(policy, now, Some(party));
    let body = compose(db, policy, bundle, recipient, dated_on, kind, &mut fields).await?;
    let replaces = match about.filter(|_| replacing) {
        Some(record) => last_about(db, party.id, record).await?.map(|l| l.id),
        None => None,
    };
    let written = Written {
        kind,
        recipient,
        dated_on,
        body,
        about,
        replaces,
    };
    send(db, now, policy, bundle, Some(party), written)
        .await
        .map(Some)
}

/// A letter ready to go: its text is final.
pub struct Written {
    pub kind: LetterKind,
    pub recipient: Uuid,
    pub dated_on: NaiveDate,
    pub body: String,
    pub about: Option<Uuid>,
    pub replaces: Option<Uuid>,
}

/// Records a written letter and starts its delivery: by the party's route,
/// or by e-mail notice to an officer who is not a party (`party` None).
async fn send(
    db: &impl ConnectionTrait,
    now: Now,
    policy: &Policy,
    bundle: &CaseBundle,
    party: Option<&party::Model>,
    written: Written,
) -> Result<letter::Model> {
    let route = match party {
        Some(party) => delivery::route_for(db, bundle, party).await?,
        None => delivery::Route::email(),
    };
    let row = letter::ActiveModel {
        id: Set(Uuid::now_v7()),
        case_id: Set(bundle.case.id),
        party_id: Set(party.map(|p| p.id)),
        recipient_id: Set(written.recipient),
        kind: Set(written.kind.as_str().into()),
        rule: Set(written.kind.rule().into()),
        dated_on: Set(written.dated_on),
        subject: Set(format!(
            "{} ({})",
            written.kind.title(),
            bundle.case.reference
        )),
        body: Set(written.body),
        route: Set(route.channel.as_str().into()),
        deliverer_id: Set(route.deliverer),
        delivered_on: Set(route.by_email.then_some(written.dated_on)),
        replaces_id: Set(written.replaces),
        about_id: Set(written.about),
        created_at: Set(now.at()),
    }
    .insert(db)
    .await?;
    delivery::start(db, now, policy, bundle, party, &row, &route).await?;
    Ok(row)
}

/// The letter's text: the kind's template with the fields every letter has.
async fn compose(
    db: &impl ConnectionTrait,
    policy: &Policy,
    bundle: &CaseBundle,
    recipient: Uuid,
    dated_on: NaiveDate,
    kind: LetterKind,
    fields: &mut Fields,
) -> Result<String> {
    let name = person::Entity::find_by_id(recipient)
        .one(db)
        .await?
        .map(|p| p.display_name)
        .unwrap_or_default();
    fields.insert("reference", Value::from(bundle.case.reference.clone()));
    fields.insert("date", long_date(dated_on));
    fields.insert("recipient", Value::from(name));
    fields.insert("institution", Value::from(policy.institution.clone()));
    fields.insert("title", Value::from(kind.title()));
    policy.letters.render(kind, std::mem::take(fields))
}

/// Issues a letter to a member of staff who is not part of the case (an
/// officer's copy, R-OUT-3): by e-mail notice, delivered on its date.
pub async fn issue_to_officer(
    db: &impl ConnectionTrait,
    now: Now,
    policy: &Policy,
    bundle: &CaseBundle,
    officer: Uuid,
    draft: Draft,
) -> Result<letter::Model> {
    let Draft {
        kind,
        mut fields,
        about,
        ..
    } = draft;
    let dated_on = date_for(policy, now, None);
    let body = compose(db, policy, bundle, officer, dated_on, kind, &mut fields).await?;
    let written = Written {
        kind,
        recipient: officer,
        dated_on,
        body,
        about,
        replaces: None,
    };
    send(db, now, policy, bundle, None, written).await
}

/// The latest letter to `party` about `record`.
async fn last_about(
    db: &impl ConnectionTrait,
    party: Uuid,
    record: Uuid,
) -> Result<Option<letter::Model>> {
    use sea_orm::QueryOrder;
    Ok(letter::Entity::find()
        .filter(letter::Column::PartyId.eq(party))
        .filter(letter::Column::AboutId.eq(record))
        .order_by_desc(letter::Column::CreatedAt)
        .order_by_desc(letter::Column::Id)
        .one(db)
        .await?)
}

/// The letter that replaced `letter`, if one has (a correction, or a meeting
/// or hearing moved).
pub async fn replaced_by(db: &impl ConnectionTrait, letter: Uuid) -> Result<Option<letter::Model>> {
    Ok(letter::Entity::find()
        .filter(letter::Column::ReplacesId.eq(letter))
        .one(db)
        .await?)
}

/// The day the latest letter to `party` about `record` (e.g. the summons to a
/// hearing, or the letter rearranging it) was delivered; None if it has not
/// been, or there is none.
pub async fn delivered_about(
    db: &impl ConnectionTrait,
    party: Uuid,
    record: Uuid,
) -> Result<Option<NaiveDate>> {
    Ok(last_about(db, party, record)
        .await?
        .and_then(|l| l.delivered_on))
}

/// Every letter of a case, oldest first (filtered by the reader's relation).
pub async fn of_case(db: &impl ConnectionTrait, case_id: Uuid) -> Result<Vec<letter::Model>> {
    use sea_orm::QueryOrder;
    Ok(letter::Entity::find()
        .filter(letter::Column::CaseId.eq(case_id))
        .order_by_asc(letter::Column::CreatedAt)
        .order_by_asc(letter::Column::Id)
        .all(db)
        .await?)
}

/// Where a letter stands in a person's list: newest first.
pub fn position(row: &letter::Model) -> Position {
    Position::new(Key::Day(row.dated_on), row.id)
}

/// One page of the viewer's own letters that have reached them, newest first
/// (`myLetters`: a party's letters, and an officer's copies).
pub async fn mine(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    page: &Page,
) -> Result<Vec<letter::Model>> {
    let query = letter::Entity::find()
        .filter(access::scope::own(viewer, letter::Column::RecipientId))
        .filter(letter::Column::DeliveredOn.lte(viewer.now.today()));
    let query = page.select(
        query,
        letter::Column::DatedOn,
        KeyKind::Day,
        Some(letter::Column::Id),
        Order::Descending,
    )?;
    Ok(query.all(db).await?)
}
