//! Keeping only what is needed: the retention sweep that purges message
//! content past its period, and the party an erasure or export names.

use std::sync::Arc;

use time::OffsetDateTime;
use tokio_util::sync::CancellationToken;

use crate::{
    config::RetentionSettings,
    domain::{ConversationId, EmailAddress},
    store::{Store, StoreError, StoreResult, lifecycle::PartyRef},
};

/// Purges, batch by batch (each its own transaction), every message past
/// the retention period as of `now`; returns how many.
pub async fn purge_expired(
    store: &dyn Store,
    settings: &RetentionSettings,
    now: OffsetDateTime,
) -> StoreResult<u64> {
    purge_until(store, settings, now, &CancellationToken::new()).await
}

async fn purge_until(
    store: &dyn Store,
    settings: &RetentionSettings,
    now: OffsetDateTime,
    shutdown: &CancellationToken,
) -> StoreResult<u64> {
    let before = settings.cutoff(now);
    let mut total = 0;
    // A batch that was not full was the last; shutdown waits for at most one.
    while !shutdown.is_cancelled() {
        let purged = store
            .lifecycle()
            .purge_messages(before, settings.batch_size, now)
            .await?;
        total += purged;
        if purged < u64::from(settings.batch_size) {
            break;
        }
    }
    Ok(total)
}

/// Sweeps every `sweep_interval` until shutdown, finishing the batch it is in.
pub async fn run_until_stopped(
    store: Arc<dyn Store>,
    settings: RetentionSettings,
    shutdown: CancellationToken,
) {
    loop {
        match purge_until(
            store.as_ref(),
            &settings,
            OffsetDateTime::now_utc(),
            &shutdown,
        )
        .await
        {
            Ok(0) => {}
            Ok(purged) => tracing::info!(
                purged,
                days = settings.message_days,
                "message content purged after the retention period"
            ),
            Err(e) => tracing::error!(error = %e, "retention sweep failed"),
        }
        tokio::select! {
            _ = shutdown.cancelled() => break,
            _ = tokio::time::sleep(settings.sweep_interval) => {}
        }
    }
}

/// How the operator names a buyer: by a conversation they are in, or by
/// their real address.
pub enum BuyerKey {
    Conversation(ConversationId),
    Email(EmailAddress),
}

/// The buyer a key names; NotFound when none does.
pub async fn find_buyer(store: &dyn Store, key: &BuyerKey) -> StoreResult<PartyRef> {
    let buyer = match key {
        BuyerKey::Conversation(id) => {
            Some(store.conversations().get_conversation(*id).await?.buyer.id)
        }
        BuyerKey::Email(email) => store.lifecycle().buyer_by_email(email).await?,
    };
    buyer.map(PartyRef::Buyer).ok_or(StoreError::NotFound)
}
