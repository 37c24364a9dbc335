//! A queue entry claimed by a worker that then died (a crashed or killed
//! node) is sent by another worker once the claim lease
//! (`delivery.claim_lease_secs`) runs out, and not before.

use std::time::Duration;

use marketrelay::outbound::DeliveryOutcome;
use time::OffsetDateTime;

use crate::helpers::{Backend, Options, buyer_mail, spawn_app_with};

crate::on_both_backends!(an_entry_claimed_by_a_dead_worker_is_sent_after_the_lease,);

async fn an_entry_claimed_by_a_dead_worker_is_sent_after_the_lease(backend: Backend) {
    let app =
        spawn_app_with(Options::new(backend).var("MARKETRELAY_DELIVERY_CLAIM_LEASE_SECS", "1"))
            .await;
    assert_eq!(app.outbound.settings.claim_lease, Duration::from_secs(1));
    let c = app.conversation().await;
    let raw = buyer_mail(&c.buyer_email, &c.seller_alias, "orphaned claim", "hello");
    assert!(
        app.send_mail(&c.buyer_email, &c.seller_alias, &raw)
            .await
            .starts_with("250")
    );

    // A worker claims the entry and dies before sending it.
    let claimed = app
        .store
        .queue()
        .claim_next_delivery(OffsetDateTime::now_utc(), app.outbound.settings.claim_lease)
        .await
        .unwrap();
    assert!(claimed.is_some());

    // Within the lease no other worker sees it...
    assert_eq!(
        app.outbound.try_deliver_next().await.unwrap(),
        DeliveryOutcome::QueueEmpty
    );
    assert!(app.delivered().is_empty());

    // ...after it, the next claim takes it and sends it, once.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert_eq!(
        app.outbound.try_deliver_next().await.unwrap(),
        DeliveryOutcome::Delivered
    );
    assert_eq!(
        app.outbound.try_deliver_next().await.unwrap(),
        DeliveryOutcome::QueueEmpty
    );
    let delivered = app.delivered();
    assert_eq!(delivered.len(), 1);
    assert!(String::from_utf8_lossy(&delivered[0]).contains("orphaned claim"));
}
