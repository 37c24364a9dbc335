//! `RefusalStore` conformance: refused SMTP attempts counted per key in
//! fixed windows, on both engines.

use std::sync::Arc;

use marketrelay::store::Store;

use super::at;

conformance!(refusals_count_per_key_within_a_window_that_starts_again_once_ended; raw:);

async fn refusals_count_per_key_within_a_window_that_starts_again_once_ended(
    store: Arc<dyn Store>,
) {
    let refusals = store.refusals();
    // Windows of 60 minutes: one that began at or before `now - 60` has ended.
    let count = |key: &'static str, now: i64| {
        let refusals = store.refusals();
        async move {
            refusals
                .count_refusal(key, at(now), at(now - 60))
                .await
                .unwrap()
        }
    };
    assert_eq!(
        refusals.refusal_window("ip:a", at(-60)).await.unwrap(),
        None
    );
    let first = count("ip:a", 0).await;
    assert_eq!((first.started_at, first.refusals), (at(0), 1));
    assert_eq!(count("ip:a", 10).await.refusals, 2);
    assert_eq!(count("alias:x", 10).await.refusals, 1, "keys count apart");
    let window = refusals
        .refusal_window("ip:a", at(59 - 60))
        .await
        .unwrap()
        .unwrap();
    assert_eq!((window.started_at, window.refusals), (at(0), 2));
    // At minute 60 the first window has ended: nothing is locked by it,
    // and the next refusal starts a new window at one.
    assert_eq!(refusals.refusal_window("ip:a", at(0)).await.unwrap(), None);
    let again = count("ip:a", 60).await;
    assert_eq!((again.started_at, again.refusals), (at(60), 1));
    // Counting prunes the windows that ended (alias:x's, begun at 10).
    assert_eq!(count("ip:a", 71).await.refusals, 2);
    assert_eq!(
        refusals.refusal_window("alias:x", at(-100)).await.unwrap(),
        None,
        "an ended window is deleted"
    );
    // Pruning alone deletes what ended, and nothing else.
    count("alias:y", 100).await;
    assert_eq!(refusals.prune_refusals(at(90)).await.unwrap(), 1, "ip:a's");
    assert_eq!(
        refusals
            .refusal_window("alias:y", at(-100))
            .await
            .unwrap()
            .map(|w| w.refusals),
        Some(1)
    );
}
