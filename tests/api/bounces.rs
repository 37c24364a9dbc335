//! Bounces over real SMTP: the relay's mail leaves with a signed return
//! path; a bounce sent back to it by a null sender marks the message
//! `bounced`, tells its sender in words that name no one, shows in the
//! API; a tampered return path is refused; repeated hard bounces mark the
//! party until mail to them is delivered again.

use std::sync::Arc;

use marketrelay::outbound::DeliveryOutcome;
use serde_json::{Value, json};

use crate::delivery::{RecordingSmarthost, smarthost};
use crate::helpers::{
    Backend, Options, TestApp, parse_mail, queued_id, smtp_transcript, spawn_app_with,
};

const SELLER_ADDRESS: &str = "owner@gadgetshop.example";

/// The app, delivering through a smarthost that records every mail.
async fn app_with_capture(
    backend: Backend,
) -> (
    TestApp,
    Arc<RecordingSmarthost>,
    tokio_util::sync::CancellationToken,
) {
    app_with_capture_and(backend, &[]).await
}

/// [`app_with_capture`] with these settings too.
async fn app_with_capture_and(
    backend: Backend,
    vars: &[(&str, &str)],
) -> (
    TestApp,
    Arc<RecordingSmarthost>,
    tokio_util::sync::CancellationToken,
) {
    let sink = Arc::new(RecordingSmarthost {
        received: Default::default(),
    });
    let (port, stop) = smarthost(sink.clone()).await;
    let mut options =
        Options::new(backend).var("MARKETRELAY_OUTBOUND", &format!("smtp://127.0.0.1:{port}"));
    for (key, value) in vars {
        options = options.var(key, value);
    }
    (spawn_app_with(options).await, sink, stop)
}

/// The `n`th captured mail: envelope sender, recipients and text.
fn captured(sink: &RecordingSmarthost, n: usize) -> (String, Vec<String>, String) {
    let received = sink.received.lock().unwrap();
    let (envelope, bytes) = &received[n];
    (
        envelope.mail_from.clone(),
        envelope.rcpt_to.clone(),
        String::from_utf8_lossy(bytes).into_owned(),
    )
}

/// A Postfix delivery status notification about `recipient`, as it comes
/// back to `return_path`.
fn postfix_dsn(return_path: &str, action: &str, status: &str, recipient: &str) -> String {
    format!(
        "From: MAILER-DAEMON@mx.gadgetshop.example (Mail Delivery System)\r\n\
         To: {return_path}\r\n\
         Subject: Undelivered Mail Returned to Sender\r\n\
         Date: Wed, 25 Nov 2026 10:05:00 +0000\r\n\
         Auto-Submitted: auto-replied\r\n\
         MIME-Version: 1.0\r\n\
         Content-Type: multipart/report; report-type=delivery-status; boundary=\"BND\"\r\n\
         \r\n\
         --BND\r\n\
         Content-Type: text/plain\r\n\
         \r\n\
         Your message could not be delivered to <{recipient}>.\r\n\
         \r\n\
         --BND\r\n\
         Content-Type: message/delivery-status\r\n\
         \r\n\
         Reporting-MTA: dns; mx.gadgetshop.example\r\n\
         \r\n\
         Final-Recipient: rfc822; {recipient}\r\n\
         Action: {action}\r\n\
         Status: {status}\r\n\
         Diagnostic-Code: smtp; 550 {status} <{recipient}>: Recipient address rejected:\r\n\
         \x20User unknown in local recipient table\r\n\
         \r\n\
         --BND--\r\n"
    )
}

/// Sends `raw` from `from` to `to`; the RCPT reply, or the final one.
async fn send(app: &TestApp, from: &str, to: &str, raw: &str) -> String {
    app.send_mail(from, to, raw).await
}

