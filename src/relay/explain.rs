//! What the policy did to a message, per finding kind, in words for its
//! sender: one line per kind and how to do properly what it tried to do.
//! Built from the stored findings only, never from the text they cover
//! (it may be contact details).

use serde::Serialize;
use utoipa::ToSchema;

use crate::catalogue::Words;
use crate::domain::{Action, FindingKind, StoredFinding};

/// One finding kind of a message, explained to its sender in their language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct Explained {
    pub kind: FindingKind,
    /// The strictest action among the findings of this kind.
    pub action: Action,
    /// Whether a span of this kind was replaced by a placeholder.
    pub removed: bool,
    /// What happened, e.g. "A phone number was removed."
    pub what: String,
    /// How to do it properly, when there is a proper way.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub advice: Option<String>,
}

/// The catalogue's name for a kind (`messaging-handle`).
fn id(kind: FindingKind) -> String {
    kind.as_str().replace('_', "-")
}

/// Whether the kind is a contact detail (removed) rather than an intent.
fn is_contact(kind: FindingKind) -> bool {
    matches!(
        kind,
        FindingKind::Email | FindingKind::Phone | FindingKind::Url | FindingKind::MessagingHandle
    )
}

/// The catalogue's advice for a kind: kinds that share a proper way (a
/// phone number and a request for one) share their advice.
fn advice_id(kind: FindingKind) -> &'static str {
    match kind {
        FindingKind::Phone | FindingKind::ContactRequest => "advice-phone",
        FindingKind::Email | FindingKind::MessagingHandle => "advice-email",
        FindingKind::Url => "advice-url",
        FindingKind::OffsitePayment => "advice-offsite-payment",
        FindingKind::ReviewManipulation => "advice-review-manipulation",
        FindingKind::Phishing => "advice-phishing",
        FindingKind::Promotional => "advice-promotional",
    }
}

/// Why a message with a finding of this kind breaks the rules: "it ...".
fn reason(words: Words, kind: FindingKind, marketplace: &str) -> String {
    words.with(
        &format!("reason-{}", id(kind)),
        &[("marketplace", marketplace.into())],
    )
}

/// The findings of a message, one entry per kind in the order each kind
/// first appears. `delivered` says whether what was kept of the message
/// may still reach the other party (a removal is news only then).
pub fn explain(
    words: Words,
    findings: &[StoredFinding],
    delivered: bool,
    marketplace: &str,
) -> Vec<Explained> {
    let mut kinds: Vec<(FindingKind, Action, bool)> = Vec::new();
    for f in findings {
        match kinds.iter_mut().find(|(k, _, _)| *k == f.finding.kind) {
            Some((_, action, removed)) => {
                *action = (*action).max(f.finding.action);
                *removed |= f.removed;
            }
            None => kinds.push((f.finding.kind, f.finding.action, f.removed)),
        }
    }
    kinds
        .into_iter()
        // What the policy let through untouched (a buyer asking how to
        // reach the seller) is no news to its sender.
        .filter(|(_, action, removed)| *action != Action::Deliver || *removed)
        .map(|(kind, action, removed)| {
            let reason = reason(words, kind, marketplace);
            let what = match action {
                Action::Block => words.with("found-blocked", &[("reason", (&reason).into())]),
                Action::Hold => words.with("found-held", &[("reason", (&reason).into())]),
                _ if is_contact(kind) && removed && delivered => {
                    words.get(&format!("removed-{}", id(kind)))
                }
                _ => capitalise(&words.with("found-reason", &[("reason", (&reason).into())])),
            };
            Explained {
                kind,
                action,
                removed,
                what,
                advice: Some(words.get(advice_id(kind))),
            }
        })
        .collect()
}

