//! Consent use cases: a seller's request (stored with the mail that carries
//! it), the signed links the buyer answers through, and what a grant changes
//! for judging the buyer's mail.

use serde_json::json;
use time::{Duration, OffsetDateTime};

use super::{Relay, RelayError};
use crate::{
    catalogue::{Arg, Words},
    domain::{
        Action, AuditAction, BuyerId, ConsentAction, ConsentActor, ConsentId, ConsentPurpose,
        ConsentRefusal, ConsentRequest, ContactKind, Conversation, ConversationId, DeliveryKind,
        Direction, MessageId, MessageSource, MessageStatus, NewAuditEvent, NewConsentRequest,
        NewMessage, SellerId, consent::RESPOND_WITHIN_DAYS,
    },
    policy::ConsentedPhones,
    store::{Store, StoreResult},
};

pub use super::links::LinkError;
use super::links::LinkSigner;

/// Labels consent tokens so no other kind of signed link passes as one.
/// Version 2 also names the buyer the link was sent to; version 1 links,
/// already in mailboxes, still verify until they expire.
const CONSENT_LINK: &str = "marketrelay-consent-v2";
const CONSENT_LINK_V1: &str = "marketrelay-consent-v1";

/// What a valid consent token says: one consent, one action, who it was
/// sent to and an expiry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LinkClaim {
    pub consent: ConsentId,
    pub action: ConsentAction,
    /// The buyer the link was sent to; `None` for a version 1 link.
    pub recipient: Option<BuyerId>,
    pub expires_at: OffsetDateTime,
}

/// The links in a consent mail.
impl LinkSigner {
    /// `<consent>.<action>.<recipient>.<expiry unix seconds>.<signature>`,
    /// URL-safe: bound to the buyer it is sent to.
    pub fn consent_token(
        &self,
        consent: ConsentId,
        action: ConsentAction,
        recipient: BuyerId,
        expires_at: OffsetDateTime,
    ) -> String {
        let id = consent.0.simple().to_string();
        let to = recipient.0.simple().to_string();
        self.sign(CONSENT_LINK, &[&id, action.as_str(), &to], expires_at)
    }

    pub fn consent_url(
        &self,
        consent: ConsentId,
        action: ConsentAction,
        recipient: BuyerId,
        expires_at: OffsetDateTime,
    ) -> String {
        self.url(
            "consent",
            &self.consent_token(consent, action, recipient, expires_at),
        )
    }

    /// The claim of a consent token signed with our key and not yet expired at `now`.
    pub fn verify_consent(&self, token: &str, now: OffsetDateTime) -> Result<LinkClaim, LinkError> {
        let (fields, expires_at, recipient) = match self.verify(CONSENT_LINK, token, 3, now) {
            Ok((fields, expires_at)) => {
                let recipient: BuyerId = fields[2].parse().map_err(|_| LinkError::Invalid)?;
                (fields, expires_at, Some(recipient))
            }
            Err(LinkError::Expired) => return Err(LinkError::Expired),
            Err(LinkError::Invalid) => {
                let (fields, expires_at) = self.verify(CONSENT_LINK_V1, token, 2, now)?;
                (fields, expires_at, None)
            }
        };
        let consent: ConsentId = fields[0].parse().map_err(|_| LinkError::Invalid)?;
        let action = ConsentAction::parse(fields[1]).ok_or(LinkError::Invalid)?;
        Ok(LinkClaim {
            consent,
            action,
            recipient,
            expires_at,
        })
    }
}

pub use crate::domain::asks_for_contact;

/// What a request asks, as the seller's thread shows it and the buyer's
/// mail says it: who asks for what, for which purpose and order, and the
/// terms of a grant. `None` for a request made before one named an order.
pub fn request_body(words: Words, consent: &ConsentRequest, seller_name: &str) -> Option<String> {
    let order = consent.order_id.as_deref()?;
    Some(asked(
        words,
        (consent.kind, consent.purpose),
        order,
        consent.valid_for_days,
        seller_name,
    ))
}

fn asked(
    words: Words,
    (kind, purpose): (ContactKind, ConsentPurpose),
    order: &str,
    valid_for_days: i64,
    seller_name: &str,
) -> String {
    let kind = words.get(kind.message_id());
    let purpose = words.get(purpose.message_id());
    let args = [
        ("seller", Arg::from(seller_name)),
        ("kind", Arg::from(&kind)),
        ("purpose", Arg::from(&purpose)),
        ("order", Arg::from(order)),
        ("days", Arg::from(valid_for_days)),
    ];
    format!(
        "{}\n\n{}",
        words.with("consent-ask", &args),
        words.with("consent-terms", &args)
    )
}

