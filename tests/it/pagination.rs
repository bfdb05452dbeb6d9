//! Every growing list reads page by page through one helper: keyset pages of
//! at most 100, opaque cursors, no row skipped or repeated, and cursors that
//! only work on the list that issued them.

use serde_json::{Value, json};

use crate::common::{Backend, TestApp};
use crate::db_test;
use crate::scenario::*;

const FORWARD: &str = r#"mutation($s: UUID!) { recordDisclosure(input: { categories: [HARASSMENT], description: "x", disclosingStudentId: $s, forwarded: true }) { caseId } }"#;
const PAGE: &str = r#"query($first: Int, $after: String) { forwardedDisclosures(first: $first, after: $after) {
  edges { cursor node { reference } } nodes { reference } pageInfo { hasNextPage endCursor } } }"#;

fn references(page: &Value) -> Vec<String> {
    page["forwardedDisclosures"]["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|e| e["node"]["reference"].as_str().expect("ref").to_string())
        .collect()
}

async fn a_list_reads_page_by_page_without_gaps_or_repeats(backend: Backend) {
    let app = TestApp::start(backend).await;
    Cast::seed(&app).await;
    let alice = person_id(&app, "alice").await;
    for _ in 0..5 {
        app.ok("pat", FORWARD, json!({ "s": alice })).await;
    }
    let all = app.ok("pat", PAGE, json!({ "first": 100 })).await;
    let everything = references(&all);
    assert_eq!(everything.len(), 5);
    assert_eq!(
        all["forwardedDisclosures"]["nodes"]
            .as_array()
            .map(Vec::len),
        Some(5),
        "nodes and edges carry the same items"
    );

    let mut seen = Vec::new();
    let mut after: Option<String> = None;
    let mut pages = 0;
    loop {
        let page = app
            .ok("pat", PAGE, json!({ "first": 2, "after": after }))
            .await;
        seen.extend(references(&page));
        pages += 1;
        let info = &page["forwardedDisclosures"]["pageInfo"];
        if info["hasNextPage"] != true {
            break;
        }
        after = info["endCursor"].as_str().map(String::from);
    }
    assert_eq!(pages, 3, "5 items in pages of 2");
    assert_eq!(
        seen, everything,
        "page by page gives the whole list, in order"
    );

    // Bounds and foreign cursors are refused with VALIDATION, naming the argument.
    for first in [0, 101] {
        let body = app.gql(Some("pat"), PAGE, json!({ "first": first })).await;
        assert_eq!(body["errors"][0]["extensions"]["code"], "VALIDATION");
        assert_eq!(body["errors"][0]["extensions"]["field"], "first");
    }
    let body = app
        .gql(Some("pat"), PAGE, json!({ "after": "not-a-cursor" }))
        .await;
    assert_eq!(body["errors"][0]["extensions"]["field"], "after");
    let notifications = app
        .ok(
            "alice",
            "{ myNotifications(first: 1) { pageInfo { endCursor } } myCommunications(first: 1) { pageInfo { endCursor } } }",
            json!({}),
        )
        .await;
    let day_cursor = notifications["myCommunications"]["pageInfo"]["endCursor"].clone();
    assert!(day_cursor.is_string(), "alice has letters: {notifications}");
    let body = app
        .gql(Some("pat"), PAGE, json!({ "after": day_cursor }))
        .await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "VALIDATION",
        "a cursor of another list is refused: {body}"
    );
    app.stop().await;
}
db_test!(a_list_reads_page_by_page_without_gaps_or_repeats);
