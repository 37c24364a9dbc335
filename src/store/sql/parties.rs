//! Sellers, staff and API tokens.
//!
//! Compiled once per engine: `super` is the backend module (`Db`, `Backend`).

use crate::domain::{AuditAction, NewAuditEvent, Principal, Seller, SellerId, Staff, StaffId};
use crate::store::rows::{self, DbId, DbTime};
use crate::store::{NewSeller, NewStaff, StoreError, StoreResult};

use super::Backend;
use super::common::*;

const INSERT_SELLER: &str = r#"
    insert into sellers (id, name, email, external_id, country, language, suspended, created_at)
    values ($1, $2, $3, $4, $5, $7, false, $6)
    returning id, name, email, external_id, country, language, suspended, created_at
"#;

const INSERT_SELLER_TOKEN: &str = r#"
    insert into api_tokens (token_hash, role, seller_id, created_at)
    values ($1, 'seller', $2, $3)
"#;

const INSERT_STAFF: &str = r#"
    insert into staff (id, name, email, created_at)
    values ($1, $2, $3, $4)
    returning id, name, email
"#;

const INSERT_STAFF_TOKEN: &str = r#"
    insert into api_tokens (token_hash, role, staff_id, created_at)
    values ($1, 'staff', $2, $3)
"#;

const GET_SELLER: &str = r#"
    select id, name, email, external_id, country, language, suspended, created_at
    from sellers
    where id = $1
"#;

const GET_STAFF: &str = r#"
    select id, name, email from staff where id = $1
"#;

const HAS_OPERATOR_TOKEN: &str = r#"
    select count(*) from api_tokens where role = 'operator'
"#;

const ADD_OPERATOR_TOKEN: &str = r#"
    insert into api_tokens (token_hash, role, created_at)
    values ($1, 'operator', $2)
"#;

const PRINCIPAL_FOR_TOKEN: &str = r#"
    select role, seller_id, staff_id from api_tokens where token_hash = $1
"#;

/// An erased seller gets no token again.
const SELLER_EXISTS: &str = r#"
    select count(*) from sellers where id = $1 and erased_at is null
"#;

const STAFF_EXISTS: &str = r#"
    select count(*) from staff where id = $1
"#;

const DELETE_API_TOKENS: &str = r#"
    delete from api_tokens where role = $1 and (seller_id = $2 or staff_id = $3)
"#;

const INSERT_API_TOKEN: &str = r#"
    insert into api_tokens (token_hash, role, seller_id, staff_id, created_at)
    values ($1, $2, $3, $4, $5)
"#;

const REVOKE_OPERATOR_TOKENS: &str = r#"
    delete from api_tokens where role = 'operator'
"#;

#[async_trait::async_trait]
impl crate::store::PartyStore for Backend {
    #[tracing::instrument(skip_all)]
    async fn create_seller(&self, new: &NewSeller, token_hash: &str) -> StoreResult<Seller> {
        let at = now();
        let id = SellerId::new();
        let mut tx = self.begin_write().await?;
        let seller = sqlx::query_as::<_, rows::SellerRow>(INSERT_SELLER)
            .bind(DbId(id.0))
            .bind(rows::text(&new.name).into_owned())
            .bind(new.email.as_str().to_owned())
            .bind(rows::opt_text(new.external_id.as_deref()))
            .bind(new.country.clone())
            .bind(DbTime(at))
            .bind(new.language.clone())
            .fetch_one(&mut *tx)
            .await?
            .into_domain()?;
        sqlx::query(INSERT_SELLER_TOKEN)
            .bind(rows::text(token_hash).into_owned())
            .bind(DbId(id.0))
            .bind(DbTime(at))
            .execute(&mut *tx)
            .await?;
        let event = NewAuditEvent {
            actor_kind: "operator".into(),
            actor_id: None,
            action: AuditAction::SellerCreated,
            subject_kind: "seller".into(),
            subject_id: id.to_string(),
            details: serde_json::json!({ "external_id": seller.external_id }),
        };
        insert_audit(&mut tx, at, &event).await?;
        tx.commit().await?;
        Ok(seller)
    }

    #[tracing::instrument(skip_all)]
    async fn create_staff(&self, new: &NewStaff, token_hash: &str) -> StoreResult<Staff> {
        let at = now();
        let id = StaffId::new();
        let mut tx = self.begin_write().await?;
        let staff = sqlx::query_as::<_, rows::StaffRow>(INSERT_STAFF)
            .bind(DbId(id.0))
            .bind(rows::text(&new.name).into_owned())
            .bind(new.email.as_str().to_owned())
            .bind(DbTime(at))
            .fetch_one(&mut *tx)
            .await?
            .into_domain()?;
        sqlx::query(INSERT_STAFF_TOKEN)
            .bind(rows::text(token_hash).into_owned())
            .bind(DbId(id.0))
            .bind(DbTime(at))
            .execute(&mut *tx)
            .await?;
        let event = NewAuditEvent {
            actor_kind: "operator".into(),
            actor_id: None,
            action: AuditAction::StaffCreated,
            subject_kind: "staff".into(),
            subject_id: id.to_string(),
            details: serde_json::json!({}),
        };
        insert_audit(&mut tx, at, &event).await?;
        tx.commit().await?;
        Ok(staff)
    }

