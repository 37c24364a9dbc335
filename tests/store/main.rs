//! Store conformance suite: every test body is written once and runs on
//! SQLite (a temporary file) and on Postgres (a fresh database).

#[macro_use]
mod harness;
mod accounts;
mod consent;
mod help_domains;
mod lifecycle;
mod moderation;
mod pages;
mod refusals;
mod reports;
mod response_time;
mod schema;
mod search;
mod seller_limits;
mod stats;

use std::{sync::Arc, time::Duration};

use harness::Raw;
use marketrelay::domain::{
    Action, AuditAction, ConversationId, DeliveryId, DeliveryKind, Direction, EmailAddress,
    Finding, FindingField, FindingKind, MessageId, MessageSource, MessageStatus, NewAuditEvent,
    NewBuyer, NewConversation, NewMessage, Principal, RelayAddress, ReviewDecision, Seller,
    SellerId, ShownNames, StaffId, StoredFinding,
};
use marketrelay::domain::{DeliveredFile, MessageFiles, RemovedFile};
use marketrelay::store::{NewSeller, NewStaff, Store, StoreError};
use time::{OffsetDateTime, macros::datetime};

conformance!(
    ping_answers,
    creates_and_reads_a_seller,
    duplicate_seller_email_or_external_id_is_a_conflict,
    creates_staff_and_rejects_a_duplicate_email,
    unknown_ids_are_not_found,
    operator_token_is_issued_and_found_by_hash,
    api_tokens_are_replaced_or_revoked_per_party,
    same_pair_gets_the_same_conversation,
    concurrent_creation_returns_one_conversation,
    conversation_for_unknown_seller_is_not_found,
    aliases_are_unique_across_both_columns,
    finds_a_conversation_by_either_alias,
    lists_conversations_newest_activity_first_with_unread_counts,
    stored_message_round_trips_every_field,
    store_message_queues_an_entry_only_when_asked,
    store_message_is_all_or_nothing,
    message_for_unknown_conversation_is_not_found,
    large_raw_mime_round_trips_byte_for_byte,
    lists_messages_oldest_first,
    finds_a_message_by_original_or_relayed_message_id,
    release_queues_a_held_message_for_relay,
    reject_queues_a_notice_and_only_held_messages_can_be_reviewed,
    claims_due_deliveries_oldest_first_under_a_lease,
    concurrent_claims_never_return_the_same_entry,
    successful_delivery_marks_the_message_sent,
    failed_delivery_retries_then_gives_up,
    a_bounce_is_kept_and_only_a_hard_one_of_the_message_bounces_it,
    attempts_and_last_bounces_of_several_messages_read_as_one_by_one,
    notice_delivery_leaves_the_message_status_alone,
    racing_reports_on_one_delivery_count_once,
    racing_reviews_of_one_message_count_once,
    audit_events_filter_by_subject_and_limit,
    sql_metacharacters_and_unicode_round_trip_in_every_text_field,
    nul_characters_are_stored_as_replacement_characters,
    timestamps_round_trip_in_utc,
    audit_details_never_contain_real_addresses_or_bodies,
    ;
    raw:
    audit_log_refuses_update_and_delete,
    only_token_hashes_are_stored,
    message_files_round_trip_and_a_legacy_record_is_written_once,
);

// --- fixtures ---------------------------------------------------------------------

const NASTY: &str = "'; drop table sellers; -- Ünïcødé \"quoted\" \\ back\\slash % _ $1 ?1 😀";

fn addr(s: &str) -> EmailAddress {
    EmailAddress::parse(s).expect("test address")
}

fn alias() -> String {
    RelayAddress::generate("relay.localhost").local().to_owned()
}

fn hash(tag: &str) -> String {
    marketrelay::domain::ApiToken::from_presented(&format!("{tag}-{}", uuid::Uuid::new_v4())).hash()
}

async fn seller(store: &Arc<dyn Store>, n: u32) -> Seller {
    store
        .parties()
        .create_seller(
            &NewSeller {
                name: format!("Seller {n}"),
                email: addr(&format!("seller{n}@shop.example")),
                external_id: Some(format!("ext-{n}")),
                country: None,
                language: None,
            },
            &hash("seller"),
        )
        .await
        .expect("create seller")
}

fn new_conversation(seller: SellerId, buyer: u32) -> NewConversation {
    NewConversation {
        seller_id: seller,
        buyer: NewBuyer {
            email: addr(&format!("buyer{buyer}@mail.example")),
            name: format!("Buyer {buyer}"),
            external_id: None,
            phone: None,
            country: None,
            language: None,
        },
        order_id: Some(format!("order-{buyer}")),
        buyer_alias: alias(),
        seller_alias: alias(),
    }
}

async fn conversation(store: &Arc<dyn Store>, seller: SellerId, buyer: u32) -> ConversationId {
    store
        .conversations()
        .find_or_create_conversation(&new_conversation(seller, buyer))
        .await
        .expect("create conversation")
        .0
        .id
}

/// A phone number found in the text and removed.
fn finding(rule: &str, start: usize, end: usize) -> StoredFinding {
    StoredFinding {
        field: FindingField::Text,
        finding: Finding {
            kind: FindingKind::Phone,
            start,
            end,
            rule: rule.into(),
            action: Action::Redact,
        },
        removed: true,
    }
}

/// A plain buyer-to-seller message, queued for relay.
fn message(conversation: ConversationId, at: OffsetDateTime) -> NewMessage {
    let id = MessageId::new();
    NewMessage {
        id,
        conversation_id: conversation,
        direction: Direction::BuyerToSeller,
        source: MessageSource::Email,
        subject: "Is it still available?".into(),
        original_body: "Hi, call me at +49 170 1234567".into(),
        body: "Hi, call me at [phone removed]".into(),
        html: None,
        raw_mime: Some(
            b"Subject: Is it still available?\r\n\r\nHi\r\n"
                .to_vec()
                .into(),
        ),
        findings: vec![finding("phone", 15, 30)],
        files: Default::default(),
        names: Some(ShownNames {
            sender: "Buyer".into(),
            recipient: "O'Brien & Söhne".into(),
        }),
        action: Action::Redact,
        status: MessageStatus::Queued,
        original_message_id: Some(format!("{}@mail.example", uuid::Uuid::new_v4())),
        relayed_message_id: format!("{id}@relay.localhost"),
        in_reply_to: None,
        references: vec![],
        enqueue: Some(DeliveryKind::Relay),
        audit: vec![NewAuditEvent::system(
            AuditAction::MessageReceived,
            "message",
            id,
            serde_json::json!({ "action": "redact" }),
        )],
        created_at: at,
    }
}

fn held(conversation: ConversationId, at: OffsetDateTime) -> NewMessage {
    NewMessage {
        action: Action::Hold,
        status: MessageStatus::Held,
        enqueue: None,
        ..message(conversation, at)
    }
}

async fn staff(store: &Arc<dyn Store>) -> StaffId {
    store
        .parties()
        .create_staff(
            &NewStaff {
                name: "Reviewer".into(),
                email: addr("reviewer@marketplace.example"),
            },
            &hash("staff"),
        )
        .await
        .expect("create staff")
        .id
}

const T0: OffsetDateTime = datetime!(2026-03-01 10:00:00.123456 UTC);

fn at(minutes: i64) -> OffsetDateTime {
    T0 + time::Duration::minutes(minutes)
}

const LEASE: Duration = Duration::from_secs(300);

// --- parties and tokens -------------------------------------------------------------

async fn ping_answers(store: Arc<dyn Store>) {
    store.ping().await.expect("ping");
}

async fn creates_and_reads_a_seller(store: Arc<dyn Store>) {
    let token = hash("seller");
    let created = store
        .parties()
        .create_seller(
            &NewSeller {
                name: "Jürgen's Bikes".into(),
                email: addr("Juergen@Bikes.example"),
                external_id: None,
                country: None,
                language: None,
            },
            &token,
        )
        .await
        .unwrap();
    let read = store.parties().get_seller(created.id).await.unwrap();
    assert_eq!(read.name, "Jürgen's Bikes");
    assert_eq!(read.email.as_str(), "juergen@bikes.example");
    assert_eq!(read.external_id, None);
    assert!(!read.suspended);
    assert_eq!(read.created_at, created.created_at);
    assert_eq!(
        store.parties().principal_for_token(&token).await.unwrap(),
        Some(Principal::Seller(created.id))
    );
    let events = store
        .audit()
        .audit_events(Some(&created.id.to_string()), 10)
        .await
        .unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].action, "seller.created");
    assert_eq!(events[0].subject_kind, "seller");
}

async fn duplicate_seller_email_or_external_id_is_a_conflict(store: Arc<dyn Store>) {
    let first = seller(&store, 1).await;
    let same_email = NewSeller {
        name: "Other".into(),
        email: first.email.clone(),
        external_id: None,
        country: None,
        language: None,
    };
    match store.parties().create_seller(&same_email, &hash("x")).await {
        Err(StoreError::Conflict(rule)) => assert_eq!(rule, "seller_email"),
        other => panic!("expected Conflict(seller_email), got {other:?}"),
    }
    let same_external = NewSeller {
        name: "Other".into(),
        email: addr("other@shop.example"),
        external_id: first.external_id.clone(),
        country: None,
        language: None,
    };
    match store
        .parties()
        .create_seller(&same_external, &hash("x"))
        .await
    {
        Err(StoreError::Conflict(rule)) => assert_eq!(rule, "seller_external_id"),
        other => panic!("expected Conflict(seller_external_id), got {other:?}"),
    }
    // Several sellers without an external id are fine.
    for n in 0..2 {
        store
            .parties()
            .create_seller(
                &NewSeller {
                    name: "No external id".into(),
                    email: addr(&format!("plain{n}@shop.example")),
                    external_id: None,
                    country: None,
                    language: None,
                },
                &hash("x"),
            )
            .await
            .expect("sellers without external id");
    }
    // A reused token hash is refused and takes the seller row with it.
    let token = hash("shared");
    store
        .parties()
        .create_seller(
            &NewSeller {
                name: "A".into(),
                email: addr("a@shop.example"),
                external_id: None,
                country: None,
                language: None,
            },
            &token,
        )
        .await
        .unwrap();
    let b = NewSeller {
        name: "B".into(),
        email: addr("b@shop.example"),
        external_id: None,
        country: None,
        language: None,
    };
    match store.parties().create_seller(&b, &token).await {
        Err(StoreError::Conflict(rule)) => assert_eq!(rule, "token"),
        other => panic!("expected Conflict(token), got {other:?}"),
    }
    store
        .parties()
        .create_seller(&b, &hash("fresh"))
        .await
        .expect("the failed attempt left nothing behind");
}

