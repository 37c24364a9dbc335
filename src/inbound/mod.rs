//! Inbound SMTP listener. (Stub: replaced by the full implementation.)

use std::{net::SocketAddr, sync::Arc, time::Duration};

use async_trait::async_trait;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

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

#[derive(Clone, Debug)]
pub struct SmtpConfig {
    /// Name in the greeting and EHLO reply.
    pub hostname: String,
    pub max_message_size: usize,
    pub command_timeout: Duration,
    pub data_timeout: Duration,
    pub max_recipients: usize,
    pub max_connections: usize,
}

/// Serves SMTP on `listener` until `shutdown` fires, then stops accepting and
/// waits for in-flight transactions to finish.
pub async fn serve(
    listener: TcpListener,
    _config: SmtpConfig,
    _sink: Arc<dyn MailSink>,
    shutdown: CancellationToken,
) {
    let _ = listener;
    shutdown.cancelled().await;
}
