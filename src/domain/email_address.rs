//! A party's real email address. Parsed once at the edge; its `Debug` and
//! `Display` never print it, so it cannot end up in a log line by accident.

use std::fmt;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum AddressError {
    #[error("the address is empty")]
    Empty,
    #[error("the address is longer than 254 characters")]
    TooLong,
    #[error("the address must have exactly one @ with text on both sides")]
    Shape,
    #[error("the address contains a character that is not allowed")]
    BadCharacter,
    #[error("the domain is not a valid host name")]
    BadDomain,
}

/// A syntactically valid mailbox address, lowercased so comparisons are exact.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct EmailAddress(String);

impl EmailAddress {
    pub fn parse(input: &str) -> Result<Self, AddressError> {
        let s = input.trim();
        if s.is_empty() {
            return Err(AddressError::Empty);
        }
        if s.len() > 254 {
            return Err(AddressError::TooLong);
        }
        let (local, domain) = s.rsplit_once('@').ok_or(AddressError::Shape)?;
        if local.is_empty() || domain.is_empty() || local.len() > 64 || local.contains('@') {
            return Err(AddressError::Shape);
        }
        // Printable ASCII without the characters that would let an address
        // break out of a header or an SMTP command (RFC 5321 dot-atom, roughly).
        let local_ok = local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c))
            && !local.starts_with('.')
            && !local.ends_with('.')
            && !local.contains("..");
        if !local_ok {
            return Err(AddressError::BadCharacter);
        }
        let domain_ok = domain.split('.').count() >= 2
            && domain.split('.').all(|label| {
                !label.is_empty()
                    && label.len() <= 63
                    && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                    && !label.starts_with('-')
                    && !label.ends_with('-')
            });
        // `localhost`-style single-label domains are fine for development relays.
        let single_label_ok = !domain.contains('.')
            && domain
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-');
        if !(domain_ok || single_label_ok) {
            return Err(AddressError::BadDomain);
        }
        Ok(Self(s.to_ascii_lowercase()))
    }

    /// The address itself, for the few places that must use it: SMTP envelopes and the database.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn domain(&self) -> &str {
        self.0.rsplit_once('@').map(|(_, d)| d).unwrap_or_default()
    }
}

impl fmt::Debug for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("EmailAddress(<redacted>)")
    }
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted address>")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_ordinary_addresses_and_lowercases_them() {
        for (input, expected) in [
            ("Jane.Doe@Example.COM", "jane.doe@example.com"),
            (
                "  buyer+tag@mail.example.org ",
                "buyer+tag@mail.example.org",
            ),
            ("seller@localhost", "seller@localhost"),
        ] {
            assert_eq!(
                EmailAddress::parse(input).unwrap().as_str(),
                expected,
                "case {input:?}"
            );
        }
    }

    #[test]
    fn rejects_malformed_and_injecting_addresses() {
        for input in [
            "",
            "no-at-sign",
            "@example.com",
            "a@",
            "a@@example.com",
            "a b@example.com",
            "a@example.com\r\nBcc: x@evil.com",
            "<a@example.com>",
            "a@exa mple.com",
            "a@-bad.com",
            ".a@example.com",
            "a..b@example.com",
        ] {
            assert!(EmailAddress::parse(input).is_err(), "accepted {input:?}");
        }
    }

    #[test]
    fn never_prints_the_address() {
        let a = EmailAddress::parse("secret@example.com").unwrap();
        assert!(!format!("{a:?} {a}").contains("secret"));
    }
}
