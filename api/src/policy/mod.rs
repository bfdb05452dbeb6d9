//! Institution policy (DOMAIN §6): everything the universities do differently.
//! Loaded once from a TOML file (Leicester's defaults are built in), validated,
//! and recorded by version so that every case follows the policy it opened under
//! ([`versions`]).

pub mod versions;

pub use versions::{PolicyBook, register};

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::config::ConfigError;
use crate::domain::kinds::{StaffRole, Stage};
use crate::domain::letters::Templates;

pub const LEICESTER_DEFAULT: &str = include_str!("../../../policy/leicester.toml");

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    pub version: String,
    pub institution: String,
    pub deadlines: Deadlines,
    pub calendar: Calendar,
    pub retention: Retention,
    pub statistics: Statistics,
    pub approvals: Approvals,
    pub measures: Measures,
    pub fines: Fines,
    pub sanctions: BTreeMap<String, Vec<String>>,
    /// R-SAN-3 (002 App. 1): the indicative offence → sanction matrix shown to
    /// whoever decides. Versions stored before it existed have none.
    #[serde(default)]
    pub sanction_guidance: Vec<SanctionGuidance>,
    pub routing: BTreeMap<String, String>,
    /// R-TRI-2 by kind of breach (003 §1, §4): routes tried before `routing`.
    /// Versions stored before it existed route by level only.
    #[serde(default)]
    pub triage: Triage,
    pub progress_labels: BTreeMap<String, String>,
    pub data_protection: DataProtection,
    pub disclosure_to_reporting_party: DisclosureBases,
    pub notices: Notices,
    /// R-FTS-1: who reads medical detail. Versions stored before it existed
    /// read as the conduct team only.
    #[serde(default)]
    pub fitness_to_study: FitnessToStudy,
    /// R-APP-2 (amended): the grounds of appeal this procedure allows.
    /// Versions stored before it existed read as Leicester's six.
    #[serde(default)]
    pub appeals: Appeals,
    /// R-HEA-3 as R-HEA-5 amends it: how many hear a case. Versions stored
    /// before it existed read as a panel of three.
    #[serde(default)]
    pub hearings: Hearings,
    /// The letters' wording (issue 9): templates in a `letters/` folder beside
    /// the policy file, the built-in wording otherwise. Not part of the
    /// version: a change of wording applies to letters issued from then on.
    #[serde(skip, default = "builtin_letters")]
    pub letters: Arc<Templates>,
}

