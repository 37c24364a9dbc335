//! DKIM with its hashing and signature checks on the CPU pool and its DNS
//! on the session's task: the message is read on the pool (headers, body
//! hashes), the keys its signatures name are looked up here, and the
//! signatures are verified on the pool against those answers only, so no
//! pool thread ever waits for DNS.
//!
//! mail-auth's parsed message borrows the bytes, so it cannot cross an
//! `await`; each pool job parses its own from the shared bytes, and the
//! second one reuses the body hashes of the first.

use std::{
    collections::HashMap,
    hash::Hash,
    sync::{Arc, Mutex, PoisonError},
    time::Instant,
};

use mail_auth::{
    AuthenticatedMessage, DkimOutput, DkimResult, Error, MessageAuthenticator, Parameters,
    ResolverCache, Txt,
    common::{
        crypto::HashAlgorithm,
        verify::{DomainKey, VerifySignature},
    },
    dkim::{Canonicalization, Signature},
    hickory_resolver::config::{ResolverConfig, ResolverOpts},
};

use crate::cpu::{CpuError, CpuPool, Work};

/// Signatures checked per message; later ones are ignored. Real mail
/// carries one to three; each costs a DNS lookup and an RSA verification.
pub(super) const MAX_SIGNATURES: usize = 8;

/// A body hash as mail-auth keeps it: per canonicalisation and algorithm.
type BodyHash = (Canonicalization, HashAlgorithm, u64, Vec<u8>);

/// What the first pool job read from the message.
pub(super) struct Read {
    /// Addresses in `From:`, lowercased.
    pub from: Vec<String>,
    body_offset: usize,
    body_hashes: Vec<BodyHash>,
    /// The `._domainkey` names of the signatures that will be checked.
    keys: Vec<String>,
}

/// One signature's result, owned, to leave the pool.
#[derive(Debug, Clone)]
pub(super) struct Checked {
    pub result: DkimResult,
    pub signature: Option<Signature>,
}

impl Checked {
    /// mail-auth's own form, for DMARC.
    pub fn as_output(&self) -> DkimOutput<'_> {
        let output = match &self.result {
            DkimResult::Pass => DkimOutput::pass(),
            DkimResult::TempError(e) => DkimOutput::temp_err(e.clone()),
            DkimResult::PermError(e) => DkimOutput::perm_err(e.clone()),
            DkimResult::Fail(e) => DkimOutput::fail(e.clone()),
            DkimResult::Neutral(e) => DkimOutput::neutral(e.clone()),
            DkimResult::None => DkimOutput::neutral(Error::NotAligned),
        };
        match &self.signature {
            Some(signature) => output.with_signature(signature),
            None => output,
        }
    }
}

/// Parses the message on the pool: its `From:`, body hashes and signatures.
/// `None` when it has no header at all.
pub(super) async fn read(cpu: &CpuPool, raw: Arc<Vec<u8>>) -> Result<Option<Read>, CpuError> {
    cpu.run(move || {
        crate::cpu::heavy(Work::Dkim);
        let message = AuthenticatedMessage::parse(&raw)?;
        Some(Read {
            from: message.from.clone(),
            body_offset: message.body_offset(),
            keys: message
                .dkim_headers
                .iter()
                .take(MAX_SIGNATURES)
                .map(|h| h.header.domain_key())
                .collect(),
            body_hashes: message.body_hashes,
        })
    })
    .await
}

/// The DNS answers for the signatures' keys, errors included, so the
/// verification on the pool finds every answer it needs here.
#[derive(Default)]
pub(super) struct Answers(Mutex<HashMap<Box<str>, Txt>>);

impl ResolverCache<Box<str>, Txt> for Answers {
    fn get<Q>(&self, name: &Q) -> Option<Txt>
    where
        Box<str>: std::borrow::Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.map().get(name).cloned()
    }

    fn remove<Q>(&self, name: &Q) -> Option<Txt>
    where
        Box<str>: std::borrow::Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.map().remove(name)
    }

    fn insert(&self, key: Box<str>, value: Txt, _valid_until: Instant) {
        self.map().insert(key, value);
    }
}

