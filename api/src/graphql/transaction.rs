//! The one way a mutation runs: in a single transaction, committed only if the
//! domain service succeeds, with live-update events published after the commit.

use async_graphql::Context;
use sea_orm::DatabaseTransaction;

use crate::domain::statistics::tally;
use crate::domain::viewer::Viewer;
use crate::error::Error;
use crate::graphql::context::{CtxExt, GqlResult, OrGql};

/// Runs `work` for the signed-in viewer in one transaction and commits it.
/// An error rolls everything back (the transaction is dropped uncommitted) and
/// reaches the client with its code.
pub async fn in_tx<T>(
    ctx: &Context<'_>,
    work: impl AsyncFnOnce(&Viewer, &DatabaseTransaction) -> Result<T, Error>,
) -> GqlResult<T> {
    let viewer = ctx.viewer()?;
    let state = ctx.state();
    // Boxed: a mutation's future is large, and is kept off the worker's stack.
    let (out, events) = crate::events::collect(tally::tracking(Box::pin(async {
        let tx = crate::domain::case_store::begin(&state.db).await?;
        let out = work(viewer, &tx).await?;
        // The statistics tally moves with the cases, before the commit.
        tally::flush(&tx, &tally::touched()).await?;
        tx.commit().await?;
        Ok::<_, Error>(out)
    })))
    .await;
    let out = out.gql()?;
    // Live updates only for what was committed.
    state.events.publish(events);
    Ok(out)
}

/// Runs `work` for a caller who must stay unknown (the anonymous reporter)
/// in one transaction: no viewer is read or passed on, so nothing in it can
/// record who sent the request.
pub async fn without_viewer<T>(
    ctx: &Context<'_>,
    work: impl AsyncFnOnce(&DatabaseTransaction) -> Result<T, Error>,
) -> GqlResult<T> {
    let state = ctx.state();
    tally::tracking(Box::pin(async {
        let tx = crate::domain::case_store::begin(&state.db).await?;
        let out = work(&tx).await?;
        tally::flush(&tx, &tally::touched()).await?;
        tx.commit().await?;
        Ok::<_, Error>(out)
    }))
    .await
    .gql()
}
