//! Refused SMTP attempts counted per key (a client address, an alias) in
//! fixed windows, in the database, so every node on one database applies
//! the same limits. Reached through `Store::refusals()`; implemented once
//! for both engines in `store/sql/refusals.rs`.

use async_trait::async_trait;
use time::OffsetDateTime;

use super::StoreResult;

/// One key's current window: when it began and the refusals counted in it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RefusalWindow {
    pub started_at: OffsetDateTime,
    pub refusals: i64,
}

#[async_trait]
pub trait RefusalStore: Send + Sync {
    /// Counts one refusal under `key` at `at` and returns the key's window.
    /// A window that began at or before `expired` has ended: this refusal
    /// starts a new one. Windows that ended are deleted, so the table holds
    /// only keys refused lately. Nodes counting the same key at once each
    /// add their refusal.
    async fn count_refusal(
        &self,
        key: &str,
        at: OffsetDateTime,
        expired: OffsetDateTime,
    ) -> StoreResult<RefusalWindow>;
    /// Deletes the windows that began at or before `expired`; returns how many.
    async fn prune_refusals(&self, expired: OffsetDateTime) -> StoreResult<u64>;
    /// The key's window, if it began after `expired`.
    async fn refusal_window(
        &self,
        key: &str,
        expired: OffsetDateTime,
    ) -> StoreResult<Option<RefusalWindow>>;
}
