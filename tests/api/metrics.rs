//! `/metrics` and `/readyz` over real HTTP, with mail over real SMTP: each
//! counter family moves when its event happens, label sets stay bounded and
//! free of addresses, scraping needs a token, and readiness names what fails.

use std::time::{Duration, Instant};

use marketrelay::outbound::DeliveryOutcome;
use serde_json::{Value, json};
use sqlx::{Connection, Executor, PgConnection};

use crate::{
    delivery::{RefusingSmarthost, smarthost},
    helpers::{
        Backend, OPERATOR_TOKEN, Options, TestApp, closed_port, postgres_admin_url,
        smtp_transcript, spawn_app, spawn_app_with,
    },
};

crate::on_both_backends!(message_counters_and_queue_gauges_follow_each_message);

const SCRAPE_TOKEN: &str = "scrape-token-0123456789";
const HOLD_TEXT: &str =
    "Cancel the order and pay me via PayPal friends and family, I'll give you 10% off.";
const BLOCK_TEXT: &str = "Please send your card number and the CVV so I can refund you";

/// `GET path`, with `token` as the bearer token when there is one.
async fn get(app: &TestApp, path: &str, token: Option<&str>) -> reqwest::Response {
    let mut request = app.client.get(app.url(path));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request.send().await.unwrap()
}

/// The exposition as the operator reads it.
pub(crate) async fn scrape(app: &TestApp) -> String {
    let r = get(app, "/metrics", Some(OPERATOR_TOKEN)).await;
    assert_eq!(r.status().as_u16(), 200);
    r.text().await.unwrap()
}

/// `name{a="x",b="y"}` as the exposition writes it.
fn series(name: &str, labels: &[(&str, &str)]) -> String {
    if labels.is_empty() {
        return name.to_owned();
    }
    let labels: Vec<String> = labels.iter().map(|(k, v)| format!("{k}=\"{v}\"")).collect();
    format!("{name}{{{}}}", labels.join(","))
}

/// The value of one series; fails naming the series when it is missing.
fn value(text: &str, name: &str, labels: &[(&str, &str)]) -> f64 {
    let series = series(name, labels);
    text.lines()
        .find_map(|l| l.strip_prefix(&format!("{series} ")))
        .unwrap_or_else(|| panic!("no {series} in\n{text}"))
        .parse()
        .unwrap()
}

/// How much a series grew between two scrapes; a series that appears only
/// in `after` (a reply code seen for the first time) grew from 0.
pub(crate) fn delta(before: &str, after: &str, name: &str, labels: &[(&str, &str)]) -> f64 {
    let was = if before.contains(&format!("{} ", series(name, labels))) {
        value(before, name, labels)
    } else {
        0.0
    };
    value(after, name, labels) - was
}

