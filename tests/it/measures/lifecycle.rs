//! A measure's life: recommended, authorised, in force, reviewed, withdrawn;
//! what the parties are told; non-compliance and mutual orders.

use super::*;

async fn a_measure_runs_its_course_and_the_reporting_party_is_told(backend: Backend) {
    let app = TestApp::start(backend).await;
    let case = safeguarding_cast(&app).await;
    let recommended = data(
        app.gql(Some("chris"), RECOMMEND, exclusion(&app, &case, true))
            .await,
    );
    let id = recommended["recommendMeasure"]["measureId"]
        .as_str()
        .expect("id")
        .to_string();
    assert_eq!(
        recommended["recommendMeasure"]["measure"]["status"],
        "RECOMMENDED"
    );
    let alice = app.ok("alice", MINE, json!({ "id": case.id })).await;
    assert_eq!(
        alice["myCase"]["measuresInPlace"], false,
        "a recommendation is not yet a measure in place"
    );
    let ben = app.ok("ben", MINE, json!({ "id": case.id })).await;
    assert_eq!(
        ben["myCase"]["measuresOnMe"],
        json!([]),
        "the subject is told once it is authorised"
    );

    let v = data(
        app.gql(Some("dee"), AUTHORISE, json!({ "m": id, "v": 1 }))
            .await,
    )["authoriseMeasure"]["version"]
        .as_i64()
        .expect("v");
    let v = data(
        app.gql(Some("dee"), IN_FORCE, json!({ "m": id, "v": v }))
            .await,
    )["bringMeasureIntoForce"]["version"]
        .as_i64()
        .expect("v");
    let alice = app.ok("alice", MINE, json!({ "id": case.id })).await;
    assert_eq!(alice["myCase"]["measuresInPlace"], true);
    assert_eq!(
        alice["myCase"]["measuresOnMe"],
        json!([]),
        "the exclusion binds Ben, not Alice"
    );
    assert_eq!(
        alice["myNotifications"]["nodes"].as_array().map(Vec::len),
        Some(1)
    );
    assert!(
        !alice.to_string().contains("MK-SITE") && !alice.to_string().contains("MK-MEASURE-DETAIL"),
        "only whether: {alice}"
    );

    let ben = app.ok("ben", MINE, json!({ "id": case.id })).await;
    let on_ben = &ben["myCase"]["measuresOnMe"][0];
    assert_eq!(on_ben["status"], "IN_FORCE");
    assert_eq!(on_ben["sites"], json!(["MK-SITE Library"]));
    assert!(
        on_ben["howToMakeRepresentations"]
            .as_str()
            .is_some_and(|t| t.contains("representations"))
    );
    let first_review = on_ben["reviewDue"].as_str().expect("review").to_string();

    // The review date is a deadline for safeguarding staff, not for case workers.
    let dee = app.ok("dee", DEADLINES, json!({})).await;
    let review = dee["deadlines"]["nodes"]
        .as_array()
        .and_then(|all| all.iter().find(|d| d["rule"] == "R-MEA-4"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(review["subjectId"], id.as_str(), "{dee}");
    assert_eq!(review["dueOn"], first_review.as_str());
    for outsider in ["cara", "colin", "ian", "bea"] {
        assert_eq!(
            app.ok(outsider, DEADLINES, json!({})).await["deadlines"]["nodes"],
            json!([]),
            "{outsider}"
        );
    }

    // Ben asks for an earlier review; it comes forward and the measure is under review.
    let early = data(
        app.gql(Some("ben"), EARLY, json!({ "m": id, "v": v }))
            .await,
    );
    assert_eq!(
        early["requestMeasureReview"]["measure"]["status"],
        "UNDER_REVIEW"
    );
    assert!(
        early["requestMeasureReview"]["measure"]["reviewDue"]
            .as_str()
            .expect("due")
            < first_review.as_str()
    );
    let v = early["requestMeasureReview"]["version"]
        .as_i64()
        .expect("v");
    let v = data(
        app.gql(Some("ben"), REPRESENT, json!({ "m": id, "v": v }))
            .await,
    )["submitMeasureRepresentations"]["version"]
        .as_i64()
        .expect("v");
    let body = app
        .gql(Some("alice"), REPRESENT, json!({ "m": id, "v": v }))
        .await;
    assert_eq!(
        code(&body).0,
        "NOT_FOUND",
        "the reporting party cannot see the measure on Ben"
    );

    // Amended: varied, and Alice hears that a stated measure changed.
    let varied = data(
        app.gql(
            Some("dee"),
            REVIEW,
            json!({ "input": { "measureId": id, "expectedVersion": v, "decision": "AMEND",
        "reason": "Lab access allowed", "sites": ["MK-SITE Library (evenings)"] } }),
        )
        .await,
    );
    assert_eq!(varied["reviewMeasure"]["measure"]["status"], "VARIED");
    let v = varied["reviewMeasure"]["version"].as_i64().expect("v");
    assert_eq!(
        app.ok("alice", MINE, json!({ "id": case.id })).await["myNotifications"]["nodes"]
            .as_array()
            .map(Vec::len),
        Some(2)
    );

    let body = app.gql(Some("dee"), REVIEW, json!({ "input": { "measureId": id, "expectedVersion": v - 1, "decision": "WITHDRAW", "reason": "x" } })).await;
    assert_eq!(code(&body).0, "CONFLICT");
    let withdrawn = data(app.gql(Some("dee"), REVIEW, json!({ "input": { "measureId": id, "expectedVersion": v, "decision": "WITHDRAW", "reason": "No longer needed" } })).await);
    assert_eq!(withdrawn["reviewMeasure"]["measure"]["status"], "WITHDRAWN");
    let actions: Vec<&str> = withdrawn["reviewMeasure"]["measure"]["history"]
        .as_array()
        .expect("history")
        .iter()
        .filter_map(|h| h["action"].as_str())
        .collect();
    assert_eq!(
        actions,
        [
            "RECOMMENDED",
            "AUTHORISED",
            "BROUGHT_INTO_FORCE",
            "EARLY_REVIEW_REQUESTED",
            "REPRESENTATIONS_MADE",
            "AMENDED",
            "WITHDRAWN"
        ]
    );
    let alice = app.ok("alice", MINE, json!({ "id": case.id })).await;
    assert_eq!(alice["myCase"]["measuresInPlace"], false);
    assert_eq!(
        alice["myNotifications"]["nodes"].as_array().map(Vec::len),
        Some(3)
    );
    let deadlines = app.ok("dee", DEADLINES, json!({})).await;
    assert!(
        deadlines["deadlines"]["nodes"]
            .as_array()
            .is_some_and(|all| all.iter().all(|d| d["rule"] != "R-MEA-4")),
        "a withdrawn measure has no review deadline: {deadlines}"
    );
    app.stop().await;
}
db_test!(a_measure_runs_its_course_and_the_reporting_party_is_told);

async fn non_compliance_brings_the_review_forward(backend: Backend) {
    let app = TestApp::start(backend).await;
    let case = safeguarding_cast(&app).await;
    let id = data(
        app.gql(Some("chris"), RECOMMEND, exclusion(&app, &case, true))
            .await,
    )["recommendMeasure"]["measureId"]
        .as_str()
        .expect("id")
        .to_string();
    let v = data(
        app.gql(Some("dee"), AUTHORISE, json!({ "m": id, "v": 1 }))
            .await,
    )["authoriseMeasure"]["version"]
        .as_i64()
        .expect("v");
    let v = data(
        app.gql(Some("dee"), IN_FORCE, json!({ "m": id, "v": v }))
            .await,
    )["bringMeasureIntoForce"]["version"]
        .as_i64()
        .expect("v");
    let calendar = app.config.policy.calendar();
    let today = app.today();
    let regular = calendar.add_working_days(
        today,
        app.config.policy.measures.review_interval_working_days,
    );
    let ben = app.ok("ben", MINE, json!({ "id": case.id })).await;
    assert_eq!(
        ben["myCase"]["measuresOnMe"][0]["reviewDue"],
        regular.to_string(),
        "review due after the policy interval in working days"
    );

    let body = app
        .gql(Some("ben"), NON_COMPLIANCE, json!({ "m": id, "v": v }))
        .await;
    assert_eq!(code(&body).0, "FORBIDDEN");
    let moved = data(
        app.gql(Some("olivia"), NON_COMPLIANCE, json!({ "m": id, "v": v }))
            .await,
    );
    let expected = calendar.add_working_days(
        today,
        app.config
            .policy
            .measures
            .non_compliance_review_working_days,
    );
    assert_eq!(
        moved["recordMeasureNonCompliance"]["measure"]["reviewDue"],
        expected.to_string()
    );
    let dee = app.ok("dee", DEADLINES, json!({})).await;
    assert_eq!(
        dee["deadlines"]["nodes"][0]["dueOn"],
        expected.to_string(),
        "the deadline moved with it"
    );
    app.stop().await;
}
db_test!(non_compliance_brings_the_review_forward);

async fn a_mutual_no_contact_order_binds_both_sides(backend: Backend) {
    let app = TestApp::start(backend).await;
    let case = safeguarding_cast(&app).await;
    let nco = json!({ "input": { "caseId": case.id, "kind": "NO_CONTACT_ORDER", "subjectPartyIds": [case.respondent],
        "protectedPartyIds": [case.reporter], "mutual": true, "details": "No contact", "startsOn": app.today().to_string(),
        "reportingPartyConsent": true } });
    let id = data(app.gql(Some("chris"), RECOMMEND, nco).await)["recommendMeasure"]["measureId"]
        .as_str()
        .expect("id")
        .to_string();
    let v = data(
        app.gql(Some("dee"), AUTHORISE, json!({ "m": id, "v": 1 }))
            .await,
    )["authoriseMeasure"]["version"]
        .as_i64()
        .expect("v");
    data(
        app.gql(Some("dee"), IN_FORCE, json!({ "m": id, "v": v }))
            .await,
    );
    for who in ["alice", "ben"] {
        let mine = app.ok(who, MINE, json!({ "id": case.id })).await;
        assert_eq!(
            mine["myCase"]["measuresOnMe"][0]["kind"], "NO_CONTACT_ORDER",
            "{who} is bound"
        );
        let about_measures = mine["myNotifications"]["nodes"]
            .as_array()
            .expect("notifications")
            .iter()
            .filter(|n| n["kind"] == "MEASURE_CHANGED")
            .count();
        assert_eq!(about_measures, 1, "{who} is told once");
    }
    let one_way = json!({ "input": { "caseId": case.id, "kind": "NO_CONTACT_ORDER", "subjectPartyIds": [case.respondent],
        "details": "x", "startsOn": app.today().to_string(), "reportingPartyConsent": true } });
    let body = app.gql(Some("chris"), RECOMMEND, one_way).await;
    assert_eq!(
        code(&body).0,
        "VALIDATION",
        "a no-contact order names whom not to contact"
    );
    app.stop().await;
}
db_test!(a_mutual_no_contact_order_binds_both_sides);

/// R-MEA-5 and R-MEA-7 by letter (issue 9): the student bound by a measure
/// gets its terms and the right to make representations; the reporting party
/// is told that a measure on the other student is in place — not what it is.
async fn a_measure_in_force_is_written_to_the_bound_student_and_the_reporting_party(
    backend: Backend,
) {
    let app = TestApp::start(backend).await;
    // Monday 6 September 2027: no Friday rule in the way.
    app.clock.set(
        chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2027, 9, 6, 8, 0, 0)
            .single()
            .expect("date"),
    );
    let case = safeguarding_cast(&app).await;
    let exclusion = json!({ "input": { "caseId": case.id, "kind": "EXCLUSION", "subjectPartyIds": [case.respondent],
        "sites": ["Library"], "details": "MK-MEASURE-TERMS not to enter the library", "startsOn": app.today().to_string(),
        "reportingPartyConsent": true } });
    let id =
        data(app.gql(Some("chris"), RECOMMEND, exclusion).await)["recommendMeasure"]["measureId"]
            .as_str()
            .expect("id")
            .to_string();
    let v = data(
        app.gql(Some("dee"), AUTHORISE, json!({ "m": id, "v": 1 }))
            .await,
    )["authoriseMeasure"]["version"]
        .as_i64()
        .expect("v");
    data(
        app.gql(Some("dee"), IN_FORCE, json!({ "m": id, "v": v }))
            .await,
    );
    let letters = |who: &'static str| {
        let (app, id) = (&app, case.id.clone());
        async move {
            app.ok(
                who,
                "query($id: UUID!) { myCase(id: $id) { letters { kind rule text } } }",
                json!({ "id": id }),
            )
            .await["myCase"]["letters"]
                .as_array()
                .expect("letters")
                .clone()
        }
    };
    let ben = letters("ben").await;
    assert_eq!(ben.len(), 1, "{ben:#?}");
    assert_eq!(
        (ben[0]["kind"].as_str(), ben[0]["rule"].as_str()),
        (Some("MEASURE_NOTICE"), Some("R-MEA-5"))
    );
    let terms = ben[0]["text"].as_str().expect("text");
    assert!(terms.contains("MK-MEASURE-TERMS"), "{terms}");
    assert!(terms.contains("written representations"), "{terms}");
    let alice = letters("alice").await;
    assert_eq!(alice.len(), 1, "{alice:#?}");
    assert_eq!(alice[0]["kind"], "MEASURES_CHANGED");
    let told = alice[0]["text"].as_str().expect("text");
    assert!(told.contains("is now in place"), "{told}");
    assert!(
        !told.contains("MK-MEASURE-TERMS") && !told.contains("Library"),
        "whether, not what: {told}"
    );
    app.stop().await;
}
db_test!(a_measure_in_force_is_written_to_the_bound_student_and_the_reporting_party);
