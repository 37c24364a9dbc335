//! Outbound delivery: a worker drains the durable queue in the database,
//! builds each mail from what was stored, and hands it to a transport.

pub mod dkim;
pub mod letter;
pub mod retry;
pub mod transport;
pub mod worker;

pub use transport::{SendError, Transport};
pub use worker::{DeliveryOutcome, Outbound};