async fn creates_staff_and_rejects_a_duplicate_email(store: Arc<dyn Store>) {
    let token = hash("staff");
    let new = NewStaff {
        name: "Ana Reviewer".into(),
        email: addr("ana@marketplace.example"),
    };
    let created = store.parties().create_staff(&new, &token).await.unwrap();
    let read = store.parties().get_staff(created.id).await.unwrap();
    assert_eq!(read.name, "Ana Reviewer");
    assert_eq!(read.email.as_str(), "ana@marketplace.example");
    assert_eq!(
        store.parties().principal_for_token(&token).await.unwrap(),
        Some(Principal::Staff(created.id))
    );
    match store.parties().create_staff(&new, &hash("other")).await {
        Err(StoreError::Conflict(rule)) => assert_eq!(rule, "staff_email"),
        other => panic!("expected Conflict(staff_email), got {other:?}"),
    }
    let events = store
        .audit()
        .audit_events(Some(&created.id.to_string()), 10)
        .await
        .unwrap();
    assert_eq!(
        events.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(),
        ["staff.created"]
    );
}

async fn unknown_ids_are_not_found(store: Arc<dyn Store>) {
    assert!(matches!(
        store.parties().get_seller(SellerId::new()).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store.parties().get_staff(StaffId::new()).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store
            .conversations()
            .get_conversation(ConversationId::new())
            .await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store.messages().get_message(MessageId::new()).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store.messages().raw_mime(MessageId::new()).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store
            .messages()
            .mark_read_by_seller(ConversationId::new(), T0)
            .await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store
            .queue()
            .record_delivery_success(DeliveryId::new(), T0)
            .await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store
            .queue()
            .record_delivery_failure(DeliveryId::new(), T0, "x", None)
            .await,
        Err(StoreError::NotFound)
    ));
    assert!(
        store
            .conversations()
            .conversation_by_alias("nosuchalias")
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        store
            .messages()
            .list_messages(ConversationId::new())
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        store
            .messages()
            .message_by_header_id(ConversationId::new(), "x@y")
            .await
            .unwrap()
            .is_none()
    );
}

async fn operator_token_is_issued_and_found_by_hash(store: Arc<dyn Store>) {
    assert!(!store.parties().has_operator_token().await.unwrap());
    let token = hash("operator");
    store.parties().add_operator_token(&token).await.unwrap();
    assert!(store.parties().has_operator_token().await.unwrap());
    assert_eq!(
        store.parties().principal_for_token(&token).await.unwrap(),
        Some(Principal::Operator)
    );
    assert_eq!(
        store
            .parties()
            .principal_for_token(&hash("unknown"))
            .await
            .unwrap(),
        None
    );
    assert_eq!(store.parties().principal_for_token("").await.unwrap(), None);
    match store.parties().add_operator_token(&token).await {
        Err(StoreError::Conflict(rule)) => assert_eq!(rule, "token"),
        other => panic!("expected Conflict(token), got {other:?}"),
    }
}

async fn api_tokens_are_replaced_or_revoked_per_party(store: Arc<dyn Store>) {
    use marketrelay::store::accounts::Account;
    let first = hash("seller-1");
    let s = store
        .parties()
        .create_seller(
            &NewSeller {
                name: "Shop".into(),
                email: addr("shop@shop.example"),
                external_id: None,
                country: None,
                language: None,
            },
            &first,
        )
        .await
        .unwrap();
    let bystander = seller(&store, 2).await;
    let reviewer = staff(&store).await;
    let second = hash("seller-2");
    store
        .parties()
        .replace_api_tokens(Account::Seller(s.id), Some(&second))
        .await
        .unwrap();
    assert_eq!(
        store.parties().principal_for_token(&first).await.unwrap(),
        None
    );
    assert_eq!(
        store.parties().principal_for_token(&second).await.unwrap(),
        Some(Principal::Seller(s.id))
    );
    store
        .parties()
        .replace_api_tokens(Account::Seller(s.id), None)
        .await
        .unwrap();
    assert_eq!(
        store.parties().principal_for_token(&second).await.unwrap(),
        None
    );
    store
        .parties()
        .replace_api_tokens(Account::Staff(reviewer), Some(&hash("staff-2")))
        .await
        .unwrap();
    assert!(matches!(
        store
            .parties()
            .replace_api_tokens(Account::Seller(SellerId::new()), None)
            .await,
        Err(StoreError::NotFound)
    ));
    // Only that party's tokens change.
    let bystander_token = store
        .audit()
        .audit_events(Some(&bystander.id.to_string()), 5)
        .await
        .unwrap();
    assert!(bystander_token.iter().all(|e| !e.action.contains("token")));
    let actions: Vec<String> = store
        .audit()
        .audit_events(Some(&s.id.to_string()), 10)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(
        actions,
        [
            "seller.created",
            "seller.token_rotated",
            "seller.token_revoked"
        ]
    );
    store
        .parties()
        .add_operator_token(&hash("operator"))
        .await
        .unwrap();
    assert_eq!(store.parties().revoke_operator_tokens().await.unwrap(), 1);
    assert!(!store.parties().has_operator_token().await.unwrap());
    assert_eq!(store.parties().revoke_operator_tokens().await.unwrap(), 0);
}

// --- conversations ---------------------------------------------------------------------

async fn same_pair_gets_the_same_conversation(store: Arc<dyn Store>) {
    let s = seller(&store, 1).await;
    let first = new_conversation(s.id, 1);
    let (created, was_created) = store
        .conversations()
        .find_or_create_conversation(&first)
        .await
        .unwrap();
    assert!(was_created);
    assert_eq!(created.buyer_alias, first.buyer_alias);
    assert_eq!(created.seller_alias, first.seller_alias);
    assert_eq!(created.seller.id, s.id);
    assert_eq!(created.buyer.email.as_str(), "buyer1@mail.example");
    assert_eq!(created.order_id.as_deref(), Some("order-1"));
    assert!(!created.blocked);

    // Fresh aliases and a new name: same conversation, buyer record updated.
    let mut again = new_conversation(s.id, 1);
    again.buyer.name = "Buyer One Renamed".into();
    again.buyer.external_id = Some("b-1".into());
    let (found, was_created) = store
        .conversations()
        .find_or_create_conversation(&again)
        .await
        .unwrap();
    assert!(!was_created);
    assert_eq!(found.id, created.id);
    assert_eq!(found.buyer_alias, first.buyer_alias);
    assert_eq!(found.seller_alias, first.seller_alias);
    assert_eq!(found.buyer.id, created.buyer.id);
    assert_eq!(found.buyer.name, "Buyer One Renamed");
    assert_eq!(found.buyer.external_id.as_deref(), Some("b-1"));
    // The unused aliases of the repeat were not reserved.
    assert!(
        store
            .conversations()
            .conversation_by_alias(&again.buyer_alias)
            .await
            .unwrap()
            .is_none()
    );

    // The same buyer with another seller is another conversation.
    let other_seller = seller(&store, 2).await;
    let (other, was_created) = store
        .conversations()
        .find_or_create_conversation(&new_conversation(other_seller.id, 1))
        .await
        .unwrap();
    assert!(was_created);
    assert_ne!(other.id, created.id);
    assert_eq!(other.buyer.id, created.buyer.id);

    let events = store
        .audit()
        .audit_events(Some(&created.id.to_string()), 10)
        .await
        .unwrap();
    assert_eq!(
        events.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(),
        ["conversation.created"]
    );
    assert_eq!(
        store
            .conversations()
            .get_conversation(created.id)
            .await
            .unwrap()
            .id,
        created.id
    );
}

async fn concurrent_creation_returns_one_conversation(store: Arc<dyn Store>) {
    let s = seller(&store, 1).await;
    let (a, b, c, d) = (
        new_conversation(s.id, 7),
        new_conversation(s.id, 7),
        new_conversation(s.id, 7),
        new_conversation(s.id, 7),
    );
    let (ra, rb, rc, rd) = tokio::join!(
        store.conversations().find_or_create_conversation(&a),
        store.conversations().find_or_create_conversation(&b),
        store.conversations().find_or_create_conversation(&c),
        store.conversations().find_or_create_conversation(&d),
    );
    let results = [ra.unwrap(), rb.unwrap(), rc.unwrap(), rd.unwrap()];
    let id = results[0].0.id;
    assert!(
        results.iter().all(|(conv, _)| conv.id == id),
        "one conversation"
    );
    assert_eq!(results.iter().filter(|(_, created)| *created).count(), 1);
    assert_eq!(
        store
            .conversations()
            .list_conversations(Some(s.id))
            .await
            .unwrap()
            .len(),
        1
    );

    // Also across tasks on the runtime's threads.
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let store = store.clone();
            let new = new_conversation(s.id, 8);
            tokio::spawn(async move {
                store
                    .conversations()
                    .find_or_create_conversation(&new)
                    .await
            })
        })
        .collect();
    let mut ids = Vec::new();
    for handle in handles {
        ids.push(handle.await.unwrap().unwrap().0.id);
    }
    ids.dedup();
    assert_eq!(ids.len(), 1);
    assert_eq!(
        store
            .conversations()
            .list_conversations(Some(s.id))
            .await
            .unwrap()
            .len(),
        2
    );
}

