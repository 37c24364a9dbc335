//! Files in seller replies (web form and API) under the attachment limits
//! and the policy, replies recorded as from the web, and the console's
//! search and access log paging in the database.

use marketrelay::domain::{ConversationId, Direction, MessageSource, MessageStatus, StoredMessage};
use reqwest::{
    Client, Response,
    multipart::{Form, Part},
};
use serde_json::json;

use crate::{
    helpers::{Backend, Convo, Options, TestApp, parse_mail, spawn_app, spawn_app_with},
    web::{csrf, invitation, location, page, sign_up},
};
use mail_parser::MimeHeaders;

crate::on_both_backends!(
    a_web_reply_with_files_is_delivered_with_text_filtered_and_images_intact,
    files_over_the_limits_or_of_other_kinds_are_refused_and_the_draft_kept,
    files_past_the_json_body_limit_go_through_the_form_up_to_the_total,
    a_phone_number_in_a_file_name_is_removed,
    payment_talk_in_a_text_file_holds_the_reply,
    api_replies_carry_base64_files_under_the_same_limits,
    console_search_runs_in_the_database_with_literal_wildcards,
    access_log_pages_newest_first,
);

/// The first bytes of a PNG, then some bytes no text filter may touch.
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01+44 20 7946 0958\xff\x00\x10";

/// A seller signed in to the web inbox, on one conversation's thread.
struct Thread<'a> {
    b: Client,
    app: &'a TestApp,
    c: &'a Convo,
    token: String,
}

impl<'a> Thread<'a> {
    async fn open(app: &'a TestApp, c: &'a Convo) -> Self {
        let url = invitation(app, "sellers", &c.seller.id).await;
        let (b, _) = sign_up(&url).await;
        let (status, thread) = page(&b, app, &format!("/inbox/{}", c.id)).await;
        assert_eq!(status, 200);
        assert!(
            thread.contains("enctype=\"multipart/form-data\"") && thread.contains("type=\"file\""),
            "{thread}"
        );
        let token = csrf(&thread);
        Self { b, app, c, token }
    }

    /// Posts the reply form (`action` is `reply` or `preview`) as a browser does.
    async fn post(&self, action: &str, token: &str, body: &str, files: Vec<Part>) -> Response {
        let mut form = Form::new()
            .text("csrf_token", token.to_owned())
            .text("body", body.to_owned());
        for part in files {
            form = form.part("attachments", part);
        }
        self.b
            .post(self.app.url(&format!("/inbox/{}/{action}", self.c.id)))
            .multipart(form)
            .send()
            .await
            .unwrap()
    }

    async fn reply(&self, body: &str, files: Vec<Part>) -> Response {
        self.post("reply", &self.token, body, files).await
    }

    /// Sends a reply that must be accepted, and returns the notice it gets.
    async fn send(&self, body: &str, files: Vec<Part>) -> String {
        let r = self.reply(body, files).await;
        let to = location(&r);
        let prefix = format!("/inbox/{}?notice=", self.c.id);
        to.strip_prefix(&prefix).unwrap_or(&to).to_owned()
    }

    async fn page(&self) -> String {
        page(&self.b, self.app, &format!("/inbox/{}", self.c.id))
            .await
            .1
    }

    async fn sent(&self) -> Vec<StoredMessage> {
        seller_sent(self.app, self.c).await
    }
}

/// The seller's messages in the conversation, oldest first.
async fn seller_sent(app: &TestApp, c: &Convo) -> Vec<StoredMessage> {
    let id: ConversationId = c.id.parse().unwrap();
    app.store
        .messages()
        .list_messages(id)
        .await
        .unwrap()
        .into_iter()
        .filter(|m| m.direction == Direction::SellerToBuyer)
        .collect()
}

fn file(name: &str, data: &[u8], claimed: &str) -> Part {
    Part::bytes(data.to_vec())
        .file_name(name.to_owned())
        .mime_str(claimed)
        .expect("content type")
}

