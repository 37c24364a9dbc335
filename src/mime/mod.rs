//! MIME in and out: reads inbound mail, sanitises and filters HTML, composes outbound mail.

mod automatic;
mod compose;
pub mod dsn;
mod headers;
mod html;
mod parse;

#[cfg(test)]
mod golden;

pub use automatic::auto_submitted;
pub use compose::{compose, compose_at, compose_owned};
pub use dsn::{BounceReport, parse_bounce};
pub use headers::{header_values, prepend_header};
pub use html::{filter_html, html_to_text};
pub use parse::parse;

/// One attachment of an inbound mail.
#[derive(Clone, Debug)]
pub struct Attachment {
    pub filename: Option<String>,
    pub content_type: String,
    pub data: Vec<u8>,
}

/// What the relay needs from an inbound mail. Parsing never fails: broken
/// input gives a best-effort result with `malformed` set.
#[derive(Clone, Debug, Default)]
pub struct ParsedMail {
    pub subject: Option<String>,
    pub from_name: Option<String>,
    /// Without angle brackets.
    pub message_id: Option<String>,
    pub in_reply_to: Option<String>,
    pub references: Vec<String>,
    /// The plain text body; derived from the HTML when the mail has only HTML.
    pub text: String,
    pub html: Option<String>,
    pub attachments: Vec<Attachment>,
    pub malformed: bool,
}

/// A span of text to replace, in character offsets of the text handed to the redactor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextRedaction {
    pub start: usize,
    pub end: usize,
    pub replacement: String,
}

/// An outgoing mail, already filtered.
#[derive(Clone, Debug)]
pub struct OutboundMail {
    /// Display name, e.g. "Jane via Marketplace".
    pub from_name: String,
    /// The relay address the mail comes from and replies go to.
    pub from_address: String,
    pub to_name: Option<String>,
    pub to_address: String,
    pub subject: String,
    /// Without angle brackets.
    pub message_id: String,
    pub in_reply_to: Option<String>,
    pub references: Vec<String>,
    pub text: String,
    pub html: Option<String>,
    pub attachments: Vec<Attachment>,
}

#[derive(Debug, thiserror::Error)]
#[error("cannot build the outgoing mail: {0}")]
pub struct ComposeError(pub String);