fn builtin_letters() -> Arc<Templates> {
    static BUILT_IN: std::sync::OnceLock<Arc<Templates>> = std::sync::OnceLock::new();
    BUILT_IN
        .get_or_init(|| Arc::new(Templates::builtin()))
        .clone()
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Deadlines {
    pub acknowledge_report: u32,
    pub decide_whether_to_investigate: u32,
    pub investigation_target_calendar_days: u32,
    pub meeting_notice: u32,
    pub respondent_written_response_before_meeting: u32,
    pub investigation_review_request: u32,
    pub hearing_notice: u32,
    pub hearing_response_before: u32,
    pub companion_notice_before: u32,
    pub hearing_decision: u32,
    pub hearing_decision_with_approval: u32,
    pub appeal_window: u32,
    pub appeal_decision: u32,
    pub email1_follow_up_calendar_days: u32,
    pub email2_follow_up_calendar_days: u32,
    pub oiahe_complaint_months: u32,
    /// R-INV-9: working days between updates to each party while a case is
    /// paused. Versions stored before it existed read as 20.
    #[serde(default = "default_progress_update_while_paused")]
    pub progress_update_while_paused: u32,
    /// R-HEA-6: documentary evidence reaches the panel and the parties at
    /// least this many working days before the hearing; later, only with the
    /// chair's permission. Versions stored before it existed read as 5.
    #[serde(default = "default_hearing_evidence_before")]
    pub hearing_evidence_before: u32,
}

fn default_hearing_evidence_before() -> u32 {
    5
}

fn default_progress_update_while_paused() -> u32 {
    20
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Calendar {
    /// `england-and-wales`, `scotland` or `northern-ireland` (R-TIME-1).
    pub bank_holidays: String,
    pub closure_days: Vec<NaiveDate>,
    pub no_friday_letters_to_reporting_party: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Retention {
    pub years_after_leaving: u32,
    pub delete_recordings_when_appeals_exhausted: bool,
    /// 004 "Retention": a concluded case whose allegation was not upheld is
    /// removed at once rather than kept for the full period.
    pub remove_not_upheld_when_concluded: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct DataProtection {
    /// The staff role that answers subject access requests (R-RET-2) and
    /// reviews retention (R-RET-1).
    pub officer_role: String,
}

/// The lawful basis recorded with each kind of disclosure to a reporting
/// party about the responding party's case (000 §36, R-OUT-2).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct DisclosureBases {
    pub progress: String,
    pub measures_in_place: String,
    pub outcome: String,
}

/// Who else is told of an outcome (R-OUT-3).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Notices {
    /// The offices sent a confidential copy of a hearing's outcome (e.g.
    /// "Registrar", "Dean", "Head of Department"); empty: none.
    pub outcome_copies: Vec<String>,
    /// The offices also told, in the same confidential copy, of an appeal's
    /// outcome and of every expulsion (R-APP-5; 004 App. 5 §9: the
    /// Syndicate); empty: none.
    #[serde(default)]
    pub appeal_outcome_copies: Vec<String>,
}

/// Fitness to study (R-FTS-1): medical detail is special-category data.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct FitnessToStudy {
    /// The staff roles that read medical detail on the cases they run (e.g.
    /// `CONDUCT_OFFICER`, `DECISION_MAKER`); everyone else sees only that a
    /// step was taken, and when.
    pub medical_detail_roles: Vec<String>,
}

impl Default for FitnessToStudy {
    fn default() -> Self {
        FitnessToStudy {
            medical_detail_roles: vec![StaffRole::ConductOfficer.as_str().into()],
        }
    }
}

/// Hearings (R-HEA-3, R-HEA-5): a panel of three by default; a procedure
/// with a single hearing officer (003's University Disciplinary Officer) says 1.
/// One row of the indicative sanction matrix (R-SAN-3, 002 App. 1): for
/// offences such as these, the normal range of sanctions.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SanctionGuidance {
    /// Offences such as these, in the procedure's words.
    pub offences: Vec<String>,
    /// The sanctions normally considered (keys of `sanctions`).
    pub sanctions: Vec<String>,
}

/// Triage routing by the kind of breach (R-TRI-2; 003 §1: accommodation
/// breaches to the accommodation manager, others to the student life manager,
/// HIGH to the disciplinary officer).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Triage {
    /// The kinds of breach triage may name besides `GENERAL`, e.g.
    /// `ACCOMMODATION` (a breach of a licence to occupy University Residences).
    #[serde(default)]
    pub breach_kinds: Vec<String>,
    /// Tried in order; the first that matches routes the case. None matching:
    /// `routing` by level.
    #[serde(default)]
    pub routes: Vec<Route>,
}

/// One triage route.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Route {
    /// The classifications it takes (LOW, MEDIUM, HIGH); empty: any.
    #[serde(default)]
    pub levels: Vec<String>,
    /// It takes a case only when every alleged breach is of one of these
    /// kinds; empty: any kinds.
    #[serde(default)]
    pub only_kinds: Vec<String>,
    /// Where the case goes: the office or role that triages it, e.g.
    /// "Deputy Accommodation Manager".
    pub to: String,
}