fn message(event: &str, direction: &str, action: &str) -> [(&'static str, String); 3] {
    [
        ("event", event.to_owned()),
        ("direction", direction.to_owned()),
        ("action", action.to_owned()),
    ]
}

fn messages_delta(before: &str, after: &str, labels: [(&str, String); 3]) -> f64 {
    let labels: Vec<(&str, &str)> = labels.iter().map(|(k, v)| (*k, v.as_str())).collect();
    delta(before, after, "marketrelay_messages_total", &labels)
}

async fn message_counters_and_queue_gauges_follow_each_message(backend: Backend) {
    let app = spawn_app(backend).await;
    let c = app.conversation().await;
    let staff = app.create_staff("Tess", "tess@marketplace.example").await;
    let before = scrape(&app).await;

    let reply = app
        .buyer_writes(&c, "Hello", "Call me on +49 170 1234567 please")
        .await;
    assert!(reply.starts_with("250"), "{reply}");
    let refused = smtp_transcript(
        app.smtp,
        &[
            "EHLO client.example".into(),
            format!("MAIL FROM:<{}>", c.buyer_email),
            "RCPT TO:<nobody@relay.test>".into(),
            "QUIT".into(),
        ],
    )
    .await;
    assert!(refused[3].starts_with("550"), "{refused:?}");
    let path = format!("/api/v1/conversations/{}/messages", c.id);
    let (_, held) = app
        .post(&path, &c.seller.token, json!({ "body": HOLD_TEXT }))
        .await;
    assert_eq!(held["status"], "held", "{held}");
    let (_, blocked) = app
        .post(&path, &c.seller.token, json!({ "body": BLOCK_TEXT }))
        .await;
    assert_eq!(blocked["status"], "blocked", "{blocked}");
    let stored = scrape(&app).await;

    let (b2s, s2b) = ("buyer_to_seller", "seller_to_buyer");
    let moved = |labels| messages_delta(&before, &stored, labels);
    assert_eq!(moved(message("received", b2s, "redact")), 1.0);
    assert_eq!(moved(message("received", s2b, "hold")), 1.0);
    assert_eq!(moved(message("held", s2b, "hold")), 1.0);
    assert_eq!(moved(message("received", s2b, "block")), 1.0);
    assert_eq!(moved(message("blocked", s2b, "block")), 1.0);
    assert_eq!(moved(message("held", b2s, "redact")), 0.0);
    let findings = "marketrelay_findings_total";
    assert!(delta(&before, &stored, findings, &[("kind", "phone")]) >= 1.0);
    assert!(delta(&before, &stored, findings, &[("kind", "offsite_payment")]) >= 1.0);
    assert!(delta(&before, &stored, findings, &[("kind", "phishing")]) >= 1.0);
    let policy = "marketrelay_policy_evaluation_seconds_count";
    assert_eq!(delta(&before, &stored, policy, &[]), 3.0, "one per message");
    let sessions = "marketrelay_smtp_sessions_total";
    assert_eq!(
        delta(&before, &stored, sessions, &[("result", "accepted")]),
        2.0
    );
    let replies = "marketrelay_smtp_replies_total";
    assert_eq!(delta(&before, &stored, replies, &[("code", "220")]), 2.0);
    assert_eq!(delta(&before, &stored, replies, &[("code", "550")]), 1.0);
    // EHLO, MAIL, RCPT and the end of DATA of the accepted mail; EHLO and MAIL of the other.
    assert!(delta(&before, &stored, replies, &[("code", "250")]) >= 6.0);

    let depth = "marketrelay_queue_depth";
    assert_eq!(value(&stored, depth, &[("kind", "relay")]), 1.0);
    // The blocked reply's notice to the seller.
    assert_eq!(value(&stored, depth, &[("kind", "notice")]), 1.0);
    assert_eq!(value(&stored, depth, &[("kind", "consent_request")]), 0.0);
    assert!(value(&stored, "marketrelay_queue_oldest_age_seconds", &[]) >= 0.0);
    assert_eq!(value(&stored, "marketrelay_review_queue_depth", &[]), 1.0);
    assert_eq!(value(&stored, "marketrelay_store_up", &[]), 1.0);

    let review = format!("/api/v1/messages/{}/review", held["id"].as_str().unwrap());
    let (status, _) = app
        .post(&review, &staff.token, json!({ "decision": "release" }))
        .await;
    assert_eq!(status, 200);
    assert_eq!(app.deliver_all().await.len(), 3);
    let delivered = scrape(&app).await;

    let moved = |labels| messages_delta(&stored, &delivered, labels);
    assert_eq!(moved(message("released", s2b, "hold")), 1.0);
    assert_eq!(moved(message("delivered", b2s, "redact")), 1.0);
    assert_eq!(moved(message("delivered", s2b, "hold")), 1.0);
    assert_eq!(
        moved(message("delivered", s2b, "block")),
        0.0,
        "notices are not messages"
    );
    let attempts = "marketrelay_delivery_attempts_total";
    let sent = |kind| {
        delta(
            &stored,
            &delivered,
            attempts,
            &[("kind", kind), ("result", "sent")],
        )
    };
    assert_eq!((sent("relay"), sent("notice")), (2.0, 1.0));
    for kind in ["relay", "notice", "consent_request"] {
        assert_eq!(value(&delivered, depth, &[("kind", kind)]), 0.0, "{kind}");
    }
    assert_eq!(
        value(&delivered, "marketrelay_queue_oldest_age_seconds", &[]),
        0.0
    );
    assert_eq!(
        value(&delivered, "marketrelay_review_queue_depth", &[]),
        0.0
    );

    // No address, alias or id ever becomes a label.
    for secret in [
        "@",
        c.seller_alias.split('@').next().unwrap(),
        c.id.as_str(),
        held["id"].as_str().unwrap(),
    ] {
        assert!(!delivered.contains(secret), "{secret} in\n{delivered}");
    }
}

#[tokio::test]
async fn delivery_attempts_count_bounces_deferrals_and_give_ups() {
    let (port, stop) = smarthost(std::sync::Arc::new(RefusingSmarthost)).await;
    let refusing = spawn_app_with(
        Options::new(Backend::Sqlite)
            .var("MARKETRELAY_OUTBOUND", &format!("smtp://127.0.0.1:{port}")),
    )
    .await;
    let c = refusing.conversation().await;
    let before = scrape(&refusing).await;
    assert!(
        refusing
            .buyer_writes(&c, "hi", "hello")
            .await
            .starts_with("250")
    );
    // The message, then the notice to its sender, both refused.
    assert_eq!(
        refusing.deliver_all().await,
        vec![DeliveryOutcome::GaveUp, DeliveryOutcome::GaveUp]
    );
    let after = scrape(&refusing).await;
    stop.cancel();
    let attempts = "marketrelay_delivery_attempts_total";
    let relay = |result| [("kind", "relay"), ("result", result)];
    assert_eq!(delta(&before, &after, attempts, &relay("bounced")), 1.0);
    let bounced = message("bounced", "buyer_to_seller", "deliver");
    assert_eq!(messages_delta(&before, &after, bounced), 1.0);

    // Nothing listens here: a temporary failure, then no attempt left.
    let port = closed_port();
    let unreachable = spawn_app_with(
        Options::new(Backend::Sqlite)
            .var("MARKETRELAY_OUTBOUND", &format!("smtp://127.0.0.1:{port}"))
            .var("MARKETRELAY_DELIVERY_MAX_ATTEMPTS", "2")
            .var("MARKETRELAY_DELIVERY_INITIAL_BACKOFF_SECS", "0"),
    )
    .await;
    let c = unreachable.conversation().await;
    let before = scrape(&unreachable).await;
    assert!(
        unreachable
            .buyer_writes(&c, "hi", "hello")
            .await
            .starts_with("250")
    );
    let outcome = unreachable.outbound.try_deliver_next().await.unwrap();
    assert_eq!(outcome, DeliveryOutcome::WillRetry);
    let deferred = scrape(&unreachable).await;
    assert_eq!(delta(&before, &deferred, attempts, &relay("deferred")), 1.0);
    tokio::time::sleep(Duration::from_millis(50)).await;
    let outcome = unreachable.outbound.try_deliver_next().await.unwrap();
    assert_eq!(outcome, DeliveryOutcome::GaveUp);
    let failed = scrape(&unreachable).await;
    assert_eq!(delta(&deferred, &failed, attempts, &relay("failed")), 1.0);
    let gave_up = message("failed", "buyer_to_seller", "deliver");
    assert_eq!(messages_delta(&deferred, &failed, gave_up), 1.0);
}

/// Lines of one family's samples.
fn samples<'a>(text: &'a str, name: &str) -> Vec<&'a str> {
    let prefix = format!("{name}{{");
    text.lines().filter(|l| l.starts_with(&prefix)).collect()
}

