//! The example operations in README.md and docs/ are named (code generators
//! refuse anonymous operations side by side) and valid against the running
//! schema — the one `schema.graphql` is checked to match (issue 13 item 8).

use serde_json::json;

use crate::common::{Backend, TestApp};
use crate::db_test;
use crate::scenario::*;

/// Every ```graphql block of the project's documentation, with where it is.
fn examples() -> Vec<(String, String)> {
    let root = env!("CARGO_MANIFEST_DIR");
    let mut files = vec![format!("{root}/README.md")];
    let mut docs: Vec<String> = std::fs::read_dir(format!("{root}/docs"))
        .expect("docs")
        .filter_map(|e| e.ok().map(|e| e.path().display().to_string()))
        .filter(|p| p.ends_with(".md"))
        .collect();
    docs.sort();
    files.extend(docs);
    let mut found = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("read");
        for block in text.split("```graphql\n").skip(1) {
            let body = block.split("```").next().unwrap_or("").to_string();
            found.push((file.rsplit('/').next().unwrap_or("").to_string(), body));
        }
    }
    found
}

async fn documented_operations_are_named_and_valid(backend: Backend) {
    let app = TestApp::start(backend).await;
    Cast::seed(&app).await;
    let examples = examples();
    assert!(
        examples.len() >= 4,
        "the examples were found: {}",
        examples.len()
    );
    for (file, operation) in examples {
        let head = operation.trim_start();
        let named = ["query ", "mutation ", "subscription "].iter().any(|k| {
            head.strip_prefix(k).is_some_and(|rest| {
                rest.trim_start()
                    .starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            })
        });
        assert!(
            named,
            "{file}: an example operation has no name:\n{operation}"
        );
        // Run as an administrator: refusals are fine, an invalid document is not.
        let body = app.gql(Some("ada"), &operation, json!({})).await;
        for error in body["errors"].as_array().into_iter().flatten() {
            let code = error["extensions"]["code"].as_str().unwrap_or("");
            assert!(
                !matches!(
                    code,
                    "GRAPHQL_PARSE_FAILED" | "GRAPHQL_VALIDATION_FAILED" | "QUERY_TOO_DEEP"
                ),
                "{file}: the example does not match the schema: {error}\n{operation}"
            );
        }
    }
    app.stop().await;
}
db_test!(documented_operations_are_named_and_valid);
