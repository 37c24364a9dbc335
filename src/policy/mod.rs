//! The policy filter. (Stub: replaced by the full engine.)

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::domain::{Action, Direction};

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct PolicyError(pub String);

#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    Email,
    Phone,
    Url,
    MessagingHandle,
    OffsitePayment,
    ReviewManipulation,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub kind: FindingKind,
    /// Character offsets into the evaluated text.
    pub start: usize,
    pub end: usize,
    pub rule: String,
    pub action: Action,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
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
        Vec::new()
    }
}

pub struct Policy;

impl Policy {
    pub fn from_toml(_toml: &str, _relay_domain: &str) -> Result<Self, PolicyError> {
        Ok(Policy)
    }

    pub fn from_file(_path: &Path, _relay_domain: &str) -> Result<Self, PolicyError> {
        Ok(Policy)
    }

    pub fn evaluate(&self, text: &str, _direction: Direction, _regions: &[String]) -> Decision {
        Decision {
            action: Action::Deliver,
            findings: vec![],
            redacted_text: text.to_owned(),
        }
    }
}
