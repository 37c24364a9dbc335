//! Every CPU-heavy step runs on the CPU pool, never on the async workers
//! that serve connections: mail over real SMTP (DKIM, MIME, HTML, the
//! filter) and people over real HTTP (argon2), with `/metrics` counting
//! each step by where it ran. A caller that skips the pool counts as
//! `elsewhere` and fails this.

use crate::{
    helpers::{Backend, Options, spawn_app_with},
    metrics::{delta, scrape},
    sender_auth::{TestKey, seller_writes, strict_shop_zone},
    web::{PASSWORD, browser, invitation, sign_in, sign_up},
};

const KINDS: [&str; 5] = ["mime_parse", "html", "filter", "password_hash", "dkim"];

#[tokio::test]
async fn every_cpu_heavy_step_runs_on_the_pool() {
    let key = TestKey::generate();
    let app = spawn_app_with(Options::new(Backend::Sqlite).zone(strict_shop_zone(&key))).await;
    let c = app.conversation().await;
    let before = scrape(&app).await;

    let html = format!(
        "From: Gadget Shop <owner@gadgetshop.example>\r\nTo: <{}>\r\nSubject: Shipping\r\n\
         Message-ID: <html-1@gadgetshop.example>\r\nDate: Wed, 25 Nov 2026 10:00:00 +0000\r\n\
         MIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n\
         <p>It ships <b>tomorrow</b>.</p>\r\n",
        c.buyer_alias
    );
    let reply = seller_writes(&app, &c, &key.sign(&html, "gadgetshop.example")).await;
    assert!(reply.starts_with("250 2.0.0 queued as"), "{reply}");

    let staff = app.create_staff("Tess", "tess@marketplace.example").await;
    let (_, home) = sign_up(&invitation(&app, "staff", &staff.id).await).await;
    assert_eq!(home, "/console");
    let signed_in = sign_in(&app, &browser(), "tess@marketplace.example", PASSWORD).await;
    assert_eq!(signed_in.status().as_u16(), 303);

    let after = scrape(&app).await;
    let counted = |kind: &str, ran_on: &str| {
        delta(
            &before,
            &after,
            "marketrelay_cpu_work_total",
            &[("kind", kind), ("ran_on", ran_on)],
        )
    };
    for kind in KINDS {
        assert!(counted(kind, "pool") > 0.0, "{kind} never ran on the pool");
        assert_eq!(counted(kind, "elsewhere"), 0.0, "{kind} ran off the pool");
    }
}
