//! The crash tool's short run: two SIGKILLs under load on each engine.

use std::time::Duration;

use crate::chaos::{self, CrashArgs};

fn short_run(database_url: Option<String>) -> CrashArgs {
    CrashArgs {
        relay_bin: crate::relay_bin(),
        database_url,
        rounds: 2,
        min_up_ms: 1000,
        max_up_ms: 2000,
        connections: 3,
        pause_ms: 10,
        smarthost_delay_ms: 40,
        lease_secs: 2,
        conversations: 4,
        size: 2048,
        drain_timeout: 90,
        log_dir: None,
    }
}

async fn survives_sigkill(database_url: Option<String>) {
    let verdict = tokio::time::timeout(
        Duration::from_secs(240),
        chaos::run_crash(&short_run(database_url)),
    )
    .await
    .expect("the crash run finishes")
    .unwrap();
    eprintln!("{}", verdict.line());
    assert!(verdict.is_clean(), "{}", verdict.line());
    assert_eq!(verdict.kills, 2, "{}", verdict.line());
    assert!(
        verdict.acked > 0 && verdict.delivered == verdict.acked,
        "{}",
        verdict.line()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_relay_killed_under_load_loses_nothing() {
    survives_sigkill(None).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_relay_killed_under_load_loses_nothing() {
    survives_sigkill(Some(crate::helpers::fresh_postgres_database().await)).await;
}
