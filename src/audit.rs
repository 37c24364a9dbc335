//! Audit trail helpers. Events are written by the store, append-only; most
//! are written in the same transaction as the change they describe.

use serde_json::json;

use crate::{
    domain::{AuditAction, MessageId, NewAuditEvent, StaffId},
    store::{Store, StoreResult},
};

/// Records what a staff member's search found: the conversations listed,
/// never the query, which may be a real address.
pub async fn staff_searched(
    store: &dyn Store,
    staff: StaffId,
    conversations: &[String],
    page: i64,
) -> StoreResult<()> {
    store
        .audit()
        .record_audit(&NewAuditEvent::by_staff(
            staff,
            AuditAction::StaffSearched,
            "staff",
            staff,
            json!({ "via": "web.search", "page": page, "conversations": conversations }),
        ))
        .await
}

/// Records that a staff member read a message, so every look is accountable.
pub async fn staff_read(
    store: &dyn Store,
    staff: StaffId,
    message: MessageId,
    via: &str,
) -> StoreResult<()> {
    store
        .audit()
        .record_audit(&staff_read_event(staff, message, via))
        .await
}

/// Records that a staff member read several messages (a page that shows
/// their subjects), in one write.
pub async fn staff_read_all(
    store: &dyn Store,
    staff: StaffId,
    messages: &[MessageId],
    via: &str,
) -> StoreResult<()> {
    let events: Vec<NewAuditEvent> = messages
        .iter()
        .map(|m| staff_read_event(staff, *m, via))
        .collect();
    store.audit().record_audits(&events).await
}

/// The event of a staff read, for a page of reads recorded at once
/// (`AuditStore::record_audits`).
pub fn staff_read_event(staff: StaffId, message: MessageId, via: &str) -> NewAuditEvent {
    NewAuditEvent::by_staff(
        staff,
        AuditAction::MessageRead,
        "message",
        message,
        json!({ "via": via }),
    )
}
