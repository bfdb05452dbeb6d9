//! A small demo university for trying the API in GraphiQL: students, staff in
//! each role and a few cases at different stages, plus a token per kind of user.

use chrono::Duration;
use entity::person;
use sea_orm::{ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter};

use crate::auth::tokens::mint;
use crate::config::Config;
use crate::domain::case_store::{self, begin};
use crate::domain::clock::Clock;
use crate::domain::disclosures::{self, NewDisclosure, RespondentInput};
use crate::domain::kinds::MeasureKind;
use crate::domain::kinds::{
    Classification, ContactMethod, DisclosureChannel, EnrolmentStatus, IncidentCategory, PartyRole,
    PersonKind, StaffRole, SupportOption,
};
use crate::domain::people::{self, NewPerson};
use crate::domain::procedure::triage;
use crate::domain::viewer::Viewer;
use crate::domain::{measures, reports, support};

/// Finds a person's subject by subject, email or SIS number.
pub async fn subject_of(db: &DatabaseConnection, who: &str) -> anyhow::Result<String> {
    let found = person::Entity::find()
        .filter(
            Condition::any()
                .add(person::Column::Subject.eq(who))
                .add(person::Column::Email.eq(who))
                .add(person::Column::SisNumber.eq(who)),
        )
        .one(db)
        .await?;
    found.map(|p| p.subject).ok_or_else(|| {
        anyhow::anyhow!("no person with subject, email or SIS number {who:?} (try `demo` first)")
    })
}

struct Demo<'a> {
    db: &'a sea_orm::DatabaseTransaction,
}

impl Demo<'_> {
    async fn person(
        &self,
        subject: &str,
        name: &str,
        kind: PersonKind,
        sis: Option<&str>,
        roles: &[StaffRole],
    ) -> anyhow::Result<Viewer> {
        let p = people::insert(
            self.db,
            NewPerson {
                subject: subject.into(),
                kind,
                display_name: name.into(),
                email: Some(format!(
                    "{}@demo.ac.uk",
                    subject.trim_start_matches("demo-")
                )),
                phone: None,
                sis_number: sis.map(String::from),
                enrolment_status: sis.map(|_| EnrolmentStatus::Enrolled),
                leaving_date: None,
            },
        )
        .await?;
        for role in roles {
            people::insert_grant(self.db, p.id, *role, None).await?;
        }
        Ok(Viewer {
            person_id: p.id,
            roles: roles.iter().copied().collect(),
            request_id: None,
            now: Clock::system().now(),
        })
    }
}

pub async fn load(db: &DatabaseConnection, config: &Config) -> anyhow::Result<()> {
    let already = person::Entity::find()
        .filter(person::Column::Subject.eq("demo-alice"))
        .one(db)
        .await?
        .is_some();
    if !already {
        crate::domain::statistics::tally::tracking(seed(db, config)).await?;
        println!("Demo university loaded.\n");
    } else {
        println!("Demo university already loaded.\n");
    }
    println!("Tokens (valid 8 hours; send as `Authorization: Bearer <token>`):");
    for (who, what) in [
        ("demo-alice", "reporting student (Alice)"),
        ("demo-ben", "responding student (Ben)"),
        ("demo-erin", "witness (Erin)"),
        ("demo-cara", "case worker for Alice"),
        ("demo-colin", "case worker for Ben"),
        ("demo-olivia", "conduct officer"),
        ("demo-cfc", "Cause for Concern group member"),
        ("demo-dee", "decision maker (Academic Registrar)"),
        ("demo-pat", "lecturer who forwarded a disclosure"),
        ("demo-ada", "administrator"),
        ("demo-bea", "BI analyst"),
        (
            "demo-dora",
            "data protection officer (retention, subject access)",
        ),
    ] {
        println!(
            "\n# {what}\n{}",
            mint(&config.auth, who, Duration::hours(8))?
        );
    }
    Ok(())
}

