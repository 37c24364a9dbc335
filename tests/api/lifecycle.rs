//! Data lifecycle over real HTTP and SMTP: purged content as the API and
//! the pages show it, erasing a party, and exporting one.

use serde_json::{Value, json};
use time::{Duration, OffsetDateTime};

use crate::helpers::{
    Backend, Convo, OPERATOR_TOKEN, Options, Party, TestApp, queued_id, smtp_transcript, spawn_app,
    spawn_app_with,
};
use crate::web::{invitation, page, sign_up};

crate::on_both_backends!(
    the_service_sweeps_on_its_own_and_stops_with_shutdown,
    purged_content_shows_when_it_went_and_its_raw_mime_is_gone,
    an_erased_buyer_is_found_nowhere_and_their_aliases_refuse_mail,
    an_erased_seller_loses_access_and_their_aliases_refuse_mail,
    an_export_holds_the_partys_data_and_none_of_another,
);

const JANE: &str = "jane.buyer@mail.example";
const JANE_NAME: &str = "Jane Quimby";
const JANE_PHONE: &str = "+491701234567";
const SECRET: &str = "the plans for the garden shed";

/// A seller, a staff member, and Jane's conversation with the seller.
async fn shop(app: &TestApp) -> (Party, Party, Convo) {
    let seller = app
        .create_seller("Gadget Shop", "owner@gadgetshop.example")
        .await;
    let staff = app
        .create_staff("Tess Safety", "tess@marketplace.example")
        .await;
    let c = jane(app, &seller).await;
    (seller, staff, c)
}

async fn seller_replies(app: &TestApp, c: &Convo, body: &str) {
    let (status, reply) = app
        .post(
            &format!("/api/v1/conversations/{}/messages", c.id),
            &c.seller.token,
            json!({ "body": body }),
        )
        .await;
    assert_eq!(status, 202, "{reply}");
}

