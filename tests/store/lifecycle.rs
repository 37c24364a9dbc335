//! Retention, phone numbers that outlive their consent, erasure and
//! export: what goes, what stays, and the audit of each.

use std::sync::Arc;

use marketrelay::domain::{
    BuyerId, ConsentActor, ConsentPurpose, ConversationId, DeliveryKind, MessageFiles,
    MessageStatus, NewMessage, PhoneNumber,
};
use marketrelay::store::lifecycle::PartyRef;
use marketrelay::store::{Store, StoreError};

use crate::harness::Raw;

use super::consent::request;
use super::reports::{actions, report, seller_message};
use super::{T0, addr, at, conversation, held, message, new_conversation, seller};

conformance!(
    retention_purges_old_content_in_batches_and_keeps_the_audit_metadata,
    retention_never_purges_queued_or_held_messages,
    a_phone_number_is_deleted_when_its_grant_is_revoked_or_expires,
    a_phone_number_another_grant_holds_is_kept,
    erasing_a_buyer_leaves_nothing_of_them_and_closes_their_conversations,
    erasing_a_seller_also_ends_their_access,
    export_returns_one_partys_records_and_none_of_another,
    ;
    raw:
    bounces_of_purged_and_erased_messages_keep_no_bounce_mail,
);

fn sent(conversation: ConversationId, minute: i64) -> NewMessage {
    NewMessage {
        status: MessageStatus::Sent,
        enqueue: None,
        ..message(conversation, at(minute))
    }
}

async fn buyer_of(store: &Arc<dyn Store>, c: ConversationId) -> BuyerId {
    store
        .conversations()
        .get_conversation(c)
        .await
        .unwrap()
        .buyer
        .id
}

async fn retention_purges_old_content_in_batches_and_keeps_the_audit_metadata(
    store: Arc<dyn Store>,
) {
    let s = seller(&store, 1).await;
    let c = conversation(&store, s.id, 1).await;
    let first = store.messages().store_message(&sent(c, 0)).await.unwrap();
    let second = store.messages().store_message(&sent(c, 1)).await.unwrap();
    let recent = store.messages().store_message(&sent(c, 600)).await.unwrap();
    let lifecycle = store.lifecycle();
    let purged_at = at(10_000);
    // Created before minute 300: the first two, one per batch.
    assert_eq!(
        lifecycle
            .purge_messages(at(300), 1, purged_at)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        lifecycle
            .purge_messages(at(300), 1, purged_at)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        lifecycle
            .purge_messages(at(300), 1, purged_at)
            .await
            .unwrap(),
        0
    );
    for kept in [&first, &second] {
        let m = store.messages().get_message(kept.id).await.unwrap();
        assert_eq!(m.purged_at, Some(purged_at));
        assert_eq!((m.original_body.as_str(), m.body.as_str()), ("", ""));
        assert_eq!(m.html, None);
        assert!(!m.has_raw);
        assert_eq!(store.messages().raw_mime(m.id).await.unwrap(), None);
        assert_eq!(m.files, Some(MessageFiles::default()));
        // The audit metadata stays: ids, times, action, status, findings.
        assert_eq!(m.created_at, kept.created_at);
        assert_eq!(m.action, kept.action);
        assert_eq!(m.status, kept.status);
        assert_eq!(m.findings, kept.findings);
        assert_eq!(
            actions(&store, &m.id.to_string()).await,
            ["message.received", "message.purged"]
        );
    }
    let m = store.messages().get_message(recent.id).await.unwrap();
    assert_eq!(m.purged_at, None);
    assert_eq!(m.original_body, recent.original_body);
    assert!(m.has_raw);
}

async fn retention_never_purges_queued_or_held_messages(store: Arc<dyn Store>) {
    let s = seller(&store, 1).await;
    let c = conversation(&store, s.id, 1).await;
    let queued = store
        .messages()
        .store_message(&message(c, at(0)))
        .await
        .unwrap();
    let waiting = store
        .messages()
        .store_message(&held(c, at(1)))
        .await
        .unwrap();
    // Blocked, but its notice to the sender is not sent yet.
    let blocked = NewMessage {
        status: MessageStatus::Blocked,
        enqueue: Some(DeliveryKind::Notice),
        ..message(c, at(2))
    };
    let blocked = store.messages().store_message(&blocked).await.unwrap();
    let later = at(60 * 24 * 1000);
    assert_eq!(
        store
            .lifecycle()
            .purge_messages(later, 100, later)
            .await
            .unwrap(),
        0
    );
    for m in [&queued, &waiting, &blocked] {
        let m = store.messages().get_message(m.id).await.unwrap();
        assert_eq!(m.purged_at, None, "{:?}", m.status);
        assert!(!m.original_body.is_empty());
    }
}

