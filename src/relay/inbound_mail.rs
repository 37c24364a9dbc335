//! Mail that arrived over SMTP: who may send to an alias (the counterpart,
//! proven by SPF, DKIM and DMARC), and accepting a message (judged, stored
//! and queued in one transaction) before the `250`.

use std::{net::IpAddr, sync::Arc};

use serde_json::json;

use super::{
    Relay, RelayError,
    judge::{Judgement, judge, judge_attachments},
    party_regions, record,
    refusals::RefusalKey,
};
use crate::{
    domain::{
        AliasSide, AuditAction, AuthAction, AuthVerdict, Conversation, Direction, EmailAddress,
        MessageId, MessageSource, MessageStatus, NewAuditEvent, RelayAddress,
    },
    inbound::{Envelope, RawMail, SinkError},
    mime,
    policy::{EvalContext, Policy},
    store::{StoreError, StoreResult},
};

pub use super::record::AUTOMATIC_REPLY_LOOP;

/// A recipient alias, resolved.
type Target = (Conversation, AliasSide);

/// How one accepted message is routed, beyond what the policy says.
struct Arrival<'a> {
    envelope: &'a Envelope,
    /// The raw MIME exactly as received, stored as it is without a copy.
    raw: &'a RawMail,
    parsed: &'a Arc<mime::ParsedMail>,
    /// RFC 3834 keyword when a machine sent it.
    automatic: Option<&'a str>,
    /// Held for staff because the sender's authentication said so.
    held_for_authentication: bool,
}

impl Relay {
    /// The conversation an address belongs to and which alias it is.
    async fn resolve_alias(&self, rcpt: &str) -> Result<Option<Target>, StoreError> {
        let Some(alias) = RelayAddress::parse(rcpt, &self.config.relay_domain) else {
            return Ok(None);
        };
        let Some(conversation) = self
            .store
            .conversations()
            .conversation_by_alias(alias.local())
            .await?
        else {
            return Ok(None);
        };
        let side = if conversation.seller_alias == alias.local() {
            AliasSide::Seller
        } else {
            AliasSide::Buyer
        };
        Ok(Some((conversation, side)))
    }

    /// Only the counterpart's registered address may write to an alias.
    fn sender_allowed(conversation: &Conversation, side: AliasSide, mail_from: &str) -> bool {
        let Ok(sender) = EmailAddress::parse(mail_from) else {
            return false;
        };
        match side {
            AliasSide::Seller => sender == conversation.buyer.email,
            AliasSide::Buyer => sender == conversation.seller.email,
        }
    }

    fn alias_key((conversation, side): &Target) -> String {
        match side {
            AliasSide::Seller => conversation.seller_alias.clone(),
            AliasSide::Buyer => conversation.buyer_alias.clone(),
        }
    }

    /// Decides on the whole transaction, then stores one copy per alias.
    /// Every step before the sender is compared with the parties depends
    /// only on what the sender proved, never on whom it named, so a guess
    /// that names the real party and one that does not get the same answer.
    async fn accept_transaction(
        &self,
        envelope: &Envelope,
        raw: &RawMail,
    ) -> Result<Vec<String>, SinkError> {
        let returns: Vec<_> = envelope
            .rcpt_to
            .iter()
            .map(|r| self.return_path(r))
            .collect();
        if returns.iter().any(Option::is_some) {
            // A bounce is for return paths only.
            let Some(deliveries) = returns.into_iter().collect::<Option<Vec<_>>>() else {
                return Err(SinkError::Permanent("unknown recipient".into()));
            };
            return self.accept_bounce(envelope, raw, &deliveries).await;
        }
        let mut targets = Vec::with_capacity(envelope.rcpt_to.len());
        for rcpt in &envelope.rcpt_to {
            match self.resolve_alias(rcpt).await {
                Ok(Some(target)) => targets.push(target),
                Ok(None) => return Err(SinkError::Permanent("unknown recipient".into())),
                Err(e) => return Err(temporary(e)),
            }
        }
        let auth = &envelope.auth;
        let action = self.config.auth_policy.action(auth.verdict);
        if action == AuthAction::TempFail {
            return Err(SinkError::AuthUnavailable);
        }
        let proven = auth.verdict == AuthVerdict::Pass;
        let allowed = targets
            .iter()
            .all(|(c, side)| Self::sender_allowed(c, *side, &envelope.mail_from));
        // A locked alias, or one whose count the store cannot give now,
        // takes only mail its counterpart proved it wrote.
        let mut locked = false;
        for target in &targets {
            let alias = Self::alias_key(target);
            locked = locked || self.refusals.is_locked(RefusalKey::Alias(&alias)).await;
        }
        if locked && !(allowed && proven) {
            return Err(SinkError::RecipientThrottled);
        }
        if !allowed || action == AuthAction::Refuse {
            self.record_refusal(envelope, &targets, allowed).await;
            return Err(SinkError::SenderNotAllowed);
        }
        let shared = Arc::clone(raw);
        let mut parsed = Arc::new(
            self.cpu
                .run(move || mime::parse(&shared))
                .await
                .map_err(busy)?,
        );
        // Each recipient alias is its own conversation, judged in its own
        // context, and gets its own copy.
        let mut judged = Vec::with_capacity(targets.len());
        for (conversation, side) in &targets {
            judged.push(self.judge_for(&parsed, conversation, *side).await?);
        }
        // The files are judged and their record made: their decoded bytes
        // are not needed while the message is stored (the raw MIME keeps
        // them), so they go before the store makes its copies.
        if let Some(only) = Arc::get_mut(&mut parsed) {
            for file in &mut only.attachments {
                file.data = Vec::new();
            }
        }
        let automatic = mime::auto_submitted(raw);
        let arrival = Arrival {
            envelope,
            raw,
            parsed: &parsed,
            automatic: automatic.as_deref(),
            held_for_authentication: action == AuthAction::Hold,
        };
        let mut ids = Vec::with_capacity(targets.len());
        // A failure part-way answers 451 for the whole transaction; a retry
        // may then store an earlier copy twice, which is safer than losing one.
        for ((conversation, side), judged) in targets.iter().zip(&judged) {
            ids.push(
                self.accept_one(&arrival, conversation, *side, judged)
                    .await?
                    .to_string(),
            );
        }
        Ok(ids)
    }

