//! Seller messages per key in fixed windows.
//!
//! Compiled once per engine: `super` is the backend module (`Db`, `Backend`).

use crate::domain::{MessageWindow, RateLimited};
use crate::store::StoreResult;
use crate::store::rows::{self, DbTime};

use super::Backend;

/// Takes a slot in the window when it has room: the update's `where`
/// leaves a full window as it is, and then no row comes back.
const COUNT_MESSAGE: &str = r#"
    insert into seller_message_windows (window_key, ends_at, messages)
    values ($1, $2, 1)
    on conflict (window_key, ends_at) do update
    set messages = seller_message_windows.messages + 1
    where seller_message_windows.messages < $3
    returning messages
"#;

const PRUNE_ENDED: &str = r#"
    delete from seller_message_windows where ends_at <= $1
"#;

/// Deletes the windows that ended by `at`. Outside the counting
/// transaction, which then locks only its own rows.
pub(super) async fn prune_ended(backend: &Backend, at: time::OffsetDateTime) -> StoreResult<()> {
    sqlx::query(PRUNE_ENDED)
        .bind(DbTime(at))
        .execute(&backend.pool)
        .await?;
    Ok(())
}

/// Takes a slot in each window inside the caller's transaction, always in
/// the same order (the seller's, the conversation's). When one is full
/// the answer names the latest end among the full ones; the caller then
/// drops the transaction, and none of the slots is kept.
pub(super) async fn take_slots(
    conn: &mut <super::Db as sqlx::Database>::Connection,
    windows: &[MessageWindow],
) -> StoreResult<Result<(), RateLimited>> {
    let mut full: Option<time::OffsetDateTime> = None;
    for window in windows {
        let counted: Option<i64> = sqlx::query_scalar(COUNT_MESSAGE)
            .bind(rows::text(&window.key).into_owned())
            .bind(DbTime(window.ends_at))
            .bind(i64::from(window.max))
            .fetch_optional(&mut *conn)
            .await?;
        if counted.is_none() {
            full = Some(full.map_or(window.ends_at, |f| f.max(window.ends_at)));
        }
    }
    Ok(match full {
        Some(until) => Err(RateLimited { until }),
        None => Ok(()),
    })
}
