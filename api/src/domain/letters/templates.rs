//! Letter wording (issue 9 §4): one template per letter kind, the Leicester
//! wording built in, a university's own files in a `letters/` folder beside its
//! policy file. Every template is checked at start-up: a field no letter of its
//! kind has, or a file for a kind that does not exist, stops the server with an
//! error naming the file and the field.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use minijinja::{Environment, UndefinedBehavior, Value};

use crate::config::ConfigError;
use crate::domain::kinds::LetterKind;
use crate::error::{Error, Result};

/// Fields every letter has.
const COMMON: &[&str] = &["reference", "date", "recipient", "institution", "title"];

/// The fields a template of `kind` may use, beside [`COMMON`].
pub fn fields(kind: LetterKind) -> &'static [&'static str] {
    match kind {
        LetterKind::MeetingInvitation => &[
            "meeting_date",
            "meeting_time",
            "place",
            "notice_days",
            "shorter_notice_agreed",
            "written_response_due",
            "rearranged",
        ],
        LetterKind::MeetingCancelled => &["meeting_date", "meeting_time"],
        LetterKind::InvestigationReportIssued => &["review_days", "review_last_day"],
        LetterKind::ReviewAccepted => &["requested_by_you"],
        LetterKind::ReviewRefused => &["reasons"],
        LetterKind::ReviewOutcome => &["outcome", "substantive_change", "review_last_day"],
        LetterKind::CasePaused => &["paused_on", "next_update_by"],
        LetterKind::CaseResumed => &["resumed_on", "days_moved"],
        LetterKind::HearingSummons | LetterKind::HearingRearranged => &[
            "hearing_date",
            "hearing_time",
            "place",
            "notice_days",
            "alleged_breaches",
            "penalty_range",
            "proposed_penalty",
            "response_due",
            "evidence",
        ],
        LetterKind::Outcome => &[
            "breach_found",
            "reasons",
            "sanctions",
            "appeal_window_days",
            "appeal_last_day",
            "appeal_grounds",
        ],
        LetterKind::AppealAcknowledgement => &["lodged_on", "grounds", "decision_due_on"],
        LetterKind::AppealOutcome => &["result", "reasons"],
        LetterKind::CompletionOfProcedures => {
            &["completed_on", "complaint_months", "complaint_last_day"]
        }
        LetterKind::ReportingPartyOutcome => {
            &["concluded_on", "student", "breach_found", "sanctions"]
        }
        LetterKind::MeasureNotice => &[
            "new",
            "measure",
            "details",
            "starts_on",
            "ends_on",
            "review_due",
        ],
        LetterKind::MeasuresChanged => &["change"],
        LetterKind::OutcomeCopy => &[
            "office",
            "student",
            "breach_found",
            "sanctions",
            "after_appeal",
        ],
        LetterKind::ProgressUpdate => &["message", "paused", "next_update_by"],
        LetterKind::AppealReferred => &["referred_on", "reasons", "decision_due_on"],
        LetterKind::HearingReferred => &["referred_on", "body", "reasons"],
    }
}

/// The file a kind's template is read from, e.g. `outcome.txt`.
pub fn file_name(kind: LetterKind) -> String {
    format!("{}.txt", kind.as_str().to_ascii_lowercase())
}

fn builtin(kind: LetterKind) -> &'static str {
    match kind {
        LetterKind::MeetingInvitation => {
            include_str!("../../../../policy/letters/meeting_invitation.txt")
        }
        LetterKind::InvestigationReportIssued => {
            include_str!("../../../../policy/letters/investigation_report_issued.txt")
        }
        LetterKind::ReviewAccepted => {
            include_str!("../../../../policy/letters/review_accepted.txt")
        }
        LetterKind::ReviewRefused => include_str!("../../../../policy/letters/review_refused.txt"),
        LetterKind::ReviewOutcome => include_str!("../../../../policy/letters/review_outcome.txt"),
        LetterKind::MeetingCancelled => {
            include_str!("../../../../policy/letters/meeting_cancelled.txt")
        }
        LetterKind::HearingRearranged => {
            include_str!("../../../../policy/letters/hearing_rearranged.txt")
        }
        LetterKind::CasePaused => include_str!("../../../../policy/letters/case_paused.txt"),
        LetterKind::CaseResumed => include_str!("../../../../policy/letters/case_resumed.txt"),
        LetterKind::HearingSummons => {
            include_str!("../../../../policy/letters/hearing_summons.txt")
        }
        LetterKind::Outcome => include_str!("../../../../policy/letters/outcome.txt"),
        LetterKind::AppealAcknowledgement => {
            include_str!("../../../../policy/letters/appeal_acknowledgement.txt")
        }
        LetterKind::AppealOutcome => include_str!("../../../../policy/letters/appeal_outcome.txt"),
        LetterKind::CompletionOfProcedures => {
            include_str!("../../../../policy/letters/completion_of_procedures.txt")
        }
        LetterKind::ReportingPartyOutcome => {
            include_str!("../../../../policy/letters/reporting_party_outcome.txt")
        }
        LetterKind::MeasureNotice => include_str!("../../../../policy/letters/measure_notice.txt"),
        LetterKind::MeasuresChanged => {
            include_str!("../../../../policy/letters/measures_changed.txt")
        }
        LetterKind::OutcomeCopy => include_str!("../../../../policy/letters/outcome_copy.txt"),
        LetterKind::ProgressUpdate => {
            include_str!("../../../../policy/letters/progress_update.txt")
        }
        LetterKind::AppealReferred => {
            include_str!("../../../../policy/letters/appeal_referred.txt")
        }
        LetterKind::HearingReferred => {
            include_str!("../../../../policy/letters/hearing_referred.txt")
        }
    }
}

