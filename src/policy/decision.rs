//! The policy's verdict on one text: findings with their actions and the redacted text.

use serde::{Deserialize, Serialize};

use crate::domain::Action;

pub use crate::domain::{Finding, FindingKind};

/// What each kind means to the filter (the words themselves are defined in
/// `domain::finding`).
impl FindingKind {
    /// Contact details are cut out of the text; intent is left in place for staff to read.
    pub fn is_contact(self) -> bool {
        !matches!(
            self,
            FindingKind::OffsitePayment
                | FindingKind::ReviewManipulation
                | FindingKind::ContactRequest
                | FindingKind::Phishing
                | FindingKind::Promotional
        )
    }

    /// The placeholder that replaces a redacted span of this kind.
    pub fn placeholder(self) -> &'static str {
        match self {
            FindingKind::Email => "[email removed]",
            FindingKind::Phone => "[phone removed]",
            FindingKind::Url => "[link removed]",
            FindingKind::MessagingHandle => "[messaging handle removed]",
            FindingKind::OffsitePayment => "[payment request removed]",
            FindingKind::ReviewManipulation => "[review request removed]",
            FindingKind::ContactRequest => "[contact request removed]",
            FindingKind::Phishing => "[phishing removed]",
            FindingKind::Promotional => "[promotion removed]",
        }
    }

    /// Which kind names a merged span when actions tie: the most specific one.
    pub(crate) fn specificity(self) -> u8 {
        match self {
            FindingKind::MessagingHandle => 4,
            FindingKind::Email => 3,
            FindingKind::Phone => 2,
            FindingKind::Url => 1,
            FindingKind::OffsitePayment
            | FindingKind::ReviewManipulation
            | FindingKind::ContactRequest
            | FindingKind::Phishing
            | FindingKind::Promotional => 0,
        }
    }
}

/// The verdict: the strictest finding action (`deliver` if none), all findings
/// in text order, and the text with redacted spans replaced by placeholders.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Decision {
    pub action: Action,
    pub findings: Vec<Finding>,
    pub redacted_text: String,
}

/// One span of the evaluated text to replace (character offsets).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Redaction {
    pub start: usize,
    pub end: usize,
    pub placeholder: String,
}

impl Decision {
    /// The spans `redacted_text` replaced, with their placeholders.
    pub fn redactions(&self) -> Vec<Redaction> {
        super::redact::plan(&self.findings)
    }

    /// The kinds found, each once, in the order of `FindingKind::ALL`.
    pub fn kinds(&self) -> Vec<FindingKind> {
        FindingKind::ALL
            .into_iter()
            .filter(|k| self.findings.iter().any(|f| f.kind == *k))
            .collect()
    }
}
