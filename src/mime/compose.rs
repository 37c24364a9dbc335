//! Builds outgoing mail with lettre: only the headers we set, nothing about the sender's host.

use std::time::SystemTime;

use lettre::Message;
use lettre::message::header::ContentType;
use lettre::message::{Attachment as LettreAttachment, Mailbox, MultiPart, SinglePart};

use super::{Attachment, ComposeError, OutboundMail};

/// Longest attachment name we deliver, in characters.
const MAX_FILENAME_CHARS: usize = 120;

/// Builds the RFC 5322 bytes of an outgoing mail, dated now.
pub fn compose(mail: &OutboundMail) -> Result<Vec<u8>, ComposeError> {
    compose_at(mail, SystemTime::now())
}

/// Builds the RFC 5322 bytes of an outgoing mail, dated now, moving its
/// files' bytes into the letter instead of copying them: a large letter's
/// files are in memory once as they are encoded.
pub fn compose_owned(mut mail: OutboundMail) -> Result<Vec<u8>, ComposeError> {
    let attachments = std::mem::take(&mut mail.attachments);
    compose_with(&mail, attachments, SystemTime::now())
}

/// Builds the RFC 5322 bytes of an outgoing mail with the given `Date`.
pub fn compose_at(mail: &OutboundMail, date: SystemTime) -> Result<Vec<u8>, ComposeError> {
    compose_with(mail, mail.attachments.clone(), date)
}

fn compose_with(
    mail: &OutboundMail,
    attachments: Vec<Attachment>,
    date: SystemTime,
) -> Result<Vec<u8>, ComposeError> {
    let from = mailbox(Some(&mail.from_name), &mail.from_address, "from")?;
    let to = mailbox(mail.to_name.as_deref(), &mail.to_address, "to")?;
    let message_id = clean_id(&mail.message_id)
        .ok_or_else(|| ComposeError("the message id is empty or not a plain id".into()))?;

    // Setting Message-ID and Date ourselves keeps lettre from filling them
    // with the local hostname or clock.
    let mut builder = Message::builder()
        .from(from.clone())
        .reply_to(from)
        .to(to)
        .subject(clean_header_text(&mail.subject))
        .message_id(Some(format!("<{message_id}>")))
        .date(date);
    if let Some(id) = mail.in_reply_to.as_deref().and_then(clean_id) {
        builder = builder.in_reply_to(format!("<{id}>"));
    }
    let references: Vec<String> = mail
        .references
        .iter()
        .filter_map(|id| clean_id(id))
        .map(|id| format!("<{id}>"))
        .collect();
    if !references.is_empty() {
        builder = builder.references(references.join(" "));
    }

    let text = SinglePart::plain(mail.text.clone());
    let message = match (&mail.html, attachments.is_empty()) {
        (None, true) => builder.singlepart(text),
        (Some(html), true) => builder.multipart(alternative(text, html)),
        (html, false) => {
            let mut mixed = match html {
                Some(html) => MultiPart::mixed().multipart(alternative(text, html)),
                None => MultiPart::mixed().singlepart(text),
            };
            for attachment in attachments {
                let name = clean_filename(attachment.filename.as_deref().unwrap_or_default());
                mixed = mixed.singlepart(
                    LettreAttachment::new(name)
                        .body(attachment.data, content_type(&attachment.content_type)),
                );
            }
            builder.multipart(mixed)
        }
    }
    .map_err(|e| ComposeError(e.to_string()))?;
    Ok(message.formatted())
}

fn alternative(text: SinglePart, html: &str) -> MultiPart {
    MultiPart::alternative()
        .singlepart(text)
        .singlepart(SinglePart::html(html.to_owned()))
}

fn mailbox(name: Option<&str>, address: &str, which: &str) -> Result<Mailbox, ComposeError> {
    let address = address
        .trim()
        .parse()
        .map_err(|e| ComposeError(format!("invalid {which} address: {e}")))?;
    let name = name.map(clean_header_text).filter(|n| !n.is_empty());
    Ok(Mailbox::new(name, address))
}

