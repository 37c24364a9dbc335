//! A seller's message and its rate-limit slots and suspension check are
//! one transaction (`MessageStore::store_gated`), on both engines: sends
//! racing at the limit never pass it, a message that fails to store takes
//! no slot, a suspension that landed first is seen, and a fixed window's
//! edge counts each message in its own window.

use std::sync::Arc;

use marketrelay::domain::{
    ConversationId, Direction, GateRefusal, NewMessage, RateLimited, SellerGate, SellerId,
    SellerMessageLimits,
};
use marketrelay::store::{Store, StoreAs, StoreError};
use time::{OffsetDateTime, macros::datetime};

use super::{conversation, message, seller, staff};

conformance!(
    concurrent_sends_at_the_limit_never_pass_it,
    a_message_that_fails_to_store_takes_no_slot,
    a_suspension_committed_first_refuses_the_message_as_routed,
    messages_either_side_of_a_windows_edge_count_in_their_own_window;
    raw:
);

/// A seller's message in the conversation, created at `at`.
fn from_seller(conversation: ConversationId, at: OffsetDateTime) -> NewMessage {
    NewMessage {
        direction: Direction::SellerToBuyer,
        ..message(conversation, at)
    }
}

fn gate(
    limits: SellerMessageLimits,
    seller: SellerId,
    conversation: ConversationId,
    at: OffsetDateTime,
) -> SellerGate {
    SellerGate {
        seller,
        suspended: false,
        windows: limits.windows(seller, conversation, at).to_vec(),
        at,
        review_request: None,
    }
}

const PLAIN: StoreAs<'static> = StoreAs::Routed { block_reason: None };

async fn send(
    store: &Arc<dyn Store>,
    new: &NewMessage,
    gate: &SellerGate,
) -> Result<(), GateRefusal> {
    store
        .messages()
        .store_gated(new, PLAIN, gate)
        .await
        .expect("no store error")
        .map(|stored| assert_eq!(stored.id, new.id))
}

/// A seller with one conversation, and limits of `per_hour` and `per_day`.
async fn seller_writing(
    store: &Arc<dyn Store>,
    per_hour: u32,
    per_day: u32,
) -> (SellerId, ConversationId, SellerMessageLimits) {
    let s = seller(store, 1).await.id;
    let c = conversation(store, s, 1).await;
    let limits = SellerMessageLimits {
        per_seller_per_hour: per_hour,
        per_conversation_per_day: per_day,
    };
    (s, c, limits)
}

async fn stored(store: &Arc<dyn Store>, conversation: ConversationId) -> usize {
    store
        .messages()
        .list_messages(conversation)
        .await
        .unwrap()
        .len()
}

async fn concurrent_sends_at_the_limit_never_pass_it(store: Arc<dyn Store>) {
    let (s, c, limits) = seller_writing(&store, 3, 100).await;
    let now = OffsetDateTime::now_utc();
    let sends = (0..12).map(|_| {
        let store = store.clone();
        let new = from_seller(c, now);
        let gate = gate(limits, s, c, now);
        tokio::spawn(async move { send(&store, &new, &gate).await })
    });
    let mut passed = 0;
    let mut limited = 0;
    for send in sends.collect::<Vec<_>>() {
        match send.await.unwrap() {
            Ok(()) => passed += 1,
            Err(GateRefusal::RateLimited(_)) => limited += 1,
            Err(other) => panic!("unexpected refusal {other:?}"),
        }
    }
    assert_eq!((passed, limited), (3, 9));
    assert_eq!(stored(&store, c).await, 3, "only the counted ones stored");
}

async fn a_message_that_fails_to_store_takes_no_slot(store: Arc<dyn Store>) {
    let (s, c, limits) = seller_writing(&store, 1, 1).await;
    let now = OffsetDateTime::now_utc();
    // A buyer's message first, outside any gate; a seller's message that
    // clashes with its id fails to store after its slots were taken.
    let first = message(c, now);
    store.messages().store_message(&first).await.unwrap();
    let clash = NewMessage {
        id: first.id,
        ..from_seller(c, now)
    };
    let failed = store
        .messages()
        .store_gated(&clash, PLAIN, &gate(limits, s, c, now))
        .await;
    assert!(
        matches!(failed, Err(StoreError::Conflict(_) | StoreError::Other(_))),
        "{failed:?}"
    );
    // Its slot went with it: the one message allowed is still to come.
    let next = from_seller(c, now);
    assert_eq!(send(&store, &next, &gate(limits, s, c, now)).await, Ok(()));
    let over = from_seller(c, now);
    assert!(matches!(
        send(&store, &over, &gate(limits, s, c, now)).await,
        Err(GateRefusal::RateLimited(_))
    ));
}

