//! The delivery worker. `try_deliver_next` is one step that tests can call;
//! `run_until_stopped` loops it until shutdown.

use std::{sync::Arc, time::Duration};

use time::OffsetDateTime;
use tokio_util::sync::CancellationToken;

use super::{
    Transport,
    dkim::Signer,
    letter::{self, LetterContext},
    retry,
    transport::scrub_addresses,
};
use crate::{
    config::{BounceSettings, DeliverySettings},
    domain::{Action, BounceKind, Delivery, DeliveryKind, Direction, NewBounce, StoredMessage},
    inbound::{BudgetShare, ByteBudget, SEND_COPIES},
    relay::{SharedPolicy, consent, links::LinkSigner},
    store::Store,
    telemetry::{AttemptResult, Metrics},
};

/// How often the worker records lapsed consents as expired.
const CONSENT_SWEEP_INTERVAL: Duration = Duration::from_secs(60);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeliveryOutcome {
    Delivered,
    /// Failed this time; tried again later.
    WillRetry,
    /// Failed for good; the message is marked `failed`.
    GaveUp,
    QueueEmpty,
    /// Withdrawn while claimed (a held-for-review notice staff decided on
    /// before it was sent): nothing sent, nothing to record.
    Withdrawn,
}

/// What became of a claimed entry that did not fail.
enum Sent {
    Sent,
    Withdrawn,
}

#[derive(Clone)]
pub struct Outbound {
    pub store: Arc<dyn Store>,
    pub policy: SharedPolicy,
    pub transport: Arc<Transport>,
    pub relay_domain: String,
    pub marketplace_name: String,
    /// The marketplace's own sender of staff notices (`Settings::notice_from`).
    pub notice_from: String,
    pub settings: DeliverySettings,
    /// Signs the links in mail to buyers (consent answers, reports, opt-out).
    pub links: Arc<LinkSigner>,
    /// Signs every outgoing mail with DKIM for the relay domain, when configured.
    pub dkim: Option<Arc<Signer>>,
    /// Counts attempts and what they meant for the messages they carried.
    pub metrics: Arc<Metrics>,
    /// When a smarthost's refusals mark the recipient party.
    pub bounces: BounceSettings,
    /// Memory messages may take in the whole process, shared with the SMTP
    /// sessions: a lane holds its letter's share from before it composes it
    /// until the attempt is recorded.
    pub budget: ByteBudget,
}

impl Outbound {
    /// Claims one due entry and tries to deliver it.
    pub async fn try_deliver_next(&self) -> Result<DeliveryOutcome, crate::store::StoreError> {
        let now = OffsetDateTime::now_utc();
        let claimed = tokio::time::Instant::now();
        let Some(delivery) = self
            .store
            .queue()
            .claim_next_delivery(now, self.settings.claim_lease)
            .await?
        else {
            return Ok(DeliveryOutcome::QueueEmpty);
        };
        self.deliver(delivery, claimed).await
    }

    /// Tries to deliver an entry this worker claimed at `claimed`.
    pub async fn deliver(
        &self,
        delivery: Delivery,
        claimed: tokio::time::Instant,
    ) -> Result<DeliveryOutcome, crate::store::StoreError> {
        // The letter's share of the memory budget is held until the attempt
        // is recorded: writing a message's new status rewrites its row, the
        // stored mail with it.
        let mut share = None;
        let (message, result) = self.send(&delivery, &mut share).await;
        let at = OffsetDateTime::now_utc();
        match result {
            Ok(Sent::Withdrawn) => {
                tracing::info!(delivery_id = %delivery.id, message_id = %delivery.message_id, "withdrawn before it was sent");
                Ok(DeliveryOutcome::Withdrawn)
            }
            Ok(Sent::Sent) => {
                self.record_sent(&delivery, at, claimed).await?;
                self.metrics
                    .delivery_attempt(delivery.kind, AttemptResult::Sent, message);
                tracing::info!(delivery_id = %delivery.id, message_id = %delivery.message_id, kind = delivery.kind.as_str(), "delivered");
                Ok(DeliveryOutcome::Delivered)
            }
            Err(mut failure) => {
                // A smarthost's reply quotes the recipient's address
                // ("550 5.1.1 <jane@buyer.example>"); it goes no further
                // than here, neither to the log nor to the store.
                failure.message = scrub_addresses(&failure.message);
                let attempts = u32::try_from(delivery.attempts)
                    .unwrap_or(u32::MAX)
                    .saturating_add(1);
                let delay = if failure.permanent {
                    None
                } else {
                    let age = (at - delivery.created_at).unsigned_abs();
                    retry::next_delay(&self.settings, attempts, age)
                };
                let retry_at = delay.map(|d| at + d);
                if failure.refused {
                    self.record_refusal(&delivery, at, &failure.message).await?;
                } else {
                    self.store
                        .queue()
                        .record_delivery_failure(delivery.id, at, &failure.message, retry_at)
                        .await?;
                }
                let result = match (failure.permanent, retry_at) {
                    (true, _) => AttemptResult::Bounced,
                    (false, Some(_)) => AttemptResult::Deferred,
                    (false, None) => AttemptResult::Failed,
                };
                self.metrics
                    .delivery_attempt(delivery.kind, result, message);
                tracing::warn!(delivery_id = %delivery.id, message_id = %delivery.message_id, attempts, permanent = failure.permanent, error = %failure.message, "delivery failed");
                Ok(if retry_at.is_some() {
                    DeliveryOutcome::WillRetry
                } else {
                    DeliveryOutcome::GaveUp
                })
            }
        }
    }