async fn a_web_reply_with_files_is_delivered_with_text_filtered_and_images_intact(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    let c = app.conversation().await;
    let t = Thread::open(&app, &c).await;
    assert_eq!(
        t.send(
            "Photos and the manual attached.",
            vec![
                // The browser's claim is wrong on purpose: the bytes decide.
                file("bike.png", PNG, "application/octet-stream"),
                file(
                    "manual.txt",
                    b"Questions? Ring +44 20 7946 0958 any time.\n",
                    "text/plain",
                ),
            ]
        )
        .await,
        "queued"
    );

    let sent = t.sent().await;
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].source, MessageSource::Web);
    assert_eq!(sent[0].status, MessageStatus::Queued);
    assert!(sent[0].has_raw, "files are kept as MIME");
    let fetched = app.store.messages().get_message(sent[0].id).await.unwrap();
    assert_eq!(fetched.source, MessageSource::Web, "read back as web");

    app.deliver_all().await;
    let mails = app.delivered();
    assert_eq!(mails.len(), 1);
    let mail = parse_mail(&mails[0]);
    assert_eq!(
        mail.to().and_then(|a| a.first()).and_then(|a| a.address()),
        Some(c.buyer_email.as_str())
    );
    assert!(
        mail.body_text(0)
            .is_some_and(|t| t.contains("Photos and the manual")),
        "{:?}",
        mail.body_text(0)
    );
    let files: Vec<(String, Vec<u8>)> = mail
        .attachments()
        .map(|a| {
            (
                a.attachment_name().unwrap_or_default().to_owned(),
                a.contents().to_vec(),
            )
        })
        .collect();
    assert_eq!(files.len(), 2, "{files:?}");
    assert_eq!(files[0].0, "bike.png");
    assert_eq!(files[0].1, PNG, "image bytes pass untouched");
    let png_type = mail.attachment(0).and_then(|a| a.content_type()).unwrap();
    assert_eq!(
        (png_type.ctype(), png_type.subtype()),
        ("image", Some("png"))
    );
    assert_eq!(files[1].0, "manual.txt");
    let text = String::from_utf8_lossy(&files[1].1);
    assert!(text.contains("[phone removed]"), "{text}");
    assert!(!text.contains("7946"), "{text}");
    // Nothing of the seller's real address reaches the buyer.
    assert!(!String::from_utf8_lossy(&mails[0]).contains("owner@gadgetshop.example"));

    // The thread lists the files by name with sizes.
    let thread = t.page().await;
    assert!(thread.contains("class=\"attachments\""), "{thread}");
    assert!(thread.contains("bike.png") && thread.contains("manual.txt"));
    assert!(
        thread.contains(&format!("({} bytes)", PNG.len())),
        "{thread}"
    );
}

