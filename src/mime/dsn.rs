//! Reads a bounce: an RFC 3464 delivery status notification
//! (`multipart/report; report-type=delivery-status`), or one of the plain
//! text reports mail servers still send ("Mail delivery failed",
//! "Undelivered Mail Returned to Sender", "failure notice"). No I/O and no
//! failure: whatever comes in, the answer is a [`BounceReport`], `Other`
//! when nothing in it could be read.

use std::sync::LazyLock;

use mail_parser::{MessageParser, MimeHeaders, PartType};
use regex::Regex;

use crate::domain::BounceKind;

/// The longest diagnostic kept, in characters.
const MAX_DIAGNOSTIC: usize = 500;

/// What a bounce says about the mail it returns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BounceReport {
    pub kind: BounceKind,
    /// The RFC 3463 enhanced status (`5.1.1`), when there was one.
    pub status: Option<String>,
    /// What the remote server said, as it said it (addresses included:
    /// the caller scrubs it before it is stored or shown).
    pub diagnostic: Option<String>,
    /// Read from a `message/delivery-status` part rather than from prose.
    pub standard: bool,
}

impl BounceReport {
    fn other() -> Self {
        Self {
            kind: BounceKind::Other,
            status: None,
            diagnostic: None,
            standard: false,
        }
    }
}

/// Reads a bounce; never fails and never panics.
pub fn parse_bounce(raw: &[u8]) -> BounceReport {
    crate::cpu::heavy(crate::cpu::Work::MimeParse);
    let Some(message) = MessageParser::default().parse(raw) else {
        return BounceReport::other();
    };
    // The machine-readable report, wherever it sits in the tree.
    for part in &message.parts {
        let is_status = part.content_type().is_some_and(|ct| {
            ct.ctype().eq_ignore_ascii_case("message")
                && ct.subtype().is_some_and(|s| {
                    s.eq_ignore_ascii_case("delivery-status")
                        || s.eq_ignore_ascii_case("global-delivery-status")
                })
        });
        if !is_status {
            continue;
        }
        let body = match &part.body {
            PartType::Text(t) | PartType::Html(t) => t.as_bytes().to_vec(),
            PartType::Binary(b) | PartType::InlineBinary(b) => b.to_vec(),
            _ => continue,
        };
        if let Some(report) = read_delivery_status(&String::from_utf8_lossy(&body)) {
            return report;
        }
    }
    let subject = message.subject().unwrap_or_default();
    let mut text = String::new();
    for i in 0..message.text_body.len() {
        if let Some(t) = message.body_text(i) {
            text.push_str(&t);
            text.push('\n');
        }
    }
    if text.trim().is_empty()
        && let Some(t) = message.body_html(0)
    {
        text = super::html_to_text(&t);
    }
    read_prose(subject, &text)
}

/// One recipient's fields of a delivery-status part.
#[derive(Default, Debug)]
struct RecipientStatus {
    action: Option<String>,
    status: Option<String>,
    diagnostic: Option<String>,
}

/// Reads the per-recipient blocks of a `message/delivery-status` body
/// (RFC 3464 2.1: header-like fields, blocks separated by blank lines, the
/// first block about the message). `None` when no recipient block says
/// anything.
fn read_delivery_status(body: &str) -> Option<BounceReport> {
    let mut recipients = Vec::new();
    for block in blocks(body) {
        let mut r = RecipientStatus::default();
        let mut is_recipient = false;
        for (name, value) in block {
            match name.to_ascii_lowercase().as_str() {
                "final-recipient" | "original-recipient" => is_recipient = true,
                "action" => r.action = Some(value.trim().to_ascii_lowercase()),
                "status" => r.status = enhanced_status(&value),
                // `smtp; 550 5.1.1 ...`: the type before the `;` is not the message.
                "diagnostic-code" => {
                    let text = value.split_once(';').map_or(value.as_str(), |(_, t)| t);
                    r.diagnostic = Some(text.trim().to_owned()).filter(|t| !t.is_empty());
                }
                _ => {}
            }
        }
        if is_recipient || r.action.is_some() || r.status.is_some() {
            recipients.push(r);
        }
    }
    if recipients.is_empty() {
        return None;
    }
    let kind_of = |r: &RecipientStatus| match (r.action.as_deref(), r.status.as_deref()) {
        (Some("failed"), _) => BounceKind::Failed,
        (Some("delayed"), _) => BounceKind::Delayed,
        (Some(_), _) => BounceKind::Other,
        // No action: the status class says it (RFC 3463: 5 permanent, 4 transient).
        (None, Some(s)) if s.starts_with('5') => BounceKind::Failed,
        (None, Some(s)) if s.starts_with('4') => BounceKind::Delayed,
        (None, _) => BounceKind::Other,
    };
    // The gravest recipient speaks for the report.
    let rank = |k: BounceKind| match k {
        BounceKind::Failed => 2,
        BounceKind::Delayed => 1,
        BounceKind::Other => 0,
    };
    let chosen = recipients
        .iter()
        .max_by_key(|r| rank(kind_of(r)))
        .expect("not empty");
    Some(BounceReport {
        kind: kind_of(chosen),
        status: chosen.status.clone(),
        diagnostic: chosen.diagnostic.as_deref().map(clip),
        standard: true,
    })
}

