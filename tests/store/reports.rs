//! Buyers' reports and opt-outs: one report per message, resolved once,
//! each change audited; an opt-out keeps its first time and records once.

use std::sync::Arc;

use marketrelay::domain::{
    Direction, MessageId, MessageStatus, NewReport, ReportId, ReportReason, ReportStatus,
};
use marketrelay::store::{Store, StoreError};

use super::{NASTY, at, conversation, message, new_conversation, seller, staff};

conformance!(
    a_report_is_filed_once_per_message_and_resolved_once,
    open_reports_list_oldest_first_and_resolved_ones_apart,
    only_messages_to_the_buyer_can_be_reported,
    opting_out_is_recorded_once_and_can_be_undone,
    a_blocked_message_keeps_its_reason,
    a_conversations_orders_are_registered_once_each,
    ;
    raw:
);

pub(super) async fn seller_message(
    store: &Arc<dyn Store>,
    conversation: marketrelay::domain::ConversationId,
    minute: i64,
) -> MessageId {
    let new = marketrelay::domain::NewMessage {
        direction: Direction::SellerToBuyer,
        subject: format!("Offer {minute}"),
        ..message(conversation, at(minute))
    };
    store.messages().store_message(&new).await.unwrap().id
}

pub(super) fn report(message: MessageId, minute: i64) -> NewReport {
    NewReport {
        message_id: message,
        reason: Some(ReportReason::Scam),
        comment: Some(NASTY.into()),
        at: at(minute),
    }
}

pub(super) async fn actions(store: &Arc<dyn Store>, subject: &str) -> Vec<String> {
    store
        .audit()
        .audit_events(Some(subject), 100)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect()
}

async fn a_report_is_filed_once_per_message_and_resolved_once(store: Arc<dyn Store>) {
    let s = seller(&store, 1).await;
    let conv = conversation(&store, s.id, 1).await;
    let m = seller_message(&store, conv, 1).await;
    let reviewer = staff(&store).await;

    let (filed, first) = store.reports().file_report(&report(m, 2)).await.unwrap();
    assert!(first);
    assert_eq!(filed.message_id, m);
    assert_eq!(filed.conversation_id, conv);
    assert_eq!(filed.seller_id, s.id);
    assert_eq!(filed.seller_name, "Seller 1");
    assert_eq!(filed.subject, "Offer 1");
    assert_eq!(filed.reason, Some(ReportReason::Scam));
    assert_eq!(filed.comment.as_deref(), Some(NASTY));
    assert_eq!(filed.status, ReportStatus::Open);
    assert_eq!(filed.created_at, at(2));

    // Filing again keeps the first report and records nothing.
    let (again, first) = store
        .reports()
        .file_report(&NewReport {
            reason: None,
            comment: None,
            ..report(m, 3)
        })
        .await
        .unwrap();
    assert!(!first);
    assert_eq!(again.id, filed.id);
    assert_eq!(again.reason, Some(ReportReason::Scam));
    assert_eq!(store.reports().count_open_reports().await.unwrap(), 1);
    assert_eq!(
        store
            .reports()
            .report_for_message(m)
            .await
            .unwrap()
            .map(|r| r.id),
        Some(filed.id)
    );

    let resolved = store
        .reports()
        .resolve_report(filed.id, reviewer, Some("warned the seller"), at(4))
        .await
        .unwrap();
    assert_eq!(resolved.status, ReportStatus::Resolved);
    assert_eq!(resolved.resolved_by, Some(reviewer));
    assert_eq!(
        resolved.resolution_note.as_deref(),
        Some("warned the seller")
    );
    assert_eq!(resolved.resolved_at, Some(at(4)));
    let twice = store
        .reports()
        .resolve_report(filed.id, reviewer, None, at(5))
        .await;
    assert!(
        matches!(twice, Err(StoreError::InvalidState(_))),
        "{twice:?}"
    );
    assert_eq!(store.reports().count_open_reports().await.unwrap(), 0);
    assert_eq!(
        store
            .reports()
            .get_report(filed.id)
            .await
            .unwrap()
            .resolved_at,
        Some(at(4))
    );

    let trail = store
        .audit()
        .audit_events(Some(&filed.id.to_string()), 100)
        .await
        .unwrap();
    let names: Vec<&str> = trail.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(names, ["report.filed", "report.resolved"]);
    assert_eq!(trail[0].actor_kind, "buyer");
    assert_eq!(trail[0].details["reason"], "scam");
    assert!(
        !trail[0].details.to_string().contains("drop table"),
        "the buyer's comment stays out of the log"
    );
    assert_eq!(trail[1].actor_id, Some(reviewer.to_string()));
    assert_eq!(trail[1].details["note"], "warned the seller");

    let unknown = store
        .reports()
        .resolve_report(ReportId::new(), reviewer, None, at(6))
        .await;
    assert!(matches!(unknown, Err(StoreError::NotFound)), "{unknown:?}");
    let unknown = store
        .reports()
        .file_report(&report(MessageId::new(), 6))
        .await;
    assert!(matches!(unknown, Err(StoreError::NotFound)), "{unknown:?}");
}

