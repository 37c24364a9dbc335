//! SPF, DKIM and DMARC checked by the relay itself with mail-auth.

use std::{net::IpAddr, sync::Arc};

use mail_auth::{
    AuthenticatedMessage, DkimOutput, DkimResult, DmarcResult, MessageAuthenticator, SpfResult,
    dmarc::{Policy, verify::DmarcParameters},
    spf::verify::SpfParameters,
};

use super::{
    MethodResults, aligned,
    dkim::{self, Read},
    domain_of,
};
use crate::{
    cpu::{CpuError, CpuPool},
    domain::{AuthVerdict, DkimCheck, DmarcCheck, SpfCheck, sender_auth::RELAY},
};

/// Who the SMTP session says is sending.
pub(super) struct Sender<'a> {
    pub peer: IpAddr,
    pub helo: &'a str,
    /// Our own name, for SPF's `%{r}` macro.
    pub hostname: &'a str,
    pub mail_from: &'a str,
}

/// SPF and DMARC (DNS, little CPU) on this task; DKIM's hashing and
/// signature checks on the pool, between its lookups here.
pub(super) async fn check(
    resolver: &MessageAuthenticator,
    cpu: &CpuPool,
    raw: &Arc<Vec<u8>>,
    read: Read,
    sender: Sender<'_>,
) -> Result<MethodResults, CpuError> {
    let Sender {
        peer,
        helo,
        hostname,
        mail_from,
    } = sender;
    let domain = domain_of(mail_from);
    let spf = resolver
        .verify_spf(SpfParameters::verify_mail_from(
            peer, helo, hostname, mail_from,
        ))
        .await;
    let answers = dkim::look_up(resolver, &read).await;
    let message = AuthenticatedMessage {
        from: read.from.clone(),
        ..Default::default()
    };
    let checked = dkim::verify(cpu, raw.clone(), read, answers).await?;
    let dkim: Vec<DkimOutput<'_>> = checked.iter().map(dkim::Checked::as_output).collect();
    // DMARC reads only From: and the signatures' results.
    let dmarc = resolver
        .verify_dmarc(DmarcParameters::new(&message, &dkim, &domain, &spf))
        .await;

    let spf_result = spf.result();
    let dkim_aligned_pass = dkim.iter().any(|out| {
        *out.result() == DkimResult::Pass && out.signature().is_some_and(|s| aligned(&s.d, &domain))
    });
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
    Ok(MethodResults {
        spf: SpfCheck {
            result: spf_word(spf_result).into(),
            domain: Some(spf.domain().to_ascii_lowercase()).filter(|d| !d.is_empty()),
        },
        dkim: dkim
            .iter()
            .map(|out| DkimCheck {
                result: dkim_word(out.result()).into(),
                domain: out.signature().map(|s| s.d.to_ascii_lowercase()),
            })
            .collect(),
        dmarc: DmarcCheck {
            result: dmarc_word(&dmarc_result).into(),
            policy: has_record.then(|| policy_word(dmarc.policy()).to_owned()),
        },
        verdict,
        checked_by: RELAY.into(),
        trusted_edge: false,
    })
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

fn dkim_word(result: &DkimResult) -> &'static str {
    match result {
        DkimResult::Pass => "pass",
        DkimResult::TempError(_) => "temperror",
        DkimResult::Fail(_) => "fail",
        DkimResult::PermError(_) => "permerror",
        DkimResult::Neutral(_) => "neutral",
        DkimResult::None => "none",
    }
}

fn dmarc_word(result: &DmarcResult) -> &'static str {
    match result {
        DmarcResult::Pass => "pass",
        DmarcResult::Fail(_) => "fail",
        DmarcResult::TempError(_) => "temperror",
        DmarcResult::PermError(_) => "permerror",
        DmarcResult::None => "none",
    }
}

fn policy_word(policy: Policy) -> &'static str {
    match policy {
        Policy::None | Policy::Unspecified => "none",
        Policy::Quarantine => "quarantine",
        Policy::Reject => "reject",
    }
}