/// The compiled templates, one per letter kind.
#[derive(Debug)]
pub struct Templates {
    env: Environment<'static>,
    /// Where each template came from: "built in" or the file's path.
    origin: BTreeMap<LetterKind, String>,
}

impl PartialEq for Templates {
    fn eq(&self, other: &Self) -> bool {
        self.origin == other.origin
    }
}

impl Templates {
    /// The built-in (Leicester) wording. Checked by a unit test, so it cannot fail.
    pub fn builtin() -> Templates {
        Self::load(None).unwrap_or_else(|e| panic!("built-in letter templates invalid: {e}"))
    }

    /// The built-in wording with the files of `dir` (if any) in its place.
    pub fn load(dir: Option<&Path>) -> std::result::Result<Templates, ConfigError> {
        let mut sources: BTreeMap<LetterKind, (String, String)> = LetterKind::ALL
            .iter()
            .map(|k| (*k, ("built in".to_string(), builtin(*k).to_string())))
            .collect();
        if let Some(dir) = dir.filter(|d| d.is_dir()) {
            for (kind, path, text) in read_dir(dir)? {
                sources.insert(kind, (path, text));
            }
        }
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        let mut origin = BTreeMap::new();
        for (kind, (from, text)) in sources {
            let problem = |problem: String| ConfigError {
                key: format!("letters/{} ({from})", file_name(kind)),
                problem,
            };
            env.add_template_owned(file_name(kind), text)
                .map_err(|e| problem(e.to_string()))?;
            let template = env
                .get_template(&file_name(kind))
                .map_err(|e| problem(e.to_string()))?;
            let allowed: BTreeSet<&str> = COMMON.iter().chain(fields(kind)).copied().collect();
            let mut unknown: Vec<String> = template
                .undeclared_variables(false)
                .into_iter()
                .filter(|v| !allowed.contains(v.as_str()))
                .collect();
            unknown.sort();
            if let Some(field) = unknown.first() {
                return Err(problem(format!(
                    "refers to `{field}`, which a {} letter does not have; it may use {}",
                    kind.as_str(),
                    allowed.into_iter().collect::<Vec<_>>().join(", ")
                )));
            }
            origin.insert(kind, from);
        }
        Ok(Templates { env, origin })
    }

    /// Where the template of `kind` came from.
    pub fn origin(&self, kind: LetterKind) -> &str {
        self.origin.get(&kind).map_or("built in", String::as_str)
    }

    /// The letter's text. Every field of the kind must be given (none may be
    /// missing: a template is free to use any of them).
    pub fn render(
        &self,
        kind: LetterKind,
        values: BTreeMap<&'static str, Value>,
    ) -> Result<String> {
        let template = self
            .env
            .get_template(&file_name(kind))
            .map_err(|e| Error::Internal(anyhow::anyhow!("letter template {kind}: {e}")))?;
        template
            .render(Value::from(values))
            .map_err(|e| Error::Internal(anyhow::anyhow!("letter template {kind}: {e}")))
    }
}

/// The `.txt` files of a letters folder; any other file is an error, so a
/// misspelt name is not silently ignored.
fn read_dir(dir: &Path) -> std::result::Result<Vec<(LetterKind, String, String)>, ConfigError> {
    let failed = |problem: String| ConfigError {
        key: format!("letters ({})", dir.display()),
        problem,
    };
    let mut out = Vec::new();
    let entries = std::fs::read_dir(dir).map_err(|e| failed(e.to_string()))?;
    for entry in entries {
        let path = entry.map_err(|e| failed(e.to_string()))?.path();
        let shown = path.display().to_string();
        let kind = LetterKind::ALL
            .iter()
            .find(|k| path.file_name().is_some_and(|n| *n == *file_name(**k)))
            .ok_or_else(|| ConfigError {
                key: format!("letters ({shown})"),
                problem: format!(
                    "is not a letter template; the files are {}",
                    LetterKind::ALL
                        .iter()
                        .map(|k| file_name(*k))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            })?;
        let text = std::fs::read_to_string(&path).map_err(|e| ConfigError {
            key: format!("letters ({shown})"),
            problem: e.to_string(),
        })?;
        out.push((*kind, shown, text));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_wording_is_valid_for_every_kind() {
        let t = Templates::load(None).expect("built in");
        for kind in LetterKind::ALL {
            assert_eq!(t.origin(*kind), "built in");
        }
    }

    #[test]
    fn an_unknown_field_stops_start_up_naming_the_file_and_the_field() {
        let dir = std::env::temp_dir().join(format!("letters-{}", uuid::Uuid::now_v7()));
        std::fs::create_dir_all(&dir).expect("dir");
        std::fs::write(
            dir.join("outcome.txt"),
            "Dear {{ recipient }}, {{ penalty }}",
        )
        .expect("write");
        let err = Templates::load(Some(&dir)).expect_err("refused");
        let shown = err.to_string();
        assert!(shown.contains("outcome.txt"), "{shown}");
        assert!(shown.contains("`penalty`"), "{shown}");
        std::fs::write(
            dir.join("outcome.txt"),
            "Dear {{ recipient }}, {{ reasons }}",
        )
        .expect("write");
        let t = Templates::load(Some(&dir)).expect("valid");
        assert!(t.origin(LetterKind::Outcome).ends_with("outcome.txt"));
        std::fs::write(dir.join("outcom.txt"), "x").expect("write");
        let err = Templates::load(Some(&dir)).expect_err("misspelt file");
        assert!(err.to_string().contains("outcom.txt"), "{err}");
        std::fs::remove_dir_all(&dir).expect("clean");
    }
}
