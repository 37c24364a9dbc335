//! What every handler can reach.

use std::sync::Arc;

use crate::{
    config::Settings,
    relay::{Relay, links::LinkSigner},
    store::Store,
};

#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub relay: Arc<Relay>,
    /// Signs and checks the signed links in mail to buyers.
    pub links: Arc<LinkSigner>,
    pub settings: Arc<Settings>,
    /// Hash of `MARKETRELAY_OPERATOR_TOKEN` when set; otherwise operator
    /// tokens are looked up in the store like any other.
    pub operator_token_hash: Option<String>,
}

impl AppState {
    /// Re-reads the configured policy file and puts it in force. On error the
    /// policy in force stays, so a typo in the file never stops the filter.
    pub fn reload_policy(&self) -> anyhow::Result<()> {
        let policy = crate::app::load_policy(&self.settings)?;
        self.relay.policy.replace(policy);
        Ok(())
    }
}