/// The buyer writes, the mail is delivered; its id and return path.
async fn delivered_message(
    app: &TestApp,
    sink: &RecordingSmarthost,
    c: &crate::helpers::Convo,
    subject: &str,
) -> (String, String) {
    let id = queued_id(
        &app.buyer_writes(c, subject, "Is the blue one in stock?")
            .await,
    );
    assert_eq!(app.deliver_all().await, vec![DeliveryOutcome::Delivered]);
    let n = sink.received.lock().unwrap().len();
    let (return_path, rcpt, _) = captured(sink, n - 1);
    assert_eq!(rcpt, vec![SELLER_ADDRESS.to_string()]);
    (id, return_path)
}

async fn staff_view(app: &TestApp, token: &str, id: &str) -> Value {
    let (status, m) = app.get(&format!("/api/v1/messages/{id}"), token).await;
    assert_eq!(status, 200, "{m}");
    m
}

async fn a_dsn_marks_the_message_bounced_and_tells_the_sender(backend: Backend) {
    let (app, sink, stop) = app_with_capture(backend).await;
    let staff = app.create_staff("Tess", "tess@marketplace.example").await;
    let c = app.conversation().await;
    let (id, return_path) = delivered_message(&app, &sink, &c, "Blue one?").await;
    assert!(
        return_path.starts_with("b+") && return_path.ends_with("@relay.test"),
        "the envelope sender is a return path in the relay domain: {return_path}"
    );
    assert_eq!(staff_view(&app, &staff.token, &id).await["status"], "sent");

    let dsn = postfix_dsn(&return_path, "failed", "5.1.1", SELLER_ADDRESS);
    let reply = send(&app, "", &return_path, &dsn).await;
    assert!(reply.starts_with("250"), "a bounce is accepted: {reply}");

    let m = staff_view(&app, &staff.token, &id).await;
    assert_eq!(m["status"], "bounced", "{m}");
    assert_eq!(m["bounce"]["kind"], "failed", "{m}");
    assert_eq!(m["bounce"]["status"], "5.1.1", "{m}");
    let diagnostic = m["bounce"]["diagnostic"].as_str().unwrap();
    assert!(
        diagnostic.contains("Recipient address rejected"),
        "{diagnostic}"
    );
    assert!(diagnostic.contains("[address]"), "{diagnostic}");
    assert!(!m.to_string().contains(SELLER_ADDRESS), "{m}");
    let event = app
        .audit_event(&id, "message.bounced")
        .await
        .expect("audited");
    assert_eq!(event.details["bounce"], "failed");
    assert!(!event.details.to_string().contains("gadgetshop"));
    // The seller sees their buyer's message as bounced too, without the words.
    let (_, seen) = app
        .get(&format!("/api/v1/messages/{id}"), &c.seller.token)
        .await;
    assert_eq!(seen["status"], "bounced");
    assert!(seen.get("bounce").is_none(), "{seen}");

    // The sender is told, through the relay, by an automatic reply.
    assert_eq!(app.deliver_all().await, vec![DeliveryOutcome::Delivered]);
    let (notice_path, rcpt, text) = captured(&sink, 1);
    assert_eq!(rcpt, vec![c.buyer_email.clone()]);
    let mail = parse_mail(text.as_bytes());
    assert_eq!(
        mail.header_raw("Auto-Submitted").map(str::trim),
        Some("auto-replied")
    );
    let body = mail
        .body_text(0)
        .unwrap()
        .replace("\r\n", " ")
        .replace('\n', " ");
    assert!(
        body.contains("could not be delivered to the seller"),
        "{body}"
    );
    assert!(body.contains("about order 123-1234567-1234567"), "{body}");
    assert!(body.contains("Shopwise has been told"), "{body}");
    assert!(
        !text.contains("gadgetshop") && !text.contains(SELLER_ADDRESS),
        "the notice names the seller's address or host: {text}"
    );

    // A bounce of the notice is kept and answered by nothing: no loop.
    assert_ne!(notice_path, return_path);
    let dsn = postfix_dsn(&notice_path, "failed", "5.1.1", &c.buyer_email);
    let reply = send(&app, "", &notice_path, &dsn).await;
    assert!(reply.starts_with("250"), "{reply}");
    assert_eq!(app.deliver_all().await, vec![]);
    assert_eq!(
        staff_view(&app, &staff.token, &id).await["status"],
        "bounced"
    );
    stop.cancel();
}

