//! Blocking conversations and suspending sellers: each change is one
//! transaction with its audit event, and a repeat records nothing.

use std::sync::Arc;

use marketrelay::domain::{AuditEvent, ConversationId, SellerId};
use marketrelay::store::{Store, StoreError};

use super::{NASTY, at, conversation, seller, staff};

conformance!(
    blocking_a_conversation_is_audited_once_per_change,
    suspending_a_seller_is_audited_once_per_change,
    moderating_an_unknown_conversation_or_seller_is_not_found,
    ;
    raw:
);

async fn events(store: &Arc<dyn Store>, subject: &str, prefix: &str) -> Vec<AuditEvent> {
    store
        .audit()
        .audit_events(Some(subject), 100)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.action.starts_with(prefix))
        .collect()
}

async fn blocking_a_conversation_is_audited_once_per_change(store: Arc<dyn Store>) {
    let s = seller(&store, 1).await;
    let conv = conversation(&store, s.id, 1).await;
    let other = conversation(&store, s.id, 2).await;
    let reviewer = staff(&store).await;

    let blocked = store
        .moderation()
        .set_conversation_blocked(conv, true, reviewer, Some(NASTY), at(1))
        .await
        .unwrap();
    assert!(blocked.blocked);
    assert!(
        store
            .conversations()
            .get_conversation(conv)
            .await
            .unwrap()
            .blocked
    );
    assert!(
        !store
            .conversations()
            .get_conversation(other)
            .await
            .unwrap()
            .blocked
    );
    let listed = store
        .conversations()
        .list_conversations(Some(s.id))
        .await
        .unwrap();
    let state = |id: ConversationId| listed.iter().find(|c| c.id == id).unwrap().blocked;
    assert!(state(conv) && !state(other));

    // Blocking again changes nothing and records nothing.
    let again = store
        .moderation()
        .set_conversation_blocked(conv, true, reviewer, None, at(2))
        .await
        .unwrap();
    assert!(again.blocked);

    let unblocked = store
        .moderation()
        .set_conversation_blocked(conv, false, reviewer, None, at(3))
        .await
        .unwrap();
    assert!(!unblocked.blocked);
    assert!(
        !store
            .conversations()
            .get_conversation(conv)
            .await
            .unwrap()
            .blocked
    );

    let trail = events(&store, &conv.to_string(), "conversation.").await;
    let actions: Vec<&str> = trail.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "conversation.created",
            "conversation.blocked",
            "conversation.unblocked"
        ]
    );
    let block = &trail[1];
    assert_eq!(block.actor_kind, "staff");
    assert_eq!(block.actor_id, Some(reviewer.to_string()));
    assert_eq!(block.subject_kind, "conversation");
    assert_eq!(block.at, at(1));
    assert_eq!(block.details["note"], NASTY);
    assert_eq!(block.details["seller_id"], s.id.to_string());
    assert!(trail[2].details["note"].is_null());
    assert_eq!(trail[2].at, at(3));
}

async fn suspending_a_seller_is_audited_once_per_change(store: Arc<dyn Store>) {
    let s = seller(&store, 1).await;
    let bystander = seller(&store, 2).await;
    let conv = conversation(&store, s.id, 1).await;
    conversation(&store, bystander.id, 1).await;
    let reviewer = staff(&store).await;

    let suspended = store
        .moderation()
        .set_seller_suspended(s.id, true, reviewer, Some("payment fraud reports"), at(1))
        .await
        .unwrap();
    assert!(suspended.suspended);
    assert_eq!(suspended.id, s.id);
    assert!(store.parties().get_seller(s.id).await.unwrap().suspended);
    assert!(
        !store
            .parties()
            .get_seller(bystander.id)
            .await
            .unwrap()
            .suspended
    );
    // Conversations carry the seller's state, which the relay reads.
    assert!(
        store
            .conversations()
            .get_conversation(conv)
            .await
            .unwrap()
            .seller
            .suspended
    );
    let listed = store
        .conversations()
        .list_conversations(None)
        .await
        .unwrap();
    let state = |id: SellerId| {
        listed
            .iter()
            .find(|c| c.seller_id == id)
            .unwrap()
            .seller_suspended
    };
    assert!(state(s.id) && !state(bystander.id));

    store
        .moderation()
        .set_seller_suspended(s.id, true, reviewer, None, at(2))
        .await
        .unwrap();
    let reinstated = store
        .moderation()
        .set_seller_suspended(s.id, false, reviewer, Some("cleared"), at(3))
        .await
        .unwrap();
    assert!(!reinstated.suspended);
    assert!(
        !store
            .conversations()
            .get_conversation(conv)
            .await
            .unwrap()
            .seller
            .suspended
    );

    let trail = events(&store, &s.id.to_string(), "seller.").await;
    let actions: Vec<&str> = trail.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        ["seller.created", "seller.suspended", "seller.reinstated"]
    );
    for (event, note, minute) in [
        (&trail[1], "payment fraud reports", 1),
        (&trail[2], "cleared", 3),
    ] {
        assert_eq!(event.actor_kind, "staff");
        assert_eq!(event.actor_id, Some(reviewer.to_string()));
        assert_eq!(event.subject_kind, "seller");
        assert_eq!(event.details["note"], note);
        assert_eq!(event.at, at(minute));
    }
}

async fn moderating_an_unknown_conversation_or_seller_is_not_found(store: Arc<dyn Store>) {
    let reviewer = staff(&store).await;
    for blocked in [true, false] {
        let result = store
            .moderation()
            .set_conversation_blocked(ConversationId::new(), blocked, reviewer, None, at(0))
            .await;
        assert!(matches!(result, Err(StoreError::NotFound)), "{result:?}");
        let result = store
            .moderation()
            .set_seller_suspended(SellerId::new(), blocked, reviewer, None, at(0))
            .await;
        assert!(matches!(result, Err(StoreError::NotFound)), "{result:?}");
    }
    let moderation = [
        "conversation.blocked",
        "conversation.unblocked",
        "seller.suspended",
        "seller.reinstated",
    ];
    let trail = store.audit().audit_events(None, 1000).await.unwrap();
    assert!(
        !trail
            .iter()
            .any(|e| moderation.contains(&e.action.as_str())),
        "nothing recorded for unknown ids"
    );
}
