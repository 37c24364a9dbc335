//! `Relay::record`: the one path by which a judged message, from SMTP or
//! a seller's reply, is routed (policy verdict, conversation state, the
//! buyer's opt-out and, for mail, its own rules), audited and stored with
//! its queue entries in one transaction. The adapters say where a message
//! came from; what happens to it is decided here.

use serde_json::json;
use time::OffsetDateTime;

use super::{Relay, RelayError, initial_status, judge::Judgement};
use crate::catalogue::Words;
use crate::domain::{
    Action, AuditAction, Conversation, DeliveryKind, Direction, GateRefusal, MessageId,
    MessageSource, MessageStatus, NewAuditEvent, NewMessage, RateLimited, ReceivedMail,
    SELLER_RATE_LIMITED, SellerGate, SenderAuth, StoredMessage,
};
use crate::store::StoreAs;

/// Why an automatic message was kept rather than relayed.
pub const AUTOMATIC_REPLY_LOOP: &str = "automatic_reply_loop";

/// What the seller is told when their mail came over a message limit.
pub fn rate_limited_notice(words: Words, subject: &str, marketplace: &str) -> String {
    format!(
        "{}\n\n{}\n",
        words.with(
            "rate-limited-notice",
            &[
                ("subject", subject.into()),
                ("marketplace", marketplace.into())
            ]
        ),
        words.get("rate-limited-notice-again"),
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

/// Adds a finding the relay made to the policy's judgement: the strictest
/// action wins.
fn add_finding(judged: &mut Judgement, finding: crate::domain::StoredFinding) {
    judged.action = judged.action.max(finding.finding.action);
    judged.findings.push(finding);
}

/// How often a message is routed again when the store finds the seller's
/// suspension changed under it; more would mean staff toggling it in a loop.
const ROUTING_ATTEMPTS: usize = 4;

impl Relay {
    /// Where a message goes, given whether its seller is suspended and
    /// whether it came over a limit.
    async fn route(
        &self,
        arrival: &Arrival<'_>,
        judged: &Judgement,
        suspended: bool,
        limited: Option<RateLimited>,
    ) -> Result<Route, RelayError> {
        let conversation = arrival.conversation;
        let route = match limited {
            None => {
                let routed = self
                    .route_after_opt_out(
                        conversation,
                        arrival.direction,
                        // The text alone: a reply's subject may be the
                        // relay's own ("About your order ...", "Re: ...").
                        (arrival.order_id, &judged.text),
                        initial_status(judged.action, suspended, conversation.blocked),
                    )
                    .await?;
                Route {
                    status: routed.status,
                    enqueue: routed.enqueue,
                    block_reason: routed.block_reason.map(str::to_owned),
                }
            }
            // Mail was sent already: it is kept, blocked, and its sender told.
            Some(_) if arrival.mail.is_some() => Route {
                status: MessageStatus::Blocked,
                enqueue: Some(DeliveryKind::Notice),
                block_reason: Some(SELLER_RATE_LIMITED.into()),
            },
            // A reply is refused before anything is stored.
            Some(limited) => return Err(limited.into()),
        };
        Ok(match &arrival.mail {
            Some(mail) => mail.route(held_notice(route, judged.action)),
            None => route,
        })
    }

    /// Routes, audits and stores a judged message in one transaction, which
    /// also takes the seller's rate-limit slots and checks their suspension
    /// (`MessageStore::store_gated`): a message stored counts, one that
    /// fails to store does not, and a suspension that lands first is
    /// honoured by routing the message again.
    pub async fn record(
        &self,
        mut arrival: Arrival<'_>,
        judged: &Judgement,
    ) -> Result<StoredMessage, RelayError> {
        let conversation = arrival.conversation;
        let id = arrival.id;
        // A seller's request for a review counts once per order, after
        // delivery; any other is unsolicited and judged as such.
        let (mut review_request, out_of_window) = match arrival.direction {
            Direction::SellerToBuyer => {
                self.judge_review_request(
                    conversation,
                    arrival.order_id,
                    &mut arrival.original_body,
                    judged,
                )
                .await?
            }
            Direction::BuyerToSeller => (None, None),
        };
        let mut judged = std::borrow::Cow::Borrowed(judged);
        if let Some(finding) = out_of_window {
            add_finding(judged.to_mut(), finding);
        }
        let mut details = json!({
            "source": arrival.source.as_str(),
            "conversation_id": conversation.id,
        });
        if let (Some(all), Some(extra)) = (details.as_object_mut(), arrival.details.as_object()) {
            all.extend(extra.clone());
        }
        let (actor_kind, actor_id) = arrival.actor.clone();
        let received_event = NewAuditEvent::new(
            actor_kind,
            Some(actor_id),
            AuditAction::MessageReceived,
            "message",
            id,
            details,
        );
        let names = self.shown_names(conversation, arrival.direction).await?;
        let mut new = NewMessage {
            id,
            conversation_id: conversation.id,
            direction: arrival.direction,
            source: arrival.source,
            subject: judged.subject.clone(),
            original_body: std::mem::take(&mut arrival.original_body),
            body: judged.text.clone(),
            html: judged.html.clone(),
            raw_mime: arrival.raw_mime.take(),
            findings: judged.findings.clone(),
            files: judged.files.clone(),
            names: Some(names),
            action: judged.action,
            status: MessageStatus::Queued,
            original_message_id: arrival.original_message_id.take(),
            relayed_message_id: self.relayed_message_id(id),
            in_reply_to: arrival.in_reply_to.take(),
            references: std::mem::take(&mut arrival.references),
            enqueue: None,
            audit: Vec::new(),
            created_at: OffsetDateTime::now_utc(),
        };
        let mut suspended = conversation.seller.suspended;
        let mut limited = None;
        let mut attempts = 0;
        let (stored, route) = loop {
            attempts += 1;
            let route = self.route(&arrival, &judged, suspended, limited).await?;
            new.status = route.status;
            new.enqueue = route.enqueue;
            new.audit = vec![
                received_event.clone(),
                NewAuditEvent::system(
                    AuditAction::MessageDecided,
                    "message",
                    id,
                    json!({ "action": judged.action, "status": route.status, "rules": judged.rules(), "reason": route.block_reason }),
                ),
            ];
            if !judged.files.removed.is_empty() {
                new.audit.push(NewAuditEvent::system(
                    AuditAction::MessageAttachmentsRemoved,
                    "message",
                    id,
                    json!({ "files": judged.files.removed }),
                ));
            }
            let received = arrival.mail.as_ref().map(|mail| ReceivedMail {
                block_reason: route.block_reason.clone(),
                auto_submitted: mail.automatic.clone(),
                sender_auth: mail.sender_auth.clone(),
                // Files of a type not passed on: the sender is told, unless
                // a notice about the whole message goes out anyway, or the
                // sender is a machine or may not be who the notice would reach.
                notify_sender: !judged.files.removed.is_empty()
                    && route.enqueue != Some(DeliveryKind::Notice)
                    && route.status != MessageStatus::Blocked
                    && mail.may_be_answered(),
            });
            let how = match &received {
                Some(received) => StoreAs::Received(received),
                None => StoreAs::Routed {
                    block_reason: route.block_reason.as_deref(),
                },
            };
            // A seller's message takes its slots, unless it is over a limit
            // already (kept, blocked, counted nowhere); a buyer's takes none.
            let windows = match (arrival.direction, limited) {
                (Direction::SellerToBuyer, None) => self
                    .config
                    .seller_messages
                    .windows(conversation.seller.id, conversation.id, new.created_at)
                    .to_vec(),
                _ => Vec::new(),
            };
            let gate = SellerGate {
                seller: conversation.seller.id,
                suspended,
                windows,
                at: new.created_at,
                // A blocked message asks nobody anything.
                review_request: review_request
                    .as_ref()
                    .filter(|_| route.status != MessageStatus::Blocked)
                    .map(|claim| claim.order.clone()),
            };
            match self.store.messages().store_gated(&new, how, &gate).await? {
                Ok(stored) => break (stored, route),
                Err(GateRefusal::RateLimited(over)) => {
                    tracing::info!(
                        conversation_id = %conversation.id,
                        seller_id = %conversation.seller.id,
                        until = %over.until,
                        "seller message over a rate limit"
                    );
                    limited = Some(over);
                }
                Err(GateRefusal::SuspensionChanged { suspended: now }) => {
                    tracing::info!(
                        conversation_id = %conversation.id,
                        seller_id = %conversation.seller.id,
                        suspended = now,
                        "seller suspension changed while the message was judged"
                    );
                    suspended = now;
                }
                Err(GateRefusal::ReviewRequestRepeated) => {
                    tracing::info!(
                        conversation_id = %conversation.id,
                        "another message asked for the order's review first"
                    );
                    if let Some(claim) = review_request.take() {
                        add_finding(judged.to_mut(), claim.if_repeated);
                        new.findings.clone_from(&judged.findings);
                        new.action = judged.action;
                    }
                }
            }
            if attempts >= ROUTING_ATTEMPTS {
                return Err(RelayError::Store(crate::store::StoreError::Unavailable(
                    "the seller's suspension kept changing while the message was stored".into(),
                )));
            }
        };
        self.metrics
            .message_stored(arrival.direction, judged.action, new.status, &new.findings);
        tracing::info!(
            message_id = %id,
            conversation_id = %conversation.id,
            source = arrival.source.as_str(),
            action = judged.action.as_str(),
            status = stored.status.as_str(),
            block_reason = route.block_reason.as_deref(),
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