impl Answers {
    fn map(&self) -> std::sync::MutexGuard<'_, HashMap<Box<str>, Txt>> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Looks up every key the signatures name, one after another as mail-auth
/// itself would (the caller's timeout bounds them all together).
pub(super) async fn look_up(resolver: &MessageAuthenticator, read: &Read) -> Answers {
    let answers = Answers::default();
    for key in &read.keys {
        let found = resolver
            .txt_lookup::<DomainKey>(key.as_str(), Some(&answers))
            .await;
        // mail-auth caches answers, not failures; keep the error too, so the
        // verification sees the same result instead of asking again.
        if let Err(e) = found {
            answers.insert(key.as_str().into(), Txt::Error(e), Instant::now());
        }
    }
    answers
}

/// A resolver that knows no server: on the pool every answer comes from
/// [`Answers`], and a name missing there fails at once instead of waiting.
fn offline() -> &'static MessageAuthenticator {
    static OFFLINE: std::sync::OnceLock<MessageAuthenticator> = std::sync::OnceLock::new();
    OFFLINE.get_or_init(|| {
        MessageAuthenticator::new(
            ResolverConfig::from_name_servers(Vec::new()),
            ResolverOpts::default(),
        )
        .expect("a resolver without servers needs no configuration")
    })
}

/// Verifies the signatures on the pool against `answers`.
pub(super) async fn verify(
    cpu: &CpuPool,
    raw: Arc<Vec<u8>>,
    read: Read,
    answers: Answers,
) -> Result<Vec<Checked>, CpuError> {
    let handle = tokio::runtime::Handle::current();
    cpu.run(move || {
        crate::cpu::heavy(Work::Dkim);
        let headers = &raw[..read.body_offset.min(raw.len())];
        let Some(mut message) = AuthenticatedMessage::parse_with_opts(headers, None, true) else {
            return Vec::new();
        };
        // The body was hashed by the first job; the headers alone were
        // parsed again, so put the body and its hashes back.
        message.raw_message = &raw;
        message.body_offset = u32::try_from(read.body_offset).unwrap_or(u32::MAX);
        message.body_hashes = read.body_hashes;
        message.dkim_headers.truncate(MAX_SIGNATURES);
        for header in &mut message.dkim_headers {
            // Neither is used by the verdict, and each would look up more
            // names: third-party (ATPS) authorisation and failure reports.
            header.header.atps = None;
            header.header.r = false;
        }
        let params = Parameters::new(&message).with_txt_cache(&answers);
        // Every lookup is answered from `answers`, so this never waits.
        handle
            .block_on(offline().verify_dkim(params))
            .into_iter()
            .map(|out| Checked {
                result: out.result().clone(),
                signature: out.signature().cloned(),
            })
            .collect()
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A mail with `n` well-formed signatures, each naming its own key.
    fn signed_many(n: usize) -> Arc<Vec<u8>> {
        let mut raw = String::new();
        for i in 0..n {
            raw.push_str(&format!(
                "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=shop.example; \
                 s=sel{i}; h=from:subject; bh=AAAA; b=AAAA\r\n"
            ));
        }
        raw.push_str("From: owner@shop.example\r\nSubject: hi\r\n\r\nhello\r\n");
        Arc::new(raw.into_bytes())
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn at_most_eight_signatures_are_looked_up_and_checked() {
        let cpu = CpuPool::new(1, 4);
        let raw = signed_many(20);
        let read = read(&cpu, raw.clone()).await.unwrap().unwrap();
        assert_eq!(read.keys.len(), MAX_SIGNATURES);
        assert_eq!(read.keys[0], "sel0._domainkey.shop.example.");
        let checked = verify(&cpu, raw, read, Answers::default()).await.unwrap();
        assert_eq!(checked.len(), MAX_SIGNATURES, "{checked:?}");
    }
}
