//! A fresh database per test on each engine, and raw SQL access beside the
//! store for the checks the `Store` trait deliberately cannot express.

use std::{future::Future, sync::Arc, time::Duration};

use marketrelay::store::{Store, postgres, sqlite};
use sqlx::{Connection, Executor, PgConnection, PgPool, SqlitePool};

const DEFAULT_ADMIN_URL: &str = "postgres://postgres@127.0.0.1:5432/test";

/// Plain SQL on the test database, bypassing the store.
#[derive(Clone)]
pub enum Raw {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

impl Raw {
    pub async fn execute(&self, sql: &str) -> Result<u64, sqlx::Error> {
        let sql = sqlx::AssertSqlSafe(sql.to_owned());
        match self {
            Raw::Sqlite(pool) => Ok(pool.execute(sql).await?.rows_affected()),
            Raw::Postgres(pool) => Ok(pool.execute(sql).await?.rows_affected()),
        }
    }

    pub async fn count(&self, sql: &str) -> i64 {
        let sql = sqlx::AssertSqlSafe(sql.to_owned());
        match self {
            Raw::Sqlite(pool) => sqlx::query_scalar(sql).fetch_one(pool).await,
            Raw::Postgres(pool) => sqlx::query_scalar(sql).fetch_one(pool).await,
        }
        .expect("count query")
    }
}

/// Runs `test` on a store backed by a new SQLite file in a temporary
/// directory (in a subdirectory that does not exist yet, as `data/` on a
/// fresh machine).
pub async fn on_sqlite<F, Fut>(test: F)
where
    F: FnOnce(Arc<dyn Store>, Raw) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let dir = tempfile::tempdir().expect("temporary directory");
    let path = dir.path().join("data").join("marketrelay.db");
    let path = path.to_str().expect("utf-8 temp path");
    let store = sqlite::open(path).await.expect("open SQLite store");
    let raw = SqlitePool::connect_with(
        sqlx::sqlite::SqliteConnectOptions::new()
            .filename(path)
            .foreign_keys(true),
    )
    .await
    .expect("raw SQLite connection");
    let outcome = tokio::spawn(test(store, Raw::Sqlite(raw.clone()))).await;
    raw.close().await;
    if let Err(e) = outcome {
        std::panic::resume_unwind(e.into_panic());
    }
}

/// Runs `test` on a store backed by a new Postgres database, created from the
/// admin URL in `MARKETRELAY_TEST_DATABASE_URL` and dropped afterwards.
pub async fn on_postgres<F, Fut>(test: F)
where
    F: FnOnce(Arc<dyn Store>, Raw) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let admin_url = std::env::var("MARKETRELAY_TEST_DATABASE_URL")
        .unwrap_or_else(|_| DEFAULT_ADMIN_URL.to_owned());
    let mut admin =
        match tokio::time::timeout(Duration::from_secs(5), PgConnection::connect(&admin_url)).await
        {
            Ok(Ok(conn)) => conn,
            Ok(Err(e)) => panic!("{}", unreachable_message(&e.to_string())),
            Err(_) => panic!("{}", unreachable_message("no answer within 5 s")),
        };
    let name = format!("mr_{}", uuid::Uuid::new_v4().simple());
    admin
        .execute(sqlx::AssertSqlSafe(format!(r#"create database "{name}""#)))
        .await
        .expect("create test database");
    let mut url = url::Url::parse(&admin_url).expect("admin URL");
    url.set_path(&format!("/{name}"));

    let outcome = async {
        let store = postgres::open(url.as_str())
            .await
            .expect("open Postgres store");
        let raw = PgPool::connect(url.as_str())
            .await
            .expect("raw Postgres pool");
        let outcome = tokio::spawn(test(store, Raw::Postgres(raw.clone()))).await;
        raw.close().await;
        outcome
    }
    .await;

    // Best effort: `force` ends the store's pooled connections still open.
    let _ = admin
        .execute(sqlx::AssertSqlSafe(format!(
            r#"drop database if exists "{name}" with (force)"#
        )))
        .await;
    let _ = admin.close().await;
    if let Err(e) = outcome {
        std::panic::resume_unwind(e.into_panic());
    }
}

fn unreachable_message(cause: &str) -> String {
    format!(
        "the store suite needs a Postgres server it can create databases on, and none answered \
         ({cause}). Start Postgres, or set MARKETRELAY_TEST_DATABASE_URL to an admin URL \
         (default {DEFAULT_ADMIN_URL})."
    )
}

/// Generates `sqlite::NAME` and `postgres::NAME` for each test body. Bodies
/// listed before `;` take the store; those after `raw:` also take `Raw`.
#[macro_export]
macro_rules! conformance {
    ($($name:ident),* $(,)? ; raw: $($raw:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    $crate::harness::on_sqlite(|store, _raw| super::$name(store)).await;
                }
            )*
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $raw() {
                    $crate::harness::on_sqlite(super::$raw).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    $crate::harness::on_postgres(|store, _raw| super::$name(store)).await;
                }
            )*
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $raw() {
                    $crate::harness::on_postgres(super::$raw).await;
                }
            )*
        }
    };
}
