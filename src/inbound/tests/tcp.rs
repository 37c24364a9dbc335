//! Tests over real TCP through `serve`.

use std::{collections::HashSet, net::SocketAddr, sync::Arc, time::Duration};

use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor, transport::smtp::Error};
use tokio::{
    io::AsyncReadExt,
    net::{TcpListener, TcpStream},
    task::JoinHandle,
    time::timeout,
};
use tokio_util::sync::CancellationToken;

use super::{Client, FakeSink, Gate, Outcome, WAIT, config};
use crate::inbound::{SmtpConfig, serve};

pub(super) struct Server {
    pub(super) addr: SocketAddr,
    pub(super) shutdown: CancellationToken,
    pub(super) task: JoinHandle<()>,
}

pub(super) async fn start(config: SmtpConfig, sink: Arc<FakeSink>) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("local address");
    let shutdown = CancellationToken::new();
    let task = tokio::spawn(serve(listener, config, sink, shutdown.clone()));
    Server {
        addr,
        shutdown,
        task,
    }
}

async fn connect(addr: SocketAddr) -> Client<TcpStream> {
    Client::new(TcpStream::connect(addr).await.expect("connect"))
}

fn message(to: &str, body: &str) -> Message {
    Message::builder()
        .from("Buyer <buyer@example.net>".parse().expect("mailbox"))
        .to(to.parse().expect("mailbox"))
        .subject("Is it still available?")
        .body(body.to_owned())
        .expect("message")
}

fn transport(addr: SocketAddr) -> AsyncSmtpTransport<Tokio1Executor> {
    AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(addr.ip().to_string())
        .port(addr.port())
        .timeout(Some(WAIT))
        .build()
}

#[tokio::test]
async fn lettre_delivers_a_message_over_tcp() {
    let sink = FakeSink::new();
    let server = start(config(), sink.clone()).await;
    let smtp = transport(server.addr);

    let response = smtp
        .send(message(
            "k3j9x0abc@relay.localhost",
            "Hello, is it still available?",
        ))
        .await
        .expect("delivered");
    assert_eq!(response.code().to_string(), "250");
    let text: Vec<&str> = response.message().collect();
    assert_eq!(text, vec!["2.0.0 queued as msg-1"]);

    let stored = sink.stored();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].0.mail_from, "buyer@example.net");
    assert_eq!(
        stored[0].0.rcpt_to,
        vec!["k3j9x0abc@relay.localhost".to_owned()]
    );
    assert!(String::from_utf8_lossy(&stored[0].1).contains("Hello, is it still available?"));

    // A refused recipient surfaces as a permanent error in the client.
    let refused = smtp
        .send(message("unknown@relay.localhost", "Hi"))
        .await
        .expect_err("refused");
    assert!(refused.is_permanent(), "{refused}");
    assert_eq!(
        refused.status().map(|c| c.to_string()),
        Some("550".to_owned())
    );
    assert_eq!(sink.stored_count(), 1);

    let too_big: Result<_, Error> = smtp
        .send(message("k3j9x0abc@relay.localhost", &"x".repeat(2_000)))
        .await;
    assert!(too_big.expect_err("too large").is_permanent());
    assert_eq!(sink.stored_count(), 1);

    server.shutdown.cancel();
    timeout(WAIT, server.task)
        .await
        .expect("serve returns")
        .expect("no panic");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_concurrent_sessions_each_deliver() {
    let sink = FakeSink::new();
    let server = start(config(), sink.clone()).await;
    let mut clients = Vec::new();
    for n in 0..50 {
        let addr = server.addr;
        clients.push(tokio::spawn(async move {
            let mut client = connect(addr).await;
            client.expect("220 ").await;
            client
                .cmd(&format!("EHLO client{n}.example.net"), "250-")
                .await;
            client
                .cmd(&format!("MAIL FROM:<buyer{n}@example.net>"), "250 2.1.0")
                .await;
            client
                .cmd(&format!("RCPT TO:<alias{n}@relay.localhost>"), "250 2.1.5")
                .await;
            client.cmd("DATA", "354").await;
            client
                .send(&format!("Subject: {n}\r\n\r\nmessage {n}\r\n.\r\n"))
                .await;
            let reply = client.expect("250 2.0.0 queued as ").await;
            client.cmd("QUIT", "221").await;
            reply
        }));
    }
    let mut ids = HashSet::new();
    for client in clients {
        let reply = timeout(WAIT, client)
            .await
            .expect("in time")
            .expect("no panic");
        ids.insert(reply);
    }
    assert_eq!(ids.len(), 50, "every message got its own id");
    let stored = sink.stored();
    assert_eq!(stored.len(), 50);
    for (envelope, raw) in stored {
        let n = envelope
            .helo
            .trim_start_matches("client")
            .trim_end_matches(".example.net");
        assert_eq!(envelope.mail_from, format!("buyer{n}@example.net"));
        assert_eq!(envelope.rcpt_to, vec![format!("alias{n}@relay.localhost")]);
        assert_eq!(
            raw,
            format!("Subject: {n}\r\n\r\nmessage {n}\r\n").into_bytes()
        );
    }

    server.shutdown.cancel();
    timeout(WAIT, server.task)
        .await
        .expect("serve returns")
        .expect("no panic");
}

