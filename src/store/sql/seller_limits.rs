//! Seller messages per key in fixed windows.
//!
//! Compiled once per engine: `super` is the backend module (`Db`, `Backend`).

use crate::domain::{MessageWindow, RateLimited};
use crate::store::StoreResult;
use crate::store::rows::{self, DbTime};
use crate::store::seller_limits::SellerLimitStore;

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

#[async_trait::async_trait]
impl SellerLimitStore for Backend {
    #[tracing::instrument(skip_all)]
    async fn count_seller_message(
        &self,
        windows: &[MessageWindow],
        at: time::OffsetDateTime,
    ) -> StoreResult<Result<(), RateLimited>> {
        // Outside the counting transaction, which then locks only its own
        // rows, always in the same order (the seller's, the conversation's).
        sqlx::query(PRUNE_ENDED)
            .bind(DbTime(at))
            .execute(&self.pool)
            .await?;
        let mut tx = self.begin_write().await?;
        let mut full: Option<time::OffsetDateTime> = None;
        for window in windows {
            let counted: Option<i64> = sqlx::query_scalar(COUNT_MESSAGE)
                .bind(rows::text(&window.key).into_owned())
                .bind(DbTime(window.ends_at))
                .bind(i64::from(window.max))
                .fetch_optional(&mut *tx)
                .await?;
            if counted.is_none() {
                full = Some(full.map_or(window.ends_at, |f| f.max(window.ends_at)));
            }
        }
        match full {
            // Dropped unfinished: none of the slots is kept.
            Some(until) => Ok(Err(RateLimited { until })),
            None => {
                tx.commit().await?;
                Ok(Ok(()))
            }
        }
    }
}
