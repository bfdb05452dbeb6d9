//! The stage model of DOMAIN §2 as an explicit state machine. Only the listed
//! transitions are allowed; `PAUSED` remembers the stage to resume.

use crate::domain::kinds::Stage;
use crate::error::{Error, Result};

/// The forward transitions of DOMAIN §2 (pausing and withdrawal are separate).
const TRANSITIONS: &[(Stage, Stage)] = {
    use Stage::*;
    &[
        (Disclosure, ReportReceived),
        (Disclosure, Closed),
        (ReportReceived, Triage),
        (Triage, Investigation),
        (Triage, InformalResolution),
        (Triage, Closed),
        // R-INV-5: a conviction or caution goes straight to the formal stage.
        (Triage, Decision),
        // R-HEA-5: the case officer's own penalties on a LOW or MEDIUM case.
        (Triage, Outcome),
        (Investigation, Decision),
        (Decision, Closed),
        (Decision, Outcome),
        (Decision, Hearing),
        (Decision, InformalResolution),
        (InformalResolution, Closed),
        (Hearing, Outcome),
        (Outcome, Appeal),
        (Outcome, Closed),
        (Appeal, Closed),
    ]
};

pub fn is_open(stage: Stage) -> bool {
    !matches!(stage, Stage::Closed | Stage::Withdrawn)
}

/// Where a case may go next from `stage` (for clients that want to show actions).
pub fn next_stages(stage: Stage) -> Vec<Stage> {
    let mut next: Vec<Stage> = TRANSITIONS
        .iter()
        .filter(|(f, _)| *f == stage)
        .map(|(_, t)| *t)
        .collect();
    if is_open(stage) {
        if stage != Stage::Paused {
            next.push(Stage::Paused);
        }
        next.push(Stage::Withdrawn);
    }
    next
}

/// A move the state machine has approved: the new stage and what to remember.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Move {
    pub from: Stage,
    pub to: Stage,
    pub paused_from: Option<Stage>,
}

/// Checks a forward transition. `rule` names the DOMAIN rule the caller is applying.
pub fn advance(from: Stage, to: Stage) -> Result<Move> {
    if TRANSITIONS.contains(&(from, to)) {
        Ok(Move {
            from,
            to,
            paused_from: None,
        })
    } else {
        Err(Error::rule(
            "LIFECYCLE",
            format!("A case cannot move from {from} to {to}."),
        ))
    }
}

pub fn pause(from: Stage) -> Result<Move> {
    if from == Stage::Paused {
        return Err(Error::rule("LIFECYCLE", "This case is already paused."));
    }
    if !is_open(from) {
        return Err(Error::rule(
            "LIFECYCLE",
            format!("A {from} case cannot be paused."),
        ));
    }
    Ok(Move {
        from,
        to: Stage::Paused,
        paused_from: Some(from),
    })
}

pub fn resume(current: Stage, paused_from: Option<Stage>) -> Result<Move> {
    match (current, paused_from) {
        (Stage::Paused, Some(back)) => Ok(Move {
            from: current,
            to: back,
            paused_from: None,
        }),
        _ => Err(Error::rule(
            "LIFECYCLE",
            "Only a paused case can be resumed.",
        )),
    }
}

/// R-FTS-1: proceedings adjourned for fitness to study end on health
/// grounds: from the pause, straight to closed.
pub fn end_on_health_grounds(from: Stage) -> Result<Move> {
    if from == Stage::Paused {
        Ok(Move {
            from,
            to: Stage::Closed,
            paused_from: None,
        })
    } else {
        Err(Error::rule(
            "R-FTS-1",
            "Proceedings end on health grounds from the adjournment for fitness to study.",
        ))
    }
}

/// The reporting party withdraws (R-INV-6): allowed from any open stage.
pub fn withdraw(from: Stage) -> Result<Move> {
    if is_open(from) {
        Ok(Move {
            from,
            to: Stage::Withdrawn,
            paused_from: None,
        })
    } else {
        Err(Error::rule(
            "R-INV-6",
            format!("A {from} case can no longer be withdrawn."),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn disclosure_can_become_a_report_or_close() {
        assert!(advance(Stage::Disclosure, Stage::ReportReceived).is_ok());
        assert!(advance(Stage::Disclosure, Stage::Closed).is_ok());
        assert!(advance(Stage::Disclosure, Stage::Investigation).is_err());
    }

    #[test]
    fn closed_cases_go_nowhere() {
        for to in Stage::ALL {
            assert!(advance(Stage::Closed, *to).is_err());
        }
        assert!(pause(Stage::Closed).is_err());
        assert!(withdraw(Stage::Closed).is_err());
        assert!(next_stages(Stage::Closed).is_empty());
    }

    #[test]
    fn pause_remembers_where_to_resume() {
        let paused = pause(Stage::Investigation).expect("pausable");
        assert_eq!(paused.paused_from, Some(Stage::Investigation));
        let resumed = resume(Stage::Paused, paused.paused_from).expect("resumable");
        assert_eq!(resumed.to, Stage::Investigation);
        assert!(pause(Stage::Paused).is_err());
        assert!(resume(Stage::Triage, None).is_err());
    }

    #[test]
    fn withdrawal_is_possible_from_every_open_stage() {
        for stage in Stage::ALL.iter().copied().filter(|s| is_open(*s)) {
            assert_eq!(withdraw(stage).expect("open").to, Stage::Withdrawn);
        }
    }

    #[test]
    fn every_stage_is_reachable_from_disclosure() {
        let mut seen = vec![Stage::Disclosure];
        let mut i = 0;
        while let Some(stage) = seen.get(i).copied() {
            for next in next_stages(stage) {
                if !seen.contains(&next) {
                    seen.push(next);
                }
            }
            i += 1;
        }
        assert_eq!(seen.len(), Stage::ALL.len());
    }
}