/// True if the server never greets a connection made now.
async fn refuses_new_connections(addr: SocketAddr) -> bool {
    let Ok(mut stream) = TcpStream::connect(addr).await else {
        return true;
    };
    let mut buf = [0u8; 64];
    match timeout(Duration::from_millis(500), stream.read(&mut buf)).await {
        Ok(Ok(n)) => !buf[..n].starts_with(b"220"),
        Ok(Err(_)) | Err(_) => true,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn graceful_shutdown_finishes_in_flight_data_and_refuses_new_connections() {
    let gate = Arc::new(Gate::default());
    let sink = FakeSink::with(Outcome::Store, Some(gate.clone()));
    let server = start(config(), sink.clone()).await;

    let mut sending = connect(server.addr).await;
    sending.expect("220 ").await;
    sending.cmd("EHLO sender.example.net", "250-").await;
    sending.cmd("MAIL FROM:<buyer@example.net>", "250").await;
    sending
        .cmd("RCPT TO:<k3j9x0abc@relay.localhost>", "250")
        .await;
    sending.cmd("DATA", "354").await;
    sending
        .send("Subject: in flight\r\n\r\nfirst part\r\n")
        .await;

    let mut idle = connect(server.addr).await;
    idle.expect("220 ").await;
    idle.cmd("EHLO idle.example.net", "250-").await;

    server.shutdown.cancel();
    idle.expect("421 4.3.2").await;
    assert!(idle.closed().await);
    assert!(refuses_new_connections(server.addr).await);

    // The transaction under way completes: the rest of DATA, then the sink.
    sending.send("second part\r\n.\r\n").await;
    timeout(WAIT, gate.entered.notified())
        .await
        .expect("sink called");
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert!(
        !server.task.is_finished(),
        "serve waits for the transaction"
    );
    gate.open();
    sending.expect("250 2.0.0 queued as msg-1").await;
    sending.expect("421 4.3.2").await;
    assert!(sending.closed().await);

    timeout(WAIT, server.task)
        .await
        .expect("serve returns")
        .expect("no panic");
    let stored = sink.stored();
    assert_eq!(stored.len(), 1);
    assert_eq!(
        stored[0].1,
        b"Subject: in flight\r\n\r\nfirst part\r\nsecond part\r\n"
    );
}

#[tokio::test]
async fn connections_over_the_limit_get_421() {
    let config = SmtpConfig {
        max_connections: 1,
        ..config()
    };
    let metrics = config.metrics.clone();
    let server = start(config, FakeSink::new()).await;
    let mut first = connect(server.addr).await;
    first.expect("220 ").await;

    let mut second = connect(server.addr).await;
    second.expect("421 4.7.0").await;
    assert!(second.closed().await);
    let text = metrics.render(None, time::OffsetDateTime::now_utc());
    for counted in [
        "marketrelay_smtp_sessions_total{result=\"accepted\"} 1",
        "marketrelay_smtp_sessions_total{result=\"refused\"} 1",
        "marketrelay_smtp_sessions_open 1",
        "marketrelay_smtp_replies_total{code=\"220\"} 1",
        "marketrelay_smtp_replies_total{code=\"421\"} 1",
    ] {
        assert!(text.contains(counted), "{counted} in\n{text}");
    }

    first.cmd("QUIT", "221").await;
    assert!(first.closed().await);
    // The slot frees once the first session has ended.
    let mut greeted = false;
    for _ in 0..50 {
        let mut third = connect(server.addr).await;
        if third.reply().await.starts_with("220 ") {
            greeted = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(greeted, "a slot frees up after a session ends");

    server.shutdown.cancel();
    timeout(WAIT, server.task)
        .await
        .expect("serve returns")
        .expect("no panic");
}