async fn conversation_for_unknown_seller_is_not_found(store: Arc<dyn Store>) {
    let result = store
        .conversations()
        .find_or_create_conversation(&new_conversation(SellerId::new(), 1))
        .await;
    assert!(matches!(result, Err(StoreError::NotFound)), "{result:?}");
}

async fn aliases_are_unique_across_both_columns(store: Arc<dyn Store>) {
    let s = seller(&store, 1).await;
    let (existing, _) = store
        .conversations()
        .find_or_create_conversation(&new_conversation(s.id, 1))
        .await
        .unwrap();

    // A new conversation whose buyer alias is an existing seller alias.
    let mut clash = new_conversation(s.id, 2);
    clash.buyer_alias = existing.seller_alias.clone();
    match store
        .conversations()
        .find_or_create_conversation(&clash)
        .await
    {
        Err(StoreError::Conflict(rule)) => assert_eq!(rule, "alias"),
        other => panic!("expected Conflict(alias), got {other:?}"),
    }
    // ... and the other way round.
    let mut clash = new_conversation(s.id, 3);
    clash.seller_alias = existing.buyer_alias.clone();
    match store
        .conversations()
        .find_or_create_conversation(&clash)
        .await
    {
        Err(StoreError::Conflict(rule)) => assert_eq!(rule, "alias"),
        other => panic!("expected Conflict(alias), got {other:?}"),
    }
    // Both aliases of one new conversation equal.
    let mut same = new_conversation(s.id, 4);
    same.seller_alias = same.buyer_alias.clone();
    match store
        .conversations()
        .find_or_create_conversation(&same)
        .await
    {
        Err(StoreError::Conflict(rule)) => assert_eq!(rule, "alias"),
        other => panic!("expected Conflict(alias), got {other:?}"),
    }
    // Nothing half-created: retrying with fresh aliases creates the conversation.
    assert_eq!(
        store
            .conversations()
            .list_conversations(None)
            .await
            .unwrap()
            .len(),
        1
    );
    let (retried, created) = store
        .conversations()
        .find_or_create_conversation(&new_conversation(s.id, 2))
        .await
        .unwrap();
    assert!(created);
    assert_eq!(
        store
            .conversations()
            .conversation_by_alias(&existing.seller_alias)
            .await
            .unwrap()
            .unwrap()
            .id,
        existing.id
    );
    assert_ne!(retried.id, existing.id);
}

async fn finds_a_conversation_by_either_alias(store: Arc<dyn Store>) {
    let s = seller(&store, 1).await;
    let (conv, _) = store
        .conversations()
        .find_or_create_conversation(&new_conversation(s.id, 1))
        .await
        .unwrap();
    for local in [&conv.buyer_alias, &conv.seller_alias] {
        let found = store
            .conversations()
            .conversation_by_alias(local)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(found.id, conv.id);
        assert_eq!(found.seller.email.as_str(), "seller1@shop.example");
        assert_eq!(found.buyer.email.as_str(), "buyer1@mail.example");
        let upper = store
            .conversations()
            .conversation_by_alias(&local.to_uppercase())
            .await
            .unwrap();
        assert_eq!(
            upper.map(|c| c.id),
            Some(conv.id),
            "lookup is case-insensitive"
        );
    }
    assert!(
        store
            .conversations()
            .conversation_by_alias("")
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        store
            .conversations()
            .conversation_by_alias(NASTY)
            .await
            .unwrap()
            .is_none()
    );
}

async fn lists_conversations_newest_activity_first_with_unread_counts(store: Arc<dyn Store>) {
    let s1 = seller(&store, 1).await;
    let s2 = seller(&store, 2).await;
    let quiet = conversation(&store, s1.id, 1).await;
    let busy = conversation(&store, s1.id, 2).await;
    let recent = conversation(&store, s1.id, 3).await;
    let elsewhere = conversation(&store, s2.id, 4).await;

    // busy: two unread buyer messages and one reply; recent: the newest message.
    store
        .messages()
        .store_message(&message(busy, at(1)))
        .await
        .unwrap();
    store
        .messages()
        .store_message(&message(busy, at(2)))
        .await
        .unwrap();
    let reply = NewMessage {
        direction: Direction::SellerToBuyer,
        ..message(busy, at(3))
    };
    store.messages().store_message(&reply).await.unwrap();
    store
        .messages()
        .store_message(&message(recent, at(10)))
        .await
        .unwrap();
    // A held buyer message is not something the seller can read yet, nor
    // activity they can see: only staff lists count it.
    store
        .messages()
        .store_message(&held(recent, at(11)))
        .await
        .unwrap();
    store
        .messages()
        .store_message(&message(elsewhere, at(5)))
        .await
        .unwrap();

    let list = store
        .conversations()
        .list_conversations(Some(s1.id))
        .await
        .unwrap();
    let ids: Vec<_> = list.iter().map(|c| c.id).collect();
    // Conversations without messages count from their creation (now), after the fixed past times.
    assert_eq!(ids, [quiet, recent, busy]);
    let by_id = |id| list.iter().find(|c| c.id == id).unwrap();
    assert_eq!(by_id(busy).unread, 2);
    assert_eq!(by_id(busy).last_message_at, Some(at(3)));
    assert_eq!(by_id(recent).unread, 1);
    assert_eq!(by_id(recent).last_message_at, Some(at(10)));
    assert_eq!(by_id(quiet).unread, 0);
    assert_eq!(by_id(quiet).last_message_at, None);
    assert_eq!(by_id(busy).buyer_name, "Buyer 2");
    assert_eq!(by_id(busy).seller_id, s1.id);
    assert_eq!(by_id(busy).order_id.as_deref(), Some("order-2"));

    let all = store
        .conversations()
        .list_conversations(None)
        .await
        .unwrap();
    assert_eq!(all.len(), 4);
    let recent_for_staff = all.iter().find(|c| c.id == recent).unwrap();
    assert_eq!(recent_for_staff.last_message_at, Some(at(11)));
    assert!(all.iter().any(|c| c.id == elsewhere));
    assert_eq!(
        store
            .conversations()
            .list_conversations(Some(s2.id))
            .await
            .unwrap()
            .len(),
        1
    );
    assert!(
        store
            .conversations()
            .list_conversations(Some(SellerId::new()))
            .await
            .unwrap()
            .is_empty()
    );

    store
        .messages()
        .mark_read_by_seller(busy, at(20))
        .await
        .unwrap();
    let list = store
        .conversations()
        .list_conversations(Some(s1.id))
        .await
        .unwrap();
    assert_eq!(list.iter().find(|c| c.id == busy).unwrap().unread, 0);
    for m in store.messages().list_messages(busy).await.unwrap() {
        match m.direction {
            Direction::BuyerToSeller => assert_eq!(m.read_at, Some(at(20))),
            Direction::SellerToBuyer => assert_eq!(m.read_at, None),
        }
    }
    // Reading again changes nothing and keeps the first read time.
    store
        .messages()
        .mark_read_by_seller(busy, at(30))
        .await
        .unwrap();
    assert!(
        store
            .messages()
            .list_messages(busy)
            .await
            .unwrap()
            .iter()
            .all(|m| m.read_at.is_none() || m.read_at == Some(at(20)))
    );
    let reads = store
        .audit()
        .audit_events(Some(&busy.to_string()), 10)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.action == "message.read")
        .count();
    assert_eq!(reads, 1);
}

// --- messages ------------------------------------------------------------------------------

async fn stored_message_round_trips_every_field(store: Arc<dyn Store>) {
    let s = seller(&store, 1).await;
    let conv = conversation(&store, s.id, 1).await;
    let new = NewMessage {
        html: Some("<p>Hi, call me at [phone removed]</p>".into()),
        in_reply_to: Some("parent@relay.localhost".into()),
        references: vec!["root@mail.example".into(), "parent@relay.localhost".into()],
        ..message(conv, at(0))
    };
    let stored = store.messages().store_message(&new).await.unwrap();
    let read = store.messages().get_message(new.id).await.unwrap();
    for m in [&stored, &read] {
        assert_eq!(m.id, new.id);
        assert_eq!(m.conversation_id, conv);
        assert_eq!(m.direction, Direction::BuyerToSeller);
        assert_eq!(m.source, MessageSource::Email);
        assert_eq!(m.subject, new.subject);
        assert_eq!(m.original_body, new.original_body);
        assert_eq!(m.body, new.body);
        assert_eq!(m.html, new.html);
        assert!(m.has_raw);
        assert_eq!(m.findings, new.findings);
        assert_eq!(m.action, Action::Redact);
        assert_eq!(m.status, MessageStatus::Queued);
        assert_eq!(m.original_message_id, new.original_message_id);
        assert_eq!(m.relayed_message_id, new.relayed_message_id);
        assert_eq!(m.in_reply_to, new.in_reply_to);
        assert_eq!(m.references, new.references);
        assert_eq!(m.names, new.names);
        assert_eq!(m.read_at, None);
        assert_eq!(m.created_at, at(0));
        assert_eq!(m.updated_at, at(0));
    }
    assert_eq!(
        store.messages().raw_mime(new.id).await.unwrap(),
        new.raw_mime.as_deref().cloned()
    );

    let api = NewMessage {
        source: MessageSource::Api,
        raw_mime: None,
        original_message_id: None,
        direction: Direction::SellerToBuyer,
        findings: Vec::new(),
        files: Default::default(),
        names: None,
        action: Action::Deliver,
        ..message(conv, at(1))
    };
    let stored = store.messages().store_message(&api).await.unwrap();
    assert!(!stored.has_raw);
    assert_eq!(stored.source, MessageSource::Api);
    assert!(stored.findings.is_empty());
    // Names not judged: left to delivery, as for a message stored before 0017.
    assert_eq!(stored.names, None);
    assert_eq!(store.messages().raw_mime(api.id).await.unwrap(), None);
}

