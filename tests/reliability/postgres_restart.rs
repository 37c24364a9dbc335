//! Postgres stopped and started under load: while it is down every mail
//! gets a 4xx (the sender keeps it and tries again), never a `250` that is
//! then lost, and the relay reconnects by itself once it is back.

use std::time::{Duration, Instant};

use crate::{
    chaos::{self, Traffic},
    harness::{capture::Capture, mail},
    private_postgres::PrivatePostgres,
};

/// Waits until `done` holds, for at most `limit`.
async fn until(limit: Duration, what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + limit;
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_restarted_under_load_gets_451_while_down_and_loses_nothing() {
    let Some(pg) = PrivatePostgres::start() else {
        return;
    };
    let run = mail::run_prefix();
    let capture = Capture::start("127.0.0.1:0", run.clone()).await.unwrap();
    let mut relay = chaos::start_relay(
        &crate::relay_bin(),
        &pg.url(),
        &capture,
        pg.dir().join("relay.log"),
        // No node dies here: a lease longer than the outage keeps a send
        // whose record waits for the database from going out again.
        &chaos::relay_env(60),
    )
    .await
    .unwrap();
    let conversations = relay.api().conversations(&run, 2, 4, 2).await.unwrap();
    let traffic = Traffic::new(
        &run,
        conversations,
        2048,
        Duration::from_millis(10),
        vec![relay.smtp.clone()],
    );
    let senders = traffic.start(3);
    until(
        Duration::from_secs(30),
        "mail accepted before the outage",
        || traffic.counts().0 >= 10,
    )
    .await;

    pg.stop_now();
    let (_, refused_before, _) = traffic.counts();
    until(
        Duration::from_secs(30),
        "4xx replies during the outage",
        || traffic.counts().1 >= refused_before + 10,
    )
    .await;
    let (acked_down, refused_down, _) = traffic.counts();
    tokio::time::sleep(Duration::from_secs(1)).await;
    let (acked_still_down, ..) = traffic.counts();
    // A mail already past its commit when the server went may still get
    // its 250; after that, none can.
    assert!(
        acked_still_down <= acked_down + 3,
        "mail accepted with the database down: {acked_down} then {acked_still_down}"
    );

    pg.start_again();
    until(
        Duration::from_secs(60),
        "mail accepted again after the restart (the relay reconnects by itself)",
        || traffic.counts().0 >= acked_still_down + 10,
    )
    .await;
    let verdict = chaos::Finish {
        run: &run,
        capture: &capture,
        database_url: &pg.url(),
        kills: &[],
        drain_timeout: Duration::from_secs(60),
        settle: Duration::from_secs(1),
    }
    .judge(&traffic, senders, std::slice::from_mut(&mut relay))
    .await
    .unwrap();
    eprintln!("{}", verdict.line());
    assert!(verdict.is_clean(), "{}", verdict.line());
    assert!(
        verdict.refused_4xx >= refused_down && verdict.refused_5xx == 0,
        "{}",
        verdict.line()
    );
    assert_eq!(verdict.duplicated, 0, "{}", verdict.line());
}
