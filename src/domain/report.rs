//! A buyer's report of a message they received, filed through the signed
//! link in its footer, and what staff decided about it.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use super::{ConversationId, MessageId, ReportId, SellerId, StaffId};

/// The reasons a buyer can pick; anything else is said in the comment.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportReason {
    Spam,
    Harassment,
    Scam,
    OffPlatform,
    Other,
}

impl ReportReason {
    pub const ALL: &'static [ReportReason] = &[
        ReportReason::Spam,
        ReportReason::Harassment,
        ReportReason::Scam,
        ReportReason::OffPlatform,
        ReportReason::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ReportReason::Spam => "spam",
            ReportReason::Harassment => "harassment",
            ReportReason::Scam => "scam",
            ReportReason::OffPlatform => "off_platform",
            ReportReason::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|r| r.as_str() == s)
    }

    pub fn describe(self) -> &'static str {
        match self {
            ReportReason::Spam => "Spam or unwanted advertising",
            ReportReason::Harassment => "Rude, abusive or threatening",
            ReportReason::Scam => "Looks like a scam or fraud",
            ReportReason::OffPlatform => "Asks to pay or talk outside the marketplace",
            ReportReason::Other => "Something else",
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportStatus {
    Open,
    Resolved,
}

impl ReportStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ReportStatus::Open => "open",
            ReportStatus::Resolved => "resolved",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "open" => Some(ReportStatus::Open),
            "resolved" => Some(ReportStatus::Resolved),
            _ => None,
        }
    }
}

/// A report as filed; reason and comment are optional.
#[derive(Clone, Debug)]
pub struct NewReport {
    pub message_id: MessageId,
    pub reason: Option<ReportReason>,
    pub comment: Option<String>,
    pub at: OffsetDateTime,
}

/// A report with what the queue shows beside it.
#[derive(Clone, Debug)]
pub struct Report {
    pub id: ReportId,
    pub message_id: MessageId,
    pub conversation_id: ConversationId,
    pub seller_id: SellerId,
    pub seller_name: String,
    pub subject: String,
    pub reason: Option<ReportReason>,
    pub comment: Option<String>,
    pub status: ReportStatus,
    pub created_at: OffsetDateTime,
    pub resolved_by: Option<StaffId>,
    pub resolution_note: Option<String>,
    pub resolved_at: Option<OffsetDateTime>,
}
