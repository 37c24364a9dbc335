//! What every handler can reach.

use std::sync::Arc;

use crate::{config::Settings, relay::Relay, store::Store};

#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub relay: Arc<Relay>,
    pub settings: Arc<Settings>,
    /// Hash of `MARKETRELAY_OPERATOR_TOKEN` when set; otherwise operator
    /// tokens are looked up in the store like any other.
    pub operator_token_hash: Option<String>,
}