async fn store_message_queues_an_entry_only_when_asked(store: Arc<dyn Store>) {
    let s = seller(&store, 1).await;
    let conv = conversation(&store, s.id, 1).await;
    let blocked = NewMessage {
        action: Action::Block,
        status: MessageStatus::Blocked,
        enqueue: None,
        ..message(conv, at(0))
    };
    store.messages().store_message(&blocked).await.unwrap();
    assert_eq!(store.queue().pending_deliveries().await.unwrap(), 0);
    assert!(
        store
            .queue()
            .claim_next_delivery(at(60), LEASE)
            .await
            .unwrap()
            .is_none()
    );

    let queued = message(conv, at(1));
    store.messages().store_message(&queued).await.unwrap();
    assert_eq!(store.queue().pending_deliveries().await.unwrap(), 1);
    let claimed = store
        .queue()
        .claim_next_delivery(at(60), LEASE)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(claimed.message_id, queued.id);
    assert_eq!(claimed.kind, DeliveryKind::Relay);
    assert_eq!(claimed.attempts, 0);

    let notice = NewMessage {
        action: Action::Block,
        status: MessageStatus::Blocked,
        enqueue: Some(DeliveryKind::Notice),
        ..message(conv, at(2))
    };
    store.messages().store_message(&notice).await.unwrap();
    assert_eq!(store.queue().pending_deliveries().await.unwrap(), 2);

    // The message's own audit events were written with it.
    for m in [&blocked, &queued, &notice] {
        let events = store
            .audit()
            .audit_events(Some(&m.id.to_string()), 10)
            .await
            .unwrap();
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].action, "message.received");
        assert_eq!(events[0].at, m.created_at);
    }
}

async fn store_message_is_all_or_nothing(store: Arc<dyn Store>) {
    let s = seller(&store, 1).await;
    let conv = conversation(&store, s.id, 1).await;
    let first = message(conv, at(0));
    store.messages().store_message(&first).await.unwrap();
    let events_before = store.audit().audit_events(None, 1000).await.unwrap().len();

    // Same relayed Message-ID: refused, and neither its queue entry nor its
    // audit events remain.
    let clash = NewMessage {
        relayed_message_id: first.relayed_message_id.clone(),
        ..message(conv, at(1))
    };
    match store.messages().store_message(&clash).await {
        Err(StoreError::Conflict(rule)) => assert_eq!(rule, "relayed_message_id"),
        other => panic!("expected Conflict(relayed_message_id), got {other:?}"),
    }
    // Same id again, with a fresh relayed Message-ID.
    let same_id = NewMessage {
        id: first.id,
        ..message(conv, at(2))
    };
    match store.messages().store_message(&same_id).await {
        Err(StoreError::Conflict(rule)) => assert_eq!(rule, "message_id"),
        other => panic!("expected Conflict(message_id), got {other:?}"),
    }
    assert_eq!(store.queue().pending_deliveries().await.unwrap(), 1);
    assert_eq!(
        store.audit().audit_events(None, 1000).await.unwrap().len(),
        events_before
    );
    assert!(matches!(
        store.messages().get_message(clash.id).await,
        Err(StoreError::NotFound)
    ));
}

async fn message_for_unknown_conversation_is_not_found(store: Arc<dyn Store>) {
    let orphan = message(ConversationId::new(), at(0));
    let result = store.messages().store_message(&orphan).await;
    assert!(matches!(result, Err(StoreError::NotFound)), "{result:?}");
    assert_eq!(store.queue().pending_deliveries().await.unwrap(), 0);
}

async fn large_raw_mime_round_trips_byte_for_byte(store: Arc<dyn Store>) {
    let s = seller(&store, 1).await;
    let conv = conversation(&store, s.id, 1).await;
    // 5 MB covering every byte value, NUL and invalid UTF-8 included.
    let raw: Vec<u8> = (0..5 * 1024 * 1024u32)
        .map(|i| (i.wrapping_mul(31) % 256) as u8)
        .collect();
    let new = NewMessage {
        raw_mime: Some(raw.clone().into()),
        ..message(conv, at(0))
    };
    let stored = store.messages().store_message(&new).await.unwrap();
    assert!(stored.has_raw);
    let read = store.messages().raw_mime(new.id).await.unwrap().unwrap();
    assert_eq!(read.len(), raw.len());
    assert!(read == raw, "raw MIME differs after the round trip");
}

async fn lists_messages_oldest_first(store: Arc<dyn Store>) {
    let s = seller(&store, 1).await;
    let conv = conversation(&store, s.id, 1).await;
    let other = conversation(&store, s.id, 2).await;
    let later = message(conv, at(5));
    let earlier = message(conv, at(1));
    let middle = message(conv, at(3));
    for m in [&later, &earlier, &middle] {
        store.messages().store_message(m).await.unwrap();
    }
    store
        .messages()
        .store_message(&message(other, at(2)))
        .await
        .unwrap();
    let ids: Vec<_> = store
        .messages()
        .list_messages(conv)
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.id)
        .collect();
    assert_eq!(ids, [earlier.id, middle.id, later.id]);
}

async fn finds_a_message_by_original_or_relayed_message_id(store: Arc<dyn Store>) {
    let s = seller(&store, 1).await;
    let conv = conversation(&store, s.id, 1).await;
    let other = conversation(&store, s.id, 2).await;
    let m = message(conv, at(0));
    store.messages().store_message(&m).await.unwrap();
    let original = m.original_message_id.clone().unwrap();
    let found = store
        .messages()
        .message_by_header_id(conv, &original)
        .await
        .unwrap();
    assert_eq!(found.map(|f| f.id), Some(m.id));
    let found = store
        .messages()
        .message_by_header_id(conv, &m.relayed_message_id)
        .await
        .unwrap();
    assert_eq!(found.map(|f| f.id), Some(m.id));
    // Only within the conversation: a header id never crosses conversations.
    assert!(
        store
            .messages()
            .message_by_header_id(other, &original)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        store
            .messages()
            .message_by_header_id(conv, "unknown@x")
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        store
            .messages()
            .message_by_header_id(conv, NASTY)
            .await
            .unwrap()
            .is_none()
    );
}

// --- review ---------------------------------------------------------------------------------

async fn release_queues_a_held_message_for_relay(store: Arc<dyn Store>) {
    let s = seller(&store, 1).await;
    let reviewer = staff(&store).await;
    let conv = conversation(&store, s.id, 1).await;
    let second = held(conv, at(2));
    let first = held(conv, at(1));
    store.messages().store_message(&second).await.unwrap();
    store.messages().store_message(&first).await.unwrap();
    store
        .messages()
        .store_message(&message(conv, at(3)))
        .await
        .unwrap();
    let queue: Vec<_> = store
        .messages()
        .held_page(None, 1000)
        .await
        .unwrap()
        .rows
        .into_iter()
        .map(|m| m.id)
        .collect();
    assert_eq!(queue, [first.id, second.id]);
    let pending_before = store.queue().pending_deliveries().await.unwrap();

    let released = store
        .messages()
        .review_message(
            first.id,
            ReviewDecision::Release,
            reviewer,
            Some("looks fine"),
            at(10),
        )
        .await
        .unwrap();
    assert_eq!(released.status, MessageStatus::Queued);
    assert_eq!(released.updated_at, at(10));
    assert_eq!(
        store.queue().pending_deliveries().await.unwrap(),
        pending_before + 1
    );
    let queue: Vec<_> = store
        .messages()
        .held_page(None, 1000)
        .await
        .unwrap()
        .rows
        .into_iter()
        .map(|m| m.id)
        .collect();
    assert_eq!(queue, [second.id]);

    // The release's queue entry relays the message and is due at once.
    let mut kinds = Vec::new();
    while let Some(d) = store
        .queue()
        .claim_next_delivery(at(10), LEASE)
        .await
        .unwrap()
    {
        if d.message_id == first.id {
            kinds.push(d.kind);
        }
    }
    assert_eq!(kinds, [DeliveryKind::Relay]);

    let events = store
        .audit()
        .audit_events(Some(&first.id.to_string()), 10)
        .await
        .unwrap();
    let review = events
        .iter()
        .find(|e| e.action == "message.released")
        .unwrap();
    assert_eq!(review.actor_kind, "staff");
    assert_eq!(review.actor_id, Some(reviewer.to_string()));
    assert_eq!(review.subject_kind, "message");
    assert_eq!(review.at, at(10));
    assert_eq!(review.details["note"], "looks fine");
}

