//! What both SQL backends share: column types that mean the same on both
//! engines, row structs and their mapping to domain types, and error mapping.

use std::borrow::Cow;

use anyhow::anyhow;
use sqlx::{
    Database, Decode, Encode, Postgres, Sqlite, Type,
    encode::IsNull,
    error::{BoxDynError, DatabaseError, ErrorKind},
    types::Json,
};
use time::{
    OffsetDateTime, PrimitiveDateTime, format_description::BorrowedFormatItem,
    format_description::well_known::Rfc3339, macros::format_description,
};
use uuid::Uuid;

use super::StoreError;
use crate::domain::{
    Action, AuditEvent, Buyer, ConsentPurpose, ConsentRequest, ConsentStatus, ContactKind,
    Conversation, ConversationSummary, Delivery, DeliveryAttempt, DeliveryKind, Direction,
    EmailAddress, MessageFiles, MessageSource, MessageStatus, PhoneNumber, Principal, Role, Seller,
    Staff, StoredFinding, StoredMessage,
};

// --- column types ---------------------------------------------------------------

/// A UUID column: native `uuid` on Postgres, lowercase hyphenated text on SQLite.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DbId(pub Uuid);

/// A point in time: `timestamptz` on Postgres; on SQLite UTC text in one fixed
/// format with microseconds, so that text order is time order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DbTime(pub OffsetDateTime);

const SQLITE_TIME: &[BorrowedFormatItem<'static>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:6]Z");

impl DbTime {
    pub fn utc(self) -> OffsetDateTime {
        self.0.to_offset(time::UtcOffset::UTC)
    }

    fn sqlite_text(self) -> Result<String, BoxDynError> {
        Ok(self.utc().format(SQLITE_TIME)?)
    }

    fn from_sqlite_text(s: &str) -> Result<Self, BoxDynError> {
        match PrimitiveDateTime::parse(s, SQLITE_TIME) {
            Ok(t) => Ok(Self(t.assume_utc())),
            // Written by hand or by another tool: any RFC 3339 time is still read.
            Err(_) => Ok(Self(
                OffsetDateTime::parse(s, &Rfc3339)?.to_offset(time::UtcOffset::UTC),
            )),
        }
    }
}

impl From<OffsetDateTime> for DbTime {
    fn from(t: OffsetDateTime) -> Self {
        Self(t)
    }
}

impl Type<Postgres> for DbId {
    fn type_info() -> <Postgres as Database>::TypeInfo {
        <Uuid as Type<Postgres>>::type_info()
    }
}

impl Encode<'_, Postgres> for DbId {
    fn encode_by_ref(
        &self,
        buf: &mut <Postgres as Database>::ArgumentBuffer,
    ) -> Result<IsNull, BoxDynError> {
        <Uuid as Encode<Postgres>>::encode_by_ref(&self.0, buf)
    }
}

impl<'r> Decode<'r, Postgres> for DbId {
    fn decode(value: <Postgres as Database>::ValueRef<'r>) -> Result<Self, BoxDynError> {
        Ok(Self(<Uuid as Decode<Postgres>>::decode(value)?))
    }
}

impl Type<Sqlite> for DbId {
    fn type_info() -> <Sqlite as Database>::TypeInfo {
        <String as Type<Sqlite>>::type_info()
    }
    fn compatible(ty: &<Sqlite as Database>::TypeInfo) -> bool {
        <String as Type<Sqlite>>::compatible(ty)
    }
}

impl Encode<'_, Sqlite> for DbId {
    fn encode_by_ref(
        &self,
        buf: &mut <Sqlite as Database>::ArgumentBuffer,
    ) -> Result<IsNull, BoxDynError> {
        <String as Encode<Sqlite>>::encode(self.0.hyphenated().to_string(), buf)
    }
}

impl<'r> Decode<'r, Sqlite> for DbId {
    fn decode(value: <Sqlite as Database>::ValueRef<'r>) -> Result<Self, BoxDynError> {
        let s = <&str as Decode<Sqlite>>::decode(value)?;
        Ok(Self(Uuid::parse_str(s)?))
    }
}

impl Type<Postgres> for DbTime {
    fn type_info() -> <Postgres as Database>::TypeInfo {
        <OffsetDateTime as Type<Postgres>>::type_info()
    }
}

