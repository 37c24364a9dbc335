//! Blocking conversations, suspending sellers, the staff search and access log.
//!
//! Compiled once per engine: `super` is the backend module (`Db`, `Backend`).

use crate::domain::{
    AuditAction, AuditEvent, Conversation, ConversationId, ConversationSummary, NewAuditEvent,
    Seller, SellerId, StaffId,
};
use crate::store::rows::{self, DbId, DbTime};
use crate::store::sql::audit_select;
use crate::store::{StoreError, StoreResult};

use super::Backend;
use super::common::*;

const SET_CONVERSATION_BLOCKED: &str = r#"
    update conversations
    set blocked = $1
    where id = $2 and blocked <> $1
"#;

/// Since when and why, while suspended; reinstating clears both and
/// starts the count of violations afresh.
const SET_SELLER_SUSPENDED: &str = r#"
    update sellers
    set suspended = $1,
        suspended_at = case when $1 then $3 else null end,
        suspension_reason = case when $1 then $4 else null end,
        reinstated_at = case when $1 then reinstated_at else $3 end
    where id = $2 and suspended <> $1
"#;

const SELLER_AFTER_SUSPENSION: &str = r#"
    select id, name, email, external_id, country, language, suspended, created_at
    from sellers
    where id = $1
"#;

const STAFF_READS_PAGE: &str = concat!(
    audit_select!(),
    r#"
            -- searches reach message text and real addresses: listed too
            where action in ('message.read', 'staff.searched') and actor_kind = 'staff'
            -- ids grow with time; newest first
            order by id desc
            limit $1 offset $2
            "#
);

#[async_trait::async_trait]
impl crate::store::ModerationStore for Backend {
    #[tracing::instrument(skip_all, fields(conversation_id = %id, blocked))]
    async fn set_conversation_blocked(
        &self,
        id: ConversationId,
        blocked: bool,
        staff: StaffId,
        note: Option<&str>,
        at: time::OffsetDateTime,
    ) -> StoreResult<Conversation> {
        let mut tx = self.begin_write().await?;
        // Conditional, so a repeat (or a race with another reviewer) records one change.
        let changed = sqlx::query(SET_CONVERSATION_BLOCKED)
            .bind(blocked)
            .bind(DbId(id.0))
            .execute(&mut *tx)
            .await?
            .rows_affected();
        let conversation = load_conversation(&mut tx, id).await?;
        if changed == 1 {
            let event = NewAuditEvent::by_staff(
                staff,
                if blocked {
                    AuditAction::ConversationBlocked
                } else {
                    AuditAction::ConversationUnblocked
                },
                "conversation",
                id,
                serde_json::json!({
                    "seller_id": conversation.seller.id.to_string(),
                    "note": note.map(|n| rows::text(n).into_owned()),
                }),
            );
            insert_audit(&mut tx, at, &event).await?;
        }
        tx.commit().await?;
        Ok(conversation)
    }

    #[tracing::instrument(skip_all, fields(seller_id = %id, suspended))]
    async fn set_seller_suspended(
        &self,
        id: SellerId,
        suspended: bool,
        staff: StaffId,
        note: Option<&str>,
        at: time::OffsetDateTime,
    ) -> StoreResult<Seller> {
        let mut tx = self.begin_write().await?;
        let changed = sqlx::query(SET_SELLER_SUSPENDED)
            .bind(suspended)
            .bind(DbId(id.0))
            .bind(DbTime(at))
            .bind(rows::opt_text(note))
            .execute(&mut *tx)
            .await?
            .rows_affected();
        let seller = sqlx::query_as::<_, rows::SellerRow>(SELLER_AFTER_SUSPENSION)
            .bind(DbId(id.0))
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound)?
            .into_domain()?;
        if changed == 1 {
            let event = NewAuditEvent::by_staff(
                staff,
                if suspended {
                    AuditAction::SellerSuspended
                } else {
                    AuditAction::SellerReinstated
                },
                "seller",
                id,
                serde_json::json!({ "note": note.map(|n| rows::text(n).into_owned()) }),
            );
            insert_audit(&mut tx, at, &event).await?;
        }
        tx.commit().await?;
        Ok(seller)
    }

    #[tracing::instrument(skip_all, fields(limit, offset))]
    async fn search_conversations(
        &self,
        query: &str,
        limit: i64,
        offset: i64,
    ) -> StoreResult<Vec<ConversationSummary>> {
        let query = rows::text(query.trim()).into_owned();
        let rows =
            sqlx::query_as::<_, rows::SummaryRow>(crate::store::sql::SEARCH_SUMMARIES.as_str())
                .bind(crate::store::contains_pattern(&query))
                .bind(query)
                .bind(limit.max(0))
                .bind(offset.max(0))
                .fetch_all(&self.pool)
                .await?;
        Ok(rows
            .into_iter()
            .map(rows::SummaryRow::into_domain)
            .collect())
    }

    #[tracing::instrument(skip_all, fields(limit, offset))]
    async fn staff_reads_page(&self, limit: i64, offset: i64) -> StoreResult<Vec<AuditEvent>> {
        let rows = sqlx::query_as::<_, rows::AuditRow>(STAFF_READS_PAGE)
            .bind(limit.max(0))
            .bind(offset.max(0))
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.into_iter().map(rows::AuditRow::into_domain).collect())
    }
}
