//! The staff dashboard: numbers seeded over real SMTP and the API show up in
//! its data tables; only staff see it; an empty database still renders.

use serde_json::json;

use crate::helpers::{Backend, Convo, TestApp, buyer_mail, spawn_app};
use crate::web::{browser, invitation, location, page, sign_up};

crate::on_both_backends!(
    dashboard_counts_redactions_holds_releases_and_ranks_sellers,
    only_signed_in_staff_see_the_dashboard,
    an_empty_database_renders_every_no_data_state,
);

/// A staff member signed in through the web pages.
async fn staff_browser(app: &TestApp) -> reqwest::Client {
    let staff = app.create_staff("Tess", "tess@marketplace.example").await;
    let (b, home) = sign_up(&invitation(app, "staff", &staff.id).await).await;
    assert_eq!(home, "/console");
    b
}

/// A buyer mail over real SMTP, accepted.
async fn buyer_writes(app: &TestApp, c: &Convo, body: &str) {
    let mail = buyer_mail(&c.buyer_email, &c.seller_alias, "About the order", body);
    let reply = app.send_mail(&c.buyer_email, &c.seller_alias, &mail).await;
    assert!(reply.starts_with("250"), "{reply}");
}

/// A row of one of the dashboard's data tables, as the template writes it.
fn row(label: &str, count: u64) -> String {
    format!("<tr><th scope=\"row\">{label}</th><td>{count}</td></tr>")
}

async fn dashboard_counts_redactions_holds_releases_and_ranks_sellers(backend: Backend) {
    let app = spawn_app(backend).await;
    let seeded_on = time::OffsetDateTime::now_utc().date();
    let c = app.conversation().await;
    let staff = app.create_staff("Rex", "rex@marketplace.example").await;

    for body in [
        "Is it still available? Call me at +49 170 1234567.",
        "Cancel the order and I pay you via PayPal friends and family, 10% less.",
    ] {
        buyer_writes(&app, &c, body).await;
    }

    // The buyer's payment offer waits for review; staff release it over the API.
    let (status, queue) = app.get("/api/v1/review", &staff.token).await;
    assert_eq!(status, 200, "{queue}");
    let held = queue["messages"].as_array().unwrap();
    assert_eq!(held.len(), 1, "{queue}");
    let held_id = held[0]["id"].as_str().unwrap().to_owned();
    let (status, released) = app
        .post(
            &format!("/api/v1/messages/{held_id}/review"),
            &staff.token,
            json!({ "decision": "release" }),
        )
        .await;
    assert_eq!(
        (status, released["status"].as_str()),
        (200, Some("queued")),
        "{released}"
    );

    // The seller's own payment offer stays in the queue.
    let (status, m) = app
        .post(
            &format!("/api/v1/conversations/{}/messages", c.id),
            &c.seller.token,
            json!({ "body": "Better: pay me via PayPal friends and family, I'll give you 10% off." }),
        )
        .await;
    assert_eq!((status, m["status"].as_str()), (202, Some("held")), "{m}");

    // Another seller with one phone number and one clean message ranks second.
    let quiet = app
        .create_seller("Quiet Store", "owner@quiet.example")
        .await;
    let q = app
        .conversation_with(&quiet, "sam.buyer@mail.example", "Sam Buyer")
        .await;
    for body in ["Text me on +49 170 7654321 please.", "Thanks, see you."] {
        buyer_writes(&app, &q, body).await;
    }

    let b = staff_browser(&app).await;
    let (status, html) = page(&b, &app, "/console/dashboard").await;
    assert_eq!(status, 200, "{html}");

    // Headline numbers; "today" only if UTC midnight did not pass since seeding.
    let today = time::OffsetDateTime::now_utc().date();
    let same_day = today == seeded_on;
    assert!(!same_day || html.contains("id=\"dash-today\">5<"), "{html}");
    assert!(html.contains("id=\"dash-week\">5<"), "{html}");
    assert!(html.contains("id=\"dash-redacted-share\">40%<"), "{html}");
    assert!(
        html.contains("id=\"dash-queue\"><a href=\"/console\">1<"),
        "{html}"
    );

    // Findings by kind: one message each, whatever part they were in.
    assert!(html.contains(&row("phone", 2)), "{html}");
    assert!(html.contains(&row("offsite_payment", 2)), "{html}");
    assert!(html.contains(&row("email", 0)), "{html}");

    // The review flow: both payment offers were held, one released, none rejected.
    assert!(html.contains(&row("held", 2)), "{html}");
    assert!(html.contains(&row("released", 1)), "{html}");
    assert!(html.contains(&row("rejected", 0)), "{html}");
    assert!(html.contains(&row("in the queue now", 1)), "{html}");

    // Today's row of the daily table, by outcome: 1 delivered, 2 redacted, 2 held, 0 blocked.
    let today = format!(
        "{:04}-{:02}-{:02}",
        today.year(),
        u8::from(today.month()),
        today.day()
    );
    assert!(
        !same_day || html.contains(&format!(
            "<tr><th scope=\"row\">{today}</th><td>1</td><td>2</td><td>2</td><td>0</td><td>5</td></tr>"
        )),
        "{html}"
    );

    // Sellers ranked by messages with findings, linked to their conversations.
    let gadget = format!(
        "<tr><th scope=\"row\"><a href=\"/console/conversations?q={}\">Gadget Shop</a></th><td>3</td><td>2</td></tr>",
        c.seller.id
    );
    let quiet_row = format!(
        "<tr><th scope=\"row\"><a href=\"/console/conversations?q={}\">Quiet Store</a></th><td>1</td><td>0</td></tr>",
        quiet.id
    );
    let (first, second) = (html.find(&gadget), html.find(&quiet_row));
    assert!(
        matches!((first, second), (Some(a), Some(b)) if a < b),
        "Gadget Shop first, then Quiet Store: {html}"
    );
    let (status, search) = page(
        &b,
        &app,
        &format!("/console/conversations?q={}", c.seller.id),
    )
    .await;
    assert_eq!(status, 200);
    assert!(search.contains(&format!("/console/conversations/{}", c.id)));
    assert!(!search.contains(&format!("/console/conversations/{}", q.id)));

    // Every chart is an accessible image with a title, scaled by its viewBox.
    assert_eq!(html.matches("role=\"img\"").count(), 4, "{html}");
    assert_eq!(
        html.matches("<svg class=\"dash-chart\" viewBox=\"0 0 ")
            .count(),
        4
    );
    for id in [
        "dash-daily-svg-title",
        "dash-kinds-svg-title",
        "dash-review-svg-title",
        "dash-sellers-svg-title",
    ] {
        assert!(
            html.contains(&format!("<title id=\"{id}\">")),
            "{id}: {html}"
        );
    }
    assert!(!html.contains("<script"), "works without JavaScript");
    // Staff see seller names, never anyone's real address.
    for address in [
        c.buyer_email.as_str(),
        q.buyer_email.as_str(),
        "owner@gadgetshop.example",
        "owner@quiet.example",
    ] {
        assert!(!html.contains(address), "{address} leaked");
    }

    // The period selector: 7 days marked current; nonsense falls back to 30.
    let (status, week) = page(&b, &app, "/console/dashboard?days=7").await;
    assert_eq!(status, 200);
    assert!(
        week.contains("href=\"/console/dashboard?days=7\" aria-current=\"page\""),
        "{week}"
    );
    assert_eq!(
        week.matches("<tr><th scope=\"row\">20").count(),
        7 * 2,
        "7 days in two day tables"
    );
    let (status, fallback) = page(&b, &app, "/console/dashboard?days=abc").await;
    assert_eq!(status, 200);
    assert!(fallback.contains("href=\"/console/dashboard?days=30\" aria-current=\"page\""));
    assert!(fallback.contains(&row("phone", 2)));
}

