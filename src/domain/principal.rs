//! Who is calling: roles and bearer tokens.

use std::fmt;

use rand::Rng;
use sha2::{Digest, Sha256};

use super::{SellerId, StaffId, vocabulary::vocabulary};

vocabulary!(
    Role in ["api_tokens.role"] {
        Operator = "operator",
        Seller = "seller",
        Staff = "staff",
    }
);

/// An authenticated caller.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Principal {
    Operator,
    Seller(SellerId),
    Staff(StaffId),
}

impl Principal {
    pub fn role(self) -> Role {
        match self {
            Principal::Operator => Role::Operator,
            Principal::Seller(_) => Role::Seller,
            Principal::Staff(_) => Role::Staff,
        }
    }
}

/// A bearer token. Only its SHA-256 hash is ever stored; the plain value is
/// shown once, when it is issued.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiToken(String);

impl ApiToken {
    /// 32 random characters from a 32-letter alphabet: 160 bits.
    pub fn generate() -> Self {
        const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz234567";
        let mut rng = rand::rng();
        let secret: String = (0..32)
            .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
            .collect();
        Self(format!("mr_{secret}"))
    }

    pub fn from_presented(value: &str) -> Self {
        Self(value.to_owned())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Hex SHA-256. Tokens are long random strings, so a fast unsalted hash is
    /// enough to make a stolen table useless while keeping lookups indexable.
    pub fn hash(&self) -> String {
        data_encoding::HEXLOWER.encode(&Sha256::digest(self.0.as_bytes()))
    }
}

impl fmt::Debug for ApiToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiToken(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_hash_stably() {
        let a = ApiToken::generate();
        let b = ApiToken::generate();
        assert_ne!(a, b);
        assert_eq!(a.hash(), ApiToken::from_presented(a.expose()).hash());
        assert_ne!(a.hash(), b.hash());
        assert_eq!(a.hash().len(), 64);
        assert!(!format!("{a:?}").contains(a.expose()));
    }
}
