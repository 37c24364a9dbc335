//! Reads an inbound mail into `ParsedMail`, best effort, flagging what looks broken.

use std::{borrow::Cow, collections::HashSet};

use mail_parser::decoders::charsets::map::charset_decoder;
use mail_parser::{
    Encoding, HeaderValue, Message, MessageParser, MessagePart, MimeHeaders, PartType,
};

use super::{Attachment, ParsedMail, html};

/// Parses raw RFC 5322 bytes. Never fails and never panics: broken input gives
/// a best-effort result with `malformed` set.
pub fn parse(raw: &[u8]) -> ParsedMail {
    crate::cpu::heavy(crate::cpu::Work::MimeParse);
    // mail-parser is not ours to fix; a panic inside it must not take the
    // SMTP session down, and the filter must still see the content.
    std::panic::catch_unwind(|| {
        let header_scan = scan_header_section(raw);
        if header_scan.unterminated {
            // mail-parser drops the value of a last header line that has no
            // line end; give it the blank line it expects.
            let mut terminated = raw.to_vec();
            terminated.extend_from_slice(b"\r\n\r\n");
            parse_mail(&terminated, header_scan)
        } else {
            parse_mail(raw, header_scan)
        }
    })
    .unwrap_or_else(|_| ParsedMail {
        text: lossy_text(raw),
        malformed: true,
        ..ParsedMail::default()
    })
}

fn parse_mail(raw: &[u8], header_scan: HeaderScan) -> ParsedMail {
    let mut malformed = raw.contains(&0) || header_scan.broken;

    let Some(mut message) = MessageParser::default().parse(raw) else {
        return ParsedMail {
            text: lossy_text(raw),
            malformed: true,
            ..ParsedMail::default()
        };
    };

    let mut texts: Vec<String> = Vec::new();
    let mut htmls: Vec<String> = Vec::new();
    // Text we could not decode properly; appended so the filter still sees it.
    // mail-parser swallows lines that are not header fields (a first line
    // without a colon becomes a header name), so they go to the text as well.
    let mut fallback: Vec<String> = header_scan.stray_lines;

    for &id in &message.text_body {
        if let Some(part) = message.parts.get(id as usize)
            && let PartType::Text(text) = &part.body
        {
            texts.push(text_of(raw, part, text, &mut malformed));
        }
    }
    for &id in &message.html_body {
        if let Some(part) = message.parts.get(id as usize)
            && let PartType::Html(text) = &part.body
        {
            htmls.push(text_of(raw, part, text, &mut malformed));
        }
    }

    let mut attachments = Vec::new();
    for &id in &message.attachments {
        let Some(part) = message.parts.get_mut(id as usize) else {
            continue;
        };
        // Text the parser could not place: a part it failed to decode, or a
        // multipart whose boundary never appears. It is body text, not a file.
        let unplaced = part.is_encoding_problem
            || part
                .content_type()
                .is_some_and(|ct| ct.ctype().eq_ignore_ascii_case("multipart"));
        if unplaced
            && let PartType::Text(text) = &part.body
            && part.attachment_name().is_none()
        {
            malformed = true;
            fallback.push(text_of(raw, part, text, &mut malformed));
            continue;
        }
        if part.is_encoding_problem {
            malformed = true;
        }
        attachments.push(attachment_of(raw, part));
    }

    let closed = closing_delimiters(raw);
    for part in &message.parts {
        malformed |= part.is_encoding_problem || multipart_is_broken(&closed, part);
    }

    let mut text = if !texts.is_empty() {
        texts.join("\n")
    } else {
        htmls
            .iter()
            .map(|h| html::html_to_text(h))
            .collect::<Vec<_>>()
            .join("\n")
    };
    for extra in fallback {
        if !text.is_empty() {
            text.push('\n');
        }
        text.push_str(&extra);
    }

    ParsedMail {
        subject: message.subject().map(|s| s.trim().to_owned()),
        from_name: from_name(&message),
        message_id: message.message_id().and_then(clean_id),
        in_reply_to: first_id(message.in_reply_to()),
        references: ids(message.references()),
        text,
        html: (!htmls.is_empty()).then(|| htmls.join("\n")),
        attachments,
        malformed,
    }
}

