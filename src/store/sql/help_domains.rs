//! Each seller's help domains.
//!
//! Compiled once per engine: `super` is the backend module (`Db`, `Backend`).

use crate::domain::{AuditAction, HelpDomain, NewAuditEvent, SellerHelpDomain, SellerId};
use crate::store::help_domains::{HelpDomainList, HelpDomainStore, StaleHelpDomains};
use crate::store::rows::{self, DbId, DbTime};
use crate::store::{StoreError, StoreResult};

use super::common::insert_audit;
use super::{Backend, Db};

const HELP_DOMAINS_VERSION: &str = "select help_domains_version from sellers where id = $1";

/// Locks the seller's row until commit (a no-op update), so saves of one
/// seller's list take turns on both engines, and reads the list's version.
const LOCK_HELP_DOMAINS_VERSION: &str = r#"
    update sellers set help_domains_version = help_domains_version where id = $1
    returning help_domains_version
"#;

const RAISE_HELP_DOMAINS_VERSION: &str = r#"
    update sellers set help_domains_version = help_domains_version + 1 where id = $1
"#;

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

/// The seller's list and its version; `NotFound` for an unknown seller.
/// The version is read first: a change landing between the two reads then
/// makes a save from this list stale, never lets it pass.
pub(super) async fn load(
    conn: &mut <Db as sqlx::Database>::Connection,
    seller: SellerId,
) -> StoreResult<HelpDomainList> {
    let version: i64 = sqlx::query_scalar(HELP_DOMAINS_VERSION)
        .bind(DbId(seller.0))
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    let domains = listed(conn, seller).await?;
    Ok(HelpDomainList { domains, version })
}

async fn listed(
    conn: &mut <Db as sqlx::Database>::Connection,
    seller: SellerId,
) -> StoreResult<Vec<SellerHelpDomain>> {
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
    async fn help_domain_list(&self, seller: SellerId) -> StoreResult<HelpDomainList> {
        // No transaction: `load` reads the version first, which is all a
        // save from this list relies on. Every seller message reads it.
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
        expected: Option<i64>,
    ) -> StoreResult<Result<HelpDomainList, StaleHelpDomains>> {
        let mut tx = self.begin_write().await?;
        let version: i64 = sqlx::query_scalar(LOCK_HELP_DOMAINS_VERSION)
            .bind(DbId(seller.0))
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        if expected.is_some_and(|expected| expected != version) {
            // Dropped unfinished: nothing changed.
            return Ok(Err(StaleHelpDomains { current: version }));
        }
        let before = listed(&mut tx, seller).await?;
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
        let changed = !added.is_empty() || !removed.is_empty();
        if changed {
            sqlx::query(RAISE_HELP_DOMAINS_VERSION)
                .bind(DbId(seller.0))
                .execute(&mut *tx)
                .await?;
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
        let after = listed(&mut tx, seller).await?;
        tx.commit().await?;
        Ok(Ok(HelpDomainList {
            domains: after,
            version: version + i64::from(changed),
        }))
    }
}
