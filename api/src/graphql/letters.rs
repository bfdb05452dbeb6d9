//! Letters (issue 9): a case's letters in both views, a person's own letters,
//! and recording a letter handed over. Reading a letter's text is audited.

use async_graphql::dataloader::DataLoader;
use async_graphql::{Context, ID, InputObject, Object};
use chrono::NaiveDate;
use entity::letter;
use uuid::Uuid;

use crate::domain::kinds;
use crate::domain::letters;
use crate::graphql::case::Scoped;
use crate::graphql::context::{CtxExt, GqlResult, OrGql};
use crate::graphql::enums::{LetterKind, PreferredChannel};
use crate::graphql::loaders::{Db, LettersOf};
use crate::graphql::pagination::{self, Connection, Listed};
use crate::graphql::transaction::in_tx;

/// A letter of the procedure (see `Letter`).
pub struct Letter(letter::Model);

/// A letter of the procedure (a meeting invitation, a summons, an outcome…),
/// kept as issued: a correction is a new letter naming the one it replaces.
#[Object]
impl Letter {
    /// The letter's id (pass it to `markLetterDelivered`).
    async fn id(&self) -> ID {
        self.0.id.into()
    }
    /// The case it is about.
    async fn case_id(&self) -> Uuid {
        self.0.case_id
    }
    /// The recipient's party on the case.
    async fn party_id(&self) -> Option<Uuid> {
        self.0.party_id
    }
    /// What it is.
    async fn kind(&self) -> GqlResult<LetterKind> {
        Ok(kinds::LetterKind::from_db(&self.0.kind).gql()?.into())
    }
    /// The rule that requires it, e.g. R-OUT-1.
    async fn rule(&self) -> &str {
        &self.0.rule
    }
    /// The date it bears: the day it was issued, or the next day R-TIME-2
    /// allows for a reporting party who has not agreed to Friday letters.
    async fn dated_on(&self) -> NaiveDate {
        self.0.dated_on
    }
    /// Its title and the case reference.
    async fn subject(&self) -> &str {
        &self.0.subject
    }
    /// The letter itself. Reading it is recorded in the audit log (R-VIS-2).
    async fn text(&self, ctx: &Context<'_>) -> &str {
        ctx.record_read("letter.text", self.0.case_id);
        &self.0.body
    }
    /// How it reaches the recipient: their preferred channel when it was issued (R-OUT-1).
    async fn route(&self) -> GqlResult<PreferredChannel> {
        Ok(kinds::PreferredChannel::from_db(&self.0.route)
            .gql()?
            .into())
    }
    /// The member of staff who hands it over (routes other than e-mail); null
    /// for e-mail, or when the conduct team delivers it.
    async fn deliverer_id(&self) -> Option<Uuid> {
        self.0.deliverer_id
    }
    /// The day the recipient received it: what deadlines "from receipt of the
    /// letter" count from. Null until a letter handed over is marked delivered.
    async fn delivered_on(&self) -> Option<NaiveDate> {
        self.0.delivered_on
    }
    /// The letter this one corrects, if any.
    async fn replaces_id(&self) -> Option<Uuid> {
        self.0.replaces_id
    }
}

impl Listed for Letter {
    const CONNECTION: &'static str = "LetterConnection";
    const EDGE: &'static str = "LetterEdge";
}

/// The letters of a case the viewer may read (one batched query per level);
/// `only_mine` keeps those addressed to the viewer (the party view).
pub async fn of_scope(
    ctx: &Context<'_>,
    scope: &Scoped,
    only_mine: bool,
) -> GqlResult<Vec<Letter>> {
    let rows = ctx
        .data_unchecked::<DataLoader<Db>>()
        .load_one(LettersOf(scope.case_id()))
        .await?
        .unwrap_or_default();
    let viewer = ctx.viewer()?;
    let today = viewer.now.today();
    Ok(rows
        .into_iter()
        .filter(|r| !only_mine || r.recipient_id == viewer.person_id)
        .filter(|r| scope.rel.can_see_letter(r, today))
        .map(Letter)
        .collect())
}

#[derive(Default)]
pub struct LetterQuery;

