//! Buyers' report and opt-out links end to end: the footer of a seller's
//! mail carries signed links; the report reaches staff through the API and
//! the console; an opted-out buyer gets no seller mail that is not about an
//! order, and the seller is told why.

use serde_json::{Value, json};

use crate::helpers::{Backend, Convo, OPERATOR_TOKEN, TestApp, buyer_mail, read_mail, spawn_app};
use crate::web::{csrf, invitation, location, page, post_form, sign_up};

crate::on_both_backends!(
    a_reported_message_reaches_staff_who_resolve_it,
    an_opted_out_buyer_gets_only_mail_about_an_order_until_undone,
    only_orders_the_operator_registered_reach_an_opted_out_buyer,
    in_an_order_thread_an_opted_out_buyer_gets_only_messages_about_the_order,
);

const SELLER_EMAIL: &str = "owner@gadgetshop.example";
const BUYER_EMAIL: &str = "jane.buyer@mail.example";

/// A conversation the marketplace opened without an order.
async fn conversation_without_order(app: &TestApp) -> Convo {
    let seller = app.create_seller("Gadget Shop", SELLER_EMAIL).await;
    let (status, body) = app
        .post(
            "/api/v1/conversations",
            OPERATOR_TOKEN,
            json!({ "seller_id": seller.id, "buyer": { "email": BUYER_EMAIL, "name": "Jane Buyer" } }),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    Convo::from_api(&body, BUYER_EMAIL, &seller)
}

pub(crate) async fn seller_says(app: &TestApp, c: &Convo, body: Value) -> Value {
    let (status, reply) = app
        .post(
            &format!("/api/v1/conversations/{}/messages", c.id),
            &c.seller.token,
            body,
        )
        .await;
    assert_eq!(status, 202, "{reply}");
    reply
}

/// The seller writes to the buyer's alias from their own mailbox, with a
/// text and an HTML part; the relay accepts it whatever becomes of it.
async fn seller_mails(app: &TestApp, c: &Convo, subject: &str) {
    seller_mails_text(app, c, subject, "Your parcel left today.").await;
}

async fn seller_mails_text(app: &TestApp, c: &Convo, subject: &str, text: &str) {
    let to = &c.buyer_alias;
    let raw = format!(
        "From: Gadget Shop <{SELLER_EMAIL}>\r\nTo: <{to}>\r\nSubject: {subject}\r\n\
         Message-ID: <s-{n}@gadgetshop.example>\r\nMIME-Version: 1.0\r\n\
         Content-Type: multipart/alternative; boundary=\"b1\"\r\n\r\n\
         --b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{text}\r\n\
         --b1\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>{text}</p>\r\n\
         --b1--\r\n",
        n = uuid::Uuid::new_v4().simple()
    );
    let reply = app.send_mail(SELLER_EMAIL, to, &raw).await;
    assert!(reply.starts_with("250"), "{reply}");
}

/// Delivers the queue; returns the new mails as (recipient, subject, text, html).
async fn deliver(app: &TestApp, seen: &mut usize) -> Vec<(String, String, String, String)> {
    app.deliver_all().await;
    let all = app.delivered();
    let new = all[*seen..].iter().map(|raw| read_mail(raw)).collect();
    *seen = all.len();
    new
}

/// The link on the footer line that starts with `prefix`.
fn footer_link(text: &str, prefix: &str) -> String {
    text.lines()
        .find(|l| l.starts_with(prefix))
        .and_then(|l| l.split_whitespace().last())
        .unwrap_or_else(|| panic!("no footer line {prefix:?} in {text}"))
        .to_owned()
}

/// The operator registers another order of the conversation's pair.
async fn register_order(app: &TestApp, c: &Convo, order_id: &str, expected: u16) -> Value {
    let (status, body) = app
        .post(
            &format!("/api/v1/conversations/{}/orders", c.id),
            OPERATOR_TOKEN,
            json!({ "order_id": order_id }),
        )
        .await;
    assert_eq!(status, expected, "{body}");
    body
}

/// Opts the buyer out through the footer link of a first seller message.
async fn opt_out(app: &TestApp, c: &Convo, seen: &mut usize) {
    seller_says(app, c, json!({ "body": "We have a sale on." })).await;
    let mails = deliver(app, seen).await;
    let url = footer_link(&mails[0].2, "Don't want messages from Gadget Shop");
    let (status, body) = post(app, &url, &[("choice", "stop")]).await;
    assert_eq!(status, 200, "{body}");
}

async fn get(app: &TestApp, url: &str) -> (u16, String) {
    let r = app.client.get(url).send().await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

pub(crate) async fn post(app: &TestApp, url: &str, form: &[(&str, &str)]) -> (u16, String) {
    let r = app.client.post(url).form(form).send().await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

async fn a_reported_message_reaches_staff_who_resolve_it(backend: Backend) {
    let app = spawn_app(backend).await;
    let c = app.conversation().await;
    let mut seen = 0;
    let reply = app
        .send_mail(
            &c.buyer_email,
            &c.seller_alias,
            &buyer_mail(&c.buyer_email, &c.seller_alias, "Question", "Is it new?"),
        )
        .await;
    assert!(reply.starts_with("250"), "{reply}");
    let first = seller_says(&app, &c, json!({ "body": "Thanks, it ships tomorrow." })).await;
    seller_mails(&app, &c, "Shipped").await;
    let mails = deliver(&app, &mut seen).await;
    assert_eq!(mails.len(), 3, "{mails:?}");

    // Mail to the seller carries no footer; both parts of the buyer's do.
    let to_seller = mails.iter().find(|m| m.0 == SELLER_EMAIL).unwrap();
    assert!(!to_seller.2.contains("/report/") && !to_seller.2.contains("/opt-out/"));
    let to_buyer: Vec<_> = mails.iter().filter(|m| m.0 == c.buyer_email).collect();
    assert_eq!(to_buyer.len(), 2);
    let shipped = to_buyer.iter().find(|m| m.1 == "Shipped").unwrap();
    assert!(
        shipped.3.contains("/report/") && shipped.3.contains("/opt-out/"),
        "{}",
        shipped.3
    );
    let api_reply = to_buyer.iter().find(|m| m.1 != "Shipped").unwrap();
    let report_url = footer_link(&api_reply.2, "Something wrong with this message?");
    let opt_out_url = footer_link(&api_reply.2, "Don't want messages from Gadget Shop");
    assert!(
        report_url.starts_with(&format!("{}/report/", app.http)),
        "{report_url}"
    );
    assert!(
        opt_out_url.starts_with(&format!("{}/opt-out/", app.http)),
        "{opt_out_url}"
    );
    for url in [&report_url, &opt_out_url] {
        assert!(!url.contains('@'), "no address in a link: {url}");
    }
    let shipped_report = footer_link(&shipped.2, "Something wrong with this message?");
    assert_ne!(shipped_report, report_url, "one link per message");

    let (status, body) = get(&app, &report_url).await;
    assert_eq!(status, 200, "{body}");
    assert!(
        body.contains("Report this message") && body.contains("Gadget Shop"),
        "{body}"
    );
    assert!(
        body.contains("Re: Question"),
        "the subject is shown: {body}"
    );

    // A changed token, or an opt-out token on the report page, is refused.
    let token = report_url.rsplit_once('/').unwrap().1;
    let flipped = format!(
        "{}{}",
        &token[..token.len() - 1],
        if token.ends_with('A') { 'B' } else { 'A' }
    );
    let opt_out_token = opt_out_url.rsplit_once('/').unwrap().1;
    for bad in [
        app.url(&format!("/report/{flipped}")),
        app.url(&format!("/report/{opt_out_token}")),
        app.url("/report/not-a-token"),
    ] {
        let (status, body) = get(&app, &bad).await;
        assert_eq!(status, 400, "{bad}: {body}");
        assert!(body.contains("Link not valid"));
        let (status, _) = post(&app, &bad, &[("reason", "scam")]).await;
        assert_eq!(status, 400);
    }
    let (status, _) = get(&app, &app.url(&format!("/opt-out/{token}"))).await;
    assert_eq!(status, 400, "a report token does not opt out");
    // A link past its 90 days is gone, and says so.
    let mut old = app
        .store
        .messages()
        .get_message(first["id"].as_str().unwrap().parse().unwrap())
        .await
        .unwrap();
    old.created_at -= time::Duration::days(91);
    let expired = app.state.links.report_url(&old);
    let (status, body) = get(&app, &expired).await;
    assert_eq!(status, 410, "{body}");
    assert!(body.contains("Link expired"));
    let (status, _) = post(&app, &expired, &[]).await;
    assert_eq!(status, 410);

    let (status, body) = post(
        &app,
        &report_url,
        &[("reason", "scam"), ("comment", "Asked for a <gift card>")],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("Reported"), "{body}");
    let (status, body) = post(&app, &report_url, &[("reason", "spam")]).await;
    assert_eq!(status, 200);
    assert!(body.contains("already reported"), "{body}");
    let (_, body) = get(&app, &report_url).await;
    assert!(body.contains("already reported"), "{body}");
    let (status, _) = post(&app, &shipped_report, &[]).await;
    assert_eq!(status, 200);

    // Staff see both through the API, oldest first; others may not look.
    let staff = app.create_staff("Tess", "tess@marketplace.example").await;
    let (status, _) = app.get("/api/v1/reports", &c.seller.token).await;
    assert_eq!(status, 403);
    let (status, open) = app.get("/api/v1/reports", &staff.token).await;
    assert_eq!(status, 200, "{open}");
    let open = open["reports"].as_array().unwrap().clone();
    assert_eq!(open.len(), 2, "{open:?}");
    assert_eq!(open[0]["message_id"], first["id"]);
    assert_eq!(open[0]["reason"], "scam");
    assert_eq!(open[0]["comment"], "Asked for a <gift card>");
    assert_eq!(open[0]["conversation_id"], c.id.as_str());
    assert_eq!(open[0]["seller_name"], "Gadget Shop");
    assert!(open[1]["reason"].is_null());
    // The subjects are message text: listing them counts as reading, as
    // in the console, so staff cannot read through the API without trace.
    for report in &open {
        let id = report["message_id"].as_str().unwrap();
        let read = app
            .store
            .audit()
            .audit_events(Some(id), 100)
            .await
            .unwrap()
            .into_iter()
            .any(|e| {
                e.action == "message.read"
                    && e.actor_id.as_deref() == Some(staff.id.as_str())
                    && e.details["via"] == "api.reports"
            });
        assert!(read, "listing report of {id} is recorded as a read");
    }
    let (status, body) = app.get("/api/v1/reports?status=bogus", &staff.token).await;
    assert_eq!(status, 400, "{body}");

    // One is resolved through the API ...
    let api_id = open[1]["id"].as_str().unwrap();
    let (status, resolved) = app
        .post(
            &format!("/api/v1/reports/{api_id}/resolve"),
            &staff.token,
            json!({ "note": "shipping notice, fine" }),
        )
        .await;
    assert_eq!(status, 200, "{resolved}");
    assert_eq!(resolved["status"], "resolved");
    assert_eq!(resolved["resolved_by"], staff.id.as_str());
    let (status, _) = app
        .post(
            &format!("/api/v1/reports/{api_id}/resolve"),
            &staff.token,
            json!({}),
        )
        .await;
    assert_eq!(status, 409);

    // ... the other in the console.
    let url = invitation(&app, "staff", &staff.id).await;
    let (b, _) = sign_up(&url).await;
    let (status, console) = page(&b, &app, "/console").await;
    assert_eq!(status, 200);
    assert!(console.contains("href=\"/console/reports\""), "nav link");
    assert!(
        console.contains("Reports <span class=\"badge\">1<"),
        "the nav counts the one open report: {console}"
    );
    let (status, queue) = page(&b, &app, "/console/reports").await;
    assert_eq!(status, 200, "{queue}");
    let message_id = first["id"].as_str().unwrap();
    assert!(
        queue.contains(&format!("/console/messages/{message_id}")),
        "{queue}"
    );
    assert!(
        queue.contains("Asked for a &#60;gift card&#62;"),
        "escaped comment: {queue}"
    );
    assert!(!queue.contains(api_id), "resolved reports leave the queue");
    let console_id = open[0]["id"].as_str().unwrap();
    let action = format!("/console/reports/{console_id}/resolve");
    let r = post_form(&b, &app, &action, &[("note", "seller warned")]).await;
    assert_eq!(r.status().as_u16(), 403, "no CSRF token, no change");
    let token = csrf(&queue);
    let r = post_form(
        &b,
        &app,
        &action,
        &[("note", "seller warned"), ("csrf_token", &token)],
    )
    .await;
    assert_eq!(location(&r), "/console/reports?notice=resolved");
    let (_, queue) = page(&b, &app, "/console/reports").await;
    assert!(queue.contains("No open reports"), "{queue}");
    assert!(
        !queue.contains("Reports <span class=\"badge\">"),
        "none open, no count"
    );

    let (_, resolved) = app
        .get("/api/v1/reports?status=resolved", &staff.token)
        .await;
    let notes: Vec<&str> = resolved["reports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["resolution_note"].as_str().unwrap())
        .collect();
    assert_eq!(notes, ["seller warned", "shipping notice, fine"]);
    let trail = app
        .store
        .audit()
        .audit_events(Some(console_id), 10)
        .await
        .unwrap();
    let actions: Vec<&str> = trail.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["report.filed", "report.resolved"]);
}

async fn an_opted_out_buyer_gets_only_mail_about_an_order_until_undone(backend: Backend) {
    let app = spawn_app(backend).await;
    let c = conversation_without_order(&app).await;
    let mut seen = 0;
    seller_says(&app, &c, json!({ "body": "We have a sale on." })).await;
    let mails = deliver(&app, &mut seen).await;
    assert_eq!(mails.len(), 1);
    let opt_out_url = footer_link(&mails[0].2, "Don't want messages from Gadget Shop");

    let (status, body) = get(&app, &opt_out_url).await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("Stop these messages"), "{body}");
    let (status, body) = post(&app, &opt_out_url, &[("choice", "stop")]).await;
    assert_eq!(status, 200, "{body}");
    assert!(
        body.contains("Receive all their messages again"),
        "undo offered: {body}"
    );

    // Not about an order: blocked, and the seller is told why.
    let blocked = seller_says(&app, &c, json!({ "body": "Another sale!" })).await;
    assert_eq!(blocked["status"], "blocked", "{blocked}");
    seller_mails(&app, &c, "Deals").await;
    // About an order the marketplace registered: delivered.
    register_order(&app, &c, "123-1234567-1234567", 201).await;
    let about_order = seller_says(
        &app,
        &c,
        json!({ "body": "Your order shipped.", "order_id": "123-1234567-1234567" }),
    )
    .await;
    assert_eq!(about_order["status"], "queued", "{about_order}");
    let mails = deliver(&app, &mut seen).await;
    let to_buyer: Vec<&str> = mails
        .iter()
        .filter(|m| m.0 == BUYER_EMAIL)
        .map(|m| m.1.as_str())
        .collect();
    assert_eq!(
        to_buyer,
        ["About your order 123-1234567-1234567"],
        "{mails:?}"
    );
    let notices: Vec<_> = mails.iter().filter(|m| m.0 == SELLER_EMAIL).collect();
    assert_eq!(notices.len(), 2, "{mails:?}");
    for notice in &notices {
        assert!(notice.1.starts_with("Not delivered: "), "{}", notice.1);
        assert!(
            notice
                .2
                .contains("asked not to receive messages from you that are not about an order"),
            "{}",
            notice.2
        );
        assert!(!notice.2.contains(BUYER_EMAIL));
    }
    let blocked_id = blocked["id"].as_str().unwrap();
    let trail = app
        .store
        .audit()
        .audit_events(Some(blocked_id), 10)
        .await
        .unwrap();
    let decided = trail
        .iter()
        .find(|e| e.action == "message.decided")
        .unwrap();
    assert_eq!(decided.details["reason"], "buyer_opted_out");
    let trail = app
        .store
        .audit()
        .audit_events(Some(&c.id), 20)
        .await
        .unwrap();
    assert!(trail.iter().any(|e| e.action == "conversation.opted_out"));

    // Undo: the seller's messages reach the buyer again.
    let (status, body) = post(&app, &opt_out_url, &[("choice", "resume")]).await;
    assert_eq!(status, 403, "only the buyer may undo it: {body}");
    let resume = [("choice", "resume"), ("email", BUYER_EMAIL)];
    let (status, body) = post(&app, &opt_out_url, &resume).await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("Stop these messages"), "{body}");
    let again = seller_says(&app, &c, json!({ "body": "Back in stock." })).await;
    assert_eq!(again["status"], "queued", "{again}");
    let mails = deliver(&app, &mut seen).await;
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].0, BUYER_EMAIL);
    let trail = app
        .store
        .audit()
        .audit_events(Some(&c.id), 20)
        .await
        .unwrap();
    assert!(
        trail
            .iter()
            .any(|e| e.action == "conversation.opt_out_undone")
    );

    let (status, _) = post(&app, &opt_out_url, &[("choice", "other")]).await;
    assert_eq!(status, 404);
}

