//! Relay addresses: the generated addresses that stand for a party.

use std::fmt;

use rand::Rng;

/// Length of a generated local part. 16 characters from a 36-letter alphabet
/// carry log2(36^16) ≈ 82.7 bits, above the 64 bits the contract asks for.
pub const LOCAL_PART_LEN: usize = 16;
const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";

#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct RelayAddress {
    local: String,
    domain: String,
}

impl RelayAddress {
    /// A fresh random address in `domain`.
    pub fn generate(domain: &str) -> Self {
        let mut rng = rand::rng();
        let local = (0..LOCAL_PART_LEN)
            .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
            .collect();
        Self {
            local,
            domain: domain.to_ascii_lowercase(),
        }
    }

    /// Rebuilds an address from a stored local part.
    pub fn from_local(local: &str, domain: &str) -> Self {
        Self {
            local: local.to_owned(),
            domain: domain.to_ascii_lowercase(),
        }
    }

    /// Reads `local@domain`, accepting it only in the relay domain and only
    /// with a local part that a generated address could have.
    pub fn parse(address: &str, relay_domain: &str) -> Option<Self> {
        let (local, domain) = address.trim().rsplit_once('@')?;
        if !domain.eq_ignore_ascii_case(relay_domain) {
            return None;
        }
        let local = local.to_ascii_lowercase();
        let plausible =
            local.len() == LOCAL_PART_LEN && local.bytes().all(|b| ALPHABET.contains(&b));
        plausible.then(|| Self {
            local,
            domain: relay_domain.to_ascii_lowercase(),
        })
    }

    pub fn local(&self) -> &str {
        &self.local
    }

    pub fn domain(&self) -> &str {
        &self.domain
    }
}

impl fmt::Display for RelayAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}@{}", self.local, self.domain)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_addresses_are_lowercase_alphanumeric_and_distinct() {
        let a = RelayAddress::generate("Relay.Localhost");
        let b = RelayAddress::generate("relay.localhost");
        assert_ne!(a, b);
        assert_eq!(a.local().len(), LOCAL_PART_LEN);
        assert!(
            a.local()
                .bytes()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        );
        assert_eq!(a.to_string(), format!("{}@relay.localhost", a.local()));
        assert_eq!(
            RelayAddress::parse(&a.to_string().to_uppercase(), "relay.localhost"),
            Some(a)
        );
    }

    #[test]
    fn parse_refuses_other_domains_and_shapes() {
        assert_eq!(
            RelayAddress::parse("abcdefghijklmnop@example.com", "relay.localhost"),
            None
        );
        assert_eq!(
            RelayAddress::parse("short@relay.localhost", "relay.localhost"),
            None
        );
        assert_eq!(
            RelayAddress::parse("abcdefghijklmno_@relay.localhost", "relay.localhost"),
            None
        );
    }
}
