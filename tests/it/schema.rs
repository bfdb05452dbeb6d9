//! `schema.graphql` is the committed contract; it must match the code.
//! Regenerate with: cargo run -q -p misconduct-api --bin misconduct-server -- schema > schema.graphql

#[test]
fn committed_schema_matches_the_code() {
    let committed = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/schema.graphql"))
        .expect("schema.graphql is committed");
    let built = misconduct_api::graphql::sdl();
    assert!(
        committed == built,
        "schema.graphql is out of date; regenerate it with:\n  cargo run -q -p misconduct-api --bin misconduct-server -- schema > schema.graphql"
    );
}

#[test]
fn no_mutation_can_change_the_audit_log() {
    let sdl = misconduct_api::graphql::sdl();
    let mutations = sdl
        .split("type MutationRoot")
        .nth(1)
        .and_then(|s| s.split('}').next())
        .expect("mutation root");
    assert!(
        !mutations.to_lowercase().contains("audit"),
        "the audit log is append-only: {mutations}"
    );
}
