//! Postgres backend: a connection pool and `migrations/postgres`.

use std::{sync::Arc, time::Duration};

use sqlx::{
    Pool, Postgres,
    postgres::{PgConnectOptions, PgPoolOptions},
};

use super::{Store, StoreError};

type Db = Postgres;

/// How long `open` waits for the server before reporting it unavailable.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// Takes the oldest due entry; `skip locked` lets two workers claim different
/// entries at once instead of queueing behind each other's row lock.
const CLAIM_NEXT_DELIVERY: &str = r#"
    update deliveries
    set next_attempt_at = $1
    where id = (
        select id
        from deliveries
        where status = 'pending' and next_attempt_at <= $2
        order by next_attempt_at, created_at
        limit 1
        for update skip locked
    )
    returning id, message_id, kind, attempts, next_attempt_at, created_at
"#;

pub struct PgStore {
    pool: Pool<Db>,
}

impl PgStore {
    async fn begin_write(&self) -> Result<sqlx::Transaction<'static, Db>, StoreError> {
        self.pool.begin().await.map_err(StoreError::from)
    }
}

/// Connects to `url` and applies the Postgres migrations.
pub async fn open(url: &str) -> Result<Arc<dyn Store>, StoreError> {
    let options: PgConnectOptions = url
        .parse()
        .map_err(|e| StoreError::Unavailable(format!("invalid Postgres URL: {e}")))?;
    let connect = PgPoolOptions::new()
        .max_connections(10)
        .acquire_timeout(CONNECT_TIMEOUT)
        .connect_with(options);
    // The timeout also bounds a server that accepts TCP but never answers.
    let pool = match tokio::time::timeout(CONNECT_TIMEOUT, connect).await {
        Ok(Ok(pool)) => pool,
        Ok(Err(e)) => {
            return Err(StoreError::Unavailable(format!(
                "cannot connect to Postgres: {e}"
            )));
        }
        Err(_) => {
            return Err(StoreError::Unavailable(format!(
                "cannot connect to Postgres: no answer within {} s",
                CONNECT_TIMEOUT.as_secs()
            )));
        }
    };
    sqlx::migrate!("./migrations/postgres")
        .run(&pool)
        .await
        .map_err(|e| StoreError::Other(anyhow::anyhow!("applying Postgres migrations: {e}")))?;
    Ok(Arc::new(PgStore { pool }))
}

/// The milliseconds from `earlier` to `later`, two `timestamptz` columns,
/// as an integer.
fn millis_between(later: &str, earlier: &str) -> String {
    format!("cast(round(extract(epoch from ({later} - {earlier})) * 1000) as bigint)")
}

/// The name the shared statement files in `store/sql/` use for this backend.
type Backend = PgStore;

// Each file of `store/sql/` is compiled here and again in the other
// backend, on purpose: the same statements, typed for this engine's `Db`.
#[path = "sql/accounts.rs"]
#[allow(clippy::duplicate_mod)]
mod accounts;
#[path = "sql/audit.rs"]
#[allow(clippy::duplicate_mod)]
mod audit;
#[path = "sql/bounces.rs"]
#[allow(clippy::duplicate_mod)]
mod bounces;
#[path = "sql/common.rs"]
#[allow(clippy::duplicate_mod)]
mod common;
#[path = "sql/consents.rs"]
#[allow(clippy::duplicate_mod)]
mod consents;
#[path = "sql/conversations.rs"]
#[allow(clippy::duplicate_mod)]
mod conversations;
#[path = "sql/help_domains.rs"]
#[allow(clippy::duplicate_mod)]
mod help_domains;
#[path = "sql/lifecycle.rs"]
#[allow(clippy::duplicate_mod)]
mod lifecycle;
#[path = "sql/messages.rs"]
#[allow(clippy::duplicate_mod)]
mod messages;
#[path = "sql/moderation.rs"]
#[allow(clippy::duplicate_mod)]
mod moderation;
#[path = "sql/parties.rs"]
#[allow(clippy::duplicate_mod)]
mod parties;
#[path = "sql/queue.rs"]
#[allow(clippy::duplicate_mod)]
mod queue;
#[path = "sql/refusals.rs"]
#[allow(clippy::duplicate_mod)]
mod refusals;
#[path = "sql/reports.rs"]
#[allow(clippy::duplicate_mod)]
mod reports;
#[path = "sql/response_time.rs"]
#[allow(clippy::duplicate_mod)]
mod response_time;
#[path = "sql/review_requests.rs"]
#[allow(clippy::duplicate_mod)]
mod review_requests;
#[path = "sql/seller_limits.rs"]
#[allow(clippy::duplicate_mod)]
mod seller_limits;
#[path = "sql/stats.rs"]
#[allow(clippy::duplicate_mod)]
mod stats;
#[path = "sql/store.rs"]
#[allow(clippy::duplicate_mod)]
mod store;
#[path = "sql/strikes.rs"]
#[allow(clippy::duplicate_mod)]
mod strikes;
