//! Pure domain types: parsed values and records, no I/O and no framework imports.

pub mod conversation;
pub mod email_address;
pub mod ids;
pub mod message;
pub mod principal;
pub mod relay_address;

pub use conversation::{
    AliasSide, Buyer, Conversation, ConversationSummary, Direction, NewBuyer, NewConversation,
    Seller, Staff,
};
pub use email_address::{AddressError, EmailAddress};
pub use ids::{BuyerId, ConversationId, DeliveryId, MessageId, SellerId, StaffId};
pub use message::{
    Action, AuditEvent, Delivery, DeliveryAttempt, DeliveryKind, MessageSource, MessageStatus,
    NewAuditEvent, NewMessage, ReviewDecision, StoredMessage,
};
pub use principal::{ApiToken, Principal, Role};
pub use relay_address::RelayAddress;
