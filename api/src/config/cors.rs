//! The origins whose pages may call the API from a browser (CORS). None by
//! default: a portal on its own origin is named here, exactly. No wildcard:
//! the API carries case content, and naming each portal is no burden.

use super::ConfigError;

const KEY: &str = "cors_origins (MISCONDUCT_CORS_ORIGINS)";

/// Origins from `MISCONDUCT_CORS_ORIGINS` (comma-separated) or the file's
/// `cors_origins` list, each checked and written as browsers send it
/// (`https://portal.example.ac.uk`, no path, no trailing slash).
pub(super) fn load_cors(
    env: &dyn Fn(&str) -> Option<String>,
    file: &[String],
) -> Result<Vec<String>, ConfigError> {
    let listed = super::list(env, "MISCONDUCT_CORS_ORIGINS", file);
    listed.iter().map(|text| origin(text)).collect()
}

fn origin(text: &str) -> Result<String, ConfigError> {
    let problem = |why: &str| ConfigError {
        key: KEY.into(),
        problem: format!("{text:?} {why}; write an origin like https://portal.example.ac.uk"),
    };
    if text == "*" {
        return Err(problem("is a wildcard, which is not allowed"));
    }
    let url = reqwest::Url::parse(text).map_err(|e| problem(&format!("is not an origin ({e})")))?;
    if !matches!(url.scheme(), "https" | "http") || url.host_str().is_none() {
        return Err(problem("is not an http or https origin"));
    }
    if url.path() != "/"
        || url.query().is_some()
        || url.fragment().is_some()
        || !url.username().is_empty()
    {
        return Err(problem("has more than scheme, host and port"));
    }
    Ok(url.origin().ascii_serialization())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Result<Vec<String>, ConfigError> {
        load_cors(
            &|k| (k == "MISCONDUCT_CORS_ORIGINS").then(|| text.to_string()),
            &[],
        )
    }

    #[test]
    fn origins_are_checked_and_normalised() {
        assert_eq!(
            load("https://portal.example.ac.uk/, http://localhost:5173").ok(),
            Some(vec![
                "https://portal.example.ac.uk".to_string(),
                "http://localhost:5173".to_string()
            ])
        );
        assert_eq!(load("").ok(), Some(vec![]));
        for bad in [
            "*",
            "portal.example.ac.uk",
            "https://p.example/app",
            "ftp://p.example",
        ] {
            assert!(load(bad).is_err(), "{bad}");
        }
    }
}
