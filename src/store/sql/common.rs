//! Steps the aggregates share inside one transaction.
//!
//! Compiled once per engine: `super` is the backend module (`Db`, `Backend`).

use crate::domain::{
    AuditAction, ConsentActor, ConsentId, ConsentRequest, ContactKind, Conversation,
    ConversationId, DeliveryId, DeliveryKind, DeliveryStatus, MessageId, MessageStatus,
    NewAuditEvent, NewMessage, StoredMessage,
};
use crate::store::rows::{self, DbId, DbTime};
use crate::store::sql::{consent_select, conversation_select, message_select};
use crate::store::{StoreError, StoreResult};

use super::Db;

const INSERT_DELIVERY: &str = r#"
    insert into deliveries
        (id, message_id, kind, status, attempts, next_attempt_at, created_at, updated_at)
    values ($1, $2, $3, 'pending', 0, $4, $4, $4)
"#;

const FINISH_DELIVERY: &str = r#"
    update deliveries
    set status = $1,
        attempts = attempts + 1,
        next_attempt_at = coalesce($2, next_attempt_at),
        last_error = $3,
        updated_at = $4,
        -- The attempt is over: until the next send claim, a staff
        -- decision may withdraw a notice again.
        sending_at = null
    where id = $5 and status = 'pending'
    returning id, message_id, kind, attempts, next_attempt_at, created_at
"#;

const DELIVERY_STATUS: &str = r#"
    select status from deliveries where id = $1
"#;

const INSERT_ATTEMPT: &str = r#"
    insert into delivery_attempts (delivery_id, attempted_at, succeeded, error)
    values ($1, $2, $3, $4)
"#;

const SET_MESSAGE_STATUS: &str = r#"
    update messages set status = $1, updated_at = $2 where id = $3
"#;

const INSERT_MESSAGE: &str = r#"
    insert into messages
        (id, conversation_id, direction, source, subject, original_body, body,
         html, raw_mime, findings, action, status, original_message_id,
         relayed_message_id, in_reply_to, reference_ids, read_at,
         created_at, updated_at, files, sender_name, recipient_name)
    values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15,
            $16, null, $17, $17, $18, $19, $20)
"#;

const INSERT_ORDER: &str = r#"
    insert into conversation_orders (conversation_id, order_id, created_at)
    values ($1, $2, $3)
    on conflict (conversation_id, order_id) do nothing
"#;

const DUE_CONSENTS: &str = r#"
    select id
    from consents
    where status in ('requested', 'granted') and expires_at <= $1
    order by expires_at, id
"#;

const EXPIRE_CONSENT: &str = r#"
    update consents
    set status = 'expired', ended_at = $1
    where id = $2 and status in ('requested', 'granted') and expires_at <= $1
"#;

/// The buyer's number goes once no phone grant of theirs holds, in any
/// conversation: it was kept only to pass on under a grant.
const DELETE_UNCONSENTED_PHONE: &str = r#"
    update buyers
    set phone = null, updated_at = $1
    where id = (select buyer_id from conversations where id = $2)
      and phone is not null
      and not exists (
          select 1
          from consents k
          join conversations c on c.id = k.conversation_id
          where c.buyer_id = buyers.id
            and k.kind = 'phone' and k.status = 'granted' and k.expires_at > $1
      )
    returning id
"#;

/// Appends one audit event inside the caller's transaction.
const LOAD_CONVERSATION: &str = concat!(conversation_select!(), "where c.id = $1");

const LOAD_MESSAGE: &str = concat!(message_select!(), "where m.id = $1");

const LOAD_CONSENT: &str = concat!(consent_select!(), "where k.id = $1");

const LOAD_REPORT: &str = concat!(
    crate::store::sql::report_select!(),
    "where r.message_id = $1"
);

const LOAD_REPORT_2: &str = concat!(crate::store::sql::report_select!(), "where r.id = $1");

pub(super) async fn insert_audit(
    conn: &mut <Db as sqlx::Database>::Connection,
    at: time::OffsetDateTime,
    event: &NewAuditEvent,
) -> StoreResult<()> {
    insert_audits(conn, at, std::slice::from_ref(event)).await
}

