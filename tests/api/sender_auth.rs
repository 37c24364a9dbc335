//! Who may write to an alias: the counterpart, proven by SPF, DKIM and
//! DMARC over real SMTP sessions, with DNS answered by a local stub and
//! messages signed here with a test key.

use std::sync::Arc;

use mail_auth::{
    common::{crypto::Ed25519Key, headers::HeaderWriter},
    dkim::DkimSigner,
};
use marketrelay::store::Store;
use serde_json::{Value, json};

use crate::{
    dns::Zone,
    helpers::{Backend, Convo, Options, TestApp, buyer_mail, queued_id, spawn_app_with},
    web::{invitation, page, sign_up},
};

pub const SELECTOR: &str = "s2026";

/// An Ed25519 DKIM key and the TXT record that publishes it.
pub struct TestKey {
    pub pkcs8: Vec<u8>,
    pub record: String,
}

impl TestKey {
    pub fn generate() -> Self {
        let pkcs8 = Ed25519Key::generate_pkcs8().expect("key");
        let key = Ed25519Key::from_pkcs8_der(&pkcs8).expect("key parses");
        let record = format!(
            "v=DKIM1; k=ed25519; p={}",
            data_encoding::BASE64.encode(&key.public_key())
        );
        Self { pkcs8, record }
    }

    /// `raw` with a DKIM-Signature for `domain` in front.
    pub fn sign(&self, raw: &str, domain: &str) -> String {
        let key = Ed25519Key::from_pkcs8_der(&self.pkcs8).expect("key parses");
        let signature = DkimSigner::from_key(key)
            .domain(domain)
            .selector(SELECTOR)
            .headers(["From", "To", "Subject", "Date", "Message-ID"])
            .sign(raw.as_bytes())
            .expect("signs");
        format!("{}{raw}", signature.to_header())
    }

    /// The PEM file a relay operator would configure.
    pub fn pem(&self) -> String {
        let b64 = data_encoding::BASE64.encode(&self.pkcs8);
        let lines: Vec<&str> = b64
            .as_bytes()
            .chunks(64)
            .map(|c| std::str::from_utf8(c).unwrap())
            .collect();
        format!(
            "-----BEGIN PRIVATE KEY-----\n{}\n-----END PRIVATE KEY-----\n",
            lines.join("\n")
        )
    }
}

/// The seller's shop domain as a careful operator publishes it: only its
/// own server may send, DKIM-signed, and DMARC asks to reject the rest.
pub fn strict_shop_zone(key: &TestKey) -> Zone {
    Zone::default()
        .txt("gadgetshop.example", "v=spf1 ip4:192.0.2.25 -all")
        .txt("_dmarc.gadgetshop.example", "v=DMARC1; p=reject")
        .txt(
            &format!("{SELECTOR}._domainkey.gadgetshop.example"),
            &key.record,
        )
}

pub const SELLER: &str = "owner@gadgetshop.example";

/// The seller writing to the buyer's alias, as `raw` (already built).
pub async fn seller_writes(app: &TestApp, c: &Convo, raw: &str) -> String {
    app.send_mail(SELLER, &c.buyer_alias, raw).await
}

pub fn seller_mail(c: &Convo, body: &str) -> String {
    buyer_mail(SELLER, &c.buyer_alias, "About your order", body)
        .replace("From: Jane Buyer", "From: Gadget Shop")
}

pub async fn events(store: &Arc<dyn Store>, subject: &str) -> Vec<marketrelay::domain::AuditEvent> {
    store
        .audit()
        .audit_events(Some(subject), 100)
        .await
        .expect("audit")
}

async fn messages(app: &TestApp, c: &Convo) -> Vec<Value> {
    let (_, list) = app
        .get(
            &format!("/api/v1/conversations/{}/messages", c.id),
            &c.seller.token,
        )
        .await;
    list["messages"].as_array().cloned().unwrap_or_default()
}