/// The decoded text of a body part, with line endings normalised. When the
/// parser gave up on the transfer encoding, decodes it leniently ourselves so
/// that soft line breaks or stray characters cannot hide text from the filter.
fn text_of(raw: &[u8], part: &MessagePart<'_>, parsed: &str, malformed: &mut bool) -> String {
    let body = raw
        .get(part.offset_body as usize..part.offset_end as usize)
        .unwrap_or_default();
    let charset = part
        .content_type()
        .and_then(|ct| ct.attribute("charset"))
        .unwrap_or("utf-8");
    let is_utf8 = ["utf-8", "utf8", "us-ascii", "ascii"]
        .iter()
        .any(|c| charset.eq_ignore_ascii_case(c));

    let text = if part.is_encoding_problem {
        *malformed = true;
        let cte = part.content_transfer_encoding().unwrap_or_default();
        if cte.eq_ignore_ascii_case("quoted-printable") {
            decode_charset(&lenient_quoted_printable(body), charset)
        } else if cte.eq_ignore_ascii_case("base64") {
            let decoded = decode_charset(&lenient_base64(body), charset);
            // Garbage in, garbage out: keep the raw text too so nothing hides.
            if decoded.contains('\u{fffd}') {
                format!("{decoded}\n{}", lossy_text(body))
            } else {
                decoded
            }
        } else {
            parsed.to_owned()
        }
    } else {
        if is_utf8
            && (part.encoding == Encoding::None && std::str::from_utf8(body).is_err()
                || part.encoding != Encoding::None && parsed.contains('\u{fffd}'))
        {
            *malformed = true;
        }
        parsed.to_owned()
    };
    clean_text(&text)
}

/// The file of an attachment part. Decoded bytes move out of the parsed
/// message rather than being copied: a large file is in memory once.
fn attachment_of(raw: &[u8], part: &mut MessagePart<'_>) -> Attachment {
    let mut content_type = part
        .content_type()
        .map(|ct| match ct.subtype() {
            Some(sub) => format!("{}/{}", ct.ctype(), sub),
            None => ct.ctype().to_owned(),
        })
        .unwrap_or_else(|| match part.body {
            PartType::Text(_) | PartType::Html(_) => "text/plain".to_owned(),
            _ => "application/octet-stream".to_owned(),
        })
        .to_ascii_lowercase();
    let data = match &part.body {
        // The parser gave up on the transfer encoding and kept the raw text;
        // decode what can be decoded and keep the declared type.
        PartType::Text(_) if part.is_encoding_problem => {
            let body = raw
                .get(part.offset_body as usize..part.offset_end as usize)
                .unwrap_or_default();
            let cte = part.content_transfer_encoding().unwrap_or_default();
            if cte.eq_ignore_ascii_case("base64") {
                lenient_base64(body)
            } else if cte.eq_ignore_ascii_case("quoted-printable") {
                lenient_quoted_printable(body)
            } else {
                body.to_vec()
            }
        }
        // mail-parser hands nested messages without a transfer encoding the
        // whole outer message as `raw_message`; the part's own bytes are wanted.
        PartType::Message(_) if part.encoding == Encoding::None => raw
            .get(part.offset_body as usize..part.offset_end as usize)
            .unwrap_or_default()
            .to_vec(),
        PartType::Text(text) | PartType::Html(text) => {
            // Text parts arrive decoded to UTF-8 whatever their declared charset.
            content_type.push_str("; charset=utf-8");
            text.as_bytes().to_vec()
        }
        PartType::Binary(_) | PartType::InlineBinary(_) => {
            match std::mem::replace(&mut part.body, PartType::Binary(Cow::Borrowed(&[]))) {
                PartType::Binary(bytes) | PartType::InlineBinary(bytes) => bytes.into_owned(),
                _ => Vec::new(),
            }
        }
        _ => part.contents().to_vec(),
    };
    Attachment {
        filename: part
            .attachment_name()
            .map(|n| n.trim().to_owned())
            .filter(|n| !n.is_empty()),
        content_type,
        data,
    }
}

