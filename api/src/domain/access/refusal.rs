//! The one rule for refusals (DOMAIN §3): a viewer who may not know a thing
//! exists is told it was not found, exactly as if it did not exist; a viewer
//! who may already know it exists is told they may not do this.

use crate::error::Error;

/// NOT_FOUND naming `thing` when the viewer may not know it exists;
/// FORBIDDEN with `message` when they may.
pub fn refuse(may_know_it_exists: bool, thing: &'static str, message: impl Into<String>) -> Error {
    if may_know_it_exists {
        Error::Forbidden(message.into())
    } else {
        Error::Concealed(thing, None)
    }
}

/// Turns "the case was not found" into "`thing` was not found", for actions on
/// a record of a case (a hearing, an appeal): a viewer who cannot see the case
/// must not learn that the record exists. Any other error passes unchanged —
/// a database failure is never reported as "not found".
pub fn hide_case_as(thing: &'static str) -> impl FnOnce(Error) -> Error {
    move |err| match err {
        Error::NotFound("case") => Error::NotFound(thing),
        Error::Concealed("case", case) => Error::Concealed(thing, case),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_viewer_who_may_know_hears_forbidden_and_others_not_found() {
        assert_eq!(refuse(true, "case", "no").code(), "FORBIDDEN");
        assert_eq!(refuse(false, "case", "no").code(), "NOT_FOUND");
    }

    #[test]
    fn only_a_missing_case_becomes_a_missing_record() {
        assert_eq!(
            hide_case_as("hearing")(Error::NotFound("case")).to_string(),
            "hearing not found"
        );
        let db = hide_case_as("hearing")(Error::Internal(anyhow::anyhow!("connection reset")));
        assert_eq!(db.code(), "INTERNAL");
        let other = hide_case_as("hearing")(Error::NotFound("party"));
        assert_eq!(other.to_string(), "party not found");
    }
}
