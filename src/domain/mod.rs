//! Pure domain types: parsed values and records, no I/O and no framework imports.

pub mod audit;
pub mod bounce;
pub mod consent;
pub mod conversation;
pub mod cursor_time;
pub mod email_address;
pub mod finding;
pub mod help_domain;
pub mod ids;
pub mod language;
pub mod message;
pub mod message_files;
pub mod phone_number;
pub mod principal;
pub mod relay_address;
pub mod response_time;
pub mod seller_limits;
pub mod sender_auth;
pub mod strikes;
pub mod vocabulary;

pub use audit::AuditAction;
pub use bounce::{
    BounceKind, BounceSummary, BouncingCursor, BouncingParty, NewBounce, PartyRole, RecordedBounce,
};
pub use consent::{
    ConsentAction, ConsentActor, ConsentLimits, ConsentPurpose, ConsentRefusal, ConsentRequest,
    ConsentStatus, ContactKind, NewConsentRequest,
};
pub use conversation::{
    AliasSide, Buyer, Conversation, ConversationSummary, Direction, NewBuyer, NewConversation,
    Seller, Staff,
};
pub use email_address::{AddressError, EmailAddress};
pub use finding::{Finding, FindingField, FindingKind, StoredFinding, asks_for_contact, rule_ids};
pub use help_domain::{
    HelpDomain, HelpDomainError, MAX_HELP_DOMAINS, PublicSuffixes, SellerHelpDomain,
};
pub use ids::{BuyerId, ConsentId, ConversationId, DeliveryId, MessageId, SellerId, StaffId};
pub use language::{Language, LanguageTag, LanguageTagError};
pub use message::{
    Action, AuditEvent, Delivery, DeliveryAttempt, DeliveryKind, DeliveryStatus, MessageSource,
    MessageStatus, NewAuditEvent, NewMessage, ReceivedMail, ReviewDecision, ShownNames,
    StoredMessage, seller_may_see,
};
pub use message_files::{DeliveredFile, MessageFiles, RemovedFile};
pub use phone_number::{PhoneError, PhoneNumber};
pub use principal::{ApiToken, Principal, Role};
pub use relay_address::RelayAddress;
pub use response_time::{NoResponseMarkedBy, ResponseTime, TimedMessage};
pub use seller_limits::{
    GateRefusal, MessageWindow, RateLimited, SELLER_RATE_LIMITED, SellerGate, SellerMessageLimits,
};
pub use sender_auth::{
    AuthAction, AuthPolicy, AuthSummary, AuthVerdict, DkimCheck, DmarcCheck, SenderAuth, SpfCheck,
};

pub mod report;
pub use ids::ReportId;
pub use report::{NewReport, Report, ReportReason, ReportStatus};
pub use strikes::{
    NewWarning, SellerRecord, SellerReview, SellerStanding, SellerWarning, StrikeLimits,
    Suspension, Violation, ViolationKind, automatic_suspension_reason,
};