/// Splits header-like text into blocks of unfolded `(name, value)` fields.
fn blocks(body: &str) -> Vec<Vec<(String, String)>> {
    let mut blocks = Vec::new();
    let mut current: Vec<(String, String)> = Vec::new();
    for line in body.lines() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            if !current.is_empty() {
                blocks.push(std::mem::take(&mut current));
            }
            continue;
        }
        if line.starts_with([' ', '\t']) {
            // A folded continuation of the field before it.
            if let Some((_, value)) = current.last_mut() {
                value.push(' ');
                value.push_str(line.trim());
            }
            continue;
        }
        if let Some((name, value)) = line.split_once(':') {
            current.push((name.trim().to_owned(), value.trim().to_owned()));
        }
    }
    if !current.is_empty() {
        blocks.push(current);
    }
    blocks
}

// ASCII digits only: `\d` would take "5.2.2۲" (an Arabic-Indic two) as a
// status, and staff would see a code no RFC 3463 reader knows.
static ENHANCED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b([245])\.([0-9]{1,3})\.([0-9]{1,3})\b").expect("valid pattern")
});

/// A reply line: `550 ...`, `550-...`, `550 5.1.1 ...`.
static REPLY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?m)\b([45][0-9][0-9])[ -]").expect("valid pattern"));

/// The first RFC 3463 status (`5.1.1`) in `text`: a DSN field or a
/// server's reply line.
pub fn enhanced_status(text: &str) -> Option<String> {
    ENHANCED.find(text).map(|m| m.as_str().to_owned())
}

/// Words of the plain-text reports that say the mail is still being tried.
const DELAY_WORDS: &[&str] = &[
    "delayed mail",
    "delivery delayed",
    "delivery status notification (delay)",
    "still being retried",
    "will continue trying",
    "will retry",
    "has not yet been delivered",
    "not been delivered yet",
    "warning: message still undelivered",
    "delivery has been delayed",
];

/// Words of the plain-text reports that say the mail failed for good.
const FAILURE_WORDS: &[&str] = &[
    "mail delivery failed",
    "undelivered mail returned to sender",
    "delivery status notification (failure)",
    "undeliverable",
    "failure notice",
    "returned mail",
    "could not be delivered",
    "permanent error",
    "delivery has failed",
    "delivery failed",
];

