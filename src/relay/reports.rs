//! What a buyer can do about the seller's mail: report one message through
//! the signed link in its footer, and opt out of the seller's messages that
//! are not about an order. The links name a message or a conversation, never
//! an address.

use time::{Duration, OffsetDateTime};

use super::{
    Relay, RelayError,
    links::{LinkError, LinkSigner},
    order_talk,
};
use crate::{
    catalogue::Words,
    domain::{
        Conversation, ConversationId, DeliveryKind, Direction, MessageId, MessageStatus, NewReport,
        Report, ReportId, ReportReason, StaffId, StoredMessage,
    },
    store::{Store, StoreResult},
};

/// The longest comment kept with a report.
const COMMENT_CHARS: usize = 2000;

/// Trimmed; empty is none.
fn trimmed(text: Option<&str>) -> Option<&str> {
    text.map(str::trim).filter(|n| !n.is_empty())
}

/// How long a message can be reported from its mail.
pub const REPORT_LINK_DAYS: i64 = 90;
/// How long the opt-out link in a mail works.
pub const OPT_OUT_LINK_DAYS: i64 = 365;
/// The block reason of a seller's message the buyer opted out of.
pub const OPTED_OUT: &str = "buyer_opted_out";

const REPORT_LINK: &str = "marketrelay-report-v1";
const OPT_OUT_LINK: &str = "marketrelay-opt-out-v1";

/// The report and opt-out links of one message.
impl LinkSigner {
    /// Expires [`REPORT_LINK_DAYS`] after the message was written, so every
    /// delivery attempt of it carries the same link.
    pub fn report_url(&self, message: &StoredMessage) -> String {
        let id = message.id.0.simple().to_string();
        let expires = message.created_at + Duration::days(REPORT_LINK_DAYS);
        self.url("report", &self.sign(REPORT_LINK, &[&id], expires))
    }

    pub fn verify_report(&self, token: &str, now: OffsetDateTime) -> Result<MessageId, LinkError> {
        let (fields, _) = self.verify(REPORT_LINK, token, 1, now)?;
        fields[0].parse().map_err(|_| LinkError::Invalid)
    }

    pub fn opt_out_url(&self, conversation: ConversationId, sent_at: OffsetDateTime) -> String {
        let id = conversation.0.simple().to_string();
        let expires = sent_at + Duration::days(OPT_OUT_LINK_DAYS);
        self.url("opt-out", &self.sign(OPT_OUT_LINK, &[&id], expires))
    }

    pub fn verify_opt_out(
        &self,
        token: &str,
        now: OffsetDateTime,
    ) -> Result<ConversationId, LinkError> {
        let (fields, _) = self.verify(OPT_OUT_LINK, token, 1, now)?;
        fields[0].parse().map_err(|_| LinkError::Invalid)
    }
}

/// Whether a seller's message must be held back because the buyer opted
/// out of the seller's messages that are not about an order. A message is
/// about an order, and delivered, when its text (not its subject, which
/// the relay may have written: "About your order ...", "Re: ...")
///
/// - names an order of the conversation (the one it was opened with, or one
///   the operator registered), or
/// - talks about an order's shipping, delivery, tracking, return, refund,
///   invoice or cancellation ([`order_talk`]) in a thread about an order:
///   the conversation was opened with one, or the reply's `order_id` names
///   one the operator registered (mail carries no `order_id`).
///
/// Everything else is blocked, in order threads too. An order id the seller
/// made up counts for nothing.
pub async fn blocked_by_opt_out(
    store: &dyn Store,
    conversation: &Conversation,
    order_id: Option<&str>,
    text: &str,
) -> StoreResult<bool> {
    if store
        .reports()
        .buyer_opted_out(conversation.id)
        .await?
        .is_none()
    {
        return Ok(false);
    }
    let registered = store
        .conversations()
        .conversation_orders(conversation.id)
        .await?;
    let orders: Vec<String> = conversation
        .order_id
        .iter()
        .chain(&registered)
        .cloned()
        .collect();
    if order_talk::names_an_order(text, &orders) {
        return Ok(false);
    }
    let order_thread = conversation.order_id.is_some()
        || order_id.is_some_and(|o| registered.iter().any(|r| r == o));
    Ok(!(order_thread && order_talk::talks_about_orders(text)))
}

/// Whether the operator registered `order_id` for this conversation.
pub async fn is_registered_order(
    store: &dyn Store,
    conversation: &Conversation,
    order_id: &str,
) -> StoreResult<bool> {
    Ok(store
        .conversations()
        .conversation_orders(conversation.id)
        .await?
        .iter()
        .any(|o| o == order_id))
}

/// A judged message's status and queue entry once the buyer's opt-out is
/// considered, with the block reason when the opt-out applies.
pub struct Routed {
    pub status: MessageStatus,
    pub enqueue: Option<DeliveryKind>,
    pub block_reason: Option<&'static str>,
}

