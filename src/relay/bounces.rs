//! Bounces: mail that comes back to the signed return path of the relay's
//! own mail. Each is read (RFC 3464 or the usual prose), kept with the
//! message its return path names, and acted on in the same transaction
//! before the `250`: the message `bounced` and its sender told, the
//! recipient party marked when its address keeps bouncing.

use super::{Relay, links::ReturnPath};
use crate::{
    domain::{BounceKind, NewBounce},
    inbound::{Envelope, SinkError},
    mime,
    outbound::transport::scrub_addresses,
    store::StoreError,
};

impl crate::config::BounceSettings {
    /// The window within which hard bounces count, as the store takes it.
    pub fn window_span(&self) -> time::Duration {
        time::Duration::try_from(self.window).unwrap_or(time::Duration::days(30))
    }
}

/// A return path we signed, as `RCPT` sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReturnPathState {
    /// Takes bounces.
    Current,
    /// Past its lifetime, or its queue entry is gone: takes nothing.
    Expired,
}

impl Relay {
    /// What `rcpt` names, if it is a return path we signed that still
    /// takes bounces: one past its lifetime is like any unknown address.
    pub(super) fn return_path(&self, rcpt: &str) -> Option<ReturnPath> {
        self.signed_return_path(rcpt).filter(|path| {
            path.is_current(
                time::OffsetDateTime::now_utc(),
                self.bounce_settings.return_path_lifetime,
            )
        })
    }

    /// What `rcpt` names, if it is a return path we signed, current or not.
    fn signed_return_path(&self, rcpt: &str) -> Option<ReturnPath> {
        self.return_paths
            .as_ref()?
            .verify_return_path(rcpt, &self.config.relay_domain)
    }

    /// Whether `rcpt` is a return path we signed, and if so whether it
    /// still takes bounces, so that an expired one is refused at `RCPT`:
    /// one with a day by that day; one without (made before paths carried
    /// a day) by its entry's last attempt, read from the store. An entry
    /// that is gone takes nothing either.
    pub(super) async fn return_path_state(
        &self,
        rcpt: &str,
    ) -> Result<Option<ReturnPathState>, StoreError> {
        let Some(path) = self.signed_return_path(rcpt) else {
            return Ok(None);
        };
        let now = time::OffsetDateTime::now_utc();
        let lifetime = self.bounce_settings.return_path_lifetime;
        let current = match path.issued {
            Some(_) => path.is_current(now, lifetime),
            None => {
                let lifetime = time::Duration::try_from(lifetime).unwrap_or(time::Duration::MAX);
                self.store
                    .bounces()
                    .delivery_last_tried(path.delivery)
                    .await?
                    .is_some_and(|tried| tried >= now - lifetime)
            }
        };
        Ok(Some(if current {
            ReturnPathState::Current
        } else {
            ReturnPathState::Expired
        }))
    }

    /// Keeps a bounce for each return path it was sent to. The return path
    /// is the proof, so the sender's authentication is not asked: a bounce
    /// comes from whatever server refused the mail.
    pub(super) async fn accept_bounce(
        &self,
        envelope: &Envelope,
        raw: &[u8],
        deliveries: &[ReturnPath],
    ) -> Result<Vec<String>, SinkError> {
        // Checked at RCPT already; said again here, where it is decided.
        if !crate::inbound::is_bounce_sender(&envelope.mail_from) {
            return Err(SinkError::Permanent("unknown recipient".into()));
        }
        let copy = raw.to_vec();
        let report = self
            .cpu
            .run(move || mime::parse_bounce(&copy))
            .await
            .map_err(|e| {
                tracing::warn!(error = %e, "no capacity to read a bounce");
                SinkError::Temporary("busy, try again later".into())
            })?;
        let mut ids = Vec::with_capacity(deliveries.len());
        let now = time::OffsetDateTime::now_utc();
        for path in deliveries {
            let delivery = &path.delivery;
            let new = NewBounce {
                delivery: *delivery,
                // A return path without a day takes bounces as long as one
                // with the day of its entry's last attempt would.
                tried_since: path.issued.is_none().then(|| {
                    now - time::Duration::try_from(self.bounce_settings.return_path_lifetime)
                        .unwrap_or(time::Duration::MAX)
                }),
                kind: report.kind,
                status: report.status.clone(),
                diagnostic: report.diagnostic.as_deref().map(scrub_addresses),
                raw_mime: raw.to_vec(),
                received_at: time::OffsetDateTime::now_utc(),
                mark_after: self.bounce_settings.mark_after,
                window: self.bounce_settings.window_span(),
            };
            let recorded = match self.store.bounces().record_bounce(&new).await {
                Ok(recorded) => recorded,
                // Signed by us, but its entry is gone: nothing to attach it to.
                Err(StoreError::NotFound) => {
                    return Err(SinkError::Permanent("unknown recipient".into()));
                }
                Err(e) => {
                    tracing::error!(error = %e, "store failed while keeping a bounce");
                    return Err(SinkError::Temporary(
                        "storage unavailable, try again later".into(),
                    ));
                }
            };
            if recorded.bounced {
                self.metrics
                    .message_bounced(recorded.direction, recorded.action);
            }
            if let Some(role) = recorded.party_marked {
                tracing::warn!(conversation_id = %recorded.conversation, party = role.as_str(), "a party's address keeps bouncing");
            }
            tracing::info!(
                message_id = %recorded.message,
                delivery_id = %delivery,
                bounce = report.kind.as_str(),
                status = report.status.as_deref().unwrap_or("-"),
                standard = report.standard,
                message_bounced = recorded.bounced,
                "bounce received"
            );
            ids.push(recorded.message.to_string());
        }
        if report.kind == BounceKind::Other {
            tracing::info!("a bounce said neither failure nor delay; kept as it is");
        }
        Ok(ids)
    }
}