fn from_name(message: &Message<'_>) -> Option<String> {
    message
        .from()
        .and_then(|a| a.first())
        .and_then(|a| a.name())
        .map(|n| n.trim().to_owned())
        .filter(|n| !n.is_empty())
}

fn clean_id(id: &str) -> Option<String> {
    let id = id
        .trim()
        .trim_start_matches('<')
        .trim_end_matches('>')
        .trim();
    (!id.is_empty()).then(|| id.to_owned())
}

fn ids(value: &HeaderValue<'_>) -> Vec<String> {
    match value {
        HeaderValue::Text(id) => clean_id(id).into_iter().collect(),
        HeaderValue::TextList(list) => list.iter().filter_map(|id| clean_id(id)).collect(),
        _ => Vec::new(),
    }
}

fn first_id(value: &HeaderValue<'_>) -> Option<String> {
    ids(value).into_iter().next()
}

struct HeaderScan {
    broken: bool,
    /// No blank line ends the header section.
    unterminated: bool,
    /// Lines of the header section that are not header fields.
    stray_lines: Vec<String>,
}

/// RFC 5322 structure checks mail-parser glosses over: header names are
/// printable ASCII without spaces, and a blank line ends the header section.
fn scan_header_section(raw: &[u8]) -> HeaderScan {
    let mut scan = HeaderScan {
        broken: false,
        unterminated: false,
        stray_lines: Vec::new(),
    };
    let mut lines = raw.split(|&b| b == b'\n').peekable();
    // An mbox "From " separator line is tolerated.
    if lines.peek().is_some_and(|l| l.starts_with(b"From ")) {
        lines.next();
    }
    let mut first = true;
    let mut ended = false;
    for line in lines {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.is_empty() {
            ended = true;
            break;
        }
        let continuation = line[0] == b' ' || line[0] == b'\t';
        let field = line
            .iter()
            .position(|&b| b == b':')
            .map(|colon| &line[..colon])
            .is_some_and(|name| !name.is_empty() && name.iter().all(|&b| (33..=126).contains(&b)));
        if first && continuation || !continuation && !field {
            scan.broken = true;
            scan.stray_lines.push(lossy_text(line));
        }
        first = false;
    }
    // No blank line: headers only, or cut off mid-header; no header at all.
    scan.unterminated = !ended && !first;
    scan.broken |= !ended || first;
    scan
}

/// The boundaries that have a closing delimiter line (`--boundary--`),
/// collected in one pass so the check stays linear however many parts there are.
fn closing_delimiters(raw: &[u8]) -> HashSet<&[u8]> {
    raw.split(|&b| b == b'\n')
        .filter_map(|line| {
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            let line = line.trim_ascii_end();
            line.strip_prefix(b"--")?.strip_suffix(b"--")
        })
        .collect()
}

/// A multipart whose boundary never appears, or never closes (truncated mail).
fn multipart_is_broken(closed: &HashSet<&[u8]>, part: &MessagePart<'_>) -> bool {
    let Some(ct) = part.content_type() else {
        return false;
    };
    if !ct.ctype().eq_ignore_ascii_case("multipart") {
        return false;
    }
    let Some(boundary) = ct.attribute("boundary") else {
        return true;
    };
    if !matches!(part.body, PartType::Multipart(_)) {
        return true;
    }
    !closed.contains(boundary.as_bytes())
}

fn decode_charset(bytes: &[u8], charset: &str) -> String {
    match charset_decoder(charset.as_bytes()) {
        Some(decode) => decode(bytes),
        None => lossy_text(bytes),
    }
}

