//! The console's search across every seller's conversations and the pages
//! of the staff access log, both answered by the database.

use std::sync::Arc;

use marketrelay::domain::{AuditAction, ConversationId, MessageSource, NewAuditEvent};
use marketrelay::store::{NewSeller, Store};

use super::{addr, at, conversation, hash, message, new_conversation, seller, staff};

conformance!(
    search_finds_by_every_field_case_insensitively,
    search_treats_wildcards_and_backslashes_literally,
    search_pages_newest_activity_first,
    web_source_round_trips,
    staff_reads_page_newest_first,
    ;
    raw:
);

async fn ids(store: &Arc<dyn Store>, query: &str) -> Vec<ConversationId> {
    store
        .moderation()
        .search_conversations(query, 100, 0)
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.id)
        .collect()
}

async fn search_finds_by_every_field_case_insensitively(store: Arc<dyn Store>) {
    let one = seller(&store, 1).await;
    let two = store
        .parties()
        .create_seller(
            &NewSeller {
                name: "Zeppelin Parts".into(),
                email: addr("sales@zeppelin.example"),
                external_id: None,
                country: None,
                language: None,
            },
            &hash("seller"),
        )
        .await
        .unwrap();
    let a = store
        .conversations()
        .find_or_create_conversation(&new_conversation(one.id, 1))
        .await
        .unwrap()
        .0;
    let b = store
        .conversations()
        .find_or_create_conversation(&new_conversation(two.id, 2))
        .await
        .unwrap()
        .0;
    let mut m = message(b.id, at(1));
    m.original_body = "The PROPELLER ships Friday".into();
    store.messages().store_message(&m).await.unwrap();

    assert_eq!(
        ids(&store, "BUYER1@mail").await,
        [a.id],
        "real buyer address"
    );
    assert_eq!(ids(&store, "Order-2").await, [b.id], "order id");
    assert_eq!(ids(&store, "zeppelin PARTS").await, [b.id], "seller name");
    assert_eq!(ids(&store, "seller1@shop").await, [a.id], "seller address");
    assert_eq!(ids(&store, "propeller").await, [b.id], "message text");
    assert_eq!(ids(&store, "still available").await, [b.id], "subject");
    assert_eq!(ids(&store, &a.buyer_alias.to_uppercase()).await, [a.id]);
    assert_eq!(ids(&store, &b.seller_alias).await, [b.id]);
    assert_eq!(ids(&store, "buyer 2").await, [b.id], "buyer name");
    assert_eq!(
        ids(&store, &a.id.to_string()).await,
        [a.id],
        "conversation id"
    );
    assert_eq!(ids(&store, &two.id.to_string()).await, [b.id], "seller id");
    assert_eq!(ids(&store, "  ").await.len(), 2, "empty matches all");
    assert!(ids(&store, "nothing like this").await.is_empty());

    // Non-ASCII letters match as written on both engines (Postgres also
    // folds their case; SQLite's lower() folds ASCII only).
    let three = store
        .parties()
        .create_seller(
            &NewSeller {
                name: "Über Räder".into(),
                email: addr("hallo@raeder.example"),
                external_id: None,
                country: None,
                language: None,
            },
            &hash("seller"),
        )
        .await
        .unwrap();
    let c = conversation(&store, three.id, 3).await;
    assert_eq!(ids(&store, "ÜBER räder").await, [c]);
}

async fn search_treats_wildcards_and_backslashes_literally(store: Arc<dyn Store>) {
    let s = seller(&store, 1).await;
    let plain = conversation(&store, s.id, 1).await;
    let mut odd = new_conversation(s.id, 2);
    odd.order_id = Some(r"50%_off\deal".into());
    let odd = store
        .conversations()
        .find_or_create_conversation(&odd)
        .await
        .unwrap()
        .0
        .id;
    assert_eq!(ids(&store, "50%_off").await, [odd]);
    assert_eq!(ids(&store, r"off\deal").await, [odd]);
    // As wildcards these would match "order-1" and "order-2".
    assert!(ids(&store, "order%1").await.is_empty());
    assert!(ids(&store, "o_der").await.is_empty());
    assert!(ids(&store, "%").await.contains(&odd));
    assert!(!ids(&store, "%").await.contains(&plain));
    assert!(ids(&store, "_").await.contains(&odd));
    assert!(
        ids(&store, super::NASTY).await.is_empty(),
        "quotes are data"
    );
}

async fn search_pages_newest_activity_first(store: Arc<dyn Store>) {
    let s = seller(&store, 1).await;
    let mut expected = Vec::new();
    for n in 0..5 {
        let conv = conversation(&store, s.id, n).await;
        store
            .messages()
            .store_message(&message(conv, at(i64::from(n))))
            .await
            .unwrap();
        expected.insert(0, conv);
    }
    let mut seen = Vec::new();
    for page in 0..3 {
        let rows = store
            .moderation()
            .search_conversations("order-", 2, page * 2)
            .await
            .unwrap();
        assert!(rows.len() <= 2);
        seen.extend(rows.into_iter().map(|c| c.id));
    }
    assert_eq!(seen, expected);
    assert!(
        store
            .moderation()
            .search_conversations("order-", 2, 10)
            .await
            .unwrap()
            .is_empty()
    );
}

async fn web_source_round_trips(store: Arc<dyn Store>) {
    let s = seller(&store, 1).await;
    let conv = conversation(&store, s.id, 1).await;
    let m = marketrelay::domain::NewMessage {
        source: MessageSource::Web,
        ..message(conv, at(0))
    };
    assert_eq!(
        store.messages().store_message(&m).await.unwrap().source,
        MessageSource::Web
    );
    assert_eq!(
        store.messages().get_message(m.id).await.unwrap().source,
        MessageSource::Web
    );
}

async fn staff_reads_page_newest_first(store: Arc<dyn Store>) {
    let reviewer = staff(&store).await;
    for n in 0..5 {
        store
            .audit()
            .record_audit(&NewAuditEvent::by_staff(
                reviewer,
                AuditAction::MessageRead,
                "message",
                format!("m{n}"),
                serde_json::json!({ "via": "test" }),
            ))
            .await
            .unwrap();
    }
    // Not a staff read: left out.
    store
        .audit()
        .record_audit(&NewAuditEvent::system(
            AuditAction::MessageRead,
            "message",
            "system-read",
            serde_json::json!({}),
        ))
        .await
        .unwrap();
    let page = |limit, offset| {
        let store = store.clone();
        async move {
            store
                .moderation()
                .staff_reads_page(limit, offset)
                .await
                .unwrap()
                .into_iter()
                .map(|e| e.subject_id)
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(page(2, 0).await, ["m4", "m3"]);
    assert_eq!(page(2, 2).await, ["m2", "m1"]);
    assert_eq!(page(2, 4).await, ["m0"]);
    assert!(page(2, 6).await.is_empty());
    assert!(page(-1, -1).await.is_empty());
}
