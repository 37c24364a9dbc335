//! Counters that bound what one client can make the listener do: open
//! connections per address, refused messages per address or alias in a
//! window, and message bytes held in memory across all sessions.

use std::{
    collections::HashMap,
    hash::Hash,
    net::IpAddr,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Most keys a counter remembers: past this, expired entries are dropped,
/// and if all are live the oldest windows go first, so a flood of new
/// addresses costs bounded memory.
const MAX_KEYS: usize = 100_000;

/// The key a client address is counted under. IPv6 hosts usually own a
/// whole /64, so they are counted per /64.
pub fn client_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6((u128::from(v6) & !u128::from(u64::MAX)).into()),
        },
        v4 => v4,
    }
}

/// Fixed-window counts of refused attempts per key.
#[derive(Debug)]
pub struct RefusalCounter<K> {
    limit: u32,
    window: Duration,
    counts: Mutex<HashMap<K, (Instant, u32)>>,
}

impl<K: Hash + Eq + Clone> RefusalCounter<K> {
    pub fn new(limit: u32, window: Duration) -> Self {
        Self {
            limit,
            window,
            counts: Mutex::new(HashMap::new()),
        }
    }

    /// True once `key` used up its refusals in the current window.
    pub fn is_locked(&self, key: &K) -> bool {
        let counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        counts
            .get(key)
            .is_some_and(|(start, n)| start.elapsed() < self.window && *n >= self.limit)
    }

    pub fn record(&self, key: K) {
        let mut counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        if counts.len() >= MAX_KEYS && !counts.contains_key(&key) {
            counts.retain(|_, (start, _)| start.elapsed() < self.window);
            if counts.len() >= MAX_KEYS {
                let oldest = counts
                    .iter()
                    .min_by_key(|(_, (start, _))| *start)
                    .map(|(k, _)| k.clone());
                if let Some(oldest) = oldest {
                    counts.remove(&oldest);
                }
            }
        }
        let entry = counts.entry(key).or_insert((Instant::now(), 0));
        if entry.0.elapsed() >= self.window {
            *entry = (Instant::now(), 0);
        }
        entry.1 = entry.1.saturating_add(1);
    }
}

/// Open connections per client address.
#[derive(Debug)]
pub struct ConnectionsPerIp {
    limit: usize,
    open: Mutex<HashMap<IpAddr, usize>>,
}

/// One counted connection; dropping it frees the place.
pub struct ConnectionSlot {
    owner: Arc<ConnectionsPerIp>,
    key: IpAddr,
}

impl ConnectionsPerIp {
    pub fn new(limit: usize) -> Arc<Self> {
        Arc::new(Self {
            limit,
            open: Mutex::new(HashMap::new()),
        })
    }

    /// A place for one more connection from `ip`, or `None` at the limit.
    pub fn try_open(self: &Arc<Self>, ip: IpAddr) -> Option<ConnectionSlot> {
        let key = client_key(ip);
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        let count = open.entry(key).or_insert(0);
        if *count >= self.limit {
            return None;
        }
        *count += 1;
        Some(ConnectionSlot {
            owner: Arc::clone(self),
            key,
        })
    }
}

impl Drop for ConnectionSlot {
    fn drop(&mut self) {
        let mut open = self.owner.open.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(count) = open.get_mut(&self.key) {
            *count -= 1;
            if *count == 0 {
                open.remove(&self.key);
            }
        }
    }
}

/// Message bytes all sessions may hold in memory at once. A session takes
/// its message's size once, after the final dot, and gives it back when
/// the message is stored or refused; one acquisition per message cannot
/// deadlock, and a message is never larger than the budget.
#[derive(Clone, Debug)]
pub struct ByteBudget {
    bytes: Arc<Semaphore>,
    total: usize,
}

impl ByteBudget {
    pub fn new(total: usize) -> Self {
        let total = total.min(Semaphore::MAX_PERMITS).min(u32::MAX as usize);
        Self {
            bytes: Arc::new(Semaphore::new(total)),
            total,
        }
    }

    /// Waits until `size` bytes are free; `None` if that takes longer than `wait`.
    pub async fn acquire(&self, size: usize, wait: Duration) -> Option<OwnedSemaphorePermit> {
        let size = u32::try_from(size.clamp(1, self.total)).unwrap_or(u32::MAX);
        tokio::time::timeout(wait, Arc::clone(&self.bytes).acquire_many_owned(size))
            .await
            .ok()?
            .ok()
    }

    pub fn available(&self) -> usize {
        self.bytes.available_permits()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_lock_a_key_for_the_rest_of_the_window() {
        let counter = RefusalCounter::new(2, Duration::from_millis(200));
        counter.record("a");
        assert!(!counter.is_locked(&"a"));
        counter.record("a");
        assert!(counter.is_locked(&"a"));
        assert!(!counter.is_locked(&"b"));
        std::thread::sleep(Duration::from_millis(250));
        assert!(!counter.is_locked(&"a"), "a new window starts clean");
    }

    #[test]
    fn connections_are_counted_per_address_and_freed_on_drop() {
        let per_ip = ConnectionsPerIp::new(2);
        let a: IpAddr = "192.0.2.1".parse().unwrap();
        let first = per_ip.try_open(a).unwrap();
        let _second = per_ip.try_open(a).unwrap();
        assert!(per_ip.try_open(a).is_none());
        assert!(per_ip.try_open("192.0.2.2".parse().unwrap()).is_some());
        drop(first);
        assert!(per_ip.try_open(a).is_some());
    }

    #[test]
    fn ipv6_clients_are_counted_per_64() {
        assert_eq!(
            client_key("2001:db8:1:2:aaaa::1".parse().unwrap()),
            client_key("2001:db8:1:2:bbbb::9".parse().unwrap())
        );
        assert_ne!(
            client_key("2001:db8:1:2::1".parse().unwrap()),
            client_key("2001:db8:1:3::1".parse().unwrap())
        );
    }

    #[tokio::test]
    async fn the_byte_budget_is_shared_and_returned() {
        let budget = ByteBudget::new(100);
        let held = budget.acquire(80, Duration::from_millis(10)).await.unwrap();
        assert!(
            budget
                .acquire(30, Duration::from_millis(20))
                .await
                .is_none()
        );
        drop(held);
        assert!(
            budget
                .acquire(30, Duration::from_millis(20))
                .await
                .is_some()
        );
        assert_eq!(budget.available(), 100);
    }
}
