//! Entry points shared by the fuzz targets (`fuzz/`) and the ordinary test
//! that replays their regression corpus (`tests/fuzz/<target>/`).

use std::{
    net::SocketAddr,
    sync::{Arc, OnceLock},
    time::Duration,
};

use async_trait::async_trait;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_util::sync::CancellationToken;

use crate::{
    domain::Direction,
    inbound::{
        AuthSettings, Authenticator, Envelope, MailSink, PeerNet, RawMail, RcptVerdict, Session,
        SinkError, SmtpConfig,
    },
    mime::{self, OutboundMail},
    policy::{EvalContext, Policy},
    relay::inbound_mail::judge_mail,
};

const RELAY_DOMAIN: &str = "relay.test";
/// Longest a whole input may take; longer is a hang, and a finding.
const INPUT_DEADLINE: Duration = Duration::from_secs(10);

/// Drives one SMTP session with `data`: its first 8 bytes seed where the
/// rest is cut into reads (1 to 64 bytes each), the rest is what a client
/// sends. Panics when the session panics, hangs, or answers with anything
/// but well-formed reply lines.
pub fn smtp_session(data: &[u8]) {
    let (seed, input) = data.split_at(data.len().min(8));
    let mut state = seed.iter().fold(0x9e37_79b9_7f4a_7c15u64, |s, b| {
        (s ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3)
    }) | 1;
    let mut chunks = Vec::new();
    let mut rest = input;
    while !rest.is_empty() {
        // xorshift64: a cheap, deterministic split for each input.
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let size = (state % 64 + 1) as usize;
        let (chunk, tail) = rest.split_at(size.min(rest.len()));
        chunks.push(chunk.to_vec());
        rest = tail;
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let (client, server) = tokio::io::duplex(64 * 1024);
        let peer: SocketAddr = "192.0.2.7:40000".parse().expect("an address");
        let session = Session::new(
            server,
            peer,
            session_config(),
            Arc::new(FuzzSink),
            CancellationToken::new(),
        );
        let (mut read, mut write) = tokio::io::split(client);
        let replies = tokio::spawn(async move {
            let mut all = Vec::new();
            let _ = read.read_to_end(&mut all).await;
            all
        });
        let sent = async move {
            for chunk in chunks {
                if write.write_all(&chunk).await.is_err() {
                    return;
                }
            }
            let _ = write.shutdown().await;
        };
        let finished = tokio::time::timeout(INPUT_DEADLINE, async {
            let ((), _) = tokio::join!(sent, session.run());
            replies.await
        })
        .await;
        let all = finished
            .expect("the session ended within the deadline")
            .expect("the reply reader did not panic");
        for line in all.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
            let ok = line.len() >= 4
                && line[..3].iter().all(u8::is_ascii_digit)
                && matches!(line[3], b' ' | b'-')
                && line.ends_with(b"\r");
            assert!(
                ok,
                "malformed reply line {:?}",
                String::from_utf8_lossy(line)
            );
        }
    });
}

fn session_config() -> Arc<SmtpConfig> {
    static CONFIG: OnceLock<Arc<SmtpConfig>> = OnceLock::new();
    CONFIG
        .get_or_init(|| {
            // Every peer is a trusted edge, so no DNS is asked, and the
            // `Authentication-Results` parser sees every message.
            let settings = AuthSettings {
                dns_servers: vec!["127.0.0.1:9".parse().expect("an address")],
                timeout: Duration::from_millis(100),
                trusted_peers: PeerNet::parse("0.0.0.0/0").into_iter().collect(),
                authserv_id: "mx.relay.test".into(),
            };
            let auth = Authenticator::new(&settings, "mx.relay.test").expect("an authenticator");
            let mut config = SmtpConfig::with_defaults("mx.relay.test", Arc::new(auth));
            config.max_message_size = 16 * 1024;
            config.spool_threshold = 2 * 1024;
            config.max_recipients = 3;
            config.command_timeout = Duration::from_secs(5);
            config.data_timeout = Duration::from_secs(5);
            Arc::new(config)
        })
        .clone()
}

/// Accepts mail for the relay domain, reading each message as the relay would.
struct FuzzSink;

#[async_trait]
impl MailSink for FuzzSink {
    async fn check_recipient(&self, rcpt_to: &str) -> RcptVerdict {
        if rcpt_to.ends_with(RELAY_DOMAIN) {
            RcptVerdict::Accept
        } else {
            RcptVerdict::UnknownRecipient
        }
    }

    async fn accept(&self, envelope: &Envelope, raw: &RawMail) -> Result<Vec<String>, SinkError> {
        let _ = mime::auto_submitted(raw);
        if envelope.mail_from.starts_with("stranger") {
            return Err(SinkError::SenderNotAllowed);
        }
        Ok(envelope
            .rcpt_to
            .iter()
            .enumerate()
            .map(|(i, _)| format!("fuzz-{i}"))
            .collect())
    }
}