async fn phone_on_record(store: &Arc<dyn Store>, c: ConversationId) -> Option<PhoneNumber> {
    store
        .conversations()
        .get_conversation(c)
        .await
        .unwrap()
        .buyer
        .phone
}

async fn conversation_with_phone(
    store: &Arc<dyn Store>,
    seller: marketrelay::domain::SellerId,
    buyer: u32,
) -> ConversationId {
    let mut new = new_conversation(seller, buyer);
    new.buyer.phone = Some(PhoneNumber::parse("+49 170 1234567").unwrap());
    new.buyer.language = Some("pt-BR".into());
    store
        .conversations()
        .find_or_create_conversation(&new)
        .await
        .unwrap()
        .0
        .id
}

async fn a_phone_number_is_deleted_when_its_grant_is_revoked_or_expires(store: Arc<dyn Store>) {
    let s = seller(&store, 1).await;
    let consents = store.consents();

    // Revoked.
    let c = conversation_with_phone(&store, s.id, 1).await;
    let new = request(c, ConsentPurpose::Installation, T0);
    consents.create_consent_request(&new).await.unwrap();
    consents
        .answer_consent(new.id, true, ConsentActor::Buyer, at(1))
        .await
        .unwrap();
    assert!(phone_on_record(&store, c).await.is_some());
    consents
        .revoke_consent(new.id, ConsentActor::Buyer, at(2))
        .await
        .unwrap();
    assert_eq!(phone_on_record(&store, c).await, None);
    let buyer = buyer_of(&store, c).await.to_string();
    assert_eq!(actions(&store, &buyer).await, ["buyer.phone_deleted"]);
    let event = &store.audit().audit_events(Some(&buyer), 10).await.unwrap()[0];
    assert!(
        !event.details.to_string().contains("170"),
        "{}",
        event.details
    );

    // Expired, as the sweep records it.
    let c = conversation_with_phone(&store, s.id, 2).await;
    let new = request(c, ConsentPurpose::Installation, T0);
    consents.create_consent_request(&new).await.unwrap();
    let grant = consents
        .answer_consent(new.id, true, ConsentActor::Buyer, at(1))
        .await
        .unwrap();
    consents.expire_consents(grant.expires_at).await.unwrap();
    assert_eq!(phone_on_record(&store, c).await, None);

    // A request withdrawn before any answer never held the number.
    let c = conversation_with_phone(&store, s.id, 3).await;
    let new = request(c, ConsentPurpose::Installation, T0);
    consents.create_consent_request(&new).await.unwrap();
    consents
        .revoke_consent(new.id, ConsentActor::Seller(s.id), at(1))
        .await
        .unwrap();
    assert!(phone_on_record(&store, c).await.is_some());
}

async fn a_phone_number_another_grant_holds_is_kept(store: Arc<dyn Store>) {
    let first_seller = seller(&store, 1).await;
    let second_seller = seller(&store, 2).await;
    // One buyer, two sellers, a grant in each conversation.
    let one = conversation_with_phone(&store, first_seller.id, 1).await;
    let two = conversation_with_phone(&store, second_seller.id, 1).await;
    let mut grants = Vec::new();
    for c in [one, two] {
        let new = request(c, ConsentPurpose::Installation, T0);
        store.consents().create_consent_request(&new).await.unwrap();
        store
            .consents()
            .answer_consent(new.id, true, ConsentActor::Buyer, at(1))
            .await
            .unwrap();
        grants.push(new.id);
    }
    store
        .consents()
        .revoke_consent(grants[0], ConsentActor::Buyer, at(2))
        .await
        .unwrap();
    assert!(phone_on_record(&store, two).await.is_some());
    store
        .consents()
        .revoke_consent(grants[1], ConsentActor::Buyer, at(3))
        .await
        .unwrap();
    assert_eq!(phone_on_record(&store, one).await, None);
}

