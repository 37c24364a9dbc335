//! Runs the policy over every part a recipient would see (subject, text,
//! HTML) and combines the verdicts into one.

use std::cell::RefCell;

use crate::{
    domain::{
        Action, Conversation, DeliveredFile, Direction, FindingField, MessageFiles, RemovedFile,
        ShownNames, StoredFinding, rule_ids,
    },
    mime::{self, TextRedaction},
    policy::{Decision, EvalContext, Policy, redact},
};

/// The combined verdict and the filtered parts.
#[derive(Clone, Debug)]
pub struct Judgement {
    pub action: Action,
    pub subject: String,
    pub text: String,
    pub html: Option<String>,
    pub findings: Vec<StoredFinding>,
    /// The files as the recipient gets them ([`judge_attachments`]).
    pub files: MessageFiles,
}

impl Judgement {
    /// Nothing found yet: delivered as it is.
    pub fn empty() -> Self {
        Self {
            action: Action::Deliver,
            subject: String::new(),
            text: String::new(),
            html: None,
            findings: Vec::new(),
            files: MessageFiles::default(),
        }
    }

    /// Rule ids that fired, for the audit trail.
    pub fn rules(&self) -> Vec<String> {
        rule_ids(&self.findings)
    }

    /// Adds a part's decision: the strictest action wins, and each finding
    /// records whether its span was replaced in what is delivered.
    fn absorb(&mut self, field: FindingField, decision: &Decision) {
        let spans = decision.redactions();
        self.action = self.action.max(decision.action);
        for f in &decision.findings {
            let removed = spans.iter().any(|r| r.start <= f.start && f.end <= r.end);
            self.findings.push(StoredFinding {
                field,
                finding: f.clone(),
                removed,
            });
        }
    }
}

pub fn judge(
    policy: &Policy,
    direction: Direction,
    context: &EvalContext,
    subject: &str,
    text: &str,
    html: Option<&str>,
) -> Judgement {
    let mut judgement = Judgement::empty();
    let subject_clean: String = subject.chars().filter(|c| !c.is_control()).collect();
    // The body is what the sender wrote as a whole; the rest are parts of
    // it, judged by the rules alone (`Policy::evaluate_part`).
    let subject_decision = policy.evaluate_part(&subject_clean, direction, context);
    judgement.absorb(FindingField::Subject, &subject_decision);
    let text_decision = policy.evaluate_in(text, direction, context);
    judgement.absorb(FindingField::Text, &text_decision);

    // The HTML part is judged on its own visible text: a sender could put
    // something in the HTML that the plain part does not show.
    judgement.html = html.map(|h| {
        let html_decision: RefCell<Option<Decision>> = RefCell::new(None);
        let out = mime::filter_html(h, &|visible: &str| {
            let d = policy.evaluate_part(visible, direction, context);
            let spans = d
                .redactions()
                .into_iter()
                .map(|r| TextRedaction {
                    start: r.start,
                    end: r.end,
                    replacement: r.placeholder,
                })
                .collect();
            *html_decision.borrow_mut() = Some(d);
            spans
        });
        if let Some(d) = html_decision.into_inner() {
            judgement.absorb(FindingField::Html, &d);
        }
        out
    });
    judgement.subject = subject_decision.redacted_text;
    judgement.text = text_decision.redacted_text;
    judgement
}

/// The readable text of an attachment the filter must see: text as its
/// bytes show it (whatever type the sender declared), forwarded messages as
/// their subject and body. Other kinds (images, PDFs) pass as they are.
pub fn attachment_text(attachment: &mime::Attachment) -> Option<String> {
    let content_type = attachment.content_type.to_ascii_lowercase();
    if content_type.starts_with("message/") {
        let inner = mime::parse(&attachment.data);
        return Some(format!(
            "{}\n\n{}",
            inner.subject.unwrap_or_default(),
            inner.text
        ));
    }
    if super::attachments::sniff(&attachment.data) != "text/plain" {
        return None;
    }
    Some(match std::str::from_utf8(&attachment.data) {
        Ok(text) => text.to_owned(),
        // An 8-bit charset: read as Latin-1, byte for character.
        Err(_) => attachment.data.iter().map(|b| char::from(*b)).collect(),
    })
}

/// Judges the files too, and decides what of them the recipient gets: a
/// text file must not smuggle what the body may not say. The same
/// decisions give the findings and the filtered names and text recorded
/// in `judgement.files`, which is what delivery sends.
pub fn judge_attachments(
    policy: &Policy,
    direction: Direction,
    context: &EvalContext,
    judgement: &mut Judgement,
    attachments: &[mime::Attachment],
) {
    for (part, attachment) in attachments.iter().enumerate() {
        let kind = super::attachments::kind_of(attachment);
        // Files of a type not allowed through are not delivered, so not
        // judged; their sender is told under the name as it may be shown.
        if !policy.allows_file_type(kind) {
            judgement.files.removed.push(RemovedFile {
                name: match attachment.filename.as_deref() {
                    Some(name) => judge_attachment_name(policy, direction, context, name).1,
                    None => format!("attachment-{}", part + 1),
                },
                kind: kind.to_owned(),
                size: attachment.data.len(),
            });
            continue;
        }
        let name = attachment.filename.as_deref().map(|name| {
            let (decisions, delivered) = judge_attachment_name(policy, direction, context, name);
            for decision in &decisions {
                judgement.absorb(FindingField::AttachmentName, decision);
            }
            delivered
        });
        let text = attachment_text(attachment).map(|text| {
            let decision = policy.evaluate_part(&text, direction, context);
            judgement.absorb(FindingField::Attachment, &decision);
            decision.redacted_text
        });
        let forwarded = attachment
            .content_type
            .to_ascii_lowercase()
            .starts_with("message/");
        let name = match name {
            _ if forwarded => format!("forwarded-message-{}.txt", part + 1),
            Some(name) => name,
            None => format!("attachment-{}", part + 1),
        };
        judgement.files.delivered.push(DeliveredFile {
            part,
            name: super::attachments::name_for(&name, kind),
            content_type: match text {
                Some(_) => "text/plain; charset=utf-8".to_owned(),
                None => kind.to_owned(),
            },
            size: text.as_ref().map_or(attachment.data.len(), String::len),
            text,
        });
    }
}

