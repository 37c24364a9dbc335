//! DKIM signature of outgoing mail for the relay domain (RFC 6376), so
//! receivers can tell the relay's mail from forgeries of it.

use anyhow::{Context, bail};
use mail_auth::{
    common::{
        crypto::{Ed25519Key, RsaKey, Sha256},
        headers::HeaderWriter,
    },
    dkim::{DkimSigner, Done},
};
use tokio_rustls::rustls::pki_types::{PrivateKeyDer, pem::PemObject};

use crate::config::DkimSettings;

/// Header fields the signature covers. Listed once more than they appear,
/// From and Subject are also protected against a second copy added later
/// (RFC 6376 8.15).
const SIGNED_HEADERS: &[&str] = &[
    "From",
    "From",
    "Reply-To",
    "To",
    "Subject",
    "Subject",
    "Date",
    "Message-ID",
    "In-Reply-To",
    "References",
    "MIME-Version",
    "Content-Type",
    "Content-Transfer-Encoding",
    "Auto-Submitted",
    // RFC 8058 3: one-click unsubscription needs both fields signed.
    "List-Unsubscribe",
    "List-Unsubscribe-Post",
];

pub enum Signer {
    Rsa(DkimSigner<RsaKey<Sha256>, Done>),
    Ed25519(DkimSigner<Ed25519Key, Done>),
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Signer::Rsa(_) => "Signer(rsa-sha256)",
            Signer::Ed25519(_) => "Signer(ed25519-sha256)",
        })
    }
}

impl Signer {
    /// Reads the key at start, so a bad key stops the process with one line.
    pub fn from_settings(settings: &DkimSettings) -> anyhow::Result<Self> {
        let pem = std::fs::read(&settings.key_file).with_context(|| {
            format!(
                "cannot read MARKETRELAY_DKIM_KEY_FILE {}",
                settings.key_file.display()
            )
        })?;
        Self::from_pem(&pem, &settings.domain, &settings.selector).with_context(|| {
            format!(
                "invalid MARKETRELAY_DKIM_KEY_FILE {}",
                settings.key_file.display()
            )
        })
    }

    pub fn from_pem(pem: &[u8], domain: &str, selector: &str) -> anyhow::Result<Self> {
        let key = PrivateKeyDer::from_pem_slice(pem)
            .map_err(|e| anyhow::anyhow!("not a PEM private key: {e}"))?;
        let headers = SIGNED_HEADERS.iter().copied();
        if let PrivateKeyDer::Pkcs8(der) = &key
            && let Ok(ed) = Ed25519Key::from_pkcs8_der(der.secret_pkcs8_der())
        {
            return Ok(Signer::Ed25519(
                DkimSigner::from_key(ed)
                    .domain(domain)
                    .selector(selector)
                    .headers(headers),
            ));
        }
        if !matches!(key, PrivateKeyDer::Pkcs1(_) | PrivateKeyDer::Pkcs8(_)) {
            bail!("expected an RSA (PKCS#1 or PKCS#8) or Ed25519 (PKCS#8) key");
        }
        let rsa = RsaKey::<Sha256>::from_key_der(key)
            .map_err(|e| anyhow::anyhow!("not an RSA or Ed25519 key: {e}"))?;
        Ok(Signer::Rsa(
            DkimSigner::from_key(rsa)
                .domain(domain)
                .selector(selector)
                .headers(headers),
        ))
    }

    /// `message` with a `DKIM-Signature` header in front.
    pub fn sign(&self, message: &[u8]) -> anyhow::Result<Vec<u8>> {
        let signature = match self {
            Signer::Rsa(s) => s.sign(message),
            Signer::Ed25519(s) => s.sign(message),
        }
        .map_err(|e| anyhow::anyhow!("cannot sign the mail: {e}"))?;
        // The library writes a complete, folded header line.
        let header = signature.to_header();
        let mut out = Vec::with_capacity(header.len() + 2 + message.len());
        out.extend_from_slice(header.trim_end().as_bytes());
        out.extend_from_slice(b"\r\n");
        out.extend_from_slice(message);
        Ok(out)
    }
}

/// The signer for the configured key, if one is configured.
pub fn signer(settings: Option<&DkimSettings>) -> anyhow::Result<Option<Signer>> {
    settings.map(Signer::from_settings).transpose()
}
