//! Consent requests and their answers, revocations and expiry.
//!
//! Compiled once per engine: `super` is the backend module (`Db`, `Backend`).

use crate::domain::{
    AuditAction, ConsentActor, ConsentId, ConsentRequest, ConsentStatus, ContactKind,
    ConversationId, MessageId, NewConsentRequest,
};
use crate::store::rows::{self, DbId, DbTime};
use crate::store::sql::consent_select;
use crate::store::{StoreError, StoreResult};

use super::Backend;
use super::common::*;

const OPEN_CONSENTS_ALIKE: &str = r#"
    select count(*)
    from consents
    where conversation_id = $1 and kind = $2 and purpose = $3
      and status in ('requested', 'granted')
"#;

const INSERT_CONSENT: &str = r#"
    insert into consents
        (id, conversation_id, message_id, kind, purpose, status, valid_for_days,
         requested_at, decided_at, expires_at, ended_at, order_id)
    values ($1, $2, $3, $4, $5, 'requested', $6, $7, null, $8, null, $9)
"#;

/// Takes the conversation's row lock (a write that changes nothing), so
/// requests for one conversation are counted one after another on every
/// node; SQLite's `begin immediate` already serialises all writers.
const LOCK_CONVERSATION: &str = r#"
    update conversations set blocked = blocked where id = $1
"#;

const ANSWER_CONSENT: &str = r#"
    update consents
    set status = $1, decided_at = $2, expires_at = $3
    where id = $4 and status = 'requested' and expires_at > $2
"#;

const REVOKE_CONSENT: &str = r#"
    update consents
    set status = 'revoked', ended_at = $1
    where id = $2 and status in ('requested', 'granted') and expires_at > $1
"#;

const CONSENT_FOR_MESSAGE: &str = concat!(consent_select!(), "where k.message_id = $1");

const LIST_CONSENTS: &str = concat!(
    consent_select!(),
    "where k.conversation_id = $1 order by k.requested_at, k.id"
);

const ACTIVE_CONSENT: &str = concat!(
    consent_select!(),
    r#"
            where k.conversation_id = $1 and k.kind = $2
              -- a grant past its end holds nothing, whether or not the sweep has recorded it
              and k.status = 'granted' and k.expires_at > $3
            order by k.expires_at desc, k.id
            limit 1
            "#
);

#[async_trait::async_trait]
impl crate::store::ConsentStore for Backend {
    #[tracing::instrument(skip_all, fields(consent_id = %new.id, conversation_id = %new.conversation_id))]
    async fn create_consent_request(&self, new: &NewConsentRequest) -> StoreResult<ConsentRequest> {
        let at = new.requested_at;
        let mut tx = self.begin_write().await?;
        // A lapsed grant must not count as open below.
        expire_due_consents(&mut tx, at).await?;
        sqlx::query(LOCK_CONVERSATION)
            .bind(DbId(new.conversation_id.0))
            .execute(&mut *tx)
            .await?;
        let open: i64 = sqlx::query_scalar(OPEN_CONSENTS_ALIKE)
            .bind(DbId(new.conversation_id.0))
            .bind(new.kind.as_str())
            .bind(new.purpose.as_str())
            .fetch_one(&mut *tx)
            .await?;
        if open > 0 {
            return Err(StoreError::Conflict("consent_open".into()));
        }
        let earlier: Vec<ConsentRequest> = sqlx::query_as::<_, rows::ConsentRow>(LIST_CONSENTS)
            .bind(DbId(new.conversation_id.0))
            .fetch_all(&mut *tx)
            .await?
            .into_iter()
            .map(rows::ConsentRow::into_domain)
            .collect::<StoreResult<_>>()?;
        if let Err(refusal) = new.limits.check(&earlier, new.kind, &new.order_id, at) {
            return Err(StoreError::Conflict(refusal.code().into()));
        }
        insert_message(&mut tx, &new.message).await?;
        sqlx::query(INSERT_CONSENT)
            .bind(DbId(new.id.0))
            .bind(DbId(new.conversation_id.0))
            .bind(DbId(new.message.id.0))
            .bind(new.kind.as_str())
            .bind(new.purpose.as_str())
            .bind(new.valid_for_days)
            .bind(DbTime(at))
            .bind(DbTime(new.respond_by))
            .bind(rows::text(&new.order_id).into_owned())
            .execute(&mut *tx)
            .await?;
        let consent = load_consent(&mut tx, new.id).await?;
        let event = consent_event(
            Some(ConsentActor::Seller(consent.seller_id)),
            AuditAction::ConsentRequested,
            &consent,
        );
        insert_audit(&mut tx, at, &event).await?;
        tx.commit().await?;
        Ok(consent)
    }

