//! DOMAIN §3: for a reported case, every viewer kind gets exactly what the
//! matrix allows. Unique marker strings sit in every sensitive field; each
//! viewer asks for everything through every path (lists, single look-ups, the
//! party view) and must never receive a marker they may not see.

use misconduct_api::domain::kinds::{PersonKind, StaffRole};
use serde_json::{Value, json};

use crate::common::{Backend, TestApp};
use crate::db_test;
use crate::scenario::*;

const ALL_MARKERS: &[&str] = &[
    "MK-DESC",
    "MK-STATEMENT",
    "MK-OUTCOME",
    "MK-OPTIONS-R",
    "MK-NOTE-R-PRIVATE",
    "MK-NOTE-R-SHARED",
    "MK-NOTE-B-PRIVATE",
    "MK-NOTE-B-SHARED",
    "MK-SHARE-R",
    "MK-SUPPORTIVE-R",
    "MK-SUPPORTIVE-B",
    "MK-SUPPORTIVE-END-B",
    "MK-ANON-DESC",
    "MK-ANON-MSG",
    "alice@example.ac.uk",
    "ben@example.ac.uk",
    "SIS-alice",
    "SIS-ben",
    "Name of cara",
    "Name of colin",
    "Name of alice",
    "Name of ben",
];

/// What one viewer receives through every path to the case.
async fn everything_seen_by(app: &TestApp, subject: &str, case_id: &str) -> String {
    let lists = app.gql(Some(subject), &everything_query(), json!({})).await;
    let staff = app
        .gql(Some(subject), &staff_case_query(), json!({ "id": case_id }))
        .await;
    let party = app
        .gql(Some(subject), &party_case_query(), json!({ "id": case_id }))
        .await;
    for body in [&lists, &staff, &party] {
        if let Some(errors) = body.get("errors") {
            for e in errors.as_array().into_iter().flatten() {
                assert_eq!(
                    e["extensions"]["code"], "NOT_FOUND",
                    "{subject}: only NOT_FOUND is acceptable here: {e}"
                );
            }
        }
    }
    // Student Support's anonymous inbox: FORBIDDEN to anyone else.
    let inbox = app.gql(Some(subject), ANONYMOUS_INBOX, json!({})).await;
    if let Some(e) = inbox["errors"].get(0) {
        assert_eq!(e["extensions"]["code"], "FORBIDDEN", "{subject}: {e}");
    }
    format!("{lists}{staff}{party}{inbox}")
}

fn check(subject: &str, seen: &str, must_see: &[&str]) {
    for marker in must_see {
        assert!(seen.contains(marker), "{subject} should see {marker}");
    }
    for marker in ALL_MARKERS.iter().filter(|m| !must_see.contains(m)) {
        assert!(
            !seen.contains(marker),
            "{subject} must not see {marker}: {seen}"
        );
    }
}

const ANONYMOUS_INBOX: &str =
    "{ anonymousInbox(first: 100) { nodes { caseId description messages { from body } } } }";

