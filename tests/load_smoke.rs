//! The load tool (`examples/load`) at toy size: the relay binary started by
//! the tool on SQLite and on Postgres, its capture server, a bad client of
//! each kind, the sink, read-path and SQLite-ceiling modes, and the
//! bookkeeping that turns deliveries into lost and duplicated counts.

#[allow(dead_code)]
#[path = "api/dns.rs"]
mod dns;

#[allow(dead_code)]
#[path = "api/helpers.rs"]
mod helpers;

#[allow(dead_code)]
#[path = "../examples/load/harness/mod.rs"]
mod harness;

use std::{path::PathBuf, time::Instant};

use harness::{
    LoadArgs, RelayTarget,
    capture::{Capture, Delivered, inspect},
    ledger::{Ledger, RunSettings},
    mail::{self, Kind, Mix},
    reads::ReadArgs,
    smtp::Outcome,
    sqlite_ceiling::CeilingArgs,
};

fn toy_load() -> LoadArgs {
    LoadArgs {
        conversations: 2,
        messages: 5,
        concurrency: 2,
        size: 2048,
        mix: Mix::default(),
        sellers: 1,
        // Mails 3, 6 and 9 each bring one: slow, silent, then broken off mid-DATA.
        bad_every: 3,
        drain_timeout: 60,
    }
}

fn started_relay(database_url: String, dir: &tempfile::TempDir) -> RelayTarget {
    RelayTarget {
        relay_bin: Some(PathBuf::from(env!("CARGO_BIN_EXE_marketrelay"))),
        database_url: Some(database_url),
        relay_log: Some(dir.path().join("relay.log")),
        capture_addr: "127.0.0.1:0".into(),
        ..RelayTarget::default()
    }
}

async fn every_mail_is_delivered_once(database_url: String, dir: tempfile::TempDir) {
    let target = started_relay(database_url, &dir);
    let report = harness::run_relay_load(&target, &toy_load()).await.unwrap();
    assert!(report.is_clean(), "{}", report.line());
    assert_eq!(
        (report.sent, report.accepted, report.delivered),
        (10, 10, 10),
        "{}",
        report.line()
    );
    assert_eq!(report.settings.bad_clients, 3, "{}", report.line());
    assert!(
        report.peak_rss_mb.is_some_and(|mb| mb > 1.0),
        "{}",
        report.line()
    );
    assert!(
        report.delivered_per_sec > 0.0 && report.e2e_p99_ms > 0.0,
        "{}",
        report.line()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_relay_load_delivers_every_accepted_mail_once() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("relay.db").display());
    every_mail_is_delivered_once(url, dir).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_relay_load_delivers_every_accepted_mail_once() {
    let url = helpers::fresh_postgres_database().await;
    every_mail_is_delivered_once(url, tempfile::tempdir().unwrap()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sink_mode_counts_what_an_smtp_server_accepts() {
    let sink = Capture::start("127.0.0.1:0", "unused".into())
        .await
        .unwrap();
    let load = LoadArgs {
        messages: 12,
        concurrency: 3,
        ..toy_load()
    };
    let report = harness::run_sink(&sink.addr.to_string(), &load)
        .await
        .unwrap();
    assert!(report.is_clean(), "{}", report.line());
    assert_eq!((report.sent, report.accepted), (12, 12));
    assert_eq!(sink.count(), 12);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reads_mode_signs_in_and_times_every_route() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("reads.db").display());
    let target = started_relay(url, &dir);
    let outbox = format!("file://{}", dir.path().join("outbox").display());
    let mut relay = target.relay("reads", &outbox).await.unwrap();
    let args = ReadArgs {
        seller_id: None,
        requests: 4,
        route_seconds: 10,
        concurrency: 2,
        dashboard_days: 7,
    };
    let routes = harness::reads::run_reads(&relay.api(), &relay.http, &args)
        .await
        .unwrap();
    relay.stop().await.unwrap();
    assert_eq!(routes.len(), 6);
    for r in &routes {
        assert_eq!((r.requests, r.errors), (4, 0), "{}", r.line());
    }
}

#[tokio::test]
async fn sqlite_ceiling_inserts_every_row() {
    let dir = tempfile::tempdir().unwrap();
    let args = CeilingArgs {
        path: dir.path().join("ceiling.db"),
        concurrency: 3,
        connections: Some(2),
        rows: 30,
        size: 512,
        synchronous: "full".into(),
    };
    let report = harness::sqlite_ceiling::run(&args).await.unwrap();
    assert_eq!(report.rows, 30);
    assert!(report.rows_per_sec > 0.0);
    assert!(!args.path.exists(), "the scratch database is removed");
}

fn delivered(run: &str, id: usize) -> Delivered {
    Delivered {
        token: Some(mail::token(run, id)),
        message_id: Some(format!("{id}@relay.test")),
        at: Some(Instant::now()),
        phone_placeholder: true,
        email_placeholder: true,
        attachments: 1,
        ..Delivered::default()
    }
}

/// The counts the smoke tests rely on: a second copy is a duplicate, a
/// missing one is lost, a copy of a refused mail or of an unknown token is
/// unexpected, and contact details left in make a delivery damaged.
#[test]
fn the_ledger_counts_losses_duplicates_and_damage() {
    let run = "mrloadcdfhjk";
    // Mail 5 is never handed over: every connection failed before its turn.
    let ledger = Ledger::new(vec![
        Kind::Plain,
        Kind::Plain,
        Kind::Contact,
        Kind::Plain,
        Kind::Plain,
        Kind::Plain,
    ]);
    let now = Instant::now();
    for id in 0..4 {
        ledger.record(id, Outcome::Accepted { dot: now, at: now });
    }
    ledger.record(4, Outcome::Refused("550 5.7.1 no".into()));
    let mut leaky = delivered(run, 2);
    leaky.phone_left = true;
    let copies = vec![
        delivered(run, 0),
        delivered(run, 0),
        delivered(run, 1),
        leaky,
        // 3 never arrives; 4 was refused yet arrives; 9 was never sent.
        delivered(run, 4),
        delivered(run, 9),
    ];
    let report = ledger.report(run, &copies, RunSettings::default());
    assert_eq!(report.accepted, 4);
    assert_eq!(report.delivered, 3);
    assert_eq!(report.duplicated, 1);
    assert_eq!(report.same_message_id, 1);
    assert_eq!(report.lost, 1);
    assert_eq!(report.refused, 2);
    assert_eq!(report.unexpected, 2);
    assert_eq!(report.damaged, 1);
    assert!(!report.is_clean());

    let clean = Ledger::new(vec![Kind::Plain]);
    clean.record(0, Outcome::Accepted { dot: now, at: now });
    assert!(
        clean
            .report(run, &[delivered(run, 0)], RunSettings::default())
            .is_clean()
    );
}

#[test]
fn the_capture_sees_contact_details_left_in_and_leaked_addresses() {
    let run = "mrloadcdfhjk";
    let token = mail::token(run, 7);
    let raw = format!(
        "From: <jane@{}>\r\nTo: <s@relay.test>\r\nMessage-ID: <x@relay.test>\r\n\r\nref {token}: call {} or [email removed]\r\n",
        mail::BUYER_DOMAIN,
        mail::CONTACT_PHONE
    );
    let d = inspect(raw.as_bytes(), run);
    assert_eq!(d.token.as_deref(), Some(token.as_str()));
    assert_eq!(mail::token_number(&token, run), Some(7));
    assert!(d.phone_left && !d.phone_placeholder);
    assert!(!d.email_left && d.email_placeholder);
    assert!(d.leaked);
}