/// Reads a report written for people: the first 5xx reply (or 5.x.x
/// status) is a failure, with the line it is on as the diagnostic; a delay
/// warning is a delay; the words of a failure report without any code are
/// still a failure.
fn read_prose(subject: &str, text: &str) -> BounceReport {
    let lower_subject = subject.to_lowercase();
    let lower_text = text.to_lowercase();
    let says = |words: &[&str]| {
        words
            .iter()
            .any(|w| lower_subject.contains(w) || lower_text.contains(w))
    };
    // A permanent code on a line of its own wins over everything else.
    let permanent = text.lines().map(str::trim).find(|line| {
        REPLY.captures(line).is_some_and(|c| c[1].starts_with('5'))
            || ENHANCED
                .captures(line)
                .is_some_and(|c| c[1].starts_with('5'))
    });
    let delayed = DELAY_WORDS
        .iter()
        .any(|w| lower_subject.contains(w) || lower_text.contains(w));
    if let Some(line) = permanent
        && !delayed
    {
        return BounceReport {
            kind: BounceKind::Failed,
            status: enhanced_status(line).filter(|s| s.starts_with('5')),
            diagnostic: Some(clip(line)),
            standard: false,
        };
    }
    if delayed {
        let line = text.lines().map(str::trim).find(|line| {
            REPLY.captures(line).is_some_and(|c| c[1].starts_with('4'))
                || ENHANCED
                    .captures(line)
                    .is_some_and(|c| c[1].starts_with('4'))
        });
        return BounceReport {
            kind: BounceKind::Delayed,
            status: line.and_then(enhanced_status),
            diagnostic: line.map(clip),
            standard: false,
        };
    }
    if says(FAILURE_WORDS) {
        return BounceReport {
            kind: BounceKind::Failed,
            status: None,
            diagnostic: None,
            standard: false,
        };
    }
    BounceReport::other()
}

/// At most `MAX_DIAGNOSTIC` characters, on one line.
fn clip(text: &str) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    one_line.chars().take(MAX_DIAGNOSTIC).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(raw: &str) -> BounceReport {
        parse_bounce(raw.replace('\n', "\r\n").as_bytes())
    }

    const POSTFIX: &str = "\
Return-Path: <>
From: MAILER-DAEMON@mx.shop.example (Mail Delivery System)
Subject: Undelivered Mail Returned to Sender
To: b+0123@relay.example
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
\tboundary=\"4C1A2B3D.1700000000/mx.shop.example\"

This is a MIME-encapsulated message.

--4C1A2B3D.1700000000/mx.shop.example
Content-Description: Notification
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mx.shop.example.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients.

<owner@shop.example>: host mx.shop.example said: 550 5.1.1 <owner@shop.example>:
    Recipient address rejected: User unknown in local recipient table

--4C1A2B3D.1700000000/mx.shop.example
Content-Description: Delivery report
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.shop.example
X-Postfix-Queue-ID: 4C1A2B3D
Arrival-Date: Wed, 25 Nov 2026 10:00:01 +0000 (UTC)

Final-Recipient: rfc822; owner@shop.example
Original-Recipient: rfc822;owner@shop.example
Action: failed
Status: 5.1.1
Remote-MTA: dns; mx.shop.example
Diagnostic-Code: smtp; 550 5.1.1 <owner@shop.example>: Recipient address
    rejected: User unknown in local recipient table

--4C1A2B3D.1700000000/mx.shop.example
Content-Description: Undelivered Message Headers
Content-Type: text/rfc822-headers

From: Jane via Shopwise <a1b2@relay.example>
Subject: Is it in stock?