/// The reply to `RCPT TO:<to>` after `MAIL FROM:<from>`.
async fn rcpt_reply(app: &TestApp, from: &str, to: &str) -> String {
    let replies = smtp_transcript(
        app.smtp,
        &[
            "EHLO mx.example".to_string(),
            format!("MAIL FROM:<{from}>"),
            format!("RCPT TO:<{to}>"),
            "QUIT".to_string(),
        ],
    )
    .await;
    replies[3].clone()
}

async fn a_forged_or_tampered_return_path_is_refused(backend: Backend) {
    let (app, sink, stop) = app_with_capture(backend).await;
    let c = app.conversation().await;
    let (id, return_path) = delivered_message(&app, &sink, &c, "Blue one?").await;
    let (local, domain) = return_path.split_once('@').unwrap();
    let last = local.chars().last().unwrap();
    let flipped = if last == '0' { '1' } else { '0' };
    let tampered = format!("{}{flipped}@{domain}", &local[..local.len() - 1]);
    let other_entry = format!(
        "b+{}.{}@{domain}",
        uuid::Uuid::new_v4().simple(),
        local.rsplit('.').next().unwrap()
    );
    for forged in [&tampered, &other_entry] {
        let reply = rcpt_reply(&app, "", forged).await;
        assert!(reply.starts_with("550 5.1.1"), "{forged}: {reply}");
    }
    // The genuine one takes the bounce.
    assert!(rcpt_reply(&app, "", &return_path).await.starts_with("250"));
    // A return path takes bounces only: to anyone else it does not exist.
    let reply = rcpt_reply(&app, &c.buyer_email, &return_path).await;
    assert!(reply.starts_with("550 5.1.1"), "{reply}");
    // A null sender still may not write to a conversation's alias.
    let reply = rcpt_reply(&app, "", &c.seller_alias).await;
    assert!(reply.starts_with("550 5.7.1"), "{reply}");
    let staff = app.create_staff("Tess", "tess@marketplace.example").await;
    assert_eq!(staff_view(&app, &staff.token, &id).await["status"], "sent");
    stop.cancel();
}

async fn a_plain_text_bounce_from_mailer_daemon_is_understood(backend: Backend) {
    let (app, sink, stop) = app_with_capture(backend).await;
    let staff = app.create_staff("Tess", "tess@marketplace.example").await;
    let c = app.conversation().await;
    let (id, return_path) = delivered_message(&app, &sink, &c, "Blue one?").await;

    // A delay warning is kept but is not a failure.
    let delayed = postfix_dsn(&return_path, "delayed", "4.4.1", SELLER_ADDRESS);
    let reply = send(&app, "", &return_path, &delayed).await;
    assert!(reply.starts_with("250"), "{reply}");
    let m = staff_view(&app, &staff.token, &id).await;
    assert_eq!(
        (&m["status"], &m["bounce"]["kind"]),
        (&json!("sent"), &json!("delayed"))
    );
    assert_eq!(app.deliver_all().await, vec![], "no notice for a delay");

    let exim = format!(
        "From: Mail Delivery System <Mailer-Daemon@mx.gadgetshop.example>\r\n\
         To: {return_path}\r\n\
         Subject: Mail delivery failed: returning message to sender\r\n\
         \r\n\
         This message was created automatically by mail delivery software.\r\n\
         \r\n\
         A message that you sent could not be delivered to one or more of its\r\n\
         recipients. This is a permanent error. The following address(es) failed:\r\n\
         \r\n\
         \x20 {SELLER_ADDRESS}\r\n\
         \x20   SMTP error from remote mail server after RCPT TO:<{SELLER_ADDRESS}>:\r\n\
         \x20   550 5.2.1 <{SELLER_ADDRESS}>: mailbox disabled\r\n"
    );
    let reply = send(
        &app,
        "MAILER-DAEMON@mx.gadgetshop.example",
        &return_path,
        &exim,
    )
    .await;
    assert!(reply.starts_with("250"), "{reply}");
    let m = staff_view(&app, &staff.token, &id).await;
    assert_eq!(m["status"], "bounced", "{m}");
    assert_eq!(m["bounce"]["status"], "5.2.1", "{m}");
    assert_eq!(
        m["bounce"]["diagnostic"],
        "550 5.2.1 <[address]>: mailbox disabled"
    );
    assert_eq!(app.deliver_all().await, vec![DeliveryOutcome::Delivered]);
    stop.cancel();
}

