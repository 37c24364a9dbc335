//! Signed links in mail to buyers: consent answers, report and opt-out
//! pages. The link itself is the buyer's authority, so a token names what it
//! is for (a label per kind of link), the record it acts on and an expiry,
//! and carries an HMAC-SHA256 over all of them: it cannot be turned into
//! another kind of link, another record or a longer lifetime.

use hmac::{Hmac, Mac};
use sha2::Sha256;
use time::{Date, OffsetDateTime};

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
    /// The key before a rotation: what it signed still verifies.
    previous: Option<Vec<u8>>,
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
            previous: None,
            base_url: base_url.trim_end_matches('/').to_owned(),
        }
    }

    /// Also accepts what `previous` signed, while a rotation is under way.
    pub fn with_previous(mut self, previous: &[u8]) -> Self {
        self.previous = Some(previous.to_vec());
        self
    }

    /// The keys a signature may be made with: the current one first.
    fn keys(&self) -> impl Iterator<Item = &[u8]> {
        std::iter::once(self.key.as_slice()).chain(self.previous.as_deref())
    }

    fn mac(&self, label: &str, fields: &[&str], expires: i64) -> Hmac<Sha256> {
        mac_with(&self.key, label, fields, expires)
    }
}

fn mac_with(key: &[u8], label: &str, fields: &[&str], expires: i64) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC accepts keys of any length");
    let mut signed = String::from(label);
    for field in fields {
        signed.push('\n');
        signed.push_str(field);
    }
    mac.update(format!("{signed}\n{expires}").as_bytes());
    mac
}

impl LinkSigner {
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
        if !self.keys().any(|key| {
            mac_with(key, label, &parts, expires)
                .verify_slice(&signature)
                .is_ok()
        }) {
            return Err(LinkError::Invalid);
        }
        let expires_at =
            OffsetDateTime::from_unix_timestamp(expires).map_err(|_| LinkError::Invalid)?;
        if now >= expires_at {
            return Err(LinkError::Expired);
        }
        Ok((parts, expires_at))
    }

    /// The envelope sender of one queue entry's mail issued on `day`:
    /// `b+<entry>.<day>.<tag>@<relay domain>`, the day as days since 1970
    /// in hex, the tag the first 80 bits of the HMAC over both (hex, since
    /// some servers lowercase local parts). Bounces come back to it and
    /// name the entry; nobody can make one up or move its day.
    pub fn return_path(&self, delivery: DeliveryId, relay_domain: &str, day: Date) -> String {
        let id = delivery.0.simple().to_string();
        let day = format!("{:x}", day.to_julian_day() - EPOCH_DAY);
        let tag = return_path_tag(&self.key, &[&id, &day]);
        format!("{RETURN_PATH_PREFIX}{id}.{day}.{tag}@{relay_domain}")
    }

    /// The queue entry a return path names, and the day it was issued, if
    /// `address` is one of ours in `relay_domain` and its tag is right under
    /// the key or the previous one. One made before return paths carried a
    /// day (`b+<entry>.<tag>`) is read with no day.
    pub fn verify_return_path(&self, address: &str, relay_domain: &str) -> Option<ReturnPath> {
        let (local, domain) = address.rsplit_once('@')?;
        if !domain.eq_ignore_ascii_case(relay_domain) {
            return None;
        }
        let local = local.to_ascii_lowercase();
        let parts: Vec<&str> = local.strip_prefix(RETURN_PATH_PREFIX)?.split('.').collect();
        let (id, day, tag) = match parts[..] {
            [id, day, tag] => (id, Some(day), tag),
            [id, tag] => (id, None, tag),
            _ => return None,
        };
        let id = uuid::Uuid::try_parse(id).ok()?;
        let tag = data_encoding::HEXLOWER.decode(tag.as_bytes()).ok()?;
        if tag.len() != RETURN_PATH_TAG_BYTES {
            return None;
        }
        let canonical = id.simple().to_string();
        let issued = match day {
            Some(day) => {
                let days = i32::from_str_radix(day, 16).ok()?;
                // Only the form we write: no sign, no leading zeros.
                if format!("{days:x}") != day {
                    return None;
                }
                Some(Date::from_julian_day(EPOCH_DAY.checked_add(days)?).ok()?)
            }
            None => None,
        };
        let signed: Vec<&str> = match day {
            Some(day) => vec![&canonical, day],
            None => vec![&canonical],
        };
        self.keys()
            .any(|key| {
                mac_with(key, RETURN_PATH_LABEL, &signed, 0)
                    .verify_truncated_left(&tag)
                    .is_ok()
            })
            .then_some(ReturnPath {
                delivery: DeliveryId(id),
                issued,
            })
    }

    /// The public address of a page that takes a token: `<base>/<page>/<token>`.
    pub fn url(&self, page: &str, token: &str) -> String {
        format!("{}/{page}/{token}", self.base_url)
    }
}

/// What a return path names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReturnPath {
    pub delivery: DeliveryId,
    /// The day it was issued; `None` for one made before return paths
    /// carried a day.
    pub issued: Option<Date>,
}

impl ReturnPath {
    /// Whether it still takes bounces at `now`: until `lifetime` after the
    /// end of the day it was issued. One without a day is the store's to
    /// judge, by when its entry was last tried.
    pub fn is_current(&self, now: OffsetDateTime, lifetime: std::time::Duration) -> bool {
        let Some(day) = self.issued else {
            return true;
        };
        let end_of_day = day.midnight().assume_utc() + time::Duration::DAY;
        let lifetime = time::Duration::try_from(lifetime).unwrap_or(time::Duration::MAX);
        now < end_of_day.saturating_add(lifetime)
    }
}

