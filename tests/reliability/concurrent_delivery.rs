//! Several deliveries in flight per process (`delivery.concurrency`), over
//! smarthost connections that are kept and reused.

use std::time::Duration;

use crate::{
    chaos::{self, Traffic},
    harness::{capture::Capture, mail},
};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deliveries_overlap_and_reuse_smarthost_connections() {
    let dir = tempfile::tempdir().unwrap();
    let database_url = format!("sqlite://{}", dir.path().join("relay.db").display());
    let run = mail::run_prefix();
    // A slow smarthost: one at a time, 12 mails would take 6 s.
    let capture = Capture::start_slow("127.0.0.1:0", run.clone(), Duration::from_millis(500))
        .await
        .unwrap();
    let mut env = chaos::relay_env(60);
    env.push(("MARKETRELAY_DELIVERY_CONCURRENCY".into(), "4".into()));
    let mut relay = chaos::start_relay(
        &crate::relay_bin(),
        &database_url,
        &capture,
        dir.path().join("relay.log"),
        &env,
    )
    .await
    .unwrap();
    let conversations = relay.api().conversations(&run, 1, 4, 2).await.unwrap();
    let traffic = Traffic::new(
        &run,
        conversations,
        1024,
        Duration::ZERO,
        vec![relay.smtp.clone()],
    );
    let senders = traffic.start(2);
    while traffic.counts().0 < 12 {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let verdict = chaos::Finish {
        run: &run,
        capture: &capture,
        database_url: &database_url,
        kills: &[],
        drain_timeout: Duration::from_secs(60),
        settle: Duration::from_millis(200),
    }
    .judge(&traffic, senders, std::slice::from_mut(&mut relay))
    .await
    .unwrap();
    let copies = capture.records();
    assert!(verdict.is_clean(), "{}", verdict.line());
    assert_eq!(verdict.duplicated, 0, "{}", verdict.line());
    // The most sends the smarthost had open at one moment.
    let overlap = copies
        .iter()
        .filter_map(|d| d.began)
        .map(|t| {
            copies
                .iter()
                .filter(|o| o.began.is_some_and(|b| b <= t) && o.at.is_some_and(|a| a > t))
                .count()
        })
        .max()
        .unwrap_or(0);
    assert!(
        (3..=4).contains(&overlap),
        "deliveries in flight at once: {overlap}"
    );
    assert!(
        capture.sessions() <= 4 && capture.sessions() < copies.len(),
        "{} smarthost connections for {} mails",
        capture.sessions(),
        copies.len()
    );
}
