//! CPU-heavy work (MIME parsing, HTML, the policy filter, password hashing)
//! runs here rather than on the async workers that serve every connection:
//! a semaphore sized from the cores in front of `spawn_blocking`, and a
//! bound on how many may wait, so a flood of work is refused as busy
//! instead of queueing without end or starving the other connections.

use std::sync::{
    Arc,
    atomic::{AtomicUsize, Ordering},
};

use tokio::sync::Semaphore;

/// Jobs that may wait for a core, per core.
const WAITING_PER_CORE: usize = 32;

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
