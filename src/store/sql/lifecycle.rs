//! Retention, erasure and export.
//!
//! Compiled once per engine: `super` is the backend module (`Db`, `Backend`).

use crate::domain::{AuditAction, BuyerId, EmailAddress, MessageFiles, NewAuditEvent};
use crate::store::lifecycle::{Erasure, LifecycleStore, PartyRecords, PartyRef};
use crate::store::rows::{self, DbId, DbTime};
use crate::store::sql::{
    audit_select, consent_select, conversation_select, message_select, report_select,
};
use crate::store::{StoreError, StoreResult};

use super::Backend;
use super::common::*;

/// One batch of the retention sweep. The outer `purged_at is null` is
/// checked again after a concurrent sweep's lock, so two nodes never both
/// record the same message.
const PURGE_DUE: &str = r#"
    update messages
    set original_body = '', body = '', html = null, raw_mime = null, files = $1,
        sender_auth_results = null,
        purged_at = $2, updated_at = $2
    where purged_at is null
      and id in (
          select m.id
          from messages m
          where m.purged_at is null
            and m.created_at < $3
            -- still on its way or waiting for staff: the content is needed
            and m.status not in ('queued', 'held')
            and not exists (
                select 1 from deliveries d
                where d.message_id = m.id and d.status = 'pending'
            )
          order by m.created_at, m.id
          limit $4
      )
    returning id
"#;

const BUYER_BY_EMAIL: &str = "select id from buyers where email = $1";

const BUYER_EXISTS: &str = "select count(*) from buyers where id = $1";

const SELLER_EXISTS: &str = "select count(*) from sellers where id = $1";

// `$1` is the party's id: a buyer's and a seller's never collide (UUIDs),
// so one condition serves both.

/// Nothing more is sent in the party's conversations.
const GIVE_UP_PARTY_DELIVERIES: &str = r#"
    update deliveries
    set status = 'failed', last_error = 'party erased', updated_at = $2
    where status = 'pending'
      and message_id in (
          select m.id
          from messages m
          join conversations c on c.id = m.conversation_id
          where c.buyer_id = $1 or c.seller_id = $1
      )
"#;

/// Every message either party wrote in the party's conversations: the
/// content and the threading ids (which can name the sender's host) go;
/// a message that will now never be sent or reviewed says so.
/// A purged message's bounces keep their kind, status and scrubbed
/// diagnostic; the bounce mail itself (which quotes the message) goes.
const PURGE_BOUNCES_OF_MESSAGE: &str = r#"
    update bounces set raw_mime = $1 where message_id = $2
"#;

/// An erased party's bounces lose the mail and the remote server's words.
const ERASE_PARTY_BOUNCES: &str = r#"
    update bounces set raw_mime = $1, diagnostic = null
    where message_id in (
        select m.id from messages m
        join conversations c on c.id = m.conversation_id
        where c.buyer_id = $2 or c.seller_id = $2
    )
"#;

const ERASE_PARTY_MESSAGES: &str = r#"
    update messages
    set subject = '', original_body = '', body = '', html = null, raw_mime = null,
        files = $3, original_message_id = null, in_reply_to = null, reference_ids = $4,
        sender_auth_results = null, sender_name = null, recipient_name = null,
        status = case status when 'queued' then 'failed' when 'held' then 'rejected' else status end,
        purged_at = coalesce(purged_at, $2), updated_at = $2
    where conversation_id in (
        select id from conversations where buyer_id = $1 or seller_id = $1
    )
"#;

/// Closed: `conversation_by_alias` finds it no more, so its addresses get
/// 550; blocked: a reply written in the inbox is stored, never sent.
const CLOSE_PARTY_CONVERSATIONS: &str = r#"
    update conversations
    set closed_at = coalesce(closed_at, $2), blocked = true
    where buyer_id = $1 or seller_id = $1
"#;

const REVOKE_PARTY_CONSENTS: &str = r#"
    update consents
    set status = 'revoked', ended_at = $2
    where status in ('requested', 'granted')
      and conversation_id in (
          select id from conversations where buyer_id = $1 or seller_id = $1
      )
"#;

/// A report's free text is the buyer's own words; its reason stays.
const REMOVE_PARTY_REPORT_COMMENTS: &str = r#"
    update reports
    set comment = null
    where conversation_id in (
        select id from conversations where buyer_id = $1 or seller_id = $1
    )
"#;

const ERASE_BUYER: &str = r#"
    update buyers
    set email = $2, name = 'erased', external_id = null, phone = null, country = null,
        language = null, updated_at = $3, erased_at = coalesce(erased_at, $3)
    where id = $1
"#;

/// Suspended too, so nothing can be done in the name of an erased seller.
const ERASE_SELLER: &str = r#"
    update sellers
    set email = $2, name = 'erased', external_id = null, country = null, language = null,
        suspended = true, erased_at = coalesce(erased_at, $3)
    where id = $1
"#;

