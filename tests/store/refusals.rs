//! `RefusalStore` conformance: refused SMTP attempts counted per key in
//! fixed windows, on both engines.

use std::{
    net::IpAddr,
    sync::{
        Arc,
        atomic::{AtomicBool, AtomicUsize, Ordering},
    },
    time::Duration,
};

use async_trait::async_trait;
use marketrelay::{
    relay::refusals::{Limit, RefusalKey, RefusalLimits, STORE_WAIT},
    store::{
        self, Store, StoreResult,
        refusals::{RefusalStore, RefusalWindow},
    },
};
use time::OffsetDateTime;

use super::at;

conformance!(
    refusals_count_per_key_within_a_window_that_starts_again_once_ended,
    honest_senders_cost_no_query_and_nodes_agree_within_the_bound,
    a_store_that_does_not_answer_in_time_locks_until_it_has_counted_every_refusal;
    raw:
);

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

/// One node's view of the shared store: counts the refusal reads it makes,
/// and can stall them past the node's wait, as a store that is down or
/// overloaded does.
struct CountingStore {
    inner: Arc<dyn Store>,
    reads: AtomicUsize,
    stalled: AtomicBool,
}

impl CountingStore {
    fn new(inner: &Arc<dyn Store>) -> Arc<Self> {
        Arc::new(Self {
            inner: inner.clone(),
            reads: AtomicUsize::new(0),
            stalled: AtomicBool::new(false),
        })
    }

    /// Answers, but later than a node waits for a limit.
    async fn stall_if_asked(&self) {
        if self.stalled.load(Ordering::SeqCst) {
            tokio::time::sleep(STORE_WAIT + Duration::from_millis(200)).await;
        }
    }
}

#[async_trait]
impl RefusalStore for CountingStore {
    async fn count_refusal(
        &self,
        key: &str,
        at: OffsetDateTime,
        expired: OffsetDateTime,
    ) -> StoreResult<RefusalWindow> {
        self.stall_if_asked().await;
        self.inner.refusals().count_refusal(key, at, expired).await
    }
    async fn prune_refusals(&self, expired: OffsetDateTime) -> StoreResult<u64> {
        self.inner.refusals().prune_refusals(expired).await
    }
    async fn refusal_window(
        &self,
        key: &str,
        expired: OffsetDateTime,
    ) -> StoreResult<Option<RefusalWindow>> {
        self.reads.fetch_add(1, Ordering::SeqCst);
        self.stall_if_asked().await;
        self.inner.refusals().refusal_window(key, expired).await
    }
}

#[async_trait]
impl Store for CountingStore {
    async fn ping(&self) -> StoreResult<()> {
        self.inner.ping().await
    }
    async fn secret(&self, name: &str, generated: &str) -> StoreResult<String> {
        self.inner.secret(name, generated).await
    }
    fn parties(&self) -> &dyn store::PartyStore {
        self.inner.parties()
    }
    fn conversations(&self) -> &dyn store::ConversationStore {
        self.inner.conversations()
    }
    fn messages(&self) -> &dyn store::MessageStore {
        self.inner.messages()
    }
    fn queue(&self) -> &dyn store::QueueStore {
        self.inner.queue()
    }
    fn consents(&self) -> &dyn store::ConsentStore {
        self.inner.consents()
    }
    fn audit(&self) -> &dyn store::AuditStore {
        self.inner.audit()
    }
    fn moderation(&self) -> &dyn store::ModerationStore {
        self.inner.moderation()
    }
    fn reports(&self) -> &dyn store::ReportStore {
        self.inner.reports()
    }
    fn bounces(&self) -> &dyn store::BounceStore {
        self.inner.bounces()
    }
    fn accounts(&self) -> &dyn store::accounts::AccountStore {
        self.inner.accounts()
    }
    fn lifecycle(&self) -> &dyn store::lifecycle::LifecycleStore {
        self.inner.lifecycle()
    }
    fn stats(&self) -> &dyn store::stats::StatsStore {
        self.inner.stats()
    }
    fn refusals(&self) -> &dyn RefusalStore {
        self
    }
    fn response_times(&self) -> &dyn store::response_time::ResponseTimeStore {
        self.inner.response_times()
    }
    fn strikes(&self) -> &dyn store::strikes::StrikeStore {
        self.inner.strikes()
    }
    fn help_domains(&self) -> &dyn store::help_domains::HelpDomainStore {
        self.inner.help_domains()
    }
    fn review_requests(&self) -> &dyn store::review_requests::ReviewRequestStore {
        self.inner.review_requests()
    }
}

