//! The policy (and the Public Suffix List) in force, swappable at run time
//! (SIGHUP) without stopping traffic: each evaluation takes the current
//! `Arc<Policy>` and finishes on it even if a reload replaces it meanwhile.

use std::sync::{Arc, RwLock};

use crate::policy::Policy;

/// The policy in force.
pub type SharedPolicy = Swappable<Policy>;

/// A value in force, replaced whole at run time: readers take the current
/// `Arc` and finish on it. The policy, and the Public Suffix List.
#[derive(Debug)]
pub struct Swappable<T>(Arc<RwLock<Arc<T>>>);

impl<T> Clone for Swappable<T> {
    fn clone(&self) -> Self {
        Self(self.0.clone())
    }
}

impl<T> Swappable<T> {
    pub fn new(value: T) -> Self {
        Self(Arc::new(RwLock::new(Arc::new(value))))
    }

    /// The value to work with now.
    pub fn current(&self) -> Arc<T> {
        // A writer only swaps an `Arc`, so a poisoned lock still holds a whole value.
        match self.0.read() {
            Ok(guard) => guard.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Puts `value` in force for every reader that starts from now on.
    pub fn replace(&self, value: T) {
        let value = Arc::new(value);
        match self.0.write() {
            Ok(mut guard) => *guard = value,
            Err(poisoned) => *poisoned.into_inner() = value,
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