/// One line of printable text: line breaks and tabs become spaces, other
/// control characters go, so nothing can start a new header.
fn clean_header_text(s: &str) -> String {
    let spaced: String = s
        .chars()
        .filter_map(|c| match c {
            '\r' | '\n' | '\t' | '\u{2028}' | '\u{2029}' => Some(' '),
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect();
    spaced.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A message id without brackets, or `None` if it is not a plain printable
/// ASCII id (anything that could break out of `<...>` is refused).
fn clean_id(id: &str) -> Option<&str> {
    let ok = !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_graphic() && b != b'<' && b != b'>');
    ok.then_some(id)
}

/// The last path component, without control or quoting characters.
fn clean_filename(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = base
        .chars()
        .filter(|c| !c.is_control())
        .map(|c| match c {
            '"' | '\\' | '<' | '>' | ':' | '*' | '?' | '|' | ';' | '%' => '_',
            c => c,
        })
        .take(MAX_FILENAME_CHARS)
        .collect();
    let cleaned = cleaned.trim_matches(|c: char| c.is_whitespace() || c == '.');
    if cleaned.is_empty() {
        "attachment".to_owned()
    } else {
        cleaned.to_owned()
    }
}

/// The inbound content type if it is a plain `type/subtype[; charset=x]`,
/// else `application/octet-stream`.
fn content_type(declared: &str) -> ContentType {
    let safe = declared
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"/+-.;= _".contains(&b));
    let parsed = safe.then(|| ContentType::parse(declared).ok()).flatten();
    parsed.unwrap_or_else(|| {
        ContentType::parse("application/octet-stream")
            .expect("application/octet-stream is a valid content type")
    })
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, UNIX_EPOCH};

    use mail_parser::{MessageParser, MimeHeaders};

    use super::*;
    use crate::mime::Attachment;

    fn sample() -> OutboundMail {
        OutboundMail {
            from_name: "Jane via Marketplace".into(),
            from_address: "r-seller7k2@relay.localhost".into(),
            to_name: Some("Bob".into()),
            to_address: "bob@example.org".into(),
            subject: "Re: Your bike".into(),
            message_id: "01HX.abc@relay.localhost".into(),
            in_reply_to: Some("prev@relay.localhost".into()),
            references: vec![
                "first@relay.localhost".into(),
                "prev@relay.localhost".into(),
            ],
            text: "Hello Bob,\nstill available.\n".into(),
            html: None,
            attachments: Vec::new(),
        }
    }

    fn compose_fixed(mail: &OutboundMail) -> Vec<u8> {
        compose_at(mail, UNIX_EPOCH + Duration::from_secs(1_700_000_000)).expect("composes")
    }

    fn header_names(raw: &[u8]) -> Vec<String> {
        let text = String::from_utf8_lossy(raw);
        let head = text.split("\r\n\r\n").next().unwrap_or_default();
        head.lines()
            .filter(|l| !l.starts_with([' ', '\t']))
            .filter_map(|l| l.split_once(':').map(|(n, _)| n.to_ascii_lowercase()))
            .collect()
    }

    #[test]
    fn headers_round_trip_through_the_parser() {
        let raw = compose_fixed(&sample());
        let parsed = MessageParser::default().parse(&raw).expect("parses");
        let from = parsed.from().and_then(|a| a.first()).expect("from");
        assert_eq!(from.name(), Some("Jane via Marketplace"));
        assert_eq!(from.address(), Some("r-seller7k2@relay.localhost"));
        let reply_to = parsed.reply_to().and_then(|a| a.first()).expect("reply-to");
        assert_eq!(reply_to.address(), Some("r-seller7k2@relay.localhost"));
        let to = parsed.to().and_then(|a| a.first()).expect("to");
        assert_eq!(
            (to.name(), to.address()),
            (Some("Bob"), Some("bob@example.org"))
        );
        assert_eq!(parsed.subject(), Some("Re: Your bike"));
        assert_eq!(parsed.message_id(), Some("01HX.abc@relay.localhost"));
        assert_eq!(parsed.in_reply_to().as_text(), Some("prev@relay.localhost"));
        assert_eq!(parsed.references().as_text_list().map(|l| l.len()), Some(2));
        assert_eq!(parsed.date().map(|d| d.to_timestamp()), Some(1_700_000_000));
        assert_eq!(
            parsed.body_text(0).as_deref().map(str::trim_end),
            Some("Hello Bob,\r\nstill available.")
        );
        assert!(parsed.html_part(0).is_some_and(|p| !p.is_text_html()));
    }

    #[test]
    fn only_our_headers_are_written() {
        let mut mail = sample();
        mail.html = Some("<p>Hello</p>".into());
        mail.attachments.push(Attachment {
            filename: Some("photo.jpg".into()),
            content_type: "image/jpeg".into(),
            data: vec![0xff, 0xd8, 0xff, 0x00],
        });
        let raw = compose_fixed(&mail);
        let allowed = [
            "from",
            "reply-to",
            "to",
            "subject",
            "message-id",
            "in-reply-to",
            "references",
            "date",
            "mime-version",
            "content-type",
            "content-transfer-encoding",
        ];
        for name in header_names(&raw) {
            assert!(allowed.contains(&name.as_str()), "unexpected header {name}");
        }
        let text = String::from_utf8_lossy(&raw).to_ascii_lowercase();
        for needle in [
            "x-mailer",
            "received",
            "user-agent",
            "sender:",
            "return-path",
        ] {
            assert!(!text.contains(needle), "{needle} in output");
        }
    }

    #[test]
    fn html_and_text_become_multipart_alternative() {
        let mut mail = sample();
        mail.html = Some("<p>Hello <b>Bob</b></p>".into());
        let raw = compose_fixed(&mail);
        let parsed = MessageParser::default().parse(&raw).expect("parses");
        let ct = parsed.content_type().expect("content type");
        assert_eq!(
            (ct.ctype(), ct.subtype()),
            ("multipart", Some("alternative"))
        );
        assert_eq!(
            parsed.body_html(0).as_deref(),
            Some("<p>Hello <b>Bob</b></p>")
        );
        assert!(
            parsed
                .body_text(0)
                .is_some_and(|t| t.contains("still available"))
        );
    }

    #[test]
    fn attachments_make_multipart_mixed_with_clean_names() {
        let mut mail = sample();
        mail.html = Some("<p>Hi</p>".into());
        mail.attachments = vec![
            Attachment {
                filename: Some("../../etc/\"quo\r\nted\".pdf".into()),
                content_type: "application/pdf".into(),
                data: b"%PDF-1.4".to_vec(),
            },
            Attachment {
                filename: Some("Übergabe Protokoll.txt".into()),
                content_type: "text/plain; charset=utf-8".into(),
                data: "Grüße".as_bytes().to_vec(),
            },
            Attachment {
                filename: None,
                content_type: "image/png\r\nX-Evil: 1".into(),
                data: vec![0x89, b'P', b'N', b'G'],
            },
        ];
        let raw = compose_fixed(&mail);
        let parsed = MessageParser::default().parse(&raw).expect("parses");
        let ct = parsed.content_type().expect("content type");
        assert_eq!((ct.ctype(), ct.subtype()), ("multipart", Some("mixed")));
        let names: Vec<_> = parsed.attachments().map(|a| a.attachment_name()).collect();
        assert_eq!(
            names,
            [
                Some("_quoted_.pdf"),
                Some("Übergabe Protokoll.txt"),
                Some("attachment")
            ]
        );
        let data: Vec<_> = parsed
            .attachments()
            .map(|a| a.contents().to_vec())
            .collect();
        assert_eq!(data[0], b"%PDF-1.4");
        assert_eq!(data[1], "Grüße".as_bytes());
        assert_eq!(data[2], [0x89, b'P', b'N', b'G']);
        let third = parsed
            .attachment(2)
            .and_then(|a| a.content_type())
            .expect("ct");
        assert_eq!(third.ctype(), "application");
        assert!(!String::from_utf8_lossy(&raw).contains("X-Evil"));
    }

    #[test]
    fn injection_in_names_and_subject_adds_no_header() {
        let mut mail = sample();
        mail.from_name = "Bob\r\nBcc: x@evil.com".into();
        mail.to_name = Some("Al\nBcc: y@evil.com".into());
        mail.subject = "Hi\r\nBcc: z@evil.com\r\n\r\nbody".into();
        let raw = compose_fixed(&mail);
        let names = header_names(&raw);
        assert!(!names.iter().any(|n| n == "bcc"), "{names:?}");
        assert_eq!(names.iter().filter(|n| *n == "subject").count(), 1);
        let parsed = MessageParser::default().parse(&raw).expect("parses");
        assert_eq!(parsed.subject(), Some("Hi Bcc: z@evil.com body"));
        assert!(parsed.bcc().is_none());
        let from = parsed.from().and_then(|a| a.first()).expect("from");
        assert_eq!(from.address(), Some("r-seller7k2@relay.localhost"));
        assert_eq!(from.name(), Some("Bob Bcc: x@evil.com"));
    }

    #[test]
    fn bad_reference_ids_are_dropped() {
        let mut mail = sample();
        mail.in_reply_to = Some("a>\r\nBcc: x@evil.com".into());
        mail.references = vec![
            "ok@relay.localhost".into(),
            "two words@x".into(),
            "<b@x>".into(),
            "".into(),
        ];
        let raw = compose_fixed(&mail);
        let names = header_names(&raw);
        assert!(
            !names.iter().any(|n| n == "in-reply-to" || n == "bcc"),
            "{names:?}"
        );
        let parsed = MessageParser::default().parse(&raw).expect("parses");
        assert_eq!(parsed.references().as_text(), Some("ok@relay.localhost"));

        mail.message_id = "bad id".into();
        assert!(compose(&mail).is_err());
    }

    #[test]
    fn non_ascii_names_and_subject_are_encoded_and_round_trip() {
        let mut mail = sample();
        mail.from_name = "Jürgen via Marktplatz".into();
        mail.to_name = Some("Zoë Łukasiewicz".into());
        mail.subject = "Frage zum Fahrrad – noch verfügbar? Привет".into();
        mail.text = "Grüße aus Köln".into();
        let raw = compose_fixed(&mail);
        let head = String::from_utf8_lossy(&raw);
        let head = head.split("\r\n\r\n").next().unwrap_or_default();
        assert!(head.is_ascii(), "{head}");
        assert!(head.contains("=?utf-8?"), "{head}");
        let parsed = crate::mime::parse(&raw);
        assert_eq!(parsed.from_name.as_deref(), Some("Jürgen via Marktplatz"));
        assert_eq!(
            parsed.subject.as_deref(),
            Some("Frage zum Fahrrad – noch verfügbar? Привет")
        );
        assert_eq!(parsed.text, "Grüße aus Köln");
        assert!(!parsed.malformed);
        let to = MessageParser::default().parse(&raw).and_then(|m| {
            m.to()
                .and_then(|a| a.first())
                .and_then(|a| a.name().map(str::to_owned))
        });
        assert_eq!(to.as_deref(), Some("Zoë Łukasiewicz"));
    }

    #[test]
    fn empty_subject_and_missing_to_name_are_fine() {
        let mut mail = sample();
        mail.subject = String::new();
        mail.to_name = None;
        mail.in_reply_to = None;
        mail.references.clear();
        let raw = compose(&mail).expect("composes");
        let parsed = crate::mime::parse(&raw);
        assert_eq!(parsed.subject.as_deref().unwrap_or(""), "");
        assert!(!header_names(&raw).iter().any(|n| n == "references"));
    }

    #[test]
    fn invalid_addresses_are_an_error() {
        let mut mail = sample();
        mail.to_address = "not an address".into();
        assert!(compose(&mail).is_err());
        let mut mail = sample();
        mail.from_address = "x@y\r\nBcc: z@evil.com".into();
        assert!(compose(&mail).is_err());
    }

    #[test]
    fn quotes_and_backslashes_in_names_round_trip() {
        let mut mail = sample();
        mail.from_name = r#"Jane "JJ" O\'Neil, via Marketplace"#.into();
        let raw = compose_fixed(&mail);
        let parsed = crate::mime::parse(&raw);
        assert_eq!(
            parsed.from_name.as_deref(),
            Some(r#"Jane "JJ" O\'Neil, via Marketplace"#)
        );
        let reparsed = MessageParser::default().parse(&raw).expect("parses");
        assert_eq!(reparsed.from().map(|a| a.iter().count()), Some(1));
    }

    #[test]
    fn parsed_attachments_survive_recomposition() {
        let fixture = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/eml/clients/004.eml"
        );
        let inbound = crate::mime::parse(&std::fs::read(fixture).expect("fixture"));
        let mut mail = sample();
        mail.text = inbound.text.clone();
        mail.html = inbound
            .html
            .as_deref()
            .map(|h| crate::mime::filter_html(h, &|_: &str| Vec::new()));
        mail.attachments = inbound.attachments.clone();
        let outbound = crate::mime::parse(&compose_fixed(&mail));
        assert!(!outbound.malformed);
        assert_eq!(outbound.text.trim_end(), inbound.text.trim_end());
        assert_eq!(outbound.attachments.len(), 1);
        assert_eq!(
            outbound.attachments[0].filename.as_deref(),
            Some("IMG_0042.png")
        );
        assert_eq!(outbound.attachments[0].content_type, "image/png");
        assert_eq!(outbound.attachments[0].data, inbound.attachments[0].data);
        let html = outbound.html.expect("html");
        assert!(!html.contains("cid:") && !html.contains("<img"), "{html}");
    }
}
