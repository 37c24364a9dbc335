//! Refused SMTP attempts per key in fixed windows.
//!
//! Compiled once per engine: `super` is the backend module (`Db`, `Backend`).

use crate::store::StoreResult;
use crate::store::refusals::{RefusalStore, RefusalWindow};
use crate::store::rows::{self, DbTime};

use super::Backend;

const COUNT_REFUSAL: &str = r#"
    insert into refusal_windows (refusal_key, started_at, refusals)
    values ($1, $2, 1)
    on conflict (refusal_key) do update
    -- both sides read the row as it was: a window that ended starts again
    set refusals = case when refusal_windows.started_at > $3
                        then refusal_windows.refusals + 1 else 1 end,
        started_at = case when refusal_windows.started_at > $3
                          then refusal_windows.started_at else excluded.started_at end
    returning started_at, refusals
"#;

const PRUNE_ENDED: &str = r#"
    delete from refusal_windows where started_at <= $1
"#;

const REFUSAL_WINDOW: &str = r#"
    select started_at, refusals
    from refusal_windows
    where refusal_key = $1 and started_at > $2
"#;

#[async_trait::async_trait]
impl RefusalStore for Backend {
    #[tracing::instrument(skip_all)]
    async fn count_refusal(
        &self,
        key: &str,
        at: time::OffsetDateTime,
        expired: time::OffsetDateTime,
    ) -> StoreResult<RefusalWindow> {
        let mut tx = self.begin_write().await?;
        let (started_at, refusals): (DbTime, i64) = sqlx::query_as(COUNT_REFUSAL)
            .bind(rows::text(key).into_owned())
            .bind(DbTime(at))
            .bind(DbTime(expired))
            .fetch_one(&mut *tx)
            .await?;
        sqlx::query(PRUNE_ENDED)
            .bind(DbTime(expired))
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(RefusalWindow {
            started_at: started_at.utc(),
            refusals,
        })
    }

    #[tracing::instrument(skip_all)]
    async fn prune_refusals(&self, expired: time::OffsetDateTime) -> StoreResult<u64> {
        Ok(sqlx::query(PRUNE_ENDED)
            .bind(DbTime(expired))
            .execute(&self.pool)
            .await?
            .rows_affected())
    }

    #[tracing::instrument(skip_all)]
    async fn refusal_window(
        &self,
        key: &str,
        expired: time::OffsetDateTime,
    ) -> StoreResult<Option<RefusalWindow>> {
        let row: Option<(DbTime, i64)> = sqlx::query_as(REFUSAL_WINDOW)
            .bind(rows::text(key).into_owned())
            .bind(DbTime(expired))
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|(started_at, refusals)| RefusalWindow {
            started_at: started_at.utc(),
            refusals,
        }))
    }
}
