//! Signed links in mail to buyers: consent answers, report and opt-out
//! pages. The link itself is the buyer's authority, so a token names what it
//! is for (a label per kind of link), the record it acts on and an expiry,
//! and carries an HMAC-SHA256 over all of them: it cannot be turned into
//! another kind of link, another record or a longer lifetime.

use hmac::{Hmac, Mac};
use sha2::Sha256;
use time::OffsetDateTime;

use crate::{
    domain::{DeliveryId, EmailAddress},
    store::{
        Store, StoreResult,
        accounts::{random_secret, secret_hash},
    },
};

/// Which secret in the store signs the links when none is configured. The
/// name predates report links; it stays so that links already sent still work.
pub const LINK_SECRET_NAME: &str = "consent_link_key";

#[derive(Clone)]
pub struct LinkSigner {
    key: Vec<u8>,
    /// `http(s)://host[:port][/path]` without a trailing slash.
    base_url: String,
}

impl std::fmt::Debug for LinkSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LinkSigner")
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum LinkError {
    #[error("this link is not valid")]
    Invalid,
    #[error("this link has expired")]
    Expired,
}

impl LinkSigner {
    pub fn new(key: &[u8], base_url: &str) -> Self {
        Self {
            key: key.to_vec(),
            base_url: base_url.trim_end_matches('/').to_owned(),
        }
    }

    fn mac(&self, label: &str, fields: &[&str], expires: i64) -> Hmac<Sha256> {
        let mut mac =
            Hmac::<Sha256>::new_from_slice(&self.key).expect("HMAC accepts keys of any length");
        let mut signed = String::from(label);
        for field in fields {
            signed.push('\n');
            signed.push_str(field);
        }
        mac.update(format!("{signed}\n{expires}").as_bytes());
        mac
    }

    /// `<field>.<field>….<expiry unix seconds>.<signature>`, URL-safe. Fields
    /// are ids and fixed words, which never contain a dot.
    pub fn sign(&self, label: &str, fields: &[&str], expires_at: OffsetDateTime) -> String {
        debug_assert!(fields.iter().all(|f| !f.contains('.')));
        let expires = expires_at.unix_timestamp();
        let signature = self.mac(label, fields, expires).finalize().into_bytes();
        let mut token = fields.join(".");
        if !token.is_empty() {
            token.push('.');
        }
        format!(
            "{token}{expires}.{}",
            data_encoding::BASE64URL_NOPAD.encode(&signature)
        )
    }

    /// The fields (exactly `count` of them) and expiry of a token signed
    /// with our key under `label`, if it has not expired at `now`.
    pub fn verify<'t>(
        &self,
        label: &str,
        token: &'t str,
        count: usize,
        now: OffsetDateTime,
    ) -> Result<(Vec<&'t str>, OffsetDateTime), LinkError> {
        let mut parts: Vec<&str> = token.split('.').collect();
        if parts.len() != count + 2 {
            return Err(LinkError::Invalid);
        }
        let signature = parts.pop().ok_or(LinkError::Invalid)?;
        let expires: i64 = parts
            .pop()
            .ok_or(LinkError::Invalid)?
            .parse()
            .map_err(|_| LinkError::Invalid)?;
        let signature = data_encoding::BASE64URL_NOPAD
            .decode(signature.as_bytes())
            .map_err(|_| LinkError::Invalid)?;
        self.mac(label, &parts, expires)
            .verify_slice(&signature)
            .map_err(|_| LinkError::Invalid)?;
        let expires_at =
            OffsetDateTime::from_unix_timestamp(expires).map_err(|_| LinkError::Invalid)?;
        if now >= expires_at {
            return Err(LinkError::Expired);
        }
        Ok((parts, expires_at))
    }

    /// The envelope sender of one queue entry's mail: `b+<entry>.<tag>@<relay
    /// domain>`, where the tag is the first 80 bits of the HMAC over the
    /// entry id (hex, since some servers lowercase local parts). Bounces
    /// come back to it and name the entry; nobody can make one up.
    pub fn return_path(&self, delivery: DeliveryId, relay_domain: &str) -> String {
        let id = delivery.0.simple().to_string();
        format!(
            "{RETURN_PATH_PREFIX}{id}.{}@{relay_domain}",
            self.return_path_tag(&id)
        )
    }

    /// The queue entry a return path names, if `address` is one of ours in
    /// `relay_domain` and its tag is right.
    pub fn verify_return_path(&self, address: &str, relay_domain: &str) -> Option<DeliveryId> {
        let (local, domain) = address.rsplit_once('@')?;
        if !domain.eq_ignore_ascii_case(relay_domain) {
            return None;
        }
        let local = local.to_ascii_lowercase();
        let (id, tag) = local.strip_prefix(RETURN_PATH_PREFIX)?.split_once('.')?;
        let id = uuid::Uuid::try_parse(id).ok()?;
        let tag = data_encoding::HEXLOWER.decode(tag.as_bytes()).ok()?;
        let canonical = id.simple().to_string();
        (tag.len() == RETURN_PATH_TAG_BYTES)
            .then(|| self.mac(RETURN_PATH_LABEL, &[&canonical], 0))?
            .verify_truncated_left(&tag)
            .ok()?;
        Some(DeliveryId(id))
    }

    fn return_path_tag(&self, id: &str) -> String {
        let full = self
            .mac(RETURN_PATH_LABEL, &[id], 0)
            .finalize()
            .into_bytes();
        data_encoding::HEXLOWER.encode(&full[..RETURN_PATH_TAG_BYTES])
    }

    /// The public address of a page that takes a token: `<base>/<page>/<token>`.
    pub fn url(&self, page: &str, token: &str) -> String {
        format!("{}/{page}/{token}", self.base_url)
    }
}