/// The subject of the mail that asks the buyer.
pub fn request_subject(
    words: Words,
    kind: ContactKind,
    seller_name: &str,
    marketplace: &str,
) -> String {
    words.with(
        "consent-subject",
        &[
            ("seller", seller_name.into()),
            ("kind", (&words.get(kind.message_id())).into()),
            ("marketplace", marketplace.into()),
        ],
    )
}

/// The text of the mail that asks the buyer: the request as the seller's
/// thread shows it, then links to grant, to decline, and to revoke a grant
/// later (each bound to the buyer it is sent to). A link opens a page that
/// asks once more; opening one changes nothing.
pub fn request_mail_text(
    words: Words,
    links: &LinkSigner,
    consent: &ConsentRequest,
    buyer: BuyerId,
    body: &str,
) -> String {
    let url = |action, until| links.consent_url(consent.id, action, buyer, until);
    // The latest a grant could end: answered on the last day it may be.
    let last_grant_end = consent.grant_expiry(consent.expires_at);
    let respond_by = consent
        .expires_at
        .format(&time::format_description::well_known::Rfc2822)
        .unwrap_or_default();
    let kind = words.get(consent.kind.message_id());
    let args = [("kind", Arg::from(&kind)), ("date", Arg::from(&respond_by))];
    format!(
        "{body}\n\n\
         {grant_intro}\n{grant}\n\n\
         {decline_intro}\n{decline}\n\n\
         {revoke_intro}\n{revoke}\n\n\
         {forward}\n",
        body = body.trim_end(),
        grant_intro = words.with("consent-mail-grant", &args),
        grant = url(ConsentAction::Grant, consent.expires_at),
        decline_intro = words.get("consent-mail-decline"),
        decline = url(ConsentAction::Decline, consent.expires_at),
        revoke_intro = words.with("consent-mail-revoke", &args),
        revoke = url(ConsentAction::Revoke, last_grant_end),
        forward = words.get("consent-mail-forward"),
    )
}

/// What a seller who asked for contact details in free text is told.
pub fn how_to_ask(words: Words, conversation: ConversationId) -> String {
    words.with(
        "consent-how-to-ask",
        &[
            ("conversation", (&conversation.to_string()).into()),
            ("purposes", (&purpose_list()).into()),
        ],
    )
}

