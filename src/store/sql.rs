//! The `Store` implementation both SQL backends share. The statements run
//! unchanged on Postgres and SQLite (`$N` placeholders, `on conflict`,
//! `returning`); `rows::DbId` and `rows::DbTime` make ids and times mean the
//! same on both. Each backend module supplies `type Db`, its pool, how a
//! write transaction begins, and the one statement that differs: claiming a
//! delivery.

/// The columns every conversation query selects, in `rows::ConversationRow` order.
macro_rules! conversation_select {
    () => {
        r#"
        select c.id, c.buyer_alias, c.seller_alias, c.order_id, c.blocked, c.created_at,
               s.id as seller_id, s.name as seller_name, s.email as seller_email,
               s.external_id as seller_external_id, s.country as seller_country,
               s.suspended as seller_suspended,
               s.created_at as seller_created_at,
               b.id as buyer_id, b.name as buyer_name, b.email as buyer_email,
               b.external_id as buyer_external_id, b.phone as buyer_phone,
               b.country as buyer_country
        from conversations c
        join sellers s on s.id = c.seller_id
        join buyers b on b.id = c.buyer_id
        "#
    };
}
pub(crate) use conversation_select;

/// The columns every message query selects, in `rows::MessageRow` order.
/// Never the raw MIME itself: it can be megabytes and has its own accessor.
macro_rules! message_select {
    () => {
        r#"
        select m.id, m.conversation_id, m.direction, m.source, m.subject,
               m.original_body, m.body, m.html, (m.raw_mime is not null) as has_raw,
               m.findings, m.action, m.status, m.original_message_id,
               m.relayed_message_id, m.in_reply_to, m.reference_ids, m.read_at,
               m.created_at, m.updated_at, m.auto_submitted, m.sender_auth
        from messages m
        "#
    };
}
pub(crate) use message_select;

/// `domain::seller_may_see` as SQL over the messages aliased `m`, built
/// from the function itself so the lists count what the pages show.
pub(crate) fn seller_may_see_sql() -> String {
    use crate::domain::{Direction, MessageStatus, seller_may_see};
    let arms: Vec<String> = [Direction::BuyerToSeller, Direction::SellerToBuyer]
        .into_iter()
        .filter_map(|d| {
            let statuses: Vec<String> = MessageStatus::ALL
                .into_iter()
                .filter(|s| seller_may_see(d, *s))
                .map(|s| format!("'{}'", s.as_str()))
                .collect();
            (!statuses.is_empty()).then(|| {
                format!(
                    "(m.direction = '{}' and m.status in ({}))",
                    d.as_str(),
                    statuses.join(", ")
                )
            })
        })
        .collect();
    if arms.is_empty() {
        "(1 = 0)".to_owned()
    } else {
        format!("({})", arms.join(" or "))
    }
}

/// One line per conversation for the list, filtered by `filter`. `unread`
/// counts the buyer messages the seller may see and has not opened; for a
/// seller's own list, the last activity is also only what they may see, so
/// a withheld message does not show even as a time.
fn summary_sql(filter: &str, for_seller: bool) -> String {
    let visible = seller_may_see_sql();
    let last = if for_seller {
        format!("max(m.created_at) filter (where {visible})")
    } else {
        "max(m.created_at)".to_owned()
    };
    format!(
        r#"
        select c.id, c.seller_id, c.buyer_alias, c.seller_alias,
               b.name as buyer_name, c.order_id, c.blocked,
               s.suspended as seller_suspended,
               {last} as last_message_at,
               count(m.id) filter (
                   where m.direction = 'buyer_to_seller'
                     and m.read_at is null
                     and {visible}
               ) as unread
        from conversations c
        join buyers b on b.id = c.buyer_id
        join sellers s on s.id = c.seller_id
        left join messages m on m.conversation_id = c.id
        {filter}
        group by c.id, b.name, s.suspended
        -- newest activity first; a conversation without messages counts from its creation
        order by coalesce({last}, c.created_at) desc, c.id desc
        "#
    )
}

/// Marks what the seller may see of the buyer's mail as read; a held
/// message released later is still unread.
pub(crate) static MARK_READ_BY_SELLER: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| {
        format!(
            r#"
            update messages
            set read_at = $2
            where id in (
                select m.id
                from messages m
                where m.conversation_id = $1
                  and m.direction = 'buyer_to_seller'
                  and m.read_at is null
                  and {}
            )
            "#,
            seller_may_see_sql()
        )
    });

/// A seller's conversations.
pub(crate) static SELLER_SUMMARIES: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| summary_sql("where c.seller_id = $1", true));
/// Every seller's conversations, for staff.
pub(crate) static ALL_SUMMARIES: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| summary_sql("", false));
/// The staff's search; `$1` is a `like` pattern, `$2` the query as typed.
pub(crate) static SEARCH_SUMMARIES: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    // `lower(..) like lower(..)` rather than Postgres' `ilike`, so the one
    // statement runs on both engines; both sides go through the same
    // engine's `lower()`, so they always agree.
    let search = summary_sql(
        r#"
        where lower(c.buyer_alias) like lower($1) escape '\'
           or lower(c.seller_alias) like lower($1) escape '\'
           or lower(b.name) like lower($1) escape '\'
           or lower(b.email) like lower($1) escape '\'
           or lower(c.order_id) like lower($1) escape '\'
           or lower(s.name) like lower($1) escape '\'
           or lower(s.email) like lower($1) escape '\'
           or lower(cast(c.id as text)) = lower($2)
           or lower(cast(s.id as text)) = lower($2)
           or exists (
               select 1 from messages t
               where t.conversation_id = c.id
                 and (lower(t.subject) like lower($1) escape '\'
                      or lower(t.original_body) like lower($1) escape '\')
           )
        "#,
        false,
    );
    format!("{search} limit $3 offset $4")
});

/// The columns every consent query selects, in `rows::ConsentRow` order.
macro_rules! consent_select {
    () => {
        r#"
        select k.id, k.conversation_id, c.seller_id, k.message_id, k.kind, k.purpose,
               k.status, k.valid_for_days, k.requested_at, k.decided_at, k.expires_at,
               k.ended_at
        from consents k
        join conversations c on c.id = k.conversation_id
        "#
    };
}
pub(crate) use consent_select;

macro_rules! audit_select {
    () => {
        r#"
        select id, at, actor_kind, actor_id, action, subject_kind, subject_id, details
        from audit_events
        "#
    };
}
pub(crate) use audit_select;

/// The columns every report query selects, in `rows::ReportRow` order.
macro_rules! report_select {
    () => {
        r#"
        select r.id, r.message_id, r.conversation_id, c.seller_id, s.name as seller_name,
               m.subject, r.reason, r.comment, r.status, r.created_at, r.resolved_by,
               r.resolution_note, r.resolved_at
        from reports r
        join messages m on m.id = r.message_id
        join conversations c on c.id = r.conversation_id
        join sellers s on s.id = c.seller_id
        "#
    };
}
pub(crate) use report_select;

