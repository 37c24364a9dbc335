//! Bounces: what came back to a return path, kept with the message it
//! names, and the mark on a party whose address keeps bouncing.
//!
//! Compiled once per engine: `super` is the backend module (`Db`, `Backend`).

use crate::domain::{
    AuditAction, BounceKind, BounceSummary, BouncingCursor, BouncingParty, ConversationId,
    DeliveryId, DeliveryKind, MessageId, MessageStatus, NewAuditEvent, NewBounce, PartyRole,
    RecordedBounce,
};
use crate::store::rows::{self, DbId, DbTime};
use crate::store::{StoreError, StoreResult};

use super::common::*;
use super::{Backend, Db};

const DELIVERY: &str = r#"
    select message_id, kind, updated_at from deliveries where id = $1
"#;

const INSERT_BOUNCE: &str = r#"
    insert into bounces
        (id, message_id, delivery_id, recipient_role, recipient_id, kind, status,
         diagnostic, raw_mime, received_at)
    values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
"#;

/// Hard bounces of one party since a time (`bounces_failed_by_recipient`).
const RECENT_FAILURES: &str = r#"
    select count(*) from bounces
    where recipient_id = $1 and kind = 'failed' and received_at >= $2
"#;

const LAST_BOUNCE: &str = r#"
    select kind, status, diagnostic, received_at
    from bounces
    where message_id = $1
    order by received_at desc, id desc
    limit 1
"#;

const BOUNCING_SINCE: &str = r#"
    select b.address_bouncing_since, s.address_bouncing_since
    from conversations c
    join buyers b on b.id = c.buyer_id
    join sellers s on s.id = c.seller_id
    where c.id = $1
"#;

/// Marked parties of both kinds in one order, for keyset paging: a row
/// comes after the cursor by (time, role, id).
const BOUNCING_PARTIES: &str = r#"
    select role, id, since, external_id
    from (
        select 'buyer' as role, id, address_bouncing_since as since, external_id
        from buyers
        where address_bouncing_since is not null and erased_at is null
        union all
        select 'seller' as role, id, address_bouncing_since as since, external_id
        from sellers
        where address_bouncing_since is not null and erased_at is null
    ) marked
    where since > $1 or (since = $1 and (role > $2 or (role = $2 and id > $3)))
    order by since, role, id
    limit $4
"#;

// One statement per table: the table name cannot be a parameter.
const MARK_SELLER: &str = r#"
    update sellers set address_bouncing_since = $1
    where id = $2 and address_bouncing_since is null
"#;
const MARK_BUYER: &str = r#"
    update buyers set address_bouncing_since = $1
    where id = $2 and address_bouncing_since is null
"#;
const CLEAR_SELLER: &str = r#"
    update sellers set address_bouncing_since = null
    where id = $1 and address_bouncing_since is not null
"#;
const CLEAR_BUYER: &str = r#"
    update buyers set address_bouncing_since = null
    where id = $1 and address_bouncing_since is not null
"#;

type BounceRow = (String, Option<String>, Option<String>, DbTime);

fn bounce_summary(
    (kind, status, diagnostic, received_at): BounceRow,
) -> StoreResult<BounceSummary> {
    Ok(BounceSummary {
        kind: BounceKind::parse(&kind)
            .ok_or_else(|| StoreError::Other(anyhow::anyhow!("unknown bounce kind {kind}")))?,
        status,
        diagnostic,
        received_at: received_at.utc(),
    })
}

