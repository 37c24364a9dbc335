//! `ResponseTimeStore` conformance: the response time the SQL computes is
//! the one `domain::response_time::measure` defines, on both engines.

use std::sync::Arc;

use marketrelay::domain::{
    Action, AuditAction, Direction, MessageStatus, TimedMessage, response_time::measure,
};
use marketrelay::store::response_time::NoResponseMarker;
use marketrelay::store::{Store, StoreError};
use time::{Duration, OffsetDateTime, macros::datetime};

use super::harness::Raw;
use super::{conversation, message, seller};

conformance!(
    marks_only_buyer_messages_once_and_audits_the_first;
    raw:
    the_sql_measures_what_the_domain_defines,
);

const NOW: OffsetDateTime = datetime!(2026-04-15 12:00 UTC);

/// A small deterministic generator, so a failure repeats.
struct Xorshift(u64);

impl Xorshift {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

const BUYER_OUTCOMES: [(Action, MessageStatus); 7] = [
    (Action::Deliver, MessageStatus::Sent),
    (Action::Deliver, MessageStatus::Sent),
    (Action::Redact, MessageStatus::Queued),
    (Action::Deliver, MessageStatus::Failed),
    (Action::Hold, MessageStatus::Held),
    (Action::Hold, MessageStatus::Sent),
    (Action::Block, MessageStatus::Blocked),
];

const SELLER_OUTCOMES: [(Action, MessageStatus); 6] = [
    (Action::Deliver, MessageStatus::Sent),
    (Action::Deliver, MessageStatus::Sent),
    (Action::Redact, MessageStatus::Queued),
    (Action::Hold, MessageStatus::Held),
    (Action::Hold, MessageStatus::Rejected),
    (Action::Block, MessageStatus::Blocked),
];

/// Stores one message and returns what the measure reads of it.
async fn store_timed(
    store: &Arc<dyn Store>,
    raw: &Raw,
    conversation: marketrelay::domain::ConversationId,
    m: TimedMessage,
) -> marketrelay::domain::MessageId {
    let mut new = message(conversation, m.at);
    new.direction = m.direction;
    new.action = m.action;
    new.status = m.status;
    new.enqueue = None;
    store.messages().store_message(&new).await.unwrap();
    if m.automatic {
        raw.execute(&format!(
            "update messages set auto_submitted = 'auto-replied' where id = '{}'",
            new.id
        ))
        .await
        .unwrap();
    }
    if m.no_response_needed {
        store
            .response_times()
            .mark_no_response(new.id, NoResponseMarker::Operator, NOW)
            .await
            .unwrap();
    }
    new.id
}

fn timed(at: OffsetDateTime, direction: Direction) -> TimedMessage {
    TimedMessage {
        at,
        direction,
        status: MessageStatus::Sent,
        action: Action::Deliver,
        automatic: false,
        no_response_needed: false,
    }
}

async fn the_sql_measures_what_the_domain_defines(store: Arc<dyn Store>, raw: Raw) {
    let me = seller(&store, 1).await;
    let other = seller(&store, 2).await;
    let mut random = Xorshift(0x9e37_79b9_7f4a_7c15);
    let mut threads: Vec<Vec<TimedMessage>> = Vec::new();
    for buyer in 1..=6 {
        let conv = conversation(&store, me.id, buyer).await;
        let mut thread = Vec::new();
        for _ in 0..40 {
            // Minutes over the last 35 days and a few past now.
            let at = NOW - Duration::minutes(random.below(35 * 24 * 60) as i64 - 90);
            let from_buyer = random.below(10) < 6;
            let (action, status) = if from_buyer {
                BUYER_OUTCOMES[random.below(BUYER_OUTCOMES.len() as u64) as usize]
            } else {
                SELLER_OUTCOMES[random.below(SELLER_OUTCOMES.len() as u64) as usize]
            };
            let m = TimedMessage {
                at,
                direction: if from_buyer {
                    Direction::BuyerToSeller
                } else {
                    Direction::SellerToBuyer
                },
                status,
                action,
                automatic: from_buyer && random.below(10) == 0,
                no_response_needed: from_buyer && random.below(8) == 0,
            };
            store_timed(&store, &raw, conv, m).await;
            thread.push(m);
        }
        threads.push(thread);
    }
    // The edges: answered after exactly 24 h; unanswered for exactly 24 h
    // (due); arrived exactly at the window's start (out); answered only
    // after now (not yet answered).
    let conv = conversation(&store, me.id, 7).await;
    let edges = vec![
        timed(NOW - Duration::hours(48), Direction::BuyerToSeller),
        timed(NOW - Duration::hours(24), Direction::SellerToBuyer),
        timed(NOW - Duration::hours(24), Direction::BuyerToSeller),
        timed(NOW - Duration::days(30), Direction::BuyerToSeller),
        timed(NOW - Duration::hours(2), Direction::BuyerToSeller),
        timed(NOW + Duration::hours(1), Direction::SellerToBuyer),
    ];
    for m in &edges {
        store_timed(&store, &raw, conv, *m).await;
    }
    threads.push(edges);
    // Another seller's conversation, answered at once, changes nothing here.
    let elsewhere = conversation(&store, other.id, 1).await;
    let theirs = vec![
        timed(NOW - Duration::hours(30), Direction::BuyerToSeller),
        timed(NOW - Duration::hours(29), Direction::SellerToBuyer),
    ];
    for m in &theirs {
        store_timed(&store, &raw, elsewhere, *m).await;
    }

    for days in [30, 7, 1] {
        let expected = measure(&threads, NOW, days);
        let got = store
            .response_times()
            .seller_response_time(me.id, NOW, days)
            .await
            .unwrap();
        assert_eq!(got, expected, "window of {days} days");
    }
    let expected = measure(&threads, NOW, 30);
    assert!(
        expected.buyer_messages > 20 && expected.excluded > 0 && expected.answered > 0,
        "the sample exercises every part: {expected:?}"
    );
    assert!(expected.answered_within_24h < expected.buyer_messages);
    let got = store
        .response_times()
        .seller_response_time(other.id, NOW, 30)
        .await
        .unwrap();
    assert_eq!(got, measure(&[theirs], NOW, 30));
    assert_eq!(got.median_first_response_seconds(), Some(3600));
}

async fn marks_only_buyer_messages_once_and_audits_the_first(store: Arc<dyn Store>) {
    let me = seller(&store, 1).await;
    let conv = conversation(&store, me.id, 1).await;
    let buyer = message(conv, NOW - Duration::hours(3));
    store.messages().store_message(&buyer).await.unwrap();
    let mut reply = message(conv, NOW - Duration::hours(2));
    reply.direction = Direction::SellerToBuyer;
    store.messages().store_message(&reply).await.unwrap();
    let marks = store.response_times();

    let (first, marked) = marks
        .mark_no_response(buyer.id, NoResponseMarker::Seller(me.id), NOW)
        .await
        .unwrap();
    assert!(marked);
    assert_eq!(
        (first.message_id, first.marked_by.as_str()),
        (buyer.id, "seller")
    );
    let (again, marked) = marks
        .mark_no_response(
            buyer.id,
            NoResponseMarker::Operator,
            NOW + Duration::hours(1),
        )
        .await
        .unwrap();
    assert!(!marked, "the first mark stands");
    assert_eq!(again, first);
    assert!(matches!(
        marks
            .mark_no_response(reply.id, NoResponseMarker::Operator, NOW)
            .await,
        Err(StoreError::InvalidState(_))
    ));
    assert!(matches!(
        marks
            .mark_no_response(
                marketrelay::domain::MessageId::new(),
                NoResponseMarker::Operator,
                NOW
            )
            .await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(marks.no_response_marks(conv).await.unwrap(), vec![first]);
    let events = store
        .audit()
        .audit_events(Some(&buyer.id.to_string()), 100)
        .await
        .unwrap();
    let marked: Vec<_> = events
        .iter()
        .filter(|e| e.action == AuditAction::MessageNoResponseNeeded.as_str())
        .collect();
    assert_eq!(marked.len(), 1);
    assert_eq!(marked[0].actor_kind, "seller");
    assert_eq!(marked[0].actor_id, Some(me.id.to_string()));
}
