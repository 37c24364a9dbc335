//! SPF, DKIM and DMARC checked by the relay itself with mail-auth.

use std::net::IpAddr;

use mail_auth::{
    AuthenticatedMessage, DkimResult, DmarcResult, MessageAuthenticator, SpfResult,
    dmarc::{Policy, verify::DmarcParameters},
    spf::verify::SpfParameters,
};

use super::{MethodResults, aligned, domain_of};
use crate::domain::AuthVerdict;

pub(super) async fn check(
    resolver: &MessageAuthenticator,
    message: &AuthenticatedMessage<'_>,
    peer: IpAddr,
    helo: &str,
    hostname: &str,
    mail_from: &str,
) -> MethodResults {
    let domain = domain_of(mail_from);
    let spf = resolver
        .verify_spf(SpfParameters::verify_mail_from(
            peer, helo, hostname, mail_from,
        ))
        .await;
    let dkim = resolver.verify_dkim(message).await;
    let dmarc = resolver
        .verify_dmarc(DmarcParameters::new(message, &dkim, &domain, &spf))
        .await;

    let spf_result = spf.result();
    let dkim_aligned_pass = dkim.iter().any(|out| {
        *out.result() == DkimResult::Pass && out.signature().is_some_and(|s| aligned(&s.d, &domain))
    });
    let dkim_word = dkim_word(dkim.iter().map(|out| out.result()));
    let dmarc_result = dmarc.result();
    let has_record = dmarc.dmarc_record().is_some();
    let temporary = matches!(spf_result, SpfResult::TempError)
        || matches!(dmarc_result, DmarcResult::TempError(_))
        || dkim.iter().any(|out| {
            matches!(out.result(), DkimResult::TempError(_))
                && out.signature().is_some_and(|s| aligned(&s.d, &domain))
        });

    // The envelope domain is the From domain (checked by the caller), so an
    // SPF pass is an aligned one.
    let verdict = if matches!(dmarc_result, DmarcResult::Pass)
        || spf_result == SpfResult::Pass
        || dkim_aligned_pass
    {
        AuthVerdict::Pass
    } else if temporary {
        AuthVerdict::TempError
    } else if has_record && dmarc.policy() != Policy::None {
        // The domain asks receivers to quarantine or reject what fails.
        AuthVerdict::Fail
    } else if spf_result == SpfResult::Fail {
        // RFC 7208 8.4: the domain says this host may not send its mail.
        AuthVerdict::Fail
    } else {
        // No DMARC, or p=none: the domain owner decides nothing for us.
        AuthVerdict::None
    };
    MethodResults {
        spf: spf_word(spf_result).into(),
        dkim: dkim_word.into(),
        dmarc: dmarc_word(&dmarc_result, has_record, dmarc.policy()).into(),
        verdict,
        checked_by: "relay".into(),
    }
}

fn spf_word(result: SpfResult) -> &'static str {
    match result {
        SpfResult::Pass => "pass",
        SpfResult::Fail => "fail",
        SpfResult::SoftFail => "softfail",
        SpfResult::Neutral => "neutral",
        SpfResult::TempError => "temperror",
        SpfResult::PermError => "permerror",
        SpfResult::None => "none",
    }
}

/// The best result among the signatures (RFC 8601 reports each; we keep one).
fn dkim_word<'a>(results: impl Iterator<Item = &'a DkimResult>) -> &'static str {
    let rank = |r: &DkimResult| match r {
        DkimResult::Pass => (6, "pass"),
        DkimResult::TempError(_) => (5, "temperror"),
        DkimResult::Fail(_) => (4, "fail"),
        DkimResult::PermError(_) => (3, "permerror"),
        DkimResult::Neutral(_) => (2, "neutral"),
        DkimResult::None => (1, "none"),
    };
    results.map(rank).max().map_or("none", |(_, word)| word)
}

fn dmarc_word(result: &DmarcResult, has_record: bool, policy: Policy) -> &'static str {
    match result {
        DmarcResult::Pass => "pass",
        DmarcResult::Fail(_) if has_record && policy == Policy::None => "fail (p=none)",
        DmarcResult::Fail(_) => "fail",
        DmarcResult::TempError(_) => "temperror",
        DmarcResult::PermError(_) => "permerror",
        DmarcResult::None => "none",
    }
}
