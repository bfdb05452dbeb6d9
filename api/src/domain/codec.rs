//! Lists and small records kept as JSON text in one column (a measure's
//! subjects, a hearing's votes, the options a student chose…). They are written
//! only by this server and read back strictly: text that does not decode is a
//! corrupt row, reported as an internal error naming the column — never
//! silently taken for an empty list.

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::{Error, Result};

fn corrupt(column: &str, what: &str, e: impl std::fmt::Display) -> Error {
    Error::Internal(anyhow::anyhow!(
        "{column}: cannot {what} the stored value: {e}"
    ))
}

/// The text stored for `value` in `column`.
pub fn encode<T: Serialize + ?Sized>(column: &str, value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| corrupt(column, "encode", e))
}

/// The value stored in `column`; an error if the text is not what this server writes.
pub fn decode<T: DeserializeOwned>(column: &str, text: &str) -> Result<T> {
    serde_json::from_str(text).map_err(|e| corrupt(column, "decode", e))
}

/// A set of enumeration values, stored as a JSON array of their readable strings.
pub fn encode_enums<T: Copy>(
    column: &str,
    items: &[T],
    as_str: impl Fn(T) -> &'static str,
) -> Result<String> {
    let texts: Vec<&str> = items.iter().map(|i| as_str(*i)).collect();
    encode(column, &texts)
}

/// Reads a set of enumeration values; an unknown value is an error too.
pub fn decode_enums<T>(
    column: &str,
    text: &str,
    from_db: impl Fn(&str) -> Result<T>,
) -> Result<Vec<T>> {
    let texts: Vec<String> = decode(column, text)?;
    texts.iter().map(|t| from_db(t)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::kinds::PartyRole;

    #[test]
    fn what_is_written_reads_back() {
        let text = encode_enums(
            "t.c",
            &[PartyRole::Reporting, PartyRole::Witness],
            PartyRole::as_str,
        );
        let text = text.unwrap_or_default();
        assert_eq!(text, r#"["REPORTING","WITNESS"]"#);
        let back = decode_enums("t.c", &text, PartyRole::from_db).unwrap_or_default();
        assert_eq!(back, vec![PartyRole::Reporting, PartyRole::Witness]);
    }

    #[test]
    fn a_corrupt_value_is_an_internal_error_naming_the_column() {
        let err = decode::<Vec<uuid::Uuid>>("measure.subjects", "not json").err();
        let err = err.map(|e| (e.code(), format!("{e:#?}")));
        assert!(matches!(&err, Some(("INTERNAL", text)) if text.contains("measure.subjects")));
        let unknown = decode_enums("party.roles", r#"["BYSTANDER"]"#, PartyRole::from_db);
        assert!(
            unknown.is_err(),
            "an unknown enumeration value is not skipped"
        );
    }
}
