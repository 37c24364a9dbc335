//! Results a trusted edge MTA wrote in `Authentication-Results` (RFC 8601).

use std::net::IpAddr;

use super::{MethodResults, aligned, domain_of};
use crate::{
    domain::{AuthVerdict, DkimCheck, DmarcCheck, SenderAuth, SpfCheck},
    mime::header_values,
};

/// An address or a CIDR block of peers (`192.0.2.10`, `2001:db8::/32`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PeerNet {
    network: IpAddr,
    prefix: u8,
}

impl PeerNet {
    pub fn parse(text: &str) -> Option<Self> {
        let (addr, prefix) = match text.trim().split_once('/') {
            Some((addr, prefix)) => (addr, Some(prefix.parse::<u8>().ok()?)),
            None => (text.trim(), None),
        };
        let network: IpAddr = addr.parse().ok()?;
        let max = if network.is_ipv4() { 32 } else { 128 };
        let prefix = prefix.unwrap_or(max);
        (prefix <= max).then_some(Self { network, prefix })
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = match ip {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
            v4 => v4,
        };
        match (self.network, ip) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(net) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(net) & mask == u128::from(ip) & mask
            }
            _ => false,
        }
    }
}

/// The verdict the edge reported for this message. Only the topmost
/// `Authentication-Results` naming `authserv_id` counts: the edge prepends
/// its own, and anything below it (or naming another id) was written by
/// someone else, possibly the sender, and is ignored (RFC 8601 5).
pub(super) fn taken_from_header(
    raw: &[u8],
    authserv_id: &str,
    mail_from: &str,
    from_aligned: bool,
) -> SenderAuth {
    let ours = header_values(raw, "Authentication-Results")
        .into_iter()
        .find(|value| serv_id(value).eq_ignore_ascii_case(authserv_id));
    let Some(value) = ours else {
        // A trusted edge that wrote nothing vouched for nothing.
        return SenderAuth {
            trusted_edge: true,
            ..SenderAuth::unchecked(AuthVerdict::None, authserv_id, from_aligned)
        };
    };
    results_from_header(&value, authserv_id, &domain_of(mail_from)).into_sender_auth(from_aligned)
}

fn results_from_header(value: &str, authserv_id: &str, domain: &str) -> MethodResults {
    let mut spf = SpfCheck {
        result: "none".to_owned(),
        domain: None,
    };
    let mut dkim = Vec::new();
    let mut dmarc = DmarcCheck {
        result: "none".to_owned(),
        policy: None,
    };
    let mut spf_aligned = true;
    let mut dkim_aligned_pass = false;
    for resinfo in without_comments(value).split(';').skip(1) {
        let mut words = resinfo.split_whitespace();
        let Some((method, result)) = words.next().and_then(|w| w.split_once('=')) else {
            continue;
        };
        let method = method
            .split('/')
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        let result = result.to_ascii_lowercase();
        let props: Vec<(String, String)> = words
            .filter_map(|w| w.split_once('='))
            .map(|(k, v)| (k.to_ascii_lowercase(), v.to_ascii_lowercase()))
            .collect();
        let prop = |name: &str| {
            props
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        };
        match method.as_str() {
            "spf" => {
                // The edge checked the envelope it received; it must be ours.
                if let Some(from) = prop("smtp.mailfrom") {
                    let checked = from.rsplit('@').next().unwrap_or_default().to_owned();
                    spf_aligned = aligned(&checked, domain);
                    spf.domain = Some(checked).filter(|d| !d.is_empty());
                }
                spf.result = result;
            }
            "dkim" => {
                let signer = prop("header.d")
                    .or_else(|| prop("header.i").map(|i| domain_of(&format!("x{i}"))))
                    .filter(|d| !d.is_empty());
                if result == "pass" && signer.as_deref().is_some_and(|s| aligned(s, domain)) {
                    dkim_aligned_pass = true;
                }
                dkim.push(DkimCheck {
                    result,
                    domain: signer,
                });
            }
            "dmarc" => {
                dmarc.result = result;
                if let Some(policy) = prop("policy.dmarc") {
                    dmarc.policy = Some(policy);
                }
            }
            _ => {}
        }
    }
    // Gmail and others put the policy in a comment: `dmarc=fail (p=NONE ...)`.
    if value.to_ascii_lowercase().contains("p=none") {
        dmarc.policy = Some("none".to_owned());
    }
    let dmarc_enforced = dmarc.policy.as_deref() != Some("none");
    let dkim_word = |w: &str| dkim.iter().any(|d| d.result == w);
    // The best signature counts: one that passed outweighs one that could not be checked.
    let temporary = [spf.result.as_str(), dmarc.result.as_str()].contains(&"temperror")
        || (dkim_word("temperror") && !dkim_word("pass"));
    let verdict =
        if dmarc.result == "pass" || (spf.result == "pass" && spf_aligned) || dkim_aligned_pass {
            AuthVerdict::Pass
        } else if temporary {
            AuthVerdict::TempError
        } else if (dmarc.result == "fail" && dmarc_enforced) || spf.result == "fail" {
            AuthVerdict::Fail
        } else {
            AuthVerdict::None
        };
    MethodResults {
        spf,
        dkim,
        dmarc,
        verdict,
        checked_by: authserv_id.into(),
        trusted_edge: true,
    }
}