/// The conversation's `address_bouncing`, as staff see it.
async fn bouncing(app: &TestApp, conversation: &str, token: &str) -> Value {
    let (status, body) = app
        .get(&format!("/api/v1/conversations/{conversation}"), token)
        .await;
    assert_eq!(status, 200, "{body}");
    body["address_bouncing"].clone()
}

async fn repeated_hard_bounces_mark_the_party_until_mail_gets_through(backend: Backend) {
    let (app, sink, stop) = app_with_capture(backend).await;
    let staff = app.create_staff("Tess", "tess@marketplace.example").await;
    let c = app.conversation().await;
    for n in 1..=3 {
        let (_, return_path) = delivered_message(&app, &sink, &c, &format!("try {n}")).await;
        let before = bouncing(&app, &c.id, &staff.token).await;
        assert!(
            before["seller_since"].is_null(),
            "after {} bounces: {before}",
            n - 1
        );
        let dsn = postfix_dsn(&return_path, "failed", "5.1.1", SELLER_ADDRESS);
        assert!(send(&app, "", &return_path, &dsn).await.starts_with("250"));
        // Each bounce tells its sender.
        assert_eq!(app.deliver_all().await, vec![DeliveryOutcome::Delivered]);
    }
    let marked = bouncing(&app, &c.id, &staff.token).await;
    assert!(marked["seller_since"].is_string(), "{marked}");
    assert!(marked["buyer_since"].is_null(), "{marked}");
    let event = app
        .audit_event(&c.seller.id, "party.address_bouncing")
        .await
        .expect("the operator is told");
    assert_eq!(event.details["hard_bounces"], 3);
    // The operator sees it when it opens the conversation again.
    let (status, opened) = app
        .post(
            "/api/v1/conversations",
            crate::helpers::OPERATOR_TOKEN,
            json!({ "seller_id": c.seller.id, "buyer": { "email": c.buyer_email, "name": "Jane Buyer" } }),
        )
        .await;
    assert_eq!(status, 200, "{opened}");
    assert!(
        opened["address_bouncing"]["seller_since"].is_string(),
        "{opened}"
    );
    // The console shows it to staff.
    let (b, _) = crate::web::sign_up(&crate::web::invitation(&app, "staff", &staff.id).await).await;
    let (status, page) =
        crate::web::page(&b, &app, &format!("/console/conversations/{}", c.id)).await;
    assert_eq!(status, 200);
    assert!(page.contains("address bouncing since"), "{page}");

    // Mail delivered to the seller again clears the mark.
    delivered_message(&app, &sink, &c, "try 4").await;
    assert!(bouncing(&app, &c.id, &staff.token).await["seller_since"].is_null());
    assert!(
        app.audit_event(&c.seller.id, "party.address_bouncing_cleared")
            .await
            .is_some()
    );
    stop.cancel();
}

/// A smarthost that refuses the seller's address at `RCPT` (`550 5.1.1`)
/// while `refuse` is set, as real servers do, and records the rest.
struct RefusingTheSeller {
    refuse: std::sync::atomic::AtomicBool,
    recorder: RecordingSmarthost,
}

