//! The standard tools, unmodified, against the running development server
//! (issue 13): graphql-inspector introspects it, and what it reads is the
//! committed `schema.graphql`, change for change.

use std::path::PathBuf;

use crate::common::{Backend, TestApp};
use crate::db_test;

fn inspector() -> PathBuf {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/tools/node_modules/.bin/graphql-inspector");
    assert!(
        path.exists(),
        "{} is missing: run scripts/test, which installs tests/tools with npm",
        path.display()
    );
    path
}

async fn graphql_inspector_introspects_the_development_server(backend: Backend) {
    let app = TestApp::start(backend).await;
    let out = std::env::temp_dir().join(format!("introspected-{}.graphql", uuid::Uuid::new_v4()));
    let introspect = tokio::process::Command::new(inspector())
        .arg("introspect")
        .arg(format!("{}/graphql", app.base))
        .arg("--write")
        .arg(&out)
        .output()
        .await
        .expect("run graphql-inspector");
    assert!(
        introspect.status.success(),
        "introspect: {}{}",
        String::from_utf8_lossy(&introspect.stdout),
        String::from_utf8_lossy(&introspect.stderr)
    );
    let committed = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("schema.graphql");
    let diff = tokio::process::Command::new(inspector())
        .arg("diff")
        .arg(&committed)
        .arg(&out)
        .output()
        .await
        .expect("run graphql-inspector diff");
    let said = String::from_utf8_lossy(&diff.stdout).to_string();
    assert!(
        diff.status.success() && said.contains("No changes detected"),
        "the served schema is the committed one: {said}{}",
        String::from_utf8_lossy(&diff.stderr)
    );
    std::fs::remove_file(&out).expect("remove");
    app.stop().await;
}
db_test!(graphql_inspector_introspects_the_development_server);