#[tokio::test]
async fn http_requests_are_counted_by_route_pattern_and_unknown_paths_share_one_label() {
    let app = spawn_app(Backend::Sqlite).await;
    let id = uuid::Uuid::new_v4().to_string();
    let (status, _) = app
        .get(&format!("/api/v1/messages/{id}"), OPERATOR_TOKEN)
        .await;
    assert_eq!(status, 403);
    let first = app
        .client
        .get(app.url("/no-such-page"))
        .send()
        .await
        .unwrap();
    assert_eq!(first.status().as_u16(), 404);
    // A scrape is counted once answered: the second shows the first.
    scrape(&app).await;
    let before = scrape(&app).await;
    for n in 0..25 {
        let r = app
            .client
            .get(app.url(&format!("/probe-{n}/owner@shop.example")))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 404);
    }
    let (status, _) = app
        .get(&format!("/api/v1/messages/{id}"), OPERATOR_TOKEN)
        .await;
    assert_eq!(status, 403);
    let after = scrape(&app).await;

    let requests = "marketrelay_http_requests_total";
    let unmatched = [("method", "GET"), ("route", "unmatched"), ("status", "404")];
    assert_eq!(delta(&before, &after, requests, &unmatched), 25.0);
    let message = [
        ("method", "GET"),
        ("route", "/api/v1/messages/{id}"),
        ("status", "403"),
    ];
    assert_eq!(delta(&before, &after, requests, &message), 1.0);
    // The scrape between them is a request too, under its own pattern.
    let scrapes = [("method", "GET"), ("route", "/metrics"), ("status", "200")];
    assert!(value(&after, requests, &scrapes) >= 1.0);
    // 25 new paths, no new series: only the counts moved.
    assert_eq!(
        samples(&before, requests).len(),
        samples(&after, requests).len(),
        "{after}"
    );
    for raw in ["probe-", "no-such-page", &id, "@"] {
        assert!(!after.contains(raw), "{raw} in\n{after}");
    }
}

