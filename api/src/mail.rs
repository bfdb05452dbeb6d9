//! Mail transports for the delivery worker: SMTP (lettre) when configured,
//! otherwise a development transport that writes to the log. The log line
//! names the communication and its kind, never the address or the body.

use std::time::Duration;

use lettre::message::Mailbox;
use lettre::message::header::ContentType;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use uuid::Uuid;

use crate::config::MailConfig;

pub enum Mailer {
    Smtp {
        transport: AsyncSmtpTransport<Tokio1Executor>,
        from: Mailbox,
    },
    Log,
}

/// One message to send; `id` becomes the Message-ID, so a receiver can spot a
/// repeat after an at-least-once retry.
pub struct Letter<'a> {
    pub id: Uuid,
    pub kind: &'a str,
    pub to: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
}

/// Why a letter was not sent; permanent failures are not retried.
#[derive(Debug)]
pub struct SendError {
    pub permanent: bool,
    pub message: String,
}

impl Mailer {
    pub fn from_config(config: &MailConfig) -> anyhow::Result<Mailer> {
        let from: Mailbox = config.from.parse()?;
        match &config.smtp_url {
            Some(url) => {
                // The URL may hold credentials: errors about it never repeat it.
                #[expect(
                    clippy::map_err_ignore,
                    reason = "the parse error may quote the URL, which can hold credentials"
                )]
                let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url.expose())
                    .map_err(|_| anyhow::anyhow!("MISCONDUCT_SMTP_URL is not a valid SMTP URL"))?
                    .timeout(Some(Duration::from_secs(30)))
                    .build();
                Ok(Mailer::Smtp { transport, from })
            }
            None => Ok(Mailer::Log),
        }
    }

    pub fn describe(&self) -> &'static str {
        match self {
            Mailer::Smtp { .. } => "smtp",
            Mailer::Log => "log (development: nothing is e-mailed)",
        }
    }

    pub async fn send(&self, letter: &Letter<'_>) -> Result<(), SendError> {
        match self {
            Mailer::Log => {
                tracing::info!(
                    communication = %letter.id,
                    kind = letter.kind,
                    subject = letter.subject,
                    "development mail transport: letter not e-mailed"
                );
                Ok(())
            }
            Mailer::Smtp { transport, from } => {
                let to: Mailbox = letter.to.parse().map_err(|e| SendError {
                    permanent: true,
                    message: format!("the recipient's address is not a valid e-mail address ({e})"),
                })?;
                let domain = from.email.domain().to_string();
                let message = Message::builder()
                    .from(from.clone())
                    .to(to)
                    .subject(letter.subject)
                    .message_id(Some(format!("<{}@{domain}>", letter.id)))
                    .header(ContentType::TEXT_PLAIN)
                    .body(letter.body.to_string())
                    .map_err(|e| SendError {
                        permanent: true,
                        message: format!("the message could not be built: {e}"),
                    })?;
                transport
                    .send(message)
                    .await
                    .map(|_| ())
                    .map_err(|e| SendError {
                        permanent: e.is_permanent(),
                        message: e.to_string(),
                    })
            }
        }
    }
}
