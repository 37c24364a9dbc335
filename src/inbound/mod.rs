//! Inbound SMTP listener: accepts mail for relay addresses, never relays for others.

pub mod auth;
mod data;
mod ehlo;
pub mod limits;
mod listener;
mod mail;
mod rcpt;
pub mod reply;
mod session;
mod spool;
pub mod tls;

#[cfg(test)]
mod tests;

use std::{
    fmt,
    net::{IpAddr, SocketAddr},
    path::PathBuf,
    sync::Arc,
    time::Duration,
};

use async_trait::async_trait;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

pub use auth::{AuthSettings, Authenticator, PeerNet};
pub use limits::{ACCEPT_COPIES, BudgetShare, ByteBudget, SEND_COPIES, return_large_buffers};
pub use session::{Ending, Session};

use crate::{domain::SenderAuth, telemetry::Metrics};
pub use tokio_rustls::TlsAcceptor;

/// What the relay says about one recipient at RCPT time. Whether this
/// sender may write to it is decided only after DATA, together with the
/// sender's authentication, so the answer here says nothing about who the
/// real party is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RcptVerdict {
    Accept,
    /// A signed return path of the relay's own mail: takes bounces (a null
    /// or postmaster sender) and nothing else.
    ReturnPath,
    /// A return path the relay signed that is past its lifetime: `550 5.1.1`
    /// saying so, before any `DATA` is sent.
    ExpiredReturnPath,
    /// Unknown alias or a domain other than the relay domain: `550 5.1.1`.
    UnknownRecipient,
    /// Temporary trouble (database down): `451 4.3.0`.
    TryLater,
}

/// Whether a reverse path is one bounces come from: null (`<>`), or a
/// mail system's own (`postmaster@…`, `MAILER-DAEMON@…`), as some servers
/// send them.
pub fn is_bounce_sender(mail_from: &str) -> bool {
    let local = mail_from.rsplit_once('@').map_or(mail_from, |(l, _)| l);
    local.is_empty()
        || local.eq_ignore_ascii_case("postmaster")
        || local.eq_ignore_ascii_case("mailer-daemon")
}

/// A received message's bytes, shared by whoever needs them until it is
/// stored.
pub type RawMail = Arc<Vec<u8>>;

/// The SMTP envelope of one transaction.
#[derive(Clone, Debug)]
pub struct Envelope {
    pub peer: SocketAddr,
    pub helo: String,
    /// Reverse path as given (may be empty for bounces).
    pub mail_from: String,
    pub rcpt_to: Vec<String>,
    /// How the sender was authenticated.
    pub auth: SenderAuth,
}

#[derive(Debug, thiserror::Error)]
pub enum SinkError {
    /// Could not store: answer `451 4.3.0`, the client retries.
    #[error("temporary failure: {0}")]
    Temporary(String),
    /// Refused for good: answer `554 5.6.0` with the text.
    #[error("permanent failure: {0}")]
    Permanent(String),
    /// This sender may not write to a recipient, or did not prove it is
    /// who it claims: `550 5.7.1`, the same words either way.
    #[error("sender not allowed")]
    SenderNotAllowed,
    /// The sender's authentication could not be checked now: `451 4.7.0`.
    #[error("sender authentication unavailable")]
    AuthUnavailable,
    /// A recipient refused too many unproven senders lately: `451 4.7.1`.
    #[error("recipient throttled")]
    RecipientThrottled,
}

/// The relay as the SMTP session sees it.
#[async_trait]
pub trait MailSink: Send + Sync + 'static {
    async fn check_recipient(&self, rcpt_to: &str) -> RcptVerdict;
    /// Decides whether the sender may write to every recipient and, if so,
    /// stores the message durably; returns the message ids (one per recipient).
    /// `raw` is shared, so the sink can hand it on (to the CPU pool, to the
    /// store) without copying it.
    async fn accept(&self, envelope: &Envelope, raw: &RawMail) -> Result<Vec<String>, SinkError>;
    /// Whether the client at `peer` used up its refused attempts for now;
    /// every MAIL from it then gets `450 4.7.1`, or `451 4.3.0` while that
    /// cannot be known. A sink that limits nothing (a test's smarthost)
    /// keeps the default.
    async fn client_throttled(&self, _peer: IpAddr) -> limits::Limit {
        limits::Limit::Clear
    }
    /// Counts a refused attempt (an unknown alias, an unproven sender
    /// refused) against the client at `peer`.
    async fn client_refused(&self, _peer: IpAddr) {}
}

#[derive(Clone)]
pub struct SmtpConfig {
    /// Name in the greeting and EHLO reply.
    pub hostname: String,
    pub max_message_size: usize,
    pub command_timeout: Duration,
    pub data_timeout: Duration,
    /// The longest a connection may stay open, whatever it is doing.
    pub max_session: Duration,
    pub max_recipients: usize,
    pub max_connections: usize,
    pub max_connections_per_ip: usize,
    /// NOOP, RSET, VRFY, HELP, EHLO and HELO one session may send before a
    /// message is queued; past this the session is closed.
    pub max_junk_commands: usize,
    /// DATA beyond this many bytes goes to a temporary file.
    pub spool_threshold: usize,
    /// Where spooled DATA goes; `None` is the system's temporary directory.
    pub spool_dir: Option<PathBuf>,
    /// Memory messages may take in the whole process (shared with the
    /// delivery lanes); a session holds its message's share from the final
    /// dot until the message is stored or refused.
    pub bytes_in_flight: ByteBudget,
    pub auth: Arc<Authenticator>,
    /// Offers STARTTLS when set.
    pub tls: Option<TlsAcceptor>,
    /// Counts sessions and replies.
    pub metrics: Arc<Metrics>,
}

impl SmtpConfig {
    /// The shipped defaults (see `config/default.toml`), for listeners
    /// built in code, such as a test's smarthost.
    pub fn with_defaults(hostname: &str, auth: Arc<Authenticator>) -> Self {
        Self {
            hostname: hostname.to_owned(),
            max_message_size: 25 * 1024 * 1024,
            command_timeout: Duration::from_secs(300),
            data_timeout: Duration::from_secs(600),
            max_session: Duration::from_secs(1800),
            max_recipients: 20,
            max_connections: 512,
            max_connections_per_ip: 20,
            max_junk_commands: 100,
            spool_threshold: 256 * 1024,
            spool_dir: None,
            bytes_in_flight: ByteBudget::new(128 * 1024 * 1024),
            auth,
            tls: None,
            metrics: Arc::new(Metrics::new()),
        }
    }
}

impl fmt::Debug for SmtpConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmtpConfig")
            .field("hostname", &self.hostname)
            .field("max_message_size", &self.max_message_size)
            .field("command_timeout", &self.command_timeout)
            .field("data_timeout", &self.data_timeout)
            .field("max_session", &self.max_session)
            .field("max_recipients", &self.max_recipients)
            .field("max_connections", &self.max_connections)
            .field("max_connections_per_ip", &self.max_connections_per_ip)
            .field("max_junk_commands", &self.max_junk_commands)
            .field("spool_threshold", &self.spool_threshold)
            .field("tls", &self.tls.is_some())
            .finish()
    }
}

/// Serves SMTP on `listener` until `shutdown` fires, then stops accepting and
/// waits for in-flight transactions to finish.
pub async fn serve(
    listener: TcpListener,
    config: SmtpConfig,
    sink: Arc<dyn MailSink>,
    shutdown: CancellationToken,
) {
    listener::serve(listener, Arc::new(config), sink, shutdown).await;
}
