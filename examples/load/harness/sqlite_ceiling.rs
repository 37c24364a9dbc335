//! SQLite's own ceiling on this disk: one ~4 KB row per transaction, in
//! WAL mode with the `synchronous` setting the service uses.

use std::{
    path::PathBuf,
    str::FromStr,
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    time::{Duration, Instant},
};

use serde::Serialize;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

#[derive(clap::Args, Clone, Debug)]
pub struct CeilingArgs {
    /// A scratch database file; it is created and removed.
    #[arg(long)]
    pub path: PathBuf,
    /// Tasks inserting at once.
    #[arg(long, default_value_t = 8)]
    pub concurrency: usize,
    /// Pooled connections they share (default: one per task, as pgbench's
    /// clients each have one; the service itself opens 4).
    #[arg(long)]
    pub connections: Option<u32>,
    /// Rows in all.
    #[arg(long, default_value_t = 4000)]
    pub rows: usize,
    /// Bytes of text per row.
    #[arg(long, default_value_t = 4096)]
    pub size: usize,
    /// SQLite's `synchronous` setting: the service's is in src/store/sqlite.rs.
    #[arg(long, default_value = "full")]
    pub synchronous: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct CeilingReport {
    pub rows: usize,
    pub seconds: f64,
    pub rows_per_sec: f64,
    pub concurrency: usize,
    pub connections: u32,
    pub synchronous: String,
}

pub async fn run(args: &CeilingArgs) -> anyhow::Result<CeilingReport> {
    let _ = std::fs::remove_file(&args.path);
    let synchronous = SqliteSynchronous::from_str(&args.synchronous)
        .map_err(|e| anyhow::anyhow!("--synchronous {}: {e}", args.synchronous))?;
    // As src/store/sqlite.rs opens the service's database.
    let options = SqliteConnectOptions::from_str(&format!("sqlite://{}", args.path.display()))?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(synchronous)
        .busy_timeout(Duration::from_secs(10));
    let connections = args.connections.unwrap_or(args.concurrency as u32).max(1);
    let pool = SqlitePoolOptions::new()
        .max_connections(connections)
        .connect_with(options)
        .await?;
    sqlx::query("create table bench_rows (id integer primary key, body text not null, created_at text not null)")
        .execute(&pool)
        .await?;
    let next = Arc::new(AtomicUsize::new(0));
    let start = Instant::now();
    let mut tasks = Vec::new();
    for t in 0..args.concurrency.max(1) {
        let (pool, next, rows, size) = (pool.clone(), next.clone(), args.rows, args.size);
        tasks.push(tokio::spawn(async move {
            let mut state = 0x9e37_79b9_7f4a_7c15u64 ^ (t as u64 + 1);
            while next.fetch_add(1, Ordering::Relaxed) < rows {
                // Text that does not compress, as mail does not.
                let body: String = (0..size)
                    .map(|_| {
                        state ^= state << 13;
                        state ^= state >> 7;
                        state ^= state << 17;
                        char::from(b'a' + (state % 26) as u8)
                    })
                    .collect();
                sqlx::query("insert into bench_rows (body, created_at) values (?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))")
                    .bind(body)
                    .execute(&pool)
                    .await?;
            }
            anyhow::Ok(())
        }));
    }
    for t in tasks {
        t.await??;
    }
    let seconds = start.elapsed().as_secs_f64();
    pool.close().await;
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", args.path.display()));
    }
    Ok(CeilingReport {
        rows: args.rows,
        seconds,
        rows_per_sec: args.rows as f64 / seconds,
        concurrency: args.concurrency,
        connections,
        synchronous: args.synchronous.to_ascii_uppercase(),
    })
}
