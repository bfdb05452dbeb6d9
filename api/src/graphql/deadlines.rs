//! The staff-wide deadline list (R-TIME-1): what is overdue, what is due soon.

use async_graphql::{Context, Object, SimpleObject};
use chrono::NaiveDate;
use uuid::Uuid;

use crate::domain::{deadlines, kinds};
use crate::graphql::context::{CtxExt, GqlResult, OrGql};
use crate::graphql::enums::DeadlineKind;
use crate::graphql::pagination::{self, Connection, Listed};

/// An open deadline on a case you work on.
#[derive(SimpleObject)]
pub struct Deadline {
    /// What it is for.
    kind: DeadlineKind,
    /// The rule that set it, e.g. R-MEA-4.
    rule: String,
    /// The UK calendar day it falls due.
    due_on: NaiveDate,
    /// It is past.
    overdue: bool,
    /// Working days from today to the due date (0 when due today or overdue).
    working_days_left: u32,
    /// The case.
    case_id: Uuid,
    /// The case's reference.
    case_reference: String,
    /// What it is about (e.g. the measure's or the hearing's id).
    subject_id: Uuid,
}

impl Listed for Deadline {
    const CONNECTION: &'static str = "DeadlineConnection";
    const EDGE: &'static str = "DeadlineEdge";
}

#[derive(Default)]
pub struct DeadlineQuery;

#[Object]
impl DeadlineQuery {
    /// Open deadlines on the cases you work on, soonest first: all of them,
    /// those due within `dueWithinWorkingDays`, or only overdue ones.
    #[graphql(complexity = "crate::graphql::cost::page(first, child_complexity)")]
    async fn deadlines(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only those due within this many working days from today.")]
        due_within_working_days: Option<u32>,
        #[graphql(default, desc = "Only those already past.")] overdue_only: bool,
        #[graphql(desc = "How many (1 to 100, default 20).")] first: Option<i32>,
        #[graphql(desc = "The `endCursor` of the previous page.")] after: Option<String>,
    ) -> GqlResult<Connection<Deadline>> {
        let viewer = ctx.viewer()?;
        let state = ctx.state();
        let calendar = state.policy.calendar();
        let today = viewer.now.today();
        let until = if overdue_only {
            today.pred_opt()
        } else {
            due_within_working_days.map(|n| calendar.add_working_days(today, n))
        };
        let page = pagination::page(first, after.as_deref()).gql()?;
        let rows = deadlines::for_staff(viewer, &state.db, until, &page)
            .await
            .gql()?;
        let rows: Vec<(crate::domain::page::Position, Deadline)> = rows
            .into_iter()
            .map(|(d, b)| {
                Ok((
                    deadlines::position(&d),
                    Deadline {
                        kind: kinds::DeadlineKind::from_db(&d.kind).gql()?.into(),
                        rule: d.rule,
                        due_on: d.due_on,
                        overdue: d.due_on < today,
                        working_days_left: calendar.working_days_between(today, d.due_on),
                        case_id: d.case_id,
                        case_reference: b.case.reference,
                        subject_id: d.subject_id,
                    },
                ))
            })
            .collect::<GqlResult<_>>()?;
        Ok(pagination::connection(rows, &page, |r| r.0, |r| r.1))
    }
}
