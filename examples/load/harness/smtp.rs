//! The SMTP client side: pipelined sessions that send many mails over one connection.

use std::{
    io,
    sync::Arc,
    time::{Duration, Instant},
};

use tokio::{
    io::{AsyncBufReadExt, AsyncWriteExt, BufReader, BufWriter},
    net::{
        TcpStream,
        tcp::{OwnedReadHalf, OwnedWriteHalf},
    },
};

use super::mail::Mail;

/// No honest exchange with the server should take longer than this.
const REPLY_TIMEOUT: Duration = Duration::from_secs(120);

pub struct Reply {
    pub code: u16,
    pub text: String,
}

impl Reply {
    pub fn ok(&self) -> bool {
        (200..300).contains(&self.code)
    }
}

pub struct Conn {
    reader: BufReader<OwnedReadHalf>,
    writer: BufWriter<OwnedWriteHalf>,
}

impl Conn {
    /// Connects, reads the greeting and says EHLO.
    pub async fn open(addr: &str) -> io::Result<Conn> {
        let stream = TcpStream::connect(addr).await?;
        stream.set_nodelay(true)?;
        let (read, write) = stream.into_split();
        let mut conn = Conn {
            reader: BufReader::new(read),
            writer: BufWriter::with_capacity(64 * 1024, write),
        };
        expect(conn.reply().await?, 220)?;
        conn.send(&[b"EHLO load.example\r\n"]).await?;
        expect(conn.reply().await?, 250)?;
        Ok(conn)
    }

    pub async fn send(&mut self, parts: &[&[u8]]) -> io::Result<()> {
        for part in parts {
            self.writer.write_all(part).await?;
        }
        self.writer.flush().await
    }

    /// One reply, its continuation lines included.
    pub async fn reply(&mut self) -> io::Result<Reply> {
        let mut text = String::new();
        loop {
            let mut line = String::new();
            let n = tokio::time::timeout(REPLY_TIMEOUT, self.reader.read_line(&mut line))
                .await
                .map_err(|_| io::Error::new(io::ErrorKind::TimedOut, "no reply in time"))??;
            if n == 0 {
                return Err(io::ErrorKind::UnexpectedEof.into());
            }
            text.push_str(&line);
            if line.as_bytes().get(3) != Some(&b'-') {
                let code = line.get(..3).and_then(|c| c.parse().ok()).unwrap_or(0);
                return Ok(Reply {
                    code,
                    text: text.trim_end().to_owned(),
                });
            }
        }
    }
}

fn expect(reply: Reply, code: u16) -> io::Result<()> {
    if reply.code == code {
        Ok(())
    } else {
        Err(io::Error::other(format!(
            "expected {code}, got {}",
            reply.text
        )))
    }
}

pub struct Job {
    pub id: usize,
    pub from: Arc<str>,
    pub to: Arc<str>,
    pub mail: Mail,
}

pub enum Outcome {
    /// `250` to the end of DATA; `dot` is when its last byte was written.
    Accepted {
        dot: Instant,
        at: Instant,
    },
    Refused(String),
}

/// Hands out the mails to send and takes each one's outcome.
pub trait Feed: Send + Sync {
    fn next(&self) -> Option<Job>;
    fn record(&self, id: usize, outcome: Outcome);
}

fn envelope(job: &Job) -> String {
    format!(
        "MAIL FROM:<{}>\r\nRCPT TO:<{}>\r\nDATA\r\n",
        job.from, job.to
    )
}

/// Sends mails from `feed` over one connection until it runs dry,
/// reconnecting after a broken connection (the mails in flight then count
/// as refused: the client cannot know whether they were stored).
pub async fn sender(addr: String, feed: Arc<dyn Feed>) {
    let mut failures = 0;
    let mut in_flight = Vec::new();
    loop {
        let result = match Conn::open(&addr).await {
            Ok(mut conn) => session(&mut conn, feed.as_ref(), &mut in_flight).await,
            Err(e) => Err(e),
        };
        match result {
            Ok(()) => return,
            Err(e) => {
                for id in in_flight.drain(..) {
                    feed.record(id, Outcome::Refused(format!("connection: {e}")));
                }
                failures += 1;
                if failures >= 5 {
                    // Give the rest of this sender's share to the others.
                    return;
                }
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        }
    }
}

/// One connection's transactions, pipelined: the next envelope goes out
/// with the end of the previous mail's DATA (RFC 2920).
async fn session(conn: &mut Conn, feed: &dyn Feed, in_flight: &mut Vec<usize>) -> io::Result<()> {
    let Some(mut job) = feed.next() else {
        conn.send(&[b"QUIT\r\n"]).await?;
        return Ok(());
    };
    in_flight.push(job.id);
    conn.send(&[envelope(&job).as_bytes()]).await?;
    loop {
        let mail_from = conn.reply().await?;
        let rcpt = conn.reply().await?;
        let data = conn.reply().await?;
        if data.code != 354 {
            let refusal = [mail_from, rcpt, data]
                .into_iter()
                .find(|r| !r.ok())
                .map(|r| r.text)
                .unwrap_or_default();
            feed.record(job.id, Outcome::Refused(refusal));
            in_flight.retain(|id| *id != job.id);
            let Some(next) = feed.next() else {
                conn.send(&[b"QUIT\r\n"]).await?;
                return Ok(());
            };
            job = next;
            in_flight.push(job.id);
            conn.send(&[b"RSET\r\n", envelope(&job).as_bytes()]).await?;
            conn.reply().await?;
            continue;
        }
        let next = feed.next();
        let mut tail = b".\r\n".to_vec();
        match &next {
            Some(n) => {
                in_flight.push(n.id);
                tail.extend_from_slice(envelope(n).as_bytes());
            }
            None => tail.extend_from_slice(b"QUIT\r\n"),
        }
        let mut parts: Vec<&[u8]> = job.mail.pieces.iter().map(|p| p.as_bytes()).collect();
        parts.push(&tail);
        conn.send(&parts).await?;
        let dot = Instant::now();
        let reply = conn.reply().await?;
        let outcome = if reply.code == 250 {
            Outcome::Accepted {
                dot,
                at: Instant::now(),
            }
        } else {
            Outcome::Refused(reply.text)
        };
        feed.record(job.id, outcome);
        in_flight.retain(|id| *id != job.id);
        match next {
            Some(n) => job = n,
            None => {
                // The QUIT's 221; a server that just closes is fine too.
                let _ = conn.reply().await;
                return Ok(());
            }
        }
    }
}