#[async_trait::async_trait]
impl crate::store::BounceStore for Backend {
    #[tracing::instrument(skip_all, fields(delivery_id = %delivery))]
    async fn delivery_last_tried(
        &self,
        delivery: DeliveryId,
    ) -> StoreResult<Option<time::OffsetDateTime>> {
        let row: Option<(DbId, String, DbTime)> = sqlx::query_as(DELIVERY)
            .bind(DbId(delivery.0))
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|(_, _, tried)| tried.utc()))
    }

    #[tracing::instrument(skip_all, fields(delivery_id = %new.delivery))]
    async fn record_bounce(&self, new: &NewBounce) -> StoreResult<RecordedBounce> {
        let mut tx = self.begin_write().await?;
        let (message_id, kind, tried): (DbId, String, DbTime) = sqlx::query_as(DELIVERY)
            .bind(DbId(new.delivery.0))
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        // An entry's row changes with each attempt: its last change is when
        // its mail last left.
        if new.tried_since.is_some_and(|since| tried.utc() < since) {
            return Err(StoreError::NotFound);
        }
        let delivery_kind = rows::delivery_kind(&kind)?;
        let message = load_message(&mut tx, MessageId(message_id.0)).await?;
        let conversation = load_conversation(&mut tx, message.conversation_id).await?;
        let (role, recipient) = recipient(&conversation, message.direction, delivery_kind);
        let at = new.received_at;
        insert_bounce(&mut tx, new, message.id, role, recipient).await?;
        let failed = new.kind == BounceKind::Failed;
        // Only the message itself turns `bounced`, once: a notice that
        // bounces is recorded and answered by nothing (no loop), and a
        // message given up on already had its notice.
        let bounced = failed
            && delivery_kind.is_the_message()
            && matches!(message.status, MessageStatus::Sent | MessageStatus::Queued);
        if bounced {
            set_message_status(&mut tx, message.id, MessageStatus::Bounced, at).await?;
            insert_delivery(&mut tx, message.id, DeliveryKind::Notice, at).await?;
        }
        // The diagnostic is scrubbed, yet stays in its table like a
        // delivery error: the audit keeps what happened, not what was said.
        let event = NewAuditEvent::system(
            AuditAction::MessageBounced,
            "message",
            message.id,
            serde_json::json!({
                "delivery_id": new.delivery.to_string(),
                "delivery_kind": delivery_kind.as_str(),
                "bounce": new.kind.as_str(),
                "status": new.status,
                "recipient": role.as_str(),
                "message_bounced": bounced,
            }),
        );
        insert_audit(&mut tx, at, &event).await?;
        let party_marked = if failed {
            mark_if_bouncing(&mut tx, new, role, recipient, conversation.id).await?
        } else {
            None
        };
        tx.commit().await?;
        Ok(RecordedBounce {
            message: message.id,
            conversation: conversation.id,
            direction: message.direction,
            action: message.action,
            bounced,
            notice_queued: bounced,
            party_marked,
        })
    }

    #[tracing::instrument(skip_all, fields(delivery_id = %refusal.delivery))]
    async fn record_refusal(&self, refusal: &NewBounce) -> StoreResult<Option<PartyRole>> {
        let mut tx = self.begin_write().await?;
        let error = refusal.diagnostic.as_deref().unwrap_or("refused");
        let (message, kind) = super::queue::fail_delivery(
            &mut tx,
            refusal.delivery,
            refusal.received_at,
            error,
            None,
        )
        .await?;
        let message = load_message(&mut tx, message).await?;
        let conversation = load_conversation(&mut tx, message.conversation_id).await?;
        let (role, recipient) = recipient(&conversation, message.direction, kind);
        // Kept as a bounce like a DSN, so that it counts the same towards
        // the party's mark and staff see what the server said.
        insert_bounce(&mut tx, refusal, message.id, role, recipient).await?;
        let marked = mark_if_bouncing(&mut tx, refusal, role, recipient, conversation.id).await?;
        tx.commit().await?;
        Ok(marked)
    }

    #[tracing::instrument(skip_all, fields(message_id = %message))]
    async fn last_bounce(&self, message: MessageId) -> StoreResult<Option<BounceSummary>> {
        let row: Option<BounceRow> = sqlx::query_as(LAST_BOUNCE)
            .bind(DbId(message.0))
            .fetch_optional(&self.pool)
            .await?;
        row.map(bounce_summary).transpose()
    }

    #[tracing::instrument(skip_all, fields(messages = messages.len()))]
    async fn last_bounces(
        &self,
        messages: &[MessageId],
    ) -> StoreResult<Vec<(MessageId, BounceSummary)>> {
        if messages.is_empty() {
            return Ok(Vec::new());
        }
        // The latest of each message's bounces, as `LAST_BOUNCE` orders them.
        let mut query = for_messages(
            "select b.message_id, b.kind, b.status, b.diagnostic, b.received_at \
             from bounces b \
             where not exists ( \
                 select 1 from bounces n \
                 where n.message_id = b.message_id \
                   and (n.received_at > b.received_at \
                        or (n.received_at = b.received_at and n.id > b.id))) \
               and b.message_id in (",
            messages,
            "",
        );
        query
            .build_query_as::<(DbId, String, Option<String>, Option<String>, DbTime)>()
            .fetch_all(&self.pool)
            .await?
            .into_iter()
            .map(|(id, kind, status, diagnostic, at)| {
                Ok((
                    MessageId(id.0),
                    bounce_summary((kind, status, diagnostic, at))?,
                ))
            })
            .collect()
    }

    #[tracing::instrument(skip_all)]
    async fn bouncing_parties(
        &self,
        after: Option<BouncingCursor>,
        limit: u32,
    ) -> StoreResult<Vec<BouncingParty>> {
        // No cursor: from before any mark.
        let after = after.unwrap_or(BouncingCursor {
            since: time::OffsetDateTime::UNIX_EPOCH,
            role: PartyRole::Buyer,
            id: uuid::Uuid::nil(),
        });
        let rows: Vec<(String, DbId, DbTime, Option<String>)> = sqlx::query_as(BOUNCING_PARTIES)
            .bind(DbTime(after.since))
            .bind(after.role.as_str())
            .bind(DbId(after.id))
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await?;
        rows.into_iter()
            .map(|(role, id, since, external_id)| {
                Ok(BouncingParty {
                    role: PartyRole::parse(&role).ok_or_else(|| {
                        StoreError::Other(anyhow::anyhow!("unknown party role {role}"))
                    })?,
                    id: id.0,
                    since: since.utc(),
                    external_id,
                })
            })
            .collect()
    }

    #[tracing::instrument(skip_all, fields(conversation_id = %conversation))]
    async fn bouncing_since(
        &self,
        conversation: ConversationId,
    ) -> StoreResult<(Option<time::OffsetDateTime>, Option<time::OffsetDateTime>)> {
        let (buyer, seller): (Option<DbTime>, Option<DbTime>) = sqlx::query_as(BOUNCING_SINCE)
            .bind(DbId(conversation.0))
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        Ok((buyer.map(|t| t.utc()), seller.map(|t| t.utc())))
    }
}

