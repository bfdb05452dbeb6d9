//! BI statistics (R-MON-1): anonymised counts that match the data, small cells
//! suppressed and not recoverable from totals; only for BI analysts.

use serde_json::{Value, json};

use crate::common::{Backend, TestApp};
use crate::db_test;
use crate::scenario::*;

const STATS: &str = r#"query($from: NaiveDate!, $to: NaiveDate!) { statistics(from: $from, to: $to) { total suppressionThreshold
  byCategory { key count suppressed } byStage { key count suppressed } byOutcome { key count suppressed } byMonth { key count suppressed }
  timeToOutcome { cases medianDays } } }"#;

fn cell(stats: &Value, table: &str, key: &str) -> Value {
    stats["statistics"][table]
        .as_array()
        .expect("table")
        .iter()
        .find(|c| c["key"] == key)
        .cloned()
        .unwrap_or(Value::Null)
}

async fn counts_match_the_data_and_small_cells_stay_hidden(backend: Backend) {
    let app = TestApp::start(backend).await;
    Cast::seed(&app).await;
    for i in 0..7 {
        app.ok("alice", RECORD, json!({ "input": { "categories": ["HARASSMENT"], "description": format!("MK-STAT-{i}") } })).await;
    }
    for _ in 0..2 {
        app.ok(
            "alice",
            RECORD,
            json!({ "input": { "categories": ["STALKING", "HARASSMENT"], "description": "x" } }),
        )
        .await;
    }
    app.ok("walter", RECORD, json!({ "input": { "categories": ["BULLYING"], "description": "anon", "anonymous": true } })).await;
    let today = app.today().to_string();
    let period = json!({ "from": today, "to": today });

    let stats = app.ok("bea", STATS, period.clone()).await;
    assert_eq!(
        stats["statistics"]["total"], 10,
        "anonymous disclosures count too (R-DISC-2)"
    );
    assert_eq!(cell(&stats, "byCategory", "HARASSMENT")["count"], 9);
    assert_eq!(
        cell(&stats, "byCategory", "STALKING"),
        json!({ "key": "STALKING", "count": null, "suppressed": true })
    );
    assert_eq!(cell(&stats, "byCategory", "BULLYING")["suppressed"], true);
    assert_eq!(cell(&stats, "byCategory", "OTHER")["count"], 0);
    assert_eq!(cell(&stats, "byStage", "DISCLOSURE")["count"], 10);
    assert!(
        !stats.to_string().contains("MK-STAT"),
        "no narrative reaches the analyst"
    );

    // One case withdrawn: 9 + 1 = 10 would reveal the 1, so the 9 is hidden as well.
    let mine = app
        .ok(
            "alice",
            "{ myCases(first: 1) { edges { node { id version } } } }",
            json!({}),
        )
        .await;
    let node = &mine["myCases"]["edges"][0]["node"];
    no_errors(app.gql(Some("alice"), "mutation($c: UUID!, $v: Int!) { withdrawCase(caseId: $c, expectedVersion: $v) { version } }", json!({ "c": node["id"], "v": node["version"] })).await);
    let stats = app.ok("bea", STATS, period.clone()).await;
    assert_eq!(cell(&stats, "byStage", "WITHDRAWN")["suppressed"], true);
    assert_eq!(
        cell(&stats, "byStage", "DISCLOSURE")["suppressed"],
        true,
        "not recoverable by subtraction from the total"
    );
    assert_eq!(cell(&stats, "byOutcome", "WITHDRAWN")["suppressed"], true);
    assert_eq!(cell(&stats, "byOutcome", "IN_PROGRESS")["suppressed"], true);
    assert_eq!(
        stats["statistics"]["timeToOutcome"]["cases"],
        Value::Null,
        "one outcome is too few to show"
    );

    for other in ["olivia", "ada", "alice"] {
        let body = app.gql(Some(other), STATS, period.clone()).await;
        assert_eq!(code(&body).0, "FORBIDDEN", "{other}");
    }
    let body = app
        .gql(
            Some("bea"),
            STATS,
            json!({ "from": today, "to": "2000-01-01" }),
        )
        .await;
    assert_eq!(code(&body).0, "VALIDATION");
    app.stop().await;
}
db_test!(counts_match_the_data_and_small_cells_stay_hidden);

/// A large university's year (issue 16): statistics over more cases than a
/// database driver takes bind parameters (65,535 on PostgreSQL, 32,766 on
/// SQLite) are answered, not refused with INTERNAL, and count cases loaded
/// outside the API once the server has restarted.
async fn statistics_answer_for_a_large_university(backend: Backend) {
    use entity::case;
    use sea_orm::{
        ActiveModelTrait, EntityTrait, IntoActiveModel, Iterable, Set, TransactionTrait,
    };

    const CASES: usize = 70_000;
    let app = TestApp::start(backend).await;
    Cast::seed(&app).await;
    app.ok(
        "alice",
        RECORD,
        json!({ "input": { "categories": ["HARASSMENT"], "description": "template" } }),
    )
    .await;
    let template = case::Entity::find()
        .one(&app.db)
        .await
        .expect("read")
        .expect("the case");
    let tx = app.db.begin().await.expect("begin");
    // Each batch stays under SQLite's 32,766 bind parameters, whatever the
    // number of columns a case has.
    let per_batch = 30_000 / case::Column::iter().count();
    let mut rows = Vec::with_capacity(per_batch);
    for i in 0..CASES {
        let mut row = template.clone().into_active_model();
        row.id = Set(uuid::Uuid::new_v4());
        row.reference = Set(format!("MC-BULK-{i:06}"));
        rows.push(row.reset_all());
        if rows.len() == per_batch {
            case::Entity::insert_many(std::mem::take(&mut rows))
                .exec(&tx)
                .await
                .expect("insert");
        }
    }
    if !rows.is_empty() {
        case::Entity::insert_many(rows)
            .exec(&tx)
            .await
            .expect("insert");
    }
    tx.commit().await.expect("commit");
    // Cases loaded with SQL are counted once the server restarts: start-up
    // rebuilds the statistics tally when it does not count every case.
    let mut app = app;
    app.restart().await;
    let today = app.today().to_string();
    let stats = app
        .ok("bea", STATS, json!({ "from": today, "to": today }))
        .await;
    assert_eq!(stats["statistics"]["total"], CASES + 1);
    assert_eq!(cell(&stats, "byCategory", "HARASSMENT")["count"], CASES + 1);
    assert_eq!(cell(&stats, "byStage", "DISCLOSURE")["count"], CASES + 1);
    assert_eq!(cell(&stats, "byOutcome", "IN_PROGRESS")["count"], CASES + 1);
    app.stop().await;
}
db_test!(statistics_answer_for_a_large_university);