async fn erasing_a_buyer_leaves_nothing_of_them_and_closes_their_conversations(
    store: Arc<dyn Store>,
) {
    let s1 = seller(&store, 1).await;
    let s2 = seller(&store, 2).await;
    let mine = conversation_with_phone(&store, s1.id, 1).await;
    let also_mine = conversation(&store, s2.id, 1).await;
    let theirs = conversation(&store, s1.id, 2).await;
    let delivered = store
        .messages()
        .store_message(&sent(mine, 0))
        .await
        .unwrap();
    let waiting = store
        .messages()
        .store_message(&message(also_mine, at(1)))
        .await
        .unwrap();
    let reply = seller_message(&store, mine, 2).await;
    store
        .reports()
        .file_report(&report(reply, 3))
        .await
        .unwrap();
    let other = store
        .messages()
        .store_message(&message(theirs, at(4)))
        .await
        .unwrap();
    let consent = request(mine, ConsentPurpose::Installation, T0);
    store
        .consents()
        .create_consent_request(&consent)
        .await
        .unwrap();
    store
        .consents()
        .answer_consent(consent.id, true, ConsentActor::Buyer, at(5))
        .await
        .unwrap();
    let before = store.conversations().get_conversation(mine).await.unwrap();
    assert_eq!(before.buyer.language.as_deref(), Some("pt-BR"));
    let buyer = before.buyer.id;

    let erasure = store
        .lifecycle()
        .erase_party(PartyRef::Buyer(buyer), at(10))
        .await
        .unwrap();
    assert_eq!(erasure.conversations, 2);
    // Three in `mine` (with the consent mail), one in `also_mine`.
    assert_eq!(erasure.messages, 4);

    for c in [mine, also_mine] {
        let after = store.conversations().get_conversation(c).await.unwrap();
        assert!(after.buyer.email.as_str().starts_with("erased-"));
        assert!(after.buyer.email.as_str().ends_with("@invalid"));
        assert_eq!(after.buyer.name, "erased");
        assert_eq!(after.buyer.phone, None);
        assert_eq!(
            after.buyer.language, None,
            "the language they read goes too"
        );
        assert!(after.blocked);
        for alias in [&after.buyer_alias, &after.seller_alias] {
            assert!(
                store
                    .conversations()
                    .conversation_by_alias(alias)
                    .await
                    .unwrap()
                    .is_none(),
                "a closed conversation's alias names nothing"
            );
        }
        for m in store.messages().list_messages(c).await.unwrap() {
            assert!(m.purged_at.is_some());
            assert_eq!(
                (
                    m.subject.as_str(),
                    m.original_body.as_str(),
                    m.body.as_str()
                ),
                ("", "", "")
            );
            assert!(!m.has_raw);
            assert_eq!(m.original_message_id, None);
            assert_eq!(m.names, None, "the names a message showed go too");
        }
    }
    let waiting = store.messages().get_message(waiting.id).await.unwrap();
    assert_eq!(waiting.status, MessageStatus::Failed, "never sent now");
    let delivered = store.messages().get_message(delivered.id).await.unwrap();
    assert_eq!(delivered.status, MessageStatus::Sent);
    let report = store
        .reports()
        .report_for_message(reply)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(report.comment, None);
    assert!(
        !store
            .consents()
            .get_consent(consent.id)
            .await
            .unwrap()
            .is_active(at(11))
    );
    // Nothing of theirs is waiting to be sent: the only entry left is the other buyer's.
    let next = store
        .queue()
        .claim_next_delivery(at(20), std::time::Duration::from_secs(60))
        .await
        .unwrap()
        .expect("the other buyer's message is still queued");
    assert_eq!(next.message_id, other.id);
    assert!(
        store
            .queue()
            .claim_next_delivery(at(20), std::time::Duration::from_secs(60))
            .await
            .unwrap()
            .is_none()
    );

    // Not found by anything that was theirs; the other buyer untouched.
    assert_eq!(
        store
            .lifecycle()
            .buyer_by_email(&addr("buyer1@mail.example"))
            .await
            .unwrap(),
        None
    );
    for query in ["buyer1@mail.example", "Buyer 1", "call me at"] {
        let found = store
            .moderation()
            .search_conversations(query, 50, 0)
            .await
            .unwrap();
        assert!(
            found.iter().all(|c| c.id == theirs),
            "{query:?} still finds the erased buyer"
        );
    }
    let untouched = store
        .conversations()
        .get_conversation(theirs)
        .await
        .unwrap();
    assert_eq!(untouched.buyer.email.as_str(), "buyer2@mail.example");
    assert!(
        store
            .conversations()
            .conversation_by_alias(&untouched.seller_alias)
            .await
            .unwrap()
            .is_some()
    );
    let other = store.messages().get_message(other.id).await.unwrap();
    assert_eq!(other.purged_at, None);

    // The trail keeps that it happened, and who did it; no personal data.
    let events = store
        .audit()
        .audit_events(Some(&buyer.to_string()), 10)
        .await
        .unwrap();
    let erased = events.iter().find(|e| e.action == "buyer.erased").unwrap();
    assert_eq!(erased.actor_kind, "operator");
    assert_eq!(erased.at, at(10));
    assert_eq!(
        erased.details,
        serde_json::json!({ "conversations": 2, "messages": 4 })
    );
    assert!(matches!(
        store
            .lifecycle()
            .erase_party(PartyRef::Buyer(BuyerId::new()), at(11))
            .await,
        Err(StoreError::NotFound)
    ));
}

