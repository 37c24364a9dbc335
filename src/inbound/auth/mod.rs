//! Who really sent an inbound message: SPF, DKIM and DMARC checked here, or
//! the `Authentication-Results` of a trusted edge MTA, and whether the
//! `From:` header names the envelope sender.

mod check;
mod dkim;
mod edge;

use std::{
    fmt,
    net::{IpAddr, SocketAddr},
    sync::Arc,
    time::Duration,
};

use mail_auth::{
    MessageAuthenticator,
    hickory_resolver::config::{ConnectionConfig, NameServerConfig, ResolverConfig, ResolverOpts},
};

pub use edge::PeerNet;

use crate::cpu::{CpuError, CpuPool};
use crate::domain::{AuthVerdict, DkimCheck, DmarcCheck, SenderAuth, SpfCheck, sender_auth::RELAY};

/// How sender authentication is done.
#[derive(Clone, Debug)]
pub struct AuthSettings {
    /// DNS servers to ask; empty means the system's (`/etc/resolv.conf`).
    pub dns_servers: Vec<SocketAddr>,
    /// The most one message's checks may take, all lookups together.
    pub timeout: Duration,
    /// Edge MTAs whose `Authentication-Results` are taken instead of checking.
    pub trusted_peers: Vec<PeerNet>,
    /// The authserv-id those edges write; results naming any other are ignored.
    pub authserv_id: String,
}

pub struct Authenticator {
    resolver: MessageAuthenticator,
    timeout: Duration,
    trusted_peers: Vec<PeerNet>,
    authserv_id: String,
    /// Our own name, for SPF's `%{r}` macro.
    hostname: String,
    /// Where the message is hashed and its signatures verified.
    cpu: CpuPool,
}

impl fmt::Debug for Authenticator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Authenticator")
            .field("timeout", &self.timeout)
            .field("trusted_peers", &self.trusted_peers.len())
            .finish()
    }
}

impl Authenticator {
    pub fn new(settings: &AuthSettings, hostname: &str) -> anyhow::Result<Self> {
        let mut options = ResolverOpts::default();
        // One try per server within the budget: a slow resolver must never
        // hold an SMTP session, and the overall timeout caps it anyway.
        options.timeout = settings.timeout;
        options.attempts = 1;
        let resolver = if settings.dns_servers.is_empty() {
            MessageAuthenticator::new_system_conf().map_err(|e| {
                anyhow::anyhow!(
                    "cannot read the system DNS configuration ({e}); set auth.dns_servers"
                )
            })?
        } else {
            let servers = settings
                .dns_servers
                .iter()
                .map(|addr| {
                    let connections = [ConnectionConfig::udp(), ConnectionConfig::tcp()]
                        .into_iter()
                        .map(|mut c| {
                            c.port = addr.port();
                            c
                        })
                        .collect();
                    NameServerConfig::new(addr.ip(), true, connections)
                })
                .collect();
            MessageAuthenticator::new(ResolverConfig::from_name_servers(servers), options)
                .map_err(|e| anyhow::anyhow!("cannot set up DNS for auth.dns_servers: {e}"))?
        };
        Ok(Self {
            resolver,
            timeout: settings.timeout,
            trusted_peers: settings.trusted_peers.clone(),
            authserv_id: settings.authserv_id.clone(),
            hostname: hostname.to_owned(),
            cpu: CpuPool::from_cores(),
        })
    }

    /// Hashes and verifies on `cpu`, the pool the rest of the relay uses,
    /// so one bound holds for all CPU-heavy work.
    pub fn with_cpu(mut self, cpu: CpuPool) -> Self {
        self.cpu = cpu;
        self
    }