#[async_trait::async_trait]
impl marketrelay::inbound::MailSink for RefusingTheSeller {
    async fn check_recipient(&self, rcpt: &str) -> marketrelay::inbound::RcptVerdict {
        if self.refuse.load(std::sync::atomic::Ordering::SeqCst) && rcpt == SELLER_ADDRESS {
            return marketrelay::inbound::RcptVerdict::UnknownRecipient;
        }
        marketrelay::inbound::RcptVerdict::Accept
    }

    async fn accept(
        &self,
        envelope: &marketrelay::inbound::Envelope,
        raw: &marketrelay::inbound::RawMail,
    ) -> Result<Vec<String>, marketrelay::inbound::SinkError> {
        marketrelay::inbound::MailSink::accept(&self.recorder, envelope, raw).await
    }
}

async fn a_smarthosts_refusals_count_toward_the_mark_like_dsns(backend: Backend) {
    let sink = Arc::new(RefusingTheSeller {
        refuse: true.into(),
        recorder: RecordingSmarthost {
            received: Default::default(),
        },
    });
    let (port, stop) = smarthost(sink.clone()).await;
    let app = spawn_app_with(
        Options::new(backend).var("MARKETRELAY_OUTBOUND", &format!("smtp://127.0.0.1:{port}")),
    )
    .await;
    let staff = app.create_staff("Tess", "tess@marketplace.example").await;
    let c = app.conversation().await;
    // Two refused at once by the smarthost: each given up, its sender told.
    let mut refused = Vec::new();
    for n in 1..=2 {
        refused.push(queued_id(
            &app.buyer_writes(&c, &format!("try {n}"), "Still there?")
                .await,
        ));
        assert_eq!(
            app.deliver_all().await,
            vec![DeliveryOutcome::GaveUp, DeliveryOutcome::Delivered]
        );
        assert!(bouncing(&app, &c.id, &staff.token).await["seller_since"].is_null());
    }
    let m = staff_view(&app, &staff.token, &refused[0]).await;
    assert_eq!(m["status"], "failed", "{m}");
    assert_eq!(m["bounce"]["kind"], "failed", "{m}");
    assert_eq!(m["bounce"]["status"], "5.1.1", "{m}");
    assert!(!m.to_string().contains(SELLER_ADDRESS), "{m}");
    // A third hard bounce, by DSN this time, makes three: the party is marked.
    sink.refuse
        .store(false, std::sync::atomic::Ordering::SeqCst);
    let (_, return_path) = delivered_message(&app, &sink.recorder, &c, "try 3").await;
    let dsn = postfix_dsn(&return_path, "failed", "5.1.1", SELLER_ADDRESS);
    assert!(send(&app, "", &return_path, &dsn).await.starts_with("250"));
    let marked = bouncing(&app, &c.id, &staff.token).await;
    assert!(marked["seller_since"].is_string(), "{marked}");
    let event = app
        .audit_event(&c.seller.id, "party.address_bouncing")
        .await
        .expect("the operator is told");
    assert_eq!(event.details["hard_bounces"], 3);
    stop.cancel();
}

/// The operator's list of bouncing parties.
async fn bouncing_list(app: &TestApp, after: Option<&str>) -> Value {
    let query = after.map_or(String::new(), |a| format!("?after={a}"));
    let (status, body) = app
        .get(
            &format!("/api/v1/parties/bouncing{query}"),
            crate::helpers::OPERATOR_TOKEN,
        )
        .await;
    assert_eq!(status, 200, "{body}");
    body
}

