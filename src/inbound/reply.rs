//! Every SMTP reply the listener sends, one named constructor each.

use std::borrow::Cow;

use smtp_proto::{
    EXT_8BIT_MIME, EXT_ENHANCED_STATUS_CODES, EXT_PIPELINING, EXT_SIZE, EXT_START_TLS,
    EhloResponse, Response,
};

/// Longest free text we put in a reply built from someone else's words.
const MAX_TEXT_LEN: usize = 200;

/// One reply: a status code, an enhanced status code where RFC 2034 wants one,
/// and a single line of text. The EHLO reply is the only multi-line one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SmtpReply {
    code: u16,
    kind: Kind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Kind {
    Line {
        esc: Option<[u8; 3]>,
        text: Cow<'static, str>,
    },
    Ehlo {
        hostname: String,
        max_size: usize,
        starttls: bool,
    },
}

impl SmtpReply {
    const fn enhanced(code: u16, esc: [u8; 3], text: &'static str) -> Self {
        Self {
            code,
            kind: Kind::Line {
                esc: Some(esc),
                text: Cow::Borrowed(text),
            },
        }
    }

    fn enhanced_owned(code: u16, esc: [u8; 3], text: String) -> Self {
        Self {
            code,
            kind: Kind::Line {
                esc: Some(esc),
                text: Cow::Owned(text),
            },
        }
    }

    fn plain(code: u16, text: String) -> Self {
        Self {
            code,
            kind: Kind::Line {
                esc: None,
                text: Cow::Owned(text),
            },
        }
    }

    pub fn code(&self) -> u16 {
        self.code
    }

    /// 4xx and 5xx.
    pub fn is_negative(&self) -> bool {
        self.code >= 400
    }

    /// Appends the wire form, CRLF-terminated, to `out`.
    pub fn write_to(&self, out: &mut Vec<u8>) {
        match &self.kind {
            Kind::Line {
                esc: Some([a, b, c]),
                text,
            } => {
                // Writing into a Vec cannot fail.
                let _ = Response::new(self.code, *a, *b, *c, text).write(&mut *out);
            }
            Kind::Line { esc: None, text } => {
                out.extend_from_slice(format!("{} {}\r\n", self.code, text).as_bytes());
            }
            Kind::Ehlo {
                hostname,
                max_size,
                starttls,
            } => {
                let mut ehlo = EhloResponse::new(hostname.as_str());
                ehlo.capabilities =
                    EXT_SIZE | EXT_8BIT_MIME | EXT_PIPELINING | EXT_ENHANCED_STATUS_CODES;
                if *starttls {
                    ehlo.capabilities |= EXT_START_TLS;
                }
                ehlo.size = *max_size;
                let mut lines = Vec::new();
                let _ = ehlo.write(&mut lines);
                // smtp-proto's first line carries a joke; ours says who we are.
                let rest = lines
                    .windows(2)
                    .position(|w| w == b"\r\n")
                    .map_or(&lines[..0], |end| &lines[end + 2..]);
                out.extend_from_slice(format!("250-{hostname} ESMTP marketrelay\r\n").as_bytes());
                out.extend_from_slice(rest);
            }
        }
    }

    #[cfg(test)]
    pub fn to_wire(&self) -> String {
        let mut out = Vec::new();
        self.write_to(&mut out);
        String::from_utf8(out).unwrap_or_default()
    }
}

/// Keeps text from a peer or a sink to one printable line of bounded length,
/// so it cannot forge extra reply lines.
pub fn sanitize(text: &str) -> String {
    let mut clean: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(MAX_TEXT_LEN)
        .collect();
    let trimmed = clean.trim_end().len();
    clean.truncate(trimmed);
    clean
}

pub fn greeting(hostname: &str) -> SmtpReply {
    SmtpReply::plain(220, format!("{hostname} ESMTP marketrelay"))
}

pub fn ehlo(hostname: &str, max_size: usize, starttls: bool) -> SmtpReply {
    SmtpReply {
        code: 250,
        kind: Kind::Ehlo {
            hostname: hostname.to_owned(),
            max_size,
            starttls,
        },
    }
}

pub fn helo(hostname: &str) -> SmtpReply {
    SmtpReply::plain(250, hostname.to_owned())
}

pub fn ok() -> SmtpReply {
    SmtpReply::enhanced(250, [2, 0, 0], "OK")
}

pub fn sender_ok() -> SmtpReply {
    SmtpReply::enhanced(250, [2, 1, 0], "sender OK")
}

pub fn recipient_ok() -> SmtpReply {
    SmtpReply::enhanced(250, [2, 1, 5], "recipient OK")
}

pub fn start_data() -> SmtpReply {
    SmtpReply::plain(354, "start mail input; end with <CRLF>.<CRLF>".to_owned())
}