impl Encode<'_, Postgres> for DbTime {
    fn encode_by_ref(
        &self,
        buf: &mut <Postgres as Database>::ArgumentBuffer,
    ) -> Result<IsNull, BoxDynError> {
        <OffsetDateTime as Encode<Postgres>>::encode_by_ref(&self.0, buf)
    }
}

impl<'r> Decode<'r, Postgres> for DbTime {
    fn decode(value: <Postgres as Database>::ValueRef<'r>) -> Result<Self, BoxDynError> {
        let t = <OffsetDateTime as Decode<Postgres>>::decode(value)?;
        Ok(Self(t.to_offset(time::UtcOffset::UTC)))
    }
}

impl Type<Sqlite> for DbTime {
    fn type_info() -> <Sqlite as Database>::TypeInfo {
        <String as Type<Sqlite>>::type_info()
    }
    fn compatible(ty: &<Sqlite as Database>::TypeInfo) -> bool {
        <String as Type<Sqlite>>::compatible(ty)
    }
}

impl Encode<'_, Sqlite> for DbTime {
    fn encode_by_ref(
        &self,
        buf: &mut <Sqlite as Database>::ArgumentBuffer,
    ) -> Result<IsNull, BoxDynError> {
        <String as Encode<Sqlite>>::encode(self.sqlite_text()?, buf)
    }
}

impl<'r> Decode<'r, Sqlite> for DbTime {
    fn decode(value: <Sqlite as Database>::ValueRef<'r>) -> Result<Self, BoxDynError> {
        Self::from_sqlite_text(<&str as Decode<Sqlite>>::decode(value)?)
    }
}

// --- text hygiene ----------------------------------------------------------------

/// Postgres `text` and `jsonb` cannot hold NUL, so both engines store U+FFFD in
/// its place: the same text reads back the same on either engine. The exact
/// bytes of a mail are kept in `raw_mime`.
pub fn text(s: &str) -> Cow<'_, str> {
    if s.contains('\0') {
        Cow::Owned(s.replace('\0', "\u{FFFD}"))
    } else {
        Cow::Borrowed(s)
    }
}

pub fn opt_text(s: Option<&str>) -> Option<String> {
    s.map(|s| text(s).into_owned())
}

/// `text` for every string and key inside a JSON value.
pub fn json(value: &serde_json::Value) -> Json<serde_json::Value> {
    fn clean(v: &serde_json::Value) -> serde_json::Value {
        use serde_json::Value;
        match v {
            Value::String(s) => Value::String(text(s).into_owned()),
            Value::Array(items) => Value::Array(items.iter().map(clean).collect()),
            Value::Object(map) => Value::Object(
                map.iter()
                    .map(|(k, v)| (text(k).into_owned(), clean(v)))
                    .collect(),
            ),
            other => other.clone(),
        }
    }
    Json(clean(value))
}

// --- errors ------------------------------------------------------------------------

/// Unique rules by Postgres constraint name and by SQLite `table.column`, and
/// the name `StoreError::Conflict` reports for each.
const UNIQUE_RULES: &[(&str, &str, &str)] = &[
    ("seller_email", "sellers.email", "seller_email"),
    (
        "seller_external_id",
        "sellers.external_id",
        "seller_external_id",
    ),
    ("staff_email", "staff.email", "staff_email"),
    ("buyer_email", "buyers.email", "buyer_email"),
    ("token", "api_tokens.token_hash", "token"),
    ("alias", "aliases.local_part", "alias"),
    ("alias_buyer", "conversations.buyer_alias", "alias"),
    ("alias_seller", "conversations.seller_alias", "alias"),
    (
        "conversation_pair",
        "conversations.seller_id, conversations.buyer_id",
        "conversation",
    ),
    (
        "relayed_message_id",
        "messages.relayed_message_id",
        "relayed_message_id",
    ),
    ("messages_pkey", "messages.id", "message_id"),
    ("sellers_pkey", "sellers.id", "seller_id"),
    ("staff_pkey", "staff.id", "staff_id"),
    ("conversations_pkey", "conversations.id", "conversation_id"),
    ("deliveries_pkey", "deliveries.id", "delivery_id"),
];

