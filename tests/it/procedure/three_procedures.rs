//! One scenario under three procedures (issue 11 item 5): Leicester's (000,
//! 001, the default), UEA's (003, `policy/uea.toml`) and the Proctor's Office
//! (004, `policy/proctor.toml`) route a HIGH case, empower the decision maker
//! give notice of a hearing and a day for its decision each as its own file
//! says.

use super::*;

struct UnderPolicy {
    /// The policy file; None for the default (Leicester).
    file: Option<&'static str>,
    /// Where triage routes a HIGH case (R-TRI-2).
    routed_to: &'static str,
    /// Whether the decision maker may fine after a conviction (R-SAN-1).
    decision_maker_fines: bool,
    /// Who hears a case (R-HEA-3, R-HEA-5).
    panel_size: usize,
    /// Working days' notice of a hearing (R-HEA-1).
    notice: u32,
    /// Working days after the hearing for its decision (R-HEA-4).
    decision_days: u32,
}

const CONVICTED: &str = "mutation($c: UUID!, $v: Int!) { recordConviction(caseId: $c, details: \"Convicted\", expectedVersion: $v) { version } }";

/// A HIGH case, convicted, waiting for `dm`'s decision.
async fn convicted(app: &TestApp, p: &mut Procedure, dm: &str) {
    let id = p.case.id.clone();
    assign_staff(app, &id, dm, "DECISION_MAKER").await;
    p.case.refresh(app).await;
    no_errors(
        app.gql(
            Some("olivia"),
            CONVICTED,
            json!({ "c": id, "v": p.case.version }),
        )
        .await,
    );
    p.case.refresh(app).await;
}

async fn run(backend: Backend, e: UnderPolicy) {
    let app = match e.file {
        Some(file) => TestApp::start_with(backend, &[("MISCONDUCT_POLICY_FILE", file)]).await,
        None => TestApp::start(backend).await,
    };
    on_monday_6_september_2027(&app);
    let mut first = triaged(&app, "HIGH").await;
    let routed = app
        .ok(
            "olivia",
            "query($id: UUID!) { case(id: $id) { triage { routedTo } } }",
            json!({ "id": first.case.id }),
        )
        .await;
    assert_eq!(routed["case"]["triage"]["routedTo"], e.routed_to);

    // The decision maker fines after a conviction, where the procedure lets them.
    convicted(&app, &mut first, "dee").await;
    let fine = json!({ "input": { "caseId": first.case.id, "expectedVersion": first.case.version, "option": "SANCTION", "reasons": "Conviction",
        "sanctions": [{ "partyId": first.case.respondent, "kind": "FINE", "amountPence": 10_000,
            "justification": "Proportionate", "whyNotLesser": "A warning would not reflect the harm" }] } });
    let body = app.gql(Some("dee"), DECIDE, fine).await;
    if e.decision_maker_fines {
        assert_eq!(data(body)["recordDecision"]["case"]["stage"], "OUTCOME");
    } else {
        assert_eq!(code(&body).1.as_deref(), Some("R-SAN-1"), "{body}");
    }

    // A second case goes to a hearing: its size and its notice. Its decision
    // maker is new to Ben (R-IND-5: Dee has dealt with him already).
    app.person("dan", PersonKind::Staff, &[StaffRole::DecisionMaker])
        .await;
    let mut second = triaged_case(&app, "HIGH").await;
    convicted(&app, &mut second, "dan").await;
    let id = second.case.id.clone();
    data(
        app.gql(
            Some("dan"),
            DECIDE,
            json!({ "input": { "caseId": id, "expectedVersion": second.case.version,
        "option": "REFER_TO_PANEL", "reasons": "Serious" } }),
        )
        .await,
    );
    let mut members = Vec::new();
    for who in ["p1", "p2", "p3"].into_iter().take(e.panel_size) {
        members.push(person_id(&app, who).await);
    }
    no_errors(
        app.gql(Some("olivia"), PANEL, json!({ "c": id, "m": members }))
            .await,
    );
    let calendar = app.config.policy.calendar();
    let summon = |working_days: u32| {
        let day = calendar.add_working_days(app.today(), working_days);
        json!({ "input": { "caseId": id, "scheduledAt": format!("{day}T10:00:00Z"), "location": "Council Room",
            "allegedBreaches": "Conduct leading to conviction", "penaltyRange": "Up to expulsion", "proposedPenalty": "Reprimand" } })
    };
    if e.notice > 5 {
        let short = app.gql(Some("olivia"), SUMMON, summon(5)).await;
        assert_eq!(code(&short).1.as_deref(), Some("R-HEA-1"), "{short}");
    }
    data(app.gql(Some("olivia"), SUMMON, summon(e.notice)).await);
    let hearing_day = calendar.add_working_days(app.today(), e.notice);
    let deadlines = app
        .ok(
            "olivia",
            "query($id: UUID!) { case(id: $id) { deadlines { kind dueOn } } }",
            json!({ "id": id }),
        )
        .await;
    let decision_due = deadlines["case"]["deadlines"]
        .as_array()
        .expect("deadlines")
        .iter()
        .find(|d| d["kind"] == "HEARING_DECISION")
        .expect("a decision deadline")["dueOn"]
        .clone();
    assert_eq!(
        decision_due,
        json!(
            calendar
                .add_working_days(hearing_day, e.decision_days)
                .to_string()
        ),
        "{:?}",
        e.file
    );
    app.stop().await;
}

async fn the_same_case_runs_as_each_procedure_says(backend: Backend) {
    let procedures = [
        UnderPolicy {
            file: None,
            routed_to: "DECISION_MAKER",
            decision_maker_fines: true,
            panel_size: 3,
            notice: 5,
            decision_days: 5,
        },
        UnderPolicy {
            file: Some(concat!(env!("CARGO_MANIFEST_DIR"), "/policy/uea.toml")),
            routed_to: "University Disciplinary Officer",
            decision_maker_fines: true,
            panel_size: 1,
            notice: 5,
            decision_days: 5,
        },
        UnderPolicy {
            file: Some(concat!(env!("CARGO_MANIFEST_DIR"), "/policy/proctor.toml")),
            routed_to: "CONDUCT_OFFICER",
            decision_maker_fines: false,
            panel_size: 3,
            notice: 10,
            decision_days: 7,
        },
    ];
    for procedure in procedures {
        run(backend, procedure).await;
    }
}
db_test!(the_same_case_runs_as_each_procedure_says);
