//! Clients that misbehave while the honest load runs: one byte a second,
//! connect and say nothing, and break off in the middle of DATA.

use std::time::Duration;

use tokio::{io::AsyncWriteExt, net::TcpStream};
use tokio_util::sync::CancellationToken;

use super::smtp::Conn;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BadKind {
    Slowloris,
    Silent,
    MidData,
}

impl BadKind {
    /// The `n`th bad client's kind: each in turn.
    pub fn nth(n: usize) -> BadKind {
        [BadKind::Slowloris, BadKind::Silent, BadKind::MidData][n % 3]
    }
}

/// A transaction for the mid-DATA client to break off: the envelope and
/// the part of the mail it sends before it disconnects.
pub struct Abandoned {
    pub from: String,
    pub to: String,
    pub partial: Vec<u8>,
}

/// Runs one bad client until `stop` (or until the server hangs up on it).
pub async fn run(kind: BadKind, addr: String, abandoned: Abandoned, stop: CancellationToken) {
    let _ = match kind {
        BadKind::Slowloris => slowloris(&addr, &abandoned, &stop).await,
        BadKind::Silent => silent(&addr, &stop).await,
        BadKind::MidData => mid_data(&addr, &abandoned).await,
    };
}

async fn slowloris(addr: &str, a: &Abandoned, stop: &CancellationToken) -> std::io::Result<()> {
    let mut stream = TcpStream::connect(addr).await?;
    let script = format!(
        "EHLO slow.load.example\r\nMAIL FROM:<{}>\r\nRCPT TO:<{}>\r\n",
        a.from, a.to
    );
    for byte in script.bytes().cycle() {
        tokio::select! {
            _ = stop.cancelled() => return Ok(()),
            _ = tokio::time::sleep(Duration::from_secs(1)) => stream.write_all(&[byte]).await?,
        }
    }
    Ok(())
}

async fn silent(addr: &str, stop: &CancellationToken) -> std::io::Result<()> {
    let _stream = TcpStream::connect(addr).await?;
    stop.cancelled().await;
    Ok(())
}

async fn mid_data(addr: &str, a: &Abandoned) -> std::io::Result<()> {
    let mut conn = Conn::open(addr).await?;
    let envelope = format!("MAIL FROM:<{}>\r\nRCPT TO:<{}>\r\nDATA\r\n", a.from, a.to);
    conn.send(&[envelope.as_bytes()]).await?;
    for _ in 0..3 {
        conn.reply().await?;
    }
    conn.send(&[&a.partial]).await?;
    // Dropping the connection here is the point: no end of DATA ever comes.
    Ok(())
}
