//! A "held for review" notice a delivery worker has claimed races the
//! staff decision that withdraws it: whichever takes the entry's row
//! first wins. Claimed but not yet sending: the decision withdraws it and
//! the worker sends nothing. Already sending: the notice goes out and the
//! decision's own notice follows.

use marketrelay::outbound::DeliveryOutcome;
use serde_json::json;

use crate::helpers::{Backend, TestApp, parse_mail, queued_id, spawn_app};

/// A conversation and a staff member.
async fn setup(app: &TestApp) -> (crate::helpers::Convo, crate::helpers::Party) {
    let c = app.conversation().await;
    let staff = app.create_staff("Tess", "tess@marketplace.example").await;
    (c, staff)
}

/// Held mail from the buyer; the held-for-review notice is queued.
async fn held(app: &TestApp, c: &crate::helpers::Convo) -> String {
    queued_id(
        &app.buyer_writes(
            c,
            "Cheaper?",
            "Can I pay you via PayPal friends and family instead?",
        )
        .await,
    )
}

async fn reject(app: &TestApp, staff: &crate::helpers::Party, id: &str) {
    let (status, body) = app
        .post(
            &format!("/api/v1/messages/{id}/review"),
            &staff.token,
            json!({ "decision": "reject" }),
        )
        .await;
    assert_eq!(status, 200, "{body}");
}

/// The worker that claimed `delivery` goes on with it.
async fn worker_goes_on(app: &TestApp, delivery: marketrelay::domain::Delivery) -> DeliveryOutcome {
    app.outbound
        .deliver(delivery, tokio::time::Instant::now())
        .await
        .unwrap()
}

fn subjects(app: &TestApp) -> Vec<String> {
    app.delivered()
        .iter()
        .map(|raw| parse_mail(raw).subject().unwrap_or_default().to_owned())
        .collect()
}

async fn a_claimed_held_notice_is_withdrawn_by_the_decision(backend: Backend) {
    let app = spawn_app(backend).await;
    let (c, staff) = setup(&app).await;
    let id = held(&app, &c).await;
    // A worker claims the notice (for a second), then staff decide.
    let now = time::OffsetDateTime::now_utc();
    let claimed = app
        .store
        .queue()
        .claim_next_delivery(now, std::time::Duration::from_secs(1))
        .await
        .unwrap()
        .expect("the held notice is queued");
    reject(&app, &staff, &id).await;
    // The worker goes on with what it claimed: it sends nothing.
    assert_eq!(
        worker_goes_on(&app, claimed).await,
        DeliveryOutcome::Withdrawn
    );
    // Nor does another after the lease: only the rejection reaches the buyer.
    tokio::time::sleep(std::time::Duration::from_millis(1_200)).await;
    app.deliver_all().await;
    assert_eq!(subjects(&app), vec!["Not delivered: Cheaper?".to_owned()]);
}

async fn a_held_notice_already_sending_goes_out_before_the_decision(backend: Backend) {
    let app = spawn_app(backend).await;
    let (c, staff) = setup(&app).await;
    let id = held(&app, &c).await;
    let now = time::OffsetDateTime::now_utc();
    let queue = app.store.queue();
    let claimed = queue
        .claim_next_delivery(now, std::time::Duration::from_secs(300))
        .await
        .unwrap()
        .expect("the held notice is queued");
    // The worker takes the send claim first; the decision comes while it sends.
    assert!(queue.start_send(claimed.id, now).await.unwrap());
    reject(&app, &staff, &id).await;
    assert_eq!(
        worker_goes_on(&app, claimed).await,
        DeliveryOutcome::Delivered
    );
    assert_eq!(app.deliver_all().await, vec![DeliveryOutcome::Delivered]);
    // Both go out: the one already on its way (written from the message as
    // it stands when it is built) and the decision's.
    assert_eq!(subjects(&app).len(), 2, "{:?}", subjects(&app));
    // A withdrawn entry cannot be claimed for sending at all.
    let other = held(&app, &c).await;
    let claimed = queue
        .claim_next_delivery(
            time::OffsetDateTime::now_utc(),
            std::time::Duration::from_secs(300),
        )
        .await
        .unwrap()
        .expect("the second held notice is queued");
    let (status, _) = app
        .post(
            &format!("/api/v1/messages/{other}/review"),
            &staff.token,
            json!({ "decision": "release" }),
        )
        .await;
    assert_eq!(status, 200);
    assert!(!queue.start_send(claimed.id, now).await.unwrap());
}

crate::on_both_backends!(
    a_claimed_held_notice_is_withdrawn_by_the_decision,
    a_held_notice_already_sending_goes_out_before_the_decision,
);