--4C1A2B3D.1700000000/mx.shop.example--
";

    #[test]
    fn postfix_dsn_is_a_failure_with_status_and_diagnostic() {
        let r = parsed(POSTFIX);
        assert_eq!(r.kind, BounceKind::Failed);
        assert_eq!(r.status.as_deref(), Some("5.1.1"));
        assert!(r.standard);
        assert_eq!(
            r.diagnostic.as_deref(),
            Some(
                "550 5.1.1 <owner@shop.example>: Recipient address rejected: User unknown in local recipient table"
            )
        );
    }

    #[test]
    fn gmail_dsn_is_read() {
        let r = parsed(
            "\
From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>
Subject: Delivery Status Notification (Failure)
MIME-Version: 1.0
Content-Type: multipart/report; boundary=\"000000000000abc\"; report-type=delivery-status

--000000000000abc
Content-Type: multipart/related; boundary=\"000000000000def\"

--000000000000def
Content-Type: text/html; charset=UTF-8

<html><p>Address not found</p></html>
--000000000000def--

--000000000000abc
Content-Type: message/delivery-status

Reporting-MTA: dns; googlemail.com
Received-From-MTA: dns; relay.example
Arrival-Date: Wed, 25 Nov 2026 02:00:00 -0800 (PST)
X-Original-Message-ID: <abc@relay.example>

Final-Recipient: rfc822; jane.doe@gmail.com
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550-5.1.1 The email account that you tried to reach does
 not exist. Please try double-checking the recipient's email address for typos
 or unnecessary spaces. https://support.google.com/mail/?p=NoSuchUser
Last-Attempt-Date: Wed, 25 Nov 2026 02:00:01 -0800 (PST)

--000000000000abc
Content-Type: message/rfc822

From: a@relay.example
Subject: hi

hi
--000000000000abc--
",
        );
        assert_eq!(r.kind, BounceKind::Failed);
        assert_eq!(r.status.as_deref(), Some("5.1.1"));
        assert!(
            r.diagnostic
                .as_deref()
                .unwrap()
                .starts_with("550-5.1.1 The email account that you tried to reach does not exist.")
        );
    }

    #[test]
    fn microsoft_dsn_is_read() {
        let r = parsed(
            "\
From: postmaster@outlook.com
Subject: Undeliverable: Is it in stock?
Content-Type: multipart/report; report-type=delivery-status;
\tboundary=\"b1_ms\"
MIME-Version: 1.0

--b1_ms
Content-Type: multipart/alternative; boundary=\"b2_ms\"

--b2_ms
Content-Type: text/plain; charset=\"us-ascii\"

Your message to owner@contoso.com couldn't be delivered.

--b2_ms
Content-Type: text/html; charset=\"us-ascii\"

<html><body>Your message couldn't be delivered.</body></html>
--b2_ms--

--b1_ms
Content-Type: message/delivery-status

Reporting-MTA: dns;AM0PR01MB1234.eurprd01.prod.outlook.com
Received-From-MTA: dns;relay.example
Arrival-Date: Wed, 25 Nov 2026 10:00:00 +0000

Original-Recipient: rfc822;owner@contoso.com
Final-Recipient: rfc822;owner@contoso.com
Action: failed
Status: 5.1.10
Diagnostic-Code: smtp;550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient owner@contoso.com not found by SMTP address lookup

--b1_ms
Content-Type: message/rfc822

Subject: Is it in stock?

x
--b1_ms--
",
        );
        assert_eq!(r.kind, BounceKind::Failed);
        assert_eq!(r.status.as_deref(), Some("5.1.10"));
        assert!(
            r.diagnostic
                .as_deref()
                .unwrap()
                .contains("RESOLVER.ADR.RecipientNotFound")
        );
    }

    #[test]
    fn delayed_dsn_is_a_delay_not_a_failure() {
        let r = parsed(
            "\
From: MAILER-DAEMON@mx.shop.example
Subject: Delayed Mail (still being retried)
Content-Type: multipart/report; report-type=delivery-status; boundary=\"d\"

--d
Content-Type: text/plain

This is the mail system. Your message has not yet been delivered.

--d
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.shop.example

Final-Recipient: rfc822; owner@shop.example
Action: delayed
Status: 4.4.1
Diagnostic-Code: X-Postfix; connect to mx.shop.example[192.0.2.1]:25: Connection timed out
Will-Retry-Until: Sat, 28 Nov 2026 10:00:00 +0000

--d--
",
        );
        assert_eq!(r.kind, BounceKind::Delayed);
        assert_eq!(r.status.as_deref(), Some("4.4.1"));
    }

    #[test]
    fn one_failed_recipient_among_delayed_ones_is_a_failure() {
        let r = read_delivery_status(
            "Reporting-MTA: dns; x\n\nFinal-Recipient: rfc822; a@x\nAction: delayed\nStatus: 4.4.1\n\n\
             Final-Recipient: rfc822; b@x\nAction: failed\nStatus: 5.2.2\nDiagnostic-Code: smtp; 552 5.2.2 Mailbox full\n",
        )
        .unwrap();
        assert_eq!(r.kind, BounceKind::Failed);
        assert_eq!(r.status.as_deref(), Some("5.2.2"));
        assert_eq!(r.diagnostic.as_deref(), Some("552 5.2.2 Mailbox full"));
    }

    #[test]
    fn exim_plain_text_failure_is_read() {
        let r = parsed(
            "\
From: Mail Delivery System <Mailer-Daemon@mx.exim.example>
Subject: Mail delivery failed: returning message to sender
Auto-Submitted: auto-replied

This message was created automatically by mail delivery software.

A message that you sent could not be delivered to one or more of its
recipients. This is a permanent error. The following address(es) failed:

  owner@shop.example
    host mx.shop.example [192.0.2.7]
    SMTP error from remote mail server after RCPT TO:<owner@shop.example>:
    550 5.1.1 <owner@shop.example>: Recipient address rejected: User unknown

------ This is a copy of the message, including all the headers. ------
Subject: Is it in stock?
",
        );
        assert_eq!(r.kind, BounceKind::Failed);
        assert_eq!(r.status.as_deref(), Some("5.1.1"));
        assert!(!r.standard);
        assert_eq!(
            r.diagnostic.as_deref(),
            Some("550 5.1.1 <owner@shop.example>: Recipient address rejected: User unknown")
        );
    }

    #[test]
    fn qmail_failure_notice_without_enhanced_code() {
        let r = parsed(
            "\
From: MAILER-DAEMON@mail.example
Subject: failure notice

Hi. This is the qmail-send program at mail.example.
I'm afraid I wasn't able to deliver your message to the following addresses.
This is a permanent error; I've given up. Sorry it didn't work out.

<owner@shop.example>:
192.0.2.9 does not like recipient.
Remote host said: 554 delivery error: dd This user doesn't have an account
Giving up on 192.0.2.9.
",
        );
        assert_eq!(r.kind, BounceKind::Failed);
        assert_eq!(r.status, None);
        assert!(
            r.diagnostic
                .as_deref()
                .unwrap()
                .contains("554 delivery error")
        );
    }

    #[test]
    fn plain_text_delay_warning_is_a_delay() {
        let r = parsed(
            "\
From: postmaster@mail.example
Subject: Warning: message still undelivered after 4 hours

Your message has not yet been delivered. The mail system will continue trying
for 5 days. 451 4.7.1 Greylisted, try again later
",
        );
        assert_eq!(r.kind, BounceKind::Delayed);
        assert_eq!(r.status.as_deref(), Some("4.7.1"));
    }

    #[test]
    fn failure_words_without_a_code_are_still_a_failure() {
        let r = parsed("Subject: Undelivered Mail Returned to Sender\n\nSorry.\n");
        assert_eq!(r.kind, BounceKind::Failed);
        assert_eq!((r.status, r.diagnostic), (None, None));
    }

    #[test]
    fn anything_else_is_other_and_never_panics() {
        assert_eq!(
            parsed("Subject: hello\n\nJust a note.\n").kind,
            BounceKind::Other
        );
        for raw in [
            &b""[..],
            b"\0\xff\xfe",
            b"Content-Type: multipart/report; boundary=x\r\n\r\n--x\r\nContent-Type: message/delivery-status\r\n\r\n",
            b"Content-Type: message/delivery-status\r\n\r\nAction: failed\r\nStatus: 5.",
            b"Content-Type: multipart/report; boundary=\"\"\r\n\r\n--\r\n--",
            b"Subject: \xff\r\n\r\n550\r\n",
        ] {
            let _ = parse_bounce(raw);
        }
        // A report whose status is cut off is still a failure by its action.
        let r = read_delivery_status("Final-Recipient: rfc822; a@x\nAction: failed\nStatus: 5.")
            .unwrap();
        assert_eq!((r.kind, r.status), (BounceKind::Failed, None));
    }

    #[test]
    fn long_diagnostics_are_clipped() {
        let long = format!("550 5.0.0 {}", "x".repeat(2000));
        let r = read_prose("Mail delivery failed", &long);
        assert_eq!(r.diagnostic.unwrap().chars().count(), MAX_DIAGNOSTIC);
    }

    #[test]
    fn a_status_with_digits_of_another_script_is_no_status() {
        assert_eq!(enhanced_status("552 5.2.2\u{6f2} Mailbox full"), None);
        assert_eq!(
            enhanced_status("552 5.2.2 Mailbox full"),
            Some("5.2.2".into())
        );
    }
}
