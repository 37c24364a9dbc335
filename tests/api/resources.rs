//! Bounded resources: HTML that would make the parser quadratic, CPU work
//! kept off the connections' workers, API reply bodies capped before they
//! are decoded or filtered, and HTTP connections with a header deadline
//! and caps.

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
};

use crate::helpers::{Backend, Options, spawn_app, spawn_app_with};

crate::on_both_backends!(
    a_megabyte_of_unmatched_html_end_tags_is_accepted_in_seconds,
    api_replies_are_bounded_before_they_are_decoded_or_filtered,
);

/// A buyer mail whose only part is `html`.
fn html_mail(c: &crate::helpers::Convo, html: &str) -> String {
    format!(
        "From: Jane Buyer <{from}>\r\nTo: <{to}>\r\nSubject: Markup\r\n\
         MIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n{html}\r\n",
        from = c.buyer_email,
        to = c.seller_alias,
    )
}

async fn a_megabyte_of_unmatched_html_end_tags_is_accepted_in_seconds(backend: Backend) {
    let app = spawn_app(backend).await;
    let c = app.conversation().await;
    // 100,000 tags that a count of start and end tags calls balanced, and
    // that the parser nests 100,000 deep.
    let html = "<div></x>".repeat(100_000) + "<p>Call me on +49 170 1234567</p>";
    let started = Instant::now();
    let reply = app
        .send_mail(&c.buyer_email, &c.seller_alias, &html_mail(&c, &html))
        .await;
    assert!(reply.starts_with("250"), "{reply}");
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "accepted after {:?}",
        started.elapsed()
    );
    let id = reply.trim_start_matches("250 2.0.0 queued as ");
    let message = app
        .store
        .messages()
        .get_message(id.parse().unwrap())
        .await
        .unwrap();
    assert!(message.body.contains("[phone removed]"), "{}", message.body);
    assert!(!message.body.contains("1234567"));
}

