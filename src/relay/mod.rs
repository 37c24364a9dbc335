//! Use cases: the one place a message is judged, stored and queued, whether
//! it came by SMTP or through the API, and where staff decisions are applied.

pub mod attachments;
pub mod bounces;
pub mod consent;
pub mod explain;
pub mod files;
pub mod inbound_mail;
pub mod judge;
pub mod lifecycle;
pub mod links;
pub mod moderation;
pub mod order_talk;
pub mod ownership;
pub mod record;
pub mod refusals;
pub mod reports;
pub mod response_time;
pub mod review;
pub mod review_window;
pub mod seller_reply;
pub mod shared_policy;
pub mod strikes;

use std::{sync::Arc, time::Duration};

pub use shared_policy::{SharedPolicy, Swappable};

use crate::{
    cpu::{CpuError, CpuPool},
    domain::{Action, AuthPolicy, DeliveryKind, Direction, MessageStatus},
    store::{Store, StoreError},
    telemetry::Metrics,
};

/// Why a use case did not happen: a business rule said no, or the store
/// or the CPU pool failed. The edges map it to an answer in one place
/// each (`http::error`, `web`).
#[derive(Debug, thiserror::Error)]
pub enum RelayError {
    /// No such record, or not the asker's: one answer, so ids are no oracle.
    #[error("no such record")]
    NotFound,
    /// It would duplicate what exists (an open consent request, say).
    #[error("already exists: {0}")]
    Conflict(String),
    /// Not in a state that allows it (answered, resolved, not held, closed).
    #[error("{0}")]
    InvalidState(String),
    /// The store is down or failed.
    #[error(transparent)]
    Store(StoreError),
    #[error(transparent)]
    Cpu(#[from] CpuError),
    /// A seller's reply over a message limit: nothing was stored.
    #[error(transparent)]
    RateLimited(#[from] crate::domain::RateLimited),
    /// The rules a seller's message is judged with are not working.
    #[error(transparent)]
    ReviewRules(#[from] review_window::ReviewRulesUnavailable),
}

/// The store reports a rule it enforces inside its transaction (a
/// missing row, a unique key, a state checked under lock); the use case
/// passes it on as its own.
impl From<StoreError> for RelayError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => RelayError::NotFound,
            StoreError::Conflict(what) => RelayError::Conflict(what),
            StoreError::InvalidState(why) => RelayError::InvalidState(why),
            other => RelayError::Store(other),
        }
    }
}

/// Settings the use cases need.
#[derive(Clone, Debug)]
pub struct RelayConfig {
    pub relay_domain: String,
    pub marketplace_name: String,
    /// What happens to mail whose sender did not pass authentication.
    pub auth_policy: AuthPolicy,
    /// Refused attempts (unknown aliases, refused unproven senders) per
    /// client address and window, before every MAIL from it waits.
    pub max_refusals_per_ip: u32,
    /// Refused messages from senders who proved nothing, per alias and
    /// window, before the alias takes only proven mail for the rest of it.
    pub max_refusals_per_alias: u32,
    pub refusal_window: Duration,
    /// How often a seller may ask the buyer for consent.
    pub consent_limits: crate::domain::ConsentLimits,
    /// How many messages a seller may write per hour and per conversation and day.
    pub seller_messages: crate::domain::SellerMessageLimits,
    /// When violations suspend a seller and reports open a review.
    pub strike_limits: crate::domain::StrikeLimits,
}

#[derive(Clone)]
pub struct Relay {
    pub store: Arc<dyn Store>,
    pub policy: SharedPolicy,
    pub config: RelayConfig,
    /// Refusals per client address and per alias, counted in the store.
    refusals: Arc<refusals::RefusalLimits>,
    /// Where parsing and judging run, off the async workers.
    pub cpu: CpuPool,
    /// Counts what happens to messages and times the policy.
    pub metrics: Arc<Metrics>,
    /// Knows the return paths of the relay's own mail, where bounces come
    /// back; without it none are taken.
    return_paths: Option<Arc<links::LinkSigner>>,
    /// When a party's address counts as bouncing.
    pub bounce_settings: crate::config::BounceSettings,
}

impl Relay {
    pub fn new(
        store: Arc<dyn Store>,
        policy: SharedPolicy,
        config: RelayConfig,
        metrics: Arc<Metrics>,
    ) -> Self {
        let refusals = Arc::new(refusals::RefusalLimits::new(
            store.clone(),
            config.max_refusals_per_ip,
            config.max_refusals_per_alias,
            config.refusal_window,
        ));
        Self {
            store,
            policy,
            config,
            refusals,
            cpu: CpuPool::from_cores(),
            metrics,
            return_paths: None,
            bounce_settings: crate::config::BounceSettings {
                mark_after: 3,
                window: Duration::from_secs(30 * 86_400),
                return_path_lifetime: Duration::from_secs(10 * 86_400),
            },
        }
    }

