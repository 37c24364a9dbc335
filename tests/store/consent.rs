//! Consent records: each change is one transaction with its audit event.

use std::sync::Arc;

use marketrelay::domain::{
    ConsentActor, ConsentId, ConsentLimits, ConsentPurpose, ConsentStatus, ContactKind,
    ConversationId, DeliveryKind, Direction, MessageSource, NewConsentRequest, PhoneNumber,
};
use marketrelay::store::{Store, StoreError};
use time::{Duration, OffsetDateTime};

use super::{T0, at, conversation, message, new_conversation, seller};

conformance!(
    a_request_is_stored_with_its_mail_queued_for_the_buyer,
    a_request_is_answered_once_and_a_grant_holds_until_it_ends,
    revoking_ends_a_grant_and_only_an_open_consent_can_be_revoked,
    only_one_open_request_per_conversation_kind_and_purpose,
    parallel_requests_about_one_order_stop_at_its_limit,
    a_decline_holds_off_the_next_request_until_the_cooldown_ends,
    lapsed_consents_are_swept_once_with_an_event,
    buyer_phone_is_kept_unless_replaced,
    a_secret_is_generated_once_and_kept,
    ;
    raw:
);

pub(super) fn request(
    conversation: ConversationId,
    purpose: ConsentPurpose,
    at: OffsetDateTime,
) -> NewConsentRequest {
    let mut mail = message(conversation, at);
    mail.direction = Direction::SellerToBuyer;
    mail.source = MessageSource::Api;
    mail.raw_mime = None;
    mail.findings = Vec::new();
    mail.enqueue = Some(DeliveryKind::ConsentRequest);
    NewConsentRequest {
        id: ConsentId::new(),
        conversation_id: conversation,
        kind: ContactKind::Phone,
        purpose,
        order_id: "ORD-1".into(),
        // The limits have tests of their own below.
        limits: ConsentLimits {
            decline_cooldown: Duration::ZERO,
            max_per_order: 100,
        },
        valid_for_days: 30,
        requested_at: at,
        respond_by: at + Duration::days(14),
        message: mail,
    }
}

async fn actions(store: &Arc<dyn Store>, id: ConsentId) -> Vec<String> {
    store
        .audit()
        .audit_events(Some(&id.to_string()), 100)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect()
}

async fn a_request_is_stored_with_its_mail_queued_for_the_buyer(store: Arc<dyn Store>) {
    let s = seller(&store, 1).await;
    let c = conversation(&store, s.id, 1).await;
    let new = request(c, ConsentPurpose::DeliveryScheduling, T0);
    let consent = store.consents().create_consent_request(&new).await.unwrap();
    assert_eq!(consent.status, ConsentStatus::Requested);
    assert_eq!(consent.seller_id, s.id);
    assert_eq!(consent.message_id, new.message.id);
    assert_eq!(consent.expires_at, new.respond_by);
    assert_eq!(store.consents().get_consent(new.id).await.unwrap(), consent);
    assert_eq!(
        store
            .consents()
            .consent_for_message(new.message.id)
            .await
            .unwrap(),
        Some(consent.clone())
    );
    assert_eq!(
        store.consents().list_consents(c).await.unwrap(),
        vec![consent]
    );
    let delivery = store
        .queue()
        .claim_next_delivery(at(1), std::time::Duration::from_secs(60))
        .await
        .unwrap()
        .expect("the request mail is queued");
    assert_eq!(delivery.kind, DeliveryKind::ConsentRequest);
    store
        .queue()
        .record_delivery_success(delivery.id, at(2))
        .await
        .unwrap();
    assert_eq!(
        store
            .messages()
            .get_message(new.message.id)
            .await
            .unwrap()
            .status
            .as_str(),
        "sent"
    );
    assert_eq!(actions(&store, new.id).await, ["consent.requested"]);
    assert!(matches!(
        store
            .consents()
            .create_consent_request(&request(
                ConversationId::new(),
                ConsentPurpose::Installation,
                T0
            ))
            .await,
        Err(StoreError::NotFound)
    ));
}

