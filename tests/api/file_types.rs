//! One allowlist of file types on every path, read from the bytes: in mail
//! either way, a text file declared as a PDF is filtered as text, markup
//! (HTML, SVG) and programs are taken out (recorded, the sender told, the
//! mail still accepted), and every delivered name gets its type's
//! extension; sellers' uploads follow the same list.

use mail_parser::MimeHeaders;
use serde_json::json;

use crate::helpers::{Backend, parse_mail, spawn_app};

crate::on_both_backends!(files_in_mail_pass_by_the_type_their_bytes_show);

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\xff\x00\x10";

/// A MIME part carrying `data` base64-encoded as an attachment.
fn part(name: &str, declared: &str, data: &[u8]) -> String {
    format!(
        "--m\r\nContent-Type: {declared}\r\nContent-Transfer-Encoding: base64\r\n\
         Content-Disposition: attachment; filename=\"{name}\"\r\n\r\n{}\r\n",
        data_encoding::BASE64.encode(data)
    )
}

async fn files_in_mail_pass_by_the_type_their_bytes_show(backend: Backend) {
    let app = spawn_app(backend).await;
    let c = app.conversation().await;
    let parts = [
        part(
            "invoice.pdf",
            "application/pdf",
            b"Call me on +49 170 1234567 instead.",
        ),
        part(
            "page.txt",
            "text/plain",
            b"<html><body><script>steal()</script></body></html>",
        ),
        part(
            "logo.png",
            "image/png",
            b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script>x()</script></svg>",
        ),
        part(
            "tool.exe",
            "application/octet-stream",
            b"MZ\x90\x00\x03\x00\x00\x00",
        ),
        part("photo.exe", "application/octet-stream", PNG),
    ]
    .concat();
    let raw = format!(
        "From: Jane Buyer <{from}>\r\nTo: <{to}>\r\nSubject: Papers\r\nMIME-Version: 1.0\r\n\
         Content-Type: multipart/mixed; boundary=\"m\"\r\n\r\n\
         --m\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nHere are the papers.\r\n\
         {parts}--m--\r\n",
        from = c.buyer_email,
        to = c.seller_alias,
    );
    let reply = app.send_mail(&c.buyer_email, &c.seller_alias, &raw).await;
    assert!(reply.starts_with("250"), "the mail is accepted: {reply}");
    let id = reply.trim_start_matches("250 2.0.0 queued as ").to_owned();
    app.deliver_all().await;

    let mails = app.delivered();
    let to_seller = mails
        .iter()
        .map(|m| parse_mail(m))
        .find(|m| m.subject() == Some("Papers"))
        .expect("relayed to the seller");
    let files: Vec<(String, String, Vec<u8>)> = to_seller
        .attachments()
        .map(|a| {
            let ct = a.content_type().unwrap();
            (
                a.attachment_name().unwrap_or_default().to_owned(),
                format!("{}/{}", ct.ctype(), ct.subtype().unwrap_or_default()),
                a.contents().to_vec(),
            )
        })
        .collect();
    let names: Vec<&str> = files.iter().map(|f| f.0.as_str()).collect();
    assert_eq!(names, ["invoice.txt", "photo.png"], "{files:?}");
    assert_eq!(files[0].1, "text/plain");
    let text = String::from_utf8_lossy(&files[0].2);
    assert!(
        text.contains("[phone removed]") && !text.contains("1234567"),
        "{text}"
    );
    assert_eq!(files[1].1, "image/png");
    assert_eq!(files[1].2, PNG, "bytes intact");

    // Recorded, with each file named as the filter lets it be shown.
    let trail = app.store.audit().audit_events(Some(&id), 20).await.unwrap();
    let removed = trail
        .iter()
        .find(|e| e.action == "message.attachments_removed")
        .expect("recorded");
    let kinds: Vec<&str> = removed.details["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["type"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        ["text/html", "image/svg+xml", "application/octet-stream"]
    );

    // And the buyer is told, from the seller's relay address.
    let notice = mails
        .iter()
        .map(|m| parse_mail(m))
        .find(|m| m.subject() == Some("Files not delivered: Papers"))
        .expect("a notice to the sender");
    assert_eq!(
        notice.to().unwrap().first().unwrap().address(),
        Some(c.buyer_email.as_str())
    );
    let body = notice.body_text(0).unwrap();
    for name in ["page.txt", "logo.png", "tool.exe"] {
        assert!(body.contains(name), "{name} in {body}");
    }
    assert!(!body.contains("gadgetshop"), "{body}");

    // A seller's upload follows the same list.
    let path = format!("/api/v1/conversations/{}/messages", c.id);
    let html = data_encoding::BASE64.encode(b"<!doctype html><script>x()</script>");
    let (status, body) = app
        .post(
            &path,
            &c.seller.token,
            json!({ "body": "See the page.", "attachments": [{ "filename": "page.txt", "content_base64": html }] }),
        )
        .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"]["code"], "attachment_type_not_allowed");
}
