//! Conversations, their buyers, aliases and registered orders.
//!
//! Compiled once per engine: `super` is the backend module (`Db`, `Backend`).

use crate::domain::{
    AuditAction, Conversation, ConversationId, ConversationSummary, NewAuditEvent, NewConversation,
    SellerId,
};
use crate::store::rows::{self, DbId, DbTime};
use crate::store::sql::conversation_select;
use crate::store::{Cursor, Page, StoreError, StoreResult};

use super::Backend;
use super::common::*;

const FIND_OR_CREATE_CONVERSATION: &str = r#"
    -- an erased seller is as good as absent
    select count(*) from sellers where id = $1 and erased_at is null
"#;

const UPSERT_BUYER: &str = r#"
    insert into buyers
        (id, email, name, external_id, phone, country, language, created_at, updated_at)
    values ($1, $2, $3, $4, $5, $6, $8, $7, $7)
    on conflict (email) do update
    set name = excluded.name,
        external_id = coalesce(excluded.external_id, buyers.external_id),
        phone = coalesce(excluded.phone, buyers.phone),
        country = coalesce(excluded.country, buyers.country),
        language = coalesce(excluded.language, buyers.language),
        updated_at = excluded.updated_at
    returning id
"#;

const INSERT_CONVERSATION: &str = r#"
    insert into conversations
        (id, seller_id, buyer_id, buyer_alias, seller_alias, order_id, blocked, created_at,
         last_activity_at)
    values ($1, $2, $3, $4, $5, $6, false, $7, $7)
    on conflict (seller_id, buyer_id) do nothing
    returning id
"#;

const INSERT_ALIAS: &str = r#"
    insert into aliases (local_part, conversation_id, side)
    values ($1, $2, $3)
"#;

const CONVERSATION_OF_PAIR: &str = r#"
    select id from conversations where seller_id = $1 and buyer_id = $2
"#;

const SELLER_CONVERSATION_COUNT: &str = r#"
    select count(*) from conversations where seller_id = $1
"#;

const CONVERSATION_ORDERS: &str = r#"
    select order_id
    from conversation_orders
    where conversation_id = $1
    order by created_at, order_id
"#;

/// A closed conversation's addresses name nothing: an erased party's
/// aliases get 550 like addresses that never existed.
const CONVERSATION_BY_ALIAS: &str = concat!(
    conversation_select!(),
    "where c.id = (select conversation_id from aliases where local_part = $1) and c.closed_at is null"
);

#[async_trait::async_trait]
impl crate::store::ConversationStore for Backend {
    #[tracing::instrument(skip_all, fields(seller_id = %new.seller_id))]
    async fn find_or_create_conversation(
        &self,
        new: &NewConversation,
    ) -> StoreResult<(Conversation, bool)> {
        let at = now();
        let mut tx = self.begin_write().await?;
        let seller_exists: i64 = sqlx::query_scalar(FIND_OR_CREATE_CONVERSATION)
            .bind(DbId(new.seller_id.0))
            .fetch_one(&mut *tx)
            .await?;
        if seller_exists == 0 {
            return Err(StoreError::NotFound);
        }
        // The buyer is known by real address; the latest request names them.
        let buyer_id: DbId = sqlx::query_scalar(UPSERT_BUYER)
            .bind(DbId(crate::domain::BuyerId::new().0))
            .bind(new.buyer.email.as_str().to_owned())
            .bind(rows::text(&new.buyer.name).into_owned())
            .bind(rows::opt_text(new.buyer.external_id.as_deref()))
            .bind(new.buyer.phone.as_ref().map(|p| p.as_str().to_owned()))
            .bind(new.buyer.country.clone())
            .bind(DbTime(at))
            .bind(new.buyer.language.clone())
            .fetch_one(&mut *tx)
            .await?;
        let buyer_alias = rows::text(&new.buyer_alias).to_lowercase();
        let seller_alias = rows::text(&new.seller_alias).to_lowercase();
        // The pair is unique: a concurrent or repeated request inserts
        // nothing here and reads the existing conversation below.
        let created: Option<DbId> = sqlx::query_scalar(INSERT_CONVERSATION)
            .bind(DbId(ConversationId::new().0))
            .bind(DbId(new.seller_id.0))
            .bind(buyer_id)
            .bind(buyer_alias.clone())
            .bind(seller_alias.clone())
            .bind(rows::opt_text(new.order_id.as_deref()))
            .bind(DbTime(at))
            .fetch_optional(&mut *tx)
            .await?;
        let id = match created {
            Some(id) => {
                for (local_part, side) in [(&buyer_alias, "buyer"), (&seller_alias, "seller")] {
                    sqlx::query(INSERT_ALIAS)
                        .bind(local_part.clone())
                        .bind(id)
                        .bind(side)
                        .execute(&mut *tx)
                        .await?;
                }
                let event = NewAuditEvent {
                    actor_kind: "operator".into(),
                    actor_id: None,
                    action: AuditAction::ConversationCreated,
                    subject_kind: "conversation".into(),
                    subject_id: id.0.to_string(),
                    details: serde_json::json!({
                        "seller_id": new.seller_id.to_string(),
                        "buyer_id": buyer_id.0.to_string(),
                        "order_id": new.order_id,
                    }),
                };
                insert_audit(&mut tx, at, &event).await?;
                id
            }
            None => {
                sqlx::query_scalar(CONVERSATION_OF_PAIR)
                    .bind(DbId(new.seller_id.0))
                    .bind(buyer_id)
                    .fetch_one(&mut *tx)
                    .await?
            }
        };
        if let Some(order_id) = &new.order_id {
            insert_order(&mut tx, ConversationId(id.0), order_id, at).await?;
        }
        let conversation = load_conversation(&mut tx, ConversationId(id.0)).await?;
        tx.commit().await?;
        Ok((conversation, created.is_some()))
    }