async fn erasing_a_seller_also_ends_their_access(store: Arc<dyn Store>) {
    let token = marketrelay::domain::ApiToken::generate();
    let s = store
        .parties()
        .create_seller(
            &marketrelay::store::NewSeller {
                name: "Gadget Shop".into(),
                email: addr("owner@gadgetshop.example"),
                external_id: Some("shop-7".into()),
                country: Some("DE".into()),
                language: Some("de-AT".into()),
            },
            &token.hash(),
        )
        .await
        .unwrap();
    assert_eq!(s.language.as_deref(), Some("de-AT"));
    let c = conversation(&store, s.id, 1).await;
    store.messages().store_message(&sent(c, 0)).await.unwrap();
    let erasure = store
        .lifecycle()
        .erase_party(PartyRef::Seller(s.id), at(5))
        .await
        .unwrap();
    assert_eq!((erasure.conversations, erasure.messages), (1, 1));
    let after = store.parties().get_seller(s.id).await.unwrap();
    assert_eq!(after.name, "erased");
    assert!(after.email.as_str().ends_with("@invalid"));
    assert_eq!((after.external_id, after.country), (None, None));
    assert_eq!(after.language, None, "the language they read goes too");
    assert!(after.suspended);
    assert_eq!(
        store
            .parties()
            .principal_for_token(&token.hash())
            .await
            .unwrap(),
        None
    );
    // Nothing new in their name.
    assert!(matches!(
        store
            .conversations()
            .find_or_create_conversation(&new_conversation(s.id, 2))
            .await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store
            .parties()
            .replace_api_tokens(
                marketrelay::store::accounts::Account::Seller(s.id),
                Some(&marketrelay::domain::ApiToken::generate().hash()),
            )
            .await,
        Err(StoreError::NotFound)
    ));
    let found = store
        .moderation()
        .search_conversations("gadget", 50, 0)
        .await
        .unwrap();
    assert!(found.is_empty());
    assert_eq!(
        actions(&store, &s.id.to_string()).await,
        ["seller.created", "seller.erased"]
    );
}

