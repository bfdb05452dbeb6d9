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

/// Every type (scalars included), field, argument, input field and enum value
/// of the API is described for portal developers, as introspection shows them.
#[tokio::test]
async fn every_type_field_argument_and_enum_value_is_described() {
    const QUERY: &str = r#"{ __schema { types {
        name kind description
        fields { name description args { name description } }
        inputFields { name description }
        enumValues { name description } } } }"#;
    let response = misconduct_api::graphql::unserved().execute(QUERY).await;
    assert!(response.errors.is_empty(), "{:?}", response.errors);
    let data = response.data.into_json().expect("json");
    let described = |v: &serde_json::Value| {
        v["description"]
            .as_str()
            .is_some_and(|d| !d.trim().is_empty())
    };
    let mut missing = Vec::new();
    for ty in data["__schema"]["types"].as_array().expect("types") {
        let name = ty["name"].as_str().unwrap_or("");
        // GraphQL's own scalars are described by the GraphQL specification.
        if name.starts_with("__") || ["String", "Int", "Float", "Boolean", "ID"].contains(&name) {
            continue;
        }
        if !described(ty) {
            missing.push(name.to_string());
        }
        for f in ty["fields"].as_array().into_iter().flatten() {
            let field = format!("{name}.{}", f["name"].as_str().unwrap_or(""));
            if !described(f) {
                missing.push(field.clone());
            }
            for a in f["args"].as_array().into_iter().flatten() {
                if !described(a) {
                    missing.push(format!("{field}({})", a["name"].as_str().unwrap_or("")));
                }
            }
        }
        for list in ["inputFields", "enumValues"] {
            for f in ty[list].as_array().into_iter().flatten() {
                if !described(f) {
                    missing.push(format!("{name}.{}", f["name"].as_str().unwrap_or("")));
                }
            }
        }
    }
    assert!(
        missing.is_empty(),
        "{} items of the schema have no description:\n{}",
        missing.len(),
        missing.join("\n")
    );
}