    /// Takes bounces at the return paths `signer` makes, and marks a party
    /// as `settings` say.
    pub fn with_bounces(
        mut self,
        signer: Arc<links::LinkSigner>,
        settings: crate::config::BounceSettings,
    ) -> Self {
        self.return_paths = Some(signer);
        self.bounce_settings = settings;
        self
    }

    /// Parties' names as the other side sees them
    /// ([`judge::safe_display_name`]), judged together on the CPU pool.
    pub async fn names_as_seen(
        &self,
        names: Vec<String>,
        fallback: &'static str,
    ) -> Result<Vec<String>, CpuError> {
        let policy = self.policy.current();
        self.cpu
            .run(move || {
                names
                    .iter()
                    .map(|n| judge::safe_display_name(&policy, n, fallback))
                    .collect()
            })
            .await
    }

    /// The names a message travelling `direction` shows its recipient
    /// ([`judge::shown_names`]), judged on the CPU pool like every filter run.
    pub async fn shown_names(
        &self,
        conversation: &crate::domain::Conversation,
        direction: crate::domain::Direction,
    ) -> Result<crate::domain::ShownNames, CpuError> {
        let policy = self.policy.current();
        let conversation = conversation.clone();
        self.cpu
            .run(move || judge::shown_names(&policy, &conversation, direction))
            .await
    }

    /// A Message-ID in the relay domain, so nothing of the sender's own host shows.
    pub fn relayed_message_id(&self, id: crate::domain::MessageId) -> String {
        format!("{}@{}", id.0.simple(), self.config.relay_domain)
    }
}

/// Region hints for national phone formats: the buyer's and the seller's
/// countries, when the marketplace told us (the policy adds its defaults).
pub fn party_regions(conversation: &crate::domain::Conversation) -> Vec<String> {
    let mut regions: Vec<String> = [&conversation.buyer.country, &conversation.seller.country]
        .into_iter()
        .flatten()
        .cloned()
        .collect();
    regions.dedup();
    regions
}

/// The domains whose links pass in a message besides the configured
/// allowlist: the seller's help domains when the seller writes to the
/// buyer; none in the buyer's messages.
pub async fn help_domains(
    store: &dyn Store,
    conversation: &crate::domain::Conversation,
    direction: Direction,
) -> Result<Vec<String>, StoreError> {
    if direction != Direction::SellerToBuyer {
        return Ok(Vec::new());
    }
    Ok(store
        .help_domains()
        .help_domains(conversation.seller.id)
        .await?
        .into_iter()
        .map(|d| d.domain.as_str().to_owned())
        .collect())
}

/// Where a judged message goes next, given the state of its conversation.
pub fn initial_status(
    action: Action,
    seller_suspended: bool,
    conversation_blocked: bool,
) -> (MessageStatus, Option<DeliveryKind>) {
    match action {
        Action::Block => (MessageStatus::Blocked, Some(DeliveryKind::Notice)),
        _ if conversation_blocked => (MessageStatus::Blocked, Some(DeliveryKind::Notice)),
        Action::Hold => (MessageStatus::Held, None),
        // A suspended seller's conversations are reviewed by staff before anything moves.
        _ if seller_suspended => (MessageStatus::Held, None),
        Action::Deliver | Action::Redact => (MessageStatus::Queued, Some(DeliveryKind::Relay)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_follows_action_and_conversation_state() {
        assert_eq!(
            initial_status(Action::Deliver, false, false),
            (MessageStatus::Queued, Some(DeliveryKind::Relay))
        );
        assert_eq!(
            initial_status(Action::Redact, false, false),
            (MessageStatus::Queued, Some(DeliveryKind::Relay))
        );
        assert_eq!(
            initial_status(Action::Hold, false, false),
            (MessageStatus::Held, None)
        );
        assert_eq!(
            initial_status(Action::Block, false, false),
            (MessageStatus::Blocked, Some(DeliveryKind::Notice))
        );
        assert_eq!(
            initial_status(Action::Deliver, true, false),
            (MessageStatus::Held, None)
        );
        assert_eq!(
            initial_status(Action::Deliver, false, true),
            (MessageStatus::Blocked, Some(DeliveryKind::Notice))
        );
    }
}
