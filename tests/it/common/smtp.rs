//! A real SMTP listener for the tests: speaks enough of RFC 5321 for a client
//! (lettre) to deliver, keeps every message it accepts, and refuses recipients
//! it is told to refuse with a permanent 550.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;
use tokio::sync::watch;

#[derive(Debug, Clone)]
pub struct Received {
    pub mail_from: String,
    pub rcpt_to: Vec<String>,
    /// Headers and body as sent, with quoted-printable soft line breaks undone.
    pub data: String,
}

impl Received {
    pub fn header(&self, name: &str) -> Option<String> {
        let prefix = format!("{}:", name.to_ascii_lowercase());
        self.data
            .lines()
            .take_while(|l| !l.is_empty())
            .find(|l| l.to_ascii_lowercase().starts_with(&prefix))
            .map(|l| l[prefix.len()..].trim().to_string())
    }
}

#[derive(Clone)]
pub struct SmtpSink {
    pub addr: SocketAddr,
    received: Arc<Mutex<Vec<Received>>>,
    /// How many messages have arrived; waiters wake on each.
    arrivals: watch::Receiver<usize>,
}

impl SmtpSink {
    /// Listens on a loopback port; addresses in `refuse` get `550` at RCPT TO.
    pub async fn start(refuse: &[&str]) -> SmtpSink {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind smtp");
        let addr = listener.local_addr().expect("addr");
        let received: Arc<Mutex<Vec<Received>>> = Arc::default();
        let refuse: Arc<Vec<String>> = Arc::new(refuse.iter().map(|s| s.to_string()).collect());
        let store = received.clone();
        let (arrived, arrivals) = watch::channel(0usize);
        let arrived = Arc::new(arrived);
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let store = store.clone();
                let refuse = refuse.clone();
                let arrived = arrived.clone();
                tokio::spawn(async move {
                    // A client that hangs up mid-session leaves nothing to keep.
                    if session(socket, store, refuse, &arrived).await.is_err() {
                        eprintln!("smtp sink: a session ended early");
                    }
                });
            }
        });
        SmtpSink {
            addr,
            received,
            arrivals,
        }
    }

    pub fn url(&self) -> String {
        format!("smtp://{}", self.addr)
    }

    pub fn messages(&self) -> Vec<Received> {
        self.received.lock().expect("lock").clone()
    }

    /// Waits until the messages received satisfy `done`, waking on each arrival;
    /// false if they do not within `within`.
    pub async fn wait_until(
        &self,
        within: std::time::Duration,
        done: impl Fn(&[Received]) -> bool,
    ) -> bool {
        let mut arrivals = self.arrivals.clone();
        let deadline = tokio::time::Instant::now() + within;
        loop {
            if done(&self.messages()) {
                return true;
            }
            match tokio::time::timeout_at(deadline, arrivals.changed()).await {
                Ok(Ok(())) => continue,
                _ => return done(&self.messages()),
            }
        }
    }
}

async fn session(
    socket: tokio::net::TcpStream,
    store: Arc<Mutex<Vec<Received>>>,
    refuse: Arc<Vec<String>>,
    arrived: &watch::Sender<usize>,
) -> std::io::Result<()> {
    let (read, mut write) = socket.into_split();
    let mut lines = BufReader::new(read);
    write.write_all(b"220 test-sink ESMTP ready\r\n").await?;
    let mut mail_from = String::new();
    let mut rcpt_to = Vec::new();
    let mut line = String::new();
    loop {
        line.clear();
        if lines.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        let command = line.trim_end().to_string();
        let upper = command.to_ascii_uppercase();
        let reply: &[u8] = if upper.starts_with("EHLO") {
            b"250-test-sink\r\n250 8BITMIME\r\n"
        } else if upper.starts_with("HELO") || upper.starts_with("NOOP") {
            b"250 OK\r\n"
        } else if upper.starts_with("RSET") {
            mail_from.clear();
            rcpt_to.clear();
            b"250 OK\r\n"
        } else if upper.starts_with("MAIL FROM:") {
            mail_from = address(&command[10..]);
            rcpt_to.clear();
            b"250 OK\r\n"
        } else if upper.starts_with("RCPT TO:") {
            let to = address(&command[8..]);
            if refuse.contains(&to) {
                b"550 5.1.1 mailbox unavailable\r\n"
            } else {
                rcpt_to.push(to);
                b"250 OK\r\n"
            }
        } else if upper == "DATA" {
            write.write_all(b"354 end with <CRLF>.<CRLF>\r\n").await?;
            let mut data = String::new();
            loop {
                line.clear();
                if lines.read_line(&mut line).await? == 0 {
                    return Ok(());
                }
                if line == ".\r\n" || line == ".\n" {
                    break;
                }
                let unstuffed = line.strip_prefix('.').unwrap_or(&line);
                data.push_str(unstuffed);
            }
            let data = data.replace("=\r\n", "").replace("\r\n", "\n");
            store.lock().expect("lock").push(Received {
                mail_from: mail_from.clone(),
                rcpt_to: std::mem::take(&mut rcpt_to),
                data,
            });
            arrived.send_modify(|n| *n += 1);
            b"250 OK queued\r\n"
        } else if upper.starts_with("QUIT") {
            write.write_all(b"221 bye\r\n").await?;
            return Ok(());
        } else {
            b"502 command not implemented\r\n"
        };
        write.write_all(reply).await?;
    }
}

fn address(arg: &str) -> String {
    let arg = arg.trim();
    let inner = arg
        .split_once('<')
        .and_then(|(_, rest)| rest.split_once('>'))
        .map(|(a, _)| a)
        .unwrap_or(arg);
    inner.trim().to_string()
}