crate::on_both_backends!(
    a_forger_of_the_sellers_address_is_refused_and_staff_see_the_attempt,
    dkim_signed_mail_from_the_real_seller_passes_and_its_results_are_audited,
    a_signature_broken_in_transit_is_a_failure,
    a_from_header_naming_someone_else_is_refused,
    a_domain_without_dns_is_accepted_as_none_by_default_and_staff_see_it,
    staff_see_each_messages_authentication_results_and_sellers_do_not,
);

async fn a_forger_of_the_sellers_address_is_refused_and_staff_see_the_attempt(backend: Backend) {
    let key = TestKey::generate();
    let app = spawn_app_with(Options::new(backend).zone(strict_shop_zone(&key))).await;
    let c = app.conversation().await;
    // From 127.0.0.1, which the shop's SPF does not allow, and unsigned.
    let reply = seller_writes(&app, &c, &seller_mail(&c, "Pay me on the side")).await;
    assert!(reply.starts_with("550 5.7.1"), "{reply}");
    assert!(messages(&app, &c).await.is_empty(), "nothing stored");
    let refused: Vec<_> = events(&app.store, &c.id)
        .await
        .into_iter()
        .filter(|e| e.action == "message.refused")
        .collect();
    assert_eq!(refused.len(), 1, "one refusal: {refused:?}");
    let details = &refused[0].details;
    assert_eq!(details["reason"], "sender_not_authenticated");
    assert_eq!(details["authentication"]["verdict"], "fail");
    assert_eq!(details["authentication"]["spf"], "fail");
    assert_eq!(details["authentication"]["dmarc"], "fail");
    assert!(!details.to_string().contains("gadgetshop"), "{details}");
}

async fn dkim_signed_mail_from_the_real_seller_passes_and_its_results_are_audited(
    backend: Backend,
) {
    let key = TestKey::generate();
    let app = spawn_app_with(Options::new(backend).zone(strict_shop_zone(&key))).await;
    let c = app.conversation().await;
    // SPF still fails from 127.0.0.1: the aligned DKIM signature alone passes DMARC.
    let signed = key.sign(&seller_mail(&c, "It ships tomorrow."), "gadgetshop.example");
    let reply = seller_writes(&app, &c, &signed).await;
    assert!(reply.starts_with("250 2.0.0 queued as"), "{reply}");
    let id = queued_id(&reply);
    let received = app.audit_event(&id, "message.received").await.unwrap();
    let auth = &received.details["authentication"];
    assert_eq!(auth["verdict"], "pass", "{auth}");
    assert_eq!(auth["dkim"], "pass");
    assert_eq!(auth["dmarc"], "pass");
    assert_eq!(auth["spf"], "fail");
    assert_eq!(auth["checked_by"], "relay");
    assert_eq!(auth["from_aligned"], true);
    let stored = app
        .store
        .messages()
        .get_message(id.parse().unwrap())
        .await
        .unwrap();
    assert_eq!(stored.sender_auth.as_deref(), Some("pass"));
}

async fn a_signature_broken_in_transit_is_a_failure(backend: Backend) {
    let key = TestKey::generate();
    let app = spawn_app_with(Options::new(backend).zone(strict_shop_zone(&key))).await;
    let c = app.conversation().await;
    let signed = key.sign(&seller_mail(&c, "It ships tomorrow."), "gadgetshop.example");
    let tampered = signed.replace("It ships tomorrow.", "Pay me by wire instead.");
    let reply = seller_writes(&app, &c, &tampered).await;
    assert!(reply.starts_with("550 5.7.1"), "{reply}");
    assert!(messages(&app, &c).await.is_empty());
}

