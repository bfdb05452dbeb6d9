//! Letters after the fact: the updates owed to the parties while a case is
//! paused (R-INV-9), and a letter corrected by a new one that names it.

use super::*;

const UPDATE: &str = "mutation($c: UUID!, $p: UUID!, $m: String!) { sendProgressUpdate(caseId: $c, partyId: $p, message: $m) { id kind rule partyId datedOn text } }";
const CORRECT: &str = "mutation($l: UUID!, $t: String!) { correctLetter(letterId: $l, text: $t) { id kind rule partyId datedOn text replacesId deliveredOn route } }";

/// The open deadlines of `kind` on a case, as the conduct team sees them.
async fn staff_deadlines(app: &TestApp, id: &str, kind: &str) -> Vec<String> {
    let body = app
        .ok(
            "olivia",
            "query($id: UUID!) { case(id: $id) { deadlines { kind dueOn } } }",
            json!({ "id": id }),
        )
        .await;
    body["case"]["deadlines"]
        .as_array()
        .expect("deadlines")
        .iter()
        .filter(|d| d["kind"] == kind)
        .map(|d| d["dueOn"].as_str().expect("due").to_string())
        .collect()
}

/// R-INV-9: while a case is paused each party is owed an update every
/// `progress_update_while_paused` working days; writing one meets it and sets
/// the next; resuming ends it. An update reaches its party only.
async fn a_paused_case_owes_each_party_regular_updates(backend: Backend) {
    let app = TestApp::start(backend).await;
    on_monday_6_september_2027(&app);
    let mut p = triaged(&app, "MEDIUM").await;
    let id = p.case.id.clone();
    let calendar = app.config.policy.calendar();
    let every = app.config.policy.deadlines.progress_update_while_paused;
    assert!(
        staff_deadlines(&app, &id, "PROGRESS_UPDATE")
            .await
            .is_empty()
    );

    data(
        app.gql(
            Some("olivia"),
            PAUSE,
            json!({ "c": id, "v": p.case.version }),
        )
        .await,
    );
    let first_due = calendar.add_working_days(app.today(), every);
    assert_eq!(
        staff_deadlines(&app, &id, "PROGRESS_UPDATE").await,
        vec![first_due.to_string(), first_due.to_string()],
        "one update owed to each party"
    );
    assert_eq!(
        deadline(&app, "alice", &id, "PROGRESS_UPDATE").await,
        first_due
    );
    assert_eq!(
        deadline(&app, "ben", &id, "PROGRESS_UPDATE").await,
        first_due
    );
    let paused = one(&party_letters(&app, "alice", &id).await, "CASE_PAUSED").clone();
    assert!(text(&paused).contains(&long(first_due)), "{paused}");

    // A week on, Alice's case worker writes to her; she may not write to Ben.
    app.days_pass(7);
    let message = "MK-UPDATE The police have told us their enquiry continues.";
    let sent = data(
        app.gql(
            Some("cara"),
            UPDATE,
            json!({ "c": id, "p": p.case.reporter, "m": message }),
        )
        .await,
    );
    let sent = &sent["sendProgressUpdate"];
    assert_eq!(sent["kind"], "PROGRESS_UPDATE");
    assert_eq!(sent["rule"], "R-INV-9");
    let next_due = calendar.add_working_days(app.today(), every);
    assert!(text(sent).contains(message), "{sent}");
    assert!(text(sent).contains(&long(next_due)), "{sent}");
    let body = app
        .gql(
            Some("cara"),
            UPDATE,
            json!({ "c": id, "p": p.case.respondent, "m": "x" }),
        )
        .await;
    assert_eq!(code(&body).0, "FORBIDDEN", "the other side's party: {body}");
    let body = app
        .gql(
            Some("olivia"),
            UPDATE,
            json!({ "c": id, "p": p.witness, "m": "x" }),
        )
        .await;
    assert_eq!(code(&body).0, "VALIDATION", "a witness: {body}");
    let body = app
        .gql(
            Some("olivia"),
            UPDATE,
            json!({ "c": id, "p": p.case.reporter, "m": "  " }),
        )
        .await;
    assert_eq!(code(&body).0, "VALIDATION", "no message: {body}");
    let body = app
        .gql(
            Some("ben"),
            UPDATE,
            json!({ "c": id, "p": p.case.reporter, "m": "x" }),
        )
        .await;
    assert_eq!(code(&body).0, "FORBIDDEN", "a party: {body}");

    // Alice's next update is due from today; Ben's is still the first.
    assert_eq!(
        deadline(&app, "alice", &id, "PROGRESS_UPDATE").await,
        next_due
    );
    assert_eq!(
        deadline(&app, "ben", &id, "PROGRESS_UPDATE").await,
        first_due
    );
    let alice = party_letters(&app, "alice", &id).await;
    assert!(text(one(&alice, "PROGRESS_UPDATE")).contains(message));
    assert!(!kinds(&party_letters(&app, "ben", &id).await).contains(&"PROGRESS_UPDATE"));
    assert!(
        !kinds(&staff_letters(&app, "colin", &id).await).contains(&"PROGRESS_UPDATE"),
        "Ben's case worker does not read Alice's letters"
    );
    assert!(letter_emails(&app, "alice").await >= 2, "pause and update");

    // Resuming ends the updates owed; an update after it owes nothing more.
    p.case.refresh(&app).await;
    data(
        app.gql(
            Some("olivia"),
            RESUME,
            json!({ "c": id, "v": p.case.version }),
        )
        .await,
    );
    assert!(
        staff_deadlines(&app, &id, "PROGRESS_UPDATE")
            .await
            .is_empty()
    );
    let later = data(
        app.gql(
            Some("olivia"),
            UPDATE,
            json!({ "c": id, "p": p.case.respondent, "m": "The investigation has resumed." }),
        )
        .await,
    );
    assert!(
        !text(&later["sendProgressUpdate"]).contains("remains paused"),
        "{later}"
    );
    assert!(
        staff_deadlines(&app, &id, "PROGRESS_UPDATE")
            .await
            .is_empty()
    );
    app.stop().await;
}
db_test!(a_paused_case_owes_each_party_regular_updates);

