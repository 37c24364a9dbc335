//! The policy in force, swappable at run time (SIGHUP) without stopping
//! traffic: each evaluation takes the current `Arc<Policy>` and finishes on
//! it even if a reload replaces it meanwhile.

use std::sync::{Arc, RwLock};

use crate::policy::Policy;

#[derive(Clone, Debug)]
pub struct SharedPolicy(Arc<RwLock<Arc<Policy>>>);

impl SharedPolicy {
    pub fn new(policy: Policy) -> Self {
        Self(Arc::new(RwLock::new(Arc::new(policy))))
    }

    /// The policy to judge one message with.
    pub fn current(&self) -> Arc<Policy> {
        // A writer only swaps an `Arc`, so a poisoned lock still holds a whole policy.
        match self.0.read() {
            Ok(guard) => guard.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Puts `policy` in force for every evaluation that starts from now on.
    pub fn replace(&self, policy: Policy) {
        let policy = Arc::new(policy);
        match self.0.write() {
            Ok(mut guard) => *guard = policy,
            Err(poisoned) => *poisoned.into_inner() = policy,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Action, Direction};

    const STRICT: &str = "[actions.phone]\nall = \"block\"\n";

    #[test]
    fn replacing_affects_new_evaluations_only() {
        let shared = SharedPolicy::new(Policy::from_toml("", "relay.localhost").unwrap());
        let before = shared.current();
        shared.replace(Policy::from_toml(STRICT, "relay.localhost").unwrap());
        let text = "call me on +49 170 1234567";
        let old = before.evaluate(text, Direction::BuyerToSeller, &[]);
        let new = shared
            .current()
            .evaluate(text, Direction::BuyerToSeller, &[]);
        assert_ne!(old.action, Action::Block);
        assert_eq!(new.action, Action::Block);
    }
}
