//! Limits on refused SMTP attempts, per client address and per alias,
//! counted in the store so several nodes on one database share them: a
//! prober cannot multiply its guesses by spreading them over the nodes
//! behind one MX, nor reset them with a restart.

use std::{
    collections::HashMap,
    net::IpAddr,
    sync::{Arc, Mutex},
    time::Duration,
};

use time::OffsetDateTime;

pub use crate::inbound::limits::Limit;
use crate::{inbound::limits::client_key, store::Store};

/// Most keys a node remembers in each of its caches (locked, clear); past
/// this the ended ones are dropped first, then all (the store still has them).
const MAX_CACHED: usize = 100_000;

/// How long a key the store found unlocked is taken as unlocked without
/// asking again: honest traffic costs one query per key in this time, not
/// one per message. It is the bound on how stale a node may be: a key that
/// reaches its limit through another node's refusals is locked here at
/// most this much later. This node's own refusals end it at once.
pub const CLEAR_FOR: Duration = Duration::from_secs(5);

/// The longest a limit check or count waits for the store. A store that is
/// down makes every pool acquisition wait out its connect timeout; a
/// session is not stalled that long, and is told to try later instead
/// ([`Limit::Unknown`]).
pub const STORE_WAIT: Duration = Duration::from_secs(1);

/// How often a node deletes ended windows when no refusal does it: rows
/// name client addresses, so none is kept long after its window.
const PRUNE_EVERY: time::Duration = time::Duration::minutes(10);

/// What is limited: a client address (IPv6: its /64) or an alias.
#[derive(Clone, Copy, Debug)]
pub enum RefusalKey<'a> {
    Client(IpAddr),
    Alias(&'a str),
}

impl RefusalKey<'_> {
    fn text(self) -> String {
        match self {
            Self::Client(ip) => format!("ip:{}", client_key(ip)),
            Self::Alias(alias) => format!("alias:{}", alias.to_ascii_lowercase()),
        }
    }
}

/// Fixed windows of refusals per key, in the store. A node remembers, as a
/// cache only, the keys it found locked and until when: a locked window
/// cannot unlock before it ends, so the cache never says more than the
/// store would, and a client hammering a locked key costs no query. It also
/// remembers, for [`CLEAR_FOR`], the keys it found unlocked, so an honest
/// sender's every MAIL FROM costs no query either.
pub struct RefusalLimits {
    store: Arc<dyn Store>,
    per_client: u32,
    per_alias: u32,
    window: Duration,
    locked_until: Mutex<HashMap<String, OffsetDateTime>>,
    /// Keys found unlocked, and until when that is trusted.
    clear_until: Mutex<HashMap<String, OffsetDateTime>>,
    /// Refusals the store did not count when they happened, per key,
    /// counted before the key is next checked.
    uncounted: Mutex<HashMap<String, u32>>,
    clear_for: Duration,
    /// When this node last deleted ended windows.
    pruned_at: Mutex<OffsetDateTime>,
}

impl std::fmt::Debug for RefusalLimits {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RefusalLimits")
            .field("per_client", &self.per_client)
            .field("per_alias", &self.per_alias)
            .field("window", &self.window)
            .finish()
    }
}

impl RefusalLimits {
    pub fn new(store: Arc<dyn Store>, per_client: u32, per_alias: u32, window: Duration) -> Self {
        Self {
            store,
            per_client: per_client.max(1),
            per_alias: per_alias.max(1),
            window,
            locked_until: Mutex::new(HashMap::new()),
            clear_until: Mutex::new(HashMap::new()),
            uncounted: Mutex::new(HashMap::new()),
            clear_for: CLEAR_FOR,
            pruned_at: Mutex::new(OffsetDateTime::UNIX_EPOCH),
        }
    }

    /// Trusts a key found unlocked for `clear_for` instead of [`CLEAR_FOR`].
    pub fn with_clear_for(mut self, clear_for: Duration) -> Self {
        self.clear_for = clear_for;
        self
    }

    fn limit(&self, key: RefusalKey<'_>) -> i64 {
        i64::from(match key {
            RefusalKey::Client(_) => self.per_client,
            RefusalKey::Alias(_) => self.per_alias,
        })
    }

