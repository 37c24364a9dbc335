//! What every handler can reach.

use std::sync::Arc;

use crate::{
    config::Settings,
    outbound::Transport,
    relay::{Relay, Swappable, links::LinkSigner},
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
    /// The Public Suffix List help domains are checked against: the
    /// configured file's, else the bundled one.
    pub public_suffixes: Swappable<PublicSuffixList>,
}

/// The list in force: the bundled one, or one read from a file.
#[derive(Debug)]
pub enum PublicSuffixList {
    Bundled,
    File(crate::domain::PublicSuffixes),
}

impl PublicSuffixList {
    /// The bundled list unless the settings name a file, read and checked.
    pub fn load(settings: &Settings) -> anyhow::Result<Self> {
        Ok(match settings.load_public_suffixes()? {
            Some(list) => Self::File(list),
            None => Self::Bundled,
        })
    }

    pub fn get(&self) -> &crate::domain::PublicSuffixes {
        match self {
            Self::Bundled => crate::domain::PublicSuffixes::bundled(),
            Self::File(list) => list,
        }
    }
}

impl AppState {
    /// Re-reads the configured policy file and puts it in force. On error the
    /// policy in force stays, so a typo in the file never stops the filter.
    ///
    /// The Public Suffix List file too, when one is configured: both are
    /// read before either is put in force, so a broken one keeps both.
    pub fn reload_policy(&self) -> anyhow::Result<()> {
        let suffixes = PublicSuffixList::load(&self.settings)?;
        let policy = self.settings.load_policy()?;
        self.public_suffixes.replace(suffixes);
        self.relay.policy.replace(policy);
        Ok(())
    }
}
