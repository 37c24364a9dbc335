//! Counters that bound what one client can make the listener do: open
//! connections per address and message bytes held in memory across all
//! sessions. Refused attempts are counted in the store, by the relay
//! (`relay::refusals`), so that every node agrees.

use std::{
    collections::HashMap,
    net::IpAddr,
    sync::{Arc, Mutex},
    time::Duration,
};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

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
