//! SMTP load generator for a running marketrelay: opens a conversation
//! through the operator API, then sends buyer mails from many concurrent
//! sessions and reports throughput and the latency of the reply to DATA
//! (the time until the message is durably stored).
//!
//! cargo run --release --example smtp_load -- \
//!     --http 127.0.0.1:8080 --smtp 127.0.0.1:2525 --token OPERATOR_TOKEN --sessions 20 --messages 50

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tokio::{
    io::{AsyncBufReadExt, AsyncWriteExt, BufReader},
    net::TcpStream,
};

struct Args {
    http: String,
    smtp: String,
    token: String,
    sessions: usize,
    messages: usize,
}

fn args() -> Args {
    let mut a = Args {
        http: "127.0.0.1:8080".into(),
        smtp: "127.0.0.1:2525".into(),
        token: String::new(),
        sessions: 20,
        messages: 50,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().unwrap_or_else(|| panic!("{flag} needs a value"));
        match flag.as_str() {
            "--http" => a.http = value,
            "--smtp" => a.smtp = value,
            "--token" => a.token = value,
            "--sessions" => a.sessions = value.parse().expect("--sessions N"),
            "--messages" => a.messages = value.parse().expect("--messages N"),
            other => panic!("unknown flag {other}"),
        }
    }
    assert!(!a.token.is_empty(), "--token OPERATOR_TOKEN is required");
    a
}

async fn reply(reader: &mut BufReader<tokio::net::tcp::OwnedReadHalf>) -> String {
    let mut all = String::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).await.expect("read") == 0 {
            return all;
        }
        all.push_str(&line);
        if line.as_bytes().get(3) != Some(&b'-') {
            return all;
        }
    }
}

/// One session sending `count` messages; returns the DATA latencies.
async fn session(
    smtp: String,
    from: String,
    to: String,
    count: usize,
    body: String,
) -> Vec<Duration> {
    let stream = TcpStream::connect(&smtp).await.expect("connect");
    let (read, mut write) = stream.into_split();
    let mut reader = BufReader::new(read);
    reply(&mut reader).await;
    write.write_all(b"EHLO load.example\r\n").await.unwrap();
    reply(&mut reader).await;
    let mut latencies = Vec::with_capacity(count);
    for i in 0..count {
        let envelope = format!("MAIL FROM:<{from}>\r\nRCPT TO:<{to}>\r\nDATA\r\n");
        write.write_all(envelope.as_bytes()).await.unwrap();
        for _ in 0..3 {
            reply(&mut reader).await;
        }
        let mail = format!(
            "From: <{from}>\r\nTo: <{to}>\r\nSubject: load {i}\r\nMessage-ID: <load-{i}-{}@load.example>\r\n\r\n{body}\r\n.\r\n",
            uuid::Uuid::new_v4()
        );
        let start = Instant::now();
        write.write_all(mail.as_bytes()).await.unwrap();
        let r = reply(&mut reader).await;
        latencies.push(start.elapsed());
        assert!(r.starts_with("250"), "unexpected reply: {r}");
    }
    write.write_all(b"QUIT\r\n").await.unwrap();
    latencies
}

#[tokio::main]
async fn main() {
    let a = args();
    let client = reqwest::Client::new();
    let api = format!("http://{}/api/v1", a.http);
    let run = uuid::Uuid::new_v4().simple().to_string();
    let seller: Value = client
        .post(format!("{api}/sellers"))
        .bearer_auth(&a.token)
        .json(&json!({ "name": "Load Shop", "email": format!("seller-{run}@load.example") }))
        .send()
        .await
        .expect("API reachable")
        .json()
        .await
        .expect("seller JSON");
    let buyer = format!("buyer-{run}@load.example");
    let conversation: Value = client
        .post(format!("{api}/conversations"))
        .bearer_auth(&a.token)
        .json(&json!({ "seller_id": seller["id"], "buyer": { "email": buyer, "name": "Load Buyer" } }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let to = conversation["seller_alias"]
        .as_str()
        .expect("conversation created")
        .to_string();
    // A realistic message: a question, an order number, a price and a phone number to redact.
    let body = "Hello, I ordered 123-1234567-1234567 for $1,234.56 last week and it has not arrived.\r\n\
                Could you check the tracking 1Z999AA10123456784? You can call me on +49 170 1234567.\r\n\
                Thanks a lot, Jane"
        .to_string();

    let started = Instant::now();
    let tasks: Vec<_> = (0..a.sessions)
        .map(|_| {
            tokio::spawn(session(
                a.smtp.clone(),
                buyer.clone(),
                to.clone(),
                a.messages,
                body.clone(),
            ))
        })
        .collect();
    let mut latencies = Vec::new();
    for t in tasks {
        latencies.extend(t.await.expect("session"));
    }
    let elapsed = started.elapsed();
    latencies.sort();
    let pct = |p: f64| latencies[((latencies.len() as f64 * p) as usize).min(latencies.len() - 1)];
    println!(
        "{} messages in {:.2} s over {} sessions: {:.0} msg/s; DATA->250 latency p50 {:.1} ms, p95 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        latencies.len(),
        elapsed.as_secs_f64(),
        a.sessions,
        latencies.len() as f64 / elapsed.as_secs_f64(),
        pct(0.50).as_secs_f64() * 1e3,
        pct(0.95).as_secs_f64() * 1e3,
        pct(0.99).as_secs_f64() * 1e3,
        latencies.last().unwrap().as_secs_f64() * 1e3,
    );
}