/// What lets an erased seller sign in or call the API.
/// What an erased seller leaves behind besides messages: the ways in, the
/// help domains their links passed on, and what staff wrote in warnings
/// (it may quote the erased messages); the warnings themselves stay, as
/// the violations they count do.
const DELETE_SELLER_ACCESS: [&str; 6] = [
    "delete from api_tokens where seller_id = $1",
    "delete from credentials where seller_id = $1",
    "delete from web_sessions where seller_id = $1",
    "delete from invitations where seller_id = $1",
    "delete from seller_allowed_domains where seller_id = $1",
    "update seller_warnings set reason = '' where seller_id = $1",
];

const PARTY_CONVERSATIONS: &str = concat!(
    conversation_select!(),
    "where c.buyer_id = $1 or c.seller_id = $1 order by c.created_at, c.id"
);

const PARTY_MESSAGES: &str = concat!(
    message_select!(),
    r#"
    join conversations c on c.id = m.conversation_id
    where c.buyer_id = $1 or c.seller_id = $1
    order by m.created_at, m.id
    "#
);

const PARTY_CONSENTS: &str = concat!(
    consent_select!(),
    "where c.buyer_id = $1 or c.seller_id = $1 order by k.requested_at, k.id"
);

const PARTY_REPORTS: &str = concat!(
    report_select!(),
    "where c.buyer_id = $1 or c.seller_id = $1 order by r.created_at, r.id"
);

/// Events about the party itself (`$2`, its id as text) or any record of
/// its conversations.
const PARTY_AUDIT: &str = concat!(
    audit_select!(),
    r#"
    where subject_id = $2
       or subject_id in (
           select cast(c.id as text) from conversations c
           where c.buyer_id = $1 or c.seller_id = $1
       )
       or subject_id in (
           select cast(m.id as text) from messages m
           join conversations c on c.id = m.conversation_id
           where c.buyer_id = $1 or c.seller_id = $1
       )
       or subject_id in (
           select cast(k.id as text) from consents k
           join conversations c on c.id = k.conversation_id
           where c.buyer_id = $1 or c.seller_id = $1
       )
       or subject_id in (
           select cast(r.id as text) from reports r
           join conversations c on c.id = r.conversation_id
           where c.buyer_id = $1 or c.seller_id = $1
       )
    order by id
    "#
);

fn empty_files() -> StoreResult<sqlx::types::Json<serde_json::Value>> {
    Ok(rows::json(
        &serde_json::to_value(MessageFiles::default()).map_err(anyhow::Error::from)?,
    ))
}

/// An event by the operator about the party, with no personal data.
fn party_event(party: PartyRef, action: AuditAction, details: serde_json::Value) -> NewAuditEvent {
    NewAuditEvent {
        actor_kind: "operator".into(),
        actor_id: None,
        action,
        subject_kind: party.kind().into(),
        subject_id: party.id().to_string(),
        details,
    }
}

impl Backend {
    async fn party_exists(
        conn: &mut <super::Db as sqlx::Database>::Connection,
        party: PartyRef,
    ) -> StoreResult<()> {
        let query = match party {
            PartyRef::Buyer(_) => BUYER_EXISTS,
            PartyRef::Seller(_) => SELLER_EXISTS,
        };
        let found: i64 = sqlx::query_scalar(query)
            .bind(DbId(party.id()))
            .fetch_one(&mut *conn)
            .await?;
        if found == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }
}

#[async_trait::async_trait]
impl LifecycleStore for Backend {
    #[tracing::instrument(skip_all, fields(limit))]
    async fn purge_messages(
        &self,
        before: time::OffsetDateTime,
        limit: u32,
        at: time::OffsetDateTime,
    ) -> StoreResult<u64> {
        let mut tx = self.begin_write().await?;
        let purged: Vec<DbId> = sqlx::query_scalar(PURGE_DUE)
            .bind(empty_files()?)
            .bind(DbTime(at))
            .bind(DbTime(before))
            .bind(i64::from(limit))
            .fetch_all(&mut *tx)
            .await?;
        let cutoff = before
            .format(&time::format_description::well_known::Rfc3339)
            .ok();
        for id in &purged {
            sqlx::query(PURGE_BOUNCES_OF_MESSAGE)
                .bind(Vec::<u8>::new())
                .bind(*id)
                .execute(&mut *tx)
                .await?;
            let event = NewAuditEvent {
                actor_kind: "system".into(),
                actor_id: None,
                action: AuditAction::MessagePurged,
                subject_kind: "message".into(),
                subject_id: id.0.to_string(),
                details: serde_json::json!({ "reason": "retention", "created_before": cutoff }),
            };
            insert_audit(&mut tx, at, &event).await?;
        }
        tx.commit().await?;
        Ok(purged.len() as u64)
    }

    #[tracing::instrument(skip_all)]
    async fn buyer_by_email(&self, email: &EmailAddress) -> StoreResult<Option<BuyerId>> {
        let id: Option<DbId> = sqlx::query_scalar(BUYER_BY_EMAIL)
            .bind(email.as_str().to_owned())
            .fetch_optional(&self.pool)
            .await?;
        Ok(id.map(|id| BuyerId(id.0)))
    }

