//! SQLite backend: one file in WAL mode (or `:memory:`) and `migrations/sqlite`.

use std::{path::Path, str::FromStr, sync::Arc, time::Duration};

use sqlx::{
    Pool, Sqlite,
    sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous},
};

use super::{Store, StoreError};

type Db = Sqlite;

/// How long a writer waits for another connection's write transaction.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// Takes the oldest due entry. One statement, so SQLite's single writer
/// makes it atomic: two workers never get the same entry.
const CLAIM_NEXT_DELIVERY: &str = r#"
    update deliveries
    set next_attempt_at = $1
    where id = (
        select id
        from deliveries
        where status = 'pending' and next_attempt_at <= $2
        order by next_attempt_at, created_at
        limit 1
    )
    returning id, message_id, kind, attempts, next_attempt_at, created_at
"#;

pub struct SqliteStore {
    pool: Pool<Db>,
}

impl SqliteStore {
    /// `begin immediate` takes the write lock up front. A deferred transaction
    /// that reads first and writes later can fail with "database is locked"
    /// when another writer got in between, and the busy timeout cannot help.
    async fn begin_write(&self) -> Result<sqlx::Transaction<'static, Db>, StoreError> {
        self.pool
            .begin_with("begin immediate")
            .await
            .map_err(StoreError::from)
    }
}

/// Opens (creating if missing) the database file at `path`, or an in-memory
/// database for `:memory:`, and applies the SQLite migrations.
pub async fn open(path: &str) -> Result<Arc<dyn Store>, StoreError> {
    let in_memory = path == ":memory:" || path == "sqlite::memory:";
    let pool = if in_memory {
        let options = SqliteConnectOptions::from_str("sqlite::memory:")
            .map_err(|e| StoreError::Unavailable(e.to_string()))?
            .foreign_keys(true);
        // Every connection to `:memory:` is a database of its own, so the
        // pool keeps exactly one connection, forever.
        SqlitePoolOptions::new()
            .max_connections(1)
            .min_connections(1)
            .idle_timeout(None)
            .max_lifetime(None)
            .connect_with(options)
            .await
    } else {
        if let Some(parent) = Path::new(path).parent()
            && !parent.as_os_str().is_empty()
        {
            std::fs::create_dir_all(parent).map_err(|e| {
                StoreError::Unavailable(format!(
                    "cannot create the database directory {}: {e}",
                    parent.display()
                ))
            })?;
        }
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // A 250 to the sending server promises the mail is on disk.
            .synchronous(SqliteSynchronous::Full)
            .busy_timeout(BUSY_TIMEOUT)
            .foreign_keys(true);
        SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options)
            .await
    }
    .map_err(|e| StoreError::Unavailable(format!("cannot open SQLite database {path}: {e}")))?;
    sqlx::migrate!("./migrations/sqlite")
        .run(&pool)
        .await
        .map_err(|e| StoreError::Other(anyhow::anyhow!("applying SQLite migrations: {e}")))?;
    Ok(Arc::new(SqliteStore { pool }))
}

/// The milliseconds from `earlier` to `later`, two time columns of the
/// fixed text format, as an integer (`julianday` reads them to the millisecond).
fn millis_between(later: &str, earlier: &str) -> String {
    format!("cast(round((julianday({later}) - julianday({earlier})) * 86400000.0) as integer)")
}

/// The name the shared statement files in `store/sql/` use for this backend.
type Backend = SqliteStore;

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