async fn honest_senders_cost_no_query_and_nodes_agree_within_the_bound(store: Arc<dyn Store>) {
    let clear_for = Duration::from_millis(400);
    let node = |store: &Arc<dyn Store>| {
        let counted = CountingStore::new(store);
        let limits = RefusalLimits::new(counted.clone(), 3, 3, Duration::from_secs(3600))
            .with_clear_for(clear_for);
        (counted, limits)
    };
    let (here_reads, here) = node(&store);
    let (_, there) = node(&store);
    let honest: IpAddr = "192.0.2.7".parse().unwrap();
    let prober: IpAddr = "198.51.100.9".parse().unwrap();
    let reads = || here_reads.reads.load(Ordering::SeqCst);

    // Honest mail: the first MAIL FROM asks the store, the next ones do not.
    assert!(!here.is_locked(RefusalKey::Client(honest)).await);
    assert_eq!(reads(), 1);
    for _ in 0..5 {
        assert!(!here.is_locked(RefusalKey::Client(honest)).await);
        assert!(!here.is_locked(RefusalKey::Alias("a1b2@relay.test")).await);
    }
    assert_eq!(reads(), 2, "one read per key, then none while clear");

    // The prober is seen here, then uses up its allowance on the other node.
    assert!(!here.is_locked(RefusalKey::Client(prober)).await);
    for _ in 0..3 {
        there.record(RefusalKey::Client(prober)).await;
    }
    assert!(there.is_locked(RefusalKey::Client(prober)).await);
    // Within the bound this node may still let it try; past it, never.
    tokio::time::sleep(clear_for + Duration::from_millis(50)).await;
    assert!(
        here.is_locked(RefusalKey::Client(prober)).await,
        "locked here within the bound"
    );

    // A refusal counted here is known here at once, cache or not.
    assert!(!here.is_locked(RefusalKey::Alias("c3d4@relay.test")).await);
    for _ in 0..3 {
        here.record(RefusalKey::Alias("c3d4@relay.test")).await;
    }
    assert!(here.is_locked(RefusalKey::Alias("c3d4@relay.test")).await);
}

/// The limits fail closed: while the store does not answer within the
/// node's wait, no key is taken as clear, and a refusal it did not count
/// is counted before its key is next checked, so a prober gains nothing by
/// slowing the database down.
async fn a_store_that_does_not_answer_in_time_locks_until_it_has_counted_every_refusal(
    store: Arc<dyn Store>,
) {
    let counted = CountingStore::new(&store);
    let limits = RefusalLimits::new(counted.clone(), 3, 3, Duration::from_secs(3600))
        .with_clear_for(Duration::ZERO);
    let prober = RefusalKey::Client("198.51.100.9".parse().unwrap());
    let honest = RefusalKey::Client("192.0.2.7".parse().unwrap());
    limits.record(prober).await;
    limits.record(prober).await;
    assert_eq!(limits.check(prober).await, Limit::Clear, "one refusal left");

    counted.stalled.store(true, Ordering::SeqCst);
    assert_eq!(limits.check(honest).await, Limit::Unknown);
    assert!(
        limits.is_locked(honest).await,
        "not known clear is not clear"
    );
    // The prober's last refusal is not counted by the store in time.
    limits.record(prober).await;
    assert_eq!(limits.check(prober).await, Limit::Unknown);

    // Once the store answers, the missed refusal is counted first.
    counted.stalled.store(false, Ordering::SeqCst);
    assert_eq!(limits.check(prober).await, Limit::Locked);
    assert_eq!(limits.check(honest).await, Limit::Clear);
    let window = store
        .refusals()
        .refusal_window(
            "ip:198.51.100.9",
            OffsetDateTime::now_utc() - time::Duration::hours(1),
        )
        .await
        .unwrap()
        .unwrap();
    assert_eq!(window.refusals, 3, "counted once each");
}