async fn a_request_is_answered_once_and_a_grant_holds_until_it_ends(store: Arc<dyn Store>) {
    let s = seller(&store, 1).await;
    let c = conversation(&store, s.id, 1).await;
    let new = request(c, ConsentPurpose::Installation, T0);
    store.consents().create_consent_request(&new).await.unwrap();
    assert_eq!(
        store
            .consents()
            .active_consent(c, ContactKind::Phone, at(1))
            .await
            .unwrap(),
        None
    );
    let granted = store
        .consents()
        .answer_consent(new.id, true, ConsentActor::Buyer, at(10))
        .await
        .unwrap();
    assert_eq!(granted.status, ConsentStatus::Granted);
    assert_eq!(granted.decided_at, Some(at(10)));
    assert_eq!(granted.expires_at, at(10) + Duration::days(30));
    assert_eq!(
        store
            .consents()
            .active_consent(c, ContactKind::Phone, at(11))
            .await
            .unwrap(),
        Some(granted.clone())
    );
    assert_eq!(
        store
            .consents()
            .active_consent(c, ContactKind::Phone, granted.expires_at)
            .await
            .unwrap(),
        None,
        "a grant past its end holds nothing even before the sweep"
    );
    assert!(matches!(
        store
            .consents()
            .answer_consent(new.id, false, ConsentActor::Buyer, at(12))
            .await,
        Err(StoreError::InvalidState(_))
    ));

    let late = request(c, ConsentPurpose::Customisation, T0);
    store
        .consents()
        .create_consent_request(&late)
        .await
        .unwrap();
    assert!(
        matches!(
            store
                .consents()
                .answer_consent(late.id, true, ConsentActor::Buyer, late.respond_by)
                .await,
            Err(StoreError::InvalidState(_))
        ),
        "no answer after the deadline"
    );
    let declined = store
        .consents()
        .answer_consent(late.id, false, ConsentActor::Operator, at(5))
        .await
        .unwrap();
    assert_eq!(declined.status, ConsentStatus::Declined);
    assert_eq!(
        actions(&store, new.id).await,
        ["consent.requested", "consent.granted"]
    );
    assert_eq!(
        actions(&store, late.id).await,
        ["consent.requested", "consent.declined"]
    );
    let events = store
        .audit()
        .audit_events(Some(&late.id.to_string()), 10)
        .await
        .unwrap();
    assert_eq!(events[1].actor_kind, "operator");
}

async fn revoking_ends_a_grant_and_only_an_open_consent_can_be_revoked(store: Arc<dyn Store>) {
    let s = seller(&store, 1).await;
    let c = conversation(&store, s.id, 1).await;
    let new = request(c, ConsentPurpose::Installation, T0);
    store.consents().create_consent_request(&new).await.unwrap();
    store
        .consents()
        .answer_consent(new.id, true, ConsentActor::Buyer, at(1))
        .await
        .unwrap();
    let revoked = store
        .consents()
        .revoke_consent(new.id, ConsentActor::Seller(s.id), at(2))
        .await
        .unwrap();
    assert_eq!(revoked.status, ConsentStatus::Revoked);
    assert_eq!(revoked.ended_at, Some(at(2)));
    assert_eq!(
        store
            .consents()
            .active_consent(c, ContactKind::Phone, at(3))
            .await
            .unwrap(),
        None
    );
    assert!(matches!(
        store
            .consents()
            .revoke_consent(new.id, ConsentActor::Buyer, at(4))
            .await,
        Err(StoreError::InvalidState(_))
    ));
    assert!(matches!(
        store
            .consents()
            .revoke_consent(ConsentId::new(), ConsentActor::Buyer, at(4))
            .await,
        Err(StoreError::NotFound)
    ));
    let events = store
        .audit()
        .audit_events(Some(&new.id.to_string()), 10)
        .await
        .unwrap();
    let last = events.last().unwrap();
    assert_eq!(last.action, "consent.revoked");
    assert_eq!(last.actor_kind, "seller");
    assert_eq!(last.actor_id.as_deref(), Some(s.id.to_string().as_str()));
}

async fn only_one_open_request_per_conversation_kind_and_purpose(store: Arc<dyn Store>) {
    let s = seller(&store, 1).await;
    let c = conversation(&store, s.id, 1).await;
    let first = request(c, ConsentPurpose::Installation, T0);
    store
        .consents()
        .create_consent_request(&first)
        .await
        .unwrap();
    let again = request(c, ConsentPurpose::Installation, at(1));
    assert!(matches!(
        store.consents().create_consent_request(&again).await,
        Err(StoreError::Conflict(_))
    ));
    assert!(
        store
            .messages()
            .get_message(again.message.id)
            .await
            .is_err(),
        "nothing of a refused request is stored"
    );
    store
        .consents()
        .create_consent_request(&request(c, ConsentPurpose::DeliveryScheduling, at(1)))
        .await
        .expect("another purpose is another request");
    store
        .consents()
        .answer_consent(first.id, false, ConsentActor::Buyer, at(2))
        .await
        .unwrap();
    store
        .consents()
        .create_consent_request(&request(c, ConsentPurpose::Installation, at(3)))
        .await
        .expect("after a decline the seller may ask again");
}

