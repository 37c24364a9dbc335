//! Where composed mail goes: `.eml` files (embedded default) or a smarthost.

use std::path::PathBuf;

use lettre::{
    AsyncSmtpTransport, AsyncTransport, Tokio1Executor,
    address::Envelope,
    transport::smtp::{
        PoolConfig,
        authentication::Credentials,
        client::{Tls, TlsParameters},
    },
};
use secrecy::ExposeSecret;

use crate::config::OutboundTarget;

#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct SendError {
    /// Retrying will not help: the mail cannot be built or addressed, or
    /// the smarthost refused it for good.
    pub permanent: bool,
    /// The smarthost answered `5xx`: a hard bounce of the recipient, as a
    /// DSN would say later.
    pub refused: bool,
    pub message: String,
}

impl SendError {
    /// Worth another attempt later.
    pub fn temporary(message: impl Into<String>) -> Self {
        Self {
            permanent: false,
            refused: false,
            message: message.into(),
        }
    }

    /// Fails for good before any server said a word.
    pub fn invalid(message: impl Into<String>) -> Self {
        Self {
            permanent: true,
            ..Self::temporary(message)
        }
    }
}

pub enum Transport {
    File(PathBuf),
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
}

impl Transport {
    /// `connections`: most smarthost connections kept open and reused, one
    /// per delivery in flight.
    pub fn from_target(target: &OutboundTarget, connections: u32) -> anyhow::Result<Self> {
        Ok(match target {
            OutboundTarget::File(dir) => Transport::File(dir.clone()),
            OutboundTarget::Smtp {
                host,
                port,
                implicit_tls,
                credentials,
            } => {
                let mut builder = if *implicit_tls {
                    AsyncSmtpTransport::<Tokio1Executor>::relay(host)?
                } else if credentials.is_some() {
                    // A password never crosses the network in the clear:
                    // without STARTTLS the session ends before AUTH.
                    AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host)
                        .tls(Tls::Required(TlsParameters::new(host.clone())?))
                } else {
                    // Plain SMTP for a smarthost on a trusted network or a local catcher.
                    AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host)
                };
                builder = builder
                    .port(*port)
                    .timeout(Some(std::time::Duration::from_secs(60)))
                    .pool_config(PoolConfig::new().max_size(connections.max(1)));
                if let Some((user, pass)) = credentials {
                    builder = builder.credentials(Credentials::new(
                        user.clone(),
                        pass.expose_secret().to_owned(),
                    ));
                }
                Transport::Smtp(builder.build())
            }
        })
    }

    /// Sends `bytes` from `envelope_from` to `to`. `name` is a unique file
    /// name stem for the file transport.
    pub async fn send(
        &self,
        envelope_from: &str,
        to: &str,
        bytes: &[u8],
        name: &str,
    ) -> Result<(), SendError> {
        match self {
            Transport::File(dir) => write_eml(dir, name, bytes)
                .await
                .map_err(|e| SendError::temporary(format!("cannot write to the outbox: {e}"))),
            Transport::Smtp(transport) => {
                let from = envelope_from
                    .parse()
                    .map_err(|_| SendError::invalid("invalid envelope sender"))?;
                let to = to
                    .parse()
                    .map_err(|_| SendError::invalid("invalid recipient address"))?;
                let envelope = Envelope::new(Some(from), vec![to])
                    .map_err(|e| SendError::invalid(e.to_string()))?;
                transport
                    .send_raw(&envelope, bytes)
                    .await
                    .map(|_| ())
                    .map_err(|e| SendError {
                        permanent: e.is_permanent(),
                        // Only a reply: a 5xx of lettre's own making is not the server's word.
                        refused: e.is_permanent() && e.status().is_some(),
                        // The server's reply may quote the recipient's address.
                        message: scrub_addresses(&e.to_string()),
                    })
            }
        }
    }
}

impl Transport {
    /// Whether mail could go out now: the outbox folder takes a file, or
    /// the smarthost answers a NOOP (on a pooled connection or a new one).
    /// Unbounded in time: the caller sets the deadline.
    pub async fn check(&self) -> Result<(), String> {
        match self {
            Transport::File(dir) => {
                let dir = dir.clone();
                tokio::task::spawn_blocking(move || {
                    std::fs::create_dir_all(&dir)?;
                    // Dropped at once: the file is removed.
                    tempfile::Builder::new()
                        .prefix(".readyz")
                        .tempfile_in(&dir)
                        .map(drop)
                })
                .await
                .map_err(|e| e.to_string())?
                .map_err(|e| format!("the outbox folder is not writable: {e}"))
            }
            Transport::Smtp(transport) => match transport.test_connection().await {
                Ok(true) => Ok(()),
                Ok(false) => Err("the smarthost did not answer".into()),
                Err(e) => Err(scrub_addresses(&e.to_string())),
            },
        }
    }
}

/// Writes atomically (temp file, then rename) so a reader never sees half a mail.
async fn write_eml(dir: &PathBuf, name: &str, bytes: &[u8]) -> std::io::Result<()> {
    tokio::fs::create_dir_all(dir).await?;
    let tmp = dir.join(format!(".{name}.tmp"));
    let path = dir.join(format!("{name}.eml"));
    tokio::fs::write(&tmp, bytes).await?;
    tokio::fs::rename(&tmp, &path).await
}

/// Replaces anything shaped like an email address with `[address]`.
pub fn scrub_addresses(text: &str) -> String {
    static ADDRESS: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"[^\s<>@:;,()\[\]]+@[^\s<>@:;,()\[\]]+").expect("valid pattern")
    });
    ADDRESS.replace_all(text, "[address]").into_owned()
}

#[cfg(test)]
mod tests {
    #[test]
    fn server_replies_lose_their_addresses() {
        assert_eq!(
            super::scrub_addresses(
                "permanent error (550): 5.1.1 <owner@shop.example>: Recipient address rejected"
            ),
            "permanent error (550): 5.1.1 <[address]>: Recipient address rejected"
        );
    }
}
