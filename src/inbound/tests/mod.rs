//! Test doubles and a line-oriented SMTP client for transcript tests.

mod tcp;
mod tls;
mod transcript;

use std::{
    net::SocketAddr,
    sync::{
        Arc, Mutex,
        atomic::{AtomicUsize, Ordering},
    },
    time::Duration,
};

use async_trait::async_trait;
use tokio::{
    io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader, ReadHalf, WriteHalf},
    sync::{Notify, Semaphore},
    time::timeout,
};

use super::{
    AuthSettings, Authenticator, ByteBudget, Envelope, MailSink, PeerNet, RawMail, RcptVerdict,
    SinkError, SmtpConfig,
};

pub(super) const HOST: &str = "mx.test";
/// Bounds every wait in a test so a hang fails instead of stalling the suite.
pub(super) const WAIT: Duration = Duration::from_secs(10);

pub(super) fn config() -> SmtpConfig {
    SmtpConfig {
        hostname: HOST.to_owned(),
        max_message_size: 1000,
        command_timeout: Duration::from_secs(30),
        data_timeout: Duration::from_secs(30),
        max_session: Duration::from_secs(300),
        max_recipients: 3,
        max_connections: 100,
        max_connections_per_ip: 100,
        max_junk_commands: 100,
        spool_threshold: 256,
        spool_dir: None,
        bytes_in_flight: ByteBudget::new(1 << 20),
        auth: offline_authenticator(),
        tls: None,
        metrics: Arc::new(crate::telemetry::Metrics::new()),
    }
}

/// Trusts every peer as its edge, so no DNS is asked; with no
/// `Authentication-Results` in the message the verdict is `none`.
pub(super) fn offline_authenticator() -> Arc<Authenticator> {
    let settings = AuthSettings {
        dns_servers: vec!["127.0.0.1:9".parse().expect("valid address")],
        timeout: Duration::from_millis(200),
        trusted_peers: ["0.0.0.0/0", "::/0"]
            .iter()
            .filter_map(|net| PeerNet::parse(net))
            .collect(),
        authserv_id: HOST.to_owned(),
    };
    Arc::new(Authenticator::new(&settings, HOST).expect("authenticator"))
}

pub(super) fn peer() -> SocketAddr {
    "192.0.2.7:40000".parse().expect("valid address")
}

/// What the fake does with a whole message.
#[derive(Clone, Debug)]
pub(super) enum Outcome {
    Store,
    Temporary,
    Permanent(String),
}

/// Lets a test hold `accept` open until it says so.
pub(super) struct Gate {
    pub(super) entered: Notify,
    release: Semaphore,
}

impl Default for Gate {
    fn default() -> Self {
        Self {
            entered: Notify::new(),
            release: Semaphore::new(0),
        }
    }
}

impl Gate {
    pub(super) fn open(&self) {
        self.release.add_permits(1);
    }
}

/// Records every call. Recipients whose local part starts with `unknown`
/// or `later` get the matching verdict at RCPT; a message to one starting
/// with `private` is refused after DATA; the rest are accepted.
pub(super) struct FakeSink {
    pub(super) checks: Mutex<Vec<String>>,
    pub(super) stored: Mutex<Vec<(Envelope, Vec<u8>)>>,
    outcome: Outcome,
    gate: Option<Arc<Gate>>,
    next_id: AtomicUsize,
    /// What MAIL learns of the client's refusals.
    pub(super) client_limit: Mutex<crate::inbound::limits::Limit>,
}

impl FakeSink {
    pub(super) fn new() -> Arc<Self> {
        Self::with(Outcome::Store, None)
    }

    pub(super) fn with(outcome: Outcome, gate: Option<Arc<Gate>>) -> Arc<Self> {
        Arc::new(Self {
            checks: Mutex::default(),
            stored: Mutex::default(),
            outcome,
            gate,
            next_id: AtomicUsize::new(1),
            client_limit: Mutex::new(crate::inbound::limits::Limit::Clear),
        })
    }

    pub(super) fn stored(&self) -> Vec<(Envelope, Vec<u8>)> {
        self.stored.lock().expect("lock").clone()
    }

    pub(super) fn stored_count(&self) -> usize {
        self.stored.lock().expect("lock").len()
    }