async fn marked_case(app: &TestApp) -> Case {
    Cast::seed(app).await;
    let case = reported_case(app).await;
    // R-DISC-2: an anonymous disclosure and its reporter's message, for
    // Student Support only.
    let anonymous = app
        .ok(
            "alice",
            "mutation($input: RecordDisclosureInput!) { recordDisclosure(input: $input) { anonymousAccessCode } }",
            json!({ "input": { "categories": ["OTHER"], "description": "MK-ANON-DESC", "anonymous": true } }),
        )
        .await;
    no_errors(
        app.gql(
            None,
            "mutation($code: String!) { sendAnonymousMessage(accessCode: $code, body: \"MK-ANON-MSG\") { from } }",
            json!({ "code": anonymous["recordDisclosure"]["anonymousAccessCode"] }),
        )
        .await,
    );
    for (by, party, body, shared) in [
        ("cara", &case.reporter, "MK-NOTE-R-PRIVATE", false),
        ("cara", &case.reporter, "MK-NOTE-R-SHARED", true),
        ("colin", &case.respondent, "MK-NOTE-B-PRIVATE", false),
        ("colin", &case.respondent, "MK-NOTE-B-SHARED", true),
    ] {
        no_errors(
            app.gql(
                Some(by),
                NOTE,
                json!({ "c": case.id, "p": party, "b": body, "s": shared }),
            )
            .await,
        );
    }
    no_errors(
        app.gql(
            Some("alice"),
            CONSENT,
            json!({ "c": case.id, "p": case.reporter, "d": "HALLS", "g": true }),
        )
        .await,
    );
    no_errors(
        app.gql(
            Some("cara"),
            SHARE,
            json!({ "c": case.id, "p": case.reporter, "d": "HALLS", "t": "MK-SHARE-R" }),
        )
        .await,
    );
    // R-SUP-6: help arranged for each side, one of them ended with a reason
    // (which the timeline carries).
    let mut arranged = Vec::new();
    for (by, party, details) in [
        ("cara", &case.reporter, "MK-SUPPORTIVE-R"),
        ("colin", &case.respondent, "MK-SUPPORTIVE-B"),
    ] {
        let body = app
            .ok(
                by,
                ARRANGE_SUPPORT,
                json!({ "input": { "caseId": case.id, "partyId": party,
                    "kind": "PRIORITY_COUNSELLING", "details": details } }),
            )
            .await;
        arranged.push(body);
    }
    let ben_measure = arranged[1]["arrangeSupportiveMeasure"]["case"]["parties"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|p| p["supportiveMeasures"].as_array().into_iter().flatten())
        .find(|m| m["details"] == "MK-SUPPORTIVE-B")
        .map(|m| m["id"].clone())
        .expect("colin sees the measure he arranged");
    app.ok(
        "colin",
        REVIEW_SUPPORT,
        json!({ "input": { "measureId": ben_measure, "expectedVersion": 1,
            "decision": "END", "reason": "MK-SUPPORTIVE-END-B" } }),
    )
    .await;
    case
}

async fn each_viewer_sees_exactly_what_the_matrix_allows(backend: Backend) {
    let app = TestApp::start(backend).await;
    let case = marked_case(&app).await;
    let id = case.id.as_str();

    let alice = everything_seen_by(&app, "alice", id).await;
    check(
        "reporting party",
        &alice,
        &[
            "MK-DESC",
            "MK-STATEMENT",
            "MK-OUTCOME",
            "MK-OPTIONS-R",
            "MK-NOTE-R-SHARED",
            "MK-SHARE-R",
            "MK-SUPPORTIVE-R",
            "alice@example.ac.uk",
            "SIS-alice",
            "Name of cara",
            "Name of alice",
            "Name of ben",
        ],
    );
    assert!(
        alice.contains("Report received"),
        "the reporting party sees the limited stage"
    );
    assert!(
        !alice.contains("REPORT_RECEIVED"),
        "but never the exact stage"
    );

    let ben = everything_seen_by(&app, "ben", id).await;
    check(
        "responding party",
        &ben,
        &[
            "MK-STATEMENT",
            "MK-NOTE-B-SHARED",
            "MK-SUPPORTIVE-B",
            "MK-SUPPORTIVE-END-B",
            "ben@example.ac.uk",
            "SIS-ben",
            "Name of colin",
            "Name of alice",
            "Name of ben",
        ],
    );

    let cara = everything_seen_by(&app, "cara", id).await;
    check(
        "reporting party's case worker",
        &cara,
        &[
            "MK-DESC",
            "MK-STATEMENT",
            "MK-OUTCOME",
            "MK-OPTIONS-R",
            "MK-NOTE-R-PRIVATE",
            "MK-NOTE-R-SHARED",
            "MK-SHARE-R",
            "MK-SUPPORTIVE-R",
            "MK-ANON-DESC",
            "MK-ANON-MSG",
            "alice@example.ac.uk",
            "SIS-alice",
            "Name of cara",
            "Name of alice",
            "Name of ben",
        ],
    );

    let colin = everything_seen_by(&app, "colin", id).await;
    check(
        "responding party's case worker",
        &colin,
        &[
            "MK-STATEMENT",
            "MK-NOTE-B-PRIVATE",
            "MK-NOTE-B-SHARED",
            "MK-SUPPORTIVE-B",
            "MK-SUPPORTIVE-END-B",
            "MK-ANON-DESC",
            "MK-ANON-MSG",
            "ben@example.ac.uk",
            "SIS-ben",
            "Name of colin",
            "Name of alice",
            "Name of ben",
        ],
    );

    let olivia = everything_seen_by(&app, "olivia", id).await;
    check(
        "conduct officer",
        &olivia,
        &[
            "MK-STATEMENT",
            "MK-OUTCOME",
            "alice@example.ac.uk",
            "ben@example.ac.uk",
            "SIS-alice",
            "SIS-ben",
            "Name of cara",
            "Name of colin",
            "Name of alice",
            "Name of ben",
        ],
    );
    assert!(
        olivia.contains("REPORT_RECEIVED"),
        "the procedure sees the exact stage"
    );

    for outsider in ["ian", "ada", "bea", "sis", "walter", "pat"] {
        let seen = everything_seen_by(&app, outsider, id).await;
        check(outsider, &seen, &[]);
        assert!(
            !seen.contains(id),
            "{outsider} must not even learn the case id"
        );
    }
    app.stop().await;
}
db_test!(each_viewer_sees_exactly_what_the_matrix_allows);

