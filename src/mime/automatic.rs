//! RFC 3834: whether an inbound mail was sent by a machine (auto-replies, bulk and list mail).

use super::headers::header_values;

/// The RFC 3834 keyword that marks `raw` as automatic mail, or `None` for
/// mail a person wrote. The keyword is what the relayed copy carries in its
/// own `Auto-Submitted`, so the recipient's responder stays quiet too.
pub fn auto_submitted(raw: &[u8]) -> Option<String> {
    for value in header_values(raw, "Auto-Submitted") {
        // RFC 3834 5.1: the keyword comes before any parameters; "no" is a person.
        let keyword = keyword(&value);
        if !keyword.is_empty() && keyword != "no" {
            return Some(keyword);
        }
    }
    // Older conventions that responders honour as well (RFC 3834 2, RFC 2369).
    let bulk = header_values(raw, "Precedence")
        .iter()
        .any(|v| matches!(keyword(v).as_str(), "bulk" | "junk" | "list"));
    let list = !header_values(raw, "List-Id").is_empty();
    let autoreply = ["X-Autoreply", "X-Autorespond"]
        .iter()
        .any(|name| !header_values(raw, name).is_empty());
    if autoreply {
        Some("auto-replied".into())
    } else if bulk || list {
        Some("auto-generated".into())
    } else {
        None
    }
}

fn keyword(value: &str) -> String {
    value
        .split([';', '(', ' ', '\t'])
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn automatic_mail_is_recognised_by_each_convention() {
        for (headers, expected) in [
            ("Auto-Submitted: auto-replied", Some("auto-replied")),
            (
                "Auto-Submitted: Auto-Generated (vacation)",
                Some("auto-generated"),
            ),
            (
                "Auto-Submitted: auto-notified; owner-email=x",
                Some("auto-notified"),
            ),
            ("Auto-Submitted: no", None),
            ("Precedence: bulk", Some("auto-generated")),
            ("Precedence: junk", Some("auto-generated")),
            ("Precedence: list", Some("auto-generated")),
            ("Precedence: first-class", None),
            ("List-Id: <news.shop.example>", Some("auto-generated")),
            ("X-Autoreply: yes", Some("auto-replied")),
            ("Subject: hello", None),
        ] {
            let raw = format!("From: a@b.example\r\n{headers}\r\n\r\nbody\r\n");
            assert_eq!(
                auto_submitted(raw.as_bytes()).as_deref(),
                expected,
                "{headers}"
            );
        }
    }
}
