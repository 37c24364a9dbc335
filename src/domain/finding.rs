//! What the policy found in a message, as stored with it and shown to staff.

use serde::{Deserialize, Serialize};

use super::{Action, vocabulary::vocabulary};

vocabulary!(
    /// What a finding is. Contact kinds are redacted; intent kinds are only
    /// flagged. (What each kind means to the filter lives in `policy`.)
    FindingKind {
        Email = "email",
        Phone = "phone",
        Url = "url",
        MessagingHandle = "messaging_handle",
        OffsitePayment = "offsite_payment",
        ReviewManipulation = "review_manipulation",
        /// Asking the other party for their phone number or email in free text
        /// instead of through the platform's consent request.
        ContactRequest = "contact_request",
        /// Fishing for card details, passwords or one-time codes, or a link to
        /// "confirm" them.
        Phishing = "phishing",
        /// A seller advertising to a buyer instead of writing about the
        /// order: discount codes, new collections, newsletters, other
        /// listings, sales, and review requests out of their window.
        Promotional = "promotional",
    }
);

/// One thing the filter found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Finding {
    pub kind: FindingKind,
    /// Character offsets into the evaluated text (`end` exclusive).
    pub start: usize,
    pub end: usize,
    /// Stable id of the rule that fired, e.g. `phone.libphonenumber`.
    pub rule: String,
    pub action: Action,
}

vocabulary!(
    /// The part of a message a finding was made in.
    FindingField {
        Subject = "subject",
        Text = "text",
        Html = "html",
        AttachmentName = "attachment_name",
        /// The readable text of an attachment.
        Attachment = "attachment",
    }
);

/// A finding with the part of the message it was found in, as stored with
/// the message (a JSON array in `messages.findings`).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct StoredFinding {
    pub field: FindingField,
    #[serde(flatten)]
    pub finding: Finding,
    /// Whether the span was replaced by a placeholder in what was delivered.
    pub removed: bool,
}

/// The distinct rule ids among `findings`, sorted.
pub fn rule_ids(findings: &[StoredFinding]) -> Vec<String> {
    let mut rules: Vec<String> = findings.iter().map(|f| f.finding.rule.clone()).collect();
    rules.sort();
    rules.dedup();
    rules
}

/// Whether the sender asked for the other party's contact details in free
/// text, which earns them a pointer to the consent request.
pub fn asks_for_contact(findings: &[StoredFinding]) -> bool {
    findings
        .iter()
        .any(|f| f.finding.kind == FindingKind::ContactRequest)
}