async fn reject_queues_a_notice_and_only_held_messages_can_be_reviewed(store: Arc<dyn Store>) {
    let s = seller(&store, 1).await;
    let reviewer = staff(&store).await;
    let conv = conversation(&store, s.id, 1).await;
    let m = held(conv, at(0));
    store.messages().store_message(&m).await.unwrap();
    let rejected = store
        .messages()
        .review_message(m.id, ReviewDecision::Reject, reviewer, None, at(5))
        .await
        .unwrap();
    assert_eq!(rejected.status, MessageStatus::Rejected);
    let d = store
        .queue()
        .claim_next_delivery(at(5), LEASE)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((d.message_id, d.kind), (m.id, DeliveryKind::Notice));
    let events = store
        .audit()
        .audit_events(Some(&m.id.to_string()), 10)
        .await
        .unwrap();
    assert!(events.iter().any(|e| e.action == "message.rejected"));

    // Reviewing again, or reviewing a message that was never held.
    for decision in [ReviewDecision::Release, ReviewDecision::Reject] {
        let again = store
            .messages()
            .review_message(m.id, decision, reviewer, None, at(6))
            .await;
        assert!(
            matches!(again, Err(StoreError::InvalidState(_))),
            "{again:?}"
        );
    }
    let queued = message(conv, at(1));
    store.messages().store_message(&queued).await.unwrap();
    let result = store
        .messages()
        .review_message(queued.id, ReviewDecision::Release, reviewer, None, at(6))
        .await;
    assert!(
        matches!(result, Err(StoreError::InvalidState(_))),
        "{result:?}"
    );
    assert_eq!(
        store
            .messages()
            .get_message(queued.id)
            .await
            .unwrap()
            .status,
        MessageStatus::Queued
    );
    let unknown = store
        .messages()
        .review_message(
            MessageId::new(),
            ReviewDecision::Release,
            reviewer,
            None,
            at(6),
        )
        .await;
    assert!(matches!(unknown, Err(StoreError::NotFound)), "{unknown:?}");
    // No extra queue entries from the refused reviews: the queued message's and nothing else.
    assert_eq!(store.queue().pending_deliveries().await.unwrap(), 2);
}

// --- outbound queue -----------------------------------------------------------------------

async fn claims_due_deliveries_oldest_first_under_a_lease(store: Arc<dyn Store>) {
    let s = seller(&store, 1).await;
    let conv = conversation(&store, s.id, 1).await;
    let newer = message(conv, at(5));
    let older = message(conv, at(1));
    store.messages().store_message(&newer).await.unwrap();
    store.messages().store_message(&older).await.unwrap();

    assert!(
        store
            .queue()
            .claim_next_delivery(at(0), LEASE)
            .await
            .unwrap()
            .is_none(),
        "nothing due yet"
    );
    let d1 = store
        .queue()
        .claim_next_delivery(at(6), LEASE)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(d1.message_id, older.id);
    assert_eq!(d1.created_at, at(1));
    let d2 = store
        .queue()
        .claim_next_delivery(at(6), LEASE)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(d2.message_id, newer.id);
    // Both are leased: nothing more until the lease runs out.
    assert!(
        store
            .queue()
            .claim_next_delivery(at(6), LEASE)
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(store.queue().pending_deliveries().await.unwrap(), 2);
    // A worker that died mid-send: the entry comes back after the lease.
    let again = store
        .queue()
        .claim_next_delivery(at(6) + LEASE, LEASE)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(again.id, d1.id);
    assert_eq!(again.attempts, 0);
    assert_eq!(again.next_attempt_at, at(6) + LEASE * 2);
}

async fn concurrent_claims_never_return_the_same_entry(store: Arc<dyn Store>) {
    let s = seller(&store, 1).await;
    let conv = conversation(&store, s.id, 1).await;
    for i in 0..6 {
        store
            .messages()
            .store_message(&message(conv, at(i)))
            .await
            .unwrap();
    }
    let handles: Vec<_> = (0..8)
        .map(|_| {
            let store = store.clone();
            tokio::spawn(async move {
                let mut claimed = Vec::new();
                while let Some(d) = store
                    .queue()
                    .claim_next_delivery(at(60), LEASE)
                    .await
                    .unwrap()
                {
                    claimed.push(d.id);
                }
                claimed
            })
        })
        .collect();
    let mut all = Vec::new();
    for h in handles {
        all.extend(h.await.unwrap());
    }
    let count = all.len();
    all.sort();
    all.dedup();
    assert_eq!(all.len(), count, "an entry was claimed twice");
    assert_eq!(count, 6);
}

async fn successful_delivery_marks_the_message_sent(store: Arc<dyn Store>) {
    let s = seller(&store, 1).await;
    let conv = conversation(&store, s.id, 1).await;
    let m = message(conv, at(0));
    store.messages().store_message(&m).await.unwrap();
    let d = store
        .queue()
        .claim_next_delivery(at(1), LEASE)
        .await
        .unwrap()
        .unwrap();
    store
        .queue()
        .record_delivery_success(d.id, at(2))
        .await
        .unwrap();

    let sent = store.messages().get_message(m.id).await.unwrap();
    assert_eq!(sent.status, MessageStatus::Sent);
    assert_eq!(sent.updated_at, at(2));
    assert_eq!(store.queue().pending_deliveries().await.unwrap(), 0);
    assert!(
        store
            .queue()
            .claim_next_delivery(at(100), LEASE)
            .await
            .unwrap()
            .is_none()
    );
    let attempts = store.queue().delivery_attempts(m.id).await.unwrap();
    assert_eq!(attempts.len(), 1);
    assert_eq!(attempts[0].delivery_id, d.id);
    assert_eq!(attempts[0].kind, DeliveryKind::Relay);
    assert_eq!(attempts[0].attempted_at, at(2));
    assert!(attempts[0].succeeded);
    assert_eq!(attempts[0].error, None);
    let events = store
        .audit()
        .audit_events(Some(&m.id.to_string()), 10)
        .await
        .unwrap();
    let delivered = events
        .iter()
        .find(|e| e.action == "message.delivered")
        .unwrap();
    assert_eq!(delivered.details["kind"], "relay");
    assert_eq!(delivered.details["attempts"], 1);

    // A finished entry cannot be finished again.
    let again = store.queue().record_delivery_success(d.id, at(3)).await;
    assert!(
        matches!(again, Err(StoreError::InvalidState(_))),
        "{again:?}"
    );
}

async fn failed_delivery_retries_then_gives_up(store: Arc<dyn Store>) {
    let s = seller(&store, 1).await;
    let conv = conversation(&store, s.id, 1).await;
    let m = message(conv, at(0));
    store.messages().store_message(&m).await.unwrap();

    let d = store
        .queue()
        .claim_next_delivery(at(1), LEASE)
        .await
        .unwrap()
        .unwrap();
    store
        .queue()
        .record_delivery_failure(d.id, at(2), "421 4.7.0 try again later", Some(at(30)))
        .await
        .unwrap();
    assert_eq!(
        store.messages().get_message(m.id).await.unwrap().status,
        MessageStatus::Queued
    );
    assert_eq!(store.queue().pending_deliveries().await.unwrap(), 1);
    assert!(
        store
            .queue()
            .claim_next_delivery(at(29), LEASE)
            .await
            .unwrap()
            .is_none(),
        "not before retry_at"
    );
    let retry = store
        .queue()
        .claim_next_delivery(at(30), LEASE)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(retry.id, d.id);
    assert_eq!(retry.attempts, 1);
    assert_eq!(retry.next_attempt_at, at(30) + LEASE);

    store
        .queue()
        .record_delivery_failure(
            d.id,
            at(31),
            "550 5.1.1 <buyer1@mail.example> unknown",
            None,
        )
        .await
        .unwrap();
    let failed = store.messages().get_message(m.id).await.unwrap();
    assert_eq!(failed.status, MessageStatus::Failed);
    assert_eq!(failed.updated_at, at(31));
    // Giving up queues a notice to the sender, in the same transaction.
    assert_eq!(store.queue().pending_deliveries().await.unwrap(), 1);
    let notice = store
        .queue()
        .claim_next_delivery(at(1000), LEASE)
        .await
        .unwrap()
        .expect("a notice is queued");
    assert_eq!(
        (notice.kind, notice.message_id),
        (DeliveryKind::Notice, m.id)
    );
    // A notice that cannot be delivered is answered by nothing.
    store
        .queue()
        .record_delivery_failure(notice.id, at(1001), "550 no", None)
        .await
        .unwrap();
    assert_eq!(store.queue().pending_deliveries().await.unwrap(), 0);
    assert_eq!(
        store.messages().get_message(m.id).await.unwrap().status,
        MessageStatus::Failed
    );

    let attempts: Vec<_> = store
        .queue()
        .delivery_attempts(m.id)
        .await
        .unwrap()
        .into_iter()
        .filter(|a| a.delivery_id == d.id)
        .collect();
    assert_eq!(attempts.len(), 2);
    assert!(attempts.iter().all(|a| !a.succeeded));
    assert_eq!(
        attempts[0].error.as_deref(),
        Some("421 4.7.0 try again later")
    );
    assert_eq!(attempts[0].attempted_at, at(2));
    assert_eq!(attempts[1].attempted_at, at(31));

    let events = store
        .audit()
        .audit_events(Some(&m.id.to_string()), 10)
        .await
        .unwrap();
    let gave_up: Vec<_> = events
        .iter()
        .filter(|e| e.action == "message.delivery_failed" && e.details["kind"] == "relay")
        .collect();
    assert_eq!(gave_up.len(), 1, "only giving up is audited");
    assert_eq!(gave_up[0].details["attempts"], 2);
    assert!(!gave_up[0].details.to_string().contains("buyer1@"));

    let again = store
        .queue()
        .record_delivery_failure(d.id, at(32), "x", Some(at(40)))
        .await;
    assert!(
        matches!(again, Err(StoreError::InvalidState(_))),
        "{again:?}"
    );
}

async fn notice_delivery_leaves_the_message_status_alone(store: Arc<dyn Store>) {
    let s = seller(&store, 1).await;
    let conv = conversation(&store, s.id, 1).await;
    let blocked = NewMessage {
        action: Action::Block,
        status: MessageStatus::Blocked,
        enqueue: Some(DeliveryKind::Notice),
        ..message(conv, at(0))
    };
    store.messages().store_message(&blocked).await.unwrap();
    let d = store
        .queue()
        .claim_next_delivery(at(1), LEASE)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(d.kind, DeliveryKind::Notice);
    store
        .queue()
        .record_delivery_success(d.id, at(2))
        .await
        .unwrap();
    assert_eq!(
        store
            .messages()
            .get_message(blocked.id)
            .await
            .unwrap()
            .status,
        MessageStatus::Blocked
    );

    let another = NewMessage {
        action: Action::Block,
        status: MessageStatus::Blocked,
        enqueue: Some(DeliveryKind::Notice),
        ..message(conv, at(3))
    };
    store.messages().store_message(&another).await.unwrap();
    let d = store
        .queue()
        .claim_next_delivery(at(4), LEASE)
        .await
        .unwrap()
        .unwrap();
    store
        .queue()
        .record_delivery_failure(d.id, at(5), "bounced", None)
        .await
        .unwrap();
    assert_eq!(
        store
            .messages()
            .get_message(another.id)
            .await
            .unwrap()
            .status,
        MessageStatus::Blocked
    );
    let attempts = store.queue().delivery_attempts(another.id).await.unwrap();
    assert_eq!(attempts[0].kind, DeliveryKind::Notice);
}

async fn racing_reports_on_one_delivery_count_once(store: Arc<dyn Store>) {
    let s = seller(&store, 1).await;
    let conv = conversation(&store, s.id, 1).await;
    let m = message(conv, at(0));
    store.messages().store_message(&m).await.unwrap();
    let d = store
        .queue()
        .claim_next_delivery(at(1), LEASE)
        .await
        .unwrap()
        .unwrap();
    // Two workers holding the same entry (one after its lease ran out).
    let (a, b, c) = tokio::join!(
        store.queue().record_delivery_success(d.id, at(2)),
        store.queue().record_delivery_success(d.id, at(2)),
        store
            .queue()
            .record_delivery_failure(d.id, at(2), "timeout", None),
    );
    let results = [a, b, c];
    assert_eq!(
        results.iter().filter(|r| r.is_ok()).count(),
        1,
        "{results:?}"
    );
    assert!(
        results
            .iter()
            .all(|r| r.is_ok() || matches!(r, Err(StoreError::InvalidState(_)))),
        "{results:?}"
    );
    assert_eq!(
        store.queue().delivery_attempts(m.id).await.unwrap().len(),
        1
    );
    let finished = store
        .audit()
        .audit_events(Some(&m.id.to_string()), 10)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.action.starts_with("message.deliver"))
        .count();
    assert_eq!(finished, 1);
}