    #[tracing::instrument(skip_all, fields(seller_id = %id))]
    async fn get_seller(&self, id: SellerId) -> StoreResult<Seller> {
        sqlx::query_as::<_, rows::SellerRow>(GET_SELLER)
            .bind(DbId(id.0))
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?
            .into_domain()
    }

    #[tracing::instrument(skip_all, fields(staff_id = %id))]
    async fn get_staff(&self, id: StaffId) -> StoreResult<Staff> {
        sqlx::query_as::<_, rows::StaffRow>(GET_STAFF)
            .bind(DbId(id.0))
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?
            .into_domain()
    }

    #[tracing::instrument(skip_all)]
    async fn has_operator_token(&self) -> StoreResult<bool> {
        let n: i64 = sqlx::query_scalar(HAS_OPERATOR_TOKEN)
            .fetch_one(&self.pool)
            .await?;
        Ok(n > 0)
    }

    #[tracing::instrument(skip_all)]
    async fn add_operator_token(&self, token_hash: &str) -> StoreResult<()> {
        let at = now();
        let mut tx = self.begin_write().await?;
        sqlx::query(ADD_OPERATOR_TOKEN)
            .bind(rows::text(token_hash).into_owned())
            .bind(DbTime(at))
            .execute(&mut *tx)
            .await?;
        let event = NewAuditEvent::system(
            AuditAction::OperatorTokenCreated,
            "token",
            "operator",
            serde_json::json!({}),
        );
        insert_audit(&mut tx, at, &event).await?;
        tx.commit().await?;
        Ok(())
    }

    #[tracing::instrument(skip_all)]
    async fn principal_for_token(&self, token_hash: &str) -> StoreResult<Option<Principal>> {
        sqlx::query_as::<_, rows::TokenRow>(PRINCIPAL_FOR_TOKEN)
            .bind(rows::text(token_hash).into_owned())
            .fetch_optional(&self.pool)
            .await?
            .map(rows::TokenRow::into_domain)
            .transpose()
    }

    #[tracing::instrument(skip_all)]
    async fn replace_api_tokens(
        &self,
        owner: crate::store::accounts::Account,
        new_hash: Option<&str>,
    ) -> StoreResult<()> {
        use crate::store::accounts::Account;
        let at = now();
        let (role, seller, staff, subject) = match owner {
            Account::Seller(id) => ("seller", Some(DbId(id.0)), None, id.to_string()),
            Account::Staff(id) => ("staff", None, Some(DbId(id.0)), id.to_string()),
        };
        let mut tx = self.begin_write().await?;
        let exists: i64 = match owner {
            Account::Seller(_) => sqlx::query_scalar(SELLER_EXISTS),
            Account::Staff(_) => sqlx::query_scalar(STAFF_EXISTS),
        }
        .bind(seller.or(staff))
        .fetch_one(&mut *tx)
        .await?;
        if exists == 0 {
            return Err(StoreError::NotFound);
        }
        let revoked = sqlx::query(DELETE_API_TOKENS)
            .bind(role)
            .bind(seller)
            .bind(staff)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        // Revoking takes back every way in: the password, the web sessions
        // and any unused invitation, so someone who should lose access
        // cannot keep it through the web pages.
        let mut sessions_ended = 0;
        if new_hash.is_none() {
            sqlx::query(super::accounts::RETIRE_OPEN_INVITATIONS)
                .bind(DbTime(at))
                .bind(seller)
                .bind(staff)
                .execute(&mut *tx)
                .await?;
            sqlx::query(super::accounts::DELETE_CREDENTIALS)
                .bind(seller)
                .bind(staff)
                .execute(&mut *tx)
                .await?;
            sessions_ended = sqlx::query(super::accounts::DELETE_SESSIONS)
                .bind(seller)
                .bind(staff)
                .execute(&mut *tx)
                .await?
                .rows_affected();
        }
        if let Some(hash) = new_hash {
            sqlx::query(INSERT_API_TOKEN)
                .bind(rows::text(hash).into_owned())
                .bind(role)
                .bind(seller)
                .bind(staff)
                .bind(DbTime(at))
                .execute(&mut *tx)
                .await?;
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
            serde_json::json!({ "tokens_revoked": revoked, "sessions_ended": sessions_ended }),
        );
        insert_audit(&mut tx, at, &event).await?;
        tx.commit().await?;
        Ok(())
    }

    #[tracing::instrument(skip_all)]
    async fn revoke_operator_tokens(&self) -> StoreResult<u64> {
        let at = now();
        let mut tx = self.begin_write().await?;
        let revoked = sqlx::query(REVOKE_OPERATOR_TOKENS)
            .execute(&mut *tx)
            .await?
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
        tx.commit().await?;
        Ok(revoked)
    }
}