    /// The verdict on one message. Never takes longer than the configured
    /// timeout: lookups that have not answered by then make it `temperror`.
    /// The message is hashed and its signatures verified on the CPU pool;
    /// `Busy` when the pool has no room, so the sender retries.
    pub async fn authenticate(
        &self,
        peer: IpAddr,
        helo: &str,
        mail_from: &str,
        raw: &Arc<Vec<u8>>,
    ) -> Result<SenderAuth, CpuError> {
        let read = dkim::read(&self.cpu, raw.clone()).await?;
        let from_aligned = read
            .as_ref()
            .is_some_and(|m| from_names_sender(&m.from, mail_from));
        if self.trusted_peers.iter().any(|net| net.contains(peer)) {
            let by = self.authserv_id.as_str();
            return Ok(edge::taken_from_header(
                &raw[..],
                by,
                mail_from,
                from_aligned,
            ));
        }
        let Some(mut read) = read else {
            return Ok(SenderAuth::unchecked(AuthVerdict::Fail, RELAY, false));
        };
        if read.from.is_empty() {
            // No From: at all: DMARC judges the envelope's domain instead,
            // so leaving the header out cannot dodge the sender's policy.
            read.from.push(mail_from.trim().to_ascii_lowercase());
        }
        let checked = check::check(
            &self.resolver,
            &self.cpu,
            raw,
            read,
            check::Sender {
                peer,
                helo,
                hostname: &self.hostname,
                mail_from,
            },
        );
        match tokio::time::timeout(self.timeout, checked).await {
            Ok(results) => Ok(results?.into_sender_auth(from_aligned)),
            Err(_elapsed) => {
                tracing::info!("sender authentication timed out");
                Ok(SenderAuth::unchecked(
                    AuthVerdict::TempError,
                    RELAY,
                    from_aligned,
                ))
            }
        }
    }
}

/// The `From:` header holds exactly one address and it is the envelope
/// sender (or there is none): DMARC vouches for the header's domain, so the
/// header must name the same party the envelope claims.
fn from_names_sender(from: &[String], mail_from: &str) -> bool {
    match from {
        [] => true,
        [only] => only.eq_ignore_ascii_case(mail_from.trim()),
        _ => false,
    }
}

/// The domain part of an address, lowercased.
fn domain_of(address: &str) -> String {
    address
        .rsplit_once('@')
        .map_or("", |(_, d)| d)
        .trim_end_matches('.')
        .to_ascii_lowercase()
}

/// Relaxed alignment (RFC 7489 3.1): one domain is the other or a parent of it.
fn aligned(a: &str, b: &str) -> bool {
    let (a, b) = (a.to_ascii_lowercase(), b.to_ascii_lowercase());
    !a.is_empty()
        && !b.is_empty()
        && (a == b || a.ends_with(&format!(".{b}")) || b.ends_with(&format!(".{a}")))
}

/// The results of each method and what they add up to.
#[derive(Debug)]
struct MethodResults {
    spf: SpfCheck,
    dkim: Vec<DkimCheck>,
    dmarc: DmarcCheck,
    verdict: AuthVerdict,
    checked_by: String,
    trusted_edge: bool,
}

impl MethodResults {
    fn into_sender_auth(self, from_aligned: bool) -> SenderAuth {
        SenderAuth {
            // A From: that is not the envelope sender is refused whatever
            // vouched for it: DMARC could pass for the header's own domain.
            verdict: if from_aligned {
                self.verdict
            } else {
                AuthVerdict::Fail
            },
            checked_by: self.checked_by,
            trusted_edge: self.trusted_edge,
            spf: self.spf,
            dkim: self.dkim,
            dmarc: self.dmarc,
            from_aligned,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn from_must_be_the_envelope_sender_alone() {
        let one = |a: &str| vec![a.to_owned()];
        assert!(from_names_sender(
            &one("jane@buyer.example"),
            "Jane@Buyer.example"
        ));
        assert!(!from_names_sender(
            &one("owner@shop.example"),
            "jane@buyer.example"
        ));
        assert!(
            from_names_sender(&[], "jane@buyer.example"),
            "judged on the envelope"
        );
        let two = vec!["jane@buyer.example".to_owned(), "x@evil.example".to_owned()];
        assert!(!from_names_sender(&two, "jane@buyer.example"));
    }

    #[test]
    fn alignment_is_relaxed_to_parent_domains_only() {
        assert!(aligned("shop.example", "shop.example"));
        assert!(aligned("mail.shop.example", "shop.example"));
        assert!(aligned("shop.example", "mail.shop.example"));
        assert!(!aligned("evilshop.example", "shop.example"));
        assert!(!aligned("", "shop.example"));
        assert_eq!(domain_of("Jane@Buyer.Example."), "buyer.example");
    }
}