#[Object]
impl LetterQuery {
    /// Letters to you that have reached you, newest first: a party's letters
    /// on all their cases, and the copies an officer is sent (R-OUT-3).
    #[graphql(complexity = "crate::graphql::cost::page(first, child_complexity)")]
    async fn my_letters(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many (1 to 100, default 20).")] first: Option<i32>,
        #[graphql(desc = "The `endCursor` of the previous page.")] after: Option<String>,
    ) -> GqlResult<Connection<Letter>> {
        let page = pagination::page(first, after.as_deref()).gql()?;
        let rows = letters::mine(ctx.viewer()?, &ctx.state().db, &page)
            .await
            .gql()?;
        let rows: Vec<_> = rows
            .into_iter()
            .map(|r| (letters::position(&r), Letter(r)))
            .collect();
        Ok(pagination::connection(rows, &page, |r| r.0, |r| r.1))
    }
}

/// One office to copy an outcome to, and who holds it for this student.
#[derive(InputObject)]
pub struct OutcomeCopyInput {
    /// The office, as the policy's `notices.outcome_copies` names it (e.g. "Registrar").
    pub office: String,
    /// The member of staff who holds it.
    pub person_id: Uuid,
}

#[derive(Default)]
pub struct LetterMutation;

#[Object]
impl LetterMutation {
    /// The member of staff handing a letter over (the party chose to be told
    /// through a member of staff or in a meeting, R-OUT-1) records the day it
    /// was delivered; the party can read it from then, and deadlines that run
    /// from receipt of the letter count from that day.
    async fn mark_letter_delivered(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The letter.")] letter_id: Uuid,
        #[graphql(desc = "The day it was handed over (today if not given).")] delivered_on: Option<
            NaiveDate,
        >,
    ) -> GqlResult<Letter> {
        let policies = ctx.state().policies.clone();
        let row = in_tx(ctx, async |viewer, tx| {
            let on = delivered_on.unwrap_or(viewer.now.today());
            letters::delivery::mark_delivered(viewer, tx, &policies, letter_id, on).await
        })
        .await?;
        Ok(Letter(row))
    }

    /// The conduct team or the case's conduct officer corrects a letter: a
    /// letter is never edited, so the correction is a new letter of the same
    /// kind to the same person, naming the one it replaces (`replacesId`) and
    /// delivered by their route. A letter not yet handed over is not handed
    /// over any more. A deadline that runs from receipt counts from the
    /// correction's receipt where that is later.
    async fn correct_letter(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The letter to correct (not one already replaced).")] letter_id: Uuid,
        #[graphql(
            desc = "The corrected letter's text, in full; a first line saying which letter it replaces is added."
        )]
        text: String,
    ) -> GqlResult<Letter> {
        let policies = ctx.state().policies.clone();
        let row = in_tx(ctx, async |viewer, tx| {
            letters::corrections::correct(viewer, tx, &policies, letter_id, &text).await
        })
        .await?;
        Ok(Letter(row))
    }

    /// Writes to the reporting or responding party with an update on their
    /// case (R-INV-9): the staff running the procedure, or the party's case
    /// worker. While the case is paused each of them is owed one regularly
    /// (a `PROGRESS_UPDATE` deadline); sending it meets that deadline and sets
    /// the next.
    async fn send_progress_update(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The case.")] case_id: Uuid,
        #[graphql(desc = "The reporting or responding party written to.")] party_id: Uuid,
        #[graphql(
            desc = "What to tell them, in the staff member's own words: only what this party may know (DOMAIN §3)."
        )]
        message: String,
    ) -> GqlResult<Letter> {
        let policies = ctx.state().policies.clone();
        let row = in_tx(ctx, async |viewer, tx| {
            letters::updates::send_progress_update(
                viewer, tx, &policies, case_id, party_id, &message,
            )
            .await
        })
        .await?;
        Ok(Letter(row))
    }

    /// The conduct team sends a confidential copy of the outcome to the
    /// officers the policy names (R-OUT-3): one letter each, which they read in
    /// `myLetters`; it gives them no access to the case.
    async fn send_outcome_copies(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The case, with an outcome recorded.")] case_id: Uuid,
        #[graphql(desc = "The offices and their holders.")] copies: Vec<OutcomeCopyInput>,
    ) -> GqlResult<Vec<Letter>> {
        let policies = ctx.state().policies.clone();
        let copies = copies
            .into_iter()
            .map(|c| letters::copies::Copy {
                office: c.office,
                person_id: c.person_id,
            })
            .collect();
        let rows = in_tx(ctx, async |viewer, tx| {
            letters::copies::send_outcome_copies(viewer, tx, &policies, case_id, copies).await
        })
        .await?;
        Ok(rows.into_iter().map(Letter).collect())
    }
}
