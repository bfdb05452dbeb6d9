//! Letter delivery settings: SMTP relay, sender, and the delivery worker.

use serde::Deserialize;

use super::{ConfigError, Mode, Secret, number};

/// Delivery of scheduled communications from the outbox.
#[derive(Debug, Clone)]
pub struct MailConfig {
    /// `smtp://`, `smtps://` (or `?tls=required`) URL with any credentials; when
    /// unset, messages go to the log (development only).
    pub smtp_url: Option<Secret>,
    pub from: String,
    /// Whether this instance runs the delivery worker.
    pub deliver: bool,
    pub poll_ms: u64,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FileMail {
    smtp_url: Option<String>,
    from: Option<String>,
    delivery: Option<String>,
    poll_ms: Option<usize>,
}

pub(super) fn load_mail(
    env: &dyn Fn(&str) -> Option<String>,
    file: &FileMail,
    mode: Mode,
) -> Result<MailConfig, ConfigError> {
    let pick = |var: &str, file_value: &Option<String>| env(var).or_else(|| file_value.clone());
    let deliver = match pick("MISCONDUCT_DELIVERY", &file.delivery).as_deref() {
        None | Some("on") => true,
        Some("off") => false,
        Some(other) => {
            return Err(ConfigError {
                key: "mail.delivery (MISCONDUCT_DELIVERY)".into(),
                problem: format!("{other:?} is not `on` or `off`"),
            });
        }
    };
    let smtp_url = pick("MISCONDUCT_SMTP_URL", &file.smtp_url).filter(|u| !u.trim().is_empty());
    if let Some(url) = &smtp_url
        && !(url.starts_with("smtp://") || url.starts_with("smtps://"))
    {
        return Err(ConfigError {
            key: "mail.smtp_url (MISCONDUCT_SMTP_URL)".into(),
            problem: "must start with smtp:// or smtps://".into(),
        });
    }
    if mode == Mode::Production && deliver && smtp_url.is_none() {
        return Err(ConfigError {
            key: "mail.smtp_url (MISCONDUCT_SMTP_URL)".into(),
            problem: "is required in production, or set delivery = off on instances that do not send mail".into(),
        });
    }
    let from = pick("MISCONDUCT_MAIL_FROM", &file.from)
        .unwrap_or_else(|| "Student Conduct <no-reply@localhost>".into());
    if from.parse::<lettre::message::Mailbox>().is_err() {
        return Err(ConfigError {
            key: "mail.from (MISCONDUCT_MAIL_FROM)".into(),
            problem: format!(
                "{from:?} is not an address like `Student Conduct <conduct@example.ac.uk>`"
            ),
        });
    }
    let poll_ms = number(env, "MISCONDUCT_DELIVERY_POLL_MS", file.poll_ms, 5_000)? as u64;
    Ok(MailConfig {
        smtp_url: smtp_url.map(Secret::new),
        from,
        deliver,
        poll_ms,
    })
}
