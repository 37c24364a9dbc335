//! The web pages, driven like a browser without JavaScript: a cookie jar,
//! form posts, redirects read one at a time.

use marketrelay::domain::{
    Action, ConversationId, Direction, MessageId, MessageSource, MessageStatus, NewMessage,
};
use reqwest::{Client, Response, redirect::Policy};
use serde_json::{Value, json};

use crate::helpers::{
    Backend, OPERATOR_TOKEN, Options, TestApp, buyer_mail, spawn_app, spawn_app_with,
};

crate::on_both_backends!(
    seller_signs_up_reads_the_inbox_replies_and_signs_out,
    wrong_passwords_and_forms_without_csrf_tokens_are_refused,
    sign_in_is_rate_limited_per_email_and_address,
    another_sellers_thread_is_not_found,
    a_buyer_waiting_over_a_day_is_highlighted_until_answered,
    preview_marks_what_would_be_removed_or_held_without_sending,
    staff_review_held_mail_in_the_console_and_reads_are_logged,
);

pub(crate) const PASSWORD: &str = "correct horse battery";

pub(crate) fn browser() -> Client {
    Client::builder()
        .cookie_store(true)
        .redirect(Policy::none())
        .build()
        .expect("client")
}

pub(crate) fn location(r: &Response) -> String {
    assert!(
        r.status().is_redirection(),
        "expected a redirect, got {}",
        r.status()
    );
    r.headers()["location"].to_str().unwrap().to_owned()
}

/// The CSRF token of the first form on the page.
pub(crate) fn csrf(page: &str) -> String {
    let marker = "name=\"csrf_token\" value=\"";
    let start = page.find(marker).expect("page has a CSRF field") + marker.len();
    let end = page[start..].find('"').unwrap() + start;
    page[start..end].to_owned()
}

