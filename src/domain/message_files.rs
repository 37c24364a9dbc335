//! The files of a message as they were decided at acceptance: which of the
//! received attachments go to the recipient, under which (filtered) names,
//! with which (filtered) text, and which were taken out. Stored with the
//! message, so delivery and every view render this record instead of
//! judging the raw MIME again with whatever policy and context they have.

use serde::{Deserialize, Serialize};

/// Every file of one message, as decided when it was accepted.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageFiles {
    /// What reaches the recipient, in the order of the mail.
    pub delivered: Vec<DeliveredFile>,
    /// Files of a type that is not passed on; their sender is told.
    pub removed: Vec<RemovedFile>,
}

impl MessageFiles {
    pub fn is_empty(&self) -> bool {
        self.delivered.is_empty() && self.removed.is_empty()
    }
}

/// One file as the recipient gets it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveredFile {
    /// Its position among the attachments of the stored raw MIME (counting
    /// every attachment, delivered or not): where the bytes of a file that
    /// passes as it is are read from.
    pub part: usize,
    /// As the filter left it, with the extension of its type.
    pub name: String,
    pub content_type: String,
    /// The bytes delivered: of `text` when there is one, else of the part.
    pub size: usize,
    /// A readable file's text after the filter, delivered as UTF-8 in
    /// place of the part's bytes; `None` for files that pass as they are
    /// (images, PDFs).
    pub text: Option<String>,
}

/// A file that did not reach the other party, as the sender is told of it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RemovedFile {
    /// As the filter lets it be shown.
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub size: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_as_json_with_the_audit_names() {
        let files = MessageFiles {
            delivered: vec![DeliveredFile {
                part: 1,
                name: "notes.txt".into(),
                content_type: "text/plain; charset=utf-8".into(),
                size: 5,
                text: Some("hello".into()),
            }],
            removed: vec![RemovedFile {
                name: "setup.bin".into(),
                kind: "application/octet-stream".into(),
                size: 3,
            }],
        };
        let json = serde_json::to_value(&files).unwrap();
        assert_eq!(json["removed"][0]["type"], "application/octet-stream");
        let back: MessageFiles = serde_json::from_value(json).unwrap();
        assert_eq!(back, files);
        assert!(MessageFiles::default().is_empty());
    }
}