    #[tracing::instrument(skip_all, fields(conversation_id = %conversation))]
    async fn add_conversation_order(
        &self,
        conversation: ConversationId,
        order_id: &str,
    ) -> StoreResult<bool> {
        let at = now();
        let mut tx = self.begin_write().await?;
        load_conversation(&mut tx, conversation).await?;
        let added = insert_order(&mut tx, conversation, order_id, at).await?;
        if added {
            let event = NewAuditEvent::new(
                "operator",
                None,
                AuditAction::ConversationOrderAdded,
                "conversation",
                conversation,
                serde_json::json!({ "order_id": rows::text(order_id) }),
            );
            insert_audit(&mut tx, at, &event).await?;
        }
        tx.commit().await?;
        Ok(added)
    }

    #[tracing::instrument(skip_all, fields(conversation_id = %conversation))]
    async fn conversation_orders(&self, conversation: ConversationId) -> StoreResult<Vec<String>> {
        sqlx::query_scalar(CONVERSATION_ORDERS)
            .bind(DbId(conversation.0))
            .fetch_all(&self.pool)
            .await
            .map_err(StoreError::from)
    }

    #[tracing::instrument(skip_all, fields(conversation_id = %id))]
    async fn get_conversation(&self, id: ConversationId) -> StoreResult<Conversation> {
        let mut conn = self.pool.acquire().await?;
        load_conversation(&mut conn, id).await
    }

    #[tracing::instrument(skip_all)]
    async fn conversation_by_alias(&self, local_part: &str) -> StoreResult<Option<Conversation>> {
        sqlx::query_as::<_, rows::ConversationRow>(CONVERSATION_BY_ALIAS)
            .bind(rows::text(local_part).to_lowercase())
            .fetch_optional(&self.pool)
            .await?
            .map(rows::ConversationRow::into_domain)
            .transpose()
    }

    #[tracing::instrument(skip_all)]
    async fn list_conversations(
        &self,
        seller: Option<SellerId>,
    ) -> StoreResult<Vec<ConversationSummary>> {
        // Two statements rather than `$1 is null or ...`, so each gets
        // a plan that fits it.
        let query = match seller {
            Some(_) => {
                sqlx::query_as::<_, rows::SummaryRow>(crate::store::sql::SELLER_SUMMARIES.as_str())
            }
            None => {
                sqlx::query_as::<_, rows::SummaryRow>(crate::store::sql::ALL_SUMMARIES.as_str())
            }
        };
        let query = match seller {
            Some(id) => query.bind(DbId(id.0)),
            None => query,
        };
        let rows = query.fetch_all(&self.pool).await?;
        Ok(rows
            .into_iter()
            .map(rows::SummaryRow::into_domain)
            .collect())
    }

    #[tracing::instrument(skip_all, fields(seller_id = %seller, limit))]
    async fn seller_conversations_page(
        &self,
        seller: SellerId,
        after: Option<Cursor>,
        limit: i64,
    ) -> StoreResult<Page<ConversationSummary>> {
        let limit = limit.max(0);
        let query = match after {
            None => sqlx::query_as::<_, rows::PageSummaryRow>(
                crate::store::sql::SELLER_PAGE_FIRST.as_str(),
            )
            .bind(DbId(seller.0)),
            Some(c) => sqlx::query_as::<_, rows::PageSummaryRow>(
                crate::store::sql::SELLER_PAGE_AFTER.as_str(),
            )
            .bind(DbId(seller.0))
            .bind(DbTime(c.at))
            .bind(DbId(c.id)),
        };
        let rows: Vec<(ConversationSummary, Cursor)> = query
            .bind(limit + 1)
            .fetch_all(&self.pool)
            .await?
            .into_iter()
            .map(|r| {
                let summary = r.summary.into_domain();
                let key = Cursor {
                    at: r.last_activity_at.utc(),
                    id: summary.id.0,
                };
                (summary, key)
            })
            .collect();
        let page = Page::from_rows(rows, limit, |(_, key)| *key);
        Ok(Page {
            rows: page.rows.into_iter().map(|(summary, _)| summary).collect(),
            next: page.next,
        })
    }

    #[tracing::instrument(skip_all, fields(seller_id = %seller))]
    async fn seller_conversation_count(&self, seller: SellerId) -> StoreResult<i64> {
        Ok(sqlx::query_scalar(SELLER_CONVERSATION_COUNT)
            .bind(DbId(seller.0))
            .fetch_one(&self.pool)
            .await?)
    }
}