/// `head` (ending in `in (`), the messages' ids as parameters, `)` and
/// `tail`: one statement for a page of messages.
pub(super) fn for_messages(
    head: &'static str,
    messages: &[MessageId],
    tail: &'static str,
) -> sqlx::QueryBuilder<Db> {
    let mut query = sqlx::QueryBuilder::<Db>::new(head);
    let mut ids = query.separated(", ");
    for id in messages {
        ids.push_bind(DbId(id.0));
    }
    query.push(")");
    query.push(tail);
    query
}

/// Appends events inside the caller's transaction, up to a hundred per
/// statement: a page of staff reads is one round trip, not fifty.
pub(super) async fn insert_audits(
    conn: &mut <Db as sqlx::Database>::Connection,
    at: time::OffsetDateTime,
    events: &[NewAuditEvent],
) -> StoreResult<()> {
    for chunk in events.chunks(100) {
        let mut insert = sqlx::QueryBuilder::<Db>::new(
            "insert into audit_events \
             (at, actor_kind, actor_id, action, subject_kind, subject_id, details) ",
        );
        insert.push_values(chunk, |mut row, event| {
            row.push_bind(DbTime(at))
                .push_bind(rows::text(&event.actor_kind).into_owned())
                .push_bind(rows::opt_text(event.actor_id.as_deref()))
                .push_bind(event.action.as_str())
                .push_bind(rows::text(&event.subject_kind).into_owned())
                .push_bind(rows::text(&event.subject_id).into_owned())
                .push_bind(rows::json(&event.details));
        });
        insert.build().execute(&mut *conn).await?;
    }
    Ok(())
}

pub(super) async fn load_conversation(
    conn: &mut <Db as sqlx::Database>::Connection,
    id: ConversationId,
) -> StoreResult<Conversation> {
    sqlx::query_as::<_, rows::ConversationRow>(LOAD_CONVERSATION)
        .bind(DbId(id.0))
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound)?
        .into_domain()
}

pub(super) async fn load_message(
    conn: &mut <Db as sqlx::Database>::Connection,
    id: MessageId,
) -> StoreResult<StoredMessage> {
    sqlx::query_as::<_, rows::MessageRow>(LOAD_MESSAGE)
        .bind(DbId(id.0))
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound)?
        .into_domain()
}

/// A new queue entry, due at once.
pub(super) async fn insert_delivery(
    conn: &mut <Db as sqlx::Database>::Connection,
    message: MessageId,
    kind: DeliveryKind,
    at: time::OffsetDateTime,
) -> StoreResult<DeliveryId> {
    let id = DeliveryId::new();
    sqlx::query(INSERT_DELIVERY)
        .bind(DbId(id.0))
        .bind(DbId(message.0))
        .bind(kind.as_str())
        .bind(DbTime(at))
        .execute(&mut *conn)
        .await?;
    Ok(id)
}

/// Finishes a pending queue entry with one conditional update, so two
/// workers reporting on the same entry cannot both count: the loser
/// gets InvalidState (or NotFound for an unknown entry).
pub(super) async fn finish_delivery(
    conn: &mut <Db as sqlx::Database>::Connection,
    id: DeliveryId,
    status: DeliveryStatus,
    retry_at: Option<time::OffsetDateTime>,
    error: Option<&str>,
    at: time::OffsetDateTime,
) -> StoreResult<rows::DeliveryRow> {
    let updated = sqlx::query_as::<_, rows::DeliveryRow>(FINISH_DELIVERY)
        .bind(status.as_str())
        .bind(retry_at.map(DbTime))
        .bind(rows::opt_text(error))
        .bind(DbTime(at))
        .bind(DbId(id.0))
        .fetch_optional(&mut *conn)
        .await?;
    if let Some(row) = updated {
        return Ok(row);
    }
    let current: Option<String> = sqlx::query_scalar(DELIVERY_STATUS)
        .bind(DbId(id.0))
        .fetch_optional(&mut *conn)
        .await?;
    match current {
        None => Err(StoreError::NotFound),
        Some(current) => Err(StoreError::InvalidState(format!(
            "delivery is {current}, not pending"
        ))),
    }
}