#[tokio::test]
async fn metrics_need_the_operator_token_or_the_scrape_token() {
    let app = spawn_app_with(
        Options::new(Backend::Sqlite).var("MARKETRELAY_METRICS_TOKEN", SCRAPE_TOKEN),
    )
    .await;
    let seller = app.create_seller("Shop", "owner@shop.example").await;
    let status = async |app, path, token| get(app, path, token).await.status().as_u16();
    assert_eq!(status(&app, "/metrics", None).await, 401);
    let wrong = Some("scrape-token-0123456780");
    assert_eq!(status(&app, "/metrics", wrong).await, 401);
    assert_eq!(status(&app, "/metrics", Some(&seller.token)).await, 403);
    assert_eq!(status(&app, "/metrics", Some(OPERATOR_TOKEN)).await, 200);

    let scraped = get(&app, "/metrics", Some(SCRAPE_TOKEN)).await;
    assert_eq!(scraped.status().as_u16(), 200);
    assert_eq!(
        scraped.headers()["content-type"],
        "text/plain; version=0.0.4; charset=utf-8"
    );
    let text = scraped.text().await.unwrap();
    assert!(text.contains("# TYPE marketrelay_messages_total counter"));
    // The scrape token opens nothing else.
    let api = status(&app, "/api/v1/conversations", Some(SCRAPE_TOKEN)).await;
    assert_eq!(api, 401);

    // Without a configured scrape token, that string is just a wrong token.
    let plain = spawn_app(Backend::Sqlite).await;
    assert_eq!(status(&plain, "/metrics", Some(SCRAPE_TOKEN)).await, 401);
}

async fn readyz(app: &TestApp) -> (u16, Value, Duration) {
    let started = Instant::now();
    let r = get(app, "/readyz", None).await;
    let status = r.status().as_u16();
    (status, r.json().await.unwrap(), started.elapsed())
}