async fn the_operator_lists_bouncing_parties_and_hears_only_of_new_marks(backend: Backend) {
    let (app, sink, stop) =
        app_with_capture_and(backend, &[("MARKETRELAY_BOUNCES_MARK_AFTER", "1")]).await;
    let empty = bouncing_list(&app, None).await;
    assert_eq!(empty["parties"], json!([]), "{empty}");
    assert!(empty["next"].is_null(), "{empty}");

    let c = app.conversation().await;
    let (_, return_path) = delivered_message(&app, &sink, &c, "Blue one?").await;
    let dsn = postfix_dsn(&return_path, "failed", "5.1.1", SELLER_ADDRESS);
    assert!(send(&app, "", &return_path, &dsn).await.starts_with("250"));
    let listed = bouncing_list(&app, None).await;
    let parties = listed["parties"].as_array().unwrap();
    assert_eq!(parties.len(), 1, "{listed}");
    assert_eq!(parties[0]["party"], "seller");
    assert_eq!(parties[0]["id"], c.seller.id.as_str());
    assert!(parties[0]["since"].is_string(), "{listed}");
    assert!(!listed.to_string().contains(SELLER_ADDRESS), "{listed}");
    // Asked again from where it left off: nothing new, the same cursor.
    let next = listed["next"].as_str().unwrap().to_owned();
    let again = bouncing_list(&app, Some(&next)).await;
    assert_eq!(again["parties"], json!([]), "{again}");
    assert_eq!(again["next"], next.as_str());

    // The buyer's address bounces the notice: only that is new.
    app.deliver_all().await;
    let n = sink.received.lock().unwrap().len();
    let (notice_path, rcpt, _) = captured(&sink, n - 1);
    assert_eq!(rcpt, vec![c.buyer_email.clone()]);
    let dsn = postfix_dsn(&notice_path, "failed", "5.1.1", &c.buyer_email);
    assert!(send(&app, "", &notice_path, &dsn).await.starts_with("250"));
    let newer = bouncing_list(&app, Some(&next)).await;
    let parties = newer["parties"].as_array().unwrap();
    assert_eq!(parties.len(), 1, "{newer}");
    assert_eq!(parties[0]["party"], "buyer", "{newer}");
    assert!(!newer.to_string().contains(&c.buyer_email), "{newer}");
    // Pages of one, in order.
    let (status, first) = app
        .get(
            "/api/v1/parties/bouncing?limit=1",
            crate::helpers::OPERATOR_TOKEN,
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(first["parties"][0]["party"], "seller", "{first}");
    let second = bouncing_list(&app, first["next"].as_str()).await;
    assert_eq!(second["parties"][0]["party"], "buyer", "{second}");

    // The operator's only: staff and sellers are refused; a made-up cursor is a 400.
    let staff = app.create_staff("Tess", "tess@marketplace.example").await;
    for token in [staff.token.as_str(), c.seller.token.as_str()] {
        let (status, _) = app.get("/api/v1/parties/bouncing", token).await;
        assert!(status == 403 || status == 401, "{status}");
    }
    let (status, _) = app
        .get(
            "/api/v1/parties/bouncing?after=yesterday",
            crate::helpers::OPERATOR_TOKEN,
        )
        .await;
    assert_eq!(status, 400);
    stop.cancel();
}

const OLD_KEY: &str = "the link secret before the rotation!";
const NEW_KEY: &str = "the link secret after the rotation!!";

/// A return path as the relay signs it under `key`: with the day (hex days
/// since 1970) when given, or in the form sent before return paths had one.
fn signed_return_path(key: &str, entry: &str, day: Option<&str>) -> String {
    use hmac::Mac;
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(key.as_bytes()).unwrap();
    let signed = match day {
        Some(day) => format!("return-path\n{entry}\n{day}\n0"),
        None => format!("return-path\n{entry}\n0"),
    };
    mac.update(signed.as_bytes());
    let tag = data_encoding::HEXLOWER.encode(&mac.finalize().into_bytes()[..10]);
    match day {
        Some(day) => format!("b+{entry}.{day}.{tag}@relay.test"),
        None => format!("b+{entry}.{tag}@relay.test"),
    }
}

/// The reply to `RCPT TO` an expired return path: permanent, and saying why.
fn assert_expired_at_rcpt(reply: &str) {
    assert!(
        reply.starts_with("550 5.1.1") && reply.contains("expired"),
        "{reply}"
    );
}

async fn return_paths_expire_and_outlive_a_link_secret_rotation(backend: Backend) {
    let (app, sink, stop) = app_with_capture_and(
        backend,
        &[
            ("MARKETRELAY_LINK_SECRET", NEW_KEY),
            ("MARKETRELAY_LINK_SECRET_PREVIOUS", OLD_KEY),
            // Return paths take bounces for the day they were issued and 4 s more.
            ("MARKETRELAY_DELIVERY_RETRY_WINDOW_SECS", "4"),
            ("MARKETRELAY_BOUNCES_RETURN_PATH_GRACE_DAYS", "0"),
        ],
    )
    .await;
    let c = app.conversation().await;
    let (first, return_path) = delivered_message(&app, &sink, &c, "Blue one?").await;
    // b+<entry>.<day>.<tag>: the day it was issued, today.
    let local = return_path.split('@').next().unwrap();
    let parts: Vec<&str> = local.trim_start_matches("b+").split('.').collect();
    assert_eq!(parts.len(), 3, "{return_path}");
    let (entry, day) = (parts[0], parts[1]);
    let today = time::OffsetDateTime::now_utc().unix_timestamp() / 86_400;
    assert_eq!(
        i64::from_str_radix(day, 16).unwrap(),
        today,
        "{return_path}"
    );
    assert_eq!(return_path, signed_return_path(NEW_KEY, entry, Some(day)));

    // Signed under the previous key (mail sent before the rotation): taken.
    let before_rotation = signed_return_path(OLD_KEY, entry, Some(day));
    let dsn = postfix_dsn(&before_rotation, "failed", "5.1.1", SELLER_ADDRESS);
    let reply = send(&app, "", &before_rotation, &dsn).await;
    assert!(reply.starts_with("250"), "{reply}");
    let staff = app.create_staff("Tess", "tess@marketplace.example").await;
    assert_eq!(
        staff_view(&app, &staff.token, &first).await["status"],
        "bounced"
    );
    // Under a key the relay never had: refused.
    let unknown = signed_return_path("a key this relay never had at all", entry, Some(day));
    assert!(rcpt_reply(&app, "", &unknown).await.starts_with("550"));
    // Issued two days ago, past its lifetime: refused like an unknown address.
    let old_day = format!("{:x}", today - 2);
    let expired = signed_return_path(NEW_KEY, entry, Some(&old_day));
    assert_expired_at_rcpt(&rcpt_reply(&app, "", &expired).await);

    // The form sent before return paths had a day: taken while its entry's
    // last attempt is within the lifetime, then refused.
    app.deliver_all().await;
    let (_, second_path) = delivered_message(&app, &sink, &c, "Red one?").await;
    let second = second_path
        .trim_start_matches("b+")
        .split('.')
        .next()
        .unwrap()
        .to_owned();
    let legacy = signed_return_path(OLD_KEY, &second, None);
    assert!(rcpt_reply(&app, "", &legacy).await.starts_with("250"));
    let dsn = postfix_dsn(&legacy, "delayed", "4.4.1", SELLER_ADDRESS);
    let reply = send(&app, "", &legacy, &dsn).await;
    assert!(reply.starts_with("250"), "{reply}");
    tokio::time::sleep(std::time::Duration::from_secs(5)).await;
    // Refused at RCPT, before any DATA is sent, as a dated one is.
    assert_expired_at_rcpt(&rcpt_reply(&app, "", &legacy).await);
    // Written to by anyone but a mail system, it is no address at all.
    let reply = rcpt_reply(&app, "buyer@example.org", &legacy).await;
    assert!(reply.starts_with("550 5.1.1 no such recipient"), "{reply}");
    stop.cancel();
}

crate::on_both_backends!(
    a_dsn_marks_the_message_bounced_and_tells_the_sender,
    a_forged_or_tampered_return_path_is_refused,
    a_plain_text_bounce_from_mailer_daemon_is_understood,
    repeated_hard_bounces_mark_the_party_until_mail_gets_through,
    a_smarthosts_refusals_count_toward_the_mark_like_dsns,
    the_operator_lists_bouncing_parties_and_hears_only_of_new_marks,
    return_paths_expire_and_outlive_a_link_secret_rotation,
);