/// Loads everything in one transaction: a failure leaves nothing half-loaded.
async fn seed(db: &DatabaseConnection, config: &Config) -> anyhow::Result<()> {
    let tx = begin(db).await?;
    let d = Demo { db: &tx };
    let s = PersonKind::Student;
    let st = PersonKind::Staff;
    let alice = d
        .person("demo-alice", "Alice Student", s, Some("S1000001"), &[])
        .await?;
    let _ben = d
        .person("demo-ben", "Ben Student", s, Some("S1000002"), &[])
        .await?;
    let dana = d
        .person("demo-dana", "Dana Student", s, Some("S1000003"), &[])
        .await?;
    d.person("demo-erin", "Erin Student", s, Some("S1000004"), &[])
        .await?;
    let cara = d
        .person(
            "demo-cara",
            "Cara Caseworker",
            st,
            None,
            &[StaffRole::CaseWorker],
        )
        .await?;
    let colin = d
        .person(
            "demo-colin",
            "Colin Caseworker",
            st,
            None,
            &[StaffRole::CaseWorker],
        )
        .await?;
    let olivia = d
        .person(
            "demo-olivia",
            "Olivia Conduct",
            st,
            None,
            &[StaffRole::ConductOfficer],
        )
        .await?;
    d.person(
        "demo-ian",
        "Ian Investigator",
        st,
        None,
        &[StaffRole::Investigator],
    )
    .await?;
    let dee = d
        .person(
            "demo-dee",
            "Dee Registrar",
            st,
            None,
            &[StaffRole::DecisionMaker],
        )
        .await?;
    let cfc_member = d
        .person("demo-cfc", "Chris CfC", st, None, &[StaffRole::CfcMember])
        .await?;
    d.person("demo-ada", "Ada Admin", st, None, &[StaffRole::Admin])
        .await?;
    d.person("demo-bea", "Bea Analyst", st, None, &[StaffRole::BiAnalyst])
        .await?;
    d.person(
        "demo-dora",
        "Dora Data Protection",
        st,
        None,
        &[StaffRole::DataProtectionOfficer],
    )
    .await?;
    let pat = d.person("demo-pat", "Pat Lecturer", st, None, &[]).await?;
    let book = crate::policy::PolicyBook::load(&tx, &config.policy).await?;
    let policy = book.current().as_ref();

    // 1. Alice's disclosure about Ben becomes a formal report; Ben is told.
    let case = disclosures::record_disclosure(
        &alice,
        &tx,
        policy,
        NewDisclosure {
            channel: DisclosureChannel::OnlineForm,
            categories: vec![IncidentCategory::SexualHarassment],
            incident_date: Some(Clock::system().now().today() - Duration::days(12)),
            description: "Repeated unwanted messages and comments after a society social.".into(),
            anonymous: false,
            disclosing_student: None,
            forwarded: false,
            omit_respondent_names: false,
            omit_reporting_party_name: false,
            respondents: vec![RespondentInput {
                sis_number: Some("S1000002".into()),
                name: None,
            }],
            police_case_ongoing: false,
            friday_contact_agreed: false,
        },
    )
    .await?
    .case;
    let bundle = case_store::load(&tx, case.id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("demo case vanished"))?;
    let party_of = |role: PartyRole| {
        bundle
            .parties
            .iter()
            .find(|p| p.role == role.as_str())
            .map(|p| p.id)
            .unwrap_or_default()
    };
    let (alice_party, ben_party) = (
        party_of(PartyRole::Reporting),
        party_of(PartyRole::Responding),
    );
    disclosures::assign_case_worker(&cara, &tx, case.id, alice_party, cara.person_id).await?;
    support::record_contact_attempt(
        &cara,
        &tx,
        &book,
        case.id,
        alice_party,
        ContactMethod::Email,
        true,
    )
    .await?;
    support::record_options_conversation(
        &cara,
        &tx,
        &book,
        case.id,
        alice_party,
        support::NewConversation {
            held_at: None,
            options_offered: vec![
                SupportOption::SupportOnly,
                SupportOption::ReportToUniversity,
                SupportOption::ReportToPolice,
            ],
            options_chosen: vec![SupportOption::ReportToUniversity],
            summary: "Talked through reporting routes; Alice wants the university to investigate."
                .into(),
        },
    )
    .await?;
    support::add_support_note(
        &cara,
        &tx,
        case.id,
        alice_party,
        "Alice is finding lectures with Ben difficult; explore timetable change.".into(),
        false,
    )
    .await?;
    support::add_support_note(
        &cara,
        &tx,
        case.id,
        alice_party,
        "Wellbeing service details sent.".into(),
        true,
    )
    .await?;
    reports::submit_formal_report(
        &alice,
        &tx,
        &book,
        case.id,
        reports::NewReport {
            statement: "After the society social on the 3rd, Ben sent me repeated messages I asked him to stop.".into(),
            desired_outcome: Some("That the messages stop.".into()),
            respondent_may_be_informed: true,
            witnesses: vec!["S1000004".into()],
            expected_version: 1,
        },
    )
    .await?;
    reports::inform_responding_party(&olivia, &tx, &book, case.id, ben_party, 2).await?;
    disclosures::assign_case_worker(&olivia, &tx, case.id, ben_party, colin.person_id).await?;
    support::add_support_note(
        &colin,
        &tx,
        case.id,
        ben_party,
        "Ben asked about the process and timescales.".into(),
        false,
    )
    .await?;
    // Triage refers the case to the CfC group (R-TRI-3); Dee will decide it.
    let version = case_store::load(&tx, case.id)
        .await?
        .map(|b| b.case.version)
        .ok_or_else(|| anyhow::anyhow!("demo case vanished"))?;
    triage::triage(
        &olivia,
        &tx,
        &book,
        case.id,
        vec![(
            "Harassment (Regulation 9)".into(),
            Classification::Medium,
            None,
        )],
        version,
    )
    .await?;
    triage::assign(
        &olivia,
        &tx,
        case.id,
        dee.person_id,
        StaffRole::DecisionMaker,
    )
    .await?;
    // A mutual no-contact order, recommended by the CfC group and in force.
    let cfc = Viewer {
        person_id: cfc_member.person_id,
        roles: [StaffRole::CfcMember].into(),
        request_id: None,
        now: Clock::system().now(),
    };
    let nco = measures::recommend(
        &cfc,
        &tx,
        &book,
        case.id,
        measures::NewMeasure {
            kind: MeasureKind::NoContactOrder,
            subjects: vec![ben_party],
            protected_parties: vec![alice_party],
            mutual: true,
            sites: vec![],
            details: "No contact in person, by message or through others.".into(),
            starts_on: Clock::system().now().today(),
            ends_on: None,
            reporting_party_consent: true,
        },
    )
    .await?;
    let nco = measures::authorise(&dee, &tx, &book, nco.id, None, nco.version).await?;
    measures::bring_into_force(&dee, &tx, &book, nco.id, nco.version).await?;

    // 2. A lecturer forwards Dana's disclosure; it waits in the intake queue.
    disclosures::record_disclosure(
        &pat,
        &tx,
        policy,
        NewDisclosure {
            channel: DisclosureChannel::StaffForwarded,
            categories: vec![IncidentCategory::Bullying],
            incident_date: None,
            description:
                "Dana told me after class that a flatmate keeps excluding and mocking her.".into(),
            anonymous: false,
            disclosing_student: Some(dana.person_id),
            forwarded: true,
            omit_respondent_names: true,
            omit_reporting_party_name: false,
            respondents: vec![RespondentInput {
                sis_number: None,
                name: None,
            }],
            police_case_ongoing: false,
            friday_contact_agreed: false,
        },
    )
    .await?;
    // 3. An anonymous disclosure: in the statistics and Student Support's
    //    anonymous inbox; its access code is not kept.
    disclosures::record_disclosure(
        &pat,
        &tx,
        policy,
        NewDisclosure {
            channel: DisclosureChannel::OnlineForm,
            categories: vec![IncidentCategory::HateIncident],
            incident_date: None,
            description: "Anonymous report of abusive graffiti in a hall of residence.".into(),
            anonymous: true,
            disclosing_student: None,
            forwarded: false,
            omit_respondent_names: false,
            omit_reporting_party_name: false,
            respondents: vec![],
            police_case_ongoing: false,
            friday_contact_agreed: false,
        },
    )
    .await?;
    crate::domain::statistics::tally::flush(&tx, &crate::domain::statistics::tally::touched())
        .await?;
    tx.commit().await?;
    Ok(())
}