fn unique_rule(db: &dyn DatabaseError) -> String {
    if let Some(constraint) = db.constraint() {
        return UNIQUE_RULES
            .iter()
            .find(|(pg, _, _)| *pg == constraint)
            .map_or_else(|| constraint.to_owned(), |(_, _, rule)| (*rule).to_owned());
    }
    // SQLite: "UNIQUE constraint failed: sellers.email"
    let columns = db
        .message()
        .split_once(": ")
        .map_or(db.message(), |(_, cols)| cols);
    UNIQUE_RULES
        .iter()
        .find(|(_, lite, _)| *lite == columns)
        .map_or_else(|| columns.to_owned(), |(_, _, rule)| (*rule).to_owned())
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        db_error(e)
    }
}

fn db_error(e: sqlx::Error) -> StoreError {
    match e {
        sqlx::Error::RowNotFound => StoreError::NotFound,
        sqlx::Error::Database(db) => match db.kind() {
            ErrorKind::UniqueViolation => StoreError::Conflict(unique_rule(db.as_ref())),
            // A reference to a conversation, seller, ... that does not exist.
            ErrorKind::ForeignKeyViolation => StoreError::NotFound,
            _ => StoreError::Other(anyhow::Error::new(sqlx::Error::Database(db))),
        },
        sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => {
            StoreError::Unavailable(e.to_string())
        }
        other => StoreError::Other(anyhow::Error::new(other)),
    }
}

fn corrupt(what: &str, value: &str) -> StoreError {
    StoreError::Other(anyhow!("unexpected {what} {value:?} in the database"))
}

fn email(s: &str) -> Result<EmailAddress, StoreError> {
    EmailAddress::parse(s).map_err(|e| StoreError::Other(anyhow!("stored address is invalid: {e}")))
}

fn direction(s: &str) -> Result<Direction, StoreError> {
    Direction::parse(s).ok_or_else(|| corrupt("direction", s))
}

pub fn delivery_kind(s: &str) -> Result<DeliveryKind, StoreError> {
    DeliveryKind::parse(s).ok_or_else(|| corrupt("delivery kind", s))
}

pub fn message_status(s: &str) -> Result<MessageStatus, StoreError> {
    MessageStatus::parse(s).ok_or_else(|| corrupt("message status", s))
}

// --- rows ----------------------------------------------------------------------------

#[derive(sqlx::FromRow)]
pub struct SellerRow {
    pub id: DbId,
    pub name: String,
    pub email: String,
    pub external_id: Option<String>,
    pub country: Option<String>,
    pub language: Option<String>,
    pub suspended: bool,
    pub created_at: DbTime,
}

impl SellerRow {
    pub fn into_domain(self) -> Result<Seller, StoreError> {
        Ok(Seller {
            id: self.id.0.into(),
            name: self.name,
            email: email(&self.email)?,
            external_id: self.external_id,
            country: self.country,
            language: self.language,
            suspended: self.suspended,
            created_at: self.created_at.utc(),
        })
    }
}

#[derive(sqlx::FromRow)]
pub struct StaffRow {
    pub id: DbId,
    pub name: String,
    pub email: String,
}

impl StaffRow {
    pub fn into_domain(self) -> Result<Staff, StoreError> {
        Ok(Staff {
            id: self.id.0.into(),
            name: self.name,
            email: email(&self.email)?,
        })
    }
}

#[derive(sqlx::FromRow)]
pub struct TokenRow {
    pub role: String,
    pub seller_id: Option<DbId>,
    pub staff_id: Option<DbId>,
}

impl TokenRow {
    pub fn into_domain(self) -> Result<Principal, StoreError> {
        match (Role::parse(&self.role), self.seller_id, self.staff_id) {
            (Some(Role::Operator), _, _) => Ok(Principal::Operator),
            (Some(Role::Seller), Some(id), _) => Ok(Principal::Seller(id.0.into())),
            (Some(Role::Staff), _, Some(id)) => Ok(Principal::Staff(id.0.into())),
            _ => Err(corrupt("token role", &self.role)),
        }
    }
}

