//! STARTTLS over real TCP, with a throwaway test CA and a `localhost` certificate.

use std::sync::Arc;

use lettre::{
    AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
    transport::smtp::client::{Certificate, Tls, TlsParameters},
};
use tokio::{net::TcpStream, time::timeout};
use tokio_rustls::{
    TlsConnector,
    rustls::{
        ClientConfig, RootCertStore, ServerConfig,
        crypto::ring,
        pki_types::{CertificateDer, PrivateKeyDer, ServerName, pem::PemObject},
    },
};

use super::{Client, FakeSink, WAIT, config, tcp::start};
use crate::inbound::{SmtpConfig, TlsAcceptor};

/// Test-only CA; its key is not kept anywhere.
const CA_PEM: &str = "\
-----BEGIN CERTIFICATE-----
MIIBlDCCATmgAwIBAgIUOtl4VpQPuuMqqkiDD06B6zVm6CQwCgYIKoZIzj0EAwIw
HjEcMBoGA1UEAwwTbWFya2V0cmVsYXkgdGVzdCBDQTAgFw0yNjExMjUxNTM3MjZa
GA8yMTI2MTEwMTE1MzcyNlowHjEcMBoGA1UEAwwTbWFya2V0cmVsYXkgdGVzdCBD
QTBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABOTxvxv0jjNYRWTPILdSlje9Wcvd
z9Qsbq3WvVJT38AOKdJkO31Sb8HbUc0+KnPs80QNqPzaZ9gTpsFg3UiDxpajUzBR
MB0GA1UdDgQWBBSP0U+iATBcjxVfzIT4JVkup/1LKjAfBgNVHSMEGDAWgBSP0U+i
ATBcjxVfzIT4JVkup/1LKjAPBgNVHRMBAf8EBTADAQH/MAoGCCqGSM49BAMCA0kA
MEYCIQCAezDRa1PSjvuwGx8kzlrFF7kpP8QYJRsMOc0pQYsfLgIhAIhNK43kiCZB
ghkR1DcwYkvGwp3Nedaiv+ax4OPm4Doj
-----END CERTIFICATE-----
";

/// `CN=localhost`, signed by `CA_PEM`, valid for a century.
const CERT_PEM: &str = "\
-----BEGIN CERTIFICATE-----
MIIBvjCCAWOgAwIBAgIUSxbM8AgzaCi+31Mgcqo2zSdvCWcwCgYIKoZIzj0EAwIw
HjEcMBoGA1UEAwwTbWFya2V0cmVsYXkgdGVzdCBDQTAgFw0yNjExMjUxNTM3MjZa
GA8yMTI2MTEwMTE1MzcyNlowFDESMBAGA1UEAwwJbG9jYWxob3N0MFkwEwYHKoZI
zj0CAQYIKoZIzj0DAQcDQgAEZTe0Q0HK5v6Wnift3wkLC7GxLfkjqyGZ3bAH9ew8
2BaydF5pWiCQgtpAUo83CNEDrpRysbrdEfcpxRtCsAJZXqOBhjCBgzAJBgNVHRME
AjAAMBQGA1UdEQQNMAuCCWxvY2FsaG9zdDATBgNVHSUEDDAKBggrBgEFBQcDATAL
BgNVHQ8EBAMCB4AwHQYDVR0OBBYEFCO4Ee8Lx+buT1Eea5MKs1UiINbfMB8GA1Ud
IwQYMBaAFI/RT6IBMFyPFV/MhPglWS6n/UsqMAoGCCqGSM49BAMCA0kAMEYCIQCz
y7rLcbDYmb6kemIQHUuEhG2TBr/fDmLJr6gjFH50TAIhALCykJPAt7WzK5MofG3A
GTAfHdxjz+MWXNmoO2HLlqbk
-----END CERTIFICATE-----
";

const KEY_PEM: &str = "\
-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgCevv0rW/9zV9eBCB
9WAs5PclAz69S6xAjcsrMVDGnyahRANCAARlN7RDQcrm/paeJ+3fCQsLsbEt+SOr
IZndsAf17DzYFrJ0XmlaIJCC2kBSjzcI0QOulHKxut0R9ynFG0KwAlle
-----END PRIVATE KEY-----
";

