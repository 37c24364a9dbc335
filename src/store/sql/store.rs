//! The `Store` itself: health, secrets, and one accessor per aggregate.
//!
//! Compiled once per engine: `super` is the backend module (`Db`, `Backend`).

use crate::store::rows::{self, DbTime};
use crate::store::{
    AuditStore, BounceStore, ConsentStore, ConversationStore, MessageStore, ModerationStore,
    PartyStore, QueueStore, ReportStore, StoreResult, accounts::AccountStore,
    help_domains::HelpDomainStore, lifecycle::LifecycleStore, refusals::RefusalStore,
    response_time::ResponseTimeStore, review_requests::ReviewRequestStore, stats::StatsStore,
    strikes::StrikeStore,
};

use super::Backend;
use super::common::now;

const PING: &str = "select 1";

/// The first start stores its value; every later one reads it back.
const KEEP_SECRET: &str = r#"
    insert into secrets (name, value, created_at)
    values ($1, $2, $3)
    on conflict (name) do nothing
"#;

const SECRET: &str = "select value from secrets where name = $1";

#[async_trait::async_trait]
impl crate::store::Store for Backend {
    #[tracing::instrument(skip_all)]
    async fn ping(&self) -> StoreResult<()> {
        sqlx::query(PING).execute(&self.pool).await?;
        Ok(())
    }

    #[tracing::instrument(skip_all, fields(name))]
    async fn secret(&self, name: &str, generated: &str) -> StoreResult<String> {
        let mut tx = self.begin_write().await?;
        sqlx::query(KEEP_SECRET)
            .bind(rows::text(name).into_owned())
            .bind(rows::text(generated).into_owned())
            .bind(DbTime(now()))
            .execute(&mut *tx)
            .await?;
        let value: String = sqlx::query_scalar(SECRET)
            .bind(rows::text(name).into_owned())
            .fetch_one(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(value)
    }

    fn parties(&self) -> &dyn PartyStore {
        self
    }

    fn conversations(&self) -> &dyn ConversationStore {
        self
    }

    fn messages(&self) -> &dyn MessageStore {
        self
    }

    fn queue(&self) -> &dyn QueueStore {
        self
    }

    fn consents(&self) -> &dyn ConsentStore {
        self
    }

    fn audit(&self) -> &dyn AuditStore {
        self
    }

    fn moderation(&self) -> &dyn ModerationStore {
        self
    }

    fn reports(&self) -> &dyn ReportStore {
        self
    }

    fn bounces(&self) -> &dyn BounceStore {
        self
    }

    fn accounts(&self) -> &dyn AccountStore {
        self
    }

    fn lifecycle(&self) -> &dyn LifecycleStore {
        self
    }

    fn stats(&self) -> &dyn StatsStore {
        self
    }

    fn refusals(&self) -> &dyn RefusalStore {
        self
    }

    fn response_times(&self) -> &dyn ResponseTimeStore {
        self
    }

    fn strikes(&self) -> &dyn StrikeStore {
        self
    }

    fn help_domains(&self) -> &dyn HelpDomainStore {
        self
    }

    fn review_requests(&self) -> &dyn ReviewRequestStore {
        self
    }
}