async fn open_reports_list_oldest_first_and_resolved_ones_apart(store: Arc<dyn Store>) {
    let s = seller(&store, 1).await;
    let conv = conversation(&store, s.id, 1).await;
    let reviewer = staff(&store).await;
    let mut ids = Vec::new();
    // Filed newest first, so the order is the store's, not insertion's.
    for minute in [30, 20, 10] {
        let m = seller_message(&store, conv, minute).await;
        ids.push(
            store
                .reports()
                .file_report(&report(m, minute + 1))
                .await
                .unwrap()
                .0
                .id,
        );
    }
    let open: Vec<ReportId> = store
        .reports()
        .list_reports(ReportStatus::Open)
        .await
        .unwrap()
        .iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(open, [ids[2], ids[1], ids[0]]);
    store
        .reports()
        .resolve_report(ids[1], reviewer, None, at(40))
        .await
        .unwrap();
    let open = store
        .reports()
        .list_reports(ReportStatus::Open)
        .await
        .unwrap();
    assert_eq!(open.len(), 2);
    let resolved = store
        .reports()
        .list_reports(ReportStatus::Resolved)
        .await
        .unwrap();
    assert_eq!(resolved.iter().map(|r| r.id).collect::<Vec<_>>(), [ids[1]]);
}

async fn only_messages_to_the_buyer_can_be_reported(store: Arc<dyn Store>) {
    let s = seller(&store, 1).await;
    let conv = conversation(&store, s.id, 1).await;
    let from_buyer = store
        .messages()
        .store_message(&message(conv, at(1)))
        .await
        .unwrap()
        .id;
    let result = store.reports().file_report(&report(from_buyer, 2)).await;
    assert!(
        matches!(result, Err(StoreError::InvalidState(_))),
        "{result:?}"
    );
    assert_eq!(store.reports().count_open_reports().await.unwrap(), 0);
}

