//! The decider's two forms agree: for every viewer, case and link, the SQL
//! condition that scopes lists selects a case exactly when the Rust relation
//! of a single look-up says the link holds.

use entity::case;
use misconduct_api::auth::Authenticator;
use misconduct_api::domain::access::{self, Link};
use misconduct_api::domain::case_store;
use misconduct_api::domain::kinds::{PersonKind, StaffRole};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;

use crate::common::{Backend, TestApp};
use crate::db_test;
use crate::scenario::*;

async fn each_link_selects_in_sql_exactly_what_it_allows_in_rust(backend: Backend) {
    let app = TestApp::start(backend).await;
    Cast::seed(&app).await;
    app.person("chris", PersonKind::Staff, &[StaffRole::CfcMember])
        .await;
    app.person("dan", PersonKind::Staff, &[StaffRole::DecisionMaker])
        .await;
    app.person("ivy", PersonKind::Staff, &[StaffRole::CaseWorker])
        .await;
    // A reported case with an investigator, an unallocated disclosure, and an
    // anonymous one.
    let reported = reported_case(&app).await;
    let ian = person_id(&app, "ian").await;
    let assigned = app
        .ok(
            "olivia",
            "mutation($c: UUID!, $p: UUID!) { assignStaff(caseId: $c, personId: $p, role: INVESTIGATOR) { version } }",
            json!({ "c": reported.id, "p": ian }),
        )
        .await;
    // Referred to the CfC group early, so that its link holds somewhere.
    app.ok(
        "olivia",
        "mutation($c: UUID!, $v: Int!) { referToCauseForConcern(caseId: $c, expectedVersion: $v, urgentReason: \"Threats\") { version } }",
        json!({ "c": reported.id, "v": assigned["assignStaff"]["version"] }),
    )
    .await;
    let waiting = disclose(&app, "waiting").await;
    // Ben, not yet told of the waiting disclosure, was told of a measure
    // binding him (R-MEA-5; the flow has its own test in measures::before_report).
    entity::party::Entity::update_many()
        .col_expr(
            entity::party::Column::MeasureNotifiedAt,
            sea_orm::sea_query::Expr::value(Some(chrono::Utc::now())),
        )
        .filter(
            entity::party::Column::Id.eq(waiting.respondent.parse::<uuid::Uuid>().expect("uuid")),
        )
        .exec(&app.db)
        .await
        .expect("told of a measure");
    let anonymous = app
        .ok(
            "walter",
            RECORD,
            json!({ "input": { "categories": ["OTHER"], "description": "a", "anonymous": true } }),
        )
        .await["recordDisclosure"]["caseId"]
        .as_str()
        .expect("id")
        .to_string();

    let auth = Authenticator::new(app.config.auth.clone(), app.clock.clone())
        .await
        .expect("authenticator");
    let mut holds_somewhere = Vec::new();
    for subject in [
        "alice", "ben", "walter", "cara", "colin", "olivia", "ian", "chris", "dan", "ivy", "ada",
        "bea", "sis", "pat",
    ] {
        let viewer = auth
            .viewer(&app.db, &app.token(subject), None)
            .await
            .expect("viewer");
        for case_id in [&reported.id, &waiting.id, &anonymous] {
            let id: uuid::Uuid = case_id.parse().expect("uuid");
            let bundle = case_store::load(&app.db, id)
                .await
                .expect("load")
                .expect("case");
            let rel = access::relation(&viewer, &bundle.case, &bundle.parties, &bundle.staff);
            for link in Link::ALL {
                let in_sql = case::Entity::find()
                    .filter(case::Column::Id.eq(id))
                    .filter(access::scope::scope(&viewer, &[*link]))
                    .one(&app.db)
                    .await
                    .expect("query")
                    .is_some();
                assert_eq!(
                    in_sql,
                    rel.has(*link),
                    "{subject} on {case_id}: {link:?} in SQL and in Rust disagree"
                );
                if in_sql {
                    holds_somewhere.push(*link);
                }
            }
        }
    }
    // Every link was exercised by at least one viewer.
    for link in Link::ALL {
        assert!(holds_somewhere.contains(link), "{link:?} never held");
    }
    app.stop().await;
}
db_test!(each_link_selects_in_sql_exactly_what_it_allows_in_rust);