async fn a_suspension_committed_first_refuses_the_message_as_routed(store: Arc<dyn Store>) {
    let (s, c, limits) = seller_writing(&store, 1, 1).await;
    let now = OffsetDateTime::now_utc();
    // Routed while the seller was not suspended; suspended before it is stored.
    let routed = gate(limits, s, c, now);
    let t = staff(&store).await;
    store
        .moderation()
        .set_seller_suspended(s, true, t, Some("fraud"), now)
        .await
        .unwrap();
    let new = from_seller(c, now);
    assert_eq!(
        send(&store, &new, &routed).await,
        Err(GateRefusal::SuspensionChanged { suspended: true })
    );
    assert_eq!(stored(&store, c).await, 0, "nothing stored");
    // Routed again as a suspended seller's, it is stored, and the refused
    // attempt kept no slot.
    let again = SellerGate {
        suspended: true,
        ..routed
    };
    assert_eq!(send(&store, &new, &again).await, Ok(()));
    assert_eq!(stored(&store, c).await, 1);
    // A buyer's message is checked too, and takes no slot.
    let buyer = message(c, now);
    let unsuspended = SellerGate {
        seller: s,
        suspended: false,
        windows: Vec::new(),
        at: now,
        review_request: None,
    };
    assert_eq!(
        send(&store, &buyer, &unsuspended).await,
        Err(GateRefusal::SuspensionChanged { suspended: true })
    );
    let unknown = SellerGate {
        seller: SellerId::new(),
        ..unsuspended
    };
    assert!(matches!(
        store.messages().store_gated(&buyer, PLAIN, &unknown).await,
        Err(StoreError::NotFound)
    ));
}

async fn messages_either_side_of_a_windows_edge_count_in_their_own_window(store: Arc<dyn Store>) {
    let s = seller(&store, 1).await.id;
    let (c1, c2) = (
        conversation(&store, s, 1).await,
        conversation(&store, s, 2).await,
    );
    // One message an hour in all conversations, one a day in each.
    let limits = SellerMessageLimits {
        per_seller_per_hour: 1,
        per_conversation_per_day: 1,
    };
    let send_at = |c: ConversationId, at: OffsetDateTime| {
        let store = store.clone();
        async move {
            let new = from_seller(c, at);
            send(&store, &new, &gate(limits, s, c, at)).await
        }
    };
    let limited_until = |until| Err(GateRefusal::RateLimited(RateLimited { until }));

    // The last instant of an hour counts in that hour, which it fills.
    let last = datetime!(2026-03-01 10:59:59.999 UTC);
    assert_eq!(send_at(c1, last).await, Ok(()));
    assert_eq!(
        send_at(c2, last).await,
        limited_until(datetime!(2026-03-01 11:00 UTC))
    );
    // The first instant of the next hour starts a window of its own.
    let first = datetime!(2026-03-01 11:00 UTC);
    assert_eq!(send_at(c2, first).await, Ok(()));
    assert_eq!(
        send_at(c2, datetime!(2026-03-01 11:59:59 UTC)).await,
        // Both windows are full: the answer names the later end.
        limited_until(datetime!(2026-03-02 00:00 UTC))
    );

    // The UTC day likewise: c1 wrote on 1 March; the next day's first
    // instant is a new day (and a new hour).
    assert_eq!(
        send_at(c1, datetime!(2026-03-01 23:59:59.999 UTC)).await,
        limited_until(datetime!(2026-03-02 00:00 UTC))
    );
    assert_eq!(send_at(c1, datetime!(2026-03-02 00:00 UTC)).await, Ok(()));
    // A time given in another offset names the same UTC windows.
    assert_eq!(
        send_at(c2, datetime!(2026-03-02 01:00 +01:00)).await,
        limited_until(datetime!(2026-03-02 01:00 UTC))
    );
}
