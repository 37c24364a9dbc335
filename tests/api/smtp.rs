//! Mail in over real SMTP sessions, out through the file transport.

use std::time::Duration;

use mail_parser::MimeHeaders;
use tokio::io::AsyncWriteExt;

use crate::helpers::{
    Backend, Options, buyer_mail, parse_mail, smtp_transcript, spawn_app, spawn_app_with,
};

crate::on_both_backends!(
    buyer_mail_with_a_phone_number_reaches_the_seller_redacted_and_masked,
    seller_answers_by_email_and_the_reply_threads_in_the_buyers_client,
    unknown_aliases_and_other_domains_get_550_5_1_1,
    only_the_counterparts_real_address_may_write_to_an_alias,
    a_client_that_disconnects_mid_data_leaves_nothing_behind,
);

async fn buyer_mail_with_a_phone_number_reaches_the_seller_redacted_and_masked(backend: Backend) {
    let app = spawn_app(backend).await;
    let c = app.conversation().await;
    let raw = buyer_mail(
        &c.buyer_email,
        &c.seller_alias,
        "Question about order 123-1234567-1234567",
        "Hi! Is it still available? Call me on +49 170 1234567 or mail jane.buyer@mail.example.\r\nThanks, Jane",
    );
    let reply = app.send_mail(&c.buyer_email, &c.seller_alias, &raw).await;
    assert!(reply.starts_with("250 2.0.0 queued as "), "{reply}");
    let message_id = reply
        .trim_start_matches("250 2.0.0 queued as ")
        .trim()
        .to_string();

    // Stored before the 250, and visible to the seller already redacted.
    let (status, list) = app
        .get(
            &format!("/api/v1/conversations/{}/messages", c.id),
            &c.seller.token,
        )
        .await;
    assert_eq!(status, 200);
    let m = &list["messages"][0];
    assert_eq!(m["id"], message_id.as_str());
    assert_eq!(m["direction"], "buyer_to_seller");
    assert_eq!(m["action"], "redact");
    assert_eq!(m["status"], "queued");
    let body = m["body"].as_str().unwrap();
    assert!(body.contains("[phone removed]"), "{body}");
    assert!(
        !body.contains("170 1234567") && !body.contains("jane.buyer@"),
        "{body}"
    );

    assert_eq!(app.deliver_all().await.len(), 1);
    let delivered = app.delivered();
    assert_eq!(delivered.len(), 1);
    let bytes = &delivered[0];
    let text = String::from_utf8_lossy(bytes);
    assert!(
        !text.to_lowercase().contains("jane.buyer@mail.example"),
        "real address leaked:\n{text}"
    );
    assert!(
        !text.contains("mail.example>"),
        "original Message-ID leaked:\n{text}"
    );
    assert!(!text.contains("1234567 or"), "phone leaked:\n{text}");

    let mail = parse_mail(bytes);
    let from = mail.from().unwrap().first().unwrap();
    assert_eq!(from.address().unwrap(), c.buyer_alias);
    assert_eq!(from.name().unwrap(), "Jane Buyer via Shopwise");
    assert_eq!(
        mail.reply_to().unwrap().first().unwrap().address().unwrap(),
        c.buyer_alias
    );
    assert_eq!(
        mail.to().unwrap().first().unwrap().address().unwrap(),
        "owner@gadgetshop.example"
    );
    assert!(mail.message_id().unwrap().ends_with("@relay.test"));
    assert_eq!(
        mail.subject().unwrap(),
        "Question about order 123-1234567-1234567"
    );
    let body = mail.body_text(0).unwrap();
    assert!(
        body.contains("[phone removed]") && body.contains("Shopwise removed contact details"),
        "{body}"
    );

    let (_, list) = app
        .get(
            &format!("/api/v1/conversations/{}/messages", c.id),
            &c.seller.token,
        )
        .await;
    assert_eq!(list["messages"][0]["status"], "sent");
}