/// Issue 9 §1: a letter is never edited. A correction is a new letter of the
/// same kind to the same person that names the one it replaces; the appeal
/// window runs from the corrected outcome letter; a letter replaced before it
/// was handed over is not handed over any more.
async fn a_letter_is_corrected_by_a_new_letter_that_names_it(backend: Backend) {
    let app = TestApp::start(backend).await;
    on_monday_6_september_2027(&app);
    let mut p = triaged(&app, "MEDIUM").await;
    let id = p.case.id.clone();
    let first_end = super::super::time_rules::fined(&app, &mut p).await;
    let outcome = one(&party_letters(&app, "ben", &id).await, "OUTCOME").clone();

    app.days_pass(3);
    let corrected_text = "MK-CORRECTED The fine is £100.00, payable within 28 days.";
    let refused = [
        ("colin", "FORBIDDEN"),
        ("ben", "FORBIDDEN"),
        ("alice", "NOT_FOUND"),
    ];
    for (who, expected) in refused {
        let body = app
            .gql(
                Some(who),
                CORRECT,
                json!({ "l": outcome["id"], "t": corrected_text }),
            )
            .await;
        assert_eq!(code(&body).0, expected, "{who}: {body}");
    }
    let body = app
        .gql(
            Some("olivia"),
            CORRECT,
            json!({ "l": outcome["id"], "t": "" }),
        )
        .await;
    assert_eq!(code(&body).0, "VALIDATION", "{body}");
    let fixed = data(
        app.gql(
            Some("olivia"),
            CORRECT,
            json!({ "l": outcome["id"], "t": corrected_text }),
        )
        .await,
    );
    let fixed = &fixed["correctLetter"];
    assert_eq!(fixed["kind"], "OUTCOME");
    assert_eq!(fixed["rule"], "R-OUT-1");
    assert_eq!(fixed["replacesId"], outcome["id"]);
    assert_eq!(fixed["partyId"], p.case.respondent.as_str());
    assert_eq!(fixed["datedOn"], app.today().to_string());
    assert!(text(fixed).starts_with("This letter corrects our letter of"));
    assert!(text(fixed).contains(corrected_text), "{fixed}");
    let body = app
        .gql(
            Some("olivia"),
            CORRECT,
            json!({ "l": outcome["id"], "t": corrected_text }),
        )
        .await;
    assert_eq!(code(&body).0, "CONFLICT", "already replaced: {body}");

    // Ben keeps both letters; the window runs from the correction.
    let ben = party_letters(&app, "ben", &id).await;
    let outcomes: Vec<&Value> = ben.iter().filter(|l| l["kind"] == "OUTCOME").collect();
    assert_eq!(outcomes.len(), 2, "{ben:#?}");
    let window = app
        .config
        .policy
        .calendar()
        .add_working_days(app.today(), 10);
    assert!(window > first_end);
    assert_eq!(deadline(&app, "ben", &id, "APPEAL_WINDOW").await, window);
    assert!(letter_emails(&app, "ben").await >= 2);

    // Alice's letters are handed over by Cara; one replaced before it was
    // handed over leaves Cara the correction to deliver, not both.
    no_errors(
        app.gql(
            Some("cara"),
            CHANNEL,
            json!({ "c": id, "p": p.case.reporter, "ch": "VIA_CASE_WORKER" }),
        )
        .await,
    );
    let update = data(
        app.gql(
            Some("olivia"),
            UPDATE,
            json!({ "c": id, "p": p.case.reporter, "m": "The decision maker has reached a decision." }),
        )
        .await,
    );
    let wrong = update["sendProgressUpdate"]["id"].clone();
    let fixed = data(
        app.gql(
            Some("olivia"),
            CORRECT,
            json!({ "l": wrong, "t": "The decision will be shared with you when the appeal period has ended." }),
        )
        .await,
    );
    let tasks = app
        .ok(
            "cara",
            "{ deadlines(first: 100) { nodes { kind } } }",
            json!({}),
        )
        .await;
    let handovers = tasks["deadlines"]["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .filter(|d| d["kind"] == "LETTER_DELIVERY")
        .count();
    assert_eq!(handovers, 1, "only the correction to hand over: {tasks}");
    let body = app
        .gql(Some("cara"), DELIVERED, json!({ "l": wrong }))
        .await;
    assert_eq!(code(&body).0, "CONFLICT", "{body}");
    data(
        app.gql(
            Some("cara"),
            DELIVERED,
            json!({ "l": fixed["correctLetter"]["id"] }),
        )
        .await,
    );
    let alice = party_letters(&app, "alice", &id).await;
    assert_eq!(
        one(&alice, "PROGRESS_UPDATE")["id"],
        fixed["correctLetter"]["id"],
        "Alice reads the correction, never the letter it replaced"
    );
    app.stop().await;
}
db_test!(a_letter_is_corrected_by_a_new_letter_that_names_it);
