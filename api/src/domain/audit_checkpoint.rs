//! Checkpoints of the audit chain's head, kept where someone with access to
//! the database alone cannot rewrite them: an append-only file beside the
//! server and its log output (issue 12 item 7). The hash chain shows an edit
//! or a deletion in the middle; a checkpoint also shows entries cut from the
//! end, or a chain rewritten from some point on, up to the last checkpoint.

use std::io::Write;
use std::path::Path;

use chrono::{DateTime, SecondsFormat, Utc};
use entity::audit_entry;
use sea_orm::{ConnectionTrait, EntityTrait, QueryOrder};

use crate::error::Result;

/// The head of the chain at some moment: its last entry's number and hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    pub seq: i64,
    pub hash: String,
}

impl Checkpoint {
    /// `SEQ:HASH`, as `verify-audit --checkpoint` takes it and the log prints it.
    pub fn parse(text: &str) -> Option<Checkpoint> {
        let (seq, hash) = text.trim().split_once(':')?;
        let seq = seq.trim().parse().ok()?;
        let hash = hash.trim();
        (!hash.is_empty() && hash.chars().all(|c| c.is_ascii_hexdigit())).then(|| Checkpoint {
            seq,
            hash: hash.to_owned(),
        })
    }

    pub fn text(&self) -> String {
        format!("{}:{}", self.seq, self.hash)
    }
}

/// The chain's head now; None while the log is empty.
pub async fn head(db: &impl ConnectionTrait) -> Result<Option<Checkpoint>> {
    Ok(audit_entry::Entity::find()
        .order_by_desc(audit_entry::Column::Seq)
        .one(db)
        .await?
        .map(|e| Checkpoint {
            seq: e.seq,
            hash: e.hash,
        }))
}

/// Appends a checkpoint to the file (one line: time, then `SEQ:HASH`),
/// creating it readable by its owner only, and makes it durable.
pub fn append(path: &Path, checkpoint: &Checkpoint, at: DateTime<Utc>) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    writeln!(
        file,
        "{} {}",
        at.to_rfc3339_opts(SecondsFormat::Secs, true),
        checkpoint.text()
    )?;
    file.sync_data()
}

/// The latest checkpoint in the file; None when there is no file yet.
pub fn latest_in(path: &Path) -> std::io::Result<Option<Checkpoint>> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    Ok(text
        .lines()
        .rev()
        .find_map(|line| line.split_whitespace().last().and_then(Checkpoint::parse)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_checkpoint_reads_back_as_written() {
        let path = std::env::temp_dir().join(format!("cp-{}", uuid::Uuid::new_v4()));
        assert_eq!(latest_in(&path).expect("read"), None);
        for (seq, hash) in [(3, "ab12"), (9, "cd34")] {
            let cp = Checkpoint {
                seq,
                hash: hash.into(),
            };
            append(&path, &cp, Utc::now()).expect("append");
        }
        assert_eq!(
            latest_in(&path).expect("read"),
            Some(Checkpoint {
                seq: 9,
                hash: "cd34".into()
            })
        );
        assert_eq!(Checkpoint::parse("12:zz"), None);
        std::fs::remove_file(&path).expect("remove");
    }
}