/// Judges a file name as written and as words, and gives the name as
/// delivered. Names put `-` or `_` where text has spaces
/// (`call-me-+44 20 7946 0958.pdf`), and the phone detector does not start
/// a number right after a hyphen, so the second pass reads the already
/// filtered name with those as spaces. The first pass keeps addresses such
/// as `first_last@example.com` whole.
pub fn judge_attachment_name(
    policy: &Policy,
    direction: Direction,
    context: &EvalContext,
    name: &str,
) -> ([Decision; 2], String) {
    let as_written = policy.evaluate_part(name, direction, context);
    // One character for one, so the spans found apply to the filtered name.
    let spaced: String = as_written
        .redacted_text
        .chars()
        .map(|c| if matches!(c, '-' | '_') { ' ' } else { c })
        .collect();
    let as_words = policy.evaluate_part(&spaced, direction, context);
    let delivered = redact::apply(&as_written.redacted_text, &as_words.redactions());
    ([as_written, as_words], delivered)
}

/// A party's name as the other side sees it: the one function every page,
/// API answer and mail that shows one party's name to the other goes
/// through. A name that carries contact details or off-platform intent
/// (under either direction's rules) shows as `fallback`; quotes, angle
/// brackets and control characters never pass, so it is safe in a header.
pub fn safe_display_name(policy: &Policy, name: &str, fallback: &str) -> String {
    let clean: String = name
        .chars()
        .filter(|c| !c.is_control() && *c != '"' && *c != '<' && *c != '>')
        .collect();
    let clean = clean.trim();
    if clean.is_empty() {
        return fallback.to_owned();
    }
    let flagged = [Direction::BuyerToSeller, Direction::SellerToBuyer]
        .into_iter()
        .any(|direction| {
            policy
                .evaluate_part(clean, direction, &EvalContext::default())
                .findings
                .iter()
                .any(|f| f.action >= Action::Redact)
        });
    if flagged {
        fallback.to_owned()
    } else {
        clean.to_owned()
    }
}

/// The names a message travelling `direction` shows its recipient: the
/// sender's (or their role) and the recipient's (or nothing). Judged when
/// the message is accepted and recorded with it.
pub fn shown_names(
    policy: &Policy,
    conversation: &Conversation,
    direction: Direction,
) -> ShownNames {
    let (sender, role, recipient) = match direction {
        Direction::BuyerToSeller => (&conversation.buyer.name, BUYER, &conversation.seller.name),
        Direction::SellerToBuyer => (&conversation.seller.name, SELLER, &conversation.buyer.name),
    };
    ShownNames {
        sender: safe_display_name(policy, sender, role),
        recipient: safe_display_name(policy, recipient, ""),
    }
}

/// What a seller's name shows as when it cannot be shown.
pub const SELLER: &str = "Seller";
/// What a buyer's name shows as when it cannot be shown.
pub const BUYER: &str = "Buyer";

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    fn name(policy: &Policy, name: &str) -> (Action, String) {
        let (decisions, delivered) = judge_attachment_name(
            policy,
            Direction::SellerToBuyer,
            &EvalContext::default(),
            name,
        );
        let action = decisions.iter().map(|d| d.action).max().unwrap();
        (action, delivered)
    }

    #[test]
    fn names_with_contact_details_or_intent_show_as_the_role() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("config/policy.toml");
        let policy = Policy::from_file(&path, "relay.localhost").expect("policy loads");
        for name in [
            "Call 0170 1234567",
            "shop@mail.example",
            "wa.me/491701234567",
            "Pay me via PayPal friends and family",
        ] {
            assert_eq!(safe_display_name(&policy, name, SELLER), SELLER, "{name}");
        }
        assert_eq!(
            safe_display_name(&policy, " Gadget \"Shop\" <x>\n", SELLER),
            "Gadget Shop x"
        );
        assert_eq!(
            safe_display_name(&policy, "Jane Buyer", BUYER),
            "Jane Buyer"
        );
    }

    #[test]
    fn file_names_are_read_as_words_and_as_written() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("config/policy.toml");
        let policy = Policy::from_file(&path, "relay.localhost").expect("policy loads");
        let (action, delivered) = name(&policy, "our-phone-+44 20 7946 0958.pdf");
        assert_eq!(action, Action::Redact);
        assert!(!delivered.contains("7946"), "{delivered}");
        assert!(delivered.starts_with("our-phone-") && delivered.ends_with(".pdf"));
        // An address with an underscore goes whole, not from the underscore on.
        let (_, delivered) = name(&policy, "jane_doe@mail.example.txt");
        assert!(!delivered.contains("jane"), "{delivered}");
        assert_eq!(
            name(&policy, "IMG_20240315_123456.jpg"),
            (Action::Deliver, "IMG_20240315_123456.jpg".to_owned())
        );
    }
}