/// Columns of `CONVERSATION_SELECT` in the backends.
#[derive(sqlx::FromRow)]
pub struct ConversationRow {
    pub id: DbId,
    pub buyer_alias: String,
    pub seller_alias: String,
    pub order_id: Option<String>,
    pub blocked: bool,
    pub created_at: DbTime,
    pub seller_id: DbId,
    pub seller_name: String,
    pub seller_email: String,
    pub seller_external_id: Option<String>,
    pub seller_country: Option<String>,
    pub seller_suspended: bool,
    pub seller_created_at: DbTime,
    pub buyer_id: DbId,
    pub buyer_name: String,
    pub buyer_email: String,
    pub buyer_external_id: Option<String>,
    pub buyer_phone: Option<String>,
    pub buyer_country: Option<String>,
    pub seller_language: Option<String>,
    pub buyer_language: Option<String>,
}

impl ConversationRow {
    pub fn into_domain(self) -> Result<Conversation, StoreError> {
        Ok(Conversation {
            id: self.id.0.into(),
            seller: Seller {
                id: self.seller_id.0.into(),
                name: self.seller_name,
                email: email(&self.seller_email)?,
                external_id: self.seller_external_id,
                country: self.seller_country,
                language: self.seller_language,
                suspended: self.seller_suspended,
                created_at: self.seller_created_at.utc(),
            },
            buyer: Buyer {
                id: self.buyer_id.0.into(),
                name: self.buyer_name,
                email: email(&self.buyer_email)?,
                external_id: self.buyer_external_id,
                phone: self.buyer_phone.map(PhoneNumber::from_stored),
                country: self.buyer_country,
                language: self.buyer_language,
            },
            buyer_alias: self.buyer_alias,
            seller_alias: self.seller_alias,
            order_id: self.order_id,
            blocked: self.blocked,
            created_at: self.created_at.utc(),
        })
    }
}

#[derive(sqlx::FromRow)]
pub struct SummaryRow {
    pub id: DbId,
    pub seller_id: DbId,
    pub buyer_alias: String,
    pub seller_alias: String,
    pub buyer_name: String,
    pub order_id: Option<String>,
    pub blocked: bool,
    pub seller_suspended: bool,
    pub last_message_at: Option<DbTime>,
    pub unread: i64,
}

/// A line of a seller's list with its sort key.
#[derive(sqlx::FromRow)]
pub struct PageSummaryRow {
    #[sqlx(flatten)]
    pub summary: SummaryRow,
    pub last_activity_at: DbTime,
}

impl SummaryRow {
    pub fn into_domain(self) -> ConversationSummary {
        ConversationSummary {
            id: self.id.0.into(),
            seller_id: self.seller_id.0.into(),
            buyer_alias: self.buyer_alias,
            seller_alias: self.seller_alias,
            buyer_name: self.buyer_name,
            order_id: self.order_id,
            blocked: self.blocked,
            seller_suspended: self.seller_suspended,
            last_message_at: self.last_message_at.map(DbTime::utc),
            unread: self.unread,
        }
    }
}

/// Columns of `MESSAGE_COLUMNS` in the backends.
#[derive(sqlx::FromRow)]
pub struct MessageRow {
    pub id: DbId,
    pub conversation_id: DbId,
    pub direction: String,
    pub source: String,
    pub subject: String,
    pub original_body: String,
    pub body: String,
    pub html: Option<String>,
    pub has_raw: bool,
    pub findings: Json<Vec<StoredFinding>>,
    pub action: String,
    pub status: String,
    pub original_message_id: Option<String>,
    pub relayed_message_id: String,
    pub in_reply_to: Option<String>,
    pub reference_ids: Json<Vec<String>>,
    pub read_at: Option<DbTime>,
    pub created_at: DbTime,
    pub updated_at: DbTime,
    pub auto_submitted: Option<String>,
    pub sender_auth: Option<String>,
    pub files: Option<Json<MessageFiles>>,
    pub block_reason: Option<String>,
    pub purged_at: Option<DbTime>,
    pub sender_auth_results: Option<Json<crate::domain::SenderAuth>>,
    pub sender_name: Option<String>,
    pub recipient_name: Option<String>,
}