async fn opting_out_is_recorded_once_and_can_be_undone(store: Arc<dyn Store>) {
    let s = seller(&store, 1).await;
    let conv = conversation(&store, s.id, 1).await;
    let other = conversation(&store, s.id, 2).await;
    assert_eq!(store.reports().buyer_opted_out(conv).await.unwrap(), None);

    assert_eq!(
        store
            .reports()
            .set_buyer_opt_out(conv, true, at(1))
            .await
            .unwrap(),
        Some(at(1))
    );
    // A repeat keeps the first time.
    assert_eq!(
        store
            .reports()
            .set_buyer_opt_out(conv, true, at(2))
            .await
            .unwrap(),
        Some(at(1))
    );
    assert_eq!(
        store.reports().buyer_opted_out(conv).await.unwrap(),
        Some(at(1))
    );
    assert_eq!(store.reports().buyer_opted_out(other).await.unwrap(), None);
    assert_eq!(
        store
            .reports()
            .set_buyer_opt_out(conv, false, at(3))
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        store
            .reports()
            .set_buyer_opt_out(conv, false, at(4))
            .await
            .unwrap(),
        None
    );
    assert_eq!(store.reports().buyer_opted_out(conv).await.unwrap(), None);

    let trail: Vec<String> = actions(&store, &conv.to_string())
        .await
        .into_iter()
        .filter(|a| a.contains("opt"))
        .collect();
    assert_eq!(
        trail,
        ["conversation.opted_out", "conversation.opt_out_undone"]
    );

    let unknown = marketrelay::domain::ConversationId::new();
    assert!(matches!(
        store
            .reports()
            .set_buyer_opt_out(unknown, true, at(5))
            .await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store.reports().buyer_opted_out(unknown).await,
        Err(StoreError::NotFound)
    ));
}

async fn a_blocked_message_keeps_its_reason(store: Arc<dyn Store>) {
    let s = seller(&store, 1).await;
    let conv = conversation(&store, s.id, 1).await;
    let new = marketrelay::domain::NewMessage {
        direction: Direction::SellerToBuyer,
        status: MessageStatus::Blocked,
        enqueue: Some(marketrelay::domain::DeliveryKind::Notice),
        ..message(conv, at(1))
    };
    let stored = store
        .messages()
        .store_blocked_message(&new, "buyer_opted_out")
        .await
        .unwrap();
    assert_eq!(stored.status, MessageStatus::Blocked);
    // Read with the message, as delivery chooses its notice by it.
    assert_eq!(stored.block_reason.as_deref(), Some("buyer_opted_out"));
    assert_eq!(
        store
            .messages()
            .block_reason(stored.id)
            .await
            .unwrap()
            .as_deref(),
        Some("buyer_opted_out")
    );
    let plain = store
        .messages()
        .store_message(&message(conv, at(2)))
        .await
        .unwrap();
    assert_eq!(store.messages().block_reason(plain.id).await.unwrap(), None);
    assert_eq!(plain.block_reason, None);
    assert!(matches!(
        store.messages().block_reason(MessageId::new()).await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(store.queue().pending_deliveries().await.unwrap(), 2);
}

async fn a_conversations_orders_are_registered_once_each(store: Arc<dyn Store>) {
    let s = seller(&store, 1).await;
    let c = conversation(&store, s.id, 1).await;
    assert_eq!(
        store.conversations().conversation_orders(c).await.unwrap(),
        ["order-1"]
    );
    assert!(
        store
            .conversations()
            .add_conversation_order(c, "order-2")
            .await
            .unwrap()
    );
    assert!(
        !store
            .conversations()
            .add_conversation_order(c, "order-2")
            .await
            .unwrap()
    );
    // Opening the same pair again with a third order registers it too.
    let again = marketrelay::domain::NewConversation {
        order_id: Some("order-3".into()),
        ..new_conversation(s.id, 1)
    };
    let (same, created) = store
        .conversations()
        .find_or_create_conversation(&again)
        .await
        .unwrap();
    assert_eq!((same.id, created), (c, false));
    assert_eq!(
        store.conversations().conversation_orders(c).await.unwrap(),
        ["order-1", "order-2", "order-3"]
    );
    let other = conversation(&store, s.id, 2).await;
    assert_eq!(
        store
            .conversations()
            .conversation_orders(other)
            .await
            .unwrap(),
        ["order-2"]
    );
    let added: Vec<_> = store
        .audit()
        .audit_events(Some(&c.to_string()), 50)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.action == "conversation.order_added")
        .collect();
    assert_eq!(added.len(), 1);
    assert_eq!(added[0].details["order_id"], "order-2");
    assert!(matches!(
        store
            .conversations()
            .add_conversation_order(marketrelay::domain::ConversationId::new(), "x")
            .await,
        Err(StoreError::NotFound)
    ));
}
