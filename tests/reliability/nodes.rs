//! Three relay processes on one Postgres share the queue under load; one
//! is SIGKILLed mid-run. Claims take `for update skip locked`, so the
//! three deliver side by side and never the same entry: every `250` is
//! delivered, and only the sends the kill cut off may arrive twice (with the
//! same Message-ID, once the dead node's claim lease has run out).

use std::time::{Duration, Instant};

use crate::{
    chaos::{self, Traffic},
    harness::{capture::Capture, mail},
};

/// Deliveries a node's log reports (the worker logs one line per delivery).
fn deliveries_logged(log: &std::path::Path) -> usize {
    std::fs::read_to_string(log)
        .unwrap_or_default()
        .lines()
        .filter(|l| l.contains("outbound::worker") && l.contains("delivered"))
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_nodes_on_one_postgres_one_killed_lose_nothing_and_send_nothing_twice() {
    let database_url = crate::helpers::fresh_postgres_database().await;
    let dir = tempfile::tempdir().unwrap();
    let run = mail::run_prefix();
    let capture = Capture::start_slow("127.0.0.1:0", run.clone(), Duration::from_millis(30))
        .await
        .unwrap();
    let env = chaos::relay_env(2);
    let logs: Vec<_> = (0..3)
        .map(|n| dir.path().join(format!("node-{n}.log")))
        .collect();
    let mut nodes = Vec::new();
    for log in &logs {
        nodes.push(
            chaos::start_relay(
                &crate::relay_bin(),
                &database_url,
                &capture,
                log.clone(),
                &env,
            )
            .await
            .unwrap(),
        );
    }
    let conversations = nodes[0].api().conversations(&run, 2, 6, 3).await.unwrap();
    let traffic = Traffic::new(
        &run,
        conversations,
        2048,
        Duration::from_millis(10),
        nodes.iter().map(|n| n.smtp.clone()).collect(),
    );
    let senders = traffic.start(6);

    tokio::time::sleep(Duration::from_secs(4)).await;
    nodes[1].kill().await.unwrap();
    let kills = [Instant::now()];
    traffic.set_targets(vec![nodes[0].smtp.clone(), nodes[2].smtp.clone()]);
    tokio::time::sleep(Duration::from_secs(4)).await;

    // The killed node has nothing left to stop; the others stop cleanly.
    let verdict = chaos::Finish {
        run: &run,
        capture: &capture,
        database_url: &database_url,
        kills: &kills,
        drain_timeout: Duration::from_secs(120),
        settle: Duration::from_secs(4),
    }
    .judge(&traffic, senders, &mut nodes)
    .await
    .unwrap();
    eprintln!("{}", verdict.line());
    assert!(verdict.is_clean(), "{}", verdict.line());
    assert!(verdict.acked >= 30, "{}", verdict.line());
    // At most the sends the killed node had in flight: one per delivery
    // lane (`delivery.concurrency`, 4 by default).
    assert!(verdict.duplicated <= 4, "{}", verdict.line());
    let per_node: Vec<usize> = logs.iter().map(|l| deliveries_logged(l)).collect();
    assert!(
        per_node.iter().all(|n| *n > 0),
        "every node delivers its share: {per_node:?}"
    );
}
