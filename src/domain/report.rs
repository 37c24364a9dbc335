//! A buyer's report of a message they received, filed through the signed
//! link in its footer, and what staff decided about it.

use time::OffsetDateTime;

use super::{ConversationId, MessageId, ReportId, SellerId, StaffId, vocabulary::vocabulary};

vocabulary!(
    /// The reasons a buyer can pick; anything else is said in the comment.
    ReportReason in ["reports.reason"] {
        Spam = "spam",
        Harassment = "harassment",
        Scam = "scam",
        OffPlatform = "off_platform",
        Other = "other",
    }
);

impl ReportReason {
    /// The catalogue's words for the reason ("Spam or unwanted advertising").
    pub fn message_id(self) -> &'static str {
        match self {
            ReportReason::Spam => "report-reason-spam",
            ReportReason::Harassment => "report-reason-harassment",
            ReportReason::Scam => "report-reason-scam",
            ReportReason::OffPlatform => "report-reason-off-platform",
            ReportReason::Other => "report-reason-other",
        }
    }
}

vocabulary!(
    ReportStatus in ["reports.status"] {
        Open = "open",
        Resolved = "resolved",
    }
);

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
