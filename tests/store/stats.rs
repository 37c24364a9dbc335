//! The dashboard's compact reads: messages and review decisions from a point
//! in time on, exactly at the edge, and the review queue whatever the time.

use std::sync::Arc;

use marketrelay::domain::{
    Action, DeliveryKind, Direction, MessageStatus, NewMessage, ReviewDecision,
};
use marketrelay::store::{Store, lifecycle::PartyRef};
use marketrelay::web::dashboard::stats::{Period, Stats, aggregate, from_counts};
use time::Duration;

use super::{LEASE, Raw, T0, at, conversation, held, message, seller, staff};

conformance!(
    an_empty_store_has_no_facts_and_an_empty_queue,
    dashboard_facts_start_exactly_at_the_given_time,
    queue_summary_counts_waiting_entries_by_kind_and_finds_the_oldest,
    kept_counts_show_what_counting_every_message_shows,
    ;
    raw:
    the_migrations_fill_rebuilds_the_kept_counts,
);

async fn an_empty_store_has_no_facts_and_an_empty_queue(store: Arc<dyn Store>) {
    let facts = store.stats().dashboard_facts(T0).await.unwrap();
    assert!(facts.messages.is_empty());
    assert!(facts.reviews.is_empty());
    assert_eq!((facts.queue.held, facts.queue.oldest_held_at), (0, None));
}

async fn dashboard_facts_start_exactly_at_the_given_time(store: Arc<dyn Store>) {
    let gadget = seller(&store, 1).await;
    let quiet = seller(&store, 2).await;
    let c1 = conversation(&store, gadget.id, 1).await;
    let c2 = conversation(&store, quiet.id, 2).await;
    let reviewer = staff(&store).await;

    let before = message(c1, T0 - Duration::microseconds(1));
    let edge = message(c1, T0);
    let released = held(c1, at(10));
    let waiting = held(c2, at(20));
    // Held long before the period: out of the facts, still in the queue.
    let old_waiting = held(c1, T0 - Duration::days(2));
    let old_rejected = held(c2, T0 - Duration::days(1));
    for m in [
        &before,
        &edge,
        &released,
        &waiting,
        &old_waiting,
        &old_rejected,
    ] {
        store.messages().store_message(m).await.unwrap();
    }
    store
        .messages()
        .review_message(released.id, ReviewDecision::Release, reviewer, None, at(30))
        .await
        .unwrap();
    store
        .messages()
        .review_message(
            old_rejected.id,
            ReviewDecision::Reject,
            reviewer,
            None,
            at(40),
        )
        .await
        .unwrap();

    let facts = store.stats().dashboard_facts(T0).await.unwrap();
    let ids: Vec<_> = facts.messages.iter().map(|m| m.id).collect();
    assert_eq!(ids, [edge.id, released.id, waiting.id]);
    let first = &facts.messages[0];
    assert_eq!(first.created_at, T0);
    assert_eq!(
        (first.action, first.status),
        (Action::Redact, MessageStatus::Queued)
    );
    assert_eq!(
        (first.seller_id, first.seller_name.as_str()),
        (gadget.id, "Seller 1")
    );
    assert_eq!(first.findings, edge.findings);
    // A released message is queued again; the review trail still has it.
    assert_eq!(
        (facts.messages[1].action, facts.messages[1].status),
        (Action::Hold, MessageStatus::Queued)
    );
    assert_eq!(
        (
            facts.messages[2].seller_id,
            facts.messages[2].seller_name.as_str()
        ),
        (quiet.id, "Seller 2")
    );

    // Decisions count by when they were made, whenever the message came.
    let reviews: Vec<_> = facts
        .reviews
        .iter()
        .map(|r| (r.message_id.clone(), r.decision, r.at))
        .collect();
    assert_eq!(
        reviews,
        [
            (released.id.to_string(), ReviewDecision::Release, at(30)),
            (old_rejected.id.to_string(), ReviewDecision::Reject, at(40)),
        ]
    );
    assert_eq!(facts.queue.held, 2);
    assert_eq!(facts.queue.oldest_held_at, Some(T0 - Duration::days(2)));

    // From a later time on, only what came later.
    let later = store.stats().dashboard_facts(at(35)).await.unwrap();
    assert!(later.messages.is_empty());
    assert_eq!(later.reviews.len(), 1);
    assert_eq!(later.queue.held, 2);
}

