//! The service's own signed links never cross to the other party: with the
//! public URL on the (always allowlisted) relay domain, a consent link the
//! buyer quotes back (with `> ` prefixes, wrapped, in an HTML link, in a
//! text file) reaches the seller removed, and so do report and opt-out
//! links either way, as do invitation links. A grant link that leaked
//! anyway grants nothing without the buyer's own address.

use serde_json::json;

use crate::{
    consent::{conversation_with_phone, request_phone},
    helpers::{Backend, Convo, Options, TestApp, parse_mail, spawn_app_with},
};

crate::on_both_backends!(
    signed_links_are_removed_from_relayed_mail_in_both_directions,
    a_leaked_grant_link_grants_nothing_without_the_buyers_address,
);

/// Links in mail name the relay domain, as when the service and the relay
/// addresses share a host name.
const PUBLIC_URL: &str = "https://relay.test";
const BUYER_EMAIL: &str = "jane.buyer@mail.example";

async fn spawn(backend: Backend) -> TestApp {
    spawn_app_with(Options::new(backend).var("MARKETRELAY_PUBLIC_URL", PUBLIC_URL)).await
}

/// The newest delivered mail's text, HTML and attachments, as one string.
fn newest_mail(app: &TestApp) -> String {
    let mails = app.delivered();
    let mail = parse_mail(mails.last().expect("a mail"));
    let mut all = mail
        .body_text(0)
        .map(|t| t.into_owned())
        .unwrap_or_default();
    all.push_str(
        &mail
            .body_html(0)
            .map(|t| t.into_owned())
            .unwrap_or_default(),
    );
    for a in mail.attachments() {
        all.push_str(&String::from_utf8_lossy(a.contents()));
    }
    all
}

/// The consent mail's grant link, as sent.
async fn grant_link(app: &TestApp, c: &Convo) -> String {
    request_phone(
        app,
        c,
        json!({ "kind": "phone", "purpose": "delivery_scheduling", "order_id": "ORD-1" }),
    )
    .await;
    app.deliver_all().await;
    let text = newest_mail(app);
    text.lines()
        .find(|l| l.starts_with(&format!("{PUBLIC_URL}/consent/")))
        .expect("a grant link on the relay domain")
        .trim()
        .to_owned()
}

/// Where a link of the mail is served in the test.
fn local(app: &TestApp, link: &str) -> String {
    link.replacen(PUBLIC_URL, &app.http, 1)
}

fn token_of(link: &str) -> &str {
    link.rsplit('/').next().unwrap()
}

