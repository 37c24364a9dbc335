//! Accept loop: one task per connection, a connection cap, graceful shutdown.

use std::{net::SocketAddr, sync::Arc, time::Duration};

use tokio::{
    io::AsyncWriteExt,
    net::{TcpListener, TcpStream},
    sync::Semaphore,
    time::timeout,
};
use tokio_util::{sync::CancellationToken, task::TaskTracker};
use tracing::{debug, info, instrument, warn};

use super::{
    MailSink, Metrics, SmtpConfig,
    limits::{ConnectionSlot, ConnectionsPerIp},
    reply,
    session::{Ending, Session},
};

/// Pause after a failed accept (for instance out of file descriptors), so
/// the loop does not spin.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(100);
/// How long a refused client gets to read its `421`.
const REFUSE_TIMEOUT: Duration = Duration::from_secs(5);

pub(super) async fn serve(
    listener: TcpListener,
    config: Arc<SmtpConfig>,
    sink: Arc<dyn MailSink>,
    shutdown: CancellationToken,
) {
    let sessions = TaskTracker::new();
    let slots = Arc::new(Semaphore::new(config.max_connections));
    let per_ip = ConnectionsPerIp::new(config.max_connections_per_ip);
    if let Ok(addr) = listener.local_addr() {
        info!(%addr, "SMTP listener started");
    }
    loop {
        let accepted = tokio::select! {
            biased;
            () = shutdown.cancelled() => break,
            accepted = listener.accept() => accepted,
        };
        let (stream, peer) = match accepted {
            Ok(connection) => connection,
            Err(err) => {
                warn!(error = %err, "accept failed");
                tokio::select! {
                    () = shutdown.cancelled() => break,
                    () = tokio::time::sleep(ACCEPT_BACKOFF) => continue,
                }
            }
        };
        let _ = stream.set_nodelay(true);
        let Some(ip_slot) = per_ip.try_open(peer.ip()) else {
            sessions.spawn(refuse(
                stream,
                peer,
                reply::too_many_connections_from_you(&config.hostname),
                Arc::clone(&config.metrics),
            ));
            continue;
        };
        match Arc::clone(&slots).try_acquire_owned() {
            Ok(slot) => {
                let (config, sink, shutdown) =
                    (Arc::clone(&config), Arc::clone(&sink), shutdown.clone());
                let open = config.metrics.smtp_session_opened();
                sessions.spawn(async move {
                    connection(stream, peer, config, sink, shutdown, ip_slot).await;
                    drop(slot);
                    drop(open);
                });
            }
            Err(_) => {
                drop(ip_slot);
                sessions.spawn(refuse(
                    stream,
                    peer,
                    reply::too_many_connections(&config.hostname),
                    Arc::clone(&config.metrics),
                ));
            }
        }
    }
    // Closing the socket now refuses new connections while sessions finish.
    drop(listener);
    info!(
        sessions = sessions.len(),
        "SMTP listener stopped accepting; finishing sessions"
    );
    sessions.close();
    sessions.wait().await;
    info!("SMTP listener stopped");
}

async fn connection(
    stream: TcpStream,
    peer: SocketAddr,
    config: Arc<SmtpConfig>,
    sink: Arc<dyn MailSink>,
    shutdown: CancellationToken,
    _ip_slot: ConnectionSlot,
) {
    let session = Session::new(
        stream,
        peer,
        Arc::clone(&config),
        Arc::clone(&sink),
        shutdown.clone(),
    );
    let deadline = session.deadline();
    let Ending::StartTls(stream) = session.run().await else {
        return;
    };
    let Some(acceptor) = config.tls.clone() else {
        return;
    };
    let wait = config
        .command_timeout
        .min(deadline.saturating_duration_since(tokio::time::Instant::now()));
    let handshake = timeout(wait, acceptor.accept(stream)).await;
    match handshake {
        Ok(Ok(tls)) => {
            let session = Session::new(tls, peer, config, sink, shutdown)
                .after_starttls()
                .until(deadline);
            // A second STARTTLS is refused inside the session, so this ends it.
            let _ = session.run().await;
        }
        Ok(Err(err)) => debug!(peer = %peer.ip(), error = %err, "TLS handshake failed"),
        Err(_) => debug!(peer = %peer.ip(), "TLS handshake timed out"),
    }
}

#[instrument(skip_all, fields(peer = %peer.ip()))]
async fn refuse(
    mut stream: TcpStream,
    peer: SocketAddr,
    reply: reply::SmtpReply,
    metrics: Arc<Metrics>,
) {
    info!("too many connections; refused");
    metrics.smtp_session_refused();
    metrics.smtp_reply(reply.code());
    let mut out = Vec::new();
    reply.write_to(&mut out);
    let _ = timeout(REFUSE_TIMEOUT, async {
        stream.write_all(&out).await?;
        stream.shutdown().await
    })
    .await;
}
