//! What staff insiders can do leaves a trace: a search through message
//! text and real addresses is recorded with what it found.

use reqwest::Client;

use crate::{
    helpers::{Backend, Convo, Party, TestApp, spawn_app},
    web::{invitation, page, sign_up},
};

crate::on_both_backends!(
    a_staff_search_is_recorded_with_what_it_found_but_not_the_query,
    the_access_log_lists_searches_beside_reads,
);

/// A buyer's question about a blue cable, and a staff member signed in.
struct Scene {
    app: TestApp,
    c: Convo,
    staff: Party,
    b: Client,
}

async fn scene(backend: Backend) -> Scene {
    let app = spawn_app(backend).await;
    let c = app.conversation().await;
    let reply = app
        .buyer_writes(&c, "Question", "Does it come with the blue cable?")
        .await;
    assert!(reply.starts_with("250"), "{reply}");
    let staff = app.create_staff("Tess", "tess@marketplace.example").await;
    let (b, _) = sign_up(&invitation(&app, "staff", &staff.id).await).await;
    Scene { app, c, staff, b }
}

async fn a_staff_search_is_recorded_with_what_it_found_but_not_the_query(backend: Backend) {
    let Scene { app, c, staff, b } = scene(backend).await;

    // Probing message text and a real address, reading no message.
    for q in ["blue%20cable", "jane.buyer%40mail.example"] {
        let (status, html) = page(&b, &app, &format!("/console/conversations?q={q}")).await;
        assert_eq!(status, 200);
        assert!(html.contains(&c.id), "{q} finds the conversation");
    }
    let searches: Vec<_> = app
        .store
        .audit()
        .audit_events(Some(&staff.id), 100)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.action == "staff.searched")
        .collect();
    assert_eq!(searches.len(), 2, "each search is recorded: {searches:?}");
    for search in &searches {
        assert_eq!(search.actor_id.as_deref(), Some(staff.id.as_str()));
        assert_eq!(search.details["conversations"], serde_json::json!([c.id]));
        let details = search.details.to_string();
        assert!(
            !details.contains("mail.example") && !details.contains("cable"),
            "the query is not kept: {details}"
        );
    }
}

async fn the_access_log_lists_searches_beside_reads(backend: Backend) {
    let Scene { app, c, staff, b } = scene(backend).await;
    let (status, _) = page(&b, &app, "/console/conversations?q=blue%20cable").await;
    assert_eq!(status, 200);
    let (status, _) = page(&b, &app, &format!("/console/conversations/{}", c.id)).await;
    assert_eq!(status, 200);
    // An empty query lists everything and is no search.
    let (status, _) = page(&b, &app, "/console/conversations").await;
    assert_eq!(status, 200);

    let (status, log) = page(&b, &app, "/console/access-log").await;
    assert_eq!(status, 200);
    let rows: Vec<&str> = log.split("<tr><td><time").skip(1).collect();
    assert_eq!(rows.len(), 2, "one read and one search: {log}");
    let (read, search) = (rows[0], rows[1]);
    assert!(read.contains("/console/messages/"), "newest first: {read}");
    assert!(search.contains("Search"), "{search}");
    assert!(search.contains(&staff.id), "{search}");
    assert!(
        search.contains(&format!("href=\"/console/conversations/{}\"", c.id)),
        "links what it listed: {search}"
    );
    assert!(search.contains("web.search"), "{search}");
    assert!(!log.contains("cable"), "the query is not shown: {log}");
}
