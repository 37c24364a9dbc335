//! `HelpDomain`: a domain a seller may link to in messages to buyers (their
//! manuals and troubleshooting guides), parsed once at the edge.
//!
//! Lower-case ASCII (internationalised names in their punycode form), at
//! least one label below a public suffix: "help.acme.de" and "acme.co.uk"
//! but never "com", "co.uk" or "github.io", which would let a seller link
//! anywhere. Schemes, paths, ports, wildcards and IP addresses are refused
//! rather than trimmed, so what the operator stored is what they typed.

use std::fmt;
use std::sync::LazyLock;

use publicsuffix::{List, Psl};

/// How many help domains one seller may have.
pub const MAX_HELP_DOMAINS: usize = 20;

/// Mozilla's Public Suffix List, both sections (ICANN and private), as of
/// the date in its header: the one bundled in the binary.
static PUBLIC_SUFFIXES: LazyLock<PublicSuffixes> = LazyLock::new(|| {
    PublicSuffixes::parse(include_str!("public_suffix_list.dat"))
        .expect("the bundled public suffix list parses")
});

/// A Public Suffix List: the bundled one, or a newer file the operator
/// points at (`public_suffix_list`), which replaces it at start and on reload.
pub struct PublicSuffixes(List);

impl PublicSuffixes {
    /// The list in the file format of publicsuffix.org. Refuses text that
    /// is no such list (an error page saved by mistake, an empty file): it
    /// must know `com` and `co.uk`.
    pub fn parse(text: &str) -> Result<Self, String> {
        let list: List = text.parse().map_err(|e| format!("{e}"))?;
        let knows = |name: &str, suffix: &str| {
            list.suffix(name.as_bytes())
                .is_some_and(|s| s.is_known() && s.as_bytes() == suffix.as_bytes())
        };
        if !knows("example.com", "com") || !knows("example.co.uk", "co.uk") {
            return Err("it is not a Public Suffix List: it does not know com and co.uk".into());
        }
        Ok(Self(list))
    }

    /// The list bundled in the binary.
    pub fn bundled() -> &'static Self {
        &PUBLIC_SUFFIXES
    }
}

impl fmt::Debug for PublicSuffixes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PublicSuffixes")
    }
}

#[derive(Clone, Debug, thiserror::Error, PartialEq, Eq)]
pub enum HelpDomainError {
    #[error("the domain is empty")]
    Empty,
    #[error(
        "give the domain alone, without a scheme, path, port or address (\"help.example.com\")"
    )]
    NotBare,
    #[error("wildcards are not needed: a domain covers its subdomains")]
    Wildcard,
    #[error("an IP address is not a domain")]
    IpAddress,
    #[error("the domain is not a valid host name")]
    Invalid,
    #[error(
        "the domain is a public suffix that anyone can register under; name the seller's own domain"
    )]
    PublicSuffix,
    #[error("the domain does not end in a known top-level domain")]
    UnknownSuffix,
}

/// A domain whose links (and its subdomains' links) pass in a seller's messages.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct HelpDomain(String);

impl HelpDomain {
    /// `parse_with` the bundled Public Suffix List.
    pub fn parse(input: &str) -> Result<Self, HelpDomainError> {
        Self::parse_with(input, PublicSuffixes::bundled())
    }

    /// A domain as stored: it was checked when it was added, against the
    /// list in force then, and a newer list does not unmake it.
    pub fn from_stored(domain: String) -> Self {
        Self(domain)
    }

