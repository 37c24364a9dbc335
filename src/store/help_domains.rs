//! Each seller's help domains: the domains whose links pass in that
//! seller's messages to buyers. Reached through `Store::help_domains()`;
//! implemented once for both engines in `store/sql/help_domains.rs`.

use async_trait::async_trait;
use time::OffsetDateTime;

use super::StoreResult;
use crate::domain::{HelpDomain, SellerHelpDomain, SellerId};

/// A seller's help domains and the version of the list they make.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HelpDomainList {
    /// In alphabetical order.
    pub domains: Vec<SellerHelpDomain>,
    /// Raised by every change to the list; 0 for one never changed.
    pub version: i64,
}

/// A save that named a version of the list other than the current one:
/// nothing was changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StaleHelpDomains {
    pub current: i64,
}

#[async_trait]
pub trait HelpDomainStore: Send + Sync {
    /// The seller's help domains, in alphabetical order, and their
    /// version; `NotFound` for an unknown seller.
    async fn help_domain_list(&self, seller: SellerId) -> StoreResult<HelpDomainList>;

    /// The seller's help domains alone (the relay's judging, the tests).
    async fn help_domains(&self, seller: SellerId) -> StoreResult<Vec<SellerHelpDomain>> {
        Ok(self.help_domain_list(seller).await?.domains)
    }

    /// Makes `domains` the seller's list and returns it. When `expected`
    /// names a version, the list is changed only if it is still at that
    /// version, else `StaleHelpDomains` and nothing changes; `None` saves
    /// over whatever is there. A change raises the version. A domain already on
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
        expected: Option<i64>,
    ) -> StoreResult<Result<HelpDomainList, StaleHelpDomains>>;
}