async fn seller_answers_by_email_and_the_reply_threads_in_the_buyers_client(backend: Backend) {
    let app = spawn_app(backend).await;
    let c = app.conversation().await;
    let first = "From: Jane <jane.buyer@mail.example>\r\nTo: <ALIAS>\r\nSubject: Size?\r\nMessage-ID: <buyer-1@mail.example>\r\n\r\nWhich size is it?\r\n"
        .replace("ALIAS", &c.seller_alias);
    assert!(
        app.send_mail(&c.buyer_email, &c.seller_alias, &first)
            .await
            .starts_with("250")
    );
    app.deliver_all().await;
    let to_seller = parse_mail(&app.delivered()[0])
        .message_id()
        .unwrap()
        .to_string();

    // The seller's mail client answers the relayed copy.
    let answer = format!(
        "From: Gadget Shop <owner@gadgetshop.example>\r\nTo: <{alias}>\r\nSubject: Re: Size?\r\nMessage-ID: <seller-1@gadgetshop.example>\r\nIn-Reply-To: <{to_seller}>\r\nReferences: <{to_seller}>\r\n\r\nIt is size M.\r\n\r\nOn Monday Jane via Shopwise <{alias_b}> wrote:\r\n> Which size is it?\r\n",
        alias = c.buyer_alias,
        alias_b = c.buyer_alias,
    );
    let reply = app
        .send_mail("owner@gadgetshop.example", &c.buyer_alias, &answer)
        .await;
    assert!(reply.starts_with("250 2.0.0 queued as"), "{reply}");
    app.deliver_all().await;
    let delivered = app.delivered();
    assert_eq!(delivered.len(), 2);
    let to_buyer = delivered
        .iter()
        .map(|b| parse_mail(b))
        .find(|m| m.to().unwrap().first().unwrap().address() == Some("jane.buyer@mail.example"))
        .expect("mail to buyer");
    assert_eq!(
        to_buyer.from().unwrap().first().unwrap().address().unwrap(),
        c.seller_alias
    );
    // The buyer's client threads on its own original Message-ID.
    assert_eq!(
        to_buyer.in_reply_to().as_text(),
        Some("buyer-1@mail.example")
    );
    assert!(!to_buyer.message_id().unwrap().contains("gadgetshop"));
    let text = to_buyer.body_text(0).unwrap();
    assert!(text.contains("It is size M."), "{text}");
    // Nothing of the seller's real address in what the buyer got.
    let buyer_copy = delivered
        .iter()
        .find(|b| String::from_utf8_lossy(b).contains("It is size M"))
        .unwrap();
    assert!(
        !String::from_utf8_lossy(buyer_copy).contains("gadgetshop.example"),
        "{}",
        String::from_utf8_lossy(buyer_copy)
    );
}

async fn unknown_aliases_and_other_domains_get_550_5_1_1(backend: Backend) {
    let app = spawn_app(backend).await;
    let c = app.conversation().await;
    let replies = smtp_transcript(
        app.smtp,
        &[
            "EHLO client.example".into(),
            format!("MAIL FROM:<{}>", c.buyer_email),
            "RCPT TO:<abcdefghijklmnop@relay.test>".into(),
            "RCPT TO:<nobody@relay.test>".into(),
            "RCPT TO:<someone@gmail.com>".into(),
            format!(
                "RCPT TO:<{}>",
                c.seller_alias.replace("relay.test", "other.test")
            ),
            "QUIT".into(),
        ],
    )
    .await;
    for reply in &replies[3..7] {
        assert!(reply.starts_with("550 5.1.1"), "{replies:?}");
    }
}