async fn only_orders_the_operator_registered_reach_an_opted_out_buyer(backend: Backend) {
    let app = spawn_app(backend).await;
    let c = conversation_without_order(&app).await;
    let mut seen = 0;
    opt_out(&app, &c, &mut seen).await;

    // An order id the seller makes up is refused, and nothing is stored.
    let (status, body) = app
        .post(
            &format!("/api/v1/conversations/{}/messages", c.id),
            &c.seller.token,
            json!({ "body": "Big sale, 50% off!", "order_id": "x" }),
        )
        .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"]["code"], "unknown_order_id", "{body}");
    let conversation = c.id.parse().unwrap();
    assert_eq!(
        app.store
            .messages()
            .list_messages(conversation)
            .await
            .unwrap()
            .len(),
        1
    );

    // The operator registers the pair's second order, once.
    let orders = register_order(&app, &c, "ORD-2", 201).await;
    assert_eq!(orders["order_ids"], json!(["ORD-2"]), "{orders}");
    register_order(&app, &c, "ORD-2", 200).await;
    let (status, _) = app
        .post(
            &format!("/api/v1/conversations/{}/orders", c.id),
            &c.seller.token,
            json!({ "order_id": "ORD-3" }),
        )
        .await;
    assert_eq!(status, 403, "sellers cannot register orders");
    let about = seller_says(
        &app,
        &c,
        json!({ "body": "ORD-2 ships today.", "order_id": "ORD-2" }),
    )
    .await;
    assert_eq!(about["status"], "queued", "{about}");
    let other = seller_says(&app, &c, json!({ "body": "Another sale!" })).await;
    assert_eq!(other["status"], "blocked", "{other}");
    let trail = app
        .store
        .audit()
        .audit_events(Some(&c.id), 50)
        .await
        .unwrap();
    assert_eq!(
        trail
            .iter()
            .filter(|e| e.action == "conversation.order_added")
            .count(),
        1
    );
}

