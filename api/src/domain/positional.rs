//! Rows of the hottest tables decoded by column position. sea-orm's derived
//! decoding reads each column by name, and for every NULL it formats the
//! column's name into an error that it then discards (`TryGetError::Null`):
//! on an officer's page of 50 cases that was a fifth of the server's
//! instructions (issue 16, `bench/instructions.sh`). A [`Positional`] model
//! reads the columns in the order the entity selects them (`Column::iter()`,
//! the order of the model's fields) straight from sqlx's row, with the same
//! decoding sea-orm itself asks sqlx for (`Option<T>` where a column may be
//! NULL); a test checks each list against the entity's own columns, so a new
//! column cannot be read into the wrong field.

use sea_orm::sqlx::{self, Postgres, Row, Sqlite};
use sea_orm::{
    ConnectionTrait, DbErr, EntityTrait, FromQueryResult, QueryResult, Select, TryGetable,
};

/// A model read by column position; `.0` is the model.
pub struct Positional<M>(pub M);

/// Every row of `select`, read by position.
pub async fn all<E>(select: Select<E>, db: &impl ConnectionTrait) -> Result<Vec<E::Model>, DbErr>
where
    E: EntityTrait,
    Positional<E::Model>: FromQueryResult,
{
    let rows = select.into_model::<Positional<E::Model>>().all(db).await?;
    Ok(rows.into_iter().map(|row| row.0).collect())
}

/// The first row of `select`, read by position.
pub async fn one<E>(select: Select<E>, db: &impl ConnectionTrait) -> Result<Option<E::Model>, DbErr>
where
    E: EntityTrait,
    Positional<E::Model>: FromQueryResult,
{
    let row = select.into_model::<Positional<E::Model>>().one(db).await?;
    Ok(row.map(|row| row.0))
}

/// Column `index` of the row as `T` (an `Option` where it may be NULL).
pub(crate) fn read<T>(row: &QueryResult, index: usize) -> Result<T, DbErr>
where
    T: TryGetable
        + sqlx::Type<Postgres>
        + for<'r> sqlx::Decode<'r, Postgres>
        + sqlx::Type<Sqlite>
        + for<'r> sqlx::Decode<'r, Sqlite>,
{
    let decoded = if let Some(pg) = row.try_as_pg_row() {
        pg.try_get::<T, usize>(index)
    } else if let Some(sqlite) = row.try_as_sqlite_row() {
        sqlite.try_get::<T, usize>(index)
    } else {
        return row.try_get_by_index(index);
    };
    decoded.map_err(|e| DbErr::Type(format!("column {index}: {e}")))
}

macro_rules! positional {
    ($module:ident { $($field:ident),+ $(,)? }) => {
        impl FromQueryResult for Positional<entity::$module::Model> {
            fn from_query_result(row: &QueryResult, _prefix: &str) -> Result<Self, DbErr> {
                let mut column = 0usize;
                let mut next = || {
                    column += 1;
                    column - 1
                };
                // Fields are initialised in the order written, so `next`
                // walks the columns left to right.
                Ok(Positional(entity::$module::Model {
                    $($field: read(row, next())?),+
                }))
            }
        }

        #[cfg(test)]
        mod $module {
            use sea_orm::{Iterable, IdenStatic};

            #[test]
            fn fields_are_listed_in_the_order_the_columns_are_selected() {
                let selected: Vec<&str> = entity::$module::Column::iter()
                    .map(|c| c.as_str())
                    .collect();
                assert_eq!(selected, [$(stringify!($field)),+]);
            }
        }
    };
}

positional!(case {
    id,
    reference,
    stage,
    paused_from,
    pause_reason,
    policy_version,
    version,
    opened_at,
    updated_at,
    closed_at,
    channel,
    categories,
    incident_date,
    description,
    anonymous,
    historic,
    names_withheld,
    received_by,
    forwarded_by,
    recorded_by,
    police_case_ongoing,
    report_submitted_at,
    report_submitted_by,
    report_statement,
    report_desired_outcome,
    respondent_may_be_informed,
    cfc_referred_at,
    cfc_urgent_reason,
    legal_hold_at,
    legal_hold_reason,
    legal_hold_by,
    follow_up_decided_at,
    follow_up_act_further,
    follow_up_reasons,
    follow_up_decided_by,
});

positional!(party {
    id,
    case_id,
    person_id,
    role,
    described_as,
    identity_withheld,
    informed_at,
    case_worker_offered_at,
    preferred_channel,
    friday_contact_agreed,
    added_at,
    employment,
    staff_procedure_at,
    staff_procedure_referred_to,
    measure_notified_at,
});

positional!(person {
    id,
    subject,
    kind,
    display_name,
    email,
    phone,
    sis_number,
    enrolment_status,
    leaving_date,
    programme,
    created_at,
    updated_at,
    disabled_at,
    disabled_reason,
});

positional!(case_staff {
    id,
    case_id,
    person_id,
    role,
    party_id,
    assigned_by,
    assigned_at,
    ended_at,
});