/// The reply route of the API: text capped as in the inbox, file sizes
/// checked from their base64 before anything is decoded, and the body
/// bounded by the attachment limits rather than a fixed 64 MiB.
async fn api_replies_are_bounded_before_they_are_decoded_or_filtered(backend: Backend) {
    let app = spawn_app_with(
        Options::new(backend)
            .var("MARKETRELAY_ATTACHMENTS_MAX_FILE_BYTES", "1048576")
            .var("MARKETRELAY_ATTACHMENTS_MAX_TOTAL_BYTES", "1048576"),
    )
    .await;
    let c = app.conversation().await;
    let path = format!("/api/v1/conversations/{}/messages", c.id);
    let code = |body: &Value| {
        body["error"]["code"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    };

    let (status, body) = app
        .post(
            &path,
            &c.seller.token,
            json!({ "body": "x".repeat(20_001) }),
        )
        .await;
    assert_eq!(
        (status, code(&body).as_str()),
        (400, "body_too_long"),
        "{body}"
    );
    let (status, _) = app
        .post(
            &path,
            &c.seller.token,
            json!({ "body": "x".repeat(20_000) }),
        )
        .await;
    assert_eq!(status, 202, "the inbox's limit exactly");

    // Too big, and not even base64 at its end: refused for its size, so it
    // was never decoded.
    let oversized = "AAAA".repeat(1024 * 1024 / 3 + 4) + "!!!!";
    let (status, body) = app
        .post(
            &path,
            &c.seller.token,
            json!({ "body": "A file.", "attachments": [{ "filename": "big.png", "content_base64": oversized }] }),
        )
        .await;
    assert_eq!(
        (status, code(&body).as_str()),
        (400, "attachment_too_large"),
        "{body}"
    );
    let broken = "!!!!".to_owned();
    let files: Vec<Value> = (0..6)
        .map(|i| json!({ "filename": format!("{i}.png"), "content_base64": broken }))
        .collect();
    let (status, body) = app
        .post(
            &path,
            &c.seller.token,
            json!({ "body": "Files.", "attachments": files }),
        )
        .await;
    assert_eq!(
        (status, code(&body).as_str()),
        (400, "too_many_attachments"),
        "{body}"
    );

    // A body past the files' base64 at the limits is not read at all: the
    // 413 comes from the declared length, while the body is still being
    // written (the server may stop reading it, so writing may fail).
    let padding = "x".repeat(4 * 1024 * 1024);
    let json = json!({ "body": "Hi", "subject": padding }).to_string();
    let answer = raw_post(
        &app,
        &path,
        &c.seller.token,
        Framing::Declared,
        json.clone(),
    )
    .await;
    assert_api_413(&answer);
    // Chunked, it declares nothing, and is cut at the limit instead.
    let answer = raw_post(&app, &path, &c.seller.token, Framing::Chunked, json).await;
    assert_api_413(&answer);
    let conversation = c.id.parse().unwrap();
    assert_eq!(
        app.store
            .messages()
            .list_messages(conversation)
            .await
            .unwrap()
            .len(),
        1
    );
}

/// How a raw request frames its body.
#[derive(Clone, Copy, PartialEq)]
enum Framing {
    /// With `Content-Length`.
    Declared,
    /// With `Transfer-Encoding: chunked`, in 64 KiB chunks.
    Chunked,
}

/// Posts `body` as JSON over a fresh connection while reading the answer,
/// as a client that reads an early answer does: writing may fail once the
/// server stops reading, and the connection may be reset after the answer.
/// Returns what the server sent within 10 s.
async fn raw_post(
    app: &crate::helpers::TestApp,
    path: &str,
    token: &str,
    framing: Framing,
    body: String,
) -> String {
    let stream = TcpStream::connect(app.http.trim_start_matches("http://"))
        .await
        .unwrap();
    let (mut reader, mut writer) = stream.into_split();
    let length = match framing {
        Framing::Declared => format!("Content-Length: {}", body.len()),
        Framing::Chunked => "Transfer-Encoding: chunked".to_owned(),
    };
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: relay.test\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: application/json\r\n{length}\r\n\r\n"
    );
    let write = tokio::spawn(async move {
        writer.write_all(head.as_bytes()).await?;
        for chunk in body.as_bytes().chunks(64 * 1024) {
            match framing {
                Framing::Declared => writer.write_all(chunk).await?,
                Framing::Chunked => {
                    writer
                        .write_all(format!("{:x}\r\n", chunk.len()).as_bytes())
                        .await?;
                    writer.write_all(chunk).await?;
                    writer.write_all(b"\r\n").await?;
                }
            }
        }
        if framing == Framing::Chunked {
            writer.write_all(b"0\r\n\r\n").await?;
        }
        std::io::Result::Ok(writer)
    });
    let answer = read_answer(&mut reader, Duration::from_secs(10)).await;
    write.abort();
    answer
}

/// Reads until the server closes (or resets) the connection, or `within`
/// passes.
async fn read_answer(reader: &mut (impl AsyncReadExt + Unpin), within: Duration) -> String {
    let mut got = Vec::new();
    let mut buf = [0u8; 8192];
    let _ = tokio::time::timeout(within, async {
        while let Ok(n) = reader.read(&mut buf).await {
            if n == 0 {
                break;
            }
            got.extend_from_slice(&buf[..n]);
        }
    })
    .await;
    String::from_utf8_lossy(&got).into_owned()
}

/// A `413` in the API's envelope, after which the server closes.
fn assert_api_413(answer: &str) {
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer:?}");
    assert!(
        answer.contains(r#""code":"payload_too_large""#),
        "{answer:?}"
    );
}

/// Reads what the server sends until it closes or `within` passes;
/// `None` if the connection is still open then.
async fn read_until_closed(stream: &mut TcpStream, within: Duration) -> Option<String> {
    let mut got = Vec::new();
    let read = tokio::time::timeout(within, stream.read_to_end(&mut got)).await;
    read.ok()
        .map(|_| String::from_utf8_lossy(&got).into_owned())
}

