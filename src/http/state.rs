//! What every handler can reach.

use std::sync::Arc;

use crate::{
    config::Settings,
    outbound::Transport,
    relay::{Relay, links::LinkSigner},
    store::Store,
    telemetry::Metrics,
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
    /// Hash of `MARKETRELAY_METRICS_TOKEN` when set: it reads `/metrics`
    /// and nothing else.
    pub metrics_token_hash: Option<String>,
    /// Where outbound mail goes, for `/readyz`.
    pub transport: Arc<Transport>,
    /// This process's counters, shared with the relay, SMTP and the worker.
    pub metrics: Arc<Metrics>,
}

impl AppState {
    /// Re-reads the configured policy file and puts it in force. On error the
    /// policy in force stays, so a typo in the file never stops the filter.
    pub fn reload_policy(&self) -> anyhow::Result<()> {
        let policy = self.settings.load_policy()?;
        self.relay.policy.replace(policy);
        Ok(())
    }
}