/// Local parts of return paths start with this; no alias does (aliases
/// are random letters and digits).
pub const RETURN_PATH_PREFIX: &str = "b+";
const RETURN_PATH_LABEL: &str = "return-path";
/// 80 bits: a forger's guesses are refused one RCPT at a time.
const RETURN_PATH_TAG_BYTES: usize = 10;

/// Wrong answers to "who are you?" a link's record takes within the window;
/// after them the link answers nothing until the window has passed.
pub const MAX_WRONG_ANSWERS: i64 = 5;
pub const WRONG_ANSWER_WINDOW: time::Duration = time::Duration::hours(24);

/// Whether the person answering a link is the one it was sent to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Confirmation {
    Confirmed,
    NotTheRecipient,
    TooManyAttempts,
}

/// Confirms who answers a link that acts for its recipient: they type the
/// address the mail went to, which the other party never sees (they know
/// only the relay address). Wrong answers are counted per `record` (the
/// consent or conversation the link acts on), the attempt reserved before
/// the comparison, so guessing is bounded even in parallel.
pub async fn confirm_recipient(
    store: &dyn Store,
    record: &str,
    presented: &str,
    recipient: &EmailAddress,
    now: OffsetDateTime,
) -> StoreResult<Confirmation> {
    let key = secret_hash(&format!("link-answer\n{record}"));
    let attempt = random_secret();
    let accounts = store.accounts();
    let reserved = accounts
        .reserve_attempt(
            &attempt,
            &[(key, MAX_WRONG_ANSWERS)],
            now,
            now - WRONG_ANSWER_WINDOW,
        )
        .await?;
    if !reserved {
        return Ok(Confirmation::TooManyAttempts);
    }
    if EmailAddress::parse(presented.trim()).is_ok_and(|a| &a == recipient) {
        accounts.release_attempt(&attempt).await?;
        return Ok(Confirmation::Confirmed);
    }
    Ok(Confirmation::NotTheRecipient)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::{Duration, macros::datetime};

    const NOW: OffsetDateTime = datetime!(2026-03-01 12:00 UTC);

    fn signer() -> LinkSigner {
        LinkSigner::new(b"0123456789abcdef0123456789abcdef", "https://mr.example/")
    }

    #[test]
    fn a_token_verifies_only_under_its_label_and_field_count() {
        let expires = NOW + Duration::days(1);
        let token = signer().sign("label-a", &["one", "two"], expires);
        let (fields, at) = signer().verify("label-a", &token, 2, NOW).unwrap();
        assert_eq!((fields, at), (vec!["one", "two"], expires));
        assert_eq!(
            signer().verify("label-b", &token, 2, NOW),
            Err(LinkError::Invalid)
        );
        assert_eq!(
            signer().verify("label-a", &token, 1, NOW),
            Err(LinkError::Invalid)
        );
        assert_eq!(
            signer().verify("label-a", &token, 2, expires),
            Err(LinkError::Expired)
        );
        assert_eq!(signer().url("report", "t"), "https://mr.example/report/t");
    }

    #[test]
    fn a_return_path_names_its_entry_and_cannot_be_altered() {
        let id = DeliveryId(uuid::Uuid::new_v4());
        let path = signer().return_path(id, "relay.example");
        assert!(path.starts_with("b+"), "{path}");
        assert!(path.split('@').next().unwrap().len() <= 64, "{path}");
        assert_eq!(
            signer().verify_return_path(&path, "relay.example"),
            Some(id)
        );
        // Servers may change the case of the local part and the domain.
        assert_eq!(
            signer().verify_return_path(&path.to_uppercase(), "relay.example"),
            Some(id)
        );
        let other = LinkSigner::new(b"another key, another service....", "https://x");
        assert_eq!(other.verify_return_path(&path, "relay.example"), None);
        assert_eq!(
            signer().verify_return_path(&path, "elsewhere.example"),
            None
        );
        // Another entry's id under this tag, a changed tag, a cut tag.
        let (local, _) = path.split_once('@').unwrap();
        let (_, tag) = local.split_once('.').unwrap();
        let forged = format!("b+{}.{tag}@relay.example", uuid::Uuid::new_v4().simple());
        assert_eq!(signer().verify_return_path(&forged, "relay.example"), None);
        let flipped = if tag.ends_with('0') { "1" } else { "0" };
        let tampered = format!("{}{flipped}@relay.example", &local[..local.len() - 1]);
        assert_eq!(
            signer().verify_return_path(&tampered, "relay.example"),
            None
        );
        let cut = format!("{}@relay.example", &local[..local.len() - 2]);
        assert_eq!(signer().verify_return_path(&cut, "relay.example"), None);
        for junk in [
            "",
            "@",
            "b+@relay.example",
            "b+.@relay.example",
            "b+x.y@relay.example",
        ] {
            assert_eq!(signer().verify_return_path(junk, "relay.example"), None);
        }
    }
}