async fn a_from_header_naming_someone_else_is_refused(backend: Backend) {
    let app = spawn_app_with(Options::new(backend)).await;
    let c = app.conversation().await;
    // The envelope names the buyer; the header a stranger whose domain
    // could pass DMARC on its own.
    let raw = buyer_mail(&c.buyer_email, &c.seller_alias, "hi", "hello").replace(
        &format!("<{}>", c.buyer_email),
        "<someone@elsewhere.example>",
    );
    let reply = app.send_mail(&c.buyer_email, &c.seller_alias, &raw).await;
    assert!(reply.starts_with("550 5.7.1"), "{reply}");
    let refused = app.audit_event(&c.id, "message.refused").await.unwrap();
    assert_eq!(refused.details["authentication"]["from_aligned"], false);
    assert_eq!(refused.details["reason"], "sender_not_authenticated");
}

async fn a_domain_without_dns_is_accepted_as_none_by_default_and_staff_see_it(backend: Backend) {
    // The README walkthrough: a buyer domain that publishes nothing.
    let app = spawn_app_with(Options::new(backend)).await;
    let c = app.conversation().await;
    let raw = buyer_mail(
        &c.buyer_email,
        &c.seller_alias,
        "Is it still available?",
        "Hi!",
    );
    let reply = app.send_mail(&c.buyer_email, &c.seller_alias, &raw).await;
    assert!(reply.starts_with("250 2.0.0 queued as"), "{reply}");
    let id = queued_id(&reply);
    let received = app.audit_event(&id, "message.received").await.unwrap();
    assert_eq!(received.details["authentication"]["verdict"], "none");
    assert!(
        app.dns
            .queries
            .lock()
            .unwrap()
            .iter()
            .any(|q| q == "mail.example"),
        "SPF was looked up"
    );
    // Staff read the same through the API.
    let staff = app.create_staff("Tess", "tess@marketplace.example").await;
    let (status, body) = app
        .get(&format!("/api/v1/audit?subject_id={id}"), &staff.token)
        .await;
    assert_eq!(status, 200, "{body}");
    assert!(body.to_string().contains("\"verdict\":\"none\""), "{body}");
}

#[tokio::test]
async fn with_on_fail_hold_forged_mail_waits_for_staff_and_no_notice_goes_out() {
    let key = TestKey::generate();
    let app = spawn_app_with(
        Options::new(Backend::Sqlite)
            .zone(strict_shop_zone(&key))
            .var("MARKETRELAY_AUTH_ON_FAIL", "hold"),
    )
    .await;
    let c = app.conversation().await;
    // Even mail the policy would block answers nobody: the notice would
    // reach the real seller, not the forger.
    let forged = seller_mail(&c, "Pay me via PayPal friends and family, outside the site");
    let reply = seller_writes(&app, &c, &forged).await;
    let id = queued_id(&reply);
    let stored = app
        .store
        .messages()
        .get_message(id.parse().unwrap())
        .await
        .unwrap();
    assert_eq!(stored.sender_auth.as_deref(), Some("fail"));
    assert!(
        matches!(
            stored.status,
            marketrelay::domain::MessageStatus::Held | marketrelay::domain::MessageStatus::Blocked
        ),
        "{:?}",
        stored.status
    );
    assert!(
        app.deliver_all().await.is_empty(),
        "nothing delivered, no notice"
    );
    let received = app.audit_event(&id, "message.received").await.unwrap();
    assert_eq!(received.details["held_for_authentication"], true);
}

#[tokio::test]
async fn with_on_none_refuse_a_domain_that_publishes_nothing_is_turned_away() {
    let app =
        spawn_app_with(Options::new(Backend::Sqlite).var("MARKETRELAY_AUTH_ON_NONE", "refuse"))
            .await;
    let c = app.conversation().await;
    let reply = app.buyer_writes(&c, "hi", "hello").await;
    assert!(reply.starts_with("550 5.7.1"), "{reply}");
}

