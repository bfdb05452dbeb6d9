//! The repeat-respondent signal (issue 12 item 6; 000 and 001 ask staff to
//! weigh a pattern): whether a responding party is, or has been, a responding
//! party in other cases. For the conduct team and the decision maker only;
//! it counts every such case but names only those the viewer may open, and it
//! lasts only as long as retention keeps the other cases.

use entity::{case, party};
use sea_orm::sea_query::Query;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

use crate::domain::access;
use crate::domain::kinds::PartyRole;
use crate::domain::viewer::Viewer;
use crate::error::Result;

pub struct RespondentHistory {
    /// Other cases in which the person is a responding party.
    pub count: u64,
    /// The references of those the viewer may open as staff, newest first.
    pub visible_references: Vec<String>,
}

/// The person's other cases as a responding party, seen from `except_case`.
pub async fn history(
    viewer: &Viewer,
    db: &impl ConnectionTrait,
    person_id: Uuid,
    except_case: Uuid,
) -> Result<RespondentHistory> {
    let others = || {
        Query::select()
            .column(party::Column::CaseId)
            .from(party::Entity)
            .and_where(party::Column::PersonId.eq(person_id))
            .and_where(party::Column::Role.eq(PartyRole::Responding.as_str()))
            .and_where(party::Column::CaseId.ne(except_case))
            .to_owned()
    };
    let count = case::Entity::find()
        .filter(case::Column::Id.in_subquery(others()))
        .count(db)
        .await?;
    let visible_references = if count == 0 {
        vec![]
    } else {
        case::Entity::find()
            .select_only()
            .column(case::Column::Reference)
            .filter(case::Column::Id.in_subquery(others()))
            .filter(access::staff_scope(viewer))
            .order_by_desc(case::Column::OpenedAt)
            .into_tuple::<String>()
            .all(db)
            .await?
    };
    Ok(RespondentHistory {
        count,
        visible_references,
    })
}