    /// Counts a refusal against each alias (when the sender proved nothing,
    /// so it may be guessing) and tells staff, per conversation, why.
    async fn record_refusal(&self, envelope: &Envelope, targets: &[Target], allowed: bool) {
        let proven = envelope.auth.verdict == AuthVerdict::Pass;
        for target in targets {
            if !proven {
                let alias = Self::alias_key(target);
                self.refusals.record(RefusalKey::Alias(&alias)).await;
            }
            let event = NewAuditEvent::system(
                AuditAction::MessageRefused,
                "conversation",
                target.0.id,
                json!({
                    "reason": if allowed { "sender_not_authenticated" } else { "sender_not_allowed" },
                    "authentication": envelope.auth.summary(),
                    "peer": envelope.peer.ip().to_string(),
                }),
            );
            if let Err(e) = self.store.audit().record_audit(&event).await {
                tracing::error!(error = %e, "cannot record a refused message");
            }
        }
    }

    /// The mail judged as it goes to the alias `side` of `conversation`.
    async fn judge_for(
        &self,
        parsed: &Arc<mime::ParsedMail>,
        conversation: &Conversation,
        side: AliasSide,
    ) -> Result<Judgement, SinkError> {
        let direction = side.direction();
        // While the buyer's consent holds, their phone number reaches the seller.
        let context = EvalContext {
            regions: party_regions(conversation),
            consented_phones: self
                .consented_phones(conversation, direction)
                .await
                .map_err(temporary)?,
            extra_allowed_domains: super::help_domains(
                self.store.as_ref(),
                conversation,
                direction,
            )
            .await
            .map_err(temporary)?,
        };
        let policy = self.policy.current();
        let mail = parsed.clone();
        let metrics = self.metrics.clone();
        self.cpu
            .run(move || metrics.time_policy(|| judge_mail(&policy, direction, &context, &mail)))
            .await
            .map_err(busy)
    }

    async fn accept_one(
        &self,
        arrival: &Arrival<'_>,
        conversation: &Conversation,
        side: AliasSide,
        judged: &Judgement,
    ) -> Result<MessageId, SinkError> {
        let (envelope, parsed) = (arrival.envelope, arrival.parsed);
        let direction = side.direction();
        let answers_automatic_mail = match arrival.automatic {
            Some(_) => self
                .answers_automatic_mail(conversation, direction, parsed)
                .await
                .map_err(temporary)?,
            None => false,
        };
        let id = MessageId::new();
        let actor = match side {
            AliasSide::Seller => ("buyer", conversation.buyer.id.to_string()),
            AliasSide::Buyer => ("seller", conversation.seller.id.to_string()),
        };
        let received = record::Arrival {
            id,
            conversation,
            direction,
            source: MessageSource::Email,
            actor,
            // Mail carries no order id: only the conversation's own says what it is about.
            order_id: None,
            original_body: parsed.text.clone(),
            raw_mime: Some(Arc::clone(arrival.raw)),
            original_message_id: parsed.message_id.clone(),
            in_reply_to: parsed.in_reply_to.clone(),
            references: parsed.references.clone(),
            details: json!({
                "size": arrival.raw.len(),
                "peer": envelope.peer.ip().to_string(),
                "malformed": parsed.malformed,
                "attachments": parsed.attachments.len(),
                "authentication": envelope.auth.summary(),
                "held_for_authentication": arrival.held_for_authentication,
                "automatic": arrival.automatic,
            }),
            mail: Some(record::MailFacts {
                automatic: arrival.automatic.map(str::to_owned),
                held_for_authentication: arrival.held_for_authentication,
                answers_automatic_mail,
                sender_auth: envelope.auth.clone(),
            }),
        };
        self.record(received, judged).await.map_err(|e| match e {
            RelayError::Cpu(e) => busy(e),
            other => temporary(other),
        })?;
        Ok(id)
    }