async fn responding_party_sees_nothing_until_told(backend: Backend) {
    let app = TestApp::start(backend).await;
    Cast::seed(&app).await;
    let case = disclose(&app, "MK-DESC").await;
    no_errors(
        case.assign(&app, "cara", &case.reporter.clone(), "cara")
            .await,
    );
    no_errors(
        case.options(
            &app,
            "cara",
            &["REPORT_TO_UNIVERSITY"],
            &["REPORT_TO_UNIVERSITY"],
            "MK-OPTIONS-R",
        )
        .await,
    );
    let v = case.version_as(&app, "alice").await;
    no_errors(case.report(&app, "alice", "MK-STATEMENT", false, v).await);

    let seen = everything_seen_by(&app, "ben", &case.id).await;
    check("uninformed responding party", &seen, &[]);
    let (code, _) = app
        .refused("ben", &party_case_query(), json!({ "id": case.id }))
        .await;
    assert_eq!(code, "NOT_FOUND");

    // R-REP-2: without the reporting party's agreement, Ben cannot be told.
    let mut case = case;
    case.refresh(&app).await;
    let body = app
        .gql(
            Some("olivia"),
            INFORM,
            json!({ "c": case.id, "p": case.respondent, "v": case.version }),
        )
        .await;
    assert_eq!(
        code_of(&body),
        ("RULE_VIOLATION".into(), Some("R-REP-2".into()))
    );
    app.stop().await;
}
db_test!(responding_party_sees_nothing_until_told);

fn code_of(body: &Value) -> (String, Option<String>) {
    code(body)
}

async fn staff_list_and_single_lookup_agree(backend: Backend) {
    let app = TestApp::start(backend).await;
    Cast::seed(&app).await;
    app.person("cleo", PersonKind::Staff, &[StaffRole::CaseWorker])
        .await;
    let reported = reported_case(&app).await;
    let waiting = disclose(&app, "MK-DESC-2").await;
    for subject in ["cara", "colin", "olivia", "cleo", "ian", "ada"] {
        let listed = app
            .ok(
                subject,
                "{ cases(first: 100) { edges { node { id } } } }",
                json!({}),
            )
            .await;
        let ids: Vec<String> = listed["cases"]["edges"]
            .as_array()
            .expect("edges")
            .iter()
            .map(|e| e["node"]["id"].as_str().unwrap_or("").to_string())
            .collect();
        for case in [&reported.id, &waiting.id] {
            let single = app
                .gql(
                    Some(subject),
                    "query($id: UUID!) { case(id: $id) { id } }",
                    json!({ "id": case }),
                )
                .await;
            let found = single["data"]["case"]["id"].as_str() == Some(case.as_str());
            assert_eq!(
                ids.contains(case),
                found,
                "{subject}: list and look-up disagree on {case}"
            );
        }
    }
    // The unallocated disclosure sits in the intake queue of any case worker, in
    // outline only: that there is a reporting party to allocate, not who she is
    // nor whom she reports.
    let intake = app.ok("cleo", "query($id: UUID!) { case(id: $id) { inIntakeQueue disclosure { categories description } parties { id role name sisNumber contact { email } } } }", json!({ "id": waiting.id })).await;
    assert_eq!(intake["case"]["inIntakeQueue"], true);
    assert_eq!(intake["case"]["disclosure"]["description"], Value::Null);
    assert_eq!(
        intake["case"]["parties"],
        json!([{ "id": waiting.reporter, "role": "REPORTING", "name": null, "sisNumber": null, "contact": null }])
    );
    app.stop().await;
}
db_test!(staff_list_and_single_lookup_agree);

