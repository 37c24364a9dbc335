//! One shutdown token for every task: Ctrl-C or SIGTERM cancels it; the SMTP
//! listener, the HTTP server and the delivery worker all watch it.

use tokio_util::sync::CancellationToken;

/// Cancels `token` on Ctrl-C or SIGTERM. The SIGTERM handler is in place
/// when this returns, so a SIGTERM right after start-up is a clean stop.
pub fn cancel_on_signal(token: CancellationToken) {
    // Registered before returning, not inside the task: a SIGTERM that comes
    // right after the listeners are bound must still shut down cleanly.
    #[cfg(unix)]
    let sigterm = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
    tokio::spawn(async move {
        let ctrl_c = async {
            let _ = tokio::signal::ctrl_c().await;
        };
        #[cfg(unix)]
        let terminate = async {
            match sigterm {
                Some(mut s) => {
                    s.recv().await;
                }
                None => std::future::pending::<()>().await,
            }
        };
        #[cfg(not(unix))]
        let terminate = std::future::pending::<()>();
        tokio::select! {
            _ = ctrl_c => {},
            _ = terminate => {},
        }
        tracing::info!("shutdown requested: draining SMTP and HTTP");
        token.cancel();
    });
}
