//! Inbound SMTP listener: accepts mail for relay addresses, never relays for others.

mod data;
mod ehlo;
mod listener;
mod mail;
mod rcpt;
pub mod reply;
mod session;
pub mod tls;

#[cfg(test)]
mod tests;

use std::{fmt, net::SocketAddr, sync::Arc, time::Duration};

use async_trait::async_trait;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

pub use session::{Ending, Session};
pub use tokio_rustls::TlsAcceptor;

/// What the relay says about one recipient.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RcptVerdict {
    Accept,
    /// Unknown alias or a domain other than the relay domain: `550 5.1.1`.
    UnknownRecipient,
    /// The sender may not write to this alias: `550 5.7.1`.
    SenderNotAllowed,
    /// Temporary trouble (database down): `451 4.3.0`.
    TryLater,
}

/// The SMTP envelope of one transaction.
#[derive(Clone, Debug)]
pub struct Envelope {
    pub peer: SocketAddr,
    pub helo: String,
    /// Reverse path as given (may be empty for bounces).
    pub mail_from: String,
    pub rcpt_to: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum SinkError {
    /// Could not store: answer `451 4.3.0`, the client retries.
    #[error("temporary failure: {0}")]
    Temporary(String),
    /// Refused for good: answer `554 5.6.0` with the text.
    #[error("permanent failure: {0}")]
    Permanent(String),
}

/// The relay as the SMTP session sees it.
#[async_trait]
pub trait MailSink: Send + Sync + 'static {
    async fn check_recipient(&self, mail_from: &str, rcpt_to: &str) -> RcptVerdict;
    /// Stores the message durably; returns the message ids (one per recipient).
    async fn accept(&self, envelope: &Envelope, raw: &[u8]) -> Result<Vec<String>, SinkError>;
}

#[derive(Clone)]
pub struct SmtpConfig {
    /// Name in the greeting and EHLO reply.
    pub hostname: String,
    pub max_message_size: usize,
    pub command_timeout: Duration,
    pub data_timeout: Duration,
    pub max_recipients: usize,
    pub max_connections: usize,
    /// Offers STARTTLS when set.
    pub tls: Option<TlsAcceptor>,
}

impl fmt::Debug for SmtpConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmtpConfig")
            .field("hostname", &self.hostname)
            .field("max_message_size", &self.max_message_size)
            .field("command_timeout", &self.command_timeout)
            .field("data_timeout", &self.data_timeout)
            .field("max_recipients", &self.max_recipients)
            .field("max_connections", &self.max_connections)
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
