//! Each seller's help domains.
//!
//! Compiled once per engine: `super` is the backend module (`Db`, `Backend`).

use crate::domain::{AuditAction, HelpDomain, NewAuditEvent, SellerHelpDomain, SellerId};
use crate::store::help_domains::HelpDomainStore;
use crate::store::rows::{self, DbId, DbTime};
use crate::store::{StoreError, StoreResult};

use super::common::insert_audit;
use super::{Backend, Db};

const SELLER_EXISTS: &str = "select count(*) from sellers where id = $1";

const HELP_DOMAINS: &str = r#"
    select domain, added_at, added_by
    from seller_allowed_domains
    where seller_id = $1
    order by domain
"#;

const ADD_HELP_DOMAIN: &str = r#"
    insert into seller_allowed_domains (seller_id, domain, added_at, added_by)
    values ($1, $2, $3, $4)
    -- one already on the list keeps its date and author
    on conflict (seller_id, domain) do nothing
"#;

const REMOVE_HELP_DOMAIN: &str = r#"
    delete from seller_allowed_domains where seller_id = $1 and domain = $2
"#;

/// The seller's domains as stored, after checking the seller exists.
pub(super) async fn load(
    conn: &mut <Db as sqlx::Database>::Connection,
    seller: SellerId,
) -> StoreResult<Vec<SellerHelpDomain>> {
    let exists: i64 = sqlx::query_scalar(SELLER_EXISTS)
        .bind(DbId(seller.0))
        .fetch_one(&mut *conn)
        .await?;
    if exists == 0 {
        return Err(StoreError::NotFound);
    }
    let found: Vec<(String, DbTime, String)> = sqlx::query_as(HELP_DOMAINS)
        .bind(DbId(seller.0))
        .fetch_all(&mut *conn)
        .await?;
    Ok(found
        .into_iter()
        .map(|(domain, added_at, added_by)| SellerHelpDomain {
            domain: HelpDomain::from_stored(domain),
            added_at: added_at.utc(),
            added_by,
        })
        .collect())
}

#[async_trait::async_trait]
impl HelpDomainStore for Backend {
    #[tracing::instrument(skip_all, fields(seller_id = %seller))]
    async fn help_domains(&self, seller: SellerId) -> StoreResult<Vec<SellerHelpDomain>> {
        let mut conn = self.pool.acquire().await?;
        load(&mut conn, seller).await
    }

    #[tracing::instrument(skip_all, fields(seller_id = %seller))]
    async fn replace_help_domains(
        &self,
        seller: SellerId,
        domains: &[HelpDomain],
        (added_by, actor_id): (&str, Option<String>),
        at: time::OffsetDateTime,
    ) -> StoreResult<Vec<SellerHelpDomain>> {
        let mut tx = self.begin_write().await?;
        let before = load(&mut tx, seller).await?;
        let removed: Vec<&str> = before
            .iter()
            .filter(|d| !domains.contains(&d.domain))
            .map(|d| d.domain.as_str())
            .collect();
        for domain in &removed {
            sqlx::query(REMOVE_HELP_DOMAIN)
                .bind(DbId(seller.0))
                .bind((*domain).to_owned())
                .execute(&mut *tx)
                .await?;
        }
        let mut added = Vec::new();
        for domain in domains {
            let inserted = sqlx::query(ADD_HELP_DOMAIN)
                .bind(DbId(seller.0))
                .bind(domain.as_str().to_owned())
                .bind(DbTime(at))
                .bind(rows::text(added_by).into_owned())
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if inserted == 1 {
                added.push(domain.as_str());
            }
        }
        if !added.is_empty() || !removed.is_empty() {
            let event = NewAuditEvent::new(
                added_by,
                actor_id,
                AuditAction::SellerHelpDomainsChanged,
                "seller",
                seller,
                serde_json::json!({ "added": added, "removed": removed }),
            );
            insert_audit(&mut tx, at, &event).await?;
        }
        let after = load(&mut tx, seller).await?;
        tx.commit().await?;
        Ok(after)
    }
}
