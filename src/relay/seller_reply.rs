//! A seller's reply from the web inbox or the API: same policy, same queue.

use serde_json::json;

use super::{
    Relay, RelayError,
    judge::{Judgement, judge, judge_attachments},
    record::Arrival,
};
use crate::{
    domain::{
        Conversation, Direction, MessageId, MessageSource, RelayAddress, SellerId, StoredMessage,
    },
    mime::{self, Attachment, OutboundMail},
    policy::{EvalContext, Policy},
    store::StoreError,
};

/// Longest reply text, in characters, from the inbox form or the API: it
/// is judged whole, so it is bounded whole.
pub const MAX_REPLY_CHARS: usize = 20_000;

pub struct SellerReply {
    pub subject: Option<String>,
    pub body: String,
    pub order_id: Option<String>,
    /// Files already checked against the attachment limits
    /// (`relay::attachments::accept`); their names and text are judged here.
    pub attachments: Vec<Attachment>,
    /// `Web` for the inbox form, `Api` for the JSON API.
    pub source: MessageSource,
}

impl Relay {
    /// How a seller's reply is judged: with both parties' phone regions,
    /// over its subject, text and files, on the CPU pool. The inbox preview
    /// asks the same, so what it shows is what sending does. The files come
    /// back with the verdict.
    pub async fn judge_seller_reply(
        &self,
        conversation: &Conversation,
        subject: String,
        body: String,
        files: Vec<Attachment>,
    ) -> Result<(Judgement, Vec<Attachment>), RelayError> {
        let policy = self.policy.current();
        let context = self.reply_context(conversation).await?;
        let metrics = self.metrics.clone();
        Ok(self
            .cpu
            .run(move || {
                let judged =
                    metrics.time_policy(|| judge_reply(&policy, &context, &subject, &body, &files));
                (judged, files)
            })
            .await?)
    }

    /// What a reply is judged with: both parties' phone regions and the
    /// seller's help domains.
    async fn reply_context(&self, conversation: &Conversation) -> Result<EvalContext, StoreError> {
        Ok(EvalContext {
            regions: super::party_regions(conversation),
            extra_allowed_domains: super::help_domains(
                self.store.as_ref(),
                conversation,
                Direction::SellerToBuyer,
            )
            .await?,
            ..EvalContext::default()
        })
    }

    pub async fn seller_reply(
        &self,
        seller: SellerId,
        conversation: &Conversation,
        reply: SellerReply,
    ) -> Result<StoredMessage, RelayError> {
        let history = self.store.messages().list_messages(conversation.id).await?;
        // Only what reached the seller: a withheld message's subject must
        // not come back to them as "Re: ...", nor be threaded to.
        let last_from_buyer = history
            .iter()
            .rev()
            .find(|m| m.direction == Direction::BuyerToSeller && m.visible_to_seller());
        let subject = match reply
            .subject
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            Some(s) => s.to_owned(),
            None => default_subject(
                last_from_buyer.map(|m| m.subject.as_str()),
                reply
                    .order_id
                    .as_deref()
                    .or(conversation.order_id.as_deref()),
            ),
        };
        let direction = Direction::SellerToBuyer;
        let id = MessageId::new();
        // Judging and composing the files' MIME are the CPU-heavy parts.
        let policy = self.policy.current();
        let context = self.reply_context(conversation).await?;
        let envelope = self.reply_envelope(conversation, id);
        let metrics = self.metrics.clone();
        let (judged, raw_mime, reply) = self
            .cpu
            .run(move || {
                let judged = metrics.time_policy(|| {
                    judge_reply(&policy, &context, &subject, &reply.body, &reply.attachments)
                });
                let raw = reply_mime(envelope, &subject, &reply);
                (judged, raw, reply)
            })
            .await?;
        let raw_mime = raw_mime?.map(std::sync::Arc::new);
        // Threading: answer the buyer's latest message, as a mail client would.
        let in_reply_to = last_from_buyer.map(|m| m.relayed_message_id.clone());
        let mut references: Vec<String> = last_from_buyer
            .map(|m| m.references.clone())
            .unwrap_or_default();
        references.extend(in_reply_to.clone());
        let arrival = Arrival {
            id,
            conversation,
            direction,
            source: reply.source,
            actor: ("seller", seller.to_string()),
            order_id: reply.order_id.as_deref(),
            original_body: reply.body.clone(),
            raw_mime,
            original_message_id: None,
            in_reply_to,
            references,
            details: json!({
                "size": reply.body.len(),
                "attachments": reply.attachments.len(),
            }),
            mail: None,
        };
        self.record(arrival, &judged).await
    }
}

/// A reply's judgement: its subject, text and files.
fn judge_reply(
    policy: &Policy,
    context: &EvalContext,
    subject: &str,
    body: &str,
    files: &[Attachment],
) -> Judgement {
    let direction = Direction::SellerToBuyer;
    let mut judged = judge(policy, direction, context, subject, body, None);
    judge_attachments(policy, direction, context, &mut judged, files);
    judged
}

/// Who a reply's MIME is from and to: the two relay addresses.
struct ReplyEnvelope {
    from: String,
    to: String,
    message_id: String,
}

impl Relay {
    fn reply_envelope(&self, conversation: &Conversation, id: MessageId) -> ReplyEnvelope {
        let domain = &self.config.relay_domain;
        ReplyEnvelope {
            from: RelayAddress::from_local(&conversation.seller_alias, domain).to_string(),
            to: RelayAddress::from_local(&conversation.buyer_alias, domain).to_string(),
            message_id: self.relayed_message_id(id),
        }
    }
}

/// A reply with files is kept as MIME, like mail received by SMTP, so
/// delivery and the staff's raw view read its attachments the same way.
/// It holds what the seller wrote, between the two relay addresses.
fn reply_mime(
    envelope: ReplyEnvelope,
    subject: &str,
    reply: &SellerReply,
) -> Result<Option<Vec<u8>>, StoreError> {
    if reply.attachments.is_empty() {
        return Ok(None);
    }
    let mail = OutboundMail {
        from_name: "Seller".to_owned(),
        from_address: envelope.from,
        to_name: None,
        to_address: envelope.to,
        subject: subject.to_owned(),
        message_id: envelope.message_id,
        in_reply_to: None,
        references: Vec::new(),
        text: reply.body.clone(),
        html: None,
        attachments: reply.attachments.clone(),
    };
    let raw = mime::compose(&mail)
        .map_err(|e| StoreError::Other(anyhow::anyhow!("composing the reply: {e}")))?;
    Ok(Some(raw))
}

fn default_subject(last_subject: Option<&str>, order_id: Option<&str>) -> String {
    match (last_subject.filter(|s| !s.trim().is_empty()), order_id) {
        (Some(s), _) if s.to_ascii_lowercase().starts_with("re:") => s.to_owned(),
        (Some(s), _) => format!("Re: {s}"),
        (None, Some(order)) => format!("About your order {order}"),
        (None, None) => "Message from your seller".to_owned(),
    }
}
