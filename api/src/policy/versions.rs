//! Policy versions (issue 11 item 1): every case follows the policy version it
//! was opened under; a changed file is a new version for new cases only.
//!
//! On start the server records the file's content under its `version`. If that
//! name was already used with other content, the changed file is recorded as
//! `<version>+<first 12 hex digits of its SHA-256>` — a new version, not a
//! refusal — and a warning says to name it properly next time. Versions are
//! stored whole (canonical JSON and its hash) and read back when a case under
//! them is acted on; one this instance has not seen (recorded by a newer
//! instance) is read from the database on first use.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use entity::policy_version;
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, Set};
use serde_json::Value;

use super::Policy;
use crate::error::{Error, Result};

/// The version id `policy` is recorded under, recording it if it is new.
pub async fn register(db: &impl ConnectionTrait, policy: &Policy) -> anyhow::Result<String> {
    let fingerprint = policy.fingerprint();
    let mut id = policy.version.clone();
    if let Some(existing) = policy_version::Entity::find_by_id(id.clone())
        .one(db)
        .await?
    {
        if existing.sha256 == fingerprint {
            return Ok(id);
        }
        id = format!("{}+{}", policy.version, &fingerprint[..12]);
        match policy_version::Entity::find_by_id(id.clone())
            .one(db)
            .await?
        {
            Some(same) if same.sha256 == fingerprint => return Ok(id),
            Some(_) => anyhow::bail!("policy version {id:?} is recorded with other content"),
            None => tracing::warn!(
                named = %policy.version,
                recorded_as = %id,
                "the policy file changed but kept its version name; recorded as a new version \
                 (cases already open keep theirs). Give the next change a new `version`"
            ),
        }
    }
    let mut stored = policy.clone();
    stored.version = id.clone();
    policy_version::ActiveModel {
        version: Set(id.clone()),
        content: Set(stored.canonical()),
        sha256: Set(fingerprint),
        first_loaded_at: Set(chrono::Utc::now()),
    }
    .insert(db)
    .await?;
    Ok(id)
}

/// Reads a stored version. Keys added to the policy since it was recorded take
/// Leicester's values, which is what the service did before they existed.
fn parse_stored(content: &str) -> anyhow::Result<Policy> {
    let mut merged = serde_json::to_value(Policy::leicester())?;
    merge(&mut merged, serde_json::from_str(content)?);
    Ok(serde_json::from_value(merged)?)
}

fn merge(base: &mut Value, over: Value) {
    match (base, over) {
        (Value::Object(base), Value::Object(over)) => {
            for (key, value) in over {
                merge(base.entry(key).or_insert(Value::Null), value);
            }
        }
        (base, over) => *base = over,
    }
}

/// The policy in force for new cases, and every version a case may follow.
pub struct PolicyBook {
    current: Arc<Policy>,
    versions: RwLock<HashMap<String, Arc<Policy>>>,
}

impl PolicyBook {
    /// Records `policy` (see [`register`]) and reads every stored version.
    pub async fn load(db: &impl ConnectionTrait, policy: &Policy) -> anyhow::Result<PolicyBook> {
        let id = register(db, policy).await?;
        let mut current = policy.clone();
        current.version = id;
        let current = Arc::new(current);
        let mut versions = HashMap::new();
        for row in policy_version::Entity::find().all(db).await? {
            let parsed = if row.version == current.version {
                current.clone()
            } else {
                match parse_stored(&row.content) {
                    Ok(p) => Arc::new(Policy {
                        version: row.version.clone(),
                        letters: current.letters.clone(),
                        ..p
                    }),
                    Err(e) => {
                        // Kept out of the book: a case under it is refused, not run
                        // under another version.
                        tracing::warn!(version = %row.version, error = %e, "stored policy version unreadable");
                        continue;
                    }
                }
            };
            versions.insert(row.version, parsed);
        }
        Ok(PolicyBook {
            current,
            versions: RwLock::new(versions),
        })
    }

    /// A book of one version (tests and tools).
    pub fn of(policy: Policy) -> PolicyBook {
        let current = Arc::new(policy);
        let versions = HashMap::from([(current.version.clone(), current.clone())]);
        PolicyBook {
            current,
            versions: RwLock::new(versions),
        }
    }

    /// The version new cases are opened under.
    pub fn current(&self) -> &Arc<Policy> {
        &self.current
    }

    /// The version a case follows (R-TIME and every other policy rule).
    pub async fn for_case(
        &self,
        db: &impl ConnectionTrait,
        case: &entity::case::Model,
    ) -> Result<Arc<Policy>> {
        self.version(db, &case.policy_version).await
    }

    /// A stored version by id, read from the database the first time.
    pub async fn version(&self, db: &impl ConnectionTrait, id: &str) -> Result<Arc<Policy>> {
        if let Some(p) = self.cached(id) {
            return Ok(p);
        }
        let row = policy_version::Entity::find_by_id(id.to_string())
            .one(db)
            .await?
            .ok_or_else(|| {
                Error::Internal(anyhow::anyhow!("policy version {id:?} is not stored"))
            })?;
        let parsed = parse_stored(&row.content)
            .map(|p| {
                Arc::new(Policy {
                    version: row.version.clone(),
                    letters: self.current.letters.clone(),
                    ..p
                })
            })
            .map_err(|e| Error::Internal(e.context(format!("policy version {id:?} unreadable"))))?;
        self.versions
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .insert(row.version, parsed.clone());
        Ok(parsed)
    }

    /// A version already read, without the database.
    pub fn cached(&self, id: &str) -> Option<Arc<Policy>> {
        self.versions
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .get(id)
            .cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::super::LEICESTER_DEFAULT;
    use super::*;

    #[test]
    fn a_stored_version_without_newer_keys_reads_with_leicesters_values() {
        let mut old: Value = serde_json::to_value(Policy::leicester()).expect("json");
        let fields = old.as_object_mut().expect("object");
        fields.remove("data_protection");
        fields.insert("version".into(), Value::String("old-1".into()));
        if let Some(Value::Object(d)) = fields.get_mut("deadlines") {
            d.insert("appeal_window".into(), Value::from(15));
        }
        let parsed = parse_stored(&old.to_string()).expect("parsed");
        assert_eq!(parsed.version, "old-1");
        assert_eq!(parsed.deadlines.appeal_window, 15, "its own values kept");
        assert_eq!(
            parsed.data_protection.officer_role, "DATA_PROTECTION_OFFICER",
            "a key it lacked takes Leicester's"
        );
        assert!(LEICESTER_DEFAULT.contains("officer_role"));
    }
}