/// After a delivery to a party: clears the party's bouncing mark, if it
/// had one, with `party.address_bouncing_cleared`, inside the caller's
/// transaction.
pub(super) async fn clear_bouncing(
    conn: &mut <Db as sqlx::Database>::Connection,
    message: MessageId,
    kind: DeliveryKind,
    delivery: DeliveryId,
    at: time::OffsetDateTime,
) -> StoreResult<()> {
    let message = load_message(&mut *conn, message).await?;
    let conversation = load_conversation(&mut *conn, message.conversation_id).await?;
    let role = PartyRole::recipient_of(message.direction, kind);
    let (clear, id) = match role {
        PartyRole::Buyer => (CLEAR_BUYER, conversation.buyer.id.0),
        PartyRole::Seller => (CLEAR_SELLER, conversation.seller.id.0),
    };
    let cleared = sqlx::query(clear)
        .bind(DbId(id))
        .execute(&mut *conn)
        .await?
        .rows_affected();
    if cleared == 1 {
        let event = NewAuditEvent::system(
            AuditAction::PartyAddressBouncingCleared,
            role.as_str(),
            id,
            serde_json::json!({
                "conversation_id": conversation.id.to_string(),
                "delivery_id": delivery.to_string(),
            }),
        );
        insert_audit(&mut *conn, at, &event).await?;
    }
    Ok(())
}

async fn insert_bounce(
    conn: &mut <Db as sqlx::Database>::Connection,
    new: &NewBounce,
    message: MessageId,
    role: PartyRole,
    recipient: uuid::Uuid,
) -> StoreResult<()> {
    sqlx::query(INSERT_BOUNCE)
        .bind(DbId(uuid::Uuid::new_v4()))
        .bind(DbId(message.0))
        .bind(DbId(new.delivery.0))
        .bind(role.as_str())
        .bind(DbId(recipient))
        .bind(new.kind.as_str())
        .bind(rows::opt_text(new.status.as_deref()))
        .bind(rows::opt_text(new.diagnostic.as_deref()))
        .bind(new.raw_mime.as_slice())
        .bind(DbTime(new.received_at))
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// After a hard bounce of `recipient`: marks the party, with
/// `party.address_bouncing`, once it has `mark_after` of them within the
/// window; the role marked now, if it was not before.
async fn mark_if_bouncing(
    conn: &mut <Db as sqlx::Database>::Connection,
    new: &NewBounce,
    role: PartyRole,
    recipient: uuid::Uuid,
    conversation: ConversationId,
) -> StoreResult<Option<PartyRole>> {
    let at = new.received_at;
    let since = at - new.window;
    let recent: i64 = sqlx::query_scalar(RECENT_FAILURES)
        .bind(DbId(recipient))
        .bind(DbTime(since))
        .fetch_one(&mut *conn)
        .await?;
    if recent < i64::from(new.mark_after.max(1)) {
        return Ok(None);
    }
    let mark = match role {
        PartyRole::Buyer => MARK_BUYER,
        PartyRole::Seller => MARK_SELLER,
    };
    let marked = sqlx::query(mark)
        .bind(DbTime(at))
        .bind(DbId(recipient))
        .execute(&mut *conn)
        .await?
        .rows_affected();
    if marked != 1 {
        return Ok(None);
    }
    let event = NewAuditEvent::system(
        AuditAction::PartyAddressBouncing,
        role.as_str(),
        recipient,
        serde_json::json!({
            "conversation_id": conversation.to_string(),
            "hard_bounces": recent,
            "window_days": new.window.whole_days(),
        }),
    );
    insert_audit(&mut *conn, at, &event).await?;
    Ok(Some(role))
}

/// Whom an entry of `kind` for a message going `direction` was addressed
/// to: the role and the party's id.
fn recipient(
    conversation: &crate::domain::Conversation,
    direction: crate::domain::Direction,
    kind: DeliveryKind,
) -> (PartyRole, uuid::Uuid) {
    let role = PartyRole::recipient_of(direction, kind);
    let id = match role {
        PartyRole::Buyer => conversation.buyer.id.0,
        PartyRole::Seller => conversation.seller.id.0,
    };
    (role, id)
}