async fn lapsed_consents_are_swept_once_with_an_event(store: Arc<dyn Store>) {
    let s = seller(&store, 1).await;
    let c = conversation(&store, s.id, 1).await;
    let granted = request(c, ConsentPurpose::Installation, T0);
    store
        .consents()
        .create_consent_request(&granted)
        .await
        .unwrap();
    let grant = store
        .consents()
        .answer_consent(granted.id, true, ConsentActor::Buyer, at(1))
        .await
        .unwrap();
    let unanswered = request(c, ConsentPurpose::Customisation, T0);
    store
        .consents()
        .create_consent_request(&unanswered)
        .await
        .unwrap();

    assert_eq!(store.consents().expire_consents(at(2)).await.unwrap(), 0);
    let after_both = grant.expires_at.max(unanswered.respond_by);
    assert_eq!(
        store.consents().expire_consents(after_both).await.unwrap(),
        2
    );
    assert_eq!(
        store.consents().expire_consents(after_both).await.unwrap(),
        0,
        "once only"
    );
    for id in [granted.id, unanswered.id] {
        let consent = store.consents().get_consent(id).await.unwrap();
        assert_eq!(consent.status, ConsentStatus::Expired);
        assert_eq!(consent.ended_at, Some(after_both));
        assert_eq!(actions(&store, id).await.last().unwrap(), "consent.expired");
    }
    store
        .consents()
        .create_consent_request(&request(c, ConsentPurpose::Installation, after_both))
        .await
        .expect("an expired grant leaves room for a new request");
}

async fn buyer_phone_is_kept_unless_replaced(store: Arc<dyn Store>) {
    let s = seller(&store, 1).await;
    let phone = PhoneNumber::parse("+49 170 1234567").unwrap();
    let mut new = new_conversation(s.id, 1);
    new.buyer.phone = Some(phone.clone());
    let (c, _) = store
        .conversations()
        .find_or_create_conversation(&new)
        .await
        .unwrap();
    assert_eq!(c.buyer.phone, Some(phone.clone()));
    let (c, created) = store
        .conversations()
        .find_or_create_conversation(&new_conversation(s.id, 1))
        .await
        .unwrap();
    assert!(!created);
    assert_eq!(c.buyer.phone, Some(phone), "omitting the phone keeps it");
    let other = PhoneNumber::parse("+44 7911 123456").unwrap();
    let mut new = new_conversation(s.id, 1);
    new.buyer.phone = Some(other.clone());
    let (c, _) = store
        .conversations()
        .find_or_create_conversation(&new)
        .await
        .unwrap();
    assert_eq!(
        store
            .conversations()
            .get_conversation(c.id)
            .await
            .unwrap()
            .buyer
            .phone,
        Some(other)
    );
}

async fn a_secret_is_generated_once_and_kept(store: Arc<dyn Store>) {
    let first = store
        .secret("consent_link_key", "first-value")
        .await
        .unwrap();
    assert_eq!(first, "first-value");
    let second = store
        .secret("consent_link_key", "second-value")
        .await
        .unwrap();
    assert_eq!(second, "first-value");
    assert_eq!(store.secret("other", "x").await.unwrap(), "x");
}

/// Several nodes asking at once agree: the limit is counted under the
/// conversation's lock, not by each request on its own.
async fn parallel_requests_about_one_order_stop_at_its_limit(store: Arc<dyn Store>) {
    let s = seller(&store, 1).await;
    let c = conversation(&store, s.id, 1).await;
    let tries = ConsentPurpose::ALL.into_iter().map(|purpose| {
        let store = store.clone();
        let mut new = request(c, purpose, T0);
        new.limits.max_per_order = 2;
        tokio::spawn(async move { store.consents().create_consent_request(&new).await })
    });
    let (mut made, mut refused) = (0, 0);
    for t in tries.collect::<Vec<_>>() {
        match t.await.unwrap() {
            Ok(_) => made += 1,
            Err(StoreError::Conflict(rule)) if rule == "consent_limit_reached" => refused += 1,
            Err(e) => panic!("{e}"),
        }
    }
    assert_eq!((made, refused), (2, ConsentPurpose::ALL.len() - 2));
    assert_eq!(store.consents().list_consents(c).await.unwrap().len(), 2);
}

async fn a_decline_holds_off_the_next_request_until_the_cooldown_ends(store: Arc<dyn Store>) {
    let s = seller(&store, 1).await;
    let c = conversation(&store, s.id, 1).await;
    let cooldown = ConsentLimits {
        decline_cooldown: Duration::days(14),
        max_per_order: 100,
    };
    let first = request(c, ConsentPurpose::Installation, T0);
    store
        .consents()
        .create_consent_request(&first)
        .await
        .unwrap();
    store
        .consents()
        .answer_consent(first.id, false, ConsentActor::Buyer, at(1))
        .await
        .unwrap();
    let mut early = request(c, ConsentPurpose::DeliveryScheduling, at(2));
    early.order_id = "ORD-2".into();
    early.limits = cooldown;
    assert!(matches!(
        store.consents().create_consent_request(&early).await,
        Err(StoreError::Conflict(rule)) if rule == "consent_declined_recently"
    ));
    assert!(
        store
            .messages()
            .get_message(early.message.id)
            .await
            .is_err(),
        "a refused request stores no mail"
    );
    let mut later = request(
        c,
        ConsentPurpose::DeliveryScheduling,
        at(1) + Duration::days(14),
    );
    later.limits = cooldown;
    store
        .consents()
        .create_consent_request(&later)
        .await
        .unwrap();
    let stored = store.consents().get_consent(later.id).await.unwrap();
    assert_eq!(stored.order_id.as_deref(), Some("ORD-1"));
}
