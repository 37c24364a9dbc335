//! Counters that bound what one client can make the listener do: open
//! connections per address and message bytes held in memory across all
//! sessions. Refused attempts are counted in the store, by the relay
//! (`relay::refusals`), so that every node agrees.

use std::{
    collections::HashMap,
    net::IpAddr,
    sync::{
        Arc, Mutex,
        atomic::{AtomicU64, AtomicUsize, Ordering},
    },
    time::Duration,
};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// What a node knows of a limit on refused attempts (`relay::refusals`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Limit {
    /// Refusals left in its window.
    Clear,
    /// Its refusals used up until its window ends.
    Locked,
    /// The store did not answer in time, or a refusal of it is
    /// not counted yet: not known clear, so taken as locked. A limit that
    /// let a prober through whenever the store is slow would be one it
    /// could open by loading the database.
    Unknown,
}

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

/// Hands buffers of a megabyte and more back to the system as soon as
/// they are freed. glibc otherwise raises its threshold for such buffers to
/// the size of the last one freed (up to 32 MiB) and keeps later ones of a
/// large mail's size in its per-thread heaps, where the memory stays the
/// process's after the budget has taken the share back. Called once at
/// start; elsewhere than glibc the allocator is left as it is.
pub fn return_large_buffers() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes a tuning parameter of the allocator; it
    // is called at start, before the relay allocates any large buffer.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20);
    }
}

/// Working copies of a message held at once while it is accepted: the
/// bytes as received, its decoded files, and the store's copies while it
/// writes them (the driver's argument, the database's bind and its row).
pub const ACCEPT_COPIES: usize = 5;

/// Working copies of a letter held at once while it is delivered: the
/// stored mail as read back, its decoded files, and the composed letter
/// with the transport's copy of it as it goes out.
pub const SEND_COPIES: usize = 3;

/// Memory the whole process lets messages take at once, in bytes: SMTP
/// sessions take a message's share after its final dot and keep it until
/// the message is stored or refused; delivery lanes take a letter's share
/// before they compose it and keep it until it is sent. A share is the
/// message's size times the working copies that step keeps
/// ([`ACCEPT_COPIES`], [`SEND_COPIES`]), so however many sessions and lanes
/// run, the large mails in memory at once are as many as fit. Each holder
/// takes one share and nothing else while it holds it, so holders cannot
/// deadlock; a share larger than the whole budget takes the whole budget,
/// alone.
#[derive(Clone, Debug)]
pub struct ByteBudget {
    bytes: Arc<Semaphore>,
    gauge: Arc<Gauge>,
    total: usize,
}

/// What the budget has lent, for metrics and tests.
#[derive(Debug, Default)]
struct Gauge {
    held: AtomicUsize,
    high_water: AtomicUsize,
    grants: AtomicU64,
}

/// A share of the budget; dropping it gives the bytes back.
#[derive(Debug)]
pub struct BudgetShare {
    gauge: Arc<Gauge>,
    bytes: usize,
    _permit: OwnedSemaphorePermit,
}

impl Drop for BudgetShare {
    fn drop(&mut self) {
        // Before the permit goes back, so `held` never counts more than
        // the semaphore lent.
        self.gauge.held.fetch_sub(self.bytes, Ordering::SeqCst);
    }
}

impl ByteBudget {
    pub fn new(total: usize) -> Self {
        let total = total
            .min(Semaphore::MAX_PERMITS)
            .min(u32::MAX as usize)
            .max(1);
        Self {
            bytes: Arc::new(Semaphore::new(total)),
            gauge: Arc::default(),
            total,
        }
    }

    /// Waits until the share of a message of `size` bytes held as `copies`
    /// working copies is free; `None` if that takes longer than `wait`.
    pub async fn acquire(&self, size: usize, copies: usize, wait: Duration) -> Option<BudgetShare> {
        let bytes = self.share(size, copies);
        let permits = u32::try_from(bytes).unwrap_or(u32::MAX);
        let permit =
            tokio::time::timeout(wait, Arc::clone(&self.bytes).acquire_many_owned(permits))
                .await
                .ok()?
                .ok()?;
        let held = self.gauge.held.fetch_add(bytes, Ordering::SeqCst) + bytes;
        self.gauge.high_water.fetch_max(held, Ordering::SeqCst);
        self.gauge.grants.fetch_add(1, Ordering::SeqCst);
        Some(BudgetShare {
            gauge: Arc::clone(&self.gauge),
            bytes,
            _permit: permit,
        })
    }

    /// The bytes a message of `size` held as `copies` copies takes: at
    /// least one, at most the whole budget.
    pub fn share(&self, size: usize, copies: usize) -> usize {
        size.saturating_mul(copies.max(1)).clamp(1, self.total)
    }

    pub fn total(&self) -> usize {
        self.total
    }

    pub fn available(&self) -> usize {
        self.bytes.available_permits()
    }

    /// The most bytes ever lent at once.
    pub fn high_water(&self) -> usize {
        self.gauge.high_water.load(Ordering::SeqCst)
    }

    /// Shares lent so far.
    pub fn grants(&self) -> u64 {
        self.gauge.grants.load(Ordering::SeqCst)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let held = budget
            .acquire(80, 1, Duration::from_millis(10))
            .await
            .unwrap();
        assert!(
            budget
                .acquire(30, 1, Duration::from_millis(20))
                .await
                .is_none()
        );
        drop(held);
        assert!(
            budget
                .acquire(30, 1, Duration::from_millis(20))
                .await
                .is_some()
        );
        assert_eq!(budget.available(), 100);
        assert_eq!(budget.high_water(), 80);
        assert_eq!(budget.grants(), 2);
    }

    #[tokio::test]
    async fn a_share_counts_the_working_copies_and_never_exceeds_the_whole() {
        let budget = ByteBudget::new(1000);
        assert_eq!(budget.share(100, ACCEPT_COPIES), 500);
        assert_eq!(budget.share(0, SEND_COPIES), 1);
        // Larger than the budget: it takes all of it, alone, and still goes.
        let whole = budget
            .acquire(400, 3, Duration::from_millis(10))
            .await
            .unwrap();
        assert_eq!(budget.available(), 0);
        assert!(
            budget
                .acquire(1, 1, Duration::from_millis(20))
                .await
                .is_none()
        );
        drop(whole);
        assert_eq!(budget.available(), 1000);
        assert_eq!(budget.high_water(), 1000);
    }
}