impl Relay {
    /// Blocks (with a notice to the seller) a seller's message that is not
    /// about an order once the buyer opted out ([`blocked_by_opt_out`], over
    /// `text`: its text as delivered); the policy's own block wins.
    pub async fn route_after_opt_out(
        &self,
        conversation: &Conversation,
        direction: Direction,
        (order_id, text): (Option<&str>, &str),
        (status, enqueue): (MessageStatus, Option<DeliveryKind>),
    ) -> StoreResult<Routed> {
        let opted_out = direction == Direction::SellerToBuyer
            && status != MessageStatus::Blocked
            && blocked_by_opt_out(self.store.as_ref(), conversation, order_id, text).await?;
        Ok(if opted_out {
            Routed {
                status: MessageStatus::Blocked,
                enqueue: Some(DeliveryKind::Notice),
                block_reason: Some(OPTED_OUT),
            }
        } else {
            Routed {
                status,
                enqueue,
                block_reason: None,
            }
        })
    }
}

/// The buyer's and the staff's actions on reports and opt-outs, each one
/// store transaction with its audit event.
impl Relay {
    /// Files the buyer's report of `message`: an unknown reason is no
    /// reason. Returns the report and whether this filing was the first.
    /// A first report may put the seller in the review queue
    /// (`review_if_reported`).
    pub async fn file_report(
        &self,
        message: MessageId,
        reason: &str,
        comment: &str,
    ) -> Result<(Report, bool), RelayError> {
        let new = NewReport {
            message_id: message,
            reason: ReportReason::parse(reason),
            comment: trimmed(Some(comment)).map(|c| c.chars().take(COMMENT_CHARS).collect()),
            at: OffsetDateTime::now_utc(),
        };
        let (report, first) = self.store.reports().file_report(&new).await?;
        if first {
            tracing::info!(report_id = %report.id, message_id = %message, "buyer reported a message");
            // The report stands whatever happens here; the next one counts it again.
            if let Err(e) = self.review_if_reported(report.seller_id).await {
                tracing::error!(seller_id = %report.seller_id, error = %e, "could not weigh the seller's reports");
            }
        }
        Ok((report, first))
    }

    /// A staff member resolves an open report; InvalidState if it is not open.
    pub async fn resolve_report(
        &self,
        id: ReportId,
        staff: StaffId,
        resolution: Option<&str>,
    ) -> Result<Report, RelayError> {
        let report = self
            .store
            .reports()
            .resolve_report(id, staff, trimmed(resolution), OffsetDateTime::now_utc())
            .await?;
        tracing::info!(report_id = %id, staff_id = %staff, "report resolved");
        Ok(report)
    }

    /// The buyer opts out of (`stop`) or back into the seller's messages
    /// that are not about an order. Returns since when they are opted out.
    pub async fn set_buyer_opt_out(
        &self,
        conversation: ConversationId,
        stop: bool,
    ) -> Result<Option<OffsetDateTime>, RelayError> {
        let since = self
            .store
            .reports()
            .set_buyer_opt_out(conversation, stop, OffsetDateTime::now_utc())
            .await?;
        tracing::info!(conversation_id = %conversation, opted_out = stop, "buyer changed their opt-out");
        Ok(since)
    }
}

/// What the seller is told when a message was not delivered for that reason.
pub fn opt_out_notice(words: Words, subject: &str, marketplace: &str) -> String {
    format!(
        "{}\n\n{}\n",
        words.with("opt-out-notice", &[("subject", subject.into())]),
        words.with(
            "opt-out-notice-order",
            &[("marketplace", marketplace.into())]
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const NOW: OffsetDateTime = datetime!(2026-03-01 12:00 UTC);

    fn signer() -> LinkSigner {
        LinkSigner::new(b"0123456789abcdef0123456789abcdef", "https://mr.example")
    }

    fn token(url: &str) -> &str {
        url.rsplit_once('/').unwrap().1
    }

    #[test]
    fn report_and_opt_out_tokens_cannot_stand_in_for_each_other_or_be_changed() {
        let s = signer();
        let message = MessageId::new();
        let conversation = ConversationId::new();
        let report = s.sign(
            REPORT_LINK,
            &[&message.0.simple().to_string()],
            NOW + Duration::days(1),
        );
        let opt_out = s.opt_out_url(conversation, NOW);
        assert!(opt_out.starts_with("https://mr.example/opt-out/"));
        assert_eq!(s.verify_report(&report, NOW), Ok(message));
        assert_eq!(s.verify_opt_out(token(&opt_out), NOW), Ok(conversation));
        // The same shape, another purpose: refused both ways.
        assert_eq!(s.verify_opt_out(&report, NOW), Err(LinkError::Invalid));
        assert_eq!(
            s.verify_report(token(&opt_out), NOW),
            Err(LinkError::Invalid)
        );
        // Another message under the same signature.
        let other = report.replacen(
            &message.0.simple().to_string(),
            &MessageId::new().0.simple().to_string(),
            1,
        );
        assert_eq!(s.verify_report(&other, NOW), Err(LinkError::Invalid));
        assert_eq!(
            s.verify_report(&report, NOW + Duration::days(1)),
            Err(LinkError::Expired)
        );
        let other_key = LinkSigner::new(b"another key of thirty-two bytes!", "https://mr.example");
        assert_eq!(
            other_key.verify_report(&report, NOW),
            Err(LinkError::Invalid)
        );
    }
}