fn lossy_text(bytes: &[u8]) -> String {
    clean_text(&String::from_utf8_lossy(bytes))
}

/// "\n" line ends, and no control characters besides tab and line feed: a NUL
/// or backspace inside "555<NUL>123<NUL>4567" must not split it for the filter.
fn clean_text(text: &str) -> String {
    let text = text.replace("\r\n", "\n");
    text.chars()
        .filter_map(|c| match c {
            '\r' => Some('\n'),
            '\n' | '\t' => Some(c),
            c if c.is_ascii_control() => None,
            c => Some(c),
        })
        .collect()
}

/// Quoted-printable that never fails: invalid escapes stay as they are.
fn lenient_quoted_printable(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len());
    let mut i = 0;
    while i < body.len() {
        let b = body[i];
        if b != b'=' {
            out.push(b);
            i += 1;
            continue;
        }
        let rest = &body[i + 1..];
        if rest.starts_with(b"\r\n") {
            i += 3;
        } else if rest.starts_with(b"\n") {
            i += 2;
        } else if let [h, l, ..] = rest
            && let (Some(h), Some(l)) = (hex_value(*h), hex_value(*l))
        {
            out.push(h << 4 | l);
            i += 3;
        } else {
            out.push(b'=');
            i += 1;
        }
    }
    out
}

