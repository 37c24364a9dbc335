//! `Relay::record`: the one path by which a judged message, from SMTP or
//! a seller's reply, is routed (policy verdict, conversation state, the
//! buyer's opt-out and, for mail, its own rules), audited and stored with
//! its queue entries in one transaction. The adapters say where a message
//! came from; what happens to it is decided here.

use serde_json::json;
use time::OffsetDateTime;

use super::{Relay, RelayError, initial_status, judge::Judgement, review_window::ReviewRequest};
use crate::domain::{
    Action, AuditAction, Conversation, DeliveryKind, Direction, MessageId, MessageSource,
    MessageStatus, NewAuditEvent, NewMessage, RateLimited, ReceivedMail, SELLER_RATE_LIMITED,
    SenderAuth, StoredMessage,
};

/// Why an automatic message was kept rather than relayed.
pub const AUTOMATIC_REPLY_LOOP: &str = "automatic_reply_loop";

/// What the seller is told when their mail came over a message limit.
pub fn rate_limited_notice(subject: &str, marketplace: &str) -> String {
    format!(
        "Your message \"{subject}\" was not delivered: you have written more messages \
         than {marketplace} allows in a short time (per hour in all your conversations, \
         or per day in this one).\n\n\
         It is kept for the record but will not be sent. Once that hour or day has \
         passed your messages are delivered again: send it again then.\n"
    )
}

/// A message as it arrived, with what its adapter learnt of it.
pub struct Arrival<'a> {
    pub id: MessageId,
    pub conversation: &'a Conversation,
    pub direction: Direction,
    pub source: MessageSource,
    /// Who wrote it, as the audit names them: `buyer` or `seller`, and the id.
    pub actor: (&'static str, String),
    /// The order it is about, when the sender named one (the opt-out lets
    /// messages about an order through).
    pub order_id: Option<&'a str>,
    /// The text as written, kept for audit.
    pub original_body: String,
    /// Shared with whoever received it: stored without a copy.
    pub raw_mime: Option<std::sync::Arc<Vec<u8>>>,
    pub original_message_id: Option<String>,
    pub in_reply_to: Option<String>,
    pub references: Vec<String>,
    /// Details of its `message.received` event beyond its source and
    /// conversation (a JSON object).
    pub details: serde_json::Value,
    /// What the SMTP session told about it; `None` for replies.
    pub mail: Option<MailFacts>,
}

/// What the relay learnt about a message that came by SMTP.
#[derive(Clone, Debug)]
pub struct MailFacts {
    /// RFC 3834 keyword when a machine sent it.
    pub automatic: Option<String>,
    /// Held for staff because the sender's authentication said so.
    pub held_for_authentication: bool,
    /// It answers automatic mail automatically.
    pub answers_automatic_mail: bool,
    /// What SPF, DKIM and DMARC said, stored with the message for staff.
    pub sender_auth: SenderAuth,
}

/// Where a judged message goes: its status, its queue entry, and why it
/// was blocked when the policy was not the reason.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Route {
    pub status: MessageStatus,
    pub enqueue: Option<DeliveryKind>,
    pub block_reason: Option<String>,
}

/// Mail the policy holds is answered at once with a "held for review"
/// notice naming why (mail's own rules may still withhold it); a hold for
/// any other reason (a suspended seller) says nothing yet.
fn held_notice(mut route: Route, action: Action) -> Route {
    if route.status == MessageStatus::Held && action == Action::Hold && route.enqueue.is_none() {
        route.enqueue = Some(DeliveryKind::Notice);
    }
    route
}

impl MailFacts {
    /// Mail's own rules over the route the verdict and the conversation gave.
    fn route(&self, mut route: Route) -> Route {
        if self.answers_automatic_mail && route.status != MessageStatus::Blocked {
            // RFC 3834 2: an automatic answer to automatic mail goes no further.
            route.status = MessageStatus::Blocked;
            route.block_reason = Some(AUTOMATIC_REPLY_LOOP.into());
        }
        if self.held_for_authentication && route.status != MessageStatus::Blocked {
            route.status = MessageStatus::Held;
            route.enqueue = None;
        }
        // Never answer a machine, nor a sender who may not be who the
        // notice would reach.
        if route.enqueue == Some(DeliveryKind::Notice) && !self.may_be_answered() {
            route.enqueue = None;
        }
        if route.status == MessageStatus::Blocked && route.enqueue == Some(DeliveryKind::Relay) {
            route.enqueue = None;
        }
        route
    }

