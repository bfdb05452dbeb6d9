//! A person's part in one case: reporting, responding or witness.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Deserialize)]
#[sea_orm(table_name = "party")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub case_id: Uuid,
    pub person_id: Option<Uuid>,
    pub role: String,
    pub described_as: Option<String>,
    pub identity_withheld: bool,
    pub informed_at: Option<DateTimeUtc>,
    pub case_worker_offered_at: Option<DateTimeUtc>,
    pub preferred_channel: Option<String>,
    /// R-TIME-2: the party agreed to be written to on a Friday.
    pub friday_contact_agreed: bool,
    pub added_at: DateTimeUtc,
    /// R-DISC-6: `STAFF` or `CONTRACTOR` for a responding party routed to
    /// the staff procedure.
    pub employment: Option<String>,
    pub staff_procedure_at: Option<DateTimeUtc>,
    pub staff_procedure_referred_to: Option<String>,
    /// A responding party told of a precautionary measure binding them
    /// before being told of the report (R-MEA-5): when.
    pub measure_notified_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