    /// Records a smarthost's `5xx`: the entry given up like any permanent
    /// failure, and kept as a hard bounce of the recipient, which counts
    /// toward marking the party as a DSN does.
    async fn record_refusal(
        &self,
        delivery: &Delivery,
        at: OffsetDateTime,
        reply: &str,
    ) -> Result<(), crate::store::StoreError> {
        let refusal = NewBounce {
            delivery: delivery.id,
            tried_since: None,
            kind: BounceKind::Failed,
            status: crate::mime::dsn::enhanced_status(reply),
            diagnostic: Some(reply.to_owned()),
            // Nothing came back by mail: the reply is all there is.
            raw_mime: Vec::new(),
            received_at: at,
            mark_after: self.bounces.mark_after,
            window: self.bounces.window_span(),
        };
        let marked = self.store.bounces().record_refusal(&refusal).await?;
        if let Some(role) = marked {
            tracing::warn!(delivery_id = %delivery.id, message_id = %delivery.message_id, party = role.as_str(), "a party's address keeps bouncing");
        }
        Ok(())
    }

    /// Records a send the smarthost took. The mail is out now, so a passing
    /// database outage must not lose the record: without it the entry's
    /// lease runs out and the mail goes out again. Tries again until the
    /// lease is nearly over (after that another worker may claim it anyway).
    async fn record_sent(
        &self,
        delivery: &Delivery,
        at: OffsetDateTime,
        claimed: tokio::time::Instant,
    ) -> Result<(), crate::store::StoreError> {
        let mut wait = Duration::from_millis(100);
        loop {
            match self
                .store
                .queue()
                .record_delivery_success(delivery.id, at)
                .await
            {
                Ok(()) => return Ok(()),
                Err(e) if claimed.elapsed() + wait < self.settings.claim_lease => {
                    tracing::warn!(delivery_id = %delivery.id, error = %e, "delivered but not yet recorded; trying again");
                    tokio::time::sleep(wait).await;
                    wait = (wait * 2).min(Duration::from_secs(1));
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// Builds and sends one entry; says, beside the result, the direction and
    /// action of the message it carried, when that could be read.
    async fn send(
        &self,
        delivery: &Delivery,
        share: &mut Option<BudgetShare>,
    ) -> (Option<(Direction, Action)>, Result<Sent, super::SendError>) {
        let mut carried = None;
        let result = self.build_and_send(delivery, &mut carried, share).await;
        (carried, result)
    }

    /// Takes the letter's share of the memory budget into `share` before
    /// composing it: the lanes together never compose more large letters
    /// than the budget has room for.
    async fn build_and_send(
        &self,
        delivery: &Delivery,
        carried: &mut Option<(Direction, Action)>,
        share: &mut Option<BudgetShare>,
    ) -> Result<Sent, super::SendError> {
        let policy = self.policy.current();
        let built = async {
            let message = self
                .store
                .messages()
                .get_message(delivery.message_id)
                .await?;
            *carried = Some((message.direction, message.action));
            *share = Some(self.take_share(delivery.kind, &message).await?);
            let conversation = self
                .store
                .conversations()
                .get_conversation(message.conversation_id)
                .await?;
            let consented_phones = consent::consented_phones(
                self.store.as_ref(),
                &conversation,
                message.direction,
                OffsetDateTime::now_utc(),
            )
            .await?;
            let ctx = LetterContext {
                store: self.store.as_ref(),
                policy: &policy,
                relay_domain: &self.relay_domain,
                marketplace_name: &self.marketplace_name,
                notice_from: &self.notice_from,
                links: &self.links,
                consented_phones,
            };
            letter::build(&ctx, delivery.kind, &message, &conversation).await
        }
        .await;
        let mut letter = built.map_err(|e| match e {
            letter::LetterError::Compose(_) => super::SendError::invalid(e.to_string()),
            _ => super::SendError::temporary(e.to_string()),
        })?;
        // Bounces come back to a return path that names this entry.
        letter.envelope_from = self.links.return_path(
            delivery.id,
            &self.relay_domain,
            OffsetDateTime::now_utc().date(),
        );
        if let Some(signer) = &self.dkim {
            letter.bytes = signer
                .sign(&letter.bytes)
                .map_err(|e| super::SendError::temporary(e.to_string()))?;
        }
        let name = format!(
            "{}-{}",
            OffsetDateTime::now_utc().unix_timestamp(),
            delivery.id
        );
        // The last word before sending: a notice staff withdrew since the
        // claim (their decision tells the sender instead) is not sent. Past
        // this claim the decision leaves the entry to us.
        let claimed = self
            .store
            .queue()
            .start_send(delivery.id, OffsetDateTime::now_utc())
            .await
            .map_err(|e| super::SendError::temporary(e.to_string()))?;
        if !claimed {
            return Ok(Sent::Withdrawn);
        }
        self.transport
            .send(&letter.envelope_from, &letter.to, &letter.bytes, &name)
            .await
            .map(|()| Sent::Sent)
    }

    /// Waits for the share of the budget the letter for `message` takes.
    /// Within half the claim's lease, so the entry is still ours when the
    /// wait ends; past that the attempt fails for now and is tried again.
    async fn take_share(
        &self,
        kind: DeliveryKind,
        message: &StoredMessage,
    ) -> Result<BudgetShare, letter::LetterError> {
        let size = letter::size_hint(kind, message);
        let wait = self.settings.claim_lease / 2;
        match self.budget.acquire(size, SEND_COPIES, wait).await {
            Some(share) => Ok(share),
            None => {
                tracing::warn!(message_id = %message.id, size, "no room in the memory budget for this letter");
                Err(letter::LetterError::Busy)
            }
        }
    }

    /// Records lapsed consents as expired (with their audit events). Whether
    /// a grant holds is always decided by its end time, so this sweep only
    /// keeps the record and the audit trail current.
    pub async fn sweep_consents(&self) -> Result<u64, crate::store::StoreError> {
        let expired = self
            .store
            .consents()
            .expire_consents(OffsetDateTime::now_utc())
            .await?;
        if expired > 0 {
            tracing::info!(expired, "consents expired");
        }
        Ok(expired)
    }

    /// Runs `delivery.concurrency` lanes, each claiming and sending one
    /// entry at a time, until shutdown; each finishes the send it is in.
    pub async fn run_until_stopped(self, shutdown: CancellationToken) {
        let mut lanes = tokio::task::JoinSet::new();
        for lane in 0..self.settings.concurrency.max(1) {
            lanes.spawn(self.clone().run_lane(lane, shutdown.clone()));
        }
        while let Some(done) = lanes.join_next().await {
            if let Err(e) = done {
                tracing::error!(error = %e, "delivery lane failed");
            }
        }
        tracing::info!("delivery worker stopped");
    }

    /// Delivers until the queue is empty, then waits `poll_interval`; stops
    /// between entries once `shutdown` fires. Lane 0 also sweeps consents.
    async fn run_lane(self, lane: u32, shutdown: CancellationToken) {
        let mut last_sweep: Option<tokio::time::Instant> = None;
        loop {
            if shutdown.is_cancelled() {
                break;
            }
            if lane == 0 && last_sweep.is_none_or(|at| at.elapsed() >= CONSENT_SWEEP_INTERVAL) {
                last_sweep = Some(tokio::time::Instant::now());
                if let Err(e) = self.sweep_consents().await {
                    tracing::error!(error = %e, "consent sweep failed");
                }
            }
            let idle = match self.try_deliver_next().await {
                Ok(DeliveryOutcome::QueueEmpty) => self.settings.poll_interval,
                Ok(_) => Duration::ZERO,
                Err(e) => {
                    tracing::error!(error = %e, "delivery worker cannot reach the store");
                    Duration::from_secs(2)
                }
            };
            if !idle.is_zero() {
                tokio::select! {
                    _ = shutdown.cancelled() => break,
                    _ = tokio::time::sleep(idle) => {},
                }
            }
        }
    }
}