async fn healthz(app: &crate::helpers::TestApp) -> u16 {
    let r = app.client.get(app.url("/healthz")).send().await.unwrap();
    r.status().as_u16()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_trickles_its_headers_is_cut_off() {
    let app = spawn_app_with(
        Options::new(Backend::Sqlite).var("MARKETRELAY_HTTP_HEADER_READ_TIMEOUT_SECS", "1"),
    )
    .await;
    let addr = app.http.trim_start_matches("http://");
    let mut slow = TcpStream::connect(addr).await.unwrap();
    slow.write_all(b"GET /healthz HTTP/1.1\r\nHost: relay.test\r\n")
        .await
        .unwrap();
    let started = Instant::now();
    assert!(
        read_until_closed(&mut slow, Duration::from_secs(5))
            .await
            .is_some(),
        "the connection is still open"
    );
    assert!(started.elapsed() < Duration::from_secs(4));
    // Saying nothing at all is no better.
    let mut silent = TcpStream::connect(addr).await.unwrap();
    assert!(
        read_until_closed(&mut silent, Duration::from_secs(5))
            .await
            .is_some()
    );
    assert_eq!(healthz(&app).await, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connections_past_the_caps_are_refused_until_one_closes() {
    let app = spawn_app_with(
        Options::new(Backend::Sqlite).var("MARKETRELAY_HTTP_MAX_CONNECTIONS_PER_IP", "3"),
    )
    .await;
    let addr = app.http.trim_start_matches("http://");
    let mut held = Vec::new();
    for _ in 0..3 {
        held.push(TcpStream::connect(addr).await.unwrap());
    }
    let mut one_more = TcpStream::connect(addr).await.unwrap();
    let answer = read_until_closed(&mut one_more, Duration::from_secs(5))
        .await
        .expect("refused at once");
    assert!(answer.starts_with("HTTP/1.1 503"), "{answer:?}");
    drop(held.pop());
    let mut status = 0;
    for _ in 0..50 {
        // The freed slot is counted back once the server sees the close.
        tokio::time::sleep(Duration::from_millis(20)).await;
        let client = reqwest::Client::builder()
            .pool_max_idle_per_host(0)
            .build()
            .unwrap();
        if let Ok(r) = client.get(app.url("/healthz")).send().await {
            status = r.status().as_u16();
            if status == 200 {
                break;
            }
        }
    }
    assert_eq!(status, 200);
}

/// A request that declares more body than its route takes is answered
/// `413` from its headers alone, before any of the body is sent, and the
/// connection is then closed: on the reply route (its own limit, from the
/// attachment limits) and on any other (the service-wide limit).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_declared_body_over_the_limit_is_refused_before_it_is_sent() {
    let app = spawn_app_with(
        Options::new(Backend::Sqlite)
            .var("MARKETRELAY_ATTACHMENTS_MAX_FILE_BYTES", "1048576")
            .var("MARKETRELAY_ATTACHMENTS_MAX_TOTAL_BYTES", "1048576"),
    )
    .await;
    let c = app.conversation().await;
    let addr = app.http.trim_start_matches("http://");
    let reply = format!("/api/v1/conversations/{}/messages", c.id);
    for (path, declared) in [
        (reply.as_str(), 4 * 1024 * 1024),
        ("/api/v1/sellers", 1024 * 1024 + 1),
    ] {
        let mut stream = TcpStream::connect(addr).await.unwrap();
        let head = format!(
            "POST {path} HTTP/1.1\r\nHost: relay.test\r\nAuthorization: Bearer {token}\r\n\
             Content-Type: application/json\r\nContent-Length: {declared}\r\n\r\n",
            token = c.seller.token,
        );
        stream.write_all(head.as_bytes()).await.unwrap();
        let started = Instant::now();
        let answer = read_until_closed(&mut stream, Duration::from_secs(10))
            .await
            .unwrap_or_else(|| panic!("{path}: no answer, or the connection kept open"));
        assert!(started.elapsed() < Duration::from_secs(5), "{path}");
        assert_api_413(&answer);
        assert!(
            answer.to_ascii_lowercase().contains("connection: close"),
            "{answer:?}"
        );
    }
    assert_eq!(healthz(&app).await, 200);
}