    fn may_be_answered(&self) -> bool {
        self.automatic.is_none() && !self.held_for_authentication
    }
}

impl Relay {
    /// Counts a seller's message against their limits in the store (a
    /// buyer's is not limited); an error when a window is full.
    async fn count_seller_message(
        &self,
        conversation: &Conversation,
        direction: Direction,
    ) -> Result<Result<(), RateLimited>, RelayError> {
        if direction != Direction::SellerToBuyer {
            return Ok(Ok(()));
        }
        let now = OffsetDateTime::now_utc();
        let windows =
            self.config
                .seller_messages
                .windows(conversation.seller.id, conversation.id, now);
        let counted = self
            .store
            .seller_limits()
            .count_seller_message(&windows, now)
            .await?;
        if let Err(limited) = &counted {
            tracing::info!(
                conversation_id = %conversation.id,
                seller_id = %conversation.seller.id,
                until = %limited.until,
                "seller message over a rate limit"
            );
        }
        Ok(counted)
    }

    /// Routes, audits and stores a judged message in one transaction.
    pub async fn record(
        &self,
        arrival: Arrival<'_>,
        judged: &Judgement,
    ) -> Result<StoredMessage, RelayError> {
        let conversation = arrival.conversation;
        let (review_request, out_of_window) = match arrival.direction {
            Direction::SellerToBuyer => {
                self.judge_review_request(
                    conversation,
                    arrival.order_id,
                    &arrival.original_body,
                    judged,
                )
                .await?
            }
            Direction::BuyerToSeller => (ReviewRequest::None, None),
        };
        let with_request;
        let judged = match out_of_window {
            Some(finding) => {
                let mut j = judged.clone();
                j.action = j.action.max(finding.finding.action);
                j.findings.push(finding);
                with_request = j;
                &with_request
            }
            None => judged,
        };
        let route = match self
            .count_seller_message(conversation, arrival.direction)
            .await?
        {
            Ok(()) => {
                let routed = self
                    .route_after_opt_out(
                        conversation,
                        arrival.direction,
                        // The text alone: a reply's subject may be the
                        // relay's own ("About your order ...", "Re: ...").
                        (arrival.order_id, &judged.text),
                        initial_status(
                            judged.action,
                            conversation.seller.suspended,
                            conversation.blocked,
                        ),
                    )
                    .await?;
                Route {
                    status: routed.status,
                    enqueue: routed.enqueue,
                    block_reason: routed.block_reason.map(str::to_owned),
                }
            }
            // Mail was sent already: it is kept, blocked, and its sender told.
            Err(_) if arrival.mail.is_some() => Route {
                status: MessageStatus::Blocked,
                enqueue: Some(DeliveryKind::Notice),
                block_reason: Some(SELLER_RATE_LIMITED.into()),
            },
            // A reply is refused before anything is stored.
            Err(limited) => return Err(limited.into()),
        };
        let route = match &arrival.mail {
            Some(mail) => mail.route(held_notice(route, judged.action)),
            None => route,
        };
        let id = arrival.id;
        let removed = &judged.files.removed;
        let mut details = json!({
            "source": arrival.source.as_str(),
            "conversation_id": conversation.id,
        });
        if let (Some(all), Some(extra)) = (details.as_object_mut(), arrival.details.as_object()) {
            all.extend(extra.clone());
        }
        let (actor_kind, actor_id) = arrival.actor;
        let mut audit = vec![
            NewAuditEvent::new(
                actor_kind,
                Some(actor_id),
                AuditAction::MessageReceived,
                "message",
                id,
                details,
            ),
            NewAuditEvent::system(
                AuditAction::MessageDecided,
                "message",
                id,
                json!({ "action": judged.action, "status": route.status, "rules": judged.rules(), "reason": route.block_reason }),
            ),
        ];
        if !removed.is_empty() {
            audit.push(NewAuditEvent::system(
                AuditAction::MessageAttachmentsRemoved,
                "message",
                id,
                json!({ "files": removed }),
            ));
        }
        let names = self.shown_names(conversation, arrival.direction).await?;
        let new = NewMessage {
            id,
            conversation_id: conversation.id,
            direction: arrival.direction,
            source: arrival.source,
            subject: judged.subject.clone(),
            original_body: arrival.original_body,
            body: judged.text.clone(),
            html: judged.html.clone(),
            raw_mime: arrival.raw_mime,
            findings: judged.findings.clone(),
            files: judged.files.clone(),
            names: Some(names),
            action: judged.action,
            status: route.status,
            original_message_id: arrival.original_message_id,
            relayed_message_id: self.relayed_message_id(id),
            in_reply_to: arrival.in_reply_to,
            references: arrival.references,
            enqueue: route.enqueue,
            audit,
            created_at: OffsetDateTime::now_utc(),
        };
        let stored = match &arrival.mail {
            Some(mail) => {
                // Files of a type not passed on: the sender is told, unless
                // a notice about the whole message goes out anyway, or the
                // sender is a machine or may not be who the notice would reach.
                let notify_sender = !removed.is_empty()
                    && route.enqueue != Some(DeliveryKind::Notice)
                    && route.status != MessageStatus::Blocked
                    && mail.may_be_answered();
                let received = ReceivedMail {
                    block_reason: route.block_reason,
                    auto_submitted: mail.automatic.clone(),
                    sender_auth: mail.sender_auth.clone(),
                    notify_sender,
                };
                self.store
                    .messages()
                    .store_received_mail(&new, &received)
                    .await?
            }
            None => {
                self.store_routed(&new, route.block_reason.as_deref())
                    .await?
            }
        };
        if let ReviewRequest::Allowed(order) = &review_request
            && stored.status != MessageStatus::Blocked
        {
            self.store
                .review_requests()
                .record_review_request(conversation.id, order, id, new.created_at)
                .await?;
        }
        self.metrics
            .message_stored(arrival.direction, judged.action, new.status, &new.findings);
        tracing::info!(
            message_id = %id,
            conversation_id = %conversation.id,
            source = arrival.source.as_str(),
            action = judged.action.as_str(),
            status = stored.status.as_str(),
            auth = arrival.mail.as_ref().map(|m| m.sender_auth.verdict.as_str()),
            automatic = arrival.mail.as_ref().is_some_and(|m| m.automatic.is_some()),
            "message stored"
        );
        Ok(stored)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mail(automatic: bool, held: bool, answers_automatic: bool) -> MailFacts {
        MailFacts {
            automatic: automatic.then(|| "auto-replied".to_owned()),
            held_for_authentication: held,
            answers_automatic_mail: answers_automatic,
            sender_auth: SenderAuth::unchecked(
                crate::domain::AuthVerdict::Pass,
                crate::domain::sender_auth::RELAY,
                true,
            ),
        }
    }

    fn route(status: MessageStatus, enqueue: Option<DeliveryKind>) -> Route {
        Route {
            status,
            enqueue,
            block_reason: None,
        }
    }

    #[test]
    fn mail_rules_over_the_route() {
        let queued = || route(MessageStatus::Queued, Some(DeliveryKind::Relay));
        let blocked = || route(MessageStatus::Blocked, Some(DeliveryKind::Notice));
        assert_eq!(mail(false, false, false).route(queued()), queued());
        // A loop is blocked, and the automatic sender is not answered.
        assert_eq!(
            mail(true, false, true).route(queued()),
            Route {
                status: MessageStatus::Blocked,
                enqueue: None,
                block_reason: Some(AUTOMATIC_REPLY_LOOP.into()),
            }
        );
        assert_eq!(
            mail(false, true, false).route(queued()),
            route(MessageStatus::Held, None)
        );
        assert_eq!(
            mail(false, true, false).route(blocked()),
            route(MessageStatus::Blocked, None)
        );
        assert_eq!(mail(false, false, false).route(blocked()), blocked());
    }

    #[test]
    fn held_mail_is_answered_unless_automatic_or_unauthenticated() {
        let held = || held_notice(route(MessageStatus::Held, None), Action::Hold);
        let told = route(MessageStatus::Held, Some(DeliveryKind::Notice));
        assert_eq!(mail(false, false, false).route(held()), told);
        assert_eq!(
            mail(true, false, false).route(held()),
            route(MessageStatus::Held, None)
        );
        assert_eq!(
            mail(false, true, false).route(held()),
            route(MessageStatus::Held, None)
        );
        // Held because the seller is suspended: nothing to explain yet.
        assert_eq!(
            held_notice(route(MessageStatus::Held, None), Action::Deliver),
            route(MessageStatus::Held, None)
        );
    }
}