    /// Whether automatic mail answers automatic mail: the message it
    /// replies to (by In-Reply-To), or else the last one relayed to its
    /// sender, was itself automatic, or was one of our notices.
    async fn answers_automatic_mail(
        &self,
        conversation: &Conversation,
        direction: Direction,
        parsed: &mime::ParsedMail,
    ) -> StoreResult<bool> {
        if let Some(irt) = parsed.in_reply_to.as_deref() {
            if irt.starts_with("notice-") {
                return Ok(true);
            }
            if let Some(earlier) = self
                .store
                .messages()
                .message_by_header_id(conversation.id, irt)
                .await?
                && earlier.direction != direction
            {
                return Ok(earlier.auto_submitted.is_some());
            }
        }
        let messages = self.store.messages().list_messages(conversation.id).await?;
        Ok(messages
            .iter()
            .rev()
            .find(|m| {
                m.direction != direction
                    && matches!(m.status, MessageStatus::Queued | MessageStatus::Sent)
            })
            .is_some_and(|m| m.auto_submitted.is_some()))
    }
}

/// A received mail judged as the relay judges it: subject, text, HTML and
/// attachments.
pub fn judge_mail(
    policy: &Policy,
    direction: Direction,
    context: &EvalContext,
    parsed: &mime::ParsedMail,
) -> Judgement {
    let mut judged = judge(
        policy,
        direction,
        context,
        parsed.subject.as_deref().unwrap_or_default(),
        &parsed.text,
        parsed.html.as_deref(),
    );
    judge_attachments(policy, direction, context, &mut judged, &parsed.attachments);
    judged
}

/// No core free to parse or judge: the client retries later (451).
fn busy(e: crate::cpu::CpuError) -> SinkError {
    tracing::warn!(error = %e, "no capacity to judge mail");
    SinkError::Temporary("busy, try again later".into())
}

fn temporary(e: impl std::fmt::Display) -> SinkError {
    tracing::error!(error = %e, "store failed while accepting mail");
    SinkError::Temporary("storage unavailable, try again later".into())
}

/// Whom an SMTP recipient names, as the relay sees it.
pub enum Recipient {
    /// A signed return path: a bounce of mail the relay sent.
    ReturnPath,
    /// A return path the relay signed that no longer takes bounces.
    ExpiredReturnPath,
    /// A conversation's alias.
    Alias,
    /// Nobody the relay knows.
    Unknown,
}

/// The relay's side of an SMTP session; the `MailSink` adapter that hands
/// these to the listener lives with the wiring (`app.rs`).
impl Relay {
    /// Whom `rcpt_to` names.
    pub async fn recipient(&self, rcpt_to: &str) -> StoreResult<Recipient> {
        match self.return_path_state(rcpt_to).await? {
            Some(super::bounces::ReturnPathState::Current) => return Ok(Recipient::ReturnPath),
            Some(super::bounces::ReturnPathState::Expired) => {
                return Ok(Recipient::ExpiredReturnPath);
            }
            None => {}
        }
        Ok(match self.resolve_alias(rcpt_to).await? {
            Some(_) => Recipient::Alias,
            None => Recipient::Unknown,
        })
    }

    /// Judges, stores and queues one SMTP transaction; `Ok` only once it is
    /// stored, so the listener may answer `250`.
    pub async fn accept_mail(
        &self,
        envelope: &Envelope,
        raw: &RawMail,
    ) -> Result<Vec<String>, SinkError> {
        self.accept_transaction(envelope, raw).await
    }

    /// Whether this client address has used up its refused-recipient allowance.
    pub async fn client_throttled(&self, peer: IpAddr) -> super::refusals::Limit {
        self.refusals.check(RefusalKey::Client(peer)).await
    }

    /// Counts one refused recipient against this client address.
    pub async fn client_refused(&self, peer: IpAddr) {
        self.refusals.record(RefusalKey::Client(peer)).await;
    }
}
