//! The repeat-respondent signal (issue 12 item 6): the conduct team and the
//! decision maker see that a responding party is responding in other cases —
//! the count always, the references only of cases they may open; parties and
//! their case workers never see it.

use misconduct_api::domain::kinds::{PersonKind, StaffRole};
use serde_json::{Value, json};

use crate::common::{Backend, TestApp};
use crate::db_test;
use crate::scenario::*;

const STAFF: &str = r#"query($c: UUID!) { case(id: $c) { parties { role otherCasesAsRespondent { count visibleReferences } } } }"#;
const PARTY: &str = r#"query($c: UUID!) { myCase(id: $c) { me { otherCasesAsRespondent { count } } otherParties { role otherCasesAsRespondent { count } } } }"#;

fn respondent_history(data: &Value) -> Value {
    data["case"]["parties"]
        .as_array()
        .expect("parties")
        .iter()
        .find(|p| p["role"] == "RESPONDING")
        .map(|p| p["otherCasesAsRespondent"].clone())
        .unwrap_or(Value::Null)
}

async fn a_pattern_is_shown_to_those_who_decide_and_to_no_party(backend: Backend) {
    let app = TestApp::start(backend).await;
    Cast::seed(&app).await;
    app.person("dora", PersonKind::Staff, &[StaffRole::DecisionMaker])
        .await;
    let first = reported_case(&app).await;
    let second = reported_case(&app).await;
    let second_reference = app
        .ok(
            "olivia",
            "query($c: UUID!) { case(id: $c) { reference } }",
            json!({ "c": second.id }),
        )
        .await["case"]["reference"]
        .clone();
    assign_staff(&app, &first.id, "dora", "DECISION_MAKER").await;

    // The conduct officer may open both cases: the count and the reference.
    let olivia = app.ok("olivia", STAFF, json!({ "c": first.id })).await;
    assert_eq!(
        respondent_history(&olivia),
        json!({ "count": 1, "visibleReferences": [second_reference] }),
        "{olivia}"
    );
    // The decision maker of the first case only: the count, no reference.
    let dora = app.ok("dora", STAFF, json!({ "c": first.id })).await;
    assert_eq!(
        respondent_history(&dora),
        json!({ "count": 1, "visibleReferences": [] }),
        "{dora}"
    );
    // Ben's case worker sees the case, not the pattern.
    let colin = app.ok("colin", STAFF, json!({ "c": first.id })).await;
    assert_eq!(respondent_history(&colin), Value::Null, "{colin}");
    // Neither party.
    for (who, case) in [("alice", &first), ("ben", &first)] {
        let body = app.ok(who, PARTY, json!({ "c": case.id })).await;
        assert!(
            !body.to_string().contains("\"count\":1"),
            "{who} sees no pattern: {body}"
        );
        assert_eq!(body["myCase"]["me"]["otherCasesAsRespondent"], Value::Null);
    }
    app.stop().await;
}
db_test!(a_pattern_is_shown_to_those_who_decide_and_to_no_party);