impl MessageRow {
    pub fn into_domain(self) -> Result<StoredMessage, StoreError> {
        Ok(StoredMessage {
            id: self.id.0.into(),
            conversation_id: self.conversation_id.0.into(),
            direction: direction(&self.direction)?,
            source: MessageSource::parse(&self.source)
                .ok_or_else(|| corrupt("message source", &self.source))?,
            subject: self.subject,
            original_body: self.original_body,
            body: self.body,
            html: self.html,
            has_raw: self.has_raw,
            findings: self.findings.0,
            action: Action::parse(&self.action).ok_or_else(|| corrupt("action", &self.action))?,
            status: message_status(&self.status)?,
            original_message_id: self.original_message_id,
            relayed_message_id: self.relayed_message_id,
            in_reply_to: self.in_reply_to,
            references: self.reference_ids.0,
            read_at: self.read_at.map(DbTime::utc),
            created_at: self.created_at.utc(),
            updated_at: self.updated_at.utc(),
            auto_submitted: self.auto_submitted,
            sender_auth: self.sender_auth,
            files: self.files.map(|f| f.0),
            names: match (self.sender_name, self.recipient_name) {
                (Some(sender), Some(recipient)) => {
                    Some(crate::domain::ShownNames { sender, recipient })
                }
                _ => None,
            },
            block_reason: self.block_reason,
            purged_at: self.purged_at.map(DbTime::utc),
            sender_auth_results: self.sender_auth_results.map(|r| r.0),
        })
    }
}

#[derive(sqlx::FromRow)]
pub struct DeliveryRow {
    pub id: DbId,
    pub message_id: DbId,
    pub kind: String,
    pub attempts: i64,
    pub next_attempt_at: DbTime,
    pub created_at: DbTime,
}

impl DeliveryRow {
    pub fn into_domain(self) -> Result<Delivery, StoreError> {
        Ok(Delivery {
            id: self.id.0.into(),
            message_id: self.message_id.0.into(),
            kind: delivery_kind(&self.kind)?,
            attempts: self.attempts,
            next_attempt_at: self.next_attempt_at.utc(),
            created_at: self.created_at.utc(),
        })
    }
}

/// An attempt with the message it was for.
#[derive(sqlx::FromRow)]
pub struct MessageAttemptRow {
    pub message_id: DbId,
    #[sqlx(flatten)]
    pub attempt: AttemptRow,
}

#[derive(sqlx::FromRow)]
pub struct AttemptRow {
    pub delivery_id: DbId,
    pub kind: String,
    pub attempted_at: DbTime,
    pub succeeded: bool,
    pub error: Option<String>,
}

impl AttemptRow {
    pub fn into_domain(self) -> Result<DeliveryAttempt, StoreError> {
        Ok(DeliveryAttempt {
            delivery_id: self.delivery_id.0.into(),
            kind: delivery_kind(&self.kind)?,
            attempted_at: self.attempted_at.utc(),
            succeeded: self.succeeded,
            error: self.error,
        })
    }
}

#[derive(sqlx::FromRow)]
pub struct AuditRow {
    pub id: i64,
    pub at: DbTime,
    pub actor_kind: String,
    pub actor_id: Option<String>,
    pub action: String,
    pub subject_kind: String,
    pub subject_id: String,
    pub details: Json<serde_json::Value>,
}

impl AuditRow {
    pub fn into_domain(self) -> AuditEvent {
        AuditEvent {
            id: self.id,
            at: self.at.utc(),
            actor_kind: self.actor_kind,
            actor_id: self.actor_id,
            action: self.action,
            subject_kind: self.subject_kind,
            subject_id: self.subject_id,
            details: self.details.0,
        }
    }
}

#[derive(sqlx::FromRow)]
pub struct ConsentRow {
    pub id: DbId,
    pub conversation_id: DbId,
    pub seller_id: DbId,
    pub message_id: DbId,
    pub kind: String,
    pub purpose: String,
    pub status: String,
    pub valid_for_days: i64,
    pub requested_at: DbTime,
    pub decided_at: Option<DbTime>,
    pub expires_at: DbTime,
    pub ended_at: Option<DbTime>,
    pub order_id: Option<String>,
}

impl ConsentRow {
    pub fn into_domain(self) -> Result<ConsentRequest, StoreError> {
        Ok(ConsentRequest {
            id: self.id.0.into(),
            conversation_id: self.conversation_id.0.into(),
            seller_id: self.seller_id.0.into(),
            message_id: self.message_id.0.into(),
            kind: ContactKind::parse(&self.kind)
                .ok_or_else(|| corrupt("contact kind", &self.kind))?,
            purpose: ConsentPurpose::parse(&self.purpose)
                .ok_or_else(|| corrupt("consent purpose", &self.purpose))?,
            status: ConsentStatus::parse(&self.status)
                .ok_or_else(|| corrupt("consent status", &self.status))?,
            valid_for_days: self.valid_for_days,
            requested_at: self.requested_at.utc(),
            decided_at: self.decided_at.map(DbTime::utc),
            expires_at: self.expires_at.utc(),
            ended_at: self.ended_at.map(DbTime::utc),
            order_id: self.order_id,
        })
    }
}