/// Raw bytes as a received mail through the whole path to the other
/// party: parsed, judged by the shipped policy in both directions, and
/// composed as the outbound letter. Panics when any step panics, when
/// composing a judged mail fails, or when what was composed lets input
/// add a header of its own.
pub fn mime_policy_compose(data: &[u8]) {
    let policy = shipped_policy();
    let parsed = mime::parse(data);
    let context = EvalContext::default();
    for direction in [Direction::BuyerToSeller, Direction::SellerToBuyer] {
        let judged = judge_mail(policy, direction, &context, &parsed);
        let mail = OutboundMail {
            from_name: format!(
                "{} via Marketplace",
                parsed.from_name.as_deref().unwrap_or("Buyer")
            ),
            from_address: format!("k3j9x0abcdef@{RELAY_DOMAIN}"),
            to_name: parsed.from_name.clone(),
            to_address: "owner@shop.example".into(),
            subject: judged.subject.clone(),
            message_id: format!("0123abcd@{RELAY_DOMAIN}"),
            in_reply_to: parsed.in_reply_to.clone(),
            references: parsed.references.clone(),
            text: judged.text.clone(),
            html: judged.html.clone(),
            attachments: crate::relay::files::render(&judged.files, Some(data)),
        };
        let composed = match mime::compose(&mail) {
            Ok(bytes) => bytes,
            Err(e) => panic!("a judged mail could not be composed: {e}"),
        };
        for name in ["Bcc", "Cc", "Sender", "Return-Path"] {
            assert!(
                mime::header_values(&composed, name).is_empty(),
                "input added a {name} header"
            );
        }
        let from = mime::header_values(&composed, "From");
        assert_eq!(from.len(), 1, "one From header: {from:?}");
        let again = mime::parse(&composed);
        assert_eq!(again.message_id.as_deref(), Some(mail.message_id.as_str()));
    }
}

/// Raw bytes as a bounce arriving at a return path: anyone who can send
/// mail there reaches this parser. Panics when it panics, or when what it
/// reads breaks the report's promises: a status is an RFC 3463 code, a
/// diagnostic is one line of at most 500 characters, a report with nothing
/// read says nothing, and the same bytes read the same way twice.
pub fn dsn_parse(data: &[u8]) {
    let report = mime::parse_bounce(data);
    if let Some(status) = &report.status {
        let mut parts = status.split('.');
        let class = parts.next().unwrap_or_default();
        assert!(["2", "4", "5"].contains(&class), "status class: {status}");
        let rest: Vec<&str> = parts.collect();
        assert!(
            rest.len() == 2
                && rest
                    .iter()
                    .all(|p| (1..=3).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit())),
            "status: {status}"
        );
    }
    if let Some(diagnostic) = &report.diagnostic {
        assert!(diagnostic.chars().count() <= 500, "diagnostic too long");
        assert!(
            !diagnostic.contains(['\r', '\n']),
            "diagnostic on one line: {diagnostic:?}"
        );
    }
    if report.kind == crate::domain::BounceKind::Other && !report.standard {
        assert_eq!((&report.status, &report.diagnostic), (&None, &None));
    }
    assert_eq!(mime::parse_bounce(data), report, "read the same twice");
}

fn shipped_policy() -> &'static Policy {
    static POLICY: OnceLock<Policy> = OnceLock::new();
    POLICY.get_or_init(|| {
        Policy::from_toml(include_str!("../config/policy.toml"), RELAY_DOMAIN)
            .expect("the shipped policy parses")
    })
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    /// Every input kept under `tests/fuzz/<target>/` (seeds, and any crash
    /// or hang found and fixed) goes through its entry point again.
    fn replay(target: &str, entry: fn(&[u8])) {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fuzz")
            .join(target);
        let mut ran = 0;
        for file in std::fs::read_dir(&dir).expect("corpus directory") {
            let path = file.expect("corpus entry").path();
            let data = std::fs::read(&path).expect("corpus file");
            let outcome = std::panic::catch_unwind(|| entry(&data));
            assert!(outcome.is_ok(), "{} fails again", path.display());
            ran += 1;
        }
        assert!(ran > 0, "no inputs in {}", dir.display());
    }

    #[test]
    fn the_smtp_session_corpus_replays_cleanly() {
        replay("smtp_session", super::smtp_session);
    }

    #[test]
    fn the_mime_policy_compose_corpus_replays_cleanly() {
        replay("mime_policy_compose", super::mime_policy_compose);
    }

    #[test]
    fn the_dsn_parse_corpus_replays_cleanly() {
        replay("dsn_parse", super::dsn_parse);
    }
}