async fn racing_reviews_of_one_message_count_once(store: Arc<dyn Store>) {
    let s = seller(&store, 1).await;
    let reviewer = staff(&store).await;
    let conv = conversation(&store, s.id, 1).await;
    let m = held(conv, at(0));
    store.messages().store_message(&m).await.unwrap();
    let (a, b) = tokio::join!(
        store
            .messages()
            .review_message(m.id, ReviewDecision::Release, reviewer, None, at(1)),
        store
            .messages()
            .review_message(m.id, ReviewDecision::Reject, reviewer, None, at(1)),
    );
    assert_eq!([a.is_ok(), b.is_ok()].iter().filter(|ok| **ok).count(), 1);
    assert_eq!(store.queue().pending_deliveries().await.unwrap(), 1);
    let unknown_staff = store
        .messages()
        .review_message(m.id, ReviewDecision::Release, StaffId::new(), None, at(2))
        .await;
    assert!(
        matches!(unknown_staff, Err(StoreError::NotFound)),
        "{unknown_staff:?}"
    );
}

// --- audit -----------------------------------------------------------------------------------

async fn audit_events_filter_by_subject_and_limit(store: Arc<dyn Store>) {
    for i in 0..5 {
        store
            .audit()
            .record_audit(&NewAuditEvent::system(
                AuditAction::MessageRead,
                "message",
                if i % 2 == 0 { "even" } else { "odd" },
                serde_json::json!({ "i": i }),
            ))
            .await
            .unwrap();
    }
    let all = store.audit().audit_events(None, 100).await.unwrap();
    assert_eq!(all.len(), 5);
    assert!(all.windows(2).all(|w| w[0].id < w[1].id), "oldest first");
    let is: Vec<_> = all
        .iter()
        .map(|e| e.details["i"].as_i64().unwrap())
        .collect();
    assert_eq!(is, [0, 1, 2, 3, 4]);
    let even = store.audit().audit_events(Some("even"), 100).await.unwrap();
    assert_eq!(even.len(), 3);
    assert!(
        even.iter()
            .all(|e| e.subject_id == "even" && e.actor_kind == "system")
    );
    assert_eq!(store.audit().audit_events(None, 2).await.unwrap().len(), 2);
    assert_eq!(
        store.audit().audit_events(Some("odd"), 1).await.unwrap()[0].details["i"],
        1
    );
    assert!(
        store
            .audit()
            .audit_events(Some("none"), 10)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        store
            .audit()
            .audit_events(None, 0)
            .await
            .unwrap()
            .is_empty()
    );
    let now = OffsetDateTime::now_utc();
    assert!((now - all[0].at).abs() < time::Duration::minutes(5));
    assert_eq!(all[0].at.offset(), time::UtcOffset::UTC);
}

async fn audit_log_refuses_update_and_delete(store: Arc<dyn Store>, raw: Raw) {
    store
        .audit()
        .record_audit(&NewAuditEvent::system(
            AuditAction::MessageRead,
            "message",
            "m1",
            serde_json::json!({}),
        ))
        .await
        .unwrap();
    for sql in [
        "update audit_events set action = 'tampered'",
        "delete from audit_events",
    ] {
        let result = raw.execute(sql).await;
        let err = result.expect_err(&format!("`{sql}` must fail"));
        assert!(err.to_string().contains("append-only"), "{err}");
    }
    if let Raw::Postgres(_) = raw {
        assert!(raw.execute("truncate audit_events").await.is_err());
    }
    let events = store.audit().audit_events(None, 10).await.unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].action, "message.read");
    // Appending still works.
    raw.execute(
        "insert into audit_events (at, actor_kind, action, subject_kind, subject_id, details) \
         values ('2026-01-01T00:00:00.000000Z', 'system', 'raw.insert', 'x', 'y', '{}')",
    )
    .await
    .unwrap();
    assert_eq!(store.audit().audit_events(None, 10).await.unwrap().len(), 2);
}

async fn only_token_hashes_are_stored(store: Arc<dyn Store>, raw: Raw) {
    let token = marketrelay::domain::ApiToken::generate();
    let s = store
        .parties()
        .create_seller(
            &NewSeller {
                name: "S".into(),
                email: addr("s@shop.example"),
                external_id: None,
                country: None,
                language: None,
            },
            &token.hash(),
        )
        .await
        .unwrap();
    assert_eq!(
        store
            .parties()
            .principal_for_token(&token.hash())
            .await
            .unwrap(),
        Some(Principal::Seller(s.id))
    );
    // The plain token is nowhere in the table.
    let plain = token.expose().replace('\'', "''");
    assert_eq!(
        raw.count(&format!(
            "select count(*) from api_tokens where token_hash = '{plain}'"
        ))
        .await,
        0
    );
    assert_eq!(raw.count("select count(*) from api_tokens").await, 1);
}

async fn sql_metacharacters_and_unicode_round_trip_in_every_text_field(store: Arc<dyn Store>) {
    let s = store
        .parties()
        .create_seller(
            &NewSeller {
                name: NASTY.into(),
                email: addr("o'brien+x@shop.example"),
                external_id: Some(NASTY.into()),
                country: None,
                language: None,
            },
            NASTY,
        )
        .await
        .unwrap();
    let read = store.parties().get_seller(s.id).await.unwrap();
    assert_eq!(read.name, NASTY);
    assert_eq!(read.external_id.as_deref(), Some(NASTY));
    assert_eq!(read.email.as_str(), "o'brien+x@shop.example");
    assert_eq!(
        store.parties().principal_for_token(NASTY).await.unwrap(),
        Some(Principal::Seller(s.id))
    );
    let st = store
        .parties()
        .create_staff(
            &NewStaff {
                name: NASTY.into(),
                email: addr("staff@x.example"),
            },
            &hash("staff"),
        )
        .await
        .unwrap();
    assert_eq!(store.parties().get_staff(st.id).await.unwrap().name, NASTY);

    let mut new = new_conversation(s.id, 1);
    new.buyer.name = NASTY.into();
    new.buyer.external_id = Some(NASTY.into());
    new.order_id = Some(NASTY.into());
    let (conv, _) = store
        .conversations()
        .find_or_create_conversation(&new)
        .await
        .unwrap();
    assert_eq!(conv.buyer.name, NASTY);
    assert_eq!(conv.buyer.external_id.as_deref(), Some(NASTY));
    assert_eq!(conv.order_id.as_deref(), Some(NASTY));
    let summary = &store
        .conversations()
        .list_conversations(Some(s.id))
        .await
        .unwrap()[0];
    assert_eq!(summary.buyer_name, NASTY);

    let m = NewMessage {
        subject: NASTY.into(),
        original_body: format!("{NASTY}\n{NASTY}"),
        body: NASTY.into(),
        html: Some(format!("<p>{NASTY}</p>")),
        findings: vec![finding(NASTY, 0, 1)],
        files: Default::default(),
        original_message_id: Some(format!("{NASTY}@x")),
        in_reply_to: Some(NASTY.into()),
        references: vec![NASTY.into(), "Ünïcødé".into()],
        audit: vec![NewAuditEvent::system(
            AuditAction::MessageReceived,
            NASTY,
            NASTY,
            serde_json::json!({ NASTY: NASTY }),
        )],
        ..message(conv.id, at(0))
    };
    let stored = store.messages().store_message(&m).await.unwrap();
    let read = store.messages().get_message(m.id).await.unwrap();
    for x in [&stored, &read] {
        assert_eq!(x.subject, NASTY);
        assert_eq!(x.original_body, m.original_body);
        assert_eq!(x.body, NASTY);
        assert_eq!(x.html, m.html);
        assert_eq!(x.original_message_id, m.original_message_id);
        assert_eq!(x.in_reply_to, m.in_reply_to);
        assert_eq!(x.references, m.references);
        assert_eq!(x.findings[0].finding.rule, NASTY);
    }
    let by_header = store
        .messages()
        .message_by_header_id(conv.id, &format!("{NASTY}@x"))
        .await
        .unwrap();
    assert_eq!(by_header.map(|x| x.id), Some(m.id));
    let events = store.audit().audit_events(Some(NASTY), 10).await.unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].action, "message.received");
    assert_eq!(events[0].subject_kind, NASTY);
    assert_eq!(events[0].details[NASTY], NASTY);

    let reviewer = staff(&store).await;
    let h = held(conv.id, at(1));
    store.messages().store_message(&h).await.unwrap();
    store
        .messages()
        .review_message(h.id, ReviewDecision::Reject, reviewer, Some(NASTY), at(2))
        .await
        .unwrap();
    let d = store
        .queue()
        .claim_next_delivery(at(3), LEASE)
        .await
        .unwrap()
        .unwrap();
    store
        .queue()
        .record_delivery_failure(d.id, at(3), NASTY, None)
        .await
        .unwrap();
    let attempts = store.queue().delivery_attempts(d.message_id).await.unwrap();
    assert_eq!(attempts[0].error.as_deref(), Some(NASTY));
    let rejected = store
        .audit()
        .audit_events(Some(&h.id.to_string()), 10)
        .await
        .unwrap();
    assert!(rejected.iter().any(|e| e.details["note"] == NASTY));

    // The tables are all still there.
    assert_eq!(
        store
            .conversations()
            .list_conversations(None)
            .await
            .unwrap()
            .len(),
        1
    );
    seller(&store, 9).await;
}