/// What `/metrics` reads at each scrape: sent entries leave the count, a
/// failed one too, and the oldest waiting entry is the oldest of any kind.
async fn queue_summary_counts_waiting_entries_by_kind_and_finds_the_oldest(store: Arc<dyn Store>) {
    let empty = store.stats().queue_summary().await.unwrap();
    assert_eq!(
        (
            empty.pending.len(),
            empty.oldest_pending_at,
            empty.review.held
        ),
        (0, None, 0)
    );
    let c = conversation(&store, seller(&store, 1).await.id, 1).await;
    let sent = message(c, at(1));
    let relay = message(c, at(20));
    let notice = NewMessage {
        enqueue: Some(DeliveryKind::Notice),
        status: MessageStatus::Blocked,
        ..message(c, at(5))
    };
    let waiting = held(c, at(7));
    for m in [&sent, &relay, &notice, &waiting] {
        store.messages().store_message(m).await.unwrap();
    }
    let claimed = store
        .queue()
        .claim_next_delivery(at(30), LEASE)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(claimed.message_id, sent.id);
    store
        .queue()
        .record_delivery_success(claimed.id, at(31))
        .await
        .unwrap();

    let summary = store.stats().queue_summary().await.unwrap();
    assert_eq!(
        summary.pending,
        [(DeliveryKind::Notice, 1), (DeliveryKind::Relay, 1)]
    );
    assert_eq!(summary.oldest_pending_at, Some(at(5)));
    assert_eq!(
        (summary.review.held, summary.review.oldest_held_at),
        (1, Some(at(7)))
    );
}

/// The page's figures from the counts kept per day, beside the same
/// figures counted message by message, for a week and a month ending on
/// `today`.
async fn both_ways(store: &Arc<dyn Store>, today: time::Date) -> Vec<(Stats, Stats)> {
    let mut out = Vec::new();
    for days in [7, 30] {
        let period = Period::ending(today, days);
        let facts = store.stats().dashboard_facts(period.start()).await.unwrap();
        let counts = store
            .stats()
            .dashboard_counts(period.first_day, today)
            .await
            .unwrap();
        out.push((from_counts(&counts, period), aggregate(&facts, period)));
    }
    out
}

async fn assert_same(store: &Arc<dyn Store>, today: time::Date, step: &str) {
    for (kept, counted) in both_ways(store, today).await {
        assert_eq!(kept, counted, "after {step}");
    }
}