#[derive(sqlx::FromRow)]
pub struct ReportRow {
    pub id: DbId,
    pub message_id: DbId,
    pub conversation_id: DbId,
    pub seller_id: DbId,
    pub seller_name: String,
    pub subject: String,
    pub reason: Option<String>,
    pub comment: Option<String>,
    pub status: String,
    pub created_at: DbTime,
    pub resolved_by: Option<DbId>,
    pub resolution_note: Option<String>,
    pub resolved_at: Option<DbTime>,
}

impl ReportRow {
    pub fn into_domain(self) -> Result<crate::domain::Report, StoreError> {
        use crate::domain::{ReportReason, ReportStatus};
        let reason = match self.reason.as_deref() {
            Some(r) => Some(ReportReason::parse(r).ok_or_else(|| corrupt("report reason", r))?),
            None => None,
        };
        Ok(crate::domain::Report {
            id: self.id.0.into(),
            message_id: self.message_id.0.into(),
            conversation_id: self.conversation_id.0.into(),
            seller_id: self.seller_id.0.into(),
            seller_name: self.seller_name,
            subject: self.subject,
            reason,
            comment: self.comment,
            status: ReportStatus::parse(&self.status)
                .ok_or_else(|| corrupt("report status", &self.status))?,
            created_at: self.created_at.utc(),
            resolved_by: self.resolved_by.map(|id| id.0.into()),
            resolution_note: self.resolution_note,
            resolved_at: self.resolved_at.map(DbTime::utc),
        })
    }
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;

    #[test]
    fn sqlite_times_are_fixed_width_utc_so_text_order_is_time_order() {
        let times = [
            datetime!(1999-12-31 23:59:59.999999 UTC),
            datetime!(2026-03-01 09:00:00 UTC),
            // 10:00 at +05:30 is 04:30 UTC: earlier than 09:00 UTC.
            datetime!(2026-03-01 10:00:00.5 +05:30),
            datetime!(2026-03-01 09:00:00.000001 UTC),
            datetime!(2026-03-01 09:00:00.1 UTC),
        ];
        let mut texts: Vec<String> = times
            .iter()
            .map(|t| DbTime(*t).sqlite_text().unwrap())
            .collect();
        assert_eq!(texts[2], "2026-03-01T04:30:00.500000Z");
        assert!(texts.iter().all(|t| t.len() == 27), "{texts:?}");
        texts.sort();
        let mut sorted = times.to_vec();
        sorted.sort();
        let expected: Vec<String> = sorted
            .iter()
            .map(|t| DbTime(*t).sqlite_text().unwrap())
            .collect();
        assert_eq!(texts, expected);
    }

    #[test]
    fn sqlite_times_read_back_in_utc_and_accept_other_rfc3339_text() {
        let t = datetime!(2026-03-01 10:00:00.123456789 +02:00);
        let back = DbTime::from_sqlite_text(&DbTime(t).sqlite_text().unwrap()).unwrap();
        assert_eq!(back.0, datetime!(2026-03-01 08:00:00.123456 UTC));
        assert_eq!(back.0.offset(), time::UtcOffset::UTC);
        let hand_written = DbTime::from_sqlite_text("2026-03-01T10:00:00+01:00").unwrap();
        assert_eq!(hand_written.0, datetime!(2026-03-01 09:00:00 UTC));
        assert!(DbTime::from_sqlite_text("yesterday").is_err());
    }

    #[test]
    fn nul_becomes_a_replacement_character_everywhere_in_json() {
        assert_eq!(text("a\0b"), "a\u{FFFD}b");
        assert!(matches!(text("clean"), Cow::Borrowed("clean")));
        let cleaned = json(&serde_json::json!({ "k\u{0}": ["v\u{0}", 1, { "x": "\u{0}" }] }));
        assert_eq!(
            cleaned.0,
            serde_json::json!({ "k\u{FFFD}": ["v\u{FFFD}", 1, { "x": "\u{FFFD}" }] })
        );
    }
}