async fn nul_characters_are_stored_as_replacement_characters(store: Arc<dyn Store>) {
    let s = store
        .parties()
        .create_seller(
            &NewSeller {
                name: "nul\0name".into(),
                email: addr("nul@shop.example"),
                external_id: Some("ext\0id".into()),
                country: None,
                language: None,
            },
            "hash\0with-nul",
        )
        .await
        .unwrap();
    assert_eq!(s.name, "nul\u{FFFD}name");
    let read = store.parties().get_seller(s.id).await.unwrap();
    assert_eq!(read.name, "nul\u{FFFD}name");
    assert_eq!(read.external_id.as_deref(), Some("ext\u{FFFD}id"));
    // Looking up with the same input finds the same record.
    assert_eq!(
        store
            .parties()
            .principal_for_token("hash\0with-nul")
            .await
            .unwrap(),
        Some(Principal::Seller(s.id))
    );
    let conv = conversation(&store, s.id, 1).await;
    let m = NewMessage {
        subject: "a\0b".into(),
        original_body: "body\0".into(),
        body: "\0".into(),
        html: Some("<p>\0</p>".into()),
        findings: vec![finding("a\0b", 0, 1)],
        files: Default::default(),
        original_message_id: Some("id\0@x".into()),
        raw_mime: Some(b"Subject: a\0b\r\n\r\n\0\r\n".to_vec().into()),
        audit: vec![NewAuditEvent::system(
            AuditAction::MessageReceived,
            "message",
            "nul\0subject",
            serde_json::json!({ "k\u{0}": "v\u{0}" }),
        )],
        ..message(conv, at(0))
    };
    let stored = store.messages().store_message(&m).await.unwrap();
    assert_eq!(stored.subject, "a\u{FFFD}b");
    assert_eq!(stored.original_body, "body\u{FFFD}");
    assert_eq!(stored.body, "\u{FFFD}");
    assert_eq!(stored.html.as_deref(), Some("<p>\u{FFFD}</p>"));
    assert_eq!(stored.findings[0].finding.rule, "a\u{FFFD}b");
    // The raw bytes are kept exactly, NUL included.
    assert_eq!(
        store.messages().raw_mime(m.id).await.unwrap(),
        m.raw_mime.as_deref().cloned()
    );
    assert!(
        store
            .messages()
            .message_by_header_id(conv, "id\0@x")
            .await
            .unwrap()
            .is_some()
    );
    let events = store
        .audit()
        .audit_events(Some("nul\0subject"), 10)
        .await
        .unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].details["k\u{FFFD}"], "v\u{FFFD}");
}

async fn timestamps_round_trip_in_utc(store: Arc<dyn Store>) {
    let s = seller(&store, 1).await;
    let conv = conversation(&store, s.id, 1).await;
    // The same instant written with a +05:30 offset reads back in UTC; the
    // nanoseconds beyond Postgres' microseconds are dropped on both engines.
    let local = datetime!(2026-03-01 15:30:00.123456789 +05:30);
    let m = message(conv, local);
    let stored = store.messages().store_message(&m).await.unwrap();
    assert_eq!(stored.created_at, datetime!(2026-03-01 10:00:00.123456 UTC));
    assert_eq!(stored.created_at.offset(), time::UtcOffset::UTC);

    // Text order must be time order across digit-count boundaries.
    let early = message(conv, datetime!(2026-03-01 09:59:59.999999 UTC));
    store.messages().store_message(&early).await.unwrap();
    let next_year = message(conv, datetime!(2027-01-01 00:00:00 UTC));
    store.messages().store_message(&next_year).await.unwrap();
    let order: Vec<_> = store
        .messages()
        .list_messages(conv)
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.id)
        .collect();
    assert_eq!(order, [early.id, m.id, next_year.id]);
    // Due means due: at exactly 10:00:00.123456 the first two are due, the 2027 one is not.
    let now = datetime!(2026-03-01 10:00:00.123456 UTC);
    let a = store
        .queue()
        .claim_next_delivery(now, LEASE)
        .await
        .unwrap()
        .unwrap();
    let b = store
        .queue()
        .claim_next_delivery(now, LEASE)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((a.message_id, b.message_id), (early.id, m.id));
    assert!(
        store
            .queue()
            .claim_next_delivery(now, LEASE)
            .await
            .unwrap()
            .is_none()
    );
    // In 2027 the two leases are long over and the 2027 entry is due too.
    let mut claimed = Vec::new();
    while let Some(d) = store
        .queue()
        .claim_next_delivery(datetime!(2027-01-01 00:00:00 UTC), LEASE)
        .await
        .unwrap()
    {
        claimed.push((d.message_id, d.next_attempt_at));
    }
    assert_eq!(
        claimed,
        [
            (early.id, datetime!(2027-01-01 00:05:00 UTC)),
            (m.id, datetime!(2027-01-01 00:05:00 UTC)),
            (next_year.id, datetime!(2027-01-01 00:05:00 UTC)),
        ]
    );
}

async fn audit_details_never_contain_real_addresses_or_bodies(store: Arc<dyn Store>) {
    let s = seller(&store, 1).await;
    let reviewer = staff(&store).await;
    store
        .parties()
        .add_operator_token(&hash("operator"))
        .await
        .unwrap();
    let conv = conversation(&store, s.id, 1).await;
    let m = message(conv, at(0));
    store.messages().store_message(&m).await.unwrap();
    let h = held(conv, at(1));
    store.messages().store_message(&h).await.unwrap();
    store
        .messages()
        .mark_read_by_seller(conv, at(2))
        .await
        .unwrap();
    store
        .messages()
        .review_message(h.id, ReviewDecision::Release, reviewer, None, at(3))
        .await
        .unwrap();
    let d = store
        .queue()
        .claim_next_delivery(at(4), LEASE)
        .await
        .unwrap()
        .unwrap();
    store
        .queue()
        .record_delivery_success(d.id, at(5))
        .await
        .unwrap();
    let d = store
        .queue()
        .claim_next_delivery(at(4), LEASE)
        .await
        .unwrap()
        .unwrap();
    store
        .queue()
        .record_delivery_failure(d.id, at(5), "550 <buyer1@mail.example> unknown", None)
        .await
        .unwrap();

    let events = store.audit().audit_events(None, 1000).await.unwrap();
    let actions: Vec<_> = events.iter().map(|e| e.action.as_str()).collect();
    for expected in [
        "seller.created",
        "staff.created",
        "operator_token.created",
        "conversation.created",
        "message.received",
        "message.read",
        "message.released",
        "message.delivered",
        "message.delivery_failed",
    ] {
        assert!(actions.contains(&expected), "no {expected} in {actions:?}");
    }
    for e in &events {
        let text = format!("{} {:?} {}", e.subject_id, e.actor_id, e.details);
        for secret in [
            "seller1@shop.example",
            "buyer1@mail.example",
            "reviewer@marketplace.example",
            &m.original_body,
            &m.body,
        ] {
            assert!(
                !text.contains(secret),
                "{} leaks {secret:?}: {text}",
                e.action
            );
        }
    }
}

// --- engine-specific ----------------------------------------------------------------------

mod sqlite_only {
    use marketrelay::{
        config::DatabaseUrl,
        store::{StoreError, connect, sqlite},
    };

    #[tokio::test]
    async fn in_memory_database_works_on_its_single_connection() {
        let store = connect(&DatabaseUrl::parse("sqlite::memory:").unwrap())
            .await
            .unwrap();
        super::ping_answers(store.clone()).await;
        super::concurrent_creation_returns_one_conversation(store).await;
    }

    #[tokio::test]
    async fn creates_the_database_and_its_directory_and_reopens_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested").join("data").join("relay.db");
        let path = path.to_str().unwrap();
        let store = sqlite::open(path).await.unwrap();
        let s = super::seller(&store, 1).await;
        drop(store);
        let reopened = sqlite::open(path).await.unwrap();
        assert_eq!(
            reopened.parties().get_seller(s.id).await.unwrap().name,
            "Seller 1"
        );
        let journal: String = {
            use sqlx::Connection;
            let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite://{path}"))
                .await
                .unwrap();
            sqlx::query_scalar("pragma journal_mode")
                .fetch_one(&mut conn)
                .await
                .unwrap()
        };
        assert_eq!(journal, "wal");
    }

    #[tokio::test]
    async fn a_path_that_cannot_be_created_is_unavailable() {
        let file = tempfile::NamedTempFile::new().unwrap();
        // A regular file where a directory should be.
        let path = file.path().join("data.db");
        let result = sqlite::open(path.to_str().unwrap()).await;
        assert!(
            matches!(result, Err(StoreError::Unavailable(_))),
            "{:?}",
            result.err()
        );
    }
}