pub(crate) async fn page(b: &Client, app: &TestApp, path: &str) -> (u16, String) {
    let r = b.get(app.url(path)).send().await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

pub(crate) async fn post_form(
    b: &Client,
    app: &TestApp,
    path: &str,
    form: &[(&str, &str)],
) -> Response {
    b.post(app.url(path)).form(form).send().await.unwrap()
}

pub(crate) async fn invitation(app: &TestApp, kind: &str, id: &str) -> String {
    let (status, body) = app
        .post(
            &format!("/api/v1/{kind}/{id}/invitations"),
            OPERATOR_TOKEN,
            json!({}),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    assert!(body["expires_at"].as_str().is_some(), "{body}");
    body["url"].as_str().unwrap().to_owned()
}

/// Opens the invitation link, sets the password, and returns the signed-in
/// browser and where it was sent.
pub(crate) async fn sign_up(url: &str) -> (Client, String) {
    let b = browser();
    let r = b.get(url).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let token = csrf(&r.text().await.unwrap());
    let r = b
        .post(url)
        .form(&[
            ("password", PASSWORD),
            ("password_confirm", PASSWORD),
            ("csrf_token", &token),
        ])
        .send()
        .await
        .unwrap();
    let to = location(&r);
    (b, to)
}

pub(crate) async fn sign_in(app: &TestApp, b: &Client, email: &str, password: &str) -> Response {
    let (status, login) = page(b, app, "/login").await;
    assert_eq!(status, 200);
    let token = csrf(&login);
    post_form(
        b,
        app,
        "/login",
        &[
            ("email", email),
            ("password", password),
            ("csrf_token", &token),
        ],
    )
    .await
}

async fn seller_signs_up_reads_the_inbox_replies_and_signs_out(backend: Backend) {
    let app = spawn_app(backend).await;
    let c = app.conversation().await;
    let reply = app
        .send_mail(
            &c.buyer_email,
            &c.seller_alias,
            &buyer_mail(
                &c.buyer_email,
                &c.seller_alias,
                "Still available?",
                "Is it still available? Call me at +49 170 1234567.",
            ),
        )
        .await;
    assert!(reply.starts_with("250"), "{reply}");

    let url = invitation(&app, "sellers", &c.seller.id).await;
    assert!(
        url.starts_with(&app.http) && url.contains("/invite/"),
        "{url}"
    );
    let (b, home) = sign_up(&url).await;
    assert_eq!(home, "/inbox");
    // The link works once.
    let (status, _) = page(&browser(), &app, &url[app.http.len()..]).await;
    assert_eq!(status, 404);
    let r = b.get(app.url("/")).send().await.unwrap();
    assert_eq!(location(&r), "/inbox");

    let (status, inbox) = page(&b, &app, "/inbox").await;
    assert_eq!(status, 200);
    assert!(inbox.contains("Jane Buyer"), "{inbox}");
    assert!(inbox.contains("123-1234567-1234567"));
    assert!(
        inbox.contains("1<span class=\"visually-hidden\"> unread"),
        "{inbox}"
    );
    let (_, found) = page(&b, &app, "/inbox?q=123-1234567").await;
    assert!(found.contains("Jane Buyer"));
    let alias = c.buyer_alias.split('@').next().unwrap();
    let (_, found) = page(&b, &app, &format!("/inbox?q={alias}")).await;
    assert!(found.contains("Jane Buyer"));
    let (_, missing) = page(&b, &app, "/inbox?q=%3Cb%3Enothing").await;
    assert!(!missing.contains("Jane Buyer"));
    assert!(
        missing.contains("&#60;b&#62;nothing") || missing.contains("&lt;b&gt;nothing"),
        "search text is escaped: {missing}"
    );

    let (status, thread) = page(&b, &app, &format!("/inbox/{}", c.id)).await;
    assert_eq!(status, 200);
    assert!(thread.contains("[phone removed]"), "{thread}");
    assert!(!thread.contains("+49 170"), "{thread}");
    let (_, inbox) = page(&b, &app, "/inbox").await;
    assert!(
        !inbox.contains("visually-hidden\"> unread"),
        "opened, so read"
    );

    let token = csrf(&thread);
    let r = post_form(
        &b,
        &app,
        &format!("/inbox/{}/reply", c.id),
        &[("body", "It ships tomorrow."), ("csrf_token", &token)],
    )
    .await;
    assert_eq!(location(&r), format!("/inbox/{}?notice=queued", c.id));
    let conversation: ConversationId = c.id.parse().unwrap();
    let messages = app
        .store
        .messages()
        .list_messages(conversation)
        .await
        .unwrap();
    let sent = messages
        .iter()
        .find(|m| m.direction == Direction::SellerToBuyer)
        .expect("reply stored");
    assert_eq!(sent.body, "It ships tomorrow.");
    assert_eq!(sent.status, MessageStatus::Queued);
    let (_, thread) = page(&b, &app, &format!("/inbox/{}?notice=queued", c.id)).await;
    assert!(thread.contains("It ships tomorrow.") && thread.contains("on its way"));

    let r = post_form(
        &b,
        &app,
        &format!("/inbox/{}/no-response", c.id),
        &[("csrf_token", &token)],
    )
    .await;
    assert_eq!(location(&r), "/inbox?notice=closed");

    let r = post_form(&b, &app, "/logout", &[("csrf_token", &token)]).await;
    assert_eq!(location(&r), "/login");
    let r = b.get(app.url("/inbox")).send().await.unwrap();
    assert_eq!(location(&r), "/login");
}

async fn wrong_passwords_and_forms_without_csrf_tokens_are_refused(backend: Backend) {
    let app = spawn_app(backend).await;
    let c = app.conversation().await;
    let url = invitation(&app, "sellers", &c.seller.id).await;

    // Setting a password: the CSRF cookie and token must match, and 10 characters at least.
    let b = browser();
    let (status, invite) = page(&b, &app, &url[app.http.len()..]).await;
    assert_eq!(status, 200);
    let token = csrf(&invite);
    let r = b
        .post(&url)
        .form(&[("password", PASSWORD), ("password_confirm", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 403);
    let r = b
        .post(&url)
        .form(&[
            ("password", "short"),
            ("password_confirm", "short"),
            ("csrf_token", &token),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 422);
    let (b, _) = sign_up(&url).await;

    let email = "owner@gadgetshop.example";
    let other = browser();
    let r = sign_in(&app, &other, email, "wrong password!").await;
    assert_eq!(r.status().as_u16(), 401);
    let wrong = r.text().await.unwrap();
    let r = sign_in(&app, &other, "nobody@gadgetshop.example", PASSWORD).await;
    assert_eq!(r.status().as_u16(), 401);
    let unknown = r.text().await.unwrap();
    assert!(wrong.contains("Email or password is incorrect."));
    assert!(unknown.contains("Email or password is incorrect."));

    // Right password, no token: refused before the password is looked at.
    let r = post_form(
        &other,
        &app,
        "/login",
        &[("email", email), ("password", PASSWORD)],
    )
    .await;
    assert_eq!(r.status().as_u16(), 403);
    // A token from a cookie-less client is refused too (double submit).
    let r = post_form(
        &browser(),
        &app,
        "/login",
        &[
            ("email", email),
            ("password", PASSWORD),
            ("csrf_token", &token),
        ],
    )
    .await;
    assert_eq!(r.status().as_u16(), 403);
    let r = sign_in(&app, &other, &email.to_uppercase(), PASSWORD).await;
    assert_eq!(location(&r), "/inbox");
    let cookie = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|v| v.starts_with("mr_session="))
        .expect("session cookie");
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"));
    assert!(
        !cookie.contains("Secure"),
        "plain http without a public https URL"
    );

    // Signed in, a form still needs this session's token.
    let reply = format!("/inbox/{}/reply", c.id);
    let r = post_form(&b, &app, &reply, &[("body", "hello")]).await;
    assert_eq!(r.status().as_u16(), 403);
    let r = post_form(
        &b,
        &app,
        &reply,
        &[("body", "hello"), ("csrf_token", &token)],
    )
    .await;
    assert_eq!(
        r.status().as_u16(),
        403,
        "the signed-out token is not the session's"
    );
    let r = post_form(&b, &app, "/logout", &[]).await;
    assert_eq!(r.status().as_u16(), 403);
    let conversation: ConversationId = c.id.parse().unwrap();
    assert!(
        app.store
            .messages()
            .list_messages(conversation)
            .await
            .unwrap()
            .is_empty()
    );
}

async fn sign_in_is_rate_limited_per_email_and_address(backend: Backend) {
    let app = spawn_app(backend).await;
    let seller = app
        .create_seller("Gadget Shop", "owner@gadgetshop.example")
        .await;
    let url = invitation(&app, "sellers", &seller.id).await;
    sign_up(&url).await;
    let b = browser();
    for _ in 0..5 {
        let r = sign_in(&app, &b, "owner@gadgetshop.example", "not the password").await;
        assert_eq!(r.status().as_u16(), 401);
    }
    let r = sign_in(&app, &b, "owner@gadgetshop.example", PASSWORD).await;
    assert_eq!(r.status().as_u16(), 429, "even the right password waits");
    assert!(r.text().await.unwrap().contains("Too many failed attempts"));
    // Other emails from the same address are not affected.
    let r = sign_in(&app, &b, "someone@else.example", "not the password").await;
    assert_eq!(r.status().as_u16(), 401);
}

async fn another_sellers_thread_is_not_found(backend: Backend) {
    let app = spawn_app(backend).await;
    let theirs = app.conversation().await;
    let me = app
        .create_seller("Other Shop", "me@othershop.example")
        .await;
    let mine = app
        .conversation_with(&me, "bob@mail.example", "Bob Buyer")
        .await;
    let url = invitation(&app, "sellers", &me.id).await;
    let (b, _) = sign_up(&url).await;

    let (status, inbox) = page(&b, &app, "/inbox").await;
    assert_eq!(status, 200);
    assert!(inbox.contains("Bob Buyer") && !inbox.contains("Jane Buyer"));
    let (status, thread) = page(&b, &app, &format!("/inbox/{}", mine.id)).await;
    assert_eq!(status, 200);
    let token = csrf(&thread);
    let (status, _) = page(&b, &app, &format!("/inbox/{}", theirs.id)).await;
    assert_eq!(status, 404);
    let (status, _) = page(&b, &app, "/inbox/not-a-uuid").await;
    assert_eq!(status, 404);
    let r = post_form(
        &b,
        &app,
        &format!("/inbox/{}/reply", theirs.id),
        &[("body", "hello"), ("csrf_token", &token)],
    )
    .await;
    assert_eq!(r.status().as_u16(), 404);
    let (status, _) = page(&b, &app, "/console").await;
    assert_eq!(status, 404, "sellers have no console");
}

/// A buyer message stored as if it arrived `hours` ago.
async fn buyer_message_from(app: &TestApp, conversation: ConversationId, hours: i64) {
    let id = MessageId::new();
    app.store
        .messages()
        .store_message(&NewMessage {
            id,
            conversation_id: conversation,
            direction: Direction::BuyerToSeller,
            source: MessageSource::Api,
            subject: "Where is my parcel?".into(),
            original_body: "Where is my parcel?".into(),
            body: "Where is my parcel?".into(),
            html: None,
            raw_mime: None,
            findings: Vec::new(),
            files: Default::default(),
            names: None,
            action: Action::Deliver,
            status: MessageStatus::Sent,
            original_message_id: None,
            relayed_message_id: format!("{}@relay.test", id.0.simple()),
            in_reply_to: None,
            references: vec![],
            enqueue: None,
            audit: vec![],
            created_at: time::OffsetDateTime::now_utc() - time::Duration::hours(hours),
        })
        .await
        .expect("store message");
}

async fn a_buyer_waiting_over_a_day_is_highlighted_until_answered(backend: Backend) {
    let app = spawn_app(backend).await;
    let waiting = app.conversation().await;
    let fresh = app
        .conversation_with(&waiting.seller, "bob@mail.example", "Bob Buyer")
        .await;
    buyer_message_from(&app, waiting.id.parse().unwrap(), 25).await;
    buyer_message_from(&app, fresh.id.parse().unwrap(), 2).await;
    let url = invitation(&app, "sellers", &waiting.seller.id).await;
    let (b, _) = sign_up(&url).await;

    let (_, inbox) = page(&b, &app, "/inbox").await;
    assert_eq!(inbox.matches("Waiting over 24 h").count(), 1, "{inbox}");
    // Newest first: Bob wrote two hours ago, Jane a day ago.
    assert!(inbox.find("Bob Buyer").unwrap() < inbox.find("Jane Buyer").unwrap());

    let (_, thread) = page(&b, &app, &format!("/inbox/{}", waiting.id)).await;
    let r = post_form(
        &b,
        &app,
        &format!("/inbox/{}/no-response", waiting.id),
        &[("csrf_token", &csrf(&thread))],
    )
    .await;
    assert_eq!(location(&r), "/inbox?notice=closed");
    let (_, inbox) = page(&b, &app, "/inbox?notice=closed").await;
    assert!(!inbox.contains("Waiting over 24 h"), "{inbox}");
    assert!(inbox.contains("Marked as needing no response."));
}

async fn preview_marks_what_would_be_removed_or_held_without_sending(backend: Backend) {
    let app = spawn_app(backend).await;
    let c = app.conversation().await;
    let url = invitation(&app, "sellers", &c.seller.id).await;
    let (b, _) = sign_up(&url).await;
    let r = b
        .get(app.url(&format!("/inbox/{}", c.id)))
        .send()
        .await
        .unwrap();
    let csp = r.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    let token = csrf(&r.text().await.unwrap());

    let draft = "Our depot: +49 170 1234567 <b>today</b>";
    let r = post_form(
        &b,
        &app,
        &format!("/inbox/{}/preview", c.id),
        &[("body", draft), ("csrf_token", &token)],
    )
    .await;
    assert_eq!(r.status().as_u16(), 200);
    let page_html = r.text().await.unwrap();
    assert!(
        page_html.contains("The marked parts would be removed"),
        "{page_html}"
    );
    assert!(page_html.contains("<mark"), "{page_html}");
    assert!(page_html.contains("[phone removed]"));
    // The draft comes back in the form, escaped.
    assert!(!page_html.contains("<b>today</b>"));
    assert!(page_html.contains("+49 170 1234567"));

    let r = post_form(
        &b,
        &app,
        &format!("/inbox/{}/preview", c.id),
        &[
            ("body", "Pay me via PayPal friends and family instead."),
            ("csrf_token", &token),
        ],
    )
    .await;
    assert!(r.text().await.unwrap().contains("would be held for review"));
    let conversation: ConversationId = c.id.parse().unwrap();
    assert!(
        app.store
            .messages()
            .list_messages(conversation)
            .await
            .unwrap()
            .is_empty(),
        "a preview sends nothing"
    );
    let r = post_form(
        &b,
        &app,
        &format!("/inbox/{}/preview", c.id),
        &[("body", draft)],
    )
    .await;
    assert_eq!(r.status().as_u16(), 403);
}

async fn staff_review_held_mail_in_the_console_and_reads_are_logged(backend: Backend) {
    let app = spawn_app(backend).await;
    let c = app.conversation().await;
    let reply = app
        .send_mail(
            &c.buyer_email,
            &c.seller_alias,
            &buyer_mail(
                &c.buyer_email,
                &c.seller_alias,
                "Question",
                "Does it come with a charger?",
            ),
        )
        .await;
    assert!(reply.starts_with("250"), "{reply}");
    let (status, held) = app
        .post(
            &format!("/api/v1/conversations/{}/messages", c.id),
            &c.seller.token,
            json!({ "body": "Cancel the order and pay me via PayPal friends and family, I'll give you 10% off." }),
        )
        .await;
    assert_eq!(
        (status, held["status"].as_str()),
        (202, Some("held")),
        "{held}"
    );
    let held_id = held["id"].as_str().unwrap().to_owned();

    let staff = app.create_staff("Tess", "tess@marketplace.example").await;
    let url = invitation(&app, "staff", &staff.id).await;
    let (b, home) = sign_up(&url).await;
    assert_eq!(home, "/console");

    let (status, queue) = page(&b, &app, "/console").await;
    assert_eq!(status, 200);
    assert!(queue.contains(&held_id), "{queue}");
    assert!(queue.contains("class=\"rule\""), "rules shown: {queue}");
    assert!(queue.contains("PayPal"));

    let (status, message) = page(&b, &app, &format!("/console/messages/{held_id}")).await;
    assert_eq!(status, 200);
    assert!(message.contains("As received") && message.contains("As delivered"));
    assert!(message.contains("<mark"), "findings highlighted: {message}");
    assert!(
        !message.contains("Download the raw MIME"),
        "API messages have no MIME"
    );

    // The buyer's mail came by SMTP, so its raw MIME can be downloaded.
    let conversation: ConversationId = c.id.parse().unwrap();
    let from_buyer: MessageId = app
        .store
        .messages()
        .list_messages(conversation)
        .await
        .unwrap()
        .iter()
        .find(|m| m.direction == Direction::BuyerToSeller)
        .unwrap()
        .id;
    let (_, page_html) = page(&b, &app, &format!("/console/messages/{from_buyer}")).await;
    assert!(page_html.contains(&format!("/console/messages/{from_buyer}/raw")));
    let r = b
        .get(app.url(&format!("/console/messages/{from_buyer}/raw")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(r.headers()["content-type"], "message/rfc822");
    assert!(r.text().await.unwrap().contains("Subject: Question"));

    let token = csrf(&message);
    let r = post_form(
        &b,
        &app,
        &format!("/console/messages/{held_id}/review"),
        &[
            ("decision", "release"),
            ("note", "ok after call"),
            ("csrf_token", &token),
        ],
    )
    .await;
    assert_eq!(location(&r), "/console?notice=released");
    let id: MessageId = held_id.parse().unwrap();
    assert_eq!(
        app.store.messages().get_message(id).await.unwrap().status,
        MessageStatus::Queued
    );
    let (_, queue) = page(&b, &app, "/console?notice=released").await;
    assert!(queue.contains("No held messages"));
    let r = post_form(
        &b,
        &app,
        &format!("/console/messages/{held_id}/review"),
        &[("decision", "reject"), ("csrf_token", &token)],
    )
    .await;
    assert_eq!(location(&r), "/console?notice=not_held");

    // Search across every seller's conversations, then one conversation.
    let (status, found) = page(&b, &app, "/console/conversations?q=123-1234567").await;
    assert_eq!(status, 200);
    assert!(
        found.contains(&format!("/console/conversations/{}", c.id)),
        "{found}"
    );
    let (_, none) = page(&b, &app, "/console/conversations?q=no-such-order").await;
    assert!(none.contains("No conversation matches."));
    let (status, listing) = page(&b, &app, &format!("/console/conversations/{}", c.id)).await;
    assert_eq!(status, 200);
    assert!(listing.contains(&format!("/console/messages/{held_id}")));
    // The conversation's audit view shows every message as received, its
    // finding marked, beside as delivered, with delivery attempts and raw MIME.
    app.deliver_all().await;
    let (_, listing) = page(&b, &app, &format!("/console/conversations/{}", c.id)).await;
    assert_eq!(listing.matches("As received").count(), 2, "{listing}");
    assert_eq!(listing.matches("As delivered").count(), 2, "{listing}");
    assert!(
        listing.contains("Does it come with a charger?"),
        "{listing}"
    );
    assert!(
        listing.contains("<mark title=\"payment."),
        "the payment request is marked: {listing}"
    );
    assert!(
        listing.contains(">delivered</td>"),
        "delivery attempts: {listing}"
    );
    assert!(listing.contains(&format!("/console/messages/{from_buyer}/raw")));

    let (status, log) = page(&b, &app, "/console/access-log").await;
    assert_eq!(status, 200);
    assert!(log.contains(&held_id) && log.contains(&from_buyer.to_string()));
    assert!(
        log.contains("web.message")
            && log.contains("web.review_queue")
            && log.contains("web.raw")
            && log.contains("web.conversation")
    );
    let (_, audit) = app
        .get(&format!("/api/v1/audit?subject_id={held_id}"), &staff.token)
        .await;
    let actions: Vec<&str> = audit["events"]
        .as_array()
        .map(|events| events.iter().filter_map(|e| e["action"].as_str()).collect())
        .unwrap_or_default();
    assert!(actions.contains(&"message.read"), "{audit}");

    // Sellers and signed-out browsers see none of it.
    let (status, _) = page(&browser(), &app, "/console").await;
    assert_eq!(status, 303);
}

#[tokio::test]
async fn a_public_https_url_makes_links_absolute_and_cookies_secure() {
    let app = spawn_app_with(
        Options::new(Backend::Sqlite).var("MARKETRELAY_PUBLIC_URL", "https://relay.example.com/"),
    )
    .await;
    let seller = app
        .create_seller("Gadget Shop", "owner@gadgetshop.example")
        .await;
    let url = invitation(&app, "sellers", &seller.id).await;
    let path = url
        .strip_prefix("https://relay.example.com/invite/")
        .map(|token| format!("/invite/{token}"))
        .unwrap_or_else(|| panic!("link uses the public URL: {url}"));
    let r = browser().get(app.url(&path)).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let cookie = r.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(
        cookie.contains("Secure") && cookie.contains("HttpOnly"),
        "{cookie}"
    );
    let (status, body): (u16, Value) = app
        .post(
            "/api/v1/sellers/0196a5a1-0000-7000-8000-000000000000/invitations",
            OPERATOR_TOKEN,
            json!({}),
        )
        .await;
    assert_eq!(status, 404, "{body}");
}