async fn only_the_counterparts_real_address_may_write_to_an_alias(backend: Backend) {
    let app = spawn_app(backend).await;
    let c = app.conversation().await;
    for (from, to) in [
        ("stranger@mail.example", c.seller_alias.as_str()),
        // The seller writing to its own alias, the buyer to the buyer alias.
        ("owner@gadgetshop.example", c.seller_alias.as_str()),
        (c.buyer_email.as_str(), c.buyer_alias.as_str()),
    ] {
        // Refused after DATA (a null sender already at RCPT): who may
        // write is decided with the sender's authentication.
        let raw = buyer_mail(from, to, "hello", "it is me");
        let reply = app.send_mail(from, to, &raw).await;
        assert!(reply.starts_with("550 5.7.1"), "{from} -> {to}: {reply}");
    }
    // A null sender (a bounce) is nobody: refused at RCPT already.
    let replies = smtp_transcript(
        app.smtp,
        &[
            "HELO x".into(),
            "MAIL FROM:<>".into(),
            format!("RCPT TO:<{}>", c.seller_alias),
            "QUIT".into(),
        ],
    )
    .await;
    assert!(replies[3].starts_with("550 5.7.1"), "{replies:?}");
    let (_, list) = app
        .get(
            &format!("/api/v1/conversations/{}/messages", c.id),
            &c.seller.token,
        )
        .await;
    assert_eq!(list["messages"].as_array().unwrap().len(), 0);
}