pub(super) async fn insert_attempt(
    conn: &mut <Db as sqlx::Database>::Connection,
    delivery: DeliveryId,
    at: time::OffsetDateTime,
    error: Option<&str>,
) -> StoreResult<()> {
    sqlx::query(INSERT_ATTEMPT)
        .bind(DbId(delivery.0))
        .bind(DbTime(at))
        .bind(error.is_none())
        .bind(rows::opt_text(error))
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub(super) async fn set_message_status(
    conn: &mut <Db as sqlx::Database>::Connection,
    message: MessageId,
    status: MessageStatus,
    at: time::OffsetDateTime,
) -> StoreResult<()> {
    sqlx::query(SET_MESSAGE_STATUS)
        .bind(status.as_str())
        .bind(DbTime(at))
        .bind(DbId(message.0))
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Inserts a message with its queue entry and audit events inside the caller's transaction.
pub(super) async fn insert_message(
    conn: &mut <Db as sqlx::Database>::Connection,
    new: &NewMessage,
) -> StoreResult<()> {
    let references: Vec<String> = new
        .references
        .iter()
        .map(|r| rows::text(r).into_owned())
        .collect();
    sqlx::query(INSERT_MESSAGE)
        .bind(DbId(new.id.0))
        .bind(DbId(new.conversation_id.0))
        .bind(new.direction.as_str())
        .bind(new.source.as_str())
        .bind(rows::text(&new.subject).into_owned())
        .bind(rows::text(&new.original_body).into_owned())
        .bind(rows::text(&new.body).into_owned())
        .bind(rows::opt_text(new.html.as_deref()))
        .bind(new.raw_mime.as_deref())
        .bind(rows::json(
            &serde_json::to_value(&new.findings).map_err(anyhow::Error::from)?,
        ))
        .bind(new.action.as_str())
        .bind(new.status.as_str())
        .bind(rows::opt_text(new.original_message_id.as_deref()))
        .bind(rows::text(&new.relayed_message_id).into_owned())
        .bind(rows::opt_text(new.in_reply_to.as_deref()))
        .bind(sqlx::types::Json(references))
        .bind(DbTime(new.created_at))
        .bind(rows::json(
            &serde_json::to_value(&new.files).map_err(anyhow::Error::from)?,
        ))
        .bind(
            new.names
                .as_ref()
                .map(|n| rows::text(&n.sender).into_owned()),
        )
        .bind(
            new.names
                .as_ref()
                .map(|n| rows::text(&n.recipient).into_owned()),
        )
        .execute(&mut *conn)
        .await?;
    if let Some(kind) = new.enqueue {
        insert_delivery(&mut *conn, new.id, kind, new.created_at).await?;
    }
    for event in &new.audit {
        insert_audit(&mut *conn, new.created_at, event).await?;
    }
    if crate::domain::seller_may_see(new.direction, new.status) {
        refresh_last_activity(&mut *conn, new.conversation_id).await?;
    }
    super::stats::count_message(&mut *conn, new).await
}

/// Reads the conversation's last activity the seller may see (the seller
/// list's order) again, after a message they may see arrived or was released.
pub(super) async fn refresh_last_activity(
    conn: &mut <Db as sqlx::Database>::Connection,
    conversation: ConversationId,
) -> StoreResult<()> {
    sqlx::query(crate::store::sql::REFRESH_LAST_ACTIVITY.as_str())
        .bind(DbId(conversation.0))
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Registers an order of a conversation inside the caller's
/// transaction; `false` if it was registered already.
pub(super) async fn insert_order(
    conn: &mut <Db as sqlx::Database>::Connection,
    conversation: ConversationId,
    order_id: &str,
    at: time::OffsetDateTime,
) -> StoreResult<bool> {
    let inserted = sqlx::query(INSERT_ORDER)
        .bind(DbId(conversation.0))
        .bind(rows::text(order_id).into_owned())
        .bind(DbTime(at))
        .execute(&mut *conn)
        .await?
        .rows_affected();
    Ok(inserted == 1)
}

pub(super) async fn load_consent(
    conn: &mut <Db as sqlx::Database>::Connection,
    id: ConsentId,
) -> StoreResult<ConsentRequest> {
    sqlx::query_as::<_, rows::ConsentRow>(LOAD_CONSENT)
        .bind(DbId(id.0))
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound)?
        .into_domain()
}

pub(super) fn consent_event(
    actor: Option<ConsentActor>,
    action: AuditAction,
    consent: &ConsentRequest,
) -> NewAuditEvent {
    NewAuditEvent {
        actor_kind: actor.map_or("system", ConsentActor::kind).into(),
        actor_id: actor.and_then(ConsentActor::id),
        action,
        subject_kind: "consent".into(),
        subject_id: consent.id.to_string(),
        details: serde_json::json!({
            "conversation_id": consent.conversation_id.to_string(),
            "seller_id": consent.seller_id.to_string(),
            "kind": consent.kind.as_str(),
            "purpose": consent.purpose.as_str(),
            "order_id": consent.order_id,
            "status": consent.status.as_str(),
            "expires_at": consent.expires_at
                .format(&time::format_description::well_known::Rfc3339)
                .ok(),
        }),
    }
}

/// Records every open request or grant past its deadline as expired,
/// each with a `consent.expired` event, inside the caller's transaction.
pub(super) async fn expire_due_consents(
    conn: &mut <Db as sqlx::Database>::Connection,
    at: time::OffsetDateTime,
) -> StoreResult<u64> {
    let due: Vec<DbId> = sqlx::query_scalar(DUE_CONSENTS)
        .bind(DbTime(at))
        .fetch_all(&mut *conn)
        .await?;
    let mut expired = 0;
    for id in due {
        // Conditional, so a sweep racing an answer or a revocation counts once.
        let changed = sqlx::query(EXPIRE_CONSENT)
            .bind(DbTime(at))
            .bind(id)
            .execute(&mut *conn)
            .await?
            .rows_affected();
        if changed == 1 {
            let consent = load_consent(&mut *conn, ConsentId(id.0)).await?;
            insert_audit(
                &mut *conn,
                at,
                &consent_event(None, AuditAction::ConsentExpired, &consent),
            )
            .await?;
            delete_unconsented_phone(&mut *conn, &consent, at).await?;
            expired += 1;
        }
    }
    Ok(expired)
}

/// After a consent ended (revoked or expired): if it had been granted, a
/// phone number no other grant holds is deleted, with `buyer.phone_deleted`.
pub(super) async fn delete_unconsented_phone(
    conn: &mut <Db as sqlx::Database>::Connection,
    ended: &ConsentRequest,
    at: time::OffsetDateTime,
) -> StoreResult<()> {
    // Only open records end, so a decision on one means it was a grant.
    if ended.kind != ContactKind::Phone || ended.decided_at.is_none() {
        return Ok(());
    }
    let buyer: Option<DbId> = sqlx::query_scalar(DELETE_UNCONSENTED_PHONE)
        .bind(DbTime(at))
        .bind(DbId(ended.conversation_id.0))
        .fetch_optional(&mut *conn)
        .await?;
    if let Some(buyer) = buyer {
        let event = NewAuditEvent {
            actor_kind: "system".into(),
            actor_id: None,
            action: AuditAction::BuyerPhoneDeleted,
            subject_kind: "buyer".into(),
            subject_id: buyer.0.to_string(),
            details: serde_json::json!({
                "consent_id": ended.id.to_string(),
                "conversation_id": ended.conversation_id.to_string(),
                "consent_status": ended.status.as_str(),
            }),
        };
        insert_audit(&mut *conn, at, &event).await?;
    }
    Ok(())
}

pub(super) fn now() -> time::OffsetDateTime {
    time::OffsetDateTime::now_utc()
}

/// The report with this id, or filed about this message.
pub(super) async fn load_report(
    conn: &mut <Db as sqlx::Database>::Connection,
    by_message: bool,
    id: uuid::Uuid,
) -> StoreResult<Option<crate::domain::Report>> {
    let query = if by_message {
        LOAD_REPORT
    } else {
        LOAD_REPORT_2
    };
    sqlx::query_as::<_, rows::ReportRow>(query)
        .bind(DbId(id))
        .fetch_optional(&mut *conn)
        .await?
        .map(rows::ReportRow::into_domain)
        .transpose()
}