async fn signed_links_are_removed_from_relayed_mail_in_both_directions(backend: Backend) {
    let app = spawn(backend).await;
    let c = conversation_with_phone(&app).await;
    let grant = grant_link(&app, &c).await;
    // The seller's messages carry report and opt-out links in their footer.
    let (status, reply) = app
        .post(
            &format!("/api/v1/conversations/{}/messages", c.id),
            &c.seller.token,
            json!({ "body": "Sure, tell me when." }),
        )
        .await;
    assert_eq!(status, 202, "{reply}");
    app.deliver_all().await;
    let footer = newest_mail(&app);
    let opt_out = footer
        .split_whitespace()
        .find(|w| w.starts_with(&format!("{PUBLIC_URL}/opt-out/")))
        .expect("an opt-out link")
        .to_owned();

    // The buyer answers, quoting both mails the way mail clients do.
    let (head, tail) = grant.split_at(50);
    let text = format!(
        "Thanks!\r\n\r\n> To share your phone number, open:\r\n> {head}\r\n> {tail}\r\n>\r\n> Don't want messages? {opt_out}\r\n"
    );
    let html = format!(
        "<p>Thanks!</p><blockquote><a href=\"{grant}\">{grant}</a><br><a href=\"{opt_out}\">stop</a></blockquote>"
    );
    let raw = format!(
        "From: Jane Buyer <{BUYER_EMAIL}>\r\nTo: <{to}>\r\nSubject: Re: your question\r\n\
         MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"m\"\r\n\r\n\
         --m\r\nContent-Type: multipart/alternative; boundary=\"a\"\r\n\r\n\
         --a\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{text}\r\n\
         --a\r\nContent-Type: text/html; charset=utf-8\r\n\r\n{html}\r\n--a--\r\n\
         --m\r\nContent-Type: text/plain; charset=utf-8\r\n\
         Content-Disposition: attachment; filename=\"links.txt\"\r\n\r\n{grant}\r\n{opt_out}\r\n\
         --m--\r\n",
        to = c.seller_alias,
    );
    let answer = app.send_mail(BUYER_EMAIL, &c.seller_alias, &raw).await;
    assert!(answer.starts_with("250"), "{answer}");
    app.deliver_all().await;
    let to_seller = newest_mail(&app);
    assert!(to_seller.contains("Thanks!"), "{to_seller}");
    for secret in [
        token_of(&grant),
        token_of(&opt_out),
        &token_of(&grant)[..32],
    ] {
        assert!(
            !to_seller.contains(secret),
            "the seller got {secret}: {to_seller}"
        );
    }
    assert!(!to_seller.contains("/consent/") && !to_seller.contains("/opt-out/"));
    assert!(to_seller.contains("[link removed]"), "{to_seller}");
    let id = answer.trim_start_matches("250 2.0.0 queued as ");
    let (_, api_view) = app
        .get(&format!("/api/v1/messages/{id}"), &c.seller.token)
        .await;
    assert!(
        !api_view.to_string().contains(token_of(&grant)),
        "{api_view}"
    );

    // The other way: a signed link in the seller's reply goes nowhere either.
    let (status, reply) = app
        .post(
            &format!("/api/v1/conversations/{}/messages", c.id),
            &c.seller.token,
            json!({ "body": format!("Undo it here: {opt_out}") }),
        )
        .await;
    assert_eq!(status, 202, "{reply}");
    assert!(
        !reply["body"].as_str().unwrap().contains(token_of(&opt_out)),
        "{reply}"
    );
    // Nor does an invitation link, which signs up whoever opens it.
    let invitation = format!("{PUBLIC_URL}/invite/3q2vAbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_a");
    let (_, reply) = app
        .post(
            &format!("/api/v1/conversations/{}/messages", c.id),
            &c.seller.token,
            json!({ "body": format!("Set your password: {invitation}") }),
        )
        .await;
    assert!(
        !reply["body"].as_str().unwrap().contains("/invite/"),
        "{reply}"
    );
}

async fn a_leaked_grant_link_grants_nothing_without_the_buyers_address(backend: Backend) {
    let app = spawn(backend).await;
    let c = conversation_with_phone(&app).await;
    let grant = local(&app, &grant_link(&app, &c).await);
    let page = app.client.get(&grant).send().await.unwrap();
    assert_eq!(page.status().as_u16(), 200);
    let page = page.text().await.unwrap();
    assert!(
        page.contains("name=\"email\""),
        "the page asks who answers: {page}"
    );
    let answer = |email: &'static str| {
        let request = app.client.post(&grant).form(&[("email", email)]);
        async move {
            let r = request.send().await.unwrap();
            (r.status().as_u16(), r.text().await.unwrap())
        }
    };
    // The seller, who knows only the relay address, cannot answer for the buyer.
    for email in ["", "owner@gadgetshop.example", "jane.buyer@relay.test"] {
        let (status, body) = answer(email).await;
        assert_eq!(status, 403, "{email}: {body}");
    }
    let (_, contact) = app
        .get(
            &format!("/api/v1/conversations/{}/contact", c.id),
            &c.seller.token,
        )
        .await;
    assert_eq!(contact["error"]["code"], "consent_required", "{contact}");
    // Guessing is bounded: after five wrong answers even the right one waits.
    for _ in 0..2 {
        assert_eq!(answer("jane@mail.example").await.0, 403);
    }
    let (status, body) = answer(BUYER_EMAIL).await;
    assert_eq!(status, 429, "{body}");
    let (_, list) = app
        .get(
            &format!("/api/v1/conversations/{}/consents", c.id),
            &c.seller.token,
        )
        .await;
    assert_eq!(list["consents"][0]["status"], "requested", "{list}");
}
