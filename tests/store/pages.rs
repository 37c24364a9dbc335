//! Keyset pages: the seller's conversation list and the review queue read
//! a page at a time from where the last ended, in the order of the whole
//! list, whatever happens between two pages.

use std::sync::Arc;

use marketrelay::domain::{
    ConversationId, ConversationSummary, Direction, MessageId, MessageStatus, NewMessage,
    ReviewDecision, SellerId,
};
use marketrelay::store::{Cursor, Page, Store};
use time::{Duration, OffsetDateTime};

use super::{T0, at, conversation, held, message, seller, staff};

/// `minutes` after now, to the microsecond the stores keep: conversations
/// are created now, and their messages come after.
fn soon(minutes: i64) -> OffsetDateTime {
    let now = OffsetDateTime::now_utc();
    let now = now
        .replace_nanosecond(now.nanosecond() / 1_000 * 1_000)
        .unwrap();
    now + Duration::minutes(minutes + 1)
}

conformance!(
    seller_pages_follow_the_list_order_and_released_mail_moves_a_conversation_up,
    held_pages_follow_the_queue_and_a_review_between_pages_skips_nothing,
    a_cursor_reads_back_as_written,
    ;
    raw:
);

/// What the list shows of each line.
type Line = (ConversationId, Option<OffsetDateTime>, i64, String);

fn lines(rows: &[ConversationSummary]) -> Vec<Line> {
    rows.iter()
        .map(|c| (c.id, c.last_message_at, c.unread, c.buyer_name.clone()))
        .collect()
}

/// Every page of a seller's list, `limit` at a time, joined.
async fn all_pages(store: &Arc<dyn Store>, s: SellerId, limit: i64) -> Vec<Line> {
    let (mut rows, mut after) = (Vec::new(), None);
    loop {
        let page = store
            .conversations()
            .seller_conversations_page(s, after, limit)
            .await
            .unwrap();
        assert!(page.rows.len() <= limit as usize);
        rows.extend(page.rows);
        match page.next {
            Some(next) => after = Some(next),
            None => return lines(&rows),
        }
    }
}

async fn seller_pages_follow_the_list_order_and_released_mail_moves_a_conversation_up(
    store: Arc<dyn Store>,
) {
    let s = seller(&store, 1).await;
    let other = seller(&store, 2).await;
    let mut conversations: Vec<ConversationId> = Vec::new();
    for buyer in 1..=7 {
        conversations.push(conversation(&store, s.id, buyer).await);
    }
    conversation(&store, other.id, 99).await;
    // Messages in some, at times out of creation order; two at the same
    // time, so the id decides between them; one with held mail only.
    let t = soon(0);
    for (i, minutes) in [(0, 50), (2, 10), (3, 30), (5, 30)] {
        let m = message(conversations[i], t + Duration::minutes(minutes));
        store.messages().store_message(&m).await.unwrap();
    }
    let withheld = held(conversations[6], t + Duration::minutes(60));
    store.messages().store_message(&withheld).await.unwrap();
    let reply = NewMessage {
        direction: Direction::SellerToBuyer,
        ..message(conversations[1], t + Duration::minutes(20))
    };
    store.messages().store_message(&reply).await.unwrap();

    let whole = store
        .conversations()
        .list_conversations(Some(s.id))
        .await
        .unwrap();
    assert_eq!(whole.len(), 7);
    for limit in [1, 2, 3, 7, 50] {
        assert_eq!(
            all_pages(&store, s.id, limit).await,
            lines(&whole),
            "pages of {limit}"
        );
    }
    let first = store
        .conversations()
        .seller_conversations_page(s.id, None, 7)
        .await
        .unwrap();
    assert_eq!(first.next, None, "a full last page has no next");
    assert_eq!(
        store
            .conversations()
            .seller_conversation_count(s.id)
            .await
            .unwrap(),
        7
    );
    // Held mail shows no time and does not move the conversation up.
    let last_of = |rows: &[ConversationSummary], id| {
        rows.iter().find(|c| c.id == id).unwrap().last_message_at
    };
    assert_eq!(last_of(&whole, conversations[6]), None);
    assert_eq!(whole[0].id, conversations[0]);

    // Released, the mail is the newest activity the seller sees.
    let reviewer = staff(&store).await;
    store
        .messages()
        .review_message(
            withheld.id,
            ReviewDecision::Release,
            reviewer,
            None,
            soon(70),
        )
        .await
        .unwrap();
    let whole = store
        .conversations()
        .list_conversations(Some(s.id))
        .await
        .unwrap();
    assert_eq!(whole[0].id, conversations[6]);
    assert_eq!(
        last_of(&whole, conversations[6]),
        Some(t + Duration::minutes(60))
    );
    for limit in [1, 3] {
        assert_eq!(
            all_pages(&store, s.id, limit).await,
            lines(&whole),
            "pages of {limit}"
        );
    }
}

