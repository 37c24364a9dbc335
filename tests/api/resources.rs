//! Bounded resources: HTML that would make the parser quadratic, CPU work
//! kept off the connections' workers, API reply bodies capped before they
//! are decoded or filtered, and HTTP connections with a header deadline
//! and caps.

use std::time::{Duration, Instant};

use crate::helpers::{Backend, spawn_app};

crate::on_both_backends!(a_megabyte_of_unmatched_html_end_tags_is_accepted_in_seconds);

/// A buyer mail whose only part is `html`.
fn html_mail(c: &crate::helpers::Convo, html: &str) -> String {
    format!(
        "From: Jane Buyer <{from}>\r\nTo: <{to}>\r\nSubject: Markup\r\n\
         MIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n{html}\r\n",
        from = c.buyer_email,
        to = c.seller_alias,
    )
}

async fn a_megabyte_of_unmatched_html_end_tags_is_accepted_in_seconds(backend: Backend) {
    let app = spawn_app(backend).await;
    let c = app.conversation().await;
    // 100,000 tags that a count of start and end tags calls balanced, and
    // that the parser nests 100,000 deep.
    let html = "<div></x>".repeat(100_000) + "<p>Call me on +49 170 1234567</p>";
    let started = Instant::now();
    let reply = app
        .send_mail(&c.buyer_email, &c.seller_alias, &html_mail(&c, &html))
        .await;
    assert!(reply.starts_with("250"), "{reply}");
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "accepted after {:?}",
        started.elapsed()
    );
    let id = reply.trim_start_matches("250 2.0.0 queued as ");
    let message = app.store.get_message(id.parse().unwrap()).await.unwrap();
    assert!(message.body.contains("[phone removed]"), "{}", message.body);
    assert!(!message.body.contains("1234567"));
}