    pub(super) fn check_count(&self) -> usize {
        self.checks.lock().expect("lock").len()
    }
}

#[async_trait]
impl MailSink for FakeSink {
    async fn check_recipient(&self, rcpt_to: &str) -> RcptVerdict {
        self.checks.lock().expect("lock").push(rcpt_to.to_owned());
        if rcpt_to.starts_with("unknown") {
            RcptVerdict::UnknownRecipient
        } else if rcpt_to.starts_with("later") {
            RcptVerdict::TryLater
        } else {
            RcptVerdict::Accept
        }
    }

    async fn client_throttled(&self, _peer: std::net::IpAddr) -> crate::inbound::limits::Limit {
        *self.client_limit.lock().expect("lock")
    }

    async fn accept(&self, envelope: &Envelope, raw: &RawMail) -> Result<Vec<String>, SinkError> {
        if let Some(gate) = &self.gate {
            gate.entered.notify_one();
            if let Ok(permit) = gate.release.acquire().await {
                permit.forget();
            }
        }
        if envelope.rcpt_to.iter().any(|r| r.starts_with("private")) {
            return Err(SinkError::SenderNotAllowed);
        }
        match &self.outcome {
            Outcome::Store => {
                self.stored
                    .lock()
                    .expect("lock")
                    .push((envelope.clone(), raw.to_vec()));
                Ok(envelope
                    .rcpt_to
                    .iter()
                    .map(|_| format!("msg-{}", self.next_id.fetch_add(1, Ordering::SeqCst)))
                    .collect())
            }
            Outcome::Temporary => Err(SinkError::Temporary("database down".to_owned())),
            Outcome::Permanent(reason) => Err(SinkError::Permanent(reason.clone())),
        }
    }
}

/// Speaks SMTP from the client side, one reply at a time.
pub(super) struct Client<S> {
    reader: BufReader<ReadHalf<S>>,
    writer: WriteHalf<S>,
}

impl<S: AsyncRead + AsyncWrite> Client<S> {
    pub(super) fn new(stream: S) -> Self {
        let (reader, writer) = tokio::io::split(stream);
        Self {
            reader: BufReader::new(reader),
            writer,
        }
    }

    /// Sends `raw` exactly as given.
    pub(super) async fn send(&mut self, raw: &str) {
        self.send_bytes(raw.as_bytes()).await;
    }

    pub(super) async fn send_bytes(&mut self, raw: &[u8]) {
        self.writer.write_all(raw).await.expect("write to server");
        self.writer.flush().await.expect("flush to server");
    }

    /// Reads one (possibly multi-line) reply.
    pub(super) async fn reply(&mut self) -> String {
        let mut reply = String::new();
        loop {
            let mut line = String::new();
            let n = timeout(WAIT, self.reader.read_line(&mut line))
                .await
                .expect("reply within the wait")
                .expect("read reply");
            assert!(n > 0, "connection closed; reply so far: {reply:?}");
            reply.push_str(&line);
            if line.as_bytes().get(3) != Some(&b'-') {
                return reply;
            }
        }
    }

    /// Reads one reply and checks how it starts.
    pub(super) async fn expect(&mut self, prefix: &str) -> String {
        let reply = self.reply().await;
        assert!(
            reply.starts_with(prefix),
            "expected a reply starting {prefix:?}, got {reply:?}"
        );
        reply
    }

    /// Sends one command line and checks the reply.
    pub(super) async fn cmd(&mut self, line: &str, prefix: &str) -> String {
        self.send(&format!("{line}\r\n")).await;
        self.expect(prefix).await
    }

    /// The stream back, for a TLS handshake; nothing may be left unread.
    pub(super) fn into_inner(self) -> S
    where
        S: Unpin,
    {
        assert!(self.reader.buffer().is_empty(), "unread bytes before TLS");
        self.reader.into_inner().unsplit(self.writer)
    }

    /// True once the server has closed the connection.
    pub(super) async fn closed(&mut self) -> bool {
        let mut rest = String::new();
        matches!(
            timeout(WAIT, self.reader.read_line(&mut rest)).await,
            Ok(Ok(0) | Err(_))
        )
    }
}