    /// Whether `key` used up its refusals in its current window. Fails
    /// closed: a store that does not answer, or a refusal of this key that
    /// it has not counted yet, gives [`Limit::Unknown`].
    pub async fn check(&self, key: RefusalKey<'_>) -> Limit {
        let text = key.text();
        let now = OffsetDateTime::now_utc();
        if until_in(&self.locked_until, &text, now) {
            return Limit::Locked;
        }
        if !self.count_uncounted(key, &text, now).await {
            return Limit::Unknown;
        }
        if until_in(&self.locked_until, &text, now) {
            return Limit::Locked;
        }
        if until_in(&self.clear_until, &text, now) {
            return Limit::Clear;
        }
        self.prune_if_due(now).await;
        let store = self.store.refusals();
        match tokio::time::timeout(STORE_WAIT, store.refusal_window(&text, now - self.window)).await
        {
            Ok(Ok(window)) => {
                if window.is_some_and(|w| self.note(text.clone(), key, w, now)) {
                    return Limit::Locked;
                }
                remember(&self.clear_until, text, now + self.clear_for, now);
                Limit::Clear
            }
            Ok(Err(e)) => {
                tracing::error!(error = %e, "cannot read refusal counts");
                Limit::Unknown
            }
            Err(_) => {
                tracing::warn!("refusal counts not read: the store did not answer in time");
                Limit::Unknown
            }
        }
    }

    /// Whether `key` is not known to have refusals left ([`Self::check`]).
    pub async fn is_locked(&self, key: RefusalKey<'_>) -> bool {
        self.check(key).await != Limit::Clear
    }

    /// Counts one refusal under `key`; one the store does not count now is
    /// kept and counted before the key is next checked.
    pub async fn record(&self, key: RefusalKey<'_>) {
        let text = key.text();
        let now = OffsetDateTime::now_utc();
        // Whatever the store answers, this key is no longer known clear.
        lock(&self.clear_until).remove(&text);
        if !self.count(key, text.clone(), now).await {
            let mut uncounted = lock(&self.uncounted);
            if uncounted.len() < MAX_CACHED || uncounted.contains_key(&text) {
                *uncounted.entry(text).or_default() += 1;
            }
        }
    }

    /// Counts the refusals of `key` the store missed; false if it still
    /// does not take them.
    async fn count_uncounted(&self, key: RefusalKey<'_>, text: &str, now: OffsetDateTime) -> bool {
        let Some(missed) = lock(&self.uncounted).remove(text) else {
            return true;
        };
        for counted in 0..missed {
            if !self.count(key, text.to_owned(), now).await {
                *lock(&self.uncounted).entry(text.to_owned()).or_default() += missed - counted;
                return false;
            }
        }
        true
    }

    /// One refusal counted in the store; false if it did not answer.
    async fn count(&self, key: RefusalKey<'_>, text: String, now: OffsetDateTime) -> bool {
        let store = self.store.refusals();
        match tokio::time::timeout(
            STORE_WAIT,
            store.count_refusal(&text, now, now - self.window),
        )
        .await
        {
            Ok(Ok(window)) => {
                self.note(text, key, window, now);
                true
            }
            Ok(Err(e)) => {
                tracing::error!(error = %e, "cannot count a refusal");
                false
            }
            Err(_) => {
                tracing::warn!("refusal not counted: the store did not answer in time");
                false
            }
        }
    }

    async fn prune_if_due(&self, now: OffsetDateTime) {
        {
            let mut pruned_at = self.pruned_at.lock().unwrap_or_else(|e| e.into_inner());
            if now - *pruned_at < PRUNE_EVERY {
                return;
            }
            *pruned_at = now;
        }
        let store = self.store.refusals();
        match tokio::time::timeout(STORE_WAIT, store.prune_refusals(now - self.window)).await {
            Ok(Ok(_)) | Err(_) => {}
            Ok(Err(e)) => tracing::error!(error = %e, "cannot delete ended refusal windows"),
        }
    }

    /// Whether `window` locks the key; if so, remembers until when.
    fn note(
        &self,
        text: String,
        key: RefusalKey<'_>,
        window: crate::store::refusals::RefusalWindow,
        now: OffsetDateTime,
    ) -> bool {
        let until = window.started_at + self.window;
        if window.refusals < self.limit(key) || until <= now {
            return false;
        }
        remember(&self.locked_until, text, until, now);
        true
    }
}

fn lock<V>(cache: &Mutex<HashMap<String, V>>) -> std::sync::MutexGuard<'_, HashMap<String, V>> {
    cache.lock().unwrap_or_else(|e| e.into_inner())
}

/// Whether `cache` holds `key` until after `now`.
fn until_in(
    cache: &Mutex<HashMap<String, OffsetDateTime>>,
    key: &str,
    now: OffsetDateTime,
) -> bool {
    lock(cache).get(key).is_some_and(|until| *until > now)
}

/// Remembers `key` until `until`, within [`MAX_CACHED`] keys.
fn remember(
    cache: &Mutex<HashMap<String, OffsetDateTime>>,
    key: String,
    until: OffsetDateTime,
    now: OffsetDateTime,
) {
    let mut cache = lock(cache);
    if cache.len() >= MAX_CACHED {
        cache.retain(|_, until| *until > now);
        if cache.len() >= MAX_CACHED {
            cache.clear();
        }
    }
    cache.insert(key, until);
}