async fn export_returns_one_partys_records_and_none_of_another(store: Arc<dyn Store>) {
    let s = seller(&store, 1).await;
    let mine = conversation(&store, s.id, 1).await;
    let theirs = conversation(&store, s.id, 2).await;
    let m1 = store
        .messages()
        .store_message(&sent(mine, 0))
        .await
        .unwrap();
    let reply = seller_message(&store, mine, 1).await;
    store
        .reports()
        .file_report(&report(reply, 2))
        .await
        .unwrap();
    let consent = request(mine, ConsentPurpose::Installation, T0);
    store
        .consents()
        .create_consent_request(&consent)
        .await
        .unwrap();
    let m3 = store
        .messages()
        .store_message(&sent(theirs, 3))
        .await
        .unwrap();
    let other_consent = request(theirs, ConsentPurpose::Installation, T0);
    store
        .consents()
        .create_consent_request(&other_consent)
        .await
        .unwrap();
    let buyer = buyer_of(&store, mine).await;

    let records = store
        .lifecycle()
        .export_party(PartyRef::Buyer(buyer), at(10))
        .await
        .unwrap();
    assert_eq!(records.party, PartyRef::Buyer(buyer));
    let ids: Vec<_> = records.conversations.iter().map(|c| c.id).collect();
    assert_eq!(ids, [mine]);
    let mut messages: Vec<_> = records.messages.iter().map(|m| m.id).collect();
    let mut expected = vec![consent.message.id, m1.id, reply];
    messages.sort_by_key(|id| id.0);
    expected.sort_by_key(|id| id.0);
    assert_eq!(messages, expected);
    let exported = records.messages.iter().find(|m| m.id == m1.id).unwrap();
    assert_eq!(exported.original_body, m1.original_body);
    let consents: Vec<_> = records.consents.iter().map(|c| c.id).collect();
    assert_eq!(consents, [consent.id]);
    assert_eq!(records.reports.len(), 1);
    assert_eq!(records.reports[0].message_id, reply);
    let subjects: Vec<&str> = records
        .audit
        .iter()
        .map(|e| e.subject_id.as_str())
        .collect();
    for about in [
        mine.to_string(),
        m1.id.to_string(),
        consent.id.to_string(),
        records.reports[0].id.to_string(),
    ] {
        assert!(subjects.contains(&about.as_str()), "no event about {about}");
    }
    for not_about in [
        theirs.to_string(),
        m3.id.to_string(),
        other_consent.id.to_string(),
    ] {
        assert!(
            !subjects.contains(&not_about.as_str()),
            "{not_about} leaked"
        );
    }
    assert!(
        actions(&store, &buyer.to_string())
            .await
            .contains(&"buyer.exported".to_owned())
    );

    // The seller's export holds both conversations.
    let records = store
        .lifecycle()
        .export_party(PartyRef::Seller(s.id), at(11))
        .await
        .unwrap();
    assert_eq!(records.conversations.len(), 2);
    assert_eq!(records.messages.len(), 5);
    assert!(matches!(
        store
            .lifecycle()
            .export_party(
                PartyRef::Seller(marketrelay::domain::SellerId::new()),
                at(12)
            )
            .await,
        Err(StoreError::NotFound)
    ));
}

async fn bounces_of_purged_and_erased_messages_keep_no_bounce_mail(
    store: Arc<dyn Store>,
    raw: Raw,
) {
    use marketrelay::domain::BounceKind;
    let s = seller(&store, 1).await;
    let c = conversation(&store, s.id, 1).await;
    let (_, first) = super::sent_message(&store, c, 1).await;
    let (_, second) = super::sent_message(&store, c, 500).await;
    for d in [first, second] {
        // A delay: recorded, and nothing queued that would keep the message.
        store
            .bounces()
            .record_bounce(&super::bounce(d, BounceKind::Delayed, at(501)))
            .await
            .unwrap();
    }
    const WITH_MAIL: &str = "select count(*) from bounces where length(raw_mime) > 0";
    const WITH_WORDS: &str = "select count(*) from bounces where diagnostic is not null";
    assert_eq!(raw.count(WITH_MAIL).await, 2);
    // Retention takes the first message and the bounce mail that quotes it;
    // the bounce's kind, status and scrubbed words stay as metadata.
    assert_eq!(
        store
            .lifecycle()
            .purge_messages(at(300), 10, at(10_000))
            .await
            .unwrap(),
        1
    );
    assert_eq!(raw.count(WITH_MAIL).await, 1);
    assert_eq!(raw.count(WITH_WORDS).await, 2);
    // Erasing the seller takes the rest, the remote server's words too.
    store
        .lifecycle()
        .erase_party(PartyRef::Seller(s.id), at(10_001))
        .await
        .unwrap();
    assert_eq!(raw.count(WITH_MAIL).await, 0);
    assert_eq!(raw.count(WITH_WORDS).await, 0);
}