/// The authserv-id: the first word, before any version number or `;`.
fn serv_id(value: &str) -> String {
    without_comments(value)
        .split(';')
        .next()
        .unwrap_or_default()
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_owned()
}

/// RFC 5322 comments (nested parentheses) removed.
fn without_comments(value: &str) -> String {
    let mut depth = 0usize;
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '(' => depth += 1,
            ')' if depth > 0 => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn taken(headers: &str) -> SenderAuth {
        let raw = format!("{headers}From: owner@shop.example\r\nSubject: x\r\n\r\nbody\r\n");
        taken_from_header(raw.as_bytes(), "mx.relay.test", "owner@shop.example", true)
    }

    #[test]
    fn only_the_topmost_result_naming_our_edge_counts() {
        let auth = taken(
            "Authentication-Results: mx.relay.test; spf=fail smtp.mailfrom=shop.example; dmarc=fail header.from=shop.example\r\n\
             Authentication-Results: mx.relay.test; dmarc=pass header.from=shop.example\r\n\
             Authentication-Results: other.example; dmarc=pass\r\n",
        );
        assert_eq!(auth.verdict, AuthVerdict::Fail, "{auth:?}");
        assert_eq!(auth.checked_by, "mx.relay.test");
        assert!(auth.trusted_edge);
        assert_eq!(auth.spf.domain.as_deref(), Some("shop.example"));

        // A sender's forged header with another id is not read at all.
        let auth = taken("Authentication-Results: evil.example; dmarc=pass\r\n");
        assert_eq!(auth.verdict, AuthVerdict::None, "{auth:?}");
    }

    #[test]
    fn each_result_maps_to_a_verdict() {
        for (header, verdict) in [
            (
                "mx.relay.test; dmarc=pass header.from=shop.example",
                AuthVerdict::Pass,
            ),
            (
                "mx.relay.test 1; spf=pass smtp.mailfrom=owner@shop.example",
                AuthVerdict::Pass,
            ),
            (
                "mx.relay.test; dkim=pass header.d=mail.shop.example",
                AuthVerdict::Pass,
            ),
            (
                "mx.relay.test; dkim=pass header.d=evil.example; spf=softfail",
                AuthVerdict::None,
            ),
            (
                "mx.relay.test; spf=pass smtp.mailfrom=evil.example",
                AuthVerdict::None,
            ),
            (
                "mx.relay.test; dmarc=fail (p=NONE sp=NONE) header.from=shop.example",
                AuthVerdict::None,
            ),
            (
                "mx.relay.test; dmarc=fail header.from=shop.example",
                AuthVerdict::Fail,
            ),
            ("mx.relay.test; spf=temperror", AuthVerdict::TempError),
            ("mx.relay.test; none", AuthVerdict::None),
        ] {
            let auth = taken(&format!("Authentication-Results: {header}\r\n"));
            assert_eq!(auth.verdict, verdict, "{header}: {auth:?}");
        }
    }

    #[test]
    fn peer_networks_match_addresses_and_blocks() {
        let net = PeerNet::parse("192.0.2.0/24").unwrap();
        assert!(net.contains("192.0.2.77".parse().unwrap()));
        assert!(net.contains("::ffff:192.0.2.1".parse().unwrap()));
        assert!(!net.contains("192.0.3.1".parse().unwrap()));
        let one = PeerNet::parse("2001:db8::1").unwrap();
        assert!(one.contains("2001:db8::1".parse().unwrap()));
        assert!(!one.contains("2001:db8::2".parse().unwrap()));
        assert!(
            PeerNet::parse("0.0.0.0/0")
                .unwrap()
                .contains("203.0.113.9".parse().unwrap())
        );
        for bad in ["", "x", "192.0.2.0/33", "::/129"] {
            assert!(PeerNet::parse(bad).is_none(), "{bad}");
        }
    }
}