async fn jane(app: &TestApp, seller: &Party) -> Convo {
    let (status, body) = app
        .post(
            "/api/v1/conversations",
            OPERATOR_TOKEN,
            json!({ "seller_id": seller.id, "buyer": { "email": JANE, "name": JANE_NAME, "phone": JANE_PHONE } }),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    Convo::from_api(&body, JANE, seller)
}

/// The answer to `RCPT TO:<to>` in a session from `from`.
async fn rcpt_reply(app: &TestApp, from: &str, to: &str) -> String {
    let replies = smtp_transcript(
        app.smtp,
        &[
            "EHLO client.example".into(),
            format!("MAIL FROM:<{from}>"),
            format!("RCPT TO:<{to}>"),
            "QUIT".into(),
        ],
    )
    .await;
    replies[3].clone()
}

async fn raw_status(app: &TestApp, id: &str, token: &str) -> (u16, Value) {
    let r = app
        .client
        .get(app.url(&format!("/api/v1/messages/{id}/raw")))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

async fn purged_content_shows_when_it_went_and_its_raw_mime_is_gone(backend: Backend) {
    let app = spawn_app(backend).await;
    let (seller, staff, c) = shop(&app).await;
    let id = queued_id(&app.buyer_writes(&c, "Question", SECRET).await);
    app.deliver_all().await;
    let (_, before) = app
        .get(&format!("/api/v1/messages/{id}"), &staff.token)
        .await;
    assert!(before["purged_at"].is_null(), "{before}");
    assert!(before["sender_auth"].is_object(), "{before}");
    assert_eq!(raw_status(&app, &id, &staff.token).await.0, 200);

    // A year and a day later, as the sweep sees it.
    let settings = &app.state.settings.retention;
    let later = OffsetDateTime::now_utc() + Duration::days(366);
    let purged = marketrelay::relay::lifecycle::purge_expired(app.store.as_ref(), settings, later)
        .await
        .unwrap();
    assert_eq!(purged, 1);

    for token in [&staff.token, &seller.token] {
        let (status, m) = app.get(&format!("/api/v1/messages/{id}"), token).await;
        assert_eq!(status, 200, "{m}");
        assert!(m["purged_at"].is_string(), "{m}");
        assert_eq!(m["body"], "", "{m}");
        assert_eq!(m["status"], "sent", "{m}");
        assert!(!m.to_string().contains("garden shed"), "{m}");
        // The sender's domains went with the mail they were read from.
        assert!(m["sender_auth"].is_null(), "{m}");
    }
    let (status, error) = raw_status(&app, &id, &staff.token).await;
    assert_eq!(status, 410, "{error}");
    assert_eq!(error["error"]["code"], "purged", "{error}");

    let (inbox, _) = sign_up(&invitation(&app, "sellers", &seller.id).await).await;
    let (status, thread) = page(&inbox, &app, &format!("/inbox/{}", c.id)).await;
    assert_eq!(status, 200);
    assert!(
        thread.contains("content removed after 365 days"),
        "{thread}"
    );
    assert!(!thread.contains("garden shed"));
    let (console, _) = sign_up(&invitation(&app, "staff", &staff.id).await).await;
    let (status, message) = page(&console, &app, &format!("/console/messages/{id}")).await;
    assert_eq!(status, 200);
    // As received and as delivered.
    assert_eq!(
        message.matches("content removed after 365 days").count(),
        2,
        "{message}"
    );
    assert!(!message.contains("garden shed"));
}

/// Dates every message back to 2020, as if the service had run for years.
async fn age_every_message(app: &TestApp, backend: Backend) {
    // One literal both engines read as the same instant.
    let sql = "update messages set created_at = '2020-01-01T00:00:00.000000Z'";
    app.execute_sql(backend, sql).await;
}

async fn the_service_sweeps_on_its_own_and_stops_with_shutdown(backend: Backend) {
    let mut options = Options::new(backend).config("[retention]\nsweep_interval_secs = 1\n");
    options.worker = true;
    let mut app = spawn_app_with(options).await;
    let (_, staff, c) = shop(&app).await;
    let id = queued_id(&app.buyer_writes(&c, "Question", SECRET).await);
    let message = format!("/api/v1/messages/{id}");
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let (_, m) = app.get(&message, &staff.token).await;
        if m["status"] == "sent" {
            assert!(m["purged_at"].is_null(), "purged before its time: {m}");
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "never sent: {m}");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    age_every_message(&app, backend).await;
    loop {
        let (_, m) = app.get(&message, &staff.token).await;
        if m["purged_at"].is_string() {
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "never purged: {m}");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    // Within `stop`'s own time limit, the sweep included.
    app.stop().await;
}

/// Every place the API, the console and the export show a conversation,
/// and whether the console's search for any of `queries` finds it.
async fn everything_shown(
    app: &TestApp,
    staff: &Party,
    console: &reqwest::Client,
    c: &Convo,
    queries: &[&str],
) -> (String, bool) {
    let mut shown = String::new();
    for path in [
        "/api/v1/conversations".to_owned(),
        format!("/api/v1/conversations/{}", c.id),
        format!("/api/v1/conversations/{}/messages", c.id),
        format!("/api/v1/conversations/{}/consents", c.id),
        "/api/v1/audit".to_owned(),
        "/api/v1/reports".to_owned(),
    ] {
        let (status, body) = app.get(&path, &staff.token).await;
        assert_eq!(status, 200, "{path}: {body}");
        shown.push_str(&body.to_string());
    }
    let (status, export) = app
        .post(
            "/api/v1/buyers/export",
            OPERATOR_TOKEN,
            json!({ "conversation_id": c.id }),
        )
        .await;
    assert_eq!(status, 200, "{export}");
    shown.push_str(&export.to_string());
    let (_, conversation_page) =
        page(console, app, &format!("/console/conversations/{}", c.id)).await;
    shown.push_str(&conversation_page);
    let mut found = false;
    for query in queries {
        let (status, results) =
            page(console, app, &format!("/console/conversations?q={query}")).await;
        assert_eq!(status, 200);
        found |= results.contains(&c.id);
    }
    (shown, found)
}

async fn an_erased_buyer_is_found_nowhere_and_their_aliases_refuse_mail(backend: Backend) {
    let app = spawn_app(backend).await;
    let (seller, staff, c) = shop(&app).await;
    let other = app
        .conversation_with(&seller, "max@mail.example", "Max Other")
        .await;
    assert!(
        app.buyer_writes(&c, "Question", SECRET)
            .await
            .starts_with("250")
    );
    seller_replies(&app, &c, "Happy to help with the shed, Jane.").await;
    app.deliver_all().await;
    let (console, _) = sign_up(&invitation(&app, "staff", &staff.id).await).await;
    let queries = ["jane.buyer", "Quimby", "garden"];
    let (before, found) = everything_shown(&app, &staff, &console, &c, &queries).await;
    assert!(before.contains(JANE_NAME) && before.contains("garden shed") && found);

    let (status, erased) = app
        .post(
            "/api/v1/buyers/erase",
            OPERATOR_TOKEN,
            json!({ "email": JANE }),
        )
        .await;
    assert_eq!(status, 200, "{erased}");
    assert_eq!(erased["kind"], "buyer");
    assert_eq!(erased["conversations"], 1);
    assert_eq!(erased["messages"], 2);

    let (after, found) = everything_shown(&app, &staff, &console, &c, &queries).await;
    assert!(!found, "the console's search still finds the erased buyer");
    for needle in [
        JANE,
        JANE_NAME,
        "Quimby",
        JANE_PHONE,
        "1701234567",
        "garden shed",
        "Happy to help",
    ] {
        assert!(!after.contains(needle), "{needle:?} is still shown");
    }
    for (from, to) in [
        (JANE, &c.seller_alias),
        ("owner@gadgetshop.example", &c.buyer_alias),
    ] {
        let reply = rcpt_reply(&app, from, to).await;
        assert!(reply.starts_with("550 5.1.1"), "{reply}");
    }
    // The other buyer's conversation is untouched.
    assert!(
        app.buyer_writes(&other, "Hi", "Still there?")
            .await
            .starts_with("250")
    );
    // Erasing by conversation names the same (now erased) buyer; nobody has Jane's address any more.
    let (status, _) = app
        .post(
            "/api/v1/buyers/export",
            OPERATOR_TOKEN,
            json!({ "email": JANE }),
        )
        .await;
    assert_eq!(status, 404);

    let buyer = erased["id"].as_str().unwrap();
    let (_, audit) = app
        .get(&format!("/api/v1/audit?subject_id={buyer}"), &staff.token)
        .await;
    let events = audit["events"].as_array().unwrap();
    let event = events
        .iter()
        .find(|e| e["action"] == "buyer.erased")
        .unwrap_or_else(|| panic!("no buyer.erased in {audit}"));
    assert_eq!(event["actor_kind"], "operator");
    assert!(event["at"].is_string());
}

async fn an_erased_seller_loses_access_and_their_aliases_refuse_mail(backend: Backend) {
    let app = spawn_app(backend).await;
    let (seller, staff, c) = shop(&app).await;
    seller_replies(&app, &c, "Your order ships from our Leipzig workshop.").await;
    app.deliver_all().await;
    let help = format!("/api/v1/sellers/{}/allowed-domains", seller.id);
    let (status, kept) = crate::help_domains::put_domains(
        &app,
        &seller.id,
        OPERATOR_TOKEN,
        json!(["manuals.gadget-shop.de"]),
    )
    .await;
    assert_eq!(status, 200, "{kept}");

    let (status, erased) = app
        .post(
            &format!("/api/v1/sellers/{}/erase", seller.id),
            OPERATOR_TOKEN,
            json!({}),
        )
        .await;
    assert_eq!(status, 200, "{erased}");
    assert_eq!(
        (erased["kind"].as_str(), erased["messages"].as_i64()),
        (Some("seller"), Some(1))
    );

    let (status, _) = app.get("/api/v1/conversations", &seller.token).await;
    assert_eq!(status, 401, "the erased seller's token is gone");
    let (status, help) = app.get(&help, OPERATOR_TOKEN).await;
    assert_eq!(status, 200, "{help}");
    assert_eq!(
        help["domains"],
        json!([]),
        "the erased seller's help domains are gone"
    );
    let (status, export) = app
        .get(
            &format!("/api/v1/sellers/{}/export", seller.id),
            OPERATOR_TOKEN,
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(export["party"]["name"], "erased");
    let (console, _) = sign_up(&invitation(&app, "staff", &staff.id).await).await;
    let (shown, found) = everything_shown(
        &app,
        &staff,
        &console,
        &c,
        &["gadgetshop", "Gadget", "Leipzig"],
    )
    .await;
    assert!(!found, "the console's search still finds the erased seller");
    let shown = format!("{export}{shown}");
    for needle in ["owner@gadgetshop.example", "Gadget Shop", "Leipzig"] {
        assert!(!shown.contains(needle), "{needle:?} is still shown");
    }
    let reply = rcpt_reply(&app, "owner@gadgetshop.example", &c.buyer_alias).await;
    assert!(reply.starts_with("550 5.1.1"), "{reply}");
    let (_, audit) = app
        .get(
            &format!("/api/v1/audit?subject_id={}", seller.id),
            &staff.token,
        )
        .await;
    assert!(
        audit["events"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["action"] == "seller.erased" && e["actor_kind"] == "operator"),
        "{audit}"
    );
}

async fn an_export_holds_the_partys_data_and_none_of_another(backend: Backend) {
    let app = spawn_app(backend).await;
    let (seller, _, c) = shop(&app).await;
    let other = app
        .conversation_with(&seller, "max@mail.example", "Max Other")
        .await;
    assert!(
        app.buyer_writes(&c, "Question", SECRET)
            .await
            .starts_with("250")
    );
    assert!(
        app.buyer_writes(&other, "Mine", "Max asks about the red bicycle")
            .await
            .starts_with("250")
    );
    seller_replies(&app, &c, "The shed kit ships on Monday.").await;
    app.deliver_all().await;

    let (status, export) = app
        .post(
            "/api/v1/buyers/export",
            OPERATOR_TOKEN,
            json!({ "email": JANE }),
        )
        .await;
    assert_eq!(status, 200, "{export}");
    assert_eq!(export["party"]["email"], JANE);
    assert_eq!(export["party"]["phone"], JANE_PHONE);
    assert_eq!(export["conversations"].as_array().unwrap().len(), 1);
    assert_eq!(export["conversations"][0]["id"], c.id.as_str());
    let messages = export["messages"].as_array().unwrap();
    assert_eq!(messages.len(), 2, "{export}");
    let own = messages
        .iter()
        .find(|m| m["sent_by_party"] == true)
        .unwrap();
    assert!(own["as_received"].as_str().unwrap().contains("garden shed"));
    let received = messages
        .iter()
        .find(|m| m["sent_by_party"] == false)
        .unwrap();
    assert!(received["as_received"].is_null(), "{received}");
    assert!(
        received["as_delivered"]
            .as_str()
            .unwrap()
            .contains("ships on Monday")
    );
    let text = export.to_string();
    for needle in [
        "max@mail.example",
        "Max Other",
        "red bicycle",
        "owner@gadgetshop.example",
    ] {
        assert!(!text.contains(needle), "{needle:?} is in Jane's export");
    }
    assert!(
        export["audit"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["action"] == "message.received"),
        "{export}"
    );

    // The seller's: both conversations, buyers by alias and name only.
    let (status, export) = app
        .get(
            &format!("/api/v1/sellers/{}/export", seller.id),
            OPERATOR_TOKEN,
        )
        .await;
    assert_eq!(status, 200, "{export}");
    assert_eq!(export["party"]["email"], "owner@gadgetshop.example");
    assert_eq!(export["conversations"].as_array().unwrap().len(), 2);
    let text = export.to_string();
    for needle in [JANE, "max@mail.example", JANE_PHONE] {
        assert!(
            !text.contains(needle),
            "{needle:?} is in the seller's export"
        );
    }

    // Naming the buyer: exactly one way.
    for body in [json!({}), json!({ "email": JANE, "conversation_id": c.id })] {
        let (status, error) = app
            .post("/api/v1/buyers/export", OPERATOR_TOKEN, body)
            .await;
        assert_eq!(status, 400, "{error}");
    }
    let (status, _) = app
        .post(
            "/api/v1/buyers/export",
            OPERATOR_TOKEN,
            json!({ "email": "nobody@mail.example" }),
        )
        .await;
    assert_eq!(status, 404);
}