    #[tracing::instrument(skip_all, fields(consent_id = %id))]
    async fn get_consent(&self, id: ConsentId) -> StoreResult<ConsentRequest> {
        let mut conn = self.pool.acquire().await?;
        load_consent(&mut conn, id).await
    }

    #[tracing::instrument(skip_all, fields(message_id = %message))]
    async fn consent_for_message(&self, message: MessageId) -> StoreResult<Option<ConsentRequest>> {
        sqlx::query_as::<_, rows::ConsentRow>(CONSENT_FOR_MESSAGE)
            .bind(DbId(message.0))
            .fetch_optional(&self.pool)
            .await?
            .map(rows::ConsentRow::into_domain)
            .transpose()
    }

    #[tracing::instrument(skip_all, fields(conversation_id = %conversation))]
    async fn list_consents(
        &self,
        conversation: ConversationId,
    ) -> StoreResult<Vec<ConsentRequest>> {
        sqlx::query_as::<_, rows::ConsentRow>(LIST_CONSENTS)
            .bind(DbId(conversation.0))
            .fetch_all(&self.pool)
            .await?
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
        sqlx::query_as::<_, rows::ConsentRow>(ACTIVE_CONSENT)
            .bind(DbId(conversation.0))
            .bind(kind.as_str())
            .bind(DbTime(at))
            .fetch_optional(&self.pool)
            .await?
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
            (
                ConsentStatus::Granted,
                current.grant_expiry(at),
                AuditAction::ConsentGranted,
            )
        } else {
            (
                ConsentStatus::Declined,
                current.expires_at,
                AuditAction::ConsentDeclined,
            )
        };
        // Only an open request within its deadline can be answered, and only once.
        let changed = sqlx::query(ANSWER_CONSENT)
            .bind(status.as_str())
            .bind(DbTime(at))
            .bind(DbTime(expires_at))
            .bind(DbId(id.0))
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if changed == 0 {
            return Err(StoreError::InvalidState(format!(
                "consent is {}, not requested",
                current.status_at(at).as_str()
            )));
        }
        let consent = load_consent(&mut tx, id).await?;
        insert_audit(&mut tx, at, &consent_event(Some(actor), action, &consent)).await?;
        tx.commit().await?;
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
        let changed = sqlx::query(REVOKE_CONSENT)
            .bind(DbTime(at))
            .bind(DbId(id.0))
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if changed == 0 {
            return Err(StoreError::InvalidState(format!(
                "consent is {}, not granted",
                current.status_at(at).as_str()
            )));
        }
        let consent = load_consent(&mut tx, id).await?;
        insert_audit(
            &mut tx,
            at,
            &consent_event(Some(actor), AuditAction::ConsentRevoked, &consent),
        )
        .await?;
        delete_unconsented_phone(&mut tx, &consent, at).await?;
        tx.commit().await?;
        Ok(consent)
    }

    #[tracing::instrument(skip_all)]
    async fn expire_consents(&self, at: time::OffsetDateTime) -> StoreResult<u64> {
        let mut tx = self.begin_write().await?;
        let expired = expire_due_consents(&mut tx, at).await?;
        tx.commit().await?;
        Ok(expired)
    }
}