/// The explanation as lines of a plain-text notice; empty without findings.
pub fn as_text(words: Words, explained: &[Explained]) -> String {
    let mut text = String::new();
    let mut given = Vec::new();
    for e in explained {
        text.push_str("- ");
        text.push_str(&e.what);
        text.push('\n');
        // Kinds that share their advice (a phone number, a request for one)
        // are told it once.
        if let Some(advice) = e.advice.as_ref().filter(|a| !given.contains(a)) {
            given.push(advice);
            text.push_str("  ");
            text.push_str(&words.with("notice-advice", &[("advice", advice.into())]));
            text.push('\n');
        }
    }
    text
}

/// The marketplace's messaging rules in one sentence, for a notice or a
/// warning that has no finding to name.
pub fn messaging_rules(words: Words, marketplace: &str) -> String {
    words.with("messaging-rules", &[("marketplace", marketplace.into())]) + "\n"
}

/// The rules a message broke, one line per finding kind the policy acted
/// on ("- It asks for payment outside Shopwise."); without such findings,
/// the rules in one sentence.
pub fn rules_broken(words: Words, findings: &[StoredFinding], marketplace: &str) -> String {
    let explained = explain(words, findings, false, marketplace);
    if explained.is_empty() {
        return messaging_rules(words, marketplace);
    }
    explained
        .iter()
        .map(|e| {
            let reason = reason(words, e.kind, marketplace);
            let line = words.with("found-reason", &[("reason", (&reason).into())]);
            format!("- {}\n", capitalise(&line))
        })
        .collect()
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Finding, FindingField, Language};

    const EN: Words = Words(Language::En);

    fn found(kind: FindingKind, action: Action, removed: bool) -> StoredFinding {
        StoredFinding {
            field: FindingField::Text,
            finding: Finding {
                kind,
                start: 0,
                end: 5,
                rule: "test".into(),
                action,
            },
            removed,
        }
    }

    #[test]
    fn one_line_per_kind_with_its_strictest_action() {
        let findings = [
            found(FindingKind::Phone, Action::Redact, true),
            found(FindingKind::OffsitePayment, Action::Hold, false),
            found(FindingKind::Phone, Action::Redact, true),
        ];
        let explained = explain(EN, &findings, true, "Shopwise");
        let what: Vec<&str> = explained.iter().map(|e| e.what.as_str()).collect();
        assert_eq!(
            what,
            [
                "A phone number was removed.",
                "Held for review: it asks for payment outside Shopwise.",
            ]
        );
        assert!(explained.iter().all(|e| e.advice.is_some()));
        // Let through untouched: nothing to tell.
        let asked = found(FindingKind::ContactRequest, Action::Deliver, false);
        assert_eq!(explain(EN, &[asked], true, "Shopwise"), []);
        // Nothing was delivered: nothing "was removed" from it.
        let blocked = explain(
            EN,
            &[found(FindingKind::Email, Action::Redact, true)],
            false,
            "Shopwise",
        );
        assert_eq!(blocked[0].what, "It contains an email address.");
    }

    #[test]
    fn the_rules_broken_name_each_kind_acted_on_or_else_all_rules() {
        let findings = [
            found(FindingKind::OffsitePayment, Action::Hold, false),
            found(FindingKind::ContactRequest, Action::Deliver, false),
            found(FindingKind::Phone, Action::Redact, true),
        ];
        assert_eq!(
            rules_broken(EN, &findings, "Shopwise"),
            "- It asks for payment outside Shopwise.\n- It contains a phone number.\n"
        );
        assert_eq!(
            rules_broken(EN, &[], "Shopwise"),
            messaging_rules(EN, "Shopwise")
        );
    }

    #[test]
    fn a_german_sender_is_told_in_german() {
        let de = Words(Language::De);
        let findings = [
            found(FindingKind::Phone, Action::Redact, true),
            found(FindingKind::OffsitePayment, Action::Hold, false),
        ];
        let explained = explain(de, &findings, true, "Shopwise");
        let english = explain(EN, &findings, true, "Shopwise");
        for (de, en) in explained.iter().zip(&english) {
            assert_ne!(de.what, en.what);
            assert_ne!(de.advice, en.advice);
        }
        assert!(explained[1].what.contains("Shopwise"), "{:?}", explained[1]);
    }
}