/// The only positive answer to DATA, sent once the sink has stored the message.
pub fn queued(ids: &[String]) -> SmtpReply {
    let ids: Vec<String> = ids.iter().map(|id| sanitize(id)).collect();
    if ids.is_empty() {
        return SmtpReply::enhanced(250, [2, 0, 0], "queued");
    }
    SmtpReply::enhanced_owned(250, [2, 0, 0], format!("queued as {}", ids.join(" ")))
}

pub fn reset() -> SmtpReply {
    SmtpReply::enhanced(250, [2, 0, 0], "reset")
}

pub fn closing(hostname: &str) -> SmtpReply {
    SmtpReply::enhanced_owned(221, [2, 0, 0], format!("{hostname} closing connection"))
}

pub fn cannot_verify() -> SmtpReply {
    SmtpReply::enhanced(
        252,
        [2, 5, 0],
        "cannot VRFY user, but will accept message and attempt delivery",
    )
}

pub fn help() -> SmtpReply {
    SmtpReply::enhanced(
        214,
        [2, 0, 0],
        "commands: EHLO HELO MAIL RCPT DATA RSET NOOP QUIT VRFY HELP",
    )
}

pub fn ready_to_start_tls() -> SmtpReply {
    SmtpReply::enhanced(220, [2, 0, 0], "ready to start TLS")
}

pub fn unknown_recipient() -> SmtpReply {
    SmtpReply::enhanced(550, [5, 1, 1], "no such recipient here")
}

/// A bounce to a return path the relay signed, past its lifetime.
pub fn return_path_expired() -> SmtpReply {
    SmtpReply::enhanced(
        550,
        [5, 1, 1],
        "this return path has expired and takes no more bounces",
    )
}

pub fn sender_not_allowed() -> SmtpReply {
    SmtpReply::enhanced(550, [5, 7, 1], "sender may not write to this recipient")
}

pub fn recipient_try_later() -> SmtpReply {
    SmtpReply::enhanced(
        451,
        [4, 3, 0],
        "cannot check recipient now, try again later",
    )
}

pub fn too_many_recipients() -> SmtpReply {
    SmtpReply::enhanced(452, [4, 5, 3], "too many recipients")
}

pub fn message_too_large() -> SmtpReply {
    SmtpReply::enhanced(552, [5, 3, 4], "message size exceeds fixed maximum")
}

pub fn no_valid_recipients() -> SmtpReply {
    SmtpReply::enhanced(554, [5, 5, 1], "no valid recipients")
}

pub fn need_mail_first() -> SmtpReply {
    SmtpReply::enhanced(503, [5, 5, 1], "bad sequence of commands: need MAIL first")
}

pub fn need_rcpt_first() -> SmtpReply {
    SmtpReply::enhanced(503, [5, 5, 1], "bad sequence of commands: need RCPT first")
}

pub fn need_helo_first() -> SmtpReply {
    SmtpReply::enhanced(503, [5, 5, 1], "bad sequence of commands: send EHLO first")
}

pub fn sender_already_given() -> SmtpReply {
    SmtpReply::enhanced(
        503,
        [5, 5, 1],
        "bad sequence of commands: sender already given",
    )
}

pub fn tls_already_active() -> SmtpReply {
    SmtpReply::enhanced(
        503,
        [5, 5, 1],
        "bad sequence of commands: TLS already active",
    )
}

pub fn unknown_command() -> SmtpReply {
    SmtpReply::enhanced(500, [5, 5, 2], "command not recognized")
}

pub fn line_too_long() -> SmtpReply {
    SmtpReply::enhanced(500, [5, 5, 2], "line too long")
}

pub fn not_implemented() -> SmtpReply {
    SmtpReply::enhanced(502, [5, 5, 1], "command not implemented")
}

pub fn syntax_error(syntax: &str) -> SmtpReply {
    SmtpReply::enhanced_owned(501, [5, 5, 2], format!("syntax: {}", sanitize(syntax)))
}

pub fn invalid_sender_address() -> SmtpReply {
    SmtpReply::enhanced(501, [5, 1, 7], "bad sender address syntax")
}

pub fn invalid_recipient_address() -> SmtpReply {
    SmtpReply::enhanced(501, [5, 1, 3], "bad recipient address syntax")
}

pub fn invalid_parameter(param: &str) -> SmtpReply {
    SmtpReply::enhanced_owned(
        501,
        [5, 5, 4],
        format!("invalid parameter {}", sanitize(param)),
    )
}

/// RFC 5321 4.1.1.11: a MAIL or RCPT parameter we do not implement.
pub fn unsupported_parameter() -> SmtpReply {
    SmtpReply::enhanced(555, [5, 5, 4], "parameter not supported")
}

pub fn temporary_failure() -> SmtpReply {
    SmtpReply::enhanced(451, [4, 3, 0], "temporary failure, try again later")
}

