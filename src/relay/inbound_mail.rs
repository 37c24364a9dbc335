//! Mail that arrived over SMTP: who may send to an alias, and accepting a
//! message (judged, stored and queued in one transaction) before the `250`.

use std::sync::Arc;

use async_trait::async_trait;
use serde_json::json;
use time::OffsetDateTime;

use super::{
    Relay,
    attachments::removed_files,
    initial_status,
    judge::{judge, judge_attachments},
    party_regions,
};
use crate::{
    domain::{
        AliasSide, Conversation, DeliveryKind, EmailAddress, MessageId, MessageSource,
        NewAuditEvent, NewMessage, RelayAddress,
    },
    inbound::{Envelope, MailSink, RcptVerdict, SinkError},
    mime,
    policy::EvalContext,
    store::StoreError,
};

impl Relay {
    /// The conversation an address belongs to and which alias it is.
    async fn resolve_alias(
        &self,
        rcpt: &str,
    ) -> Result<Option<(Conversation, AliasSide)>, StoreError> {
        let Some(alias) = RelayAddress::parse(rcpt, &self.config.relay_domain) else {
            return Ok(None);
        };
        let Some(conversation) = self.store.conversation_by_alias(alias.local()).await? else {
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

    async fn accept_one(
        &self,
        envelope: &Envelope,
        rcpt: &str,
        raw: &[u8],
        parsed: &Arc<mime::ParsedMail>,
    ) -> Result<MessageId, SinkError> {
        let (conversation, side) = match self.resolve_alias(rcpt).await {
            Ok(Some(found)) => found,
            Ok(None) => return Err(SinkError::Permanent("unknown recipient".into())),
            Err(e) => return Err(temporary(e)),
        };
        if !Self::sender_allowed(&conversation, side, &envelope.mail_from) {
            return Err(SinkError::Permanent(
                "sender not allowed for this address".into(),
            ));
        }
        let direction = side.direction();
        // While the buyer's consent holds, their phone number reaches the seller.
        let context = EvalContext {
            regions: party_regions(&conversation),
            consented_phones: self
                .consented_phones(&conversation, direction)
                .await
                .map_err(temporary)?,
        };
        let policy = self.policy.current();
        let mail = parsed.clone();
        let judged = self
            .cpu
            .run(move || {
                let mut judged = judge(
                    &policy,
                    direction,
                    &context,
                    mail.subject.as_deref().unwrap_or_default(),
                    &mail.text,
                    mail.html.as_deref(),
                );
                judge_attachments(&policy, direction, &context, &mut judged, &mail.attachments);
                let removed = removed_files(&policy, direction, &mail.attachments);
                (judged, removed)
            })
            .await
            .map_err(busy)?;
        let (judged, removed) = judged;
        // Mail carries no order id: only the conversation's own says what it is about.
        let routed = self
            .route_after_opt_out(
                &conversation,
                direction,
                None,
                initial_status(
                    judged.action,
                    conversation.seller.suspended,
                    conversation.blocked,
                ),
            )
            .await
            .map_err(temporary)?;
        let (status, enqueue) = (routed.status, routed.enqueue);
        let id = MessageId::new();
        let (actor_kind, actor_id) = match side {
            AliasSide::Seller => ("buyer", conversation.buyer.id.to_string()),
            AliasSide::Buyer => ("seller", conversation.seller.id.to_string()),
        };
        let received = NewAuditEvent::new(
            actor_kind,
            Some(actor_id),
            "message.received",
            "message",
            id,
            json!({
                "source": "email",
                "conversation_id": conversation.id,
                "size": raw.len(),
                "peer": envelope.peer.ip().to_string(),
                "malformed": parsed.malformed,
                "attachments": parsed.attachments.len(),
            }),
        );
        let decided = NewAuditEvent::system(
            "message.decided",
            "message",
            id,
            json!({ "action": judged.action, "status": status, "rules": judged.rules(), "reason": routed.block_reason }),
        );
        let mut audit = vec![received, decided];
        // Files of a type not passed on: recorded, and the sender told
        // unless a notice about the whole message goes out anyway.
        let notify = !removed.is_empty() && enqueue != Some(DeliveryKind::Notice);
        if !removed.is_empty() {
            audit.push(NewAuditEvent::system(
                "message.attachments_removed",
                "message",
                id,
                json!({ "files": removed }),
            ));
        }
        let new = NewMessage {
            id,
            conversation_id: conversation.id,
            direction,
            source: MessageSource::Email,
            subject: judged.subject.clone(),
            original_body: parsed.text.clone(),
            body: judged.text.clone(),
            html: judged.html.clone(),
            raw_mime: Some(raw.to_vec()),
            findings_json: judged.findings_json(),
            action: judged.action,
            status,
            original_message_id: parsed.message_id.clone(),
            relayed_message_id: self.relayed_message_id(id),
            in_reply_to: parsed.in_reply_to.clone(),
            references: parsed.references.clone(),
            enqueue,
            audit,
            created_at: OffsetDateTime::now_utc(),
        };
        match notify {
            true => self.store.store_message_with_notice(&new).await,
            false => self.store_routed(&new, routed.block_reason).await,
        }
        .map_err(temporary)?;
        tracing::info!(message_id = %id, conversation_id = %conversation.id, action = judged.action.as_str(), status = status.as_str(), "inbound message stored");
        Ok(id)
    }
}

/// No core free to parse or judge: the client retries later (451).
fn busy(e: crate::cpu::CpuError) -> SinkError {
    tracing::warn!(error = %e, "no capacity to judge mail");
    SinkError::Temporary("busy, try again later".into())
}

fn temporary(e: StoreError) -> SinkError {
    tracing::error!(error = %e, "store failed while accepting mail");
    SinkError::Temporary("storage unavailable, try again later".into())
}

#[async_trait]
impl MailSink for Relay {
    async fn check_recipient(&self, mail_from: &str, rcpt_to: &str) -> RcptVerdict {
        match self.resolve_alias(rcpt_to).await {
            Ok(None) => RcptVerdict::UnknownRecipient,
            Ok(Some((conversation, side)))
                if Self::sender_allowed(&conversation, side, mail_from) =>
            {
                RcptVerdict::Accept
            }
            Ok(Some(_)) => RcptVerdict::SenderNotAllowed,
            Err(e) => {
                tracing::error!(error = %e, "store failed while checking a recipient");
                RcptVerdict::TryLater
            }
        }
    }

    async fn accept(&self, envelope: &Envelope, raw: &[u8]) -> Result<Vec<String>, SinkError> {
        let copy = raw.to_vec();
        let parsed = Arc::new(
            self.cpu
                .run(move || mime::parse(&copy))
                .await
                .map_err(busy)?,
        );
        let mut ids = Vec::with_capacity(envelope.rcpt_to.len());
        // Each recipient alias is its own conversation and gets its own copy.
        // A failure part-way answers 451 for the whole transaction; a retry
        // may then store an earlier copy twice, which is safer than losing one.
        for rcpt in &envelope.rcpt_to {
            ids.push(
                self.accept_one(envelope, rcpt, raw, &parsed)
                    .await?
                    .to_string(),
            );
        }
        Ok(ids)
    }
}
