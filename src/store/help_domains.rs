//! Each seller's help domains: the domains whose links pass in that
//! seller's messages to buyers. Reached through `Store::help_domains()`;
//! implemented once for both engines in `store/sql/help_domains.rs`.

use async_trait::async_trait;
use time::OffsetDateTime;

use super::StoreResult;
use crate::domain::{HelpDomain, SellerHelpDomain, SellerId};

#[async_trait]
pub trait HelpDomainStore: Send + Sync {
    /// The seller's help domains, in alphabetical order; `NotFound` for an
    /// unknown seller.
    async fn help_domains(&self, seller: SellerId) -> StoreResult<Vec<SellerHelpDomain>>;
    /// Makes `domains` the seller's list and returns it. A domain already on
    /// the list keeps when and by whom it was added; the others are added
    /// at `at` by `added_by` (an actor kind, `operator` or `staff`, which
    /// is what the list keeps, and the actor's id, if any, for the audit),
    /// and those not in `domains` are removed. A change is audited as
    /// `seller.help_domains_changed`. `NotFound` for an unknown seller.
    async fn replace_help_domains(
        &self,
        seller: SellerId,
        domains: &[HelpDomain],
        added_by: (&str, Option<String>),
        at: OffsetDateTime,
    ) -> StoreResult<Vec<SellerHelpDomain>>;
}