#[tokio::test]
async fn a_dns_server_that_never_answers_defers_mail_within_the_timeout() {
    // A socket that takes queries and answers none.
    let silent = tokio::net::UdpSocket::bind("127.0.0.1:0").await.unwrap();
    let silent_addr = silent.local_addr().unwrap().to_string();
    for (on_temperror, expected) in [("tempfail", "451 4.7.0"), ("accept", "250 2.0.0")] {
        let app = spawn_app_with(
            Options::new(Backend::Sqlite)
                .config("[auth]\ntimeout_ms = 300\n")
                .var("MARKETRELAY_AUTH_DNS_SERVERS", &silent_addr)
                .var("MARKETRELAY_AUTH_ON_TEMPERROR", on_temperror),
        )
        .await;
        let c = app.conversation().await;
        let started = std::time::Instant::now();
        let reply = app.buyer_writes(&c, "hi", "hello").await;
        assert!(reply.starts_with(expected), "{on_temperror}: {reply}");
        assert!(
            started.elapsed() < std::time::Duration::from_secs(5),
            "the session waited {:?}",
            started.elapsed()
        );
        if on_temperror == "accept" {
            let stored = app
                .store
                .messages()
                .get_message(queued_id(&reply).parse().unwrap())
                .await
                .unwrap();
            assert_eq!(stored.sender_auth.as_deref(), Some("temperror"));
        }
    }
    drop(silent);
}

#[tokio::test]
async fn behind_a_trusted_edge_only_its_own_topmost_results_count() {
    let key = TestKey::generate();
    // The edge's own check would fail here (SPF -all from 127.0.0.1); its
    // header is what decides, and on_none=refuse shows what is ignored.
    let app = spawn_app_with(
        Options::new(Backend::Sqlite)
            .zone(strict_shop_zone(&key))
            .var("MARKETRELAY_AUTH_TRUSTED_PEERS", "127.0.0.1/32")
            .var("MARKETRELAY_AUTH_AUTHSERV_ID", "mx.edge.test")
            .var("MARKETRELAY_AUTH_ON_NONE", "refuse"),
    )
    .await;
    let c = app.conversation().await;
    let with = |headers: &str| format!("{headers}{}", seller_mail(&c, "It ships tomorrow."));
    let edge_pass = "Authentication-Results: mx.edge.test; spf=pass smtp.mailfrom=owner@gadgetshop.example; dmarc=pass header.from=gadgetshop.example\r\n";
    let reply = seller_writes(&app, &c, &with(edge_pass)).await;
    assert!(reply.starts_with("250 2.0.0"), "{reply}");
    let id = queued_id(&reply);
    let received = app.audit_event(&id, "message.received").await.unwrap();
    assert_eq!(
        received.details["authentication"]["checked_by"],
        "mx.edge.test"
    );
    // Staff see that the results are the edge's, as it reported them.
    let staff = app.create_staff("Tess", "tess@marketplace.example").await;
    let (_, seen) = app
        .get(&format!("/api/v1/messages/{id}"), &staff.token)
        .await;
    let auth = &seen["sender_auth"];
    assert_eq!(auth["trusted_edge"], true, "{seen}");
    assert_eq!(auth["checked_by"], "mx.edge.test");
    assert_eq!(
        auth["spf"],
        json!({ "result": "pass", "domain": "gadgetshop.example" })
    );
    assert_eq!(auth["dmarc"]["result"], "pass");

    // A sender's own claim under another name is not read.
    let forged =
        "Authentication-Results: mx.other.test; dmarc=pass header.from=gadgetshop.example\r\n";
    let reply = seller_writes(&app, &c, &with(forged)).await;
    assert!(reply.starts_with("550 5.7.1"), "{reply}");

    // Below the edge's own header, a forged one with our name loses.
    let edge_fail = "Authentication-Results: mx.edge.test; spf=fail smtp.mailfrom=owner@gadgetshop.example; dmarc=fail header.from=gadgetshop.example\r\n";
    let forged_ours =
        "Authentication-Results: mx.edge.test; dmarc=pass header.from=gadgetshop.example\r\n";
    let reply = seller_writes(&app, &c, &with(&format!("{edge_fail}{forged_ours}"))).await;
    assert!(reply.starts_with("550 5.7.1"), "{reply}");
}