#[tokio::test]
async fn readyz_names_an_outbound_transport_that_is_down_or_hangs() {
    let app = spawn_app(Backend::Sqlite).await;
    let (status, body, _) = readyz(&app).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body,
        json!({ "status": "ok", "checks": { "store": "ok", "outbound": "ok" }, "failing": [] })
    );

    let port = closed_port();
    let stopped = spawn_app_with(
        Options::new(Backend::Sqlite)
            .var("MARKETRELAY_OUTBOUND", &format!("smtp://127.0.0.1:{port}")),
    )
    .await;
    let (status, body, _) = readyz(&stopped).await;
    assert_eq!(status, 503, "{body}");
    assert_eq!(body["failing"], json!(["outbound"]));
    assert_eq!(body["checks"]["store"], "ok");
    assert_eq!(body["status"], "unavailable");
    // Liveness does not depend on the smarthost.
    assert_eq!(get(&stopped, "/healthz", None).await.status().as_u16(), 200);

    // A smarthost that takes the connection and never greets: the check
    // gives up at its deadline instead of hanging the probe.
    let silent = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = silent.local_addr().unwrap().port();
    let holder = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((stream, _)) = silent.accept().await {
            held.push(stream);
        }
    });
    let hanging = spawn_app_with(
        Options::new(Backend::Sqlite)
            .var("MARKETRELAY_OUTBOUND", &format!("smtp://127.0.0.1:{port}")),
    )
    .await;
    let (status, body, took) = readyz(&hanging).await;
    holder.abort();
    assert_eq!(status, 503, "{body}");
    assert_eq!(body["failing"], json!(["outbound"]));
    assert!(took < Duration::from_secs(4), "took {took:?}");
}

#[tokio::test]
async fn readyz_healthz_and_metrics_report_a_store_that_went_away() {
    let app = spawn_app(Backend::Postgres).await;
    let (status, _, _) = readyz(&app).await;
    assert_eq!(status, 200);
    let name = url::Url::parse(&app.database_url).unwrap().path()[1..].to_owned();
    let mut admin = PgConnection::connect(&postgres_admin_url()).await.unwrap();
    // The name was generated by the harness from a UUID.
    admin
        .execute(sqlx::AssertSqlSafe(format!(
            "drop database \"{name}\" with (force)"
        )))
        .await
        .unwrap();

    let (status, body, took) = readyz(&app).await;
    assert_eq!(status, 503, "{body}");
    assert_eq!(body["failing"], json!(["store"]));
    assert_eq!(body["checks"]["outbound"], "ok");
    assert!(took < Duration::from_secs(4), "took {took:?}");
    assert_eq!(get(&app, "/healthz", None).await.status().as_u16(), 503);
    // Counters still come; the queue gauges do not, and say why.
    let text = scrape(&app).await;
    assert_eq!(value(&text, "marketrelay_store_up", &[]), 0.0);
    assert!(!text.contains("marketrelay_queue_depth"), "{text}");
    assert!(text.contains("marketrelay_messages_total{"));
}

#[tokio::test]
async fn the_dashboard_and_the_docs_name_only_metrics_that_exist() {
    let app = spawn_app(Backend::Sqlite).await;
    let text = scrape(&app).await;
    let names: std::collections::BTreeSet<&str> = text
        .lines()
        .filter_map(|l| l.strip_prefix("# TYPE "))
        .filter_map(|l| l.split(' ').next())
        .collect();
    let name = regex::Regex::new(r"marketrelay_[a-z_]+").unwrap();
    let root = env!("CARGO_MANIFEST_DIR");
    let mut checked = 0;
    for doc in ["docs/grafana-dashboard.json", "docs/reliability.md"] {
        let content = std::fs::read_to_string(format!("{root}/{doc}")).unwrap();
        // Of the reliability notes, only the metrics section.
        let content = match content.split_once("\n## Metrics\n") {
            Some((_, metrics)) => metrics.split("\n## ").next().unwrap_or_default(),
            None => content.as_str(),
        };
        for found in name.find_iter(content) {
            let family = ["_bucket", "_sum", "_count"]
                .iter()
                .find_map(|s| found.as_str().strip_suffix(s))
                .filter(|f| names.contains(f))
                .unwrap_or(found.as_str());
            assert!(
                names.contains(family),
                "{doc} names {family}, which /metrics does not have"
            );
            checked += 1;
        }
    }
    assert!(checked > 20, "only {checked} names checked");
    serde_json::from_str::<Value>(
        &std::fs::read_to_string(format!("{root}/docs/grafana-dashboard.json")).unwrap(),
    )
    .expect("the dashboard is JSON");
}
