//! How an inbound message's sender was authenticated (SPF, DKIM, DMARC) and what the relay made of it.

use super::vocabulary::vocabulary;

vocabulary!(
    /// The one word the relay decides on.
    AuthVerdict {
        /// The author's domain vouched for this message (aligned SPF or DKIM pass).
        Pass = "pass",
        /// The author's domain says this message is not theirs, or the `From:`
        /// header does not name the envelope sender.
        Fail = "fail",
        /// The author's domain publishes nothing that decides either way.
        None = "none",
        /// DNS did not answer in time; nothing could be decided.
        TempError = "temperror",
    }
);

/// What the relay does with a message whose sender may write to the alias,
/// given the verdict on its authentication.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuthAction {
    /// Judged and relayed as any other message.
    Accept,
    /// Stored and held for staff review; no notice goes to the sender.
    Hold,
    /// `550 5.7.1`, the same answer a sender who may not write gets.
    Refuse,
    /// `451 4.7.0`: the sender's server tries again later.
    TempFail,
}

impl AuthAction {
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim() {
            "accept" => Some(Self::Accept),
            "hold" => Some(Self::Hold),
            "refuse" => Some(Self::Refuse),
            "tempfail" => Some(Self::TempFail),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Accept => "accept",
            Self::Hold => "hold",
            Self::Refuse => "refuse",
            Self::TempFail => "tempfail",
        }
    }
}

/// The action for each verdict but `pass`, which is always accepted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AuthPolicy {
    pub on_fail: AuthAction,
    pub on_none: AuthAction,
    pub on_temperror: AuthAction,
}

impl AuthPolicy {
    pub fn action(&self, verdict: AuthVerdict) -> AuthAction {
        match verdict {
            AuthVerdict::Pass => AuthAction::Accept,
            AuthVerdict::Fail => self.on_fail,
            AuthVerdict::None => self.on_none,
            AuthVerdict::TempError => self.on_temperror,
        }
    }
}

/// SPF for the envelope sender: its result and the domain it was checked for.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct SpfCheck {
    /// `pass`, `fail`, `softfail`, `neutral`, `none`, `temperror` or `permerror`.
    pub result: String,
    /// The envelope sender's domain (or the one the edge reported).
    pub domain: Option<String>,
}

/// One DKIM signature: its result and the domain that signed it (`d=`).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct DkimCheck {
    /// `pass`, `fail`, `neutral`, `none`, `policy`, `temperror` or `permerror`.
    pub result: String,
    /// The signing domain, when the signature names one.
    pub domain: Option<String>,
}

/// DMARC for the `From:` domain: its result and the policy the domain publishes.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct DmarcCheck {
    /// `pass`, `fail`, `none`, `temperror` or `permerror`.
    pub result: String,
    /// `none`, `quarantine` or `reject`; null when no record was found or reported.
    pub policy: Option<String>,
}

/// The results behind a verdict, stored with each message for staff. They
/// name the sender's domains, so the audit trail gets only
/// [`SenderAuth::summary`].
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct SenderAuth {
    pub verdict: AuthVerdict,
    /// `relay` when marketrelay checked the message itself, otherwise the
    /// authserv-id of the trusted edge whose `Authentication-Results` it took.
    pub checked_by: String,
    /// The results were read from a trusted edge's `Authentication-Results`.
    pub trusted_edge: bool,
    pub spf: SpfCheck,
    /// One entry per signature; empty when the message was not signed.
    pub dkim: Vec<DkimCheck>,
    pub dmarc: DmarcCheck,
    /// The `From:` header names exactly the envelope sender.
    pub from_aligned: bool,
}

/// The results as words only: no address or domain of a party, so it may
/// go into the audit trail.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct AuthSummary {
    pub verdict: AuthVerdict,
    pub checked_by: String,
    pub spf: String,
    /// The best result among the signatures.
    pub dkim: String,
    pub dmarc: String,
    pub from_aligned: bool,
}

impl SenderAuth {
    /// A verdict reached without looking at SPF, DKIM or DMARC.
    pub fn unchecked(verdict: AuthVerdict, checked_by: &str, from_aligned: bool) -> Self {
        let word = verdict.as_str().to_owned();
        Self {
            verdict,
            checked_by: checked_by.to_owned(),
            trusted_edge: false,
            spf: SpfCheck {
                result: word.clone(),
                domain: None,
            },
            dkim: Vec::new(),
            dmarc: DmarcCheck {
                result: word,
                policy: None,
            },
            from_aligned,
        }
    }

    pub fn summary(&self) -> AuthSummary {
        // RFC 8601 reports each signature; the summary keeps the best.
        const RANK: [&str; 6] = [
            "pass",
            "temperror",
            "fail",
            "permerror",
            "neutral",
            "policy",
        ];
        let dkim = RANK
            .into_iter()
            .find(|w| self.dkim.iter().any(|d| d.result == *w))
            .unwrap_or("none");
        let dmarc = match self.dmarc.policy.as_deref() {
            Some("none") if self.dmarc.result == "fail" => "fail (p=none)".to_owned(),
            _ => self.dmarc.result.clone(),
        };
        AuthSummary {
            verdict: self.verdict,
            checked_by: self.checked_by.clone(),
            spf: self.spf.result.clone(),
            dkim: dkim.to_owned(),
            dmarc,
            from_aligned: self.from_aligned,
        }
    }
}

/// `checked_by` of results the relay reached itself.
pub const RELAY: &str = "relay";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_picks_an_action_per_verdict_and_always_accepts_a_pass() {
        let policy = AuthPolicy {
            on_fail: AuthAction::Hold,
            on_none: AuthAction::Refuse,
            on_temperror: AuthAction::TempFail,
        };
        assert_eq!(policy.action(AuthVerdict::Pass), AuthAction::Accept);
        assert_eq!(policy.action(AuthVerdict::Fail), AuthAction::Hold);
        assert_eq!(policy.action(AuthVerdict::None), AuthAction::Refuse);
        assert_eq!(policy.action(AuthVerdict::TempError), AuthAction::TempFail);
        for action in [
            AuthAction::Accept,
            AuthAction::Hold,
            AuthAction::Refuse,
            AuthAction::TempFail,
        ] {
            assert_eq!(AuthAction::parse(action.as_str()), Some(action));
        }
        let auth = SenderAuth::unchecked(AuthVerdict::None, "relay", true);
        assert_eq!(
            serde_json::to_value(auth.summary()).unwrap()["verdict"],
            serde_json::json!("none")
        );
        assert!(!auth.trusted_edge);
        let stored: SenderAuth =
            serde_json::from_value(serde_json::to_value(&auth).unwrap()).unwrap();
        assert_eq!(stored, auth, "stored results read back unchanged");
    }
}
