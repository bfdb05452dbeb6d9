//! The communications agreed with each party (R-SUP-7, issue 17 item 5):
//! content, frequency and sender; the next update a deadline in the case
//! worker's list, met by an update to the party; and 002's initial meeting
//! whose note the party confirms.

use serde_json::{Value, json};

use crate::common::{Backend, TestApp};
use crate::db_test;
use crate::scenario::*;

const AGREE: &str = r#"mutation($input: CommunicationPlanInput!) { agreeCommunicationPlan(input: $input) { version } }"#;
const MEETING: &str = r#"mutation($c: UUID!, $p: UUID!, $n: String!) { recordInitialMeeting(caseId: $c, partyId: $p, note: $n) { version } }"#;
const CONFIRM: &str = r#"mutation($c: UUID!, $p: UUID!) { confirmInitialMeetingNote(caseId: $c, partyId: $p) { version } }"#;
const UPDATE: &str = r#"mutation($c: UUID!, $p: UUID!) { sendProgressUpdate(caseId: $c, partyId: $p, message: "The investigation has begun.") { id } }"#;
const PLAN: &str = "communicationPlan { content everyWorkingDays sender nextUpdateDue initialMeetingNote initialMeetingNoteConfirmedAt }";

/// The plan of `party` as `who` sees it on the staff view, and the case's
/// plan-update deadlines they see.
async fn staff_sees(app: &TestApp, who: &str, id: &str, party: &str) -> (Value, Vec<String>) {
    let body = app
        .ok(
            who,
            &format!("query($id: UUID!) {{ case(id: $id) {{ parties {{ id {PLAN} }} deadlines {{ kind dueOn }} }} }}"),
            json!({ "id": id }),
        )
        .await;
    let plan = body["case"]["parties"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|p| p["id"] == party)
        .map(|p| p["communicationPlan"].clone())
        .unwrap_or(Value::Null);
    let due = body["case"]["deadlines"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|d| d["kind"] == "COMMUNICATION_PLAN_UPDATE")
        .map(|d| d["dueOn"].as_str().unwrap_or_default().to_string())
        .collect();
    (plan, due)
}

async fn her_plan(app: &TestApp, id: &str) -> Value {
    app.ok(
        "alice",
        &format!("query($id: UUID!) {{ myCase(id: $id) {{ me {{ {PLAN} }} }} }}"),
        json!({ "id": id }),
    )
    .await["myCase"]["me"]["communicationPlan"]
        .clone()
}

/// Olivia agrees with Alice to write every ten working days; the update is a
/// deadline for Cara and Olivia, not for Ben's side; an update to Alice meets
/// it and sets the next. The initial meeting's note waits for Alice's
/// confirmation, once.
async fn a_party_is_kept_informed_on_the_plan_agreed_with_them(backend: Backend) {
    let app = TestApp::start(backend).await;
    let case = {
        Cast::seed(&app).await;
        reported_case(&app).await
    };
    let id = case.id.as_str();
    let calendar = app.config.policy.calendar();
    no_errors(
        app.gql(
            Some("olivia"),
            AGREE,
            json!({ "input": { "caseId": id, "partyId": case.reporter,
                "content": "Each stage of the case, and any measure affecting her",
                "everyWorkingDays": 10, "sender": "Case officer" } }),
        )
        .await,
    );
    let due = calendar.add_working_days(app.today(), 10).to_string();
    let (plan, deadlines) = staff_sees(&app, "cara", id, &case.reporter).await;
    assert_eq!(plan["everyWorkingDays"], 10);
    assert_eq!(plan["sender"], "Case officer");
    assert_eq!(plan["nextUpdateDue"], due);
    assert_eq!(deadlines, vec![due.clone()], "in her case worker's list");
    assert_eq!(
        staff_sees(&app, "olivia", id, &case.reporter).await.1,
        vec![due]
    );
    let (colin_plan, colin_deadlines) = staff_sees(&app, "colin", id, &case.reporter).await;
    assert!(
        colin_plan.is_null() && colin_deadlines.is_empty(),
        "not the other side's"
    );

    app.days_pass(3);
    no_errors(
        app.gql(
            Some("olivia"),
            UPDATE,
            json!({ "c": id, "p": case.reporter }),
        )
        .await,
    );
    let next = calendar.add_working_days(app.today(), 10).to_string();
    let (plan, deadlines) = staff_sees(&app, "cara", id, &case.reporter).await;
    assert_eq!(plan["nextUpdateDue"], next);
    assert_eq!(deadlines, vec![next], "the update met the one owed");

    no_errors(
        app.gql(
            Some("olivia"),
            MEETING,
            json!({ "c": id, "p": case.reporter, "n": "MK-MEETING-NOTE" }),
        )
        .await,
    );
    let hers = her_plan(&app, id).await;
    assert_eq!(hers["initialMeetingNote"], "MK-MEETING-NOTE");
    assert!(hers["initialMeetingNoteConfirmedAt"].is_null());
    let ben = app
        .gql(Some("ben"), CONFIRM, json!({ "c": id, "p": case.reporter }))
        .await;
    assert_eq!(code(&ben).0, "FORBIDDEN", "{ben}");
    no_errors(
        app.gql(
            Some("alice"),
            CONFIRM,
            json!({ "c": id, "p": case.reporter }),
        )
        .await,
    );
    assert!(her_plan(&app, id).await["initialMeetingNoteConfirmedAt"].is_string());
    let again = app
        .gql(
            Some("alice"),
            CONFIRM,
            json!({ "c": id, "p": case.reporter }),
        )
        .await;
    assert_eq!(
        code(&again),
        ("RULE_VIOLATION".into(), Some("R-SUP-7".into()))
    );
    let ben_view = app
        .ok("ben", &party_case_query(), json!({ "id": id }))
        .await;
    assert!(
        !ben_view.to_string().contains("MK-MEETING-NOTE"),
        "Ben never sees Alice's note: {ben_view}"
    );
    app.stop().await;
}
db_test!(a_party_is_kept_informed_on_the_plan_agreed_with_them);

/// Only the case officer or the party's case worker agrees a plan; the
/// interval is bounded; a meeting is recorded on an agreed plan.
async fn a_plan_is_agreed_by_those_who_keep_it(backend: Backend) {
    let app = TestApp::start(backend).await;
    Cast::seed(&app).await;
    let case = reported_case(&app).await;
    let plan = |every: u32| {
        json!({ "input": { "caseId": case.id, "partyId": case.respondent,
            "content": "c", "everyWorkingDays": every, "sender": "s" } })
    };
    for (who, expected) in [
        ("ben", "FORBIDDEN"),
        ("cara", "FORBIDDEN"),
        ("walter", "NOT_FOUND"),
    ] {
        let body = app.gql(Some(who), AGREE, plan(10)).await;
        assert_eq!(code(&body).0, expected, "{who}: {body}");
    }
    let body = app.gql(Some("colin"), AGREE, plan(0)).await;
    assert_eq!(body["errors"][0]["extensions"]["field"], "everyWorkingDays");
    let body = app
        .gql(
            Some("colin"),
            MEETING,
            json!({ "c": case.id, "p": case.respondent, "n": "n" }),
        )
        .await;
    assert_eq!(
        code(&body),
        ("RULE_VIOLATION".into(), Some("R-SUP-7".into()))
    );
    no_errors(app.gql(Some("colin"), AGREE, plan(15)).await);
    app.stop().await;
}
db_test!(a_plan_is_agreed_by_those_who_keep_it);