    #[tracing::instrument(skip_all, fields(party = party.kind(), party_id = %party.id()))]
    async fn erase_party(&self, party: PartyRef, at: time::OffsetDateTime) -> StoreResult<Erasure> {
        let id = DbId(party.id());
        let mut tx = self.begin_write().await?;
        Self::party_exists(&mut tx, party).await?;
        sqlx::query(GIVE_UP_PARTY_DELIVERIES)
            .bind(id)
            .bind(DbTime(at))
            .execute(&mut *tx)
            .await?;
        sqlx::query(ERASE_PARTY_BOUNCES)
            .bind(Vec::<u8>::new())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let messages = sqlx::query(ERASE_PARTY_MESSAGES)
            .bind(id)
            .bind(DbTime(at))
            .bind(empty_files()?)
            .bind(sqlx::types::Json(Vec::<String>::new()))
            .execute(&mut *tx)
            .await?
            .rows_affected();
        let conversations = sqlx::query(CLOSE_PARTY_CONVERSATIONS)
            .bind(id)
            .bind(DbTime(at))
            .execute(&mut *tx)
            .await?
            .rows_affected();
        sqlx::query(REVOKE_PARTY_CONSENTS)
            .bind(id)
            .bind(DbTime(at))
            .execute(&mut *tx)
            .await?;
        sqlx::query(REMOVE_PARTY_REPORT_COMMENTS)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        // Unique like the address it replaces; `.invalid` can never receive mail (RFC 2606).
        let tombstone = format!("erased-{}@invalid", uuid::Uuid::new_v4().simple());
        match party {
            PartyRef::Buyer(_) => {
                sqlx::query(ERASE_BUYER)
                    .bind(id)
                    .bind(tombstone)
                    .bind(DbTime(at))
                    .execute(&mut *tx)
                    .await?;
            }
            PartyRef::Seller(_) => {
                sqlx::query(ERASE_SELLER)
                    .bind(id)
                    .bind(tombstone)
                    .bind(DbTime(at))
                    .execute(&mut *tx)
                    .await?;
                for statement in DELETE_SELLER_ACCESS {
                    sqlx::query(statement).bind(id).execute(&mut *tx).await?;
                }
            }
        }
        let action = match party {
            PartyRef::Buyer(_) => AuditAction::BuyerErased,
            PartyRef::Seller(_) => AuditAction::SellerErased,
        };
        let event = party_event(
            party,
            action,
            serde_json::json!({ "conversations": conversations, "messages": messages }),
        );
        insert_audit(&mut tx, at, &event).await?;
        tx.commit().await?;
        Ok(Erasure {
            conversations,
            messages,
        })
    }

    #[tracing::instrument(skip_all, fields(party = party.kind(), party_id = %party.id()))]
    async fn export_party(
        &self,
        party: PartyRef,
        at: time::OffsetDateTime,
    ) -> StoreResult<PartyRecords> {
        let id = DbId(party.id());
        // One transaction, so the export is one consistent picture.
        let mut tx = self.begin_write().await?;
        Self::party_exists(&mut tx, party).await?;
        let conversations = sqlx::query_as::<_, rows::ConversationRow>(PARTY_CONVERSATIONS)
            .bind(id)
            .fetch_all(&mut *tx)
            .await?
            .into_iter()
            .map(rows::ConversationRow::into_domain)
            .collect::<StoreResult<Vec<_>>>()?;
        let messages = sqlx::query_as::<_, rows::MessageRow>(PARTY_MESSAGES)
            .bind(id)
            .fetch_all(&mut *tx)
            .await?
            .into_iter()
            .map(rows::MessageRow::into_domain)
            .collect::<StoreResult<Vec<_>>>()?;
        let consents = sqlx::query_as::<_, rows::ConsentRow>(PARTY_CONSENTS)
            .bind(id)
            .fetch_all(&mut *tx)
            .await?
            .into_iter()
            .map(rows::ConsentRow::into_domain)
            .collect::<StoreResult<Vec<_>>>()?;
        let reports = sqlx::query_as::<_, rows::ReportRow>(PARTY_REPORTS)
            .bind(id)
            .fetch_all(&mut *tx)
            .await?
            .into_iter()
            .map(rows::ReportRow::into_domain)
            .collect::<StoreResult<Vec<_>>>()?;
        let help_domains = match party {
            PartyRef::Seller(seller) => super::help_domains::load(&mut tx, seller).await?.domains,
            PartyRef::Buyer(_) => Vec::new(),
        };
        let audit = sqlx::query_as::<_, rows::AuditRow>(PARTY_AUDIT)
            .bind(id)
            .bind(party.id().to_string())
            .fetch_all(&mut *tx)
            .await?
            .into_iter()
            .map(rows::AuditRow::into_domain)
            .collect();
        let action = match party {
            PartyRef::Buyer(_) => AuditAction::BuyerExported,
            PartyRef::Seller(_) => AuditAction::SellerExported,
        };
        let event = party_event(
            party,
            action,
            serde_json::json!({ "conversations": conversations.len(), "messages": messages.len() }),
        );
        insert_audit(&mut tx, at, &event).await?;
        tx.commit().await?;
        Ok(PartyRecords {
            party,
            conversations,
            messages,
            consents,
            reports,
            help_domains,
            audit,
        })
    }
}
