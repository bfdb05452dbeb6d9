//! Correcting a letter (issue 9 §1): a letter is never edited once issued. A
//! mistake is put right by a new letter of the same kind to the same person,
//! naming the one it replaces, delivered by their route like any other. A
//! deadline that runs from receipt (the appeal window after an outcome
//! letter, the review window after the investigation report letter) counts
//! from the correction's receipt where that is later: the student may rely
//! on the letter as corrected.

use entity::letter;
use sea_orm::{ConnectionTrait, EntityTrait};
use uuid::Uuid;

use super::{Written, date_for, replaced_by, send};
use crate::domain::access;
use crate::domain::case_store;
use crate::domain::deadlines;
use crate::domain::disclosures::require_text;
use crate::domain::kinds::LetterKind;
use crate::domain::viewer::Viewer;
use crate::error::{Error, Result};
use crate::policy::PolicyBook;

/// Issues `text` as the corrected letter replacing `letter_id`.
pub async fn correct(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    policies: &PolicyBook,
    letter_id: Uuid,
    text: &str,
) -> Result<letter::Model> {
    let old = letter::Entity::find_by_id(letter_id)
        .one(db)
        .await?
        .ok_or(Error::NotFound("letter"))?;
    let (bundle, rel) = case_store::open(viewer, db, old.case_id)
        .await
        .map_err(access::refusal::hide_case_as("letter"))?;
    access::actions::can_correct_letter(&rel, &old)?;
    let text = require_text("text", text)?;
    if let Some(newer) = replaced_by(db, old.id).await? {
        return Err(Error::Conflict(format!(
            "This letter has already been replaced, by the letter dated {} (id {}); correct that one.",
            newer.dated_on, newer.id
        )));
    }
    let party = old.party_id.map(|id| bundle.party(id)).transpose()?;
    let policy = &*policies.for_case(db, &bundle.case).await?;
    let kind = LetterKind::from_db(&old.kind)?;
    let written = Written {
        kind,
        recipient: old.recipient_id,
        dated_on: date_for(policy, viewer.now, party),
        body: format!(
            "This letter corrects our letter of {} (\"{}\"), which it replaces.\n\n{text}\n",
            old.dated_on.format("%-d %B %Y"),
            kind.title()
        ),
        about: old.about_id,
        replaces: Some(old.id),
    };
    // A letter not yet handed over is not handed over any more: the correction is.
    deadlines::cancel(db, viewer.now, old.id).await?;
    let row = send(db, viewer.now, policy, &bundle, party, written).await?;
    crate::domain::audit::record(db, viewer, "correctLetter", old.case_id).await?;
    Ok(row)
}
