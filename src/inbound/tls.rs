//! STARTTLS certificate loading: PEM files named in the settings.

use std::{path::Path, sync::Arc};

use anyhow::{Context, anyhow};
use tokio_rustls::rustls::{
    ServerConfig,
    crypto::ring,
    pki_types::{CertificateDer, PrivateKeyDer, pem::PemObject},
};

use super::TlsAcceptor;

/// Builds the acceptor from a certificate chain and a private key in PEM.
pub fn acceptor_from_pem_files(cert_file: &Path, key_file: &Path) -> anyhow::Result<TlsAcceptor> {
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(cert_file)
        .with_context(|| {
            format!(
                "cannot read the SMTP TLS certificate {}",
                cert_file.display()
            )
        })?
        .collect::<Result<_, _>>()
        .map_err(|e| anyhow!("invalid SMTP TLS certificate {}: {e}", cert_file.display()))?;
    if certs.is_empty() {
        return Err(anyhow!("no certificate in {}", cert_file.display()));
    }
    let key = PrivateKeyDer::from_pem_file(key_file)
        .map_err(|e| anyhow!("invalid SMTP TLS key {}: {e}", key_file.display()))?;
    let config = ServerConfig::builder_with_provider(Arc::new(ring::default_provider()))
        .with_safe_default_protocol_versions()
        .map_err(|e| anyhow!("TLS setup failed: {e}"))?
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .map_err(|e| anyhow!("the SMTP TLS certificate and key do not match: {e}"))?;
    Ok(TlsAcceptor::from(Arc::new(config)))
}