/// The purposes' wire names, comma-separated.
pub fn purpose_list() -> String {
    ConsentPurpose::ALL
        .iter()
        .map(|p| p.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The orders a consent request may name: the conversation's own, then
/// those the operator registered for it.
pub async fn conversation_orders(
    store: &dyn Store,
    conversation: &Conversation,
) -> StoreResult<Vec<String>> {
    let mut orders: Vec<String> = conversation.order_id.iter().cloned().collect();
    for order in store
        .conversations()
        .conversation_orders(conversation.id)
        .await?
    {
        if !orders.contains(&order) {
            orders.push(order);
        }
    }
    Ok(orders)
}

/// What a seller asks for.
#[derive(Clone, Debug)]
pub struct ConsentAsk {
    pub kind: ContactKind,
    pub purpose: ConsentPurpose,
    /// As the seller gave it; must name an order of the conversation.
    pub order_id: String,
    pub valid_for_days: i64,
}

/// Why a request was not made; each edge words it its own way.
#[derive(Debug, thiserror::Error)]
pub enum AskError {
    #[error("order_id is required: name the order of this conversation the request is about")]
    OrderRequired,
    #[error("order_id must be one of this conversation's orders")]
    UnknownOrder,
    #[error(transparent)]
    Refused(ConsentRefusal),
    #[error(transparent)]
    Relay(#[from] RelayError),
}

impl From<crate::store::StoreError> for AskError {
    fn from(e: crate::store::StoreError) -> Self {
        AskError::Relay(e.into())
    }
}

/// The phone numbers the buyer's mail may carry to the seller at `at`: the
/// number on record while a phone grant holds (any number when none is on
/// record), else none. Mail the seller writes is never affected.
pub async fn consented_phones(
    store: &dyn Store,
    conversation: &Conversation,
    direction: Direction,
    at: OffsetDateTime,
) -> StoreResult<ConsentedPhones> {
    if direction != Direction::BuyerToSeller {
        return Ok(ConsentedPhones::None);
    }
    let active = store
        .consents()
        .active_consent(conversation.id, ContactKind::Phone, at)
        .await?;
    Ok(match (active, &conversation.buyer.phone) {
        (None, _) => ConsentedPhones::None,
        (Some(_), Some(phone)) => ConsentedPhones::Only(vec![phone.as_str().to_owned()]),
        (Some(_), None) => ConsentedPhones::Any,
    })
}

impl Relay {
    /// Stores a seller's request about one of the conversation's orders and
    /// queues the mail that asks the buyer, unless the limits refuse it (the
    /// store checks them under lock, so every node counts the same).
    pub async fn request_consent(
        &self,
        seller: SellerId,
        conversation: &Conversation,
        ask: ConsentAsk,
    ) -> Result<ConsentRequest, AskError> {
        let ConsentAsk {
            kind,
            purpose,
            order_id,
            valid_for_days,
        } = ask;
        if conversation.blocked || conversation.seller.suspended {
            return Err(RelayError::InvalidState(
                "the conversation is blocked or the seller is suspended".into(),
            )
            .into());
        }
        let order_id = order_id.trim();
        if order_id.is_empty() {
            return Err(AskError::OrderRequired);
        }
        if !conversation_orders(self.store.as_ref(), conversation)
            .await?
            .iter()
            .any(|o| o == order_id)
        {
            return Err(AskError::UnknownOrder);
        }
        let limits = self.config.consent_limits;
        let now = OffsetDateTime::now_utc();
        let id = ConsentId::new();
        let message_id = MessageId::new();
        // The buyer sees the seller's name as in any mail from them.
        let names = self
            .shown_names(conversation, Direction::SellerToBuyer)
            .await
            .map_err(RelayError::from)?;
        let seller_name = &names.sender;
        // What the seller sees in the thread, in the seller's language; the
        // mail to the buyer says it again in theirs, with the answer links.
        let words = Words(conversation.seller.reads());
        let subject = request_subject(words, kind, seller_name, &self.config.marketplace_name);
        let body = asked(
            words,
            (kind, purpose),
            order_id,
            valid_for_days,
            seller_name,
        );
        let received = NewAuditEvent {
            actor_kind: "seller".into(),
            actor_id: Some(seller.to_string()),
            action: AuditAction::MessageReceived,
            subject_kind: "message".into(),
            subject_id: message_id.to_string(),
            details: json!({
                "source": "consent_request",
                "conversation_id": conversation.id,
                "consent_id": id,
            }),
        };
        let message = NewMessage {
            id: message_id,
            conversation_id: conversation.id,
            direction: Direction::SellerToBuyer,
            source: MessageSource::Api,
            subject,
            original_body: body.clone(),
            body,
            html: None,
            raw_mime: None,
            findings: Vec::new(),
            files: Default::default(),
            names: Some(names.clone()),
            action: Action::Deliver,
            status: MessageStatus::Queued,
            original_message_id: None,
            relayed_message_id: self.relayed_message_id(message_id),
            in_reply_to: None,
            references: Vec::new(),
            enqueue: Some(DeliveryKind::ConsentRequest),
            audit: vec![received],
            created_at: now,
        };
        let created = self
            .store
            .consents()
            .create_consent_request(&NewConsentRequest {
                id,
                conversation_id: conversation.id,
                kind,
                purpose,
                order_id: order_id.to_owned(),
                limits,
                valid_for_days,
                requested_at: now,
                respond_by: now + Duration::days(RESPOND_WITHIN_DAYS),
                message,
            })
            .await;
        let consent = match created {
            Ok(consent) => consent,
            Err(crate::store::StoreError::Conflict(rule)) if rule != "consent_open" => {
                // The store refused under its lock; the same rule over what
                // it holds now says why, and until when.
                let earlier = self.store.consents().list_consents(conversation.id).await?;
                return Err(match limits.check(&earlier, kind, order_id, now) {
                    Err(refusal) => AskError::Refused(refusal),
                    Ok(()) => RelayError::Conflict(rule).into(),
                });
            }
            Err(e) => return Err(e.into()),
        };
        tracing::info!(consent_id = %id, conversation_id = %conversation.id, purpose = purpose.as_str(), "consent requested");
        Ok(consent)
    }

    /// Applies an answer to a consent: a grant or a decline of an open
    /// request, or a revocation, by `actor` (the buyer revoking an open
    /// request declines it). InvalidState when the consent
    /// is not in a state the answer applies to (answered, expired, ended).
    pub async fn answer_consent(
        &self,
        id: ConsentId,
        action: ConsentAction,
        actor: ConsentActor,
    ) -> Result<ConsentRequest, RelayError> {
        let now = OffsetDateTime::now_utc();
        let consents = self.store.consents();
        let action = match actor {
            ConsentActor::Buyer => consents.get_consent(id).await?.buyer_action(action, now),
            _ => action,
        };
        let consent = match action {
            ConsentAction::Grant => consents.answer_consent(id, true, actor, now).await?,
            ConsentAction::Decline => consents.answer_consent(id, false, actor, now).await?,
            ConsentAction::Revoke => consents.revoke_consent(id, actor, now).await?,
        };
        tracing::info!(consent_id = %id, action = action.as_str(), actor = actor.kind(), "consent answered");
        Ok(consent)
    }

    /// See [`consented_phones`], as of now.
    pub async fn consented_phones(
        &self,
        conversation: &Conversation,
        direction: Direction,
    ) -> StoreResult<ConsentedPhones> {
        consented_phones(
            self.store.as_ref(),
            conversation,
            direction,
            OffsetDateTime::now_utc(),
        )
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const NOW: OffsetDateTime = datetime!(2026-03-01 12:00 UTC);

    fn links() -> LinkSigner {
        LinkSigner::new(b"0123456789abcdef0123456789abcdef", "https://mr.example/")
    }

    #[test]
    fn a_contact_request_finding_is_recognised_in_stored_findings() {
        let read = |json: &str| -> Vec<crate::domain::StoredFinding> {
            serde_json::from_str(json).expect("stored findings")
        };
        assert!(asks_for_contact(&read(
            r#"[{"field":"text","kind":"contact_request","start":0,"end":9,"rule":"r","action":"hold","removed":false}]"#
        )));
        assert!(!asks_for_contact(&read(
            r#"[{"field":"text","kind":"phone","start":0,"end":9,"rule":"r","action":"redact","removed":true}]"#
        )));
        let id = ConversationId::new();
        assert!(
            how_to_ask(crate::catalogue::Words::default(), id)
                .contains(&format!("/api/v1/conversations/{id}/consent-requests"))
        );
    }

    #[test]
    fn a_signed_token_verifies_until_it_expires() {
        let id = ConsentId::new();
        let buyer = BuyerId::new();
        let expires = NOW + Duration::days(1);
        let token = links().consent_token(id, ConsentAction::Grant, buyer, expires);
        let claim = links().verify_consent(&token, NOW).unwrap();
        assert_eq!(claim.consent, id);
        assert_eq!(claim.action, ConsentAction::Grant);
        assert_eq!(claim.recipient, Some(buyer));
        assert_eq!(
            links().verify_consent(&token, expires),
            Err(LinkError::Expired)
        );
        assert!(
            links()
                .consent_url(id, ConsentAction::Grant, buyer, expires)
                .starts_with("https://mr.example/consent/")
        );
    }

    /// Links already in buyers' mailboxes keep working: the bytes the
    /// first consent links signed still verify, naming no recipient.
    #[test]
    fn version_1_consent_tokens_still_verify() {
        use hmac::{Hmac, Mac};
        let id = ConsentId::new();
        let expires = NOW + Duration::days(1);
        let mut mac =
            Hmac::<sha2::Sha256>::new_from_slice(b"0123456789abcdef0123456789abcdef").unwrap();
        mac.update(
            format!(
                "marketrelay-consent-v1\n{}\ngrant\n{}",
                id.0.simple(),
                expires.unix_timestamp()
            )
            .as_bytes(),
        );
        let signature = data_encoding::BASE64URL_NOPAD.encode(&mac.finalize().into_bytes());
        let token = format!(
            "{}.grant.{}.{signature}",
            id.0.simple(),
            expires.unix_timestamp()
        );
        let claim = links().verify_consent(&token, NOW).unwrap();
        assert_eq!((claim.consent, claim.recipient), (id, None));
    }

    #[test]
    fn changed_tokens_or_another_key_are_refused() {
        let id = ConsentId::new();
        let buyer = BuyerId::new();
        let expires = NOW + Duration::days(1);
        let token = links().consent_token(id, ConsentAction::Decline, buyer, expires);
        let as_grant = token.replacen(".decline.", ".grant.", 1);
        let later = token.replacen(
            &format!(".{}.", expires.unix_timestamp()),
            &format!(".{}.", expires.unix_timestamp() + 86_400),
            1,
        );
        let other = ConsentId::new();
        let other_id = token.replacen(&id.0.simple().to_string(), &other.0.simple().to_string(), 1);
        let other_buyer = token.replacen(
            &buyer.0.simple().to_string(),
            &BuyerId::new().0.simple().to_string(),
            1,
        );
        // Without its recipient, a version 2 token is no version 1 token.
        let unbound = token.replacen(&format!(".{}", buyer.0.simple()), "", 1);
        for bad in [
            as_grant,
            later,
            other_id,
            other_buyer,
            unbound,
            "".into(),
            "a.b.c.d".into(),
            format!("{token}.x"),
        ] {
            assert_eq!(
                links().verify_consent(&bad, NOW),
                Err(LinkError::Invalid),
                "{bad}"
            );
        }
        let other_key = LinkSigner::new(b"another key of thirty-two bytes!", "https://mr.example");
        assert_eq!(
            other_key.verify_consent(&token, NOW),
            Err(LinkError::Invalid)
        );
    }
}