async fn a_client_that_disconnects_mid_data_leaves_nothing_behind(backend: Backend) {
    let app = spawn_app(backend).await;
    let c = app.conversation().await;
    {
        let mut stream = tokio::net::TcpStream::connect(app.smtp).await.unwrap();
        let script = format!(
            "EHLO x\r\nMAIL FROM:<{}>\r\nRCPT TO:<{}>\r\nDATA\r\n",
            c.buyer_email, c.seller_alias
        );
        stream.write_all(script.as_bytes()).await.unwrap();
        tokio::time::sleep(Duration::from_millis(300)).await;
        stream
            .write_all(b"Subject: half\r\n\r\nthis message never ends")
            .await
            .unwrap();
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let (_, list) = app
        .get(
            &format!("/api/v1/conversations/{}/messages", c.id),
            &c.seller.token,
        )
        .await;
    assert_eq!(list["messages"].as_array().unwrap().len(), 0);
    assert!(app.deliver_all().await.is_empty());
    assert!(app.delivered().is_empty());
}

#[tokio::test]
async fn oversized_mail_gets_552_and_is_not_stored() {
    let app = spawn_app_with(
        Options::new(Backend::Sqlite).var("MARKETRELAY_SMTP_MAX_MESSAGE_SIZE", "4096"),
    )
    .await;
    let c = app.conversation().await;
    let big = buyer_mail(
        &c.buyer_email,
        &c.seller_alias,
        "big",
        &"x".repeat(70)
            .repeat(100)
            .chars()
            .collect::<Vec<_>>()
            .chunks(70)
            .map(|l| l.iter().collect::<String>())
            .collect::<Vec<_>>()
            .join("\r\n"),
    );
    let reply = app.send_mail(&c.buyer_email, &c.seller_alias, &big).await;
    assert!(reply.starts_with("552"), "{reply}");
    let declared = smtp_transcript(
        app.smtp,
        &[
            "EHLO x".into(),
            format!("MAIL FROM:<{}> SIZE=999999", c.buyer_email),
            "QUIT".into(),
        ],
    )
    .await;
    assert!(declared[1].contains("SIZE 4096"), "{declared:?}");
    assert!(declared[2].starts_with("552"), "{declared:?}");
    let (_, list) = app
        .get(
            &format!("/api/v1/conversations/{}/messages", c.id),
            &c.seller.token,
        )
        .await;
    assert_eq!(list["messages"].as_array().unwrap().len(), 0);
}

#[tokio::test]
async fn malformed_and_legacy_charset_mail_is_stored_raw_and_relayed_best_effort() {
    let app = spawn_app(Backend::Sqlite).await;
    let c = app.conversation().await;
    let staff = app.create_staff("Tess", "tess@marketplace.example").await;
    // KOI8-R body, a broken multipart boundary and a bare LF thrown in.
    let mut raw: Vec<u8> = format!(
        "From: <{}>\r\nTo: <{}>\r\nSubject: =?koi8-r?B?98/Q0s/T?=\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"never-closed\"\r\n\r\n--never-closed\r\nContent-Type: text/plain; charset=koi8-r\r\nContent-Transfer-Encoding: 8bit\r\n\r\n",
        c.buyer_email, c.seller_alias
    )
    .into_bytes();
    raw.extend_from_slice(&[0xf0, 0xd2, 0xc9, 0xd7, 0xc5, 0xd4]); // "Привет" in KOI8-R
    raw.extend_from_slice(b"\nbroken line\r\n--never-clo");
    let text = String::from_utf8_lossy(&raw).to_string();
    // Send the exact bytes.
    let mut stream = tokio::net::TcpStream::connect(app.smtp).await.unwrap();
    let mut session = format!(
        "EHLO x\r\nMAIL FROM:<{}>\r\nRCPT TO:<{}>\r\nDATA\r\n",
        c.buyer_email, c.seller_alias
    )
    .into_bytes();
    session.extend_from_slice(&raw);
    session.extend_from_slice(b"\r\n.\r\nQUIT\r\n");
    stream.write_all(&session).await.unwrap();
    let mut out = Vec::new();
    tokio::io::AsyncReadExt::read_to_end(&mut stream, &mut out)
        .await
        .unwrap();
    let transcript = String::from_utf8_lossy(&out);
    assert!(transcript.contains("250 2.0.0 queued as"), "{transcript}");
    assert!(!text.is_empty());

    let (_, list) = app
        .get(
            &format!("/api/v1/conversations/{}/messages", c.id),
            &staff.token,
        )
        .await;
    let m = &list["messages"][0];
    assert!(
        m["original_body"].as_str().unwrap().contains("Привет"),
        "{m}"
    );
    let raw_url = m["raw_url"].as_str().expect("raw url");
    let stored = app
        .client
        .get(app.url(raw_url))
        .bearer_auth(&staff.token)
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    // The CRLF before the terminating dot belongs to the message (RFC 5321 4.1.1.4).
    let mut expected = raw.clone();
    expected.extend_from_slice(b"\r\n");
    assert_eq!(
        stored.as_ref(),
        expected.as_slice(),
        "raw MIME must be kept byte for byte"
    );
    assert_eq!(app.deliver_all().await.len(), 1);
    let delivered = parse_mail(&app.delivered()[0])
        .body_text(0)
        .unwrap()
        .to_string();
    assert!(delivered.contains("Привет"), "{delivered}");
}

#[tokio::test]
async fn attachments_are_relayed_with_filtered_names() {
    let app = spawn_app(Backend::Sqlite).await;
    let c = app.conversation().await;
    let raw = format!(
        "From: <{from}>\r\nTo: <{to}>\r\nSubject: photo\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nSee the photo.\r\n--b1\r\nContent-Type: image/png\r\nContent-Disposition: attachment; filename=\"jane.buyer@mail.example.png\"\r\nContent-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=\r\n--b1--\r\n",
        from = c.buyer_email,
        to = c.seller_alias
    );
    assert!(
        app.send_mail(&c.buyer_email, &c.seller_alias, &raw)
            .await
            .starts_with("250")
    );
    app.deliver_all().await;
    let bytes = &app.delivered()[0];
    assert!(
        !String::from_utf8_lossy(bytes).contains("jane.buyer@"),
        "{}",
        String::from_utf8_lossy(bytes)
    );
    let mail = parse_mail(bytes);
    let attachment = mail.attachment(0).expect("attachment relayed");
    assert_eq!(attachment.contents(), b"\x89PNG\r\n\x1a\n");
    assert!(
        attachment
            .attachment_name()
            .unwrap()
            .contains("[email removed]"),
        "{:?}",
        attachment.attachment_name()
    );
}

#[tokio::test]
async fn many_concurrent_sessions_are_all_stored() {
    // All from 127.0.0.1: more than one address may open by default.
    let app = spawn_app_with(
        Options::new(Backend::Sqlite).var("MARKETRELAY_SMTP_MAX_CONNECTIONS_PER_IP", "64"),
    )
    .await;
    let c = app.conversation().await;
    let mut tasks = Vec::new();
    for i in 0..40 {
        let (from, to, smtp) = (c.buyer_email.clone(), c.seller_alias.clone(), app.smtp);
        tasks.push(tokio::spawn(async move {
            let raw = buyer_mail(&from, &to, &format!("message {i}"), "hello");
            smtp_transcript(smtp, &crate::helpers::transaction(&from, &to, &raw)).await
        }));
    }
    for t in tasks {
        let replies = t.await.unwrap();
        assert!(replies[5].starts_with("250 2.0.0 queued as"), "{replies:?}");
    }
    let (_, list) = app
        .get(
            &format!("/api/v1/conversations/{}/messages", c.id),
            &c.seller.token,
        )
        .await;
    assert_eq!(list["messages"].as_array().unwrap().len(), 40);
}

#[tokio::test]
async fn lettre_as_a_real_client_delivers_through_the_relay() {
    use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
    let app = spawn_app(Backend::Sqlite).await;
    let c = app.conversation().await;
    let mail = Message::builder()
        .from(format!("Jane <{}>", c.buyer_email).parse().unwrap())
        .to(c.seller_alias.parse().unwrap())
        .subject("Sent with a real client")
        .body("Mein Handy: 0170 1234567".to_string())
        .unwrap();
    let transport = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous("127.0.0.1")
        .port(app.smtp.port())
        .build();
    let response = transport.send(mail).await.expect("accepted");
    assert!(
        response
            .message()
            .collect::<Vec<_>>()
            .join(" ")
            .contains("queued as")
    );
    app.deliver_all().await;
    let delivered = parse_mail(&app.delivered()[0])
        .body_text(0)
        .unwrap()
        .to_string();
    assert!(
        delivered.contains("[phone removed]") && !delivered.contains("1234567"),
        "{delivered}"
    );
}

#[tokio::test]
async fn starttls_is_offered_only_when_a_certificate_is_configured() {
    let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/tls");
    let with_tls = spawn_app_with(
        Options::new(Backend::Sqlite)
            .var(
                "MARKETRELAY_SMTP_TLS_CERT_FILE",
                &format!("{fixtures}/cert.pem"),
            )
            .var(
                "MARKETRELAY_SMTP_TLS_KEY_FILE",
                &format!("{fixtures}/key.pem"),
            ),
    )
    .await;
    let replies = smtp_transcript(with_tls.smtp, &["EHLO x".into(), "STARTTLS".into()]).await;
    assert!(replies[1].contains("STARTTLS"), "{replies:?}");
    assert!(replies[2].starts_with("220"), "{replies:?}");
    let plain = spawn_app(Backend::Sqlite).await;
    let replies = smtp_transcript(plain.smtp, &["EHLO x".into()]).await;
    assert!(!replies[1].contains("STARTTLS"), "{replies:?}");
}

#[tokio::test]
async fn text_attachments_and_forwarded_mail_are_filtered_like_the_body() {
    let app = spawn_app(Backend::Sqlite).await;
    let c = app.conversation().await;
    let staff = app.create_staff("Tess", "tess@marketplace.example").await;
    let raw = format!(
        "From: <{from}>\r\nTo: <{to}>\r\nSubject: details\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n\
         --b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nDetails attached.\r\n\
         --b1\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Disposition: attachment; filename=\"notes.txt\"\r\n\r\nMy number is +44 20 7946 0958\r\n\
         --b1\r\nContent-Type: message/rfc822\r\nContent-Disposition: attachment\r\n\r\nFrom: Friend <friend.private@mail.example>\r\nSubject: fwd\r\n\r\nreach friend.private@mail.example\r\n\
         --b1--\r\n",
        from = c.buyer_email,
        to = c.seller_alias
    );
    let reply = app.send_mail(&c.buyer_email, &c.seller_alias, &raw).await;
    let id = reply
        .trim_start_matches("250 2.0.0 queued as ")
        .trim()
        .to_string();
    let (_, m) = app
        .get(&format!("/api/v1/messages/{id}"), &staff.token)
        .await;
    let fields: Vec<&str> = m["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert!(fields.contains(&"attachment"), "{m}");
    app.deliver_all().await;
    let bytes = &app.delivered()[0];
    let text = String::from_utf8_lossy(bytes);
    assert!(!text.contains("friend.private"), "{text}");
    let mail = parse_mail(bytes);
    let contents: Vec<String> = (0..mail.attachment_count())
        .map(|i| String::from_utf8_lossy(mail.attachment(i as u32).unwrap().contents()).to_string())
        .collect();
    assert!(
        contents
            .iter()
            .any(|c| c.contains("My number is [phone removed]")),
        "{contents:?}"
    );
    assert!(!contents.iter().any(|c| c.contains("7946")), "{contents:?}");
}

#[tokio::test]
async fn the_buyers_country_is_a_region_hint_for_national_numbers() {
    let app = spawn_app(Backend::Sqlite).await;
    let seller = app.create_seller("Loja", "loja@shop.example").await;
    let (status, conv) = app
        .post(
            "/api/v1/conversations",
            crate::helpers::OPERATOR_TOKEN,
            serde_json::json!({ "seller_id": seller.id, "buyer": { "email": "ana@mail.example", "name": "Ana", "country": "br" } }),
        )
        .await;
    assert_eq!(status, 201, "{conv}");
    let alias = conv["seller_alias"].as_str().unwrap();
    // A Brazilian number in national form: not valid in the default regions.
    let raw = buyer_mail(
        "ana@mail.example",
        alias,
        "celular",
        "Meu celular é (11) 91234-5678, me chama",
    );
    let reply = app.send_mail("ana@mail.example", alias, &raw).await;
    assert!(reply.starts_with("250"), "{reply}");
    let (_, list) = app
        .get(
            &format!(
                "/api/v1/conversations/{}/messages",
                conv["id"].as_str().unwrap()
            ),
            &seller.token,
        )
        .await;
    let body = list["messages"][0]["body"].as_str().unwrap();
    assert_eq!(body.trim_end(), "Meu celular é [phone removed], me chama");
    let (status, e) = app
        .post(
            "/api/v1/sellers",
            crate::helpers::OPERATOR_TOKEN,
            serde_json::json!({ "name": "X", "email": "x@shop.example", "country": "Brazil" }),
        )
        .await;
    assert_eq!(
        (status, e["error"]["code"].as_str()),
        (400, Some("invalid_country"))
    );
}

#[tokio::test]
async fn the_html_part_is_judged_and_filtered_on_its_own_text() {
    let app = spawn_app(Backend::Sqlite).await;
    let c = app.conversation().await;
    let staff = app.create_staff("Tess", "tess@marketplace.example").await;
    // The plain part is harmless; only the HTML part carries the number.
    let raw = format!(
        "From: <{from}>\r\nTo: <{to}>\r\nSubject: html\r\nMIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=\"alt\"\r\n\r\n\
         --alt\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nSee the HTML version.\r\n\
         --alt\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>Call <b>+44 20</b> 7946 0958 or <a href=\"https://evil.example/x\">here</a></p><script>alert(1)</script>\r\n\
         --alt--\r\n",
        from = c.buyer_email,
        to = c.seller_alias
    );
    let reply = app.send_mail(&c.buyer_email, &c.seller_alias, &raw).await;
    let id = reply
        .trim_start_matches("250 2.0.0 queued as ")
        .trim()
        .to_string();
    let (_, m) = app
        .get(&format!("/api/v1/messages/{id}"), &staff.token)
        .await;
    assert_eq!(m["action"], "redact", "{m}");
    assert!(
        m["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["field"] == "html" && f["kind"] == "phone"),
        "{m}"
    );
    app.deliver_all().await;
    let bytes = &app.delivered()[0];
    let mail = parse_mail(bytes);
    let html = mail.body_html(0).expect("HTML part delivered").to_string();
    assert!(html.contains("[phone removed]"), "{html}");
    for leaked in ["7946", "evil.example", "<script", "href"] {
        assert!(!html.contains(leaked), "{leaked} in {html}");
    }
    assert!(mail.body_text(0).unwrap().contains("See the HTML version."));
}