impl Triage {
    /// The kinds of breach triage may name.
    pub fn kinds(&self) -> Vec<&str> {
        std::iter::once("GENERAL")
            .chain(self.breach_kinds.iter().map(String::as_str))
            .collect()
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Hearings {
    /// Members who hear a case and vote: 1, 3, 5 or 7 (an odd number, so a
    /// majority always exists).
    pub panel_size: u32,
    /// The body a hearing may refer a case to instead of deciding it, e.g.
    /// 003's Senate Student Discipline Committee (R-HEA-5); empty: none. It
    /// hears the case afresh and imposes with the `SENATE` powers.
    #[serde(default)]
    pub referral_body: String,
    /// How many of that body hear a referred case (1, 3, 5 or 7).
    #[serde(default = "three")]
    pub referral_panel_size: u32,
}

fn three() -> u32 {
    3
}

impl Default for Hearings {
    fn default() -> Self {
        Hearings {
            panel_size: 3,
            referral_body: String::new(),
            referral_panel_size: 3,
        }
    }
}

/// Appeals (R-APP-2 as amended in DOMAIN §7): the grounds are policy.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Appeals {
    /// The grounds a responding party may appeal on, e.g.
    /// `PROCEDURAL_IRREGULARITY`, `FINDINGS_OF_FACT`.
    pub grounds: Vec<String>,
    /// R-APP-5: who decides finally on an appeal panel's recommendation (e.g.
    /// "Vice-Chancellor", 004 App. 5 §9); empty: the panel decides. Versions
    /// stored before it existed read as empty.
    #[serde(default)]
    pub final_decision_by: String,
}

impl Default for Appeals {
    fn default() -> Self {
        use crate::domain::kinds::AppealGround as G;
        Appeals {
            grounds: [
                G::ProceduralIrregularity,
                G::EvidenceNotConsidered,
                G::PrejudiceOrBias,
                G::UnreasonableDecision,
                G::ExcessiveSanction,
                G::NewEvidence,
            ]
            .iter()
            .map(|g| g.as_str().to_string())
            .collect(),
            final_decision_by: String::new(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Statistics {
    pub suppression_threshold: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Approvals {
    pub precautionary_suspension: String,
    pub expulsion: String,
    pub suspension_sanction: String,
    pub suspension_max_months: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Measures {
    pub review_interval_working_days: u32,
    pub early_review_working_days: u32,
    pub non_compliance_review_working_days: u32,
    /// R-SUP-6: supportive measures are reviewed by the supported party's case
    /// worker at this interval. Versions stored before it existed read as 20.
    #[serde(default = "default_supportive_review_interval")]
    pub supportive_review_interval_working_days: u32,
}

fn default_supportive_review_interval() -> u32 {
    20
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Fines {
    pub minimum_pence: u32,
    pub decision_maker_max_pence: u32,
    pub panel_max_pence: u32,
}

const SANCTIONS: &[&str] = &[
    "REPRIMAND",
    "FORMAL_WRITTEN_WARNING",
    "WRITTEN_APOLOGY",
    "TRAINING_REQUIREMENT",
    "PAY_FOR_DAMAGES",
    "FINE",
    "SUSPENSION_OF_PRIVILEGES",
    "NO_CONTACT_ORDER",
    "EXCLUSION_FROM_CONGREGATION",
    "EXCLUSION_FROM_FACILITIES",
    "SUSPENSION",
    "EXPULSION",
    "PROHIBITION_ON_REAPPLYING",
    "REVOCATION_OF_AWARD",
];
const IMPOSERS: &[&str] = &[
    "CASE_OFFICER",
    "DECISION_MAKER",
    "DECISION_MAKER_AFTER_CONVICTION",
    "PANEL",
    "SENATE",
];

impl Policy {
    /// Parses and validates a policy file; errors name the offending key.
    pub fn parse(text: &str) -> Result<Policy, ConfigError> {
        let policy: Policy = toml::from_str(text).map_err(|e| ConfigError {
            key: "policy".into(),
            problem: e.message().to_string(),
        })?;
        policy.validate()?;
        Ok(policy)
    }

    pub fn leicester() -> Policy {
        // The built-in file is checked by a unit test, so this cannot fail at run time.
        Self::parse(LEICESTER_DEFAULT).unwrap_or_else(|e| panic!("built-in policy invalid: {e}"))
    }

    fn validate(&self) -> Result<(), ConfigError> {
        let bad = |key: String, problem: &str| ConfigError {
            key,
            problem: problem.into(),
        };
        if self.version.trim().is_empty() {
            return Err(bad("policy.version".into(), "must not be empty"));
        }
        let d = &self.deadlines;
        for (key, value) in [
            ("acknowledge_report", d.acknowledge_report),
            (
                "decide_whether_to_investigate",
                d.decide_whether_to_investigate,
            ),
            (
                "investigation_target_calendar_days",
                d.investigation_target_calendar_days,
            ),
            ("meeting_notice", d.meeting_notice),
            (
                "investigation_review_request",
                d.investigation_review_request,
            ),
            ("hearing_notice", d.hearing_notice),
            ("hearing_decision", d.hearing_decision),
            (
                "hearing_decision_with_approval",
                d.hearing_decision_with_approval,
            ),
            ("appeal_window", d.appeal_window),
            ("appeal_decision", d.appeal_decision),
            (
                "email1_follow_up_calendar_days",
                d.email1_follow_up_calendar_days,
            ),
            (
                "email2_follow_up_calendar_days",
                d.email2_follow_up_calendar_days,
            ),
            ("oiahe_complaint_months", d.oiahe_complaint_months),
            (
                "progress_update_while_paused",
                d.progress_update_while_paused,
            ),
            ("hearing_evidence_before", d.hearing_evidence_before),
        ] {
            if value == 0 {
                return Err(bad(format!("policy.deadlines.{key}"), "must be at least 1"));
            }
        }
        let m = &self.measures;
        for (key, value) in [
            (
                "review_interval_working_days",
                m.review_interval_working_days,
            ),
            ("early_review_working_days", m.early_review_working_days),
            (
                "non_compliance_review_working_days",
                m.non_compliance_review_working_days,
            ),
            (
                "supportive_review_interval_working_days",
                m.supportive_review_interval_working_days,
            ),
        ] {
            if value == 0 {
                return Err(bad(format!("policy.measures.{key}"), "must be at least 1"));
            }
        }
        if self.statistics.suppression_threshold == 0 {
            return Err(bad(
                "policy.statistics.suppression_threshold".into(),
                "must be at least 1",
            ));
        }
        if self.retention.years_after_leaving == 0 {
            return Err(bad(
                "policy.retention.years_after_leaving".into(),
                "must be at least 1",
            ));
        }
        let f = &self.fines;
        if !(f.minimum_pence <= f.decision_maker_max_pence
            && f.decision_maker_max_pence <= f.panel_max_pence)
        {
            return Err(bad(
                "policy.fines".into(),
                "must satisfy minimum_pence <= decision_maker_max_pence <= panel_max_pence",
            ));
        }
        for (sanction, imposers) in &self.sanctions {
            // R-SAN-3: the catalogue is policy; a sanction of the procedure's
            // own is named like the built-in ones (e.g. ADVISORY_NOTE).
            let well_named = sanction.starts_with(|c: char| c.is_ascii_uppercase())
                && sanction
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
            if !well_named {
                return Err(bad(
                    format!("policy.sanctions.{sanction}"),
                    "must be named in capitals with underscores, e.g. ADVISORY_NOTE",
                ));
            }
            if let Some(who) = imposers.iter().find(|i| !IMPOSERS.contains(&i.as_str())) {
                return Err(bad(
                    format!("policy.sanctions.{sanction}"),
                    &format!(
                        "names unknown imposer {who:?} (known: {})",
                        IMPOSERS.join(", ")
                    ),
                ));
            }
        }
        if let Some(missing) = SANCTIONS.iter().find(|s| !self.sanctions.contains_key(**s)) {
            return Err(bad(format!("policy.sanctions.{missing}"), "is missing"));
        }
        for (i, row) in self.sanction_guidance.iter().enumerate() {
            if row.offences.is_empty() || row.sanctions.is_empty() {
                return Err(bad(
                    format!("policy.sanction_guidance[{i}]"),
                    "needs offences and sanctions",
                ));
            }
            if let Some(unknown) = row
                .sanctions
                .iter()
                .find(|k| !self.sanctions.contains_key(*k))
            {
                return Err(bad(
                    format!("policy.sanction_guidance[{i}].sanctions"),
                    &format!("names {unknown:?}, which is not in [sanctions]"),
                ));
            }
        }
        for level in ["LOW", "MEDIUM", "HIGH"] {
            match self.routing.get(level) {
                None => return Err(bad(format!("policy.routing.{level}"), "is missing")),
                Some(role) if StaffRole::parse(role).is_none() => {
                    return Err(bad(
                        format!("policy.routing.{level}"),
                        "is not a staff role",
                    ));
                }
                Some(_) => {}
            }
        }
        if let Some(key) = self
            .routing
            .keys()
            .find(|k| !["LOW", "MEDIUM", "HIGH"].contains(&k.as_str()))
        {
            return Err(bad(
                format!("policy.routing.{key}"),
                "is not LOW, MEDIUM or HIGH",
            ));
        }
        let kinds = self.triage.kinds();
        for (i, route) in self.triage.routes.iter().enumerate() {
            if route.to.trim().is_empty() {
                return Err(bad(format!("policy.triage.routes[{i}].to"), "is empty"));
            }
            if let Some(level) = route
                .levels
                .iter()
                .find(|l| !["LOW", "MEDIUM", "HIGH"].contains(&l.as_str()))
            {
                return Err(bad(
                    format!("policy.triage.routes[{i}].levels"),
                    &format!("names {level:?}, not LOW, MEDIUM or HIGH"),
                ));
            }
            if let Some(kind) = route
                .only_kinds
                .iter()
                .find(|k| !kinds.contains(&k.as_str()))
            {
                return Err(bad(
                    format!("policy.triage.routes[{i}].only_kinds"),
                    &format!(
                        "names {kind:?}, not a kind of breach (GENERAL or triage.breach_kinds)"
                    ),
                ));
            }
        }
        if crate::domain::calendar::Nation::parse(&self.calendar.bank_holidays).is_none() {
            return Err(bad(
                "policy.calendar.bank_holidays".into(),
                &format!(
                    "must be one of {}",
                    crate::domain::calendar::Nation::NAMES.join(", ")
                ),
            ));
        }
        if let Some(role) = self
            .fitness_to_study
            .medical_detail_roles
            .iter()
            .find(|r| StaffRole::parse(r).is_none())
        {
            return Err(bad(
                "policy.fitness_to_study.medical_detail_roles".into(),
                &format!("{role} is not a staff role"),
            ));
        }
        for (key, size) in [
            ("panel_size", self.hearings.panel_size),
            ("referral_panel_size", self.hearings.referral_panel_size),
        ] {
            if !matches!(size, 1 | 3 | 5 | 7) {
                return Err(bad(
                    format!("policy.hearings.{key}"),
                    "must be 1, 3, 5 or 7: an odd number, so the members always reach a majority",
                ));
            }
        }
        let grounds = &self.appeals.grounds;
        if grounds.is_empty() {
            return Err(bad(
                "policy.appeals.grounds".into(),
                "must name at least one ground of appeal",
            ));
        }
        if let Some(ground) = grounds
            .iter()
            .find(|g| crate::domain::kinds::AppealGround::parse(g).is_none())
        {
            return Err(bad(
                "policy.appeals.grounds".into(),
                &format!(
                    "{ground} is not a ground of appeal; use {}",
                    crate::domain::kinds::AppealGround::ALL
                        .iter()
                        .map(|g| g.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        }
        if StaffRole::parse(&self.data_protection.officer_role).is_none() {
            return Err(bad(
                "policy.data_protection.officer_role".into(),
                "is not a staff role",
            ));
        }
        let b = &self.disclosure_to_reporting_party;
        for (key, basis) in [
            ("progress", &b.progress),
            ("measures_in_place", &b.measures_in_place),
            ("outcome", &b.outcome),
        ] {
            if basis.trim().is_empty() {
                return Err(bad(
                    format!("policy.disclosure_to_reporting_party.{key}"),
                    "needs the lawful basis of this disclosure",
                ));
            }
        }
        for stage in Stage::ALL {
            match self.progress_labels.get(stage.as_str()) {
                Some(label) if !label.trim().is_empty() => {}
                _ => {
                    return Err(bad(
                        format!("policy.progress_labels.{}", stage.as_str()),
                        "needs a non-empty label",
                    ));
                }
            }
        }
        if let Some(key) = self
            .progress_labels
            .keys()
            .find(|k| Stage::parse(k).is_none())
        {
            return Err(bad(
                format!("policy.progress_labels.{key}"),
                "is not a stage",
            ));
        }
        Ok(())
    }

    /// The limited form of a stage shown to parties (000 §36).
    pub fn progress_label(&self, stage: Stage) -> &str {
        self.progress_labels
            .get(stage.as_str())
            .map(String::as_str)
            .unwrap_or("In progress")
    }

    /// The role of the data protection officer (validated at load).
    /// R-FTS-1: the roles that read medical detail.
    pub fn medical_detail_roles(&self) -> Vec<StaffRole> {
        self.fitness_to_study
            .medical_detail_roles
            .iter()
            .filter_map(|r| StaffRole::parse(r))
            .collect()
    }

    /// R-APP-2 (amended): the grounds of appeal this procedure allows.
    pub fn appeal_grounds(&self) -> Vec<crate::domain::kinds::AppealGround> {
        self.appeals
            .grounds
            .iter()
            .filter_map(|g| crate::domain::kinds::AppealGround::parse(g))
            .collect()
    }

    pub fn data_protection_officer(&self) -> StaffRole {
        StaffRole::parse(&self.data_protection.officer_role).unwrap_or(StaffRole::Admin)
    }

    /// The working-day calendar of this policy (R-TIME-1).
    pub fn calendar(&self) -> crate::domain::calendar::Calendar {
        let nation = crate::domain::calendar::Nation::parse(&self.calendar.bank_holidays)
            .unwrap_or_default();
        crate::domain::calendar::Calendar::of(nation, &self.calendar.closure_days)
    }

    /// Canonical content (sorted JSON): what is stored and hashed per version.
    pub fn canonical(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    pub fn fingerprint(&self) -> String {
        hex::encode(Sha256::digest(self.canonical().as_bytes()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_leicester_policy_is_valid() {
        let policy = Policy::parse(LEICESTER_DEFAULT).expect("valid");
        assert_eq!(policy.deadlines.appeal_window, 10);
        assert_eq!(
            policy.progress_label(Stage::Investigation),
            "Under investigation"
        );
    }

    #[test]
    fn missing_progress_label_is_named() {
        let text = LEICESTER_DEFAULT.replace("TRIAGE = \"Report being assessed\"\n", "");
        let err = Policy::parse(&text).expect_err("invalid");
        assert_eq!(err.key, "policy.progress_labels.TRIAGE");
    }

    #[test]
    fn unknown_key_is_refused() {
        let text = LEICESTER_DEFAULT.replace("[fines]", "[fines]\nmaximum = 3");
        let err = Policy::parse(&text).expect_err("invalid");
        assert!(err.problem.contains("maximum"), "{}", err.problem);
    }

    #[test]
    fn the_bank_holidays_are_chosen_by_nation() {
        let text = LEICESTER_DEFAULT.replace(
            "bank_holidays = \"england-and-wales\"",
            "bank_holidays = \"scotland\"",
        );
        let scottish = Policy::parse(&text).expect("valid");
        let monday_in_august: NaiveDate = "2025-08-04".parse().expect("date");
        assert!(!scottish.calendar().is_working_day(monday_in_august));
        assert!(
            Policy::leicester()
                .calendar()
                .is_working_day(monday_in_august)
        );
        let text = LEICESTER_DEFAULT.replace(
            "bank_holidays = \"england-and-wales\"",
            "bank_holidays = \"wales\"",
        );
        let err = Policy::parse(&text).expect_err("invalid");
        assert_eq!(err.key, "policy.calendar.bank_holidays");
    }

    /// Issue 11 item 3: every key of the policy is read by some rule outside
    /// this module (or is listed under "Reserved keys" in docs/policy.md with
    /// its reason), every key is documented, and every key the docs name exists.
    #[test]
    fn every_key_is_used_and_documented() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let docs = std::fs::read_to_string(root.join("../docs/policy.md")).expect("docs");
        let reserved_section = docs.split("## Reserved keys").nth(1).unwrap_or("");
        let mut source = String::new();
        let mut dirs = vec![root.join("src")];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).expect("dir").flatten() {
                let path = entry.path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "rs")
                    && !path.starts_with(root.join("src/policy"))
                {
                    source += &std::fs::read_to_string(&path).expect("source");
                }
            }
        }
        let value = serde_json::to_value(Policy::leicester()).expect("json");
        let mut keys = Vec::new();
        for (section, v) in value.as_object().expect("object") {
            match v {
                serde_json::Value::Object(fields)
                    if !["sanctions", "routing", "progress_labels"].contains(&section.as_str()) =>
                {
                    for field in fields.keys() {
                        keys.push((format!("{section}.{field}"), format!(".{field}")));
                    }
                }
                _ => keys.push((section.clone(), format!(".{section}"))),
            }
        }
        let mut problems = Vec::new();
        for (key, access) in &keys {
            let field = key.rsplit('.').next().unwrap_or(key);
            let reserved = reserved_section.contains(&format!("`{key}`"));
            // Keys the rules read through this module's accessors.
            let via = match key.as_str() {
                "calendar.closure_days" | "calendar.bank_holidays" => ".calendar()",
                "appeals.grounds" => ".appeal_grounds()",
                "triage.breach_kinds" => ".kinds()",
                "progress_labels" => ".progress_label(",
                "data_protection.officer_role" => ".data_protection_officer()",
                _ => access.as_str(),
            };
            if !reserved && !source.contains(via) {
                problems.push(format!("{key}: read by no rule and not reserved"));
            }
            if !docs.contains(field) {
                problems.push(format!("{key}: not in docs/policy.md"));
            }
        }
        let sections: Vec<&str> = value
            .as_object()
            .expect("object")
            .keys()
            .map(String::as_str)
            .collect();
        for token in docs.split('`').skip(1).step_by(2) {
            if let Some((section, field)) = token.split_once('.')
                && sections.contains(&section)
                && field
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
                && !keys.iter().any(|(k, _)| k == token)
            {
                problems.push(format!("{token}: documented but not a key"));
            }
        }
        assert!(problems.is_empty(), "{problems:#?}");
    }

    /// Every policy shipped in `policy/` loads, under a version of its own.
    #[test]
    fn every_shipped_policy_is_valid() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../policy");
        let mut versions = Vec::new();
        for entry in std::fs::read_dir(dir).expect("policy dir").flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "toml") {
                let text = std::fs::read_to_string(&path).expect("read");
                let policy =
                    Policy::parse(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                versions.push(policy.version);
            }
        }
        versions.sort();
        let count = versions.len();
        versions.dedup();
        assert_eq!(versions.len(), count, "each file its own version");
        assert!(count >= 2, "{versions:?}");
    }

    #[test]
    fn zero_deadline_is_refused() {
        let text = LEICESTER_DEFAULT.replace("appeal_window = 10", "appeal_window = 0");
        let err = Policy::parse(&text).expect_err("invalid");
        assert_eq!(err.key, "policy.deadlines.appeal_window");
    }
}