async fn only_signed_in_staff_see_the_dashboard(backend: Backend) {
    let app = spawn_app(backend).await;
    let c = app.conversation().await;

    let anonymous = browser();
    let r = anonymous
        .get(app.url("/console/dashboard"))
        .send()
        .await
        .unwrap();
    assert_eq!(location(&r), "/login");

    // A seller is refused as on every console page, without a hint the page exists.
    let (seller, home) = sign_up(&invitation(&app, "sellers", &c.seller.id).await).await;
    assert_eq!(home, "/inbox");
    let (status, body) = page(&seller, &app, "/console/dashboard").await;
    let (queue_status, _) = page(&seller, &app, "/console").await;
    assert_eq!((status, queue_status), (404, 404), "{body}");
    assert!(!body.contains("dash-"), "{body}");
    let (_, inbox) = page(&seller, &app, "/inbox").await;
    assert!(
        !inbox.contains("/console/dashboard"),
        "sellers get no dashboard link"
    );

    let b = staff_browser(&app).await;
    let (status, console) = page(&b, &app, "/console").await;
    assert_eq!(status, 200);
    assert!(
        console.contains("<a href=\"/console/dashboard\">Dashboard</a>"),
        "staff navigation links the dashboard: {console}"
    );
}

async fn an_empty_database_renders_every_no_data_state(backend: Backend) {
    let app = spawn_app(backend).await;
    let b = staff_browser(&app).await;
    let (status, html) = page(&b, &app, "/console/dashboard?days=90").await;
    assert_eq!(status, 200, "{html}");
    for empty in [
        "No messages in this period.",
        "No findings in this period.",
        "Nothing was held or reviewed in this period.",
        "No seller had findings or held messages in this period.",
    ] {
        assert!(html.contains(empty), "{empty}: {html}");
    }
    assert!(html.contains("id=\"dash-today\">0<"), "{html}");
    assert!(html.contains("id=\"dash-redacted-share\">–<"), "{html}");
    assert!(html.contains("id=\"dash-oldest\">none<"), "{html}");
    assert!(html.contains(&row("phone", 0)));
    assert!(html.contains(&row("in the queue now", 0)));
    // Every day of the period is still listed, with zeros.
    assert_eq!(
        html.matches("<td>0</td><td>0</td><td>0</td><td>0</td><td>0</td></tr>")
            .count(),
        90
    );
}
