//! CPU-heavy work (MIME parsing, HTML, the policy filter, password hashing)
//! runs here rather than on the async workers that serve every connection:
//! a semaphore sized from the cores in front of `spawn_blocking`, and a
//! bound on how many may wait, so a flood of work is refused as busy
//! instead of queueing without end or starving the other connections.
//!
//! Each CPU-heavy function says so on entry ([`heavy`]), which counts it by
//! kind and by whether it runs on the pool, so a caller that skips the pool
//! shows in `/metrics` and fails the test that drives every path.

use std::{
    cell::Cell,
    sync::{
        Arc, LazyLock,
        atomic::{AtomicUsize, Ordering},
    },
};

use tokio::sync::Semaphore;

use crate::telemetry::prometheus::CounterFamily;

/// Jobs that may wait for a core, per core.
const WAITING_PER_CORE: usize = 32;

/// The kinds of work that must never run on an async worker.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Work {
    /// Parsing a received mail's MIME structure.
    MimeParse,
    /// Parsing HTML into text or sanitising it.
    Html,
    /// The policy filter judging a text.
    Filter,
    /// Hashing or verifying a password with argon2.
    PasswordHash,
    /// Hashing a mail's body and headers and verifying its DKIM signatures.
    Dkim,
}

impl Work {
    pub const ALL: [Work; 5] = [
        Work::MimeParse,
        Work::Html,
        Work::Filter,
        Work::PasswordHash,
        Work::Dkim,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Work::MimeParse => "mime_parse",
            Work::Html => "html",
            Work::Filter => "filter",
            Work::PasswordHash => "password_hash",
            Work::Dkim => "dkim",
        }
    }
}

thread_local! {
    /// Set while this thread runs a pool job.
    static ON_POOL: Cell<bool> = const { Cell::new(false) };
}

/// Per process, not per pool: [`heavy`] is called deep inside parsers that
/// know no pool, and one process serves one relay.
static WORK: LazyLock<CounterFamily<2>> = LazyLock::new(|| {
    let work = CounterFamily::new(
        "marketrelay_cpu_work_total",
        "CPU-heavy steps by kind and where they ran: `pool` (the CPU pool) or `elsewhere` (an async worker, start-up or a command; never expected while serving).",
        ["kind", "ran_on"],
    );
    for kind in Work::ALL {
        for ran_on in ["pool", "elsewhere"] {
            work.seed([kind.as_str(), ran_on]);
        }
    }
    work
});

/// Called on entry by every CPU-heavy function: counts the step by kind and
/// by whether it runs on the pool.
pub fn heavy(work: Work) {
    let ran_on = if ON_POOL.get() { "pool" } else { "elsewhere" };
    WORK.inc([work.as_str(), ran_on]);
}

/// The counts [`heavy`] keeps, for `/metrics`.
pub fn work_counters() -> &'static CounterFamily<2> {
    &WORK
}

/// Marks the thread as the pool's while a job runs.
struct OnPool;

impl OnPool {
    fn enter() -> Self {
        ON_POOL.set(true);
        OnPool
    }
}

impl Drop for OnPool {
    fn drop(&mut self) {
        ON_POOL.set(false);
    }
}

#[derive(Debug, thiserror::Error)]
pub enum CpuError {
    /// Every core is busy and the queue is full; try again shortly.
    #[error("the server is busy; try again shortly")]
    Busy,
    /// The job panicked; its input is the cause, not the load.
    #[error("a background job failed: {0}")]
    Failed(String),
}

#[derive(Clone, Debug)]
pub struct CpuPool {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    running: Arc<Semaphore>,
    waiting: AtomicUsize,
    max_waiting: usize,
}

/// Counts a job as waiting until it starts or its caller gives up.
struct Waiting<'a>(&'a AtomicUsize);

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl CpuPool {
    /// One job per core at a time, and a queue of [`WAITING_PER_CORE`] per core.
    pub fn from_cores() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Self::new(cores, cores * WAITING_PER_CORE)
    }

    /// `workers` jobs run at once; `max_waiting` more may wait for one of them.
    pub fn new(workers: usize, max_waiting: usize) -> Self {
        Self {
            inner: Arc::new(Inner {
                running: Arc::new(Semaphore::new(workers.max(1))),
                waiting: AtomicUsize::new(0),
                max_waiting,
            }),
        }
    }

    /// Runs `job` on a blocking thread once a core is free. A job already
    /// started finishes even if the caller stops waiting for it, and holds
    /// its core until then, so abandoned requests cannot oversubscribe.
    pub async fn run<T, F>(&self, job: F) -> Result<T, CpuError>
    where
        T: Send + 'static,
        F: FnOnce() -> T + Send + 'static,
    {
        let inner = &self.inner;
        if inner.waiting.fetch_add(1, Ordering::SeqCst) >= inner.max_waiting {
            inner.waiting.fetch_sub(1, Ordering::SeqCst);
            return Err(CpuError::Busy);
        }
        let waiting = Waiting(&inner.waiting);
        let permit = inner
            .running
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| CpuError::Busy)?;
        drop(waiting);
        tokio::task::spawn_blocking(move || {
            let _core = permit;
            let _on_pool = OnPool::enter();
            job()
        })
        .await
        .map_err(|e| CpuError::Failed(e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use std::{sync::mpsc, time::Duration};

    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn runs_at_most_the_workers_and_refuses_past_the_queue() {
        let pool = CpuPool::new(1, 1);
        let (release, blocked) = mpsc::channel::<()>();
        let first = tokio::spawn({
            let pool = pool.clone();
            async move { pool.run(move || blocked.recv().is_ok()).await }
        });
        // Wait until the first job holds the only core.
        while pool.inner.running.available_permits() > 0 {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        let second = tokio::spawn({
            let pool = pool.clone();
            async move { pool.run(|| 2).await }
        });
        while pool.inner.waiting.load(Ordering::SeqCst) == 0 {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        assert!(matches!(pool.run(|| 3).await, Err(CpuError::Busy)));
        release.send(()).unwrap();
        assert!(first.await.unwrap().unwrap());
        assert_eq!(second.await.unwrap().unwrap(), 2);
        assert_eq!(pool.run(|| 4).await.unwrap(), 4);
        assert_eq!(pool.inner.waiting.load(Ordering::SeqCst), 0);
    }

    #[tokio::test]
    async fn a_caller_that_gives_up_frees_its_place_in_the_queue() {
        let pool = CpuPool::new(1, 1);
        let (release, blocked) = mpsc::channel::<()>();
        let running = tokio::spawn({
            let pool = pool.clone();
            async move { pool.run(move || blocked.recv().is_ok()).await }
        });
        while pool.inner.running.available_permits() > 0 {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        let gave_up = tokio::time::timeout(Duration::from_millis(20), pool.run(|| 1)).await;
        assert!(gave_up.is_err(), "still waiting for the core");
        assert_eq!(pool.inner.waiting.load(Ordering::SeqCst), 0);
        release.send(()).unwrap();
        assert!(running.await.unwrap().unwrap());
    }

    #[tokio::test]
    async fn a_panicking_job_is_an_error_not_a_crash() {
        let pool = CpuPool::new(1, 4);
        let failed = pool.run(|| -> u8 { panic!("bad input") }).await;
        assert!(matches!(failed, Err(CpuError::Failed(_))));
        assert_eq!(pool.run(|| 5).await.unwrap(), 5);
    }
}
