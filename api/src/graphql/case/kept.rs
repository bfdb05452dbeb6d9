//! Rows of a case that were read with it (`case_bundle_row`, PostgreSQL), or
//! else by the loaders: resolvers ask the `Scoped` case, which answers from
//! whichever it has. Either way they are the same rows, and what the viewer
//! may see of them is decided by the resolver, as before.

use std::hash::Hash;

use async_graphql::Context;
use async_graphql::Lookahead;
use async_graphql::dataloader::{DataLoader, Loader};
use entity::{appeal, measure, party, person, support_note, timeline_event};
use uuid::Uuid;

use super::Scoped;
use crate::domain::case_bundle_row::Wanted;
use crate::domain::viewer::Viewer;
use crate::graphql::context::GqlResult;
use crate::graphql::loaders::{AppealsOf, Db, MeasuresOf, NotesOf, PersonId, TimelineOf};

/// What a request will read of the case(s) selected at `case`, so that it
/// comes in the case's own statement. A field missed here is still answered,
/// by a loader.
pub fn wanted(case: &Lookahead<'_>, viewer: &Viewer) -> Wanted {
    let parties = case.field("parties");
    let me = case.field("me");
    Wanted {
        people: parties.field("name").exists()
            || parties.field("caseWorkers").exists()
            || me.field("caseWorkers").exists(),
        timeline: case.field("timeline").exists(),
        measures: case.field("measures").exists() || case.field("measuresInPlace").exists(),
        appeals: case.field("appeals").exists(),
        support_notes_of: me
            .field("supportNotes")
            .exists()
            .then_some(viewer.person_id),
    }
}

impl Scoped {
    /// Every timeline event of the case, oldest first.
    pub async fn timeline_rows(&self, ctx: &Context<'_>) -> GqlResult<Vec<timeline_event::Model>> {
        kept_or_loaded(ctx, &self.kept.timeline, TimelineOf(self.case_id())).await
    }

    /// Every measure of the case, oldest first.
    pub async fn measure_rows(&self, ctx: &Context<'_>) -> GqlResult<Vec<measure::Model>> {
        kept_or_loaded(ctx, &self.kept.measures, MeasuresOf(self.case_id())).await
    }

    /// Every appeal in the case, oldest first.
    pub async fn appeal_rows(&self, ctx: &Context<'_>) -> GqlResult<Vec<appeal::Model>> {
        kept_or_loaded(ctx, &self.kept.appeals, AppealsOf(self.case_id())).await
    }

    /// The support notes on `party`, oldest first: every one, or where they
    /// were read with the case for the party themselves, those R-SUP-5 may
    /// let them read (the resolver applies the rule to each either way).
    pub async fn support_note_rows(
        &self,
        ctx: &Context<'_>,
        party: &party::Model,
    ) -> GqlResult<Vec<support_note::Model>> {
        if let Some((person, notes)) = &self.kept.support_notes_of
            && party.person_id == Some(*person)
        {
            return Ok(notes
                .iter()
                .filter(|n| n.party_id == party.id)
                .cloned()
                .collect());
        }
        Ok(loader(ctx)
            .load_one(NotesOf(party.id))
            .await?
            .unwrap_or_default())
    }

    /// The people with these ids, of those who are parties or staff of the case.
    pub async fn people(&self, ctx: &Context<'_>, ids: Vec<Uuid>) -> GqlResult<Vec<person::Model>> {
        if let Some(kept) = &self.kept.people
            && ids.iter().all(|id| kept.iter().any(|p| p.id == *id))
        {
            return Ok(ids
                .iter()
                .filter_map(|id| kept.iter().find(|p| p.id == *id).cloned())
                .collect());
        }
        let found = loader(ctx)
            .load_many(ids.iter().copied().map(PersonId))
            .await?;
        Ok(ids
            .iter()
            .filter_map(|id| found.get(&PersonId(*id)).cloned())
            .collect())
    }
}

fn loader<'a>(ctx: &'a Context<'_>) -> &'a DataLoader<Db> {
    ctx.data_unchecked::<DataLoader<Db>>()
}

async fn kept_or_loaded<K, M>(ctx: &Context<'_>, kept: &Option<Vec<M>>, key: K) -> GqlResult<Vec<M>>
where
    K: Send + Sync + Hash + Eq + Clone + 'static,
    M: Clone + Send + Sync + 'static,
    Db: Loader<K, Value = Vec<M>, Error = async_graphql::Error>,
{
    match kept {
        Some(rows) => Ok(rows.clone()),
        None => Ok(loader(ctx).load_one(key).await?.unwrap_or_default()),
    }
}