async fn staff_see_each_messages_authentication_results_and_sellers_do_not(backend: Backend) {
    let key = TestKey::generate();
    let app = spawn_app_with(Options::new(backend).zone(strict_shop_zone(&key))).await;
    let c = app.conversation().await;
    let signed = key.sign(&seller_mail(&c, "It ships tomorrow."), "gadgetshop.example");
    let from_seller = queued_id(&seller_writes(&app, &c, &signed).await);
    // The buyer's domain publishes nothing: accepted as `none`.
    let from_buyer = queued_id(&app.buyer_writes(&c, "Thanks", "Great, thank you!").await);

    let staff = app.create_staff("Tess", "tess@marketplace.example").await;
    let (status, seen) = app
        .get(&format!("/api/v1/messages/{from_seller}"), &staff.token)
        .await;
    assert_eq!(status, 200, "{seen}");
    let auth = &seen["sender_auth"];
    assert_eq!(auth["verdict"], "pass", "{seen}");
    assert_eq!(auth["checked_by"], "relay");
    assert_eq!(auth["trusted_edge"], false);
    assert_eq!(
        auth["spf"],
        json!({ "result": "fail", "domain": "gadgetshop.example" })
    );
    assert_eq!(
        auth["dkim"],
        json!([{ "result": "pass", "domain": "gadgetshop.example" }])
    );
    assert_eq!(
        auth["dmarc"],
        json!({ "result": "pass", "policy": "reject" })
    );
    assert_eq!(auth["from_aligned"], true);

    let (_, seen) = app
        .get(&format!("/api/v1/messages/{from_buyer}"), &staff.token)
        .await;
    let auth = &seen["sender_auth"];
    assert_eq!(auth["verdict"], "none", "{seen}");
    assert_eq!(
        auth["spf"],
        json!({ "result": "none", "domain": "mail.example" })
    );
    assert_eq!(auth["dkim"], json!([]));
    assert_eq!(auth["dmarc"], json!({ "result": "none", "policy": null }));

    let (_, list) = app
        .get(
            &format!("/api/v1/conversations/{}/messages", c.id),
            &staff.token,
        )
        .await;
    let verdicts: Vec<&Value> = list["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| &m["sender_auth"]["verdict"])
        .collect();
    assert_eq!(verdicts, [&json!("pass"), &json!("none")], "{list}");

    // The console's conversation audit shows them.
    let (b, _) = sign_up(&invitation(&app, "staff", &staff.id).await).await;
    let (status, html) = page(&b, &app, &format!("/console/conversations/{}", c.id)).await;
    assert_eq!(status, 200);
    for shown in [
        "Sender authentication",
        "pass (d=gadgetshop.example)",
        "fail (gadgetshop.example)",
        "pass (p=reject)",
        "none (mail.example)",
    ] {
        assert!(html.contains(shown), "the audit view shows {shown:?}");
    }

    // The seller never sees them: not the buyer's domain, not the results.
    for path in [
        format!("/api/v1/messages/{from_buyer}"),
        format!("/api/v1/conversations/{}/messages", c.id),
    ] {
        let (status, body) = app.get(&path, &c.seller.token).await;
        assert_eq!(status, 200, "{path}: {body}");
        let body = body.to_string();
        for hidden in ["sender_auth", "dkim", "mail.example"] {
            assert!(!body.contains(hidden), "{path} shows {hidden}: {body}");
        }
    }
    let (b, _) = sign_up(&invitation(&app, "sellers", &c.seller.id).await).await;
    let (status, html) = page(&b, &app, &format!("/inbox/{}", c.id)).await;
    assert_eq!(status, 200);
    assert!(html.contains("Great, thank you!"), "the thread is shown");
    for hidden in ["Sender authentication", "DKIM", "mail.example"] {
        assert!(!html.contains(hidden), "the inbox shows {hidden}");
    }
}
