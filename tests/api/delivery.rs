//! The durable outbound queue: retries, giving up, surviving a restart, and
//! graceful shutdown.

use std::time::Duration;

use marketrelay::outbound::DeliveryOutcome;

use crate::helpers::{Backend, Options, buyer_mail, read_outbox, smtp_transcript, spawn_app_with};

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
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
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
    assert_eq!(
        app.outbound.try_deliver_next().await.unwrap(),
        DeliveryOutcome::QueueEmpty
    );
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
    let stored = app.store.list_conversations(None).await.unwrap();
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
struct RecordingSmarthost {
    received: std::sync::Mutex<Vec<(marketrelay::inbound::Envelope, Vec<u8>)>>,
}

#[async_trait::async_trait]
impl marketrelay::inbound::MailSink for RecordingSmarthost {
    async fn check_recipient(&self, _rcpt: &str) -> marketrelay::inbound::RcptVerdict {
        marketrelay::inbound::RcptVerdict::Accept
    }

    async fn accept(
        &self,
        envelope: &marketrelay::inbound::Envelope,
        raw: &[u8],
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
    assert_eq!(
        envelope.mail_from, c.buyer_alias,
        "envelope sender (Return-Path) is the alias"
    );
    assert_eq!(
        envelope.rcpt_to,
        vec!["owner@gadgetshop.example".to_string()]
    );
    let text = String::from_utf8_lossy(bytes);
    assert!(text.contains("Is the blue one in stock?"));
    assert!(!text.contains(&c.buyer_email), "{text}");
}