fn tls_config() -> SmtpConfig {
    let cert = CertificateDer::from_pem_slice(CERT_PEM.as_bytes()).expect("certificate");
    let key = PrivateKeyDer::from_pem_slice(KEY_PEM.as_bytes()).expect("key");
    let server = ServerConfig::builder_with_provider(Arc::new(ring::default_provider()))
        .with_safe_default_protocol_versions()
        .expect("protocol versions")
        .with_no_client_auth()
        .with_single_cert(vec![cert], key)
        .expect("server config");
    SmtpConfig {
        tls: Some(TlsAcceptor::from(Arc::new(server))),
        ..config()
    }
}

fn connector() -> TlsConnector {
    let mut roots = RootCertStore::empty();
    roots
        .add(CertificateDer::from_pem_slice(CA_PEM.as_bytes()).expect("CA"))
        .expect("root");
    let client = ClientConfig::builder_with_provider(Arc::new(ring::default_provider()))
        .with_safe_default_protocol_versions()
        .expect("protocol versions")
        .with_root_certificates(roots)
        .with_no_client_auth();
    TlsConnector::from(Arc::new(client))
}

#[tokio::test]
async fn lettre_delivers_over_starttls() {
    let sink = FakeSink::new();
    let server = start(tls_config(), sink.clone()).await;
    let tls = TlsParameters::builder("localhost".to_owned())
        .add_root_certificate(Certificate::from_pem(CA_PEM.as_bytes()).expect("CA"))
        .build_rustls()
        .expect("TLS parameters");
    let smtp = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous("127.0.0.1")
        .port(server.addr.port())
        .tls(Tls::Required(tls))
        .timeout(Some(WAIT))
        .build();
    let message = Message::builder()
        .from("buyer@example.net".parse().expect("mailbox"))
        .to("k3j9x0abc@relay.localhost".parse().expect("mailbox"))
        .subject("over TLS")
        .body("secret".to_owned())
        .expect("message");
    let response = smtp.send(message).await.expect("delivered over TLS");
    assert!(response.is_positive());
    assert_eq!(sink.stored_count(), 1);

    server.shutdown.cancel();
    timeout(WAIT, server.task)
        .await
        .expect("serve returns")
        .expect("no panic");
}

#[tokio::test]
async fn commands_pipelined_after_starttls_are_discarded() {
    let server = start(tls_config(), FakeSink::new()).await;
    let mut plain = Client::new(TcpStream::connect(server.addr).await.expect("connect"));
    plain.expect("220 ").await;
    let ehlo = plain.cmd("EHLO client.example.net", "250-").await;
    assert!(
        ehlo.contains("250-STARTTLS\r\n") || ehlo.contains("250 STARTTLS\r\n"),
        "{ehlo}"
    );
    // A man in the middle appends a command to the plaintext STARTTLS.
    plain
        .send("STARTTLS\r\nMAIL FROM:<injected@example.org>\r\n")
        .await;
    plain.expect("220 2.0.0").await;

    let stream = plain.into_inner();
    let tls = connector()
        .connect(ServerName::try_from("localhost").expect("name"), stream)
        .await
        .expect("TLS handshake");
    let mut secure = Client::new(tls);
    // The session starts over: no greeting, no EHLO remembered, nothing injected.
    secure
        .cmd("MAIL FROM:<buyer@example.net>", "503 5.5.1")
        .await;
    let ehlo = secure.cmd("EHLO client.example.net", "250-").await;
    assert!(!ehlo.contains("STARTTLS"), "{ehlo}");
    secure.cmd("STARTTLS", "503 5.5.1").await;
    secure
        .cmd("MAIL FROM:<buyer@example.net>", "250 2.1.0")
        .await;
    secure.cmd("QUIT", "221").await;

    server.shutdown.cancel();
    timeout(WAIT, server.task)
        .await
        .expect("serve returns")
        .expect("no panic");
}
