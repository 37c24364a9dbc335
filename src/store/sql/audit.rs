//! The append-only audit trail.
//!
//! Compiled once per engine: `super` is the backend module (`Db`, `Backend`).

use crate::domain::{AuditEvent, NewAuditEvent};
use crate::store::StoreResult;
use crate::store::rows::{self};
use crate::store::sql::audit_select;

use super::Backend;
use super::common::*;

const AUDIT_EVENTS: &str = concat!(
    audit_select!(),
    "where subject_id = $1 order by id limit $2"
);

const AUDIT_EVENTS_2: &str = concat!(audit_select!(), "order by id limit $1");

#[async_trait::async_trait]
impl crate::store::AuditStore for Backend {
    #[tracing::instrument(skip_all)]
    async fn record_audit(&self, event: &NewAuditEvent) -> StoreResult<()> {
        let mut conn = self.pool.acquire().await?;
        insert_audit(&mut conn, now(), event).await
    }

    #[tracing::instrument(skip_all, fields(events = events.len()))]
    async fn record_audits(&self, events: &[NewAuditEvent]) -> StoreResult<()> {
        if events.is_empty() {
            return Ok(());
        }
        let mut tx = self.begin_write().await?;
        insert_audits(&mut tx, now(), events).await?;
        tx.commit().await?;
        Ok(())
    }

    #[tracing::instrument(skip_all)]
    async fn audit_events(
        &self,
        subject_id: Option<&str>,
        limit: i64,
    ) -> StoreResult<Vec<AuditEvent>> {
        let limit = limit.max(0);
        let rows = match subject_id {
            Some(subject) => {
                sqlx::query_as::<_, rows::AuditRow>(AUDIT_EVENTS)
                    .bind(rows::text(subject).into_owned())
                    .bind(limit)
                    .fetch_all(&self.pool)
                    .await
            }
            None => {
                sqlx::query_as::<_, rows::AuditRow>(AUDIT_EVENTS_2)
                    .bind(limit)
                    .fetch_all(&self.pool)
                    .await
            }
        }?;
        Ok(rows.into_iter().map(rows::AuditRow::into_domain).collect())
    }
}
