//! The durable outbound queue: retries, giving up, surviving a restart, and
//! graceful shutdown.

use std::time::Duration;

use marketrelay::outbound::DeliveryOutcome;

use crate::helpers::{
    Backend, Options, buyer_mail, queued_id, read_outbox, smtp_transcript, spawn_app_with,
};

crate::on_both_backends!(queued_mail_survives_a_restart_and_is_delivered_after_it,);

async fn queued_mail_survives_a_restart_and_is_delivered_after_it(backend: Backend) {
    let mut first = spawn_app_with(Options::new(backend)).await;
    let c = first.conversation().await;
    let raw = buyer_mail(&c.buyer_email, &c.seller_alias, "before restart", "hello");
    assert!(
        first
            .send_mail(&c.buyer_email, &c.seller_alias, &raw)
            .await
            .starts_with("250")
    );
    let (database_url, outbox) = (first.database_url.clone(), first.outbox.clone());
    first.stop().await;
    assert!(read_outbox(&outbox).is_empty());

    // Same database and outbox, a new process-equivalent with the worker on.
    let dir = std::mem::replace(&mut first.dir, tempfile::tempdir().unwrap());
    let mut options = Options::new(backend);
    options.worker = true;
    options.database_url = Some(database_url);
    options.dir = Some(dir);
    let second = spawn_app_with(options).await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    while second.delivered().is_empty() {
        assert!(
            tokio::time::Instant::now() < deadline,
            "queued mail was not delivered after restart"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(String::from_utf8_lossy(&second.delivered()[0]).contains("before restart"));
}

#[tokio::test]
async fn unreachable_smarthost_is_retried_with_backoff_then_given_up() {
    // Nothing listens on this port: every attempt fails with a connection error.
    let port = crate::helpers::closed_port();
    let app = spawn_app_with(
        Options::new(Backend::Sqlite)
            .var("MARKETRELAY_OUTBOUND", &format!("smtp://127.0.0.1:{port}"))
            .var("MARKETRELAY_DELIVERY_MAX_ATTEMPTS", "2")
            .var("MARKETRELAY_DELIVERY_INITIAL_BACKOFF_SECS", "0"),
    )
    .await;
    let c = app.conversation().await;
    let staff = app.create_staff("Tess", "tess@marketplace.example").await;
    let raw = buyer_mail(&c.buyer_email, &c.seller_alias, "retry me", "hello");
    let reply = app.send_mail(&c.buyer_email, &c.seller_alias, &raw).await;
    let id = reply
        .trim_start_matches("250 2.0.0 queued as ")
        .trim()
        .to_string();

    assert_eq!(
        app.outbound.try_deliver_next().await.unwrap(),
        DeliveryOutcome::WillRetry
    );
    let (_, m) = app
        .get(&format!("/api/v1/messages/{id}"), &staff.token)
        .await;
    assert_eq!(m["status"], "queued");
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(
        app.outbound.try_deliver_next().await.unwrap(),
        DeliveryOutcome::GaveUp
    );
    // The end of retries queues a notice to the sender (tried, like any
    // mail, on the same unreachable smarthost).
    let pending = app.store.queue().pending_deliveries().await.unwrap();
    assert_eq!(pending, 1, "a notice to the sender is queued");
    let (_, m) = app
        .get(&format!("/api/v1/messages/{id}"), &staff.token)
        .await;
    assert_eq!(m["status"], "failed");
    let attempts = m["delivery_attempts"].as_array().unwrap();
    assert_eq!(attempts.len(), 2, "{m}");
    assert!(
        attempts
            .iter()
            .all(|a| a["succeeded"] == false && a["error"].is_string())
    );
}

#[tokio::test]
async fn shutdown_finishes_an_in_flight_smtp_transaction_and_refuses_new_ones() {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    let mut app = spawn_app_with(Options::new(Backend::Sqlite)).await;
    let c = app.conversation().await;
    let stream = tokio::net::TcpStream::connect(app.smtp).await.unwrap();
    let (read, mut write) = stream.into_split();
    let mut reader = BufReader::new(read);
    let mut line = String::new();
    reader.read_line(&mut line).await.unwrap();
    for cmd in [
        "EHLO x".to_string(),
        format!("MAIL FROM:<{}>", c.buyer_email),
        format!("RCPT TO:<{}>", c.seller_alias),
        "DATA".into(),
    ] {
        write
            .write_all(format!("{cmd}\r\n").as_bytes())
            .await
            .unwrap();
        loop {
            line.clear();
            reader.read_line(&mut line).await.unwrap();
            if line.as_bytes().get(3) != Some(&b'-') {
                break;
            }
        }
    }
    assert!(line.starts_with("354"), "{line}");
    write
        .write_all(b"Subject: in flight\r\n\r\nhalf of the body")
        .await
        .unwrap();

    // Shutdown while the message is half sent.
    app.shutdown.cancel();
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        tokio::net::TcpStream::connect(app.smtp).await.is_err() || smtp_refused(app.smtp).await,
        "new sessions must be refused"
    );

    write.write_all(b" and the rest\r\n.\r\n").await.unwrap();
    line.clear();
    reader.read_line(&mut line).await.unwrap();
    assert!(
        line.starts_with("250 2.0.0 queued as"),
        "in-flight transaction must complete: {line}"
    );
    app.stop().await;
    let stored = app
        .store
        .conversations()
        .list_conversations(None)
        .await
        .unwrap();
    assert_eq!(stored.len(), 1);
}

async fn smtp_refused(addr: std::net::SocketAddr) -> bool {
    let replies = smtp_transcript(addr, &["EHLO x".into()]).await;
    replies
        .first()
        .is_none_or(|r| r.is_empty() || r.starts_with("421"))
}

/// A smarthost for tests: our own SMTP listener with a sink that records
/// every envelope and message, reachable over real TCP.
pub(crate) struct RecordingSmarthost {
    pub(crate) received: std::sync::Mutex<Vec<(marketrelay::inbound::Envelope, Vec<u8>)>>,
}

#[async_trait::async_trait]
impl marketrelay::inbound::MailSink for RecordingSmarthost {
    async fn check_recipient(&self, _rcpt: &str) -> marketrelay::inbound::RcptVerdict {
        marketrelay::inbound::RcptVerdict::Accept
    }

    async fn accept(
        &self,
        envelope: &marketrelay::inbound::Envelope,
        raw: &marketrelay::inbound::RawMail,
    ) -> Result<Vec<String>, marketrelay::inbound::SinkError> {
        self.received
            .lock()
            .unwrap()
            .push((envelope.clone(), raw.to_vec()));
        Ok(vec!["smarthost-1".into()])
    }
}

#[tokio::test]
async fn mail_goes_through_an_smtp_smarthost_with_the_alias_as_envelope_sender() {
    let sink = std::sync::Arc::new(RecordingSmarthost {
        received: Default::default(),
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let stop = tokio_util::sync::CancellationToken::new();
    let config = crate::helpers::smarthost_config();
    tokio::spawn(marketrelay::inbound::serve(
        listener,
        config,
        sink.clone(),
        stop.clone(),
    ));

    let app = spawn_app_with(
        Options::new(Backend::Sqlite)
            .var("MARKETRELAY_OUTBOUND", &format!("smtp://127.0.0.1:{port}")),
    )
    .await;
    let c = app.conversation().await;
    let raw = buyer_mail(
        &c.buyer_email,
        &c.seller_alias,
        "via smarthost",
        "Is the blue one in stock?",
    );
    assert!(
        app.send_mail(&c.buyer_email, &c.seller_alias, &raw)
            .await
            .starts_with("250")
    );
    assert_eq!(app.deliver_all().await, vec![DeliveryOutcome::Delivered]);
    stop.cancel();

    let received = sink.received.lock().unwrap();
    assert_eq!(received.len(), 1);
    let (envelope, bytes) = &received[0];
    // The envelope sender (Return-Path) is the entry's signed return
    // path in the relay domain, where bounces come back.
    let return_path = &envelope.mail_from;
    assert!(
        return_path.starts_with("b+") && return_path.ends_with("@relay.test"),
        "{return_path}"
    );
    assert!(
        app.state
            .links
            .verify_return_path(return_path, "relay.test")
            .is_some(),
        "{return_path}"
    );
    assert_eq!(
        envelope.rcpt_to,
        vec!["owner@gadgetshop.example".to_string()]
    );
    let text = String::from_utf8_lossy(bytes);
    assert!(text.contains("Is the blue one in stock?"));
    assert!(!text.contains(&c.buyer_email), "{text}");
}

/// What the first delivery attempt of message `id` recorded as its error.
async fn first_attempt_error(app: &crate::helpers::TestApp, id: &str) -> String {
    let attempts = app
        .store
        .queue()
        .delivery_attempts(id.parse().unwrap())
        .await
        .unwrap();
    attempts[0].error.clone().unwrap_or_default()
}

/// A smarthost that refuses every message for good, quoting the recipient
/// as real servers do.
pub(crate) struct RefusingSmarthost;

#[async_trait::async_trait]
impl marketrelay::inbound::MailSink for RefusingSmarthost {
    async fn check_recipient(&self, _rcpt: &str) -> marketrelay::inbound::RcptVerdict {
        marketrelay::inbound::RcptVerdict::Accept
    }

    async fn accept(
        &self,
        envelope: &marketrelay::inbound::Envelope,
        _raw: &marketrelay::inbound::RawMail,
    ) -> Result<Vec<String>, marketrelay::inbound::SinkError> {
        Err(marketrelay::inbound::SinkError::Permanent(format!(
            "5.1.1 <{}>: Recipient address rejected",
            envelope.rcpt_to[0]
        )))
    }
}

/// Starts `sink` as an SMTP server on 127.0.0.1; returns its port and stop token.
pub(crate) async fn smarthost(
    sink: std::sync::Arc<dyn marketrelay::inbound::MailSink>,
) -> (u16, tokio_util::sync::CancellationToken) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let stop = tokio_util::sync::CancellationToken::new();
    tokio::spawn(marketrelay::inbound::serve(
        listener,
        crate::helpers::smarthost_config(),
        sink,
        stop.clone(),
    ));
    (port, stop)
}

#[tokio::test]
async fn a_smarthosts_refusal_is_stored_without_the_address_it_quotes() {
    let (port, stop) = smarthost(std::sync::Arc::new(RefusingSmarthost)).await;
    let app = spawn_app_with(
        Options::new(Backend::Sqlite)
            .var("MARKETRELAY_OUTBOUND", &format!("smtp://127.0.0.1:{port}")),
    )
    .await;
    let c = app.conversation().await;
    let id = queued_id(&app.buyer_writes(&c, "hi", "hello").await);
    // The message, then the notice to its sender: both refused, and a
    // refused notice is answered by nothing.
    assert_eq!(
        app.deliver_all().await,
        vec![DeliveryOutcome::GaveUp, DeliveryOutcome::GaveUp]
    );
    stop.cancel();
    let error = first_attempt_error(&app, &id).await;
    assert!(error.contains("Recipient address rejected"), "{error}");
    assert!(error.contains("[address]"), "{error}");
    assert!(
        !error.contains("gadgetshop"),
        "the seller's address was stored: {error}"
    );
}

#[tokio::test]
async fn smarthost_credentials_are_never_sent_without_starttls() {
    let sink = std::sync::Arc::new(RecordingSmarthost {
        received: Default::default(),
    });
    // The smarthost offers no STARTTLS.
    let (port, stop) = smarthost(sink.clone()).await;
    let app = spawn_app_with(Options::new(Backend::Sqlite).var(
        "MARKETRELAY_OUTBOUND",
        &format!("smtp://relay-user:relay-secret@127.0.0.1:{port}"),
    ))
    .await;
    let c = app.conversation().await;
    let id = queued_id(&app.buyer_writes(&c, "hi", "hello").await);
    assert_eq!(app.deliver_all().await, vec![DeliveryOutcome::WillRetry]);
    stop.cancel();
    assert!(sink.received.lock().unwrap().is_empty(), "nothing was sent");
    let error = first_attempt_error(&app, &id).await;
    assert!(!error.contains("relay-secret"), "{error}");
}

/// A relay that DKIM-signs with a fresh key; the key's directory lives as
/// long as the app.
pub(crate) async fn app_that_signs(
    backend: Backend,
) -> (
    crate::helpers::TestApp,
    crate::sender_auth::TestKey,
    tempfile::TempDir,
) {
    let key = crate::sender_auth::TestKey::generate();
    let dir = tempfile::tempdir().unwrap();
    let key_file = dir.path().join("dkim.pem");
    std::fs::write(&key_file, key.pem()).unwrap();
    let app = spawn_app_with(
        Options::new(backend)
            .var("MARKETRELAY_DKIM_KEY_FILE", key_file.to_str().unwrap())
            .var("MARKETRELAY_DKIM_SELECTOR", crate::sender_auth::SELECTOR),
    )
    .await;
    (app, key, dir)
}

/// Checks `raw`'s one DKIM signature as a receiver would, looking the key
/// up where the README says to publish it; returns the signed header names.
pub(crate) async fn dkim_passes(raw: &[u8], key: &crate::sender_auth::TestKey) -> Vec<String> {
    use mail_auth::{
        AuthenticatedMessage, DkimResult, MessageAuthenticator,
        hickory_resolver::config::{
            ConnectionConfig, NameServerConfig, ResolverConfig, ResolverOpts,
        },
    };
    let dns = crate::dns::DnsStub::start(crate::dns::Zone::default().txt(
        &format!("{}._domainkey.relay.test", crate::sender_auth::SELECTOR),
        &key.record,
    ))
    .await;
    let mut udp = ConnectionConfig::udp();
    udp.port = dns.addr.port();
    let servers = vec![NameServerConfig::new(dns.addr.ip(), true, vec![udp])];
    let verifier = MessageAuthenticator::new(
        ResolverConfig::from_name_servers(servers),
        ResolverOpts::default(),
    )
    .unwrap();
    let message = AuthenticatedMessage::parse(raw).unwrap();
    let results = verifier.verify_dkim(&message).await;
    assert_eq!(results.len(), 1);
    assert_eq!(*results[0].result(), DkimResult::Pass, "{results:?}");
    let text = String::from_utf8_lossy(raw);
    let signature: String = text
        .split("\r\n")
        .skip_while(|l| !l.starts_with("DKIM-Signature:"))
        .enumerate()
        .take_while(|(i, l)| *i == 0 || l.starts_with([' ', '\t']))
        .map(|(_, l)| l.trim())
        .collect();
    let h = signature
        .split(';')
        .map(str::trim)
        .find_map(|tag| tag.strip_prefix("h="))
        .expect("an h= tag");
    h.split(':')
        .map(|n| n.trim().to_ascii_lowercase())
        .collect()
}

#[tokio::test]
async fn outgoing_mail_carries_a_dkim_signature_that_verifies_for_the_relay_domain() {
    let (app, key, _dir) = app_that_signs(Backend::Sqlite).await;
    let c = app.conversation().await;
    queued_id(
        &app.buyer_writes(&c, "signed", "Is it still available?")
            .await,
    );
    assert_eq!(app.deliver_all().await, vec![DeliveryOutcome::Delivered]);
    let delivered = app.delivered();
    let text = String::from_utf8_lossy(&delivered[0]).into_owned();
    assert!(text.starts_with("DKIM-Signature:"), "{text}");
    assert!(text.contains("d=relay.test"), "{text}");
    dkim_passes(&delivered[0], &key).await;
}
