//! What the policy did to a message, per finding kind, in words for its
//! sender: one line per kind and how to do properly what it tried to do.
//! Built from the stored findings only, never from the text they cover
//! (it may be contact details).

use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::{Action, FindingKind, StoredFinding};

/// One finding kind of a message, explained to its sender.
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
    pub advice: Option<&'static str>,
}

/// The contact detail a kind names, or `None` for an intent kind.
fn noun(kind: FindingKind) -> Option<&'static str> {
    match kind {
        FindingKind::Email => Some("an email address"),
        FindingKind::Phone => Some("a phone number"),
        FindingKind::Url => Some("a link to another site"),
        FindingKind::MessagingHandle => Some("a messaging app handle"),
        FindingKind::OffsitePayment
        | FindingKind::ReviewManipulation
        | FindingKind::ContactRequest
        | FindingKind::Phishing
        | FindingKind::Promotional => None,
    }
}

/// Why a message with a finding of this kind breaks the rules: "it ...".
fn reason(kind: FindingKind, marketplace: &str) -> String {
    match (kind, noun(kind)) {
        (_, Some(noun)) => format!("it contains {noun}"),
        (FindingKind::OffsitePayment, _) => {
            format!("it asks for payment outside {marketplace}")
        }
        (FindingKind::ReviewManipulation, _) => {
            "it offers something in exchange for a review".to_owned()
        }
        (FindingKind::ContactRequest, _) => {
            "it asks for the other party's contact details".to_owned()
        }
        (FindingKind::Promotional, _) => {
            "it advertises or asks for something the order does not need".to_owned()
        }
        _ => "it asks for card details, passwords or security codes".to_owned(),
    }
}

/// The findings of a message, one entry per kind in the order each kind
/// first appears. `delivered` says whether what was kept of the message
/// may still reach the other party (a removal is news only then).
pub fn explain(findings: &[StoredFinding], delivered: bool, marketplace: &str) -> Vec<Explained> {
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
            let reason = reason(kind, marketplace);
            let what = match (action, noun(kind)) {
                (Action::Block, _) => format!("Not delivered: {reason}."),
                (Action::Hold, _) => format!("Held for review: {reason}."),
                (_, Some(noun)) if removed && delivered => {
                    format!("{} was removed.", capitalise(noun))
                }
                _ => format!("{}.", capitalise(&reason)),
            };
            Explained {
                kind,
                action,
                removed,
                what,
                advice: kind.advice(),
            }
        })
        .collect()
}

/// The explanation as lines of a plain-text notice; empty without findings.
pub fn as_text(explained: &[Explained]) -> String {
    let mut text = String::new();
    let mut given = Vec::new();
    for e in explained {
        text.push_str("- ");
        text.push_str(&e.what);
        text.push('\n');
        // Kinds that share their advice (a phone number, a request for one)
        // are told it once.
        if let Some(advice) = e.advice.filter(|a| !given.contains(a)) {
            given.push(advice);
            text.push_str("  How to do it properly: ");
            text.push_str(advice);
            text.push('\n');
        }
    }
    text
}

/// The marketplace's messaging rules in one sentence, for a notice or a
/// warning that has no finding to name.
pub fn messaging_rules(marketplace: &str) -> String {
    format!(
        "Messages on {marketplace} may not contain direct contact details, links to other \
         sites, requests to pay outside {marketplace}, or offers in exchange for reviews.\n",
    )
}

/// The rules a message broke, one line per finding kind the policy acted
/// on ("- It asks for payment outside Shopwise."); without such findings,
/// the rules in one sentence.
pub fn rules_broken(findings: &[StoredFinding], marketplace: &str) -> String {
    let explained = explain(findings, false, marketplace);
    if explained.is_empty() {
        return messaging_rules(marketplace);
    }
    explained
        .iter()
        .map(|e| format!("- {}.\n", capitalise(&reason(e.kind, marketplace))))
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
    use crate::domain::{Finding, FindingField};

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
        let explained = explain(&findings, true, "Shopwise");
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
        assert_eq!(explain(&[asked], true, "Shopwise"), []);
        // Nothing was delivered: nothing "was removed" from it.
        let blocked = explain(
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
            rules_broken(&findings, "Shopwise"),
            "- It asks for payment outside Shopwise.\n- It contains a phone number.\n"
        );
        assert_eq!(rules_broken(&[], "Shopwise"), messaging_rules("Shopwise"));
    }
}