/// Expands to helper functions and `impl Store for $store` inside a backend
/// module that defines `type Db`, `$store { pool: Pool<Db> }`,
/// `$store::begin_write(&self)` and `const CLAIM_NEXT_DELIVERY: &str`.
macro_rules! sql_store {
    ($store:ident) => {
        use $crate::domain::{
            AuditAction, AuditEvent, DeliveryStatus, ConsentActor, ConsentId, ConsentRequest, ConsentStatus, ContactKind,
            NewConsentRequest, Conversation, ConversationId, ConversationSummary, Delivery,
            DeliveryAttempt, DeliveryId, DeliveryKind, MessageId, MessageStatus, NewAuditEvent,
            NewConversation, NewMessage, Principal, ReceivedMail, ReviewDecision, Seller, SellerId, Staff,
            StaffId, StoredMessage,
        };
        use $crate::store::rows::{self, DbId, DbTime, db_error};
        use $crate::store::sql::{
            audit_select, consent_select, conversation_select, message_select,
        };
        use $crate::store::{NewSeller, NewStaff, Store, StoreError, StoreResult};

        /// Appends one audit event inside the caller's transaction.
        async fn insert_audit(
            conn: &mut <Db as sqlx::Database>::Connection,
            at: time::OffsetDateTime,
            event: &NewAuditEvent,
        ) -> StoreResult<()> {
            sqlx::query(
                r#"
                insert into audit_events
                    (at, actor_kind, actor_id, action, subject_kind, subject_id, details)
                values ($1, $2, $3, $4, $5, $6, $7)
                "#,
            )
            .bind(DbTime(at))
            .bind(rows::text(&event.actor_kind).into_owned())
            .bind(rows::opt_text(event.actor_id.as_deref()))
            .bind(event.action.as_str())
            .bind(rows::text(&event.subject_kind).into_owned())
            .bind(rows::text(&event.subject_id).into_owned())
            .bind(rows::json(&event.details))
            .execute(&mut *conn)
            .await
            .map_err(db_error)?;
            Ok(())
        }

        async fn load_conversation(
            conn: &mut <Db as sqlx::Database>::Connection,
            id: ConversationId,
        ) -> StoreResult<Conversation> {
            sqlx::query_as::<_, rows::ConversationRow>(concat!(
                conversation_select!(),
                "where c.id = $1"
            ))
            .bind(DbId(id.0))
            .fetch_optional(&mut *conn)
            .await
            .map_err(db_error)?
            .ok_or(StoreError::NotFound)?
            .into_domain()
        }

        async fn load_message(
            conn: &mut <Db as sqlx::Database>::Connection,
            id: MessageId,
        ) -> StoreResult<StoredMessage> {
            sqlx::query_as::<_, rows::MessageRow>(concat!(message_select!(), "where m.id = $1"))
                .bind(DbId(id.0))
                .fetch_optional(&mut *conn)
                .await
                .map_err(db_error)?
                .ok_or(StoreError::NotFound)?
                .into_domain()
        }

        /// A new queue entry, due at once.
        async fn insert_delivery(
            conn: &mut <Db as sqlx::Database>::Connection,
            message: MessageId,
            kind: DeliveryKind,
            at: time::OffsetDateTime,
        ) -> StoreResult<DeliveryId> {
            let id = DeliveryId::new();
            sqlx::query(
                r#"
                insert into deliveries
                    (id, message_id, kind, status, attempts, next_attempt_at, created_at, updated_at)
                values ($1, $2, $3, 'pending', 0, $4, $4, $4)
                "#,
            )
            .bind(DbId(id.0))
            .bind(DbId(message.0))
            .bind(kind.as_str())
            .bind(DbTime(at))
            .execute(&mut *conn)
            .await
            .map_err(db_error)?;
            Ok(id)
        }

        /// Finishes a pending queue entry with one conditional update, so two
        /// workers reporting on the same entry cannot both count: the loser
        /// gets InvalidState (or NotFound for an unknown entry).
        async fn finish_delivery(
            conn: &mut <Db as sqlx::Database>::Connection,
            id: DeliveryId,
            status: DeliveryStatus,
            retry_at: Option<time::OffsetDateTime>,
            error: Option<&str>,
            at: time::OffsetDateTime,
        ) -> StoreResult<rows::DeliveryRow> {
            let updated = sqlx::query_as::<_, rows::DeliveryRow>(
                r#"
                update deliveries
                set status = $2,
                    attempts = attempts + 1,
                    next_attempt_at = coalesce($3, next_attempt_at),
                    last_error = $4,
                    updated_at = $5
                where id = $1 and status = 'pending'
                returning id, message_id, kind, attempts, next_attempt_at, created_at
                "#,
            )
            .bind(DbId(id.0))
            .bind(status.as_str())
            .bind(retry_at.map(DbTime))
            .bind(rows::opt_text(error))
            .bind(DbTime(at))
            .fetch_optional(&mut *conn)
            .await
            .map_err(db_error)?;
            if let Some(row) = updated {
                return Ok(row);
            }
            let current: Option<String> =
                sqlx::query_scalar("select status from deliveries where id = $1")
                    .bind(DbId(id.0))
                    .fetch_optional(&mut *conn)
                    .await
                    .map_err(db_error)?;
            match current {
                None => Err(StoreError::NotFound),
                Some(current) => Err(StoreError::InvalidState(format!(
                    "delivery is {current}, not pending"
                ))),
            }
        }

        async fn insert_attempt(
            conn: &mut <Db as sqlx::Database>::Connection,
            delivery: DeliveryId,
            at: time::OffsetDateTime,
            error: Option<&str>,
        ) -> StoreResult<()> {
            sqlx::query(
                r#"
                insert into delivery_attempts (delivery_id, attempted_at, succeeded, error)
                values ($1, $2, $3, $4)
                "#,
            )
            .bind(DbId(delivery.0))
            .bind(DbTime(at))
            .bind(error.is_none())
            .bind(rows::opt_text(error))
            .execute(&mut *conn)
            .await
            .map_err(db_error)?;
            Ok(())
        }

        async fn set_message_status(
            conn: &mut <Db as sqlx::Database>::Connection,
            message: MessageId,
            status: MessageStatus,
            at: time::OffsetDateTime,
        ) -> StoreResult<()> {
            sqlx::query("update messages set status = $2, updated_at = $3 where id = $1")
                .bind(DbId(message.0))
                .bind(status.as_str())
                .bind(DbTime(at))
                .execute(&mut *conn)
                .await
                .map_err(db_error)?;
            Ok(())
        }

        /// Inserts a message with its queue entry and audit events inside the caller's transaction.
        async fn insert_message(
            conn: &mut <Db as sqlx::Database>::Connection,
            new: &NewMessage,
        ) -> StoreResult<()> {
            let references: Vec<String> =
                new.references.iter().map(|r| rows::text(r).into_owned()).collect();
            sqlx::query(
                r#"
                insert into messages
                    (id, conversation_id, direction, source, subject, original_body, body,
                     html, raw_mime, findings, action, status, original_message_id,
                     relayed_message_id, in_reply_to, reference_ids, read_at,
                     created_at, updated_at)
                values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15,
                        $16, null, $17, $17)
                "#,
            )
            .bind(DbId(new.id.0))
            .bind(DbId(new.conversation_id.0))
            .bind(new.direction.as_str())
            .bind(new.source.as_str())
            .bind(rows::text(&new.subject).into_owned())
            .bind(rows::text(&new.original_body).into_owned())
            .bind(rows::text(&new.body).into_owned())
            .bind(rows::opt_text(new.html.as_deref()))
            .bind(new.raw_mime.as_deref())
            .bind(rows::json(&serde_json::to_value(&new.findings).map_err(anyhow::Error::from)?))
            .bind(new.action.as_str())
            .bind(new.status.as_str())
            .bind(rows::opt_text(new.original_message_id.as_deref()))
            .bind(rows::text(&new.relayed_message_id).into_owned())
            .bind(rows::opt_text(new.in_reply_to.as_deref()))
            .bind(sqlx::types::Json(references))
            .bind(DbTime(new.created_at))
            .execute(&mut *conn)
            .await
            .map_err(db_error)?;
            if let Some(kind) = new.enqueue {
                insert_delivery(&mut *conn, new.id, kind, new.created_at).await?;
            }
            for event in &new.audit {
                insert_audit(&mut *conn, new.created_at, event).await?;
            }
            Ok(())
        }

        /// Registers an order of a conversation inside the caller's
        /// transaction; `false` if it was registered already.
        async fn insert_order(
            conn: &mut <Db as sqlx::Database>::Connection,
            conversation: ConversationId,
            order_id: &str,
            at: time::OffsetDateTime,
        ) -> StoreResult<bool> {
            let inserted = sqlx::query(
                r#"
                insert into conversation_orders (conversation_id, order_id, created_at)
                values ($1, $2, $3)
                on conflict (conversation_id, order_id) do nothing
                "#,
            )
            .bind(DbId(conversation.0))
            .bind(rows::text(order_id).into_owned())
            .bind(DbTime(at))
            .execute(&mut *conn)
            .await
            .map_err(db_error)?
            .rows_affected();
            Ok(inserted == 1)
        }

        async fn load_consent(
            conn: &mut <Db as sqlx::Database>::Connection,
            id: ConsentId,
        ) -> StoreResult<ConsentRequest> {
            sqlx::query_as::<_, rows::ConsentRow>(concat!(consent_select!(), "where k.id = $1"))
                .bind(DbId(id.0))
                .fetch_optional(&mut *conn)
                .await
                .map_err(db_error)?
                .ok_or(StoreError::NotFound)?
                .into_domain()
        }

        fn consent_event(
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
                    "status": consent.status.as_str(),
                    "expires_at": consent.expires_at
                        .format(&time::format_description::well_known::Rfc3339)
                        .ok(),
                }),
            }
        }

        /// Records every open request or grant past its deadline as expired,
        /// each with a `consent.expired` event, inside the caller's transaction.
        async fn expire_due_consents(
            conn: &mut <Db as sqlx::Database>::Connection,
            at: time::OffsetDateTime,
        ) -> StoreResult<u64> {
            let due: Vec<DbId> = sqlx::query_scalar(
                r#"
                select id
                from consents
                where status in ('requested', 'granted') and expires_at <= $1
                order by expires_at, id
                "#,
            )
            .bind(DbTime(at))
            .fetch_all(&mut *conn)
            .await
            .map_err(db_error)?;
            let mut expired = 0;
            for id in due {
                // Conditional, so a sweep racing an answer or a revocation counts once.
                let changed = sqlx::query(
                    r#"
                    update consents
                    set status = 'expired', ended_at = $2
                    where id = $1 and status in ('requested', 'granted') and expires_at <= $2
                    "#,
                )
                .bind(id)
                .bind(DbTime(at))
                .execute(&mut *conn)
                .await
                .map_err(db_error)?
                .rows_affected();
                if changed == 1 {
                    let consent = load_consent(&mut *conn, ConsentId(id.0)).await?;
                    insert_audit(&mut *conn, at, &consent_event(None, AuditAction::ConsentExpired, &consent))
                        .await?;
                    expired += 1;
                }
            }
            Ok(expired)
        }

        fn now() -> time::OffsetDateTime {
            time::OffsetDateTime::now_utc()
        }

        #[async_trait::async_trait]
        impl Store for $store {
            #[tracing::instrument(skip_all)]
            async fn ping(&self) -> StoreResult<()> {
                sqlx::query("select 1")
                    .execute(&self.pool)
                    .await
                    .map_err(db_error)?;
                Ok(())
            }

            #[tracing::instrument(skip_all)]
            async fn create_seller(&self, new: &NewSeller, token_hash: &str) -> StoreResult<Seller> {
                let at = now();
                let id = SellerId::new();
                let mut tx = self.begin_write().await?;
                let seller = sqlx::query_as::<_, rows::SellerRow>(
                    r#"
                    insert into sellers (id, name, email, external_id, country, suspended, created_at)
                    values ($1, $2, $3, $4, $6, false, $5)
                    returning id, name, email, external_id, country, suspended, created_at
                    "#,
                )
                .bind(DbId(id.0))
                .bind(rows::text(&new.name).into_owned())
                .bind(new.email.as_str().to_owned())
                .bind(rows::opt_text(new.external_id.as_deref()))
                .bind(DbTime(at))
                .bind(new.country.clone())
                .fetch_one(&mut *tx)
                .await
                .map_err(db_error)?
                .into_domain()?;
                sqlx::query(
                    r#"
                    insert into api_tokens (token_hash, role, seller_id, created_at)
                    values ($1, 'seller', $2, $3)
                    "#,
                )
                .bind(rows::text(token_hash).into_owned())
                .bind(DbId(id.0))
                .bind(DbTime(at))
                .execute(&mut *tx)
                .await
                .map_err(db_error)?;
                let event = NewAuditEvent {
                    actor_kind: "operator".into(),
                    actor_id: None,
                    action: AuditAction::SellerCreated,
                    subject_kind: "seller".into(),
                    subject_id: id.to_string(),
                    details: serde_json::json!({ "external_id": seller.external_id }),
                };
                insert_audit(&mut tx, at, &event).await?;
                tx.commit().await.map_err(db_error)?;
                Ok(seller)
            }

            #[tracing::instrument(skip_all)]
            async fn create_staff(&self, new: &NewStaff, token_hash: &str) -> StoreResult<Staff> {
                let at = now();
                let id = StaffId::new();
                let mut tx = self.begin_write().await?;
                let staff = sqlx::query_as::<_, rows::StaffRow>(
                    r#"
                    insert into staff (id, name, email, created_at)
                    values ($1, $2, $3, $4)
                    returning id, name, email
                    "#,
                )
                .bind(DbId(id.0))
                .bind(rows::text(&new.name).into_owned())
                .bind(new.email.as_str().to_owned())
                .bind(DbTime(at))
                .fetch_one(&mut *tx)
                .await
                .map_err(db_error)?
                .into_domain()?;
                sqlx::query(
                    r#"
                    insert into api_tokens (token_hash, role, staff_id, created_at)
                    values ($1, 'staff', $2, $3)
                    "#,
                )
                .bind(rows::text(token_hash).into_owned())
                .bind(DbId(id.0))
                .bind(DbTime(at))
                .execute(&mut *tx)
                .await
                .map_err(db_error)?;
                let event = NewAuditEvent {
                    actor_kind: "operator".into(),
                    actor_id: None,
                    action: AuditAction::StaffCreated,
                    subject_kind: "staff".into(),
                    subject_id: id.to_string(),
                    details: serde_json::json!({}),
                };
                insert_audit(&mut tx, at, &event).await?;
                tx.commit().await.map_err(db_error)?;
                Ok(staff)
            }

            #[tracing::instrument(skip_all, fields(seller_id = %id))]
            async fn get_seller(&self, id: SellerId) -> StoreResult<Seller> {
                sqlx::query_as::<_, rows::SellerRow>(
                    r#"
                    select id, name, email, external_id, country, suspended, created_at
                    from sellers
                    where id = $1
                    "#,
                )
                .bind(DbId(id.0))
                .fetch_optional(&self.pool)
                .await
                .map_err(db_error)?
                .ok_or(StoreError::NotFound)?
                .into_domain()
            }

            #[tracing::instrument(skip_all, fields(staff_id = %id))]
            async fn get_staff(&self, id: StaffId) -> StoreResult<Staff> {
                sqlx::query_as::<_, rows::StaffRow>("select id, name, email from staff where id = $1")
                    .bind(DbId(id.0))
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(db_error)?
                    .ok_or(StoreError::NotFound)?
                    .into_domain()
            }

            #[tracing::instrument(skip_all)]
            async fn has_operator_token(&self) -> StoreResult<bool> {
                let n: i64 =
                    sqlx::query_scalar("select count(*) from api_tokens where role = 'operator'")
                        .fetch_one(&self.pool)
                        .await
                        .map_err(db_error)?;
                Ok(n > 0)
            }

            #[tracing::instrument(skip_all)]
            async fn add_operator_token(&self, token_hash: &str) -> StoreResult<()> {
                let at = now();
                let mut tx = self.begin_write().await?;
                sqlx::query(
                    r#"
                    insert into api_tokens (token_hash, role, created_at)
                    values ($1, 'operator', $2)
                    "#,
                )
                .bind(rows::text(token_hash).into_owned())
                .bind(DbTime(at))
                .execute(&mut *tx)
                .await
                .map_err(db_error)?;
                let event = NewAuditEvent::system(
                    AuditAction::OperatorTokenCreated,
                    "token",
                    "operator",
                    serde_json::json!({}),
                );
                insert_audit(&mut tx, at, &event).await?;
                tx.commit().await.map_err(db_error)?;
                Ok(())
            }

            #[tracing::instrument(skip_all)]
            async fn principal_for_token(&self, token_hash: &str) -> StoreResult<Option<Principal>> {
                sqlx::query_as::<_, rows::TokenRow>(
                    "select role, seller_id, staff_id from api_tokens where token_hash = $1",
                )
                .bind(rows::text(token_hash).into_owned())
                .fetch_optional(&self.pool)
                .await
                .map_err(db_error)?
                .map(rows::TokenRow::into_domain)
                .transpose()
            }

            #[tracing::instrument(skip_all)]
            async fn replace_api_tokens(
                &self,
                owner: $crate::store::accounts::Account,
                new_hash: Option<&str>,
            ) -> StoreResult<()> {
                use $crate::store::accounts::Account;
                let at = now();
                let (role, seller, staff, subject) = match owner {
                    Account::Seller(id) => ("seller", Some(DbId(id.0)), None, id.to_string()),
                    Account::Staff(id) => ("staff", None, Some(DbId(id.0)), id.to_string()),
                };
                let mut tx = self.begin_write().await?;
                let exists: i64 = match owner {
                    Account::Seller(_) => sqlx::query_scalar("select count(*) from sellers where id = $1"),
                    Account::Staff(_) => sqlx::query_scalar("select count(*) from staff where id = $1"),
                }
                .bind(seller.or(staff))
                .fetch_one(&mut *tx)
                .await
                .map_err(db_error)?;
                if exists == 0 {
                    return Err(StoreError::NotFound);
                }
                let revoked = sqlx::query(
                    "delete from api_tokens where role = $1 and (seller_id = $2 or staff_id = $3)",
                )
                .bind(role)
                .bind(seller)
                .bind(staff)
                .execute(&mut *tx)
                .await
                .map_err(db_error)?
                .rows_affected();
                if let Some(hash) = new_hash {
                    sqlx::query(
                        r#"
                        insert into api_tokens (token_hash, role, seller_id, staff_id, created_at)
                        values ($1, $2, $3, $4, $5)
                        "#,
                    )
                    .bind(rows::text(hash).into_owned())
                    .bind(role)
                    .bind(seller)
                    .bind(staff)
                    .bind(DbTime(at))
                    .execute(&mut *tx)
                    .await
                    .map_err(db_error)?;
                }
                let action = match (owner, new_hash) {
                    (Account::Seller(_), Some(_)) => AuditAction::SellerTokenRotated,
                    (Account::Seller(_), None) => AuditAction::SellerTokenRevoked,
                    (Account::Staff(_), Some(_)) => AuditAction::StaffTokenRotated,
                    (Account::Staff(_), None) => AuditAction::StaffTokenRevoked,
                };
                let event = NewAuditEvent::new(
                    "operator",
                    None,
                    action,
                    role,
                    subject,
                    serde_json::json!({ "tokens_revoked": revoked }),
                );
                insert_audit(&mut tx, at, &event).await?;
                tx.commit().await.map_err(db_error)?;
                Ok(())
            }

            #[tracing::instrument(skip_all)]
            async fn revoke_operator_tokens(&self) -> StoreResult<u64> {
                let at = now();
                let mut tx = self.begin_write().await?;
                let revoked = sqlx::query("delete from api_tokens where role = 'operator'")
                    .execute(&mut *tx)
                    .await
                    .map_err(db_error)?
                    .rows_affected();
                if revoked > 0 {
                    let event = NewAuditEvent::system(
                        AuditAction::OperatorTokenRevoked,
                        "token",
                        "operator",
                        serde_json::json!({ "tokens_revoked": revoked }),
                    );
                    insert_audit(&mut tx, at, &event).await?;
                }
                tx.commit().await.map_err(db_error)?;
                Ok(revoked)
            }

            #[tracing::instrument(skip_all, fields(seller_id = %new.seller_id))]
            async fn find_or_create_conversation(
                &self,
                new: &NewConversation,
            ) -> StoreResult<(Conversation, bool)> {
                let at = now();
                let mut tx = self.begin_write().await?;
                let seller_exists: i64 =
                    sqlx::query_scalar("select count(*) from sellers where id = $1")
                        .bind(DbId(new.seller_id.0))
                        .fetch_one(&mut *tx)
                        .await
                        .map_err(db_error)?;
                if seller_exists == 0 {
                    return Err(StoreError::NotFound);
                }
                // The buyer is known by real address; the latest request names them.
                let buyer_id: DbId = sqlx::query_scalar(
                    r#"
                    insert into buyers (id, email, name, external_id, phone, country, created_at, updated_at)
                    values ($1, $2, $3, $4, $6, $7, $5, $5)
                    on conflict (email) do update
                    set name = excluded.name,
                        external_id = coalesce(excluded.external_id, buyers.external_id),
                        phone = coalesce(excluded.phone, buyers.phone),
                        country = coalesce(excluded.country, buyers.country),
                        updated_at = excluded.updated_at
                    returning id
                    "#,
                )
                .bind(DbId($crate::domain::BuyerId::new().0))
                .bind(new.buyer.email.as_str().to_owned())
                .bind(rows::text(&new.buyer.name).into_owned())
                .bind(rows::opt_text(new.buyer.external_id.as_deref()))
                .bind(DbTime(at))
                .bind(new.buyer.phone.as_ref().map(|p| p.as_str().to_owned()))
                .bind(new.buyer.country.clone())
                .fetch_one(&mut *tx)
                .await
                .map_err(db_error)?;
                let buyer_alias = rows::text(&new.buyer_alias).to_lowercase();
                let seller_alias = rows::text(&new.seller_alias).to_lowercase();
                // The pair is unique: a concurrent or repeated request inserts
                // nothing here and reads the existing conversation below.
                let created: Option<DbId> = sqlx::query_scalar(
                    r#"
                    insert into conversations
                        (id, seller_id, buyer_id, buyer_alias, seller_alias, order_id, blocked, created_at)
                    values ($1, $2, $3, $4, $5, $6, false, $7)
                    on conflict (seller_id, buyer_id) do nothing
                    returning id
                    "#,
                )
                .bind(DbId(ConversationId::new().0))
                .bind(DbId(new.seller_id.0))
                .bind(buyer_id)
                .bind(buyer_alias.clone())
                .bind(seller_alias.clone())
                .bind(rows::opt_text(new.order_id.as_deref()))
                .bind(DbTime(at))
                .fetch_optional(&mut *tx)
                .await
                .map_err(db_error)?;
                let id = match created {
                    Some(id) => {
                        for (local_part, side) in [(&buyer_alias, "buyer"), (&seller_alias, "seller")] {
                            sqlx::query(
                                r#"
                                insert into aliases (local_part, conversation_id, side)
                                values ($1, $2, $3)
                                "#,
                            )
                            .bind(local_part.clone())
                            .bind(id)
                            .bind(side)
                            .execute(&mut *tx)
                            .await
                            .map_err(db_error)?;
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
                    None => sqlx::query_scalar(
                        "select id from conversations where seller_id = $1 and buyer_id = $2",
                    )
                    .bind(DbId(new.seller_id.0))
                    .bind(buyer_id)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(db_error)?,
                };
                if let Some(order_id) = &new.order_id {
                    insert_order(&mut tx, ConversationId(id.0), order_id, at).await?;
                }
                let conversation = load_conversation(&mut tx, ConversationId(id.0)).await?;
                tx.commit().await.map_err(db_error)?;
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
                tx.commit().await.map_err(db_error)?;
                Ok(added)
            }

            #[tracing::instrument(skip_all, fields(conversation_id = %conversation))]
            async fn conversation_orders(
                &self,
                conversation: ConversationId,
            ) -> StoreResult<Vec<String>> {
                sqlx::query_scalar(
                    r#"
                    select order_id
                    from conversation_orders
                    where conversation_id = $1
                    order by created_at, order_id
                    "#,
                )
                .bind(DbId(conversation.0))
                .fetch_all(&self.pool)
                .await
                .map_err(db_error)
            }

            #[tracing::instrument(skip_all, fields(conversation_id = %id))]
            async fn get_conversation(&self, id: ConversationId) -> StoreResult<Conversation> {
                let mut conn = self.pool.acquire().await.map_err(db_error)?;
                load_conversation(&mut conn, id).await
            }

            #[tracing::instrument(skip_all)]
            async fn conversation_by_alias(
                &self,
                local_part: &str,
            ) -> StoreResult<Option<Conversation>> {
                sqlx::query_as::<_, rows::ConversationRow>(concat!(
                    conversation_select!(),
                    "where c.id = (select conversation_id from aliases where local_part = $1)"
                ))
                .bind(rows::text(local_part).to_lowercase())
                .fetch_optional(&self.pool)
                .await
                .map_err(db_error)?
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
                    Some(_) => sqlx::query_as::<_, rows::SummaryRow>(
                        $crate::store::sql::SELLER_SUMMARIES.as_str(),
                    ),
                    None => sqlx::query_as::<_, rows::SummaryRow>(
                        $crate::store::sql::ALL_SUMMARIES.as_str(),
                    ),
                };
                let query = match seller {
                    Some(id) => query.bind(DbId(id.0)),
                    None => query,
                };
                let rows = query.fetch_all(&self.pool).await.map_err(db_error)?;
                Ok(rows.into_iter().map(rows::SummaryRow::into_domain).collect())
            }

            #[tracing::instrument(skip_all, fields(message_id = %new.id, conversation_id = %new.conversation_id))]
            async fn store_message(&self, new: &NewMessage) -> StoreResult<StoredMessage> {
                let mut tx = self.begin_write().await?;
                insert_message(&mut tx, new).await?;
                let stored = load_message(&mut tx, new.id).await?;
                tx.commit().await.map_err(db_error)?;
                Ok(stored)
            }

            #[tracing::instrument(skip_all, fields(message_id = %id))]
            async fn get_message(&self, id: MessageId) -> StoreResult<StoredMessage> {
                let mut conn = self.pool.acquire().await.map_err(db_error)?;
                load_message(&mut conn, id).await
            }

            #[tracing::instrument(skip_all, fields(message_id = %id))]
            async fn raw_mime(&self, id: MessageId) -> StoreResult<Option<Vec<u8>>> {
                let raw: Option<Option<Vec<u8>>> =
                    sqlx::query_scalar("select raw_mime from messages where id = $1")
                        .bind(DbId(id.0))
                        .fetch_optional(&self.pool)
                        .await
                        .map_err(db_error)?;
                raw.ok_or(StoreError::NotFound)
            }

            #[tracing::instrument(skip_all, fields(conversation_id = %conversation))]
            async fn list_messages(
                &self,
                conversation: ConversationId,
            ) -> StoreResult<Vec<StoredMessage>> {
                sqlx::query_as::<_, rows::MessageRow>(concat!(
                    message_select!(),
                    "where m.conversation_id = $1 order by m.created_at, m.id"
                ))
                .bind(DbId(conversation.0))
                .fetch_all(&self.pool)
                .await
                .map_err(db_error)?
                .into_iter()
                .map(rows::MessageRow::into_domain)
                .collect()
            }

            #[tracing::instrument(skip_all, fields(conversation_id = %conversation))]
            async fn mark_read_by_seller(
                &self,
                conversation: ConversationId,
                at: time::OffsetDateTime,
            ) -> StoreResult<()> {
                let mut tx = self.begin_write().await?;
                let seller_id: DbId =
                    sqlx::query_scalar("select seller_id from conversations where id = $1")
                        .bind(DbId(conversation.0))
                        .fetch_optional(&mut *tx)
                        .await
                        .map_err(db_error)?
                        .ok_or(StoreError::NotFound)?;
                let read = sqlx::query($crate::store::sql::MARK_READ_BY_SELLER.as_str())
                .bind(DbId(conversation.0))
                .bind(DbTime(at))
                .execute(&mut *tx)
                .await
                .map_err(db_error)?
                .rows_affected();
                if read > 0 {
                    let event = NewAuditEvent {
                        actor_kind: "seller".into(),
                        actor_id: Some(seller_id.0.to_string()),
                        action: AuditAction::MessageRead,
                        subject_kind: "conversation".into(),
                        subject_id: conversation.to_string(),
                        details: serde_json::json!({ "messages": read }),
                    };
                    insert_audit(&mut tx, at, &event).await?;
                }
                tx.commit().await.map_err(db_error)?;
                Ok(())
            }

            #[tracing::instrument(skip_all)]
            async fn held_messages(&self) -> StoreResult<Vec<StoredMessage>> {
                sqlx::query_as::<_, rows::MessageRow>(concat!(
                    message_select!(),
                    "where m.status = 'held' order by m.created_at, m.id"
                ))
                .fetch_all(&self.pool)
                .await
                .map_err(db_error)?
                .into_iter()
                .map(rows::MessageRow::into_domain)
                .collect()
            }

            #[tracing::instrument(skip_all, fields(message_id = %id, staff_id = %staff))]
            async fn review_message(
                &self,
                id: MessageId,
                decision: ReviewDecision,
                staff: StaffId,
                note: Option<&str>,
                at: time::OffsetDateTime,
            ) -> StoreResult<StoredMessage> {
                let (status, kind, action) = match decision {
                    ReviewDecision::Release => {
                        (MessageStatus::Queued, DeliveryKind::Relay, AuditAction::MessageReleased)
                    }
                    ReviewDecision::Reject => {
                        (MessageStatus::Rejected, DeliveryKind::Notice, AuditAction::MessageRejected)
                    }
                };
                let mut tx = self.begin_write().await?;
                let staff_exists: i64 = sqlx::query_scalar("select count(*) from staff where id = $1")
                    .bind(DbId(staff.0))
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(db_error)?;
                if staff_exists == 0 {
                    return Err(StoreError::NotFound);
                }
                // Only a held message changes: two reviewers racing cannot both win.
                let changed = sqlx::query(
                    r#"
                    update messages
                    set status = $2, updated_at = $3
                    where id = $1 and status = 'held'
                    "#,
                )
                .bind(DbId(id.0))
                .bind(status.as_str())
                .bind(DbTime(at))
                .execute(&mut *tx)
                .await
                .map_err(db_error)?
                .rows_affected();
                if changed == 0 {
                    let current = load_message(&mut tx, id).await?;
                    return Err(StoreError::InvalidState(format!(
                        "message is {}, not held",
                        current.status.as_str()
                    )));
                }
                // Automatic mail is never answered (RFC 3834), and a sender
                // who failed authentication may not be who the notice would reach.
                let answerable: bool = sqlx::query_scalar(
                    r#"
                    select auto_submitted is null and coalesce(sender_auth, '') <> 'fail'
                    from messages
                    where id = $1
                    "#,
                )
                .bind(DbId(id.0))
                .fetch_one(&mut *tx)
                .await
                .map_err(db_error)?;
                let delivery = if kind == DeliveryKind::Notice && !answerable {
                    None
                } else {
                    Some(insert_delivery(&mut tx, id, kind, at).await?)
                };
                let event = NewAuditEvent::by_staff(
                    staff,
                    action,
                    "message",
                    id,
                    serde_json::json!({
                        "note": note,
                        "delivery_id": delivery.map(|d| d.to_string()),
                    }),
                );
                insert_audit(&mut tx, at, &event).await?;
                let message = load_message(&mut tx, id).await?;
                tx.commit().await.map_err(db_error)?;
                Ok(message)
            }

            #[tracing::instrument(skip_all, fields(conversation_id = %conversation))]
            async fn message_by_header_id(
                &self,
                conversation: ConversationId,
                header_id: &str,
            ) -> StoreResult<Option<StoredMessage>> {
                let header_id = rows::text(header_id).into_owned();
                // Either header id; `or` lets each side use its own index.
                let found = sqlx::query_as::<_, rows::MessageRow>(concat!(
                    message_select!(),
                    r#"
                    where m.conversation_id = $1
                      and (m.relayed_message_id = $2 or m.original_message_id = $2)
                    order by m.created_at desc, m.id desc
                    limit 1
                    "#
                ))
                .bind(DbId(conversation.0))
                .bind(header_id)
                .fetch_optional(&self.pool)
                .await
                .map_err(db_error)?;
                found.map(rows::MessageRow::into_domain).transpose()
            }

            #[tracing::instrument(skip_all)]
            async fn claim_next_delivery(
                &self,
                now: time::OffsetDateTime,
                lease: std::time::Duration,
            ) -> StoreResult<Option<Delivery>> {
                let lease = time::Duration::try_from(lease)
                    .map_err(|e| StoreError::Other(anyhow::anyhow!("lease out of range: {e}")))?;
                let until = now
                    .checked_add(lease)
                    .ok_or_else(|| StoreError::Other(anyhow::anyhow!("lease out of range")))?;
                sqlx::query_as::<_, rows::DeliveryRow>(CLAIM_NEXT_DELIVERY)
                    .bind(DbTime(now))
                    .bind(DbTime(until))
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(db_error)?
                    .map(rows::DeliveryRow::into_domain)
                    .transpose()
            }

            #[tracing::instrument(skip_all, fields(delivery_id = %delivery))]
            async fn record_delivery_success(
                &self,
                delivery: DeliveryId,
                at: time::OffsetDateTime,
            ) -> StoreResult<()> {
                let mut tx = self.begin_write().await?;
                let row = finish_delivery(&mut tx, delivery, DeliveryStatus::Sent, None, None, at).await?;
                let kind = rows::delivery_kind(&row.kind)?;
                let message = MessageId(row.message_id.0);
                insert_attempt(&mut tx, delivery, at, None).await?;
                if kind != DeliveryKind::Notice {
                    set_message_status(&mut tx, message, MessageStatus::Sent, at).await?;
                }
                let event = NewAuditEvent::system(
                    AuditAction::MessageDelivered,
                    "message",
                    message,
                    serde_json::json!({
                        "delivery_id": delivery.to_string(),
                        "kind": kind.as_str(),
                        "attempts": row.attempts,
                    }),
                );
                insert_audit(&mut tx, at, &event).await?;
                tx.commit().await.map_err(db_error)?;
                Ok(())
            }

            #[tracing::instrument(skip_all, fields(delivery_id = %delivery))]
            async fn record_delivery_failure(
                &self,
                delivery: DeliveryId,
                at: time::OffsetDateTime,
                error: &str,
                retry_at: Option<time::OffsetDateTime>,
            ) -> StoreResult<()> {
                let mut tx = self.begin_write().await?;
                let status = if retry_at.is_some() {
                    DeliveryStatus::Pending
                } else {
                    DeliveryStatus::Failed
                };
                let row =
                    finish_delivery(&mut tx, delivery, status, retry_at, Some(error), at).await?;
                let kind = rows::delivery_kind(&row.kind)?;
                let message = MessageId(row.message_id.0);
                insert_attempt(&mut tx, delivery, at, Some(error)).await?;
                if retry_at.is_none() {
                    if kind != DeliveryKind::Notice {
                        set_message_status(&mut tx, message, MessageStatus::Failed, at).await?;
                    }
                    // The error text can quote a recipient address, so it stays
                    // in the queue table and out of the audit log.
                    let event = NewAuditEvent::system(
                        AuditAction::MessageDeliveryFailed,
                        "message",
                        message,
                        serde_json::json!({
                            "delivery_id": delivery.to_string(),
                            "kind": kind.as_str(),
                            "attempts": row.attempts,
                        }),
                    );
                    insert_audit(&mut tx, at, &event).await?;
                }
                tx.commit().await.map_err(db_error)?;
                Ok(())
            }

            #[tracing::instrument(skip_all, fields(message_id = %message))]
            async fn delivery_attempts(&self, message: MessageId) -> StoreResult<Vec<DeliveryAttempt>> {
                sqlx::query_as::<_, rows::AttemptRow>(
                    r#"
                    select a.delivery_id, d.kind, a.attempted_at, a.succeeded, a.error
                    from delivery_attempts a
                    join deliveries d on d.id = a.delivery_id
                    where d.message_id = $1
                    order by a.attempted_at, a.id
                    "#,
                )
                .bind(DbId(message.0))
                .fetch_all(&self.pool)
                .await
                .map_err(db_error)?
                .into_iter()
                .map(rows::AttemptRow::into_domain)
                .collect()
            }

            #[tracing::instrument(skip_all)]
            async fn pending_deliveries(&self) -> StoreResult<i64> {
                sqlx::query_scalar("select count(*) from deliveries where status = 'pending'")
                    .fetch_one(&self.pool)
                    .await
                    .map_err(db_error)
            }

            #[tracing::instrument(skip_all, fields(consent_id = %new.id, conversation_id = %new.conversation_id))]
            async fn create_consent_request(
                &self,
                new: &NewConsentRequest,
            ) -> StoreResult<ConsentRequest> {
                let at = new.requested_at;
                let mut tx = self.begin_write().await?;
                // A lapsed grant must not count as open below.
                expire_due_consents(&mut tx, at).await?;
                let open: i64 = sqlx::query_scalar(
                    r#"
                    select count(*)
                    from consents
                    where conversation_id = $1 and kind = $2 and purpose = $3
                      and status in ('requested', 'granted')
                    "#,
                )
                .bind(DbId(new.conversation_id.0))
                .bind(new.kind.as_str())
                .bind(new.purpose.as_str())
                .fetch_one(&mut *tx)
                .await
                .map_err(db_error)?;
                if open > 0 {
                    return Err(StoreError::Conflict("consent_open".into()));
                }
                insert_message(&mut tx, &new.message).await?;
                sqlx::query(
                    r#"
                    insert into consents
                        (id, conversation_id, message_id, kind, purpose, status, valid_for_days,
                         requested_at, decided_at, expires_at, ended_at)
                    values ($1, $2, $3, $4, $5, 'requested', $6, $7, null, $8, null)
                    "#,
                )
                .bind(DbId(new.id.0))
                .bind(DbId(new.conversation_id.0))
                .bind(DbId(new.message.id.0))
                .bind(new.kind.as_str())
                .bind(new.purpose.as_str())
                .bind(new.valid_for_days)
                .bind(DbTime(at))
                .bind(DbTime(new.respond_by))
                .execute(&mut *tx)
                .await
                .map_err(db_error)?;
                let consent = load_consent(&mut tx, new.id).await?;
                let event = consent_event(
                    Some(ConsentActor::Seller(consent.seller_id)),
                    AuditAction::ConsentRequested,
                    &consent,
                );
                insert_audit(&mut tx, at, &event).await?;
                tx.commit().await.map_err(db_error)?;
                Ok(consent)
            }

            #[tracing::instrument(skip_all, fields(consent_id = %id))]
            async fn get_consent(&self, id: ConsentId) -> StoreResult<ConsentRequest> {
                let mut conn = self.pool.acquire().await.map_err(db_error)?;
                load_consent(&mut conn, id).await
            }

            #[tracing::instrument(skip_all, fields(message_id = %message))]
            async fn consent_for_message(
                &self,
                message: MessageId,
            ) -> StoreResult<Option<ConsentRequest>> {
                sqlx::query_as::<_, rows::ConsentRow>(concat!(
                    consent_select!(),
                    "where k.message_id = $1"
                ))
                .bind(DbId(message.0))
                .fetch_optional(&self.pool)
                .await
                .map_err(db_error)?
                .map(rows::ConsentRow::into_domain)
                .transpose()
            }

            #[tracing::instrument(skip_all, fields(conversation_id = %conversation))]
            async fn list_consents(
                &self,
                conversation: ConversationId,
            ) -> StoreResult<Vec<ConsentRequest>> {
                sqlx::query_as::<_, rows::ConsentRow>(concat!(
                    consent_select!(),
                    "where k.conversation_id = $1 order by k.requested_at, k.id"
                ))
                .bind(DbId(conversation.0))
                .fetch_all(&self.pool)
                .await
                .map_err(db_error)?
                .into_iter()
                .map(rows::ConsentRow::into_domain)
                .collect()
            }

            #[tracing::instrument(skip_all, fields(conversation_id = %conversation))]
            async fn active_consent(
                &self,
                conversation: ConversationId,
                kind: ContactKind,
                at: time::OffsetDateTime,
            ) -> StoreResult<Option<ConsentRequest>> {
                sqlx::query_as::<_, rows::ConsentRow>(concat!(
                    consent_select!(),
                    r#"
                    where k.conversation_id = $1 and k.kind = $2
                      -- a grant past its end holds nothing, whether or not the sweep has recorded it
                      and k.status = 'granted' and k.expires_at > $3
                    order by k.expires_at desc, k.id
                    limit 1
                    "#
                ))
                .bind(DbId(conversation.0))
                .bind(kind.as_str())
                .bind(DbTime(at))
                .fetch_optional(&self.pool)
                .await
                .map_err(db_error)?
                .map(rows::ConsentRow::into_domain)
                .transpose()
            }

            #[tracing::instrument(skip_all, fields(consent_id = %id, grant))]
            async fn answer_consent(
                &self,
                id: ConsentId,
                grant: bool,
                actor: ConsentActor,
                at: time::OffsetDateTime,
            ) -> StoreResult<ConsentRequest> {
                let mut tx = self.begin_write().await?;
                let current = load_consent(&mut tx, id).await?;
                let (status, expires_at, action) = if grant {
                    (ConsentStatus::Granted, current.grant_expiry(at), AuditAction::ConsentGranted)
                } else {
                    (ConsentStatus::Declined, current.expires_at, AuditAction::ConsentDeclined)
                };
                // Only an open request within its deadline can be answered, and only once.
                let changed = sqlx::query(
                    r#"
                    update consents
                    set status = $2, decided_at = $3, expires_at = $4
                    where id = $1 and status = 'requested' and expires_at > $3
                    "#,
                )
                .bind(DbId(id.0))
                .bind(status.as_str())
                .bind(DbTime(at))
                .bind(DbTime(expires_at))
                .execute(&mut *tx)
                .await
                .map_err(db_error)?
                .rows_affected();
                if changed == 0 {
                    return Err(StoreError::InvalidState(format!(
                        "consent is {}, not requested",
                        current.status_at(at).as_str()
                    )));
                }
                let consent = load_consent(&mut tx, id).await?;
                insert_audit(&mut tx, at, &consent_event(Some(actor), action, &consent)).await?;
                tx.commit().await.map_err(db_error)?;
                Ok(consent)
            }

            #[tracing::instrument(skip_all, fields(consent_id = %id))]
            async fn revoke_consent(
                &self,
                id: ConsentId,
                actor: ConsentActor,
                at: time::OffsetDateTime,
            ) -> StoreResult<ConsentRequest> {
                let mut tx = self.begin_write().await?;
                let current = load_consent(&mut tx, id).await?;
                // A grant that holds, or a request not yet answered (withdrawn).
                let changed = sqlx::query(
                    r#"
                    update consents
                    set status = 'revoked', ended_at = $2
                    where id = $1 and status in ('requested', 'granted') and expires_at > $2
                    "#,
                )
                .bind(DbId(id.0))
                .bind(DbTime(at))
                .execute(&mut *tx)
                .await
                .map_err(db_error)?
                .rows_affected();
                if changed == 0 {
                    return Err(StoreError::InvalidState(format!(
                        "consent is {}, not granted",
                        current.status_at(at).as_str()
                    )));
                }
                let consent = load_consent(&mut tx, id).await?;
                insert_audit(&mut tx, at, &consent_event(Some(actor), AuditAction::ConsentRevoked, &consent))
                    .await?;
                tx.commit().await.map_err(db_error)?;
                Ok(consent)
            }

            #[tracing::instrument(skip_all)]
            async fn expire_consents(&self, at: time::OffsetDateTime) -> StoreResult<u64> {
                let mut tx = self.begin_write().await?;
                let expired = expire_due_consents(&mut tx, at).await?;
                tx.commit().await.map_err(db_error)?;
                Ok(expired)
            }

            #[tracing::instrument(skip_all, fields(name))]
            async fn secret(&self, name: &str, generated: &str) -> StoreResult<String> {
                let mut tx = self.begin_write().await?;
                // The first start stores its value; every later one reads it back.
                sqlx::query(
                    r#"
                    insert into secrets (name, value, created_at)
                    values ($1, $2, $3)
                    on conflict (name) do nothing
                    "#,
                )
                .bind(rows::text(name).into_owned())
                .bind(rows::text(generated).into_owned())
                .bind(DbTime(now()))
                .execute(&mut *tx)
                .await
                .map_err(db_error)?;
                let value: String = sqlx::query_scalar("select value from secrets where name = $1")
                    .bind(rows::text(name).into_owned())
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(db_error)?;
                tx.commit().await.map_err(db_error)?;
                Ok(value)
            }

            #[tracing::instrument(skip_all)]
            async fn record_audit(&self, event: &NewAuditEvent) -> StoreResult<()> {
                let mut conn = self.pool.acquire().await.map_err(db_error)?;
                insert_audit(&mut conn, now(), event).await
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
                        sqlx::query_as::<_, rows::AuditRow>(concat!(
                            audit_select!(),
                            "where subject_id = $1 order by id limit $2"
                        ))
                        .bind(rows::text(subject).into_owned())
                        .bind(limit)
                        .fetch_all(&self.pool)
                        .await
                    }
                    None => {
                        sqlx::query_as::<_, rows::AuditRow>(concat!(
                            audit_select!(),
                            "order by id limit $1"
                        ))
                        .bind(limit)
                        .fetch_all(&self.pool)
                        .await
                    }
                }
                .map_err(db_error)?;
                Ok(rows.into_iter().map(rows::AuditRow::into_domain).collect())
            }

            fn accounts(&self) -> &dyn $crate::store::accounts::AccountStore {
                self
            }

            fn stats(&self) -> &dyn $crate::store::stats::StatsStore {
                self
            }

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
                let changed = sqlx::query(
                    r#"
                    update conversations
                    set blocked = $2
                    where id = $1 and blocked <> $2
                    "#,
                )
                .bind(DbId(id.0))
                .bind(blocked)
                .execute(&mut *tx)
                .await
                .map_err(db_error)?
                .rows_affected();
                let conversation = load_conversation(&mut tx, id).await?;
                if changed == 1 {
                    let event = NewAuditEvent::by_staff(
                        staff,
                        if blocked { AuditAction::ConversationBlocked } else { AuditAction::ConversationUnblocked },
                        "conversation",
                        id,
                        serde_json::json!({
                            "seller_id": conversation.seller.id.to_string(),
                            "note": note.map(|n| rows::text(n).into_owned()),
                        }),
                    );
                    insert_audit(&mut tx, at, &event).await?;
                }
                tx.commit().await.map_err(db_error)?;
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
                let changed = sqlx::query(
                    r#"
                    update sellers
                    set suspended = $2
                    where id = $1 and suspended <> $2
                    "#,
                )
                .bind(DbId(id.0))
                .bind(suspended)
                .execute(&mut *tx)
                .await
                .map_err(db_error)?
                .rows_affected();
                let seller = sqlx::query_as::<_, rows::SellerRow>(
                    r#"
                    select id, name, email, external_id, country, suspended, created_at
                    from sellers
                    where id = $1
                    "#,
                )
                .bind(DbId(id.0))
                .fetch_optional(&mut *tx)
                .await
                .map_err(db_error)?
                .ok_or(StoreError::NotFound)?
                .into_domain()?;
                if changed == 1 {
                    let event = NewAuditEvent::by_staff(
                        staff,
                        if suspended { AuditAction::SellerSuspended } else { AuditAction::SellerReinstated },
                        "seller",
                        id,
                        serde_json::json!({ "note": note.map(|n| rows::text(n).into_owned()) }),
                    );
                    insert_audit(&mut tx, at, &event).await?;
                }
                tx.commit().await.map_err(db_error)?;
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
                let rows = sqlx::query_as::<_, rows::SummaryRow>(
                    $crate::store::sql::SEARCH_SUMMARIES.as_str(),
                )
                .bind($crate::store::contains_pattern(&query))
                .bind(query)
                .bind(limit.max(0))
                .bind(offset.max(0))
                .fetch_all(&self.pool)
                .await
                .map_err(db_error)?;
                Ok(rows.into_iter().map(rows::SummaryRow::into_domain).collect())
            }

            #[tracing::instrument(skip_all, fields(limit, offset))]
            async fn staff_reads_page(
                &self,
                limit: i64,
                offset: i64,
            ) -> StoreResult<Vec<AuditEvent>> {
                let rows = sqlx::query_as::<_, rows::AuditRow>(concat!(
                    audit_select!(),
                    r#"
                    where action = 'message.read' and actor_kind = 'staff'
                    -- ids grow with time; newest first
                    order by id desc
                    limit $1 offset $2
                    "#
                ))
                .bind(limit.max(0))
                .bind(offset.max(0))
                .fetch_all(&self.pool)
                .await
                .map_err(db_error)?;
                Ok(rows.into_iter().map(rows::AuditRow::into_domain).collect())
            }

            #[tracing::instrument(skip_all, fields(message_id = %new.message_id))]
            async fn file_report(
                &self,
                new: &$crate::domain::NewReport,
            ) -> StoreResult<($crate::domain::Report, bool)> {
                let mut tx = self.begin_write().await?;
                let message = load_message(&mut tx, new.message_id).await?;
                if message.direction != $crate::domain::Direction::SellerToBuyer {
                    return Err(StoreError::InvalidState(
                        "only messages to the buyer can be reported".into(),
                    ));
                }
                let filed = sqlx::query(
                    r#"
                    insert into reports (id, message_id, conversation_id, reason, comment,
                                         created_at, status)
                    values ($1, $2, $3, $4, $5, $6, 'open')
                    on conflict (message_id) do nothing
                    "#,
                )
                .bind(DbId($crate::domain::ReportId::new().0))
                .bind(DbId(message.id.0))
                .bind(DbId(message.conversation_id.0))
                .bind(new.reason.map(|r| r.as_str()))
                .bind(rows::opt_text(new.comment.as_deref()))
                .bind(DbTime(new.at))
                .execute(&mut *tx)
                .await
                .map_err(db_error)?
                .rows_affected()
                    == 1;
                let report = load_report(&mut tx, true, message.id.0)
                    .await?
                    .ok_or(StoreError::NotFound)?;
                if filed {
                    let conversation = load_conversation(&mut tx, message.conversation_id).await?;
                    // The comment is the buyer's free text: it stays in the report, not the log.
                    let event = NewAuditEvent::new(
                        "buyer",
                        Some(conversation.buyer.id.to_string()),
                        AuditAction::ReportFiled,
                        "report",
                        report.id,
                        serde_json::json!({
                            "message_id": message.id.to_string(),
                            "conversation_id": message.conversation_id.to_string(),
                            "seller_id": conversation.seller.id.to_string(),
                            "reason": new.reason.map(|r| r.as_str()),
                        }),
                    );
                    insert_audit(&mut tx, new.at, &event).await?;
                }
                tx.commit().await.map_err(db_error)?;
                Ok((report, filed))
            }

            #[tracing::instrument(skip_all, fields(report_id = %id))]
            async fn get_report(
                &self,
                id: $crate::domain::ReportId,
            ) -> StoreResult<$crate::domain::Report> {
                let mut conn = self.pool.acquire().await.map_err(db_error)?;
                load_report(&mut conn, false, id.0)
                    .await?
                    .ok_or(StoreError::NotFound)
            }

            #[tracing::instrument(skip_all, fields(message_id = %message))]
            async fn report_for_message(
                &self,
                message: MessageId,
            ) -> StoreResult<Option<$crate::domain::Report>> {
                let mut conn = self.pool.acquire().await.map_err(db_error)?;
                load_report(&mut conn, true, message.0).await
            }

            #[tracing::instrument(skip_all)]
            async fn list_reports(
                &self,
                status: $crate::domain::ReportStatus,
            ) -> StoreResult<Vec<$crate::domain::Report>> {
                let query = match status {
                    $crate::domain::ReportStatus::Open => concat!(
                        $crate::store::sql::report_select!(),
                        "where r.status = 'open' order by r.created_at, r.id"
                    ),
                    $crate::domain::ReportStatus::Resolved => concat!(
                        $crate::store::sql::report_select!(),
                        "where r.status = 'resolved' order by r.resolved_at desc, r.id desc"
                    ),
                };
                sqlx::query_as::<_, rows::ReportRow>(query)
                    .fetch_all(&self.pool)
                    .await
                    .map_err(db_error)?
                    .into_iter()
                    .map(rows::ReportRow::into_domain)
                    .collect()
            }

            #[tracing::instrument(skip_all)]
            async fn count_open_reports(&self) -> StoreResult<i64> {
                sqlx::query_scalar("select count(*) from reports where status = 'open'")
                    .fetch_one(&self.pool)
                    .await
                    .map_err(db_error)
            }

            #[tracing::instrument(skip_all, fields(report_id = %id, staff_id = %staff))]
            async fn resolve_report(
                &self,
                id: $crate::domain::ReportId,
                staff: StaffId,
                note: Option<&str>,
                at: time::OffsetDateTime,
            ) -> StoreResult<$crate::domain::Report> {
                let mut tx = self.begin_write().await?;
                // Only an open report changes: two reviewers racing cannot both resolve it.
                let changed = sqlx::query(
                    r#"
                    update reports
                    set status = 'resolved', resolved_by = $2, resolution_note = $3,
                        resolved_at = $4
                    where id = $1 and status = 'open'
                    "#,
                )
                .bind(DbId(id.0))
                .bind(DbId(staff.0))
                .bind(rows::opt_text(note))
                .bind(DbTime(at))
                .execute(&mut *tx)
                .await
                .map_err(db_error)?
                .rows_affected();
                let report = load_report(&mut tx, false, id.0)
                    .await?
                    .ok_or(StoreError::NotFound)?;
                if changed == 0 {
                    return Err(StoreError::InvalidState("the report is resolved already".into()));
                }
                let event = NewAuditEvent::by_staff(
                    staff,
                    AuditAction::ReportResolved,
                    "report",
                    id,
                    serde_json::json!({
                        "message_id": report.message_id.to_string(),
                        "note": note.map(|n| rows::text(n).into_owned()),
                    }),
                );
                insert_audit(&mut tx, at, &event).await?;
                tx.commit().await.map_err(db_error)?;
                Ok(report)
            }

            #[tracing::instrument(skip_all, fields(conversation_id = %conversation, opted_out))]
            async fn set_buyer_opt_out(
                &self,
                conversation: ConversationId,
                opted_out: bool,
                at: time::OffsetDateTime,
            ) -> StoreResult<Option<time::OffsetDateTime>> {
                let mut tx = self.begin_write().await?;
                // Conditional, so a repeat keeps the first time and records nothing.
                let statement = if opted_out {
                    r#"
                    update conversations set buyer_opted_out_at = $2
                    where id = $1 and buyer_opted_out_at is null
                    "#
                } else {
                    r#"
                    update conversations set buyer_opted_out_at = null
                    where id = $1 and buyer_opted_out_at is not null
                    "#
                };
                let query = sqlx::query(statement).bind(DbId(conversation.0));
                let query = if opted_out { query.bind(DbTime(at)) } else { query };
                let changed = query
                    .execute(&mut *tx)
                    .await
                    .map_err(db_error)?
                    .rows_affected();
                let (since, buyer): (Option<DbTime>, DbId) = sqlx::query_as(
                    "select buyer_opted_out_at, buyer_id from conversations where id = $1",
                )
                .bind(DbId(conversation.0))
                .fetch_optional(&mut *tx)
                .await
                .map_err(db_error)?
                .ok_or(StoreError::NotFound)?;
                if changed == 1 {
                    let event = NewAuditEvent::new(
                        "buyer",
                        Some(buyer.0.to_string()),
                        if opted_out { AuditAction::ConversationOptedOut } else { AuditAction::ConversationOptOutUndone },
                        "conversation",
                        conversation,
                        serde_json::json!({}),
                    );
                    insert_audit(&mut tx, at, &event).await?;
                }
                tx.commit().await.map_err(db_error)?;
                Ok(since.map(DbTime::utc))
            }

            #[tracing::instrument(skip_all, fields(conversation_id = %conversation))]
            async fn buyer_opted_out(
                &self,
                conversation: ConversationId,
            ) -> StoreResult<Option<time::OffsetDateTime>> {
                let since: Option<Option<DbTime>> = sqlx::query_scalar(
                    "select buyer_opted_out_at from conversations where id = $1",
                )
                .bind(DbId(conversation.0))
                .fetch_optional(&self.pool)
                .await
                .map_err(db_error)?;
                Ok(since.ok_or(StoreError::NotFound)?.map(DbTime::utc))
            }

            #[tracing::instrument(skip_all, fields(message_id = %new.id, conversation_id = %new.conversation_id))]
            async fn store_blocked_message(
                &self,
                new: &NewMessage,
                reason: &str,
            ) -> StoreResult<StoredMessage> {
                let mut tx = self.begin_write().await?;
                insert_message(&mut tx, new).await?;
                sqlx::query("update messages set block_reason = $2 where id = $1")
                    .bind(DbId(new.id.0))
                    .bind(rows::text(reason).into_owned())
                    .execute(&mut *tx)
                    .await
                    .map_err(db_error)?;
                let stored = load_message(&mut tx, new.id).await?;
                tx.commit().await.map_err(db_error)?;
                Ok(stored)
            }

            #[tracing::instrument(skip_all, fields(message_id = %new.id))]
            async fn store_received_mail(
                &self,
                new: &NewMessage,
                received: &ReceivedMail,
            ) -> StoreResult<StoredMessage> {
                let mut tx = self.begin_write().await?;
                insert_message(&mut tx, new).await?;
                sqlx::query(
                    r#"
                    update messages
                    set block_reason = $2, auto_submitted = $3, sender_auth = $4
                    where id = $1
                    "#,
                )
                .bind(DbId(new.id.0))
                .bind(received.block_reason.as_deref().map(|r| rows::text(r).into_owned()))
                .bind(received.auto_submitted.as_deref().map(|r| rows::text(r).into_owned()))
                .bind(received.sender_auth.as_str())
                .execute(&mut *tx)
                .await
                .map_err(db_error)?;
                if received.notify_sender {
                    insert_delivery(&mut tx, new.id, DeliveryKind::Notice, new.created_at).await?;
                }
                let stored = load_message(&mut tx, new.id).await?;
                tx.commit().await.map_err(db_error)?;
                Ok(stored)
            }

            #[tracing::instrument(skip_all, fields(message_id = %message))]
            async fn block_reason(&self, message: MessageId) -> StoreResult<Option<String>> {
                let reason: Option<Option<String>> =
                    sqlx::query_scalar("select block_reason from messages where id = $1")
                        .bind(DbId(message.0))
                        .fetch_optional(&self.pool)
                        .await
                        .map_err(db_error)?;
                reason.ok_or(StoreError::NotFound)
            }
        }

        /// The report with this id, or filed about this message.
        async fn load_report(
            conn: &mut <Db as sqlx::Database>::Connection,
            by_message: bool,
            id: uuid::Uuid,
        ) -> StoreResult<Option<$crate::domain::Report>> {
            let query = if by_message {
                concat!($crate::store::sql::report_select!(), "where r.message_id = $1")
            } else {
                concat!($crate::store::sql::report_select!(), "where r.id = $1")
            };
            sqlx::query_as::<_, rows::ReportRow>(query)
                .bind(DbId(id))
                .fetch_optional(&mut *conn)
                .await
                .map_err(db_error)?
                .map(rows::ReportRow::into_domain)
                .transpose()
        }
    };
}
pub(crate) use sql_store;
