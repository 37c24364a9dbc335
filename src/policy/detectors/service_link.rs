//! This service's own signed links (consent answers, reports, opt-out) and
//! their bare tokens, and its invitation links, whatever the allowlist
//! says: whoever holds one acts as the party it was sent to. Found also
//! where a mail client quoted them with `> ` prefixes or wrapped them
//! across lines.

use super::{Detector, Hit, Scan};
use crate::policy::decision::FindingKind;

/// The rule id; a finding under it is always at least redacted.
pub const RULE: &str = "url.service_link";

/// A signed token (`links::LinkSigner::sign`): a record id, up to three
/// more fields, an expiry in unix seconds and a 43-character signature.
const TOKEN: &str = r"[0-9a-fA-F]{32}(?:\.[A-Za-z0-9]{1,40}){0,3}\.[0-9]{1,12}\.[A-Za-z0-9_-]{43}";

pub struct ServiceLinkDetector {
    link: regex::Regex,
    /// A line break and the quote marks or indentation after it.
    wrap: regex::Regex,
}

impl ServiceLinkDetector {
    pub fn new() -> Result<Self, regex::Error> {
        // The address in front of a page's segment: scheme, host, port and
        // any path before it.
        let address = r"(?:(?i:https?://)?[A-Za-z0-9.-]+(?::[0-9]{1,5})?)?(?:/[A-Za-z0-9._~%-]+)*";
        let signed = format!("(?:{address}/(?:consent|report|opt-out)/)?{TOKEN}");
        // An invitation's token is 256 random bits, not signed: only with
        // its page's path is it told from other text.
        let invitation = format!("{address}/invite/[A-Za-z0-9_-]{{43}}");
        Ok(Self {
            link: regex::Regex::new(&format!("{invitation}|{signed}"))?,
            wrap: regex::Regex::new(r"[ \t]*\r?\n[ \t>]*")?,
        })
    }
}

/// `text` without its line breaks and quote prefixes, with each kept
/// piece's start in `text`, so a match maps back to the input.
struct Unwrapped {
    text: String,
    /// (start in `text` of the joined string, start in the input).
    pieces: Vec<(usize, usize)>,
}

impl Unwrapped {
    fn new(input: &str, wrap: &regex::Regex) -> Self {
        let mut text = String::with_capacity(input.len());
        let mut pieces = Vec::new();
        let mut from = 0;
        for gap in wrap.find_iter(input) {
            pieces.push((text.len(), from));
            text.push_str(&input[from..gap.start()]);
            from = gap.end();
        }
        pieces.push((text.len(), from));
        text.push_str(&input[from..]);
        Self { text, pieces }
    }

    /// The input offset of a byte of the joined text.
    fn to_input(&self, at: usize) -> usize {
        let i = self.pieces.partition_point(|(start, _)| *start <= at) - 1;
        let (start, input) = self.pieces[i];
        input + (at - start)
    }
}

impl Detector for ServiceLinkDetector {
    fn kind(&self) -> FindingKind {
        FindingKind::Url
    }

    fn detect(&self, scan: &Scan<'_>, hits: &mut Vec<Hit>) {
        let unwrapped = Unwrapped::new(scan.input, &self.wrap);
        for found in self.link.find_iter(&unwrapped.text) {
            // The match is ASCII, so its last byte is a whole character.
            let start = unwrapped.to_input(found.start());
            let end = unwrapped.to_input(found.end() - 1) + 1;
            hits.push(Hit {
                kind: FindingKind::Url,
                start,
                end,
                rule: RULE.to_owned(),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN_TEXT: &str = "0196a5a1000070008000000000000000.grant.1790000000.abcdefghijABCDEFGHIJ0123456789_-abcdefghijk";

    fn spans(text: &str) -> Vec<&str> {
        let detector = ServiceLinkDetector::new().unwrap();
        let unwrapped = Unwrapped::new(text, &detector.wrap);
        detector
            .link
            .find_iter(&unwrapped.text)
            .map(|m| &text[unwrapped.to_input(m.start())..unwrapped.to_input(m.end() - 1) + 1])
            .collect()
    }

    #[test]
    fn finds_links_and_tokens_however_they_were_quoted() {
        let link = format!("https://relay.example.com/consent/{TOKEN_TEXT}");
        assert_eq!(spans(&format!("Open {link} now")), [link.as_str()]);
        let (head, tail) = link.split_at(60);
        let wrapped = format!("> Open:\n> {head}\n> {tail}\n> thanks");
        assert_eq!(spans(&wrapped), [format!("{head}\n> {tail}").as_str()]);
        let bare = format!("token {TOKEN_TEXT}.");
        assert_eq!(spans(&bare), [TOKEN_TEXT]);
        let local = format!("http://127.0.0.1:8080/base/opt-out/{TOKEN_TEXT}");
        assert_eq!(spans(&local), [local.as_str()]);
        assert!(spans("order 123-1234567-1234567, see https://relay.example.com/help").is_empty());
        let invite = "https://relay.example.com/invite/3q2vAbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_a";
        assert_eq!(spans(&format!("set it at {invite}")), [invite]);
    }

    #[test]
    fn removed_on_an_allowlisted_domain_even_where_links_are_delivered() {
        use crate::domain::{Action, Direction};
        let policy = crate::policy::Policy::from_toml(
            "[actions.url]\nall = \"deliver\"\n[allowlist]\ndomains = [\"relay.example.com\"]\n",
            "relay.example.com",
        )
        .unwrap();
        let text = format!("> https://relay.example.com/consent/{TOKEN_TEXT}\n> see you");
        let decision = policy.evaluate(&text, Direction::BuyerToSeller, &[]);
        assert_eq!(decision.action, Action::Redact);
        assert_eq!(decision.redacted_text, "> [link removed]\n> see you");
        let plain = policy.evaluate(
            "https://relay.example.com/help and https://else.example/x",
            Direction::BuyerToSeller,
            &[],
        );
        assert_eq!(
            plain.action,
            Action::Deliver,
            "other links follow the policy file"
        );
    }
}