async fn a_witness_sees_only_their_own_part(backend: Backend) {
    let app = TestApp::start(backend).await;
    let case = marked_case(&app).await;
    let _ = case;
    app.person("wendy", PersonKind::Student, &[]).await;
    let mut second = disclose(&app, "MK-DESC").await;
    let alice_worker = second
        .assign(&app, "cara", &second.reporter.clone(), "cara")
        .await;
    no_errors(alice_worker);
    no_errors(
        second
            .options(
                &app,
                "cara",
                &["REPORT_TO_UNIVERSITY"],
                &["REPORT_TO_UNIVERSITY"],
                "MK-OPTIONS-R",
            )
            .await,
    );
    second.version = second.version_as(&app, "alice").await;
    let body = app
        .gql(
            Some("alice"),
            REPORT,
            json!({ "input": { "caseId": second.id, "expectedVersion": second.version, "statement": "MK-STATEMENT",
                    "desiredOutcome": "MK-OUTCOME", "respondentMayBeInformed": true, "witnesses": ["SIS-wendy"] } }),
        )
        .await;
    no_errors(body);
    let seen = everything_seen_by(&app, "wendy", &second.id).await;
    check("witness", &seen, &["Name of wendy"]);
    let mine = app
        .ok("wendy", &party_case_query(), json!({ "id": second.id }))
        .await;
    assert_eq!(mine["myCase"]["myRole"], "WITNESS");
    assert_eq!(
        mine["myCase"]["progress"],
        Value::Null,
        "no procedural detail for witnesses"
    );
    assert_eq!(mine["myCase"]["otherParties"], json!([]));
    assert_eq!(mine["myCase"]["timeline"], json!([]));
    // Alice and Ben do not learn the witness's identity from the API.
    for party in ["alice", "ben"] {
        let seen = everything_seen_by(&app, party, &second.id).await;
        assert!(
            !seen.contains("Name of wendy"),
            "{party} must not see the witness"
        );
    }
    let staff = app
        .ok("olivia", &staff_case_query(), json!({ "id": second.id }))
        .await;
    assert!(
        staff.to_string().contains("Name of wendy"),
        "the procedure sees witnesses"
    );
    app.stop().await;
}
db_test!(a_witness_sees_only_their_own_part);

/// Every field of a case in a list is what the single look-up of that case
/// shows the same viewer. A page reads its rows one table at a time for all
/// its cases, a look-up with the case (issue 16); the rules applied to them
/// must come out the same.
async fn a_case_in_a_list_shows_what_its_look_up_shows(backend: Backend) {
    let app = TestApp::start(backend).await;
    let case = marked_case(&app).await;
    disclose(&app, "MK-DESC-2").await;
    let mut compared = 0;
    for subject in ["alice", "ben", "cara", "colin", "olivia", "ada"] {
        let lists = app.gql(Some(subject), &everything_query(), json!({})).await;
        for (list, look_up, query) in [
            ("cases", "case", staff_case_query()),
            ("myCases", "myCase", party_case_query()),
        ] {
            for edge in lists["data"][list]["edges"]
                .as_array()
                .into_iter()
                .flatten()
            {
                let node = &edge["node"];
                let single = app
                    .gql(Some(subject), &query, json!({ "id": node["id"] }))
                    .await;
                assert_eq!(
                    &single["data"][look_up], node,
                    "{subject}: {list} and {look_up} differ on {}",
                    node["id"]
                );
                compared += 1;
            }
        }
        if subject == "alice" {
            let mine = lists["data"]["myCases"].to_string();
            assert!(
                mine.contains(&case.id) && mine.contains("MK-NOTE-R-SHARED"),
                "Alice's list shows her case with the note shared with her: {mine}"
            );
            assert!(!mine.contains("MK-NOTE-R-PRIVATE"), "{mine}");
        }
    }
    assert!(compared >= 8, "only {compared} cases compared");
    app.stop().await;
}
db_test!(a_case_in_a_list_shows_what_its_look_up_shows);