/// 1970-01-01, the day return paths count from.
const EPOCH_DAY: i32 = 2_440_588;

/// The first 80 bits of the return path HMAC over `fields`, in hex.
fn return_path_tag(key: &[u8], fields: &[&str]) -> String {
    let full = mac_with(key, RETURN_PATH_LABEL, fields, 0)
        .finalize()
        .into_bytes();
    data_encoding::HEXLOWER.encode(&full[..RETURN_PATH_TAG_BYTES])
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

    const DAY: time::Date = time::macros::date!(2026 - 03 - 01);

    #[test]
    fn a_return_path_names_its_entry_and_day_and_cannot_be_altered() {
        let id = DeliveryId(uuid::Uuid::new_v4());
        let path = signer().return_path(id, "relay.example", DAY);
        assert!(path.starts_with("b+"), "{path}");
        assert!(path.split('@').next().unwrap().len() <= 64, "{path}");
        let named = Some(ReturnPath {
            delivery: id,
            issued: Some(DAY),
        });
        assert_eq!(signer().verify_return_path(&path, "relay.example"), named);
        // Servers may change the case of the local part and the domain.
        assert_eq!(
            signer().verify_return_path(&path.to_uppercase(), "relay.example"),
            named
        );
        let other = LinkSigner::new(b"another key, another service....", "https://x");
        assert_eq!(other.verify_return_path(&path, "relay.example"), None);
        assert_eq!(
            signer().verify_return_path(&path, "elsewhere.example"),
            None
        );
        // Another entry's id or another day under this tag, a changed tag, a cut tag.
        let (local, _) = path.split_once('@').unwrap();
        let parts: Vec<&str> = local.split('.').collect();
        let (day, tag) = (parts[1], parts[2]);
        let forged = format!(
            "b+{}.{day}.{tag}@relay.example",
            uuid::Uuid::new_v4().simple()
        );
        assert_eq!(signer().verify_return_path(&forged, "relay.example"), None);
        let later = format!(
            "{}.{:x}.{tag}@relay.example",
            parts[0],
            i32::from_str_radix(day, 16).unwrap() + 30
        );
        assert_eq!(signer().verify_return_path(&later, "relay.example"), None);
        let padded = format!("{}.0{day}.{tag}@relay.example", parts[0]);
        assert_eq!(signer().verify_return_path(&padded, "relay.example"), None);
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
            "b+x.y.z@relay.example",
        ] {
            assert_eq!(signer().verify_return_path(junk, "relay.example"), None);
        }
    }

    #[test]
    fn a_return_path_takes_bounces_until_its_lifetime_after_the_day_ends() {
        let lifetime = std::time::Duration::from_secs(10 * 86_400);
        let path = ReturnPath {
            delivery: DeliveryId(uuid::Uuid::new_v4()),
            issued: Some(DAY),
        };
        let end = DAY.midnight().assume_utc() + Duration::days(11);
        assert!(path.is_current(end - Duration::seconds(1), lifetime));
        assert!(!path.is_current(end, lifetime));
        // Without a day, the store judges by the entry's last attempt.
        let legacy = ReturnPath {
            issued: None,
            ..path
        };
        assert!(legacy.is_current(end + Duration::days(365), lifetime));
    }

    #[test]
    fn the_previous_key_still_verifies_what_it_signed_and_signs_nothing() {
        let old = signer();
        let new_key = b"the key after the rotation.......";
        let rotated = LinkSigner::new(new_key, "https://mr.example/")
            .with_previous(b"0123456789abcdef0123456789abcdef");
        let id = DeliveryId(uuid::Uuid::new_v4());
        let path = old.return_path(id, "relay.example", DAY);
        assert_eq!(
            rotated
                .verify_return_path(&path, "relay.example")
                .map(|p| p.delivery),
            Some(id)
        );
        let token = old.sign("label", &["one"], NOW + Duration::days(1));
        assert!(rotated.verify("label", &token, 1, NOW).is_ok());
        // What the rotated signer makes is under the new key only.
        let fresh = rotated.return_path(id, "relay.example", DAY);
        assert_ne!(fresh, path);
        assert_eq!(old.verify_return_path(&fresh, "relay.example"), None);
        let fresh = rotated.sign("label", &["one"], NOW + Duration::days(1));
        assert_eq!(old.verify("label", &fresh, 1, NOW), Err(LinkError::Invalid));
        // Without the previous key, the old one's signatures are refused.
        let forgotten = LinkSigner::new(new_key, "https://mr.example/");
        assert_eq!(forgotten.verify_return_path(&path, "relay.example"), None);
    }

    /// Return paths sent before they carried a day: `b+<entry>.<tag>`, the
    /// tag over the entry alone.
    #[test]
    fn a_return_path_without_a_day_is_read_with_none() {
        let id = DeliveryId(uuid::Uuid::new_v4());
        let simple = id.0.simple().to_string();
        let tag = return_path_tag(b"0123456789abcdef0123456789abcdef", &[&simple]);
        let path = format!("b+{simple}.{tag}@relay.example");
        assert_eq!(
            signer().verify_return_path(&path, "relay.example"),
            Some(ReturnPath {
                delivery: id,
                issued: None
            })
        );
        let other = LinkSigner::new(b"another key, another service....", "https://x");
        assert_eq!(other.verify_return_path(&path, "relay.example"), None);
    }
}