/// Counts kept as messages are stored, held, released, rejected, delivered
/// and erased show what counting every message of the period shows.
async fn kept_counts_show_what_counting_every_message_shows(store: Arc<dyn Store>) {
    let today = (T0 + Duration::days(3)).date();
    let gadget = seller(&store, 1).await;
    let bikes = seller(&store, 2).await;
    let c1 = conversation(&store, gadget.id, 1).await;
    let c2 = conversation(&store, bikes.id, 2).await;
    let reviewer = staff(&store).await;
    assert_same(&store, today, "nothing").await;

    let plain = NewMessage {
        findings: Vec::new(),
        action: Action::Deliver,
        ..message(c1, at(1))
    };
    let blocked = NewMessage {
        action: Action::Block,
        status: MessageStatus::Blocked,
        enqueue: None,
        ..message(c2, at(2))
    };
    // Held because the seller was suspended: redacted, then released.
    let suspended = NewMessage {
        status: MessageStatus::Held,
        enqueue: None,
        ..message(c2, at(3))
    };
    let reply = NewMessage {
        direction: Direction::SellerToBuyer,
        ..message(c1, T0 + Duration::days(1))
    };
    let messages = [
        plain,
        message(c1, T0 - Duration::days(10)),
        message(c1, T0 - Duration::microseconds(1)),
        blocked,
        suspended.clone(),
        held(c1, at(4)),
        held(c2, T0 + Duration::days(2)),
        reply,
        message(c2, T0 + Duration::days(3)),
    ];
    for m in &messages {
        store.messages().store_message(m).await.unwrap();
        assert_same(&store, today, "a message stored").await;
    }
    let (first_held, second_held) = (&messages[5], &messages[6]);
    store
        .messages()
        .review_message(
            suspended.id,
            ReviewDecision::Release,
            reviewer,
            None,
            at(60),
        )
        .await
        .unwrap();
    store
        .messages()
        .review_message(
            first_held.id,
            ReviewDecision::Reject,
            reviewer,
            None,
            T0 + Duration::days(2),
        )
        .await
        .unwrap();
    assert_same(&store, today, "reviews").await;
    while let Some(claimed) = store
        .queue()
        .claim_next_delivery(T0 + Duration::days(3), LEASE)
        .await
        .unwrap()
    {
        store
            .queue()
            .record_delivery_success(claimed.id, T0 + Duration::days(3))
            .await
            .unwrap();
    }
    assert_same(&store, today, "deliveries").await;
    store
        .lifecycle()
        .erase_party(PartyRef::Seller(bikes.id), T0 + Duration::days(3))
        .await
        .unwrap();
    assert_same(&store, today, "erasing a seller").await;

    // The figures themselves, so both ways cannot be wrong together.
    let (week, _) = both_ways(&store, today).await.remove(0);
    assert_eq!(week.messages(), 8);
    assert_eq!(
        (week.released(), week.rejected(), week.queue.held),
        (1, 1, 0),
        "{second_held:?} was rejected by the erasure, not by staff"
    );
}

/// Migration 0018 fills the kept counts from the messages stored before
/// it, and the seeds fill them with the same statements
/// (`benches/seed/kept_figures.sh`, which reads them from the migration):
/// with the counts emptied, that fill gives back what storing kept.
async fn the_migrations_fill_rebuilds_the_kept_counts(store: Arc<dyn Store>, raw: Raw) {
    let today = (T0 + Duration::days(3)).date();
    let c1 = conversation(&store, seller(&store, 1).await.id, 1).await;
    let c2 = conversation(&store, seller(&store, 2).await.id, 2).await;
    let reviewer = staff(&store).await;
    let released = held(c2, at(3));
    let rejected = held(c1, at(4));
    let messages = [
        NewMessage {
            findings: Vec::new(),
            action: Action::Deliver,
            ..message(c1, at(1))
        },
        NewMessage {
            action: Action::Block,
            status: MessageStatus::Blocked,
            enqueue: None,
            ..message(c2, at(2))
        },
        released.clone(),
        rejected.clone(),
        message(c2, T0 + Duration::days(2)),
    ];
    for m in &messages {
        store.messages().store_message(m).await.unwrap();
    }
    for (m, decision) in [
        (&released, ReviewDecision::Release),
        (&rejected, ReviewDecision::Reject),
    ] {
        store
            .messages()
            .review_message(m.id, decision, reviewer, None, at(60))
            .await
            .unwrap();
    }
    let kept: Vec<Stats> = both_ways(&store, today)
        .await
        .into_iter()
        .map(|(k, _)| k)
        .collect();
    assert_eq!(kept[0].messages(), 5);

    for table in [
        "daily_message_counts",
        "daily_finding_counts",
        "daily_seller_counts",
    ] {
        raw.execute(&format!("delete from {table}")).await.unwrap();
    }
    assert_eq!(both_ways(&store, today).await[0].0.messages(), 0);
    let engine = match raw {
        Raw::Sqlite(_) => "sqlite",
        Raw::Postgres(_) => "postgres",
    };
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/benches/seed/kept_figures.sh");
    let out = std::process::Command::new("bash")
        .arg(script)
        .arg(engine)
        .output()
        .expect("run kept_figures.sh");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let fill = String::from_utf8(out.stdout).unwrap();
    assert!(fill.contains("insert into daily_message_counts"), "{fill}");
    raw.execute(&fill).await.unwrap();

    let refilled: Vec<Stats> = both_ways(&store, today)
        .await
        .into_iter()
        .map(|(k, _)| k)
        .collect();
    assert_eq!(refilled, kept);
}