async fn files_over_the_limits_or_of_other_kinds_are_refused_and_the_draft_kept(backend: Backend) {
    let app = spawn_app_with(
        Options::new(backend)
            .var("MARKETRELAY_ATTACHMENTS_MAX_FILES", "2")
            .var("MARKETRELAY_ATTACHMENTS_MAX_FILE_BYTES", "2000")
            .var("MARKETRELAY_ATTACHMENTS_MAX_TOTAL_BYTES", "3000"),
    )
    .await;
    let c = app.conversation().await;
    let t = Thread::open(&app, &c).await;
    let draft = "Here are <the> files you asked for";
    let cases: Vec<(Vec<Part>, &str)> = vec![
        (
            vec![
                file("a.txt", b"one", "text/plain"),
                file("b.txt", b"two", "text/plain"),
                file("c.txt", b"three", "text/plain"),
            ],
            "Attach at most 2 files to one reply.",
        ),
        (
            vec![file("big.txt", &[b'a'; 2001], "text/plain")],
            "big.txt is larger than 2 KB allowed per file.",
        ),
        (
            vec![
                file("one.txt", &[b'a'; 1800], "text/plain"),
                file("two.txt", &[b'b'; 1800], "text/plain"),
            ],
            "The files together are larger than the 3 KB allowed per reply.",
        ),
        (
            vec![file(
                "setup.png",
                b"MZ\x90\x00\x03\x00\x00\x00",
                "image/png",
            )],
            "setup.png cannot be attached: only PNG, JPEG, GIF, WebP, PDF, plain text are accepted.",
        ),
    ];
    for (files, error) in cases {
        let r = t.reply(draft, files).await;
        assert_eq!(r.status().as_u16(), 422, "{error}");
        let html = r.text().await.unwrap();
        assert!(html.contains(error), "{error}: {html}");
        assert!(
            html.contains("Here are &#60;the&#62; files you asked for")
                || html.contains("Here are &lt;the&gt; files you asked for"),
            "the draft is kept: {html}"
        );
    }
    // A file far past the limit is read and dropped, and answered the same way.
    let r = t
        .reply(
            draft,
            vec![file("huge.txt", &vec![b'x'; 5000], "text/plain")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 422);
    assert!(r.text().await.unwrap().contains("huge.txt is larger"));
    assert!(t.sent().await.is_empty(), "nothing sent");

    // Preview checks the files too, without sending.
    let r = t
        .post(
            "preview",
            &t.token,
            draft,
            vec![file("setup.png", b"MZ\x90\x00", "image/png")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 200);
    let html = r.text().await.unwrap();
    assert!(html.contains("setup.png cannot be attached"), "{html}");
    assert!(html.contains("Nothing would be changed"), "{html}");

    // A form without the session's token is refused, files or not.
    let r = t
        .post(
            "reply",
            "not-the-token",
            draft,
            vec![file("a.txt", b"hi", "text/plain")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 403);
    assert!(t.sent().await.is_empty());

    // An upload that breaks off sends nothing, rather than the text alone.
    let cut = format!(
        "--XyZ\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{}\r\n\
         --XyZ\r\nContent-Disposition: form-data; name=\"body\"\r\n\r\nCut off here\r\n\
         --XyZ\r\nContent-Disposition: form-data; name=\"attachments\"; filename=\"a.txt\"\r\n\r\npart",
        t.token
    );
    let r =
        t.b.post(app.url(&format!("/inbox/{}/reply", c.id)))
            .header("content-type", "multipart/form-data; boundary=XyZ")
            .body(cut)
            .send()
            .await
            .unwrap();
    assert_eq!(r.status().as_u16(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("did not arrive completely"), "{html}");
    assert!(html.contains("Cut off here"), "{html}");
    assert!(t.sent().await.is_empty());

    // An empty file input sends one nameless empty part: a plain reply.
    assert_eq!(
        t.send(draft, vec![file("", b"", "application/octet-stream")])
            .await,
        "queued"
    );
    let sent = t.sent().await;
    assert_eq!(sent.len(), 1);
    assert!(!sent[0].has_raw, "no files, no MIME");
}

async fn files_past_the_json_body_limit_go_through_the_form_up_to_the_total(backend: Backend) {
    let app = spawn_app(backend).await;
    let c = app.conversation().await;
    let t = Thread::open(&app, &c).await;
    // 3 MiB: three times the JSON body limit, well within the 10 MiB for files.
    let mut big = PNG.to_vec();
    big.resize(3 * 1024 * 1024, 0x5a);
    assert_eq!(
        t.send("A big photo.", vec![file("big.png", &big, "image/png")])
            .await,
        "queued"
    );
    app.deliver_all().await;
    let mails = app.delivered();
    let mail = parse_mail(&mails[0]);
    let delivered = mail.attachments().next().expect("the photo");
    assert!(delivered.contents() == big.as_slice(), "bytes intact");

    // Past the 10 MiB total the form comes back with the draft.
    let mut huge = PNG.to_vec();
    huge.resize(11 * 1024 * 1024, 0x5a);
    let r = t
        .reply(
            "An even bigger photo.",
            vec![file("huge.png", &huge, "image/png")],
        )
        .await;
    assert_eq!(r.status().as_u16(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("huge.png is larger than 10 MB"), "{html}");
    assert!(html.contains("An even bigger photo."));
    assert_eq!(t.sent().await.len(), 1);
}

async fn a_phone_number_in_a_file_name_is_removed(backend: Backend) {
    let app = spawn_app(backend).await;
    let c = app.conversation().await;
    let t = Thread::open(&app, &c).await;
    assert_eq!(
        t.send(
            "The invoice.",
            vec![file(
                "our-phone-+44 20 7946 0958.pdf",
                b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n",
                "application/pdf",
            )]
        )
        .await,
        "queued"
    );
    let sent = t.sent().await;
    assert!(
        sent[0]
            .findings
            .iter()
            .any(|f| f.field == marketrelay::domain::FindingField::AttachmentName),
        "{:?}",
        sent[0].findings
    );
    app.deliver_all().await;
    let mails = app.delivered();
    let mail = parse_mail(&mails[0]);
    let name = mail
        .attachments()
        .next()
        .and_then(|a| a.attachment_name().map(str::to_owned))
        .expect("one attachment");
    assert!(!name.contains("7946"), "{name}");
    assert!(
        name.starts_with("our-phone-") && name.ends_with(".pdf"),
        "{name}"
    );
    let thread = t.page().await;
    assert!(!thread.contains("7946 0958"), "{thread}");
}

async fn payment_talk_in_a_text_file_holds_the_reply(backend: Backend) {
    let app = spawn_app(backend).await;
    let c = app.conversation().await;
    let t = Thread::open(&app, &c).await;
    let terms = || {
        vec![file(
            "terms.txt",
            b"Cancel the order and pay me via PayPal friends and family instead.",
            "text/plain",
        )]
    };
    // The preview already says so, and sends nothing.
    let r = t
        .post("preview", &t.token, "Terms attached.", terms())
        .await;
    let html = r.text().await.unwrap();
    assert!(html.contains("would be held for review"), "{html}");
    assert!(t.sent().await.is_empty());
    assert_eq!(t.send("Terms attached.", terms()).await, "held");
    let sent = t.sent().await;
    assert_eq!(sent[0].status, MessageStatus::Held);
    app.deliver_all().await;
    assert!(app.delivered().is_empty(), "held mail is not delivered");
}

async fn api_replies_carry_base64_files_under_the_same_limits(backend: Backend) {
    let app = spawn_app(backend).await;
    let c = app.conversation().await;
    let path = format!("/api/v1/conversations/{}/messages", c.id);
    let b64 = |data: &[u8]| data_encoding::BASE64.encode(data);
    let (status, body) = app
        .post(
            &path,
            &c.seller.token,
            json!({
                "body": "Picture attached.",
                "attachments": [
                    { "filename": "bike.png", "content_type": "image/png", "content_base64": b64(PNG) },
                    { "filename": "note.txt", "content_type": "text/plain", "content_base64": b64(b"Our depot: +44 20 7946 0958") },
                ],
            }),
        )
        .await;
    assert_eq!(status, 202, "{body}");
    let sent = seller_sent(&app, &c).await;
    assert_eq!(sent[0].source, MessageSource::Api);
    app.deliver_all().await;
    let mails = app.delivered();
    let mail = parse_mail(&mails[0]);
    let files: Vec<Vec<u8>> = mail.attachments().map(|a| a.contents().to_vec()).collect();
    assert_eq!(files[0], PNG);
    let note = String::from_utf8_lossy(&files[1]);
    assert!(
        note.contains("[phone removed]") && !note.contains("7946"),
        "{note}"
    );

    for (attachments, code) in [
        (
            json!([{ "filename": "x.png", "content_type": "image/png", "content_base64": "not base64!" }]),
            "invalid_attachment",
        ),
        (
            json!([{ "filename": "x.exe", "content_type": "image/png", "content_base64": b64(b"MZ\x90\x00") }]),
            "attachment_type_not_allowed",
        ),
        (
            json!([{ "filename": "a\nb.txt", "content_base64": b64(b"hi") }]),
            "invalid_attachment",
        ),
        (
            json!(
                (0..6)
                    .map(
                        |i| json!({ "filename": format!("{i}.txt"), "content_base64": b64(b"hi") })
                    )
                    .collect::<Vec<_>>()
            ),
            "too_many_attachments",
        ),
    ] {
        let (status, body) = app
            .post(
                &path,
                &c.seller.token,
                json!({ "body": "Files.", "attachments": attachments }),
            )
            .await;
        assert_eq!(status, 400, "{body}");
        assert_eq!(body["error"]["code"], code, "{body}");
        assert!(body["error"]["message"].as_str().is_some(), "{body}");
    }
    let (status, body) = app
        .post(
            &path,
            &c.seller.token,
            json!({ "body": "Files.", "attachments": [{ "filename": "a.txt", "data": "aGk=" }] }),
        )
        .await;
    assert!(status == 400 || status == 422, "{status} {body}");
    assert!(body["error"]["code"].as_str().is_some(), "{body}");
    // Past the 10 MiB for files: refused after decoding, in the error shape.
    let mut huge = PNG.to_vec();
    huge.resize(11 * 1024 * 1024, 0x5a);
    let (status, body) = app
        .post(
            &path,
            &c.seller.token,
            json!({ "body": "Huge.", "attachments": [{ "filename": "huge.png", "content_base64": b64(&huge) }] }),
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (400, Some("attachment_too_large")),
        "{body}"
    );
    assert_eq!(
        seller_sent(&app, &c).await.len(),
        1,
        "refused replies are not stored"
    );
    // Files well past the service-wide 1 MiB JSON limit go through: the
    // reply route reads larger bodies, for signed-in sellers only.
    let mut photo = PNG.to_vec();
    photo.resize(3 * 1024 * 1024, 0x5a);
    let (status, body) = app
        .post(
            &path,
            &c.seller.token,
            json!({ "body": "A big photo.", "attachments": [{ "filename": "photo.png", "content_base64": b64(&photo) }] }),
        )
        .await;
    assert_eq!(status, 202, "{body}");
    app.deliver_all().await;
    let delivered = app
        .delivered()
        .iter()
        .map(|raw| parse_mail(raw))
        .find_map(|mail| {
            mail.attachments()
                .find(|a| a.attachment_name() == Some("photo.png"))
                .map(|a| a.contents().to_vec())
        })
        .expect("the photo was delivered");
    assert!(delivered == photo, "bytes intact");
    // Other API routes keep the service-wide limit.
    let (status, body) = app
        .post(
            "/api/v1/policy/evaluate",
            &c.seller.token,
            json!({ "text": "x".repeat(2 * 1024 * 1024), "direction": "seller_to_buyer" }),
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (413, Some("payload_too_large")),
        "{body}"
    );
}

/// A staff member signed in to the console.
async fn staff_browser(app: &TestApp) -> Client {
    let staff = app.create_staff("Tess", "tess@marketplace.example").await;
    let url = invitation(app, "staff", &staff.id).await;
    let (b, home) = sign_up(&url).await;
    assert_eq!(home, "/console");
    b
}

async fn console_search_runs_in_the_database_with_literal_wildcards(backend: Backend) {
    let app = spawn_app(backend).await;
    let jane = app.conversation().await;
    let other_seller = app
        .create_seller("Zeppelin Parts", "sales@zeppelin.example")
        .await;
    let bob = app
        .conversation_with(&other_seller, "bob_50%@mail.example", "Bob Buyer")
        .await;
    let (status, body) = app
        .post(
            &format!("/api/v1/conversations/{}/messages", bob.id),
            &other_seller.token,
            json!({ "body": "The propeller ships on Friday." }),
        )
        .await;
    assert_eq!(status, 202, "{body}");
    let b = staff_browser(&app).await;
    let search = |q: &str| {
        let q = url::form_urlencoded::byte_serialize(q.as_bytes()).collect::<String>();
        format!("/console/conversations?q={q}")
    };
    for (q, finds_jane, finds_bob) in [
        ("jane.buyer@MAIL.example", true, false),
        ("123-1234567", true, true),
        ("zeppelin parts", false, true),
        ("PROPELLER ships", false, true),
        ("bob_50%", false, true),
        // Wildcards are literal: no address has "b_b" or "5%@" with other characters in between.
        ("jane%buyer", false, false),
        ("b_b", false, false),
        ("", true, true),
    ] {
        let (status, html) = page(&b, &app, &search(q)).await;
        assert_eq!(status, 200);
        assert_eq!(
            (html.contains(&jane.id), html.contains(&bob.id)),
            (finds_jane, finds_bob),
            "search {q:?}"
        );
    }
    let (_, html) = page(&b, &app, &search(&jane.seller.id)).await;
    assert!(html.contains(&jane.id) && !html.contains(&bob.id));
    let (status, html) = page(&b, &app, "/console/conversations?q=&page=2").await;
    assert_eq!(status, 200);
    assert!(html.contains("No conversation matches."), "{html}");
    assert!(html.contains("rel=\"prev\""), "{html}");
    let (status, _) = page(&b, &app, "/console/conversations?page=nonsense").await;
    assert_eq!(status, 200);
}

async fn access_log_pages_newest_first(backend: Backend) {
    let app = spawn_app(backend).await;
    let c = app.conversation().await;
    for i in 0..3 {
        let (status, body) = app
            .post(
                &format!("/api/v1/conversations/{}/messages", c.id),
                &c.seller.token,
                json!({ "body": format!("Update {i}") }),
            )
            .await;
        assert_eq!(status, 202, "{body}");
    }
    let b = staff_browser(&app).await;
    // Each view of the conversation reads three messages: 20 views, 60 reads.
    for _ in 0..20 {
        let (status, _) = page(&b, &app, &format!("/console/conversations/{}", c.id)).await;
        assert_eq!(status, 200);
    }
    let rows = |html: &str| html.matches("<tr><td><time").count();
    let (status, first) = page(&b, &app, "/console/access-log").await;
    assert_eq!(status, 200);
    assert_eq!(rows(&first), 50);
    assert!(
        first.contains("href=\"/console/access-log?page=2\""),
        "{first}"
    );
    assert!(!first.contains("rel=\"prev\""));
    let (_, second) = page(&b, &app, "/console/access-log?page=2").await;
    assert_eq!(rows(&second), 10);
    assert!(second.contains("href=\"/console/access-log?page=1\""));
    assert!(!second.contains("rel=\"next\""));
    let newest = app.store.moderation().staff_reads_page(1, 0).await.unwrap();
    let oldest = app
        .store
        .moderation()
        .staff_reads_page(1, 59)
        .await
        .unwrap();
    assert!(newest[0].id > oldest[0].id);
    assert!(first.contains(&newest[0].subject_id));
}
