//! One shutdown token for every task: Ctrl-C or SIGTERM cancels it; the SMTP
//! listener, the HTTP server and the delivery worker all watch it.

use tokio_util::sync::CancellationToken;

/// Cancels `token` on Ctrl-C or SIGTERM. The SIGTERM handler is in place
/// when this returns, so a SIGTERM right after start-up is a clean stop.
pub fn cancel_on_signal(token: CancellationToken) {
    #[cfg(unix)]
    let sigterm = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate());
    tokio::spawn(async move {
        let ctrl_c = async {
            let _ = tokio::signal::ctrl_c().await;
        };
        #[cfg(unix)]
        let terminate = async {
            match sigterm {
                Ok(mut s) => {
                    s.recv().await;
                }
                Err(_) => std::future::pending::<()>().await,
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