async fn in_an_order_thread_an_opted_out_buyer_gets_only_messages_about_the_order(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    let c = app
        .conversation_with(
            &app.create_seller("Gadget Shop", SELLER_EMAIL).await,
            BUYER_EMAIL,
            "Jane Buyer",
        )
        .await;
    let mut seen = 0;
    opt_out(&app, &c, &mut seen).await;

    // Advertising in a thread with an order: blocked, by API and by mail.
    let advert = seller_says(
        &app,
        &c,
        json!({ "body": "Check out our new collection, 20% off everything!" }),
    )
    .await;
    assert_eq!(advert["status"], "blocked", "{advert}");
    seller_mails_text(&app, &c, "New in", "Our new collection is here!").await;
    // About the order: its words, in any supported language, or its id.
    for body in [
        "Ihr Paket wurde heute versendet.",
        "Ваша посылка отправлена.",
    ] {
        let about = seller_says(&app, &c, json!({ "body": body })).await;
        assert_eq!(about["status"], "queued", "{body}: {about}");
    }
    seller_mails(&app, &c, "Shipped").await;
    seller_mails_text(&app, &c, "Hello", "About 123-1234567-1234567: all good?").await;

    let mails = deliver(&app, &mut seen).await;
    let to_buyer: Vec<&str> = mails
        .iter()
        .filter(|m| m.0 == BUYER_EMAIL)
        .map(|m| m.2.lines().next().unwrap_or_default())
        .collect();
    assert_eq!(
        to_buyer,
        [
            "Ihr Paket wurde heute versendet.",
            "Ваша посылка отправлена.",
            "Your parcel left today.",
            "About 123-1234567-1234567: all good?",
        ],
        "{mails:?}"
    );
    let notices: Vec<_> = mails.iter().filter(|m| m.0 == SELLER_EMAIL).collect();
    assert_eq!(notices.len(), 2, "{mails:?}");
    for notice in notices {
        assert!(
            notice.2.contains("name its order id in the message"),
            "{}",
            notice.2
        );
    }
    let decided = app
        .audit_event(advert["id"].as_str().unwrap(), "message.decided")
        .await
        .unwrap();
    assert_eq!(decided.details["reason"], "buyer_opted_out");
}