mod postgres_only {
    use std::time::{Duration, Instant};

    use marketrelay::store::{StoreError, postgres};

    #[tokio::test]
    async fn unreachable_server_is_unavailable_within_seconds() {
        let started = Instant::now();
        // Port 1 on loopback: nothing listens there.
        let result = postgres::open("postgres://postgres@127.0.0.1:1/none").await;
        match result {
            Err(StoreError::Unavailable(message)) => {
                assert!(message.contains("Postgres"), "{message}")
            }
            other => panic!("expected Unavailable, got {:?}", other.err()),
        }
        assert!(started.elapsed() < Duration::from_secs(10));
    }

    #[tokio::test]
    async fn a_malformed_url_is_refused() {
        let result = postgres::open("postgres://[not a url").await;
        assert!(matches!(result, Err(StoreError::Unavailable(_))));
    }
}

/// One delivered text file named `name`, and one removed file.
fn files(name: &str) -> MessageFiles {
    MessageFiles {
        delivered: vec![DeliveredFile {
            part: 0,
            name: name.into(),
            content_type: "text/plain; charset=utf-8".into(),
            size: 22,
            text: Some("call me [phone removed]".into()),
        }],
        removed: vec![RemovedFile {
            name: "setup.exe".into(),
            kind: "application/octet-stream".into(),
            size: 4096,
        }],
    }
}

async fn message_files_round_trip_and_a_legacy_record_is_written_once(
    store: Arc<dyn Store>,
    raw: Raw,
) {
    let s = seller(&store, 1).await;
    let conv = conversation(&store, s.id, 1).await;
    let new = NewMessage {
        files: files("notes.txt"),
        ..message(conv, at(0))
    };
    let stored = store.messages().store_message(&new).await.unwrap();
    assert_eq!(stored.files.as_ref(), Some(&new.files));
    let read = store.messages().get_message(new.id).await.unwrap();
    assert_eq!(read.files, Some(new.files.clone()));

    // As a message stored before migration 0011.
    raw.execute("update messages set files = null")
        .await
        .unwrap();
    let legacy = store.messages().get_message(new.id).await.unwrap();
    assert_eq!(legacy.files, None);
    let first = files("first.txt");
    let recorded = store
        .messages()
        .record_legacy_files(new.id, &first)
        .await
        .unwrap();
    assert_eq!(recorded, first);
    // A second judgement (a racing view or a retry) does not replace it.
    let again = store
        .messages()
        .record_legacy_files(new.id, &files("second.txt"))
        .await
        .unwrap();
    assert_eq!(again, first);
    let read = store.messages().get_message(new.id).await.unwrap();
    assert_eq!(read.files, Some(first.clone()));
    assert!(matches!(
        store
            .messages()
            .record_legacy_files(MessageId::new(), &first)
            .await,
        Err(StoreError::NotFound)
    ));
}

fn bounce(
    delivery: DeliveryId,
    kind: marketrelay::domain::BounceKind,
    at: OffsetDateTime,
) -> marketrelay::domain::NewBounce {
    marketrelay::domain::NewBounce {
        delivery,
        tried_since: None,
        kind,
        status: Some("5.1.1".into()),
        diagnostic: Some("550 5.1.1 <[address]>: unknown".into()),
        raw_mime: b"Subject: bounce\r\n\r\nx\r\n".to_vec(),
        received_at: at,
        mark_after: 2,
        window: time::Duration::days(30),
    }
}

/// A buyer's message stored and delivered at minute `n`.
async fn sent_message(
    store: &Arc<dyn Store>,
    conv: ConversationId,
    n: i64,
) -> (MessageId, DeliveryId) {
    let m = message(conv, at(n));
    store.messages().store_message(&m).await.unwrap();
    let d = store
        .queue()
        .claim_next_delivery(at(n), LEASE)
        .await
        .unwrap()
        .unwrap();
    store
        .queue()
        .record_delivery_success(d.id, at(n))
        .await
        .unwrap();
    (m.id, d.id)
}

/// What a page of staff views reads at once is what each message's own
/// reads give.
async fn attempts_and_last_bounces_of_several_messages_read_as_one_by_one(store: Arc<dyn Store>) {
    use marketrelay::domain::BounceKind;
    let conv = conversation(&store, seller(&store, 1).await.id, 1).await;
    let (first, d1) = sent_message(&store, conv, 1).await;
    let (second, d2) = sent_message(&store, conv, 2).await;
    let (quiet, _) = sent_message(&store, conv, 3).await;
    let never = message(conv, at(4));
    store.messages().store_message(&never).await.unwrap();
    for (d, kind, n) in [
        (d1, BounceKind::Delayed, 5),
        (d1, BounceKind::Failed, 6),
        (d2, BounceKind::Delayed, 7),
        // The same instant as another: the later recorded is the last.
        (d2, BounceKind::Failed, 7),
    ] {
        store
            .bounces()
            .record_bounce(&bounce(d, kind, at(n)))
            .await
            .unwrap();
    }
    let ids = [first, second, quiet, never.id];
    let attempts = store.queue().delivery_attempts_of(&ids).await.unwrap();
    let bounces = store.bounces().last_bounces(&ids).await.unwrap();
    for id in ids {
        let one: Vec<_> = store.queue().delivery_attempts(id).await.unwrap();
        let of_id: Vec<_> = attempts
            .iter()
            .filter(|(m, _)| *m == id)
            .map(|(_, a)| a.clone())
            .collect();
        assert_eq!(format!("{of_id:?}"), format!("{one:?}"), "{id}");
        let last = store.bounces().last_bounce(id).await.unwrap();
        let of_id = bounces
            .iter()
            .find(|(m, _)| *m == id)
            .map(|(_, b)| b.clone());
        assert_eq!(format!("{of_id:?}"), format!("{last:?}"), "{id}");
    }
    assert_eq!(bounces.len(), 2);
    assert!(
        store
            .queue()
            .delivery_attempts_of(&[])
            .await
            .unwrap()
            .is_empty()
    );
    assert!(store.bounces().last_bounces(&[]).await.unwrap().is_empty());
}

async fn a_bounce_is_kept_and_only_a_hard_one_of_the_message_bounces_it(store: Arc<dyn Store>) {
    use marketrelay::domain::{BounceKind, PartyRole};
    let s = seller(&store, 1).await;
    let conv = conversation(&store, s.id, 1).await;
    let unknown = store
        .bounces()
        .record_bounce(&bounce(DeliveryId::new(), BounceKind::Failed, at(1)))
        .await;
    assert!(matches!(unknown, Err(StoreError::NotFound)), "{unknown:?}");

    let (first, d1) = sent_message(&store, conv, 1).await;
    // A delay is kept, and changes nothing.
    let delayed = store
        .bounces()
        .record_bounce(&bounce(d1, BounceKind::Delayed, at(2)))
        .await
        .unwrap();
    assert!(!delayed.bounced && !delayed.notice_queued && delayed.party_marked.is_none());
    assert_eq!(
        store.messages().get_message(first).await.unwrap().status,
        MessageStatus::Sent
    );
    let last = store.bounces().last_bounce(first).await.unwrap().unwrap();
    assert_eq!(last.kind, BounceKind::Delayed);
    // A hard bounce: `bounced`, and a notice to the sender queued.
    let hard = store
        .bounces()
        .record_bounce(&bounce(d1, BounceKind::Failed, at(3)))
        .await
        .unwrap();
    assert!(hard.bounced && hard.notice_queued);
    assert_eq!(hard.party_marked, None, "one hard bounce of two");
    assert_eq!(
        store.messages().get_message(first).await.unwrap().status,
        MessageStatus::Bounced
    );
    let notice = store
        .queue()
        .claim_next_delivery(at(4), LEASE)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (notice.kind, notice.message_id),
        (DeliveryKind::Notice, first)
    );
    // The same bounce again, or one of the notice: kept, nothing more queued.
    let again = store
        .bounces()
        .record_bounce(&bounce(d1, BounceKind::Failed, at(5)))
        .await
        .unwrap();
    assert!(!again.bounced);
    assert_eq!(
        again.party_marked,
        Some(PartyRole::Seller),
        "the second hard bounce marks"
    );
    let of_notice = store
        .bounces()
        .record_bounce(&bounce(notice.id, BounceKind::Failed, at(6)))
        .await
        .unwrap();
    assert!(!of_notice.bounced && !of_notice.notice_queued);
    assert_eq!(
        of_notice.party_marked, None,
        "the notice went to the buyer: one of two"
    );
    assert_eq!(store.queue().pending_deliveries().await.unwrap(), 1);
    let (buyer_since, seller_since) = store.bounces().bouncing_since(conv).await.unwrap();
    assert_eq!((buyer_since, seller_since), (None, Some(at(5))));
    // Mail delivered to the seller clears the mark.
    sent_message(&store, conv, 7).await;
    assert_eq!(
        store.bounces().bouncing_since(conv).await.unwrap(),
        (None, None)
    );
    let events = store.audit().audit_events(None, 100).await.unwrap();
    let said = |action: &str| events.iter().filter(|e| e.action == action).count();
    assert_eq!(said("message.bounced"), 4);
    assert_eq!(said("party.address_bouncing"), 1);
    assert_eq!(said("party.address_bouncing_cleared"), 1);
}
