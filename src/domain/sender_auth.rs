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

/// The results behind a verdict, as recorded with each message. Only result
/// words: no address or domain of a party, so it may go into the audit trail.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct SenderAuth {
    pub verdict: AuthVerdict,
    /// `relay` when marketrelay checked the message itself, otherwise the
    /// authserv-id of the trusted edge whose `Authentication-Results` it took.
    pub checked_by: String,
    pub spf: String,
    pub dkim: String,
    pub dmarc: String,
    /// The `From:` header names exactly the envelope sender.
    pub from_aligned: bool,
}

impl SenderAuth {
    /// A verdict reached without looking at SPF, DKIM or DMARC.
    pub fn unchecked(verdict: AuthVerdict, checked_by: &str, from_aligned: bool) -> Self {
        let word = verdict.as_str().to_owned();
        Self {
            verdict,
            checked_by: checked_by.to_owned(),
            spf: word.clone(),
            dkim: word.clone(),
            dmarc: word,
            from_aligned,
        }
    }
}

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
            serde_json::to_value(&auth).unwrap()["verdict"],
            serde_json::json!("none")
        );
    }
}