fn hex_value(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

/// Base64 that skips every character outside the alphabet.
fn lenient_base64(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len() * 3 / 4);
    let mut acc: u32 = 0;
    let mut bits = 0;
    for &b in body {
        let v = match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => continue,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const SIMPLE: &str = "From: =?UTF-8?Q?J=C3=BCrgen_K?= <jurgen@example.net>\r\n\
        To: r-abc@relay.localhost\r\n\
        Subject: =?UTF-8?B?RnJhZ2UgenVtIEFuZ2Vib3Q=?=\r\n\
        Message-ID: <abc.123@example.net>\r\n\
        In-Reply-To: <prev@relay.localhost>\r\n\
        References: <first@example.net> <prev@relay.localhost>\r\n\
        Content-Type: text/plain; charset=utf-8\r\n\
        Content-Transfer-Encoding: quoted-printable\r\n\
        \r\n\
        Ruf mich an: +49 170 =\r\n\
        1234567\r\n";

    /// Found by fuzzing: a forwarded message/rfc822 part whose headers are
    /// broken by control bytes trips an internal assertion of mail-parser
    /// (a panic in debug builds). The mail is still read, as malformed,
    /// with its text for the filter.
    #[test]
    fn a_panic_inside_the_mime_parser_gives_a_malformed_mail() {
        let raw = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fuzz/mime_policy_compose/crash-mail-parser-missing-multipart"
        ))
        .unwrap();
        if cfg!(debug_assertions) {
            // The input really does trip mail-parser, so this test proves
            // the guard in `parse`.
            let direct = std::panic::catch_unwind(|| MessageParser::default().parse(&raw[..]));
            assert!(direct.is_err(), "mail-parser no longer panics here");
        }
        let mail = parse(&raw);
        if cfg!(debug_assertions) {
            assert!(mail.malformed);
        }
        assert!(mail.text.contains("Thanks for your purchase."));
    }

    #[test]
    fn headers_are_decoded_and_ids_lose_their_brackets() {
        let mail = parse(SIMPLE.as_bytes());
        assert_eq!(mail.subject.as_deref(), Some("Frage zum Angebot"));
        assert_eq!(mail.from_name.as_deref(), Some("Jürgen K"));
        assert_eq!(mail.message_id.as_deref(), Some("abc.123@example.net"));
        assert_eq!(mail.in_reply_to.as_deref(), Some("prev@relay.localhost"));
        assert_eq!(
            mail.references,
            ["first@example.net", "prev@relay.localhost"]
        );
        assert_eq!(mail.text, "Ruf mich an: +49 170 1234567\n");
        assert!(!mail.malformed);
    }

    #[test]
    fn empty_input_and_garbage_are_malformed_but_keep_content() {
        let mail = parse(b"");
        assert!(mail.malformed);
        let mail = parse(b"just some words, call 555 123 4567");
        assert!(mail.malformed);
        assert!(mail.text.contains("555 123 4567"), "{:?}", mail.text);
    }

    #[test]
    fn header_name_with_space_is_malformed() {
        let mail = parse(b"Fr om: Eve <e@x.example>\r\nSubject: hi\r\n\r\nbody\r\n");
        assert!(mail.malformed);
        assert!(mail.text.contains("body"));
    }

    #[test]
    fn broken_quoted_printable_is_decoded_leniently() {
        let raw = b"From: a@b.example\r\nSubject: x\r\nMIME-Version: 1.0\r\n\
            Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n\
            --b1\r\nContent-Type: text/plain; charset=utf-8\r\n\
            Content-Transfer-Encoding: quoted-printable\r\n\r\n\
            call 555 =\r\n123 ==4567 =ZZ\r\n\
            --b1--\r\n";
        let mail = parse(raw);
        assert!(mail.text.contains("call 555 123"), "{:?}", mail.text);
    }

    #[test]
    fn lenient_decoders_never_drop_visible_text() {
        assert_eq!(lenient_quoted_printable(b"a=3Db=\r\nc =ZZ="), b"a=bc =ZZ=");
        assert_eq!(lenient_base64(b"aGVs!!bG8=\r\n"), b"hello");
    }

    #[test]
    fn arbitrary_bytes_never_panic() {
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let pieces: [&[u8]; 12] = [
            b"From: a@b\r\n",
            b"Content-Type: multipart/mixed; boundary=x\r\n",
            b"\r\n",
            b"--x\r\n",
            b"--x--\r\n",
            b"Content-Transfer-Encoding: base64\r\n",
            b"Content-Transfer-Encoding: quoted-printable\r\n",
            b"Content-Type: message/rfc822\r\n",
            b"=\r\n==ZZ\xff\x00",
            b"aGVsbG8=",
            b"Content-Type: text/html\r\n",
            b"<p>x</p>",
        ];
        for _ in 0..2000 {
            let mut raw = Vec::new();
            for _ in 0..(seed % 24) {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                raw.extend_from_slice(pieces[(seed % pieces.len() as u64) as usize]);
            }
            let _ = parse(&raw);
        }
    }

    #[test]
    fn nested_message_attachment_holds_only_its_own_bytes() {
        let fixture = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/eml/rfc/008.eml"
        );
        let mail = parse(&std::fs::read(fixture).expect("fixture"));
        let nested = String::from_utf8_lossy(&mail.attachments[0].data).into_owned();
        assert!(nested.starts_with("From: Old Seller"), "{nested}");
        assert!(nested.contains("Thanks for your purchase."), "{nested}");
        assert!(!nested.contains("Fwd: Receipt"), "{nested}");
        assert!(!nested.contains("--b008"), "{nested}");
    }

    #[test]
    fn png_bytes_are_decoded_exactly() {
        let fixture = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/eml/clients/004.eml"
        );
        let mail = parse(&std::fs::read(fixture).expect("fixture"));
        assert!(mail.attachments[0].data.starts_with(b"\x89PNG\r\n"));
        assert_eq!(mail.attachments[0].data.len(), 70);
    }

    #[test]
    fn deeply_nested_multiparts_parse_in_linear_time() {
        let mut raw = String::from("From: a@b.example\r\nSubject: x\r\n");
        for i in 0..10_000 {
            raw.push_str(&format!(
                "Content-Type: multipart/mixed; boundary=\"b{i}\"\r\n\r\n--b{i}\r\n"
            ));
        }
        raw.push_str("Content-Type: text/plain\r\n\r\nhello\r\n");
        let started = std::time::Instant::now();
        let mail = parse(raw.as_bytes());
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
        assert!(mail.malformed);
        assert!(mail.text.contains("hello"));
    }
}