async fn held_pages_follow_the_queue_and_a_review_between_pages_skips_nothing(
    store: Arc<dyn Store>,
) {
    let c = conversation(&store, seller(&store, 1).await.id, 1).await;
    let mut ids: Vec<MessageId> = Vec::new();
    // Five held, two of them at the same instant; one not held.
    for minutes in [5, 1, 3, 3, 9] {
        let m = held(c, at(minutes));
        store.messages().store_message(&m).await.unwrap();
        ids.push(m.id);
    }
    store
        .messages()
        .store_message(&message(c, at(2)))
        .await
        .unwrap();
    let in_order = |ids: &[MessageId]| {
        let mut sorted = ids.to_vec();
        sorted.sort_by_key(|id| {
            let i = ids.iter().position(|x| x == id).unwrap();
            ([5, 1, 3, 3, 9][i], id.0)
        });
        sorted
    };
    let expected = in_order(&ids);

    let first = store.messages().held_page(None, 2).await.unwrap();
    assert_eq!(
        first.rows.iter().map(|m| m.id).collect::<Vec<_>>(),
        expected[..2]
    );
    assert!(first.rows.iter().all(|m| m.status == MessageStatus::Held));
    // The first page's messages are decided before the next is read.
    let reviewer = staff(&store).await;
    for m in &first.rows {
        store
            .messages()
            .review_message(m.id, ReviewDecision::Reject, reviewer, None, at(20))
            .await
            .unwrap();
    }
    let second = store.messages().held_page(first.next, 2).await.unwrap();
    assert_eq!(
        second.rows.iter().map(|m| m.id).collect::<Vec<_>>(),
        expected[2..4]
    );
    let third = store.messages().held_page(second.next, 2).await.unwrap();
    assert_eq!(
        third.rows.iter().map(|m| m.id).collect::<Vec<_>>(),
        expected[4..]
    );
    assert_eq!(third.next, None);
    // From the start again: what is still held.
    let again = store.messages().held_page(None, 50).await.unwrap();
    assert_eq!(
        again.rows.iter().map(|m| m.id).collect::<Vec<_>>(),
        expected[2..]
    );
    assert!(
        store
            .messages()
            .held_page(None, 0)
            .await
            .unwrap()
            .rows
            .is_empty()
    );
}

async fn a_cursor_reads_back_as_written(_store: Arc<dyn Store>) {
    let cursor = Cursor {
        at: T0 + Duration::microseconds(7),
        id: uuid::Uuid::new_v4(),
    };
    assert_eq!(Cursor::parse(&cursor.encode()), Some(cursor));
    for broken in [
        "",
        "1",
        "x.y",
        "1.not-a-uuid",
        "99999999999999999999999999.00",
    ] {
        assert_eq!(Cursor::parse(broken), None, "{broken:?}");
    }
    let page = Page::from_rows(vec![1, 2, 3], 2, |n| Cursor {
        at: T0,
        id: uuid::Uuid::from_u128(*n),
    });
    assert_eq!(page.rows, [1, 2]);
    assert_eq!(page.next.map(|c| c.id), Some(uuid::Uuid::from_u128(2)));
}
