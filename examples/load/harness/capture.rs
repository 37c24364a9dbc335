//! The smarthost the relay delivers to: a small ESMTP server (PIPELINING)
//! that records every mail's token, Message-ID and whether its contact
//! details were removed.

use std::{
    io,
    net::SocketAddr,
    sync::{
        Arc, Mutex,
        atomic::{AtomicUsize, Ordering},
    },
    time::{Duration, Instant},
};

use mail_parser::MessageParser;
use tokio::{
    io::{AsyncBufReadExt, AsyncWriteExt, BufReader},
    net::{TcpListener, TcpStream},
};
use tokio_util::sync::CancellationToken;

use super::mail::{
    BUYER_DOMAIN, CONTACT_EMAIL, CONTACT_PHONE, EMAIL_PLACEHOLDER, PHONE_PLACEHOLDER, find_token,
};

/// What one delivered mail showed.
#[derive(Clone, Debug, Default)]
pub struct Delivered {
    pub token: Option<String>,
    pub message_id: Option<String>,
    /// When its DATA ended, before the capture parsed it.
    pub at: Option<Instant>,
    /// When its DATA command came: the sender was alive then.
    pub began: Option<Instant>,
    pub phone_left: bool,
    pub email_left: bool,
    pub phone_placeholder: bool,
    pub email_placeholder: bool,
    pub attachments: usize,
    /// A buyer's real address appeared in the headers or the text.
    pub leaked: bool,
}

#[derive(Clone)]
pub struct Capture {
    pub addr: SocketAddr,
    records: Arc<Mutex<Vec<Delivered>>>,
    sessions: Arc<AtomicUsize>,
    stop: CancellationToken,
}

impl Capture {
    /// Listens on `addr` (port 0 for any) and records mail carrying tokens of
    /// `run` (the tests' sink and smarthost; the load tool starts it through
    /// `start_slow`).
    #[allow(dead_code)]
    pub async fn start(addr: &str, run: String) -> io::Result<Capture> {
        Capture::start_slow(addr, run, Duration::ZERO).await
    }

    /// Like `start`, but each mail's `250` comes `delay` after its DATA
    /// ends: a slow smarthost, so that the relay builds a backlog. A mail
    /// counts as delivered once its `250` is written.
    pub async fn start_slow(addr: &str, run: String, delay: Duration) -> io::Result<Capture> {
        let listener = TcpListener::bind(addr).await?;
        let capture = Capture {
            addr: listener.local_addr()?,
            records: Arc::default(),
            sessions: Arc::default(),
            stop: CancellationToken::new(),
        };
        let serving = capture.clone();
        let run: Arc<str> = run.into();
        tokio::spawn(async move {
            loop {
                tokio::select! {
                    _ = serving.stop.cancelled() => return,
                    accepted = listener.accept() => {
                        let Ok((stream, _)) = accepted else { continue };
                        serving.sessions.fetch_add(1, Ordering::Relaxed);
                        let records = serving.records.clone();
                        let run = run.clone();
                        tokio::spawn(async move {
                            // A client that goes away mid-session only ends its session.
                            let _ = session(stream, &records, &run, delay).await;
                        });
                    }
                }
            }
        });
        Ok(capture)
    }

    pub fn count(&self) -> usize {
        self.records.lock().map(|r| r.len()).unwrap_or(0)
    }

    /// SMTP connections the relay opened so far (the reliability tests'; the
    /// load tool does not count them).
    #[allow(dead_code)]
    pub fn sessions(&self) -> usize {
        self.sessions.load(Ordering::Relaxed)
    }

    pub fn records(&self) -> Vec<Delivered> {
        self.records.lock().map(|r| r.clone()).unwrap_or_default()
    }

    pub fn stop(&self) {
        self.stop.cancel();
    }
}

async fn session(
    stream: TcpStream,
    records: &Mutex<Vec<Delivered>>,
    run: &str,
    delay: Duration,
) -> io::Result<()> {
    // Replies are small writes; without this they can wait on delayed ACKs.
    stream.set_nodelay(true)?;
    let (read, mut write) = stream.into_split();
    let mut reader = BufReader::new(read);
    write
        .write_all(b"220 capture.load.example ESMTP\r\n")
        .await?;
    let mut line = Vec::new();
    loop {
        line.clear();
        if reader.read_until(b'\n', &mut line).await? == 0 {
            return Ok(());
        }
        let command = String::from_utf8_lossy(&line).to_ascii_uppercase();
        let verb = command.split_whitespace().next().unwrap_or("");
        let reply: &[u8] = match verb {
            "EHLO" => b"250-capture.load.example\r\n250-PIPELINING\r\n250-8BITMIME\r\n250 SIZE 104857600\r\n",
            "HELO" => b"250 capture.load.example\r\n",
            "MAIL" | "RCPT" | "RSET" | "NOOP" => b"250 2.0.0 ok\r\n",
            "QUIT" => {
                write.write_all(b"221 2.0.0 bye\r\n").await?;
                return Ok(());
            }
            "DATA" => {
                let began = Instant::now();
                write.write_all(b"354 go ahead\r\n").await?;
                let raw = read_data(&mut reader).await?;
                if !delay.is_zero() {
                    tokio::time::sleep(delay).await;
                }
                let at = Instant::now();
                write.write_all(b"250 2.0.0 captured\r\n").await?;
                let mut delivered = inspect(&raw, run);
                delivered.at = Some(at);
                delivered.began = Some(began);
                if let Ok(mut r) = records.lock() {
                    r.push(delivered);
                }
                continue;
            }
            _ => b"502 5.5.2 not here\r\n",
        };
        write.write_all(reply).await?;
    }
}

/// Reads DATA up to the lone dot and undoes dot-stuffing.
async fn read_data<R: AsyncBufReadExt + Unpin>(reader: &mut R) -> io::Result<Vec<u8>> {
    let mut raw = Vec::new();
    let mut line = Vec::new();
    loop {
        line.clear();
        if reader.read_until(b'\n', &mut line).await? == 0 {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        if line == b".\r\n" || line == b".\n" {
            return Ok(raw);
        }
        let start = usize::from(line.first() == Some(&b'.'));
        raw.extend_from_slice(&line[start..]);
    }
}

/// Everything the checks need from one delivered mail.
pub fn inspect(raw: &[u8], run: &str) -> Delivered {
    let Some(message) = MessageParser::default().parse(raw) else {
        return Delivered::default();
    };
    let mut text = String::new();
    for part in message.text_bodies().chain(message.html_bodies()) {
        if let Some(t) = part.text_contents() {
            text.push_str(t);
            text.push('\n');
        }
    }
    let head_end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or(raw.len());
    let head = String::from_utf8_lossy(&raw[..head_end]).to_ascii_lowercase();
    // The subscriber number alone is enough to call the buyer.
    let subscriber = CONTACT_PHONE.rsplit(' ').next().unwrap_or(CONTACT_PHONE);
    let local_part = CONTACT_EMAIL.split('@').next().unwrap_or(CONTACT_EMAIL);
    Delivered {
        token: find_token(&text, run),
        message_id: message.message_id().map(str::to_owned),
        at: None,
        began: None,
        phone_left: text.contains(subscriber),
        email_left: text.contains(local_part),
        phone_placeholder: text.contains(PHONE_PLACEHOLDER),
        email_placeholder: text.contains(EMAIL_PLACEHOLDER),
        attachments: message.attachment_count(),
        leaked: head.contains(BUYER_DOMAIN) || text.to_ascii_lowercase().contains(BUYER_DOMAIN),
    }
}