/// The sink refused the message for good; its reason goes to the sender.
pub fn rejected(reason: &str) -> SmtpReply {
    let reason = sanitize(reason);
    let text = if reason.is_empty() {
        "message rejected".to_owned()
    } else {
        reason
    };
    SmtpReply::enhanced_owned(554, [5, 6, 0], text)
}

pub fn too_many_errors() -> SmtpReply {
    SmtpReply::enhanced(421, [4, 7, 0], "too many errors, closing connection")
}

pub fn too_many_connections(hostname: &str) -> SmtpReply {
    SmtpReply::enhanced_owned(
        421,
        [4, 7, 0],
        format!("{hostname} too many connections, try again later"),
    )
}

pub fn timeout(hostname: &str) -> SmtpReply {
    SmtpReply::enhanced_owned(
        421,
        [4, 4, 2],
        format!("{hostname} timeout, closing connection"),
    )
}

pub fn shutting_down() -> SmtpReply {
    SmtpReply::enhanced(421, [4, 3, 2], "shutting down")
}

pub fn too_many_connections_from_you(hostname: &str) -> SmtpReply {
    SmtpReply::enhanced_owned(
        421,
        [4, 7, 0],
        format!("{hostname} too many connections from your address, try again later"),
    )
}

pub fn session_too_long(hostname: &str) -> SmtpReply {
    SmtpReply::enhanced_owned(
        421,
        [4, 4, 2],
        format!("{hostname} session lasted too long, closing connection"),
    )
}

pub fn too_many_commands() -> SmtpReply {
    SmtpReply::enhanced(
        421,
        [4, 7, 0],
        "too many commands without a message, closing connection",
    )
}

/// Said at MAIL, to any sender, once a client's refusals use up its window.
/// Said at MAIL while the client's refusals cannot be read from the store.
pub fn refusals_unknown() -> SmtpReply {
    SmtpReply::enhanced(
        451,
        [4, 3, 0],
        "cannot check your address's refused messages now, try again later",
    )
}

pub fn too_many_refusals() -> SmtpReply {
    SmtpReply::enhanced(
        450,
        [4, 7, 1],
        "too many refused messages from your address, try again later",
    )
}

pub fn auth_unavailable() -> SmtpReply {
    SmtpReply::enhanced(
        451,
        [4, 7, 0],
        "cannot verify the sender now, try again later",
    )
}

pub fn recipient_throttled() -> SmtpReply {
    SmtpReply::enhanced(
        451,
        [4, 7, 1],
        "too many refused messages for this recipient, try again later",
    )
}

/// RFC 3463 X.3.1: the byte budget has no room for the message just now.
pub fn insufficient_resources() -> SmtpReply {
    SmtpReply::enhanced(
        452,
        [4, 3, 1],
        "insufficient system resources, try again later",
    )
}

pub fn tls_failed() -> SmtpReply {
    SmtpReply::enhanced(454, [4, 7, 0], "TLS not available")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enhanced_reply_has_code_status_and_text() {
        assert_eq!(
            unknown_recipient().to_wire(),
            "550 5.1.1 no such recipient here\r\n"
        );
    }

    #[test]
    fn greeting_names_the_host() {
        assert_eq!(
            greeting("mx.test").to_wire(),
            "220 mx.test ESMTP marketrelay\r\n"
        );
    }

    #[test]
    fn ehlo_advertises_extensions() {
        let wire = ehlo("mx.test", 1000, false).to_wire();
        assert!(
            wire.starts_with("250-mx.test ESMTP marketrelay\r\n"),
            "{wire}"
        );
        for ext in ["SIZE 1000", "8BITMIME", "PIPELINING", "ENHANCEDSTATUSCODES"] {
            assert!(wire.contains(ext), "{ext} missing in {wire}");
        }
        assert!(!wire.contains("STARTTLS"));
        assert!(
            wire.ends_with("\r\n") && wire.lines().last().is_some_and(|l| l.starts_with("250 "))
        );
        assert!(
            ehlo("mx.test", 1000, true)
                .to_wire()
                .contains("250-STARTTLS\r\n")
        );
    }

    #[test]
    fn queued_lists_every_id() {
        let ids = ["a1".to_owned(), "b2".to_owned()];
        assert_eq!(queued(&ids).to_wire(), "250 2.0.0 queued as a1 b2\r\n");
    }

    #[test]
    fn rejection_text_cannot_inject_lines() {
        let wire = rejected("bad\r\n250 2.0.0 fake\nmore").to_wire();
        assert_eq!(wire.matches("\r\n").count(), 1, "{wire}");
        assert!(wire.starts_with("554 5.6.0 bad"));
        assert_eq!(rejected("").to_wire(), "554 5.6.0 message rejected\r\n");
    }
}