    pub fn parse_with(input: &str, suffixes: &PublicSuffixes) -> Result<Self, HelpDomainError> {
        let s = input.trim();
        let s = s.strip_suffix('.').unwrap_or(s);
        if s.is_empty() {
            return Err(HelpDomainError::Empty);
        }
        if s.contains('*') {
            return Err(HelpDomainError::Wildcard);
        }
        if s.contains(|c: char| {
            c.is_whitespace() || matches!(c, '/' | '\\' | ':' | '@' | '?' | '#' | '[' | ']')
        }) {
            return Err(HelpDomainError::NotBare);
        }
        // IDNA: lower-cases, maps and punycodes; refuses forbidden characters.
        let ascii = match url::Host::parse(s).map_err(|_| HelpDomainError::Invalid)? {
            url::Host::Domain(d) => d,
            url::Host::Ipv4(_) | url::Host::Ipv6(_) => return Err(HelpDomainError::IpAddress),
        };
        let labels_ok = ascii.len() <= 253
            && ascii.split('.').all(|label| {
                !label.is_empty()
                    && label.len() <= 63
                    && label
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-')
                    && !label.starts_with('-')
                    && !label.ends_with('-')
            });
        if !labels_ok {
            return Err(HelpDomainError::Invalid);
        }
        // An all-digit top label is an address in disguise ("1.2.3.4.5").
        if ascii
            .rsplit('.')
            .next()
            .is_some_and(|tld| tld.bytes().all(|b| b.is_ascii_digit()))
        {
            return Err(HelpDomainError::IpAddress);
        }
        let suffix = suffixes
            .0
            .suffix(ascii.as_bytes())
            .ok_or(HelpDomainError::Invalid)?;
        if !suffix.is_known() {
            return Err(HelpDomainError::UnknownSuffix);
        }
        if suffixes.0.domain(ascii.as_bytes()).is_none() {
            return Err(HelpDomainError::PublicSuffix);
        }
        Ok(Self(ascii))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for HelpDomain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for HelpDomain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HelpDomain({})", self.0)
    }
}

/// One of a seller's help domains as stored: who added it and when.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SellerHelpDomain {
    pub domain: HelpDomain,
    pub added_at: time::OffsetDateTime,
    /// Who added it: an actor kind (`operator`).
    pub added_by: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(input: &str) -> String {
        HelpDomain::parse(input)
            .unwrap_or_else(|e| panic!("{input:?}: {e}"))
            .to_string()
    }

    fn err(input: &str) -> HelpDomainError {
        HelpDomain::parse(input).expect_err(input)
    }

    #[test]
    fn a_registrable_domain_or_a_subdomain_is_kept_in_lower_case() {
        assert_eq!(ok("acme.de"), "acme.de");
        assert_eq!(ok("  Help.ACME.com. "), "help.acme.com");
        assert_eq!(ok("acme.co.uk"), "acme.co.uk");
        assert_eq!(ok("docs.acme.co.uk"), "docs.acme.co.uk");
        assert_eq!(ok("acme.github.io"), "acme.github.io");
    }

    #[test]
    fn international_names_are_stored_in_punycode() {
        assert_eq!(ok("hilfe.müller.de"), "hilfe.xn--mller-kva.de");
        assert_eq!(ok("hilfe.xn--mller-kva.de"), "hilfe.xn--mller-kva.de");
        assert_eq!(ok("ПОМОЩЬ.рф"), "xn--l1adbb7cs.xn--p1ai");
    }

    #[test]
    fn public_suffixes_are_refused() {
        for suffix in ["com", "de", "co.uk", "github.io", "рф", "xn--p1ai", "com."] {
            assert_eq!(err(suffix), HelpDomainError::PublicSuffix, "{suffix}");
        }
    }

    #[test]
    fn unknown_top_level_domains_are_refused() {
        assert_eq!(err("help.acme.internal"), HelpDomainError::UnknownSuffix);
        assert_eq!(err("localhost"), HelpDomainError::UnknownSuffix);
    }

    #[test]
    fn schemes_paths_ports_and_addresses_are_refused_not_trimmed() {
        for input in [
            "https://acme.de",
            "acme.de/manual",
            "acme.de:8080",
            "support@acme.de",
            "acme.de?x=1",
            "acme .de",
            "acme.de#top",
        ] {
            assert_eq!(err(input), HelpDomainError::NotBare, "{input}");
        }
    }

    #[test]
    fn wildcards_ips_and_malformed_names_are_refused() {
        assert_eq!(err("*.acme.de"), HelpDomainError::Wildcard);
        assert_eq!(err("*"), HelpDomainError::Wildcard);
        assert_eq!(err("192.0.2.1"), HelpDomainError::IpAddress);
        assert_eq!(err("[2001:db8::1]"), HelpDomainError::NotBare);
        assert_eq!(err(""), HelpDomainError::Empty);
        assert_eq!(err("  "), HelpDomainError::Empty);
        assert_eq!(err("acme..de"), HelpDomainError::Invalid);
        assert_eq!(err("-acme.de"), HelpDomainError::Invalid);
        assert_eq!(err("ac_me.de"), HelpDomainError::Invalid);
        assert_eq!(
            err(&format!("{}.de", "a".repeat(64))),
            HelpDomainError::Invalid
        );
    }
}
