//! One SMTP conversation: a state machine over any byte stream.

use std::{net::SocketAddr, sync::Arc};

use smtp_proto::{
    Error as ParseError, Request,
    request::receiver::{DataReceiver, DummyDataReceiver, RequestReceiver},
};
use tokio::{
    io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt},
    time::{Instant, timeout},
};
use tokio_util::sync::CancellationToken;
use tracing::{debug, info, instrument};

use super::{MailSink, SmtpConfig, reply, reply::SmtpReply, spool::Spool};

/// Longest command line we take, CRLF included. RFC 5321 asks for 512; we
/// allow room for long parameter lists but stay below smtp-proto's own cap.
pub(super) const MAX_LINE: usize = 4000;
/// Negative 5xx answers to one client before we hang up.
pub(super) const MAX_ERRORS: usize = 10;
const READ_CHUNK: usize = 8 * 1024;

pub(super) enum State {
    /// Reading command lines.
    Command,
    /// Between DATA's 354 and the final dot, collecting the message.
    Data {
        receiver: DataReceiver,
        spool: Spool,
        /// A trailing CR not yet spooled (see `ingest_data`).
        pending: Vec<u8>,
    },
    /// The message outgrew the limit or could not be spooled: read to the
    /// final dot, keep nothing, then answer `reply`.
    Discard {
        receiver: DummyDataReceiver,
        reply: SmtpReply,
    },
}

impl State {
    fn name(&self) -> &'static str {
        match self {
            State::Command => "command",
            State::Data { .. } => "data",
            State::Discard { .. } => "data_discarded",
        }
    }
}

/// The envelope being built between MAIL and the end of DATA.
pub(super) struct Transaction {
    pub(super) mail_from: String,
    pub(super) rcpt_to: Vec<String>,
}

/// What the connection does after the bytes at hand are handled.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Flow {
    Continue,
    Close,
    StartTls,
}

/// How a session ended.
pub enum Ending<S> {
    Closed,
    /// The client asked for STARTTLS and got `220`: the caller runs the
    /// handshake on the stream and a fresh session over the TLS stream.
    StartTls(S),
}

pub struct Session<S> {
    pub(super) stream: S,
    pub(super) config: Arc<SmtpConfig>,
    pub(super) sink: Arc<dyn MailSink>,
    pub(super) peer: SocketAddr,
    shutdown: CancellationToken,
    pub(super) state: State,
    pub(super) helo: Option<String>,
    pub(super) transaction: Option<Transaction>,
    /// True once the stream is the TLS layer negotiated by STARTTLS.
    pub(super) tls_active: bool,
    receiver: RequestReceiver,
    /// Bytes of the current, unfinished command line seen so far.
    partial_line: usize,
    /// Discard input up to the next LF (the tail of an overlong line).
    skip_line: bool,
    errors: usize,
    /// Commands outside a transaction since the last queued message.
    pub(super) junk_commands: usize,
    /// When the connection is closed, whatever it is doing.
    deadline: Instant,
    out: Vec<u8>,
}

impl<S> Session<S>
where
    S: AsyncRead + AsyncWrite + Unpin + Send,
{
    pub fn new(
        stream: S,
        peer: SocketAddr,
        config: Arc<SmtpConfig>,
        sink: Arc<dyn MailSink>,
        shutdown: CancellationToken,
    ) -> Self {
        let deadline = Instant::now() + config.max_session;
        Self {
            stream,
            config,
            sink,
            peer,
            shutdown,
            state: State::Command,
            helo: None,
            transaction: None,
            tls_active: false,
            receiver: RequestReceiver::default(),
            partial_line: 0,
            skip_line: false,
            errors: 0,
            junk_commands: 0,
            deadline,
            out: Vec::with_capacity(512),
        }
    }

    /// A session over a stream that STARTTLS just secured: no greeting, the
    /// client starts again with EHLO (RFC 3207 4.2).
    pub fn after_starttls(mut self) -> Self {
        self.tls_active = true;
        self
    }

    /// Keeps the lifetime of the connection this session continues (STARTTLS).
    pub fn until(mut self, deadline: Instant) -> Self {
        self.deadline = deadline;
        self
    }

    pub fn deadline(&self) -> Instant {
        self.deadline
    }

    #[instrument(name = "smtp_session", skip_all, fields(peer = %self.peer.ip(), tls = self.tls_active))]
    pub async fn run(mut self) -> Ending<S> {
        debug!("session started");
        if !self.tls_active {
            self.queue(reply::greeting(&self.config.hostname));
        }
        let mut buf = vec![0u8; READ_CHUNK];
        loop {
            // A client that stops reading must not hold the session (or shutdown) forever.
            match timeout(self.config.command_timeout, self.flush()).await {
                Ok(Ok(())) => {}
                Ok(Err(err)) => {
                    debug!(error = %err, "write failed");
                    return Ending::Closed;
                }
                Err(_elapsed) => {
                    info!("client stopped reading replies");
                    return Ending::Closed;
                }
            }
            let per_read = match self.state {
                State::Command => self.config.command_timeout,
                State::Data { .. } | State::Discard { .. } => self.config.data_timeout,
            };
            // Each read waits at most its timeout and never past the
            // session's end, so no client keeps a session forever.
            let wait = per_read.min(self.deadline.saturating_duration_since(Instant::now()));
            let read = match self.state {
                State::Command => {
                    tokio::select! {
                        biased;
                        () = self.shutdown.cancelled() => {
                            self.close_with(reply::shutting_down()).await;
                            return Ending::Closed;
                        }
                        read = timeout(wait, self.stream.read(&mut buf)) => read,
                    }
                }
                // A transaction under way is finished even during shutdown.
                State::Data { .. } | State::Discard { .. } => {
                    timeout(wait, self.stream.read(&mut buf)).await
                }
            };
            let n = match read {
                Err(_elapsed) if Instant::now() >= self.deadline => {
                    info!(state = self.state.name(), "session lifetime reached");
                    let ended = reply::session_too_long(&self.config.hostname);
                    self.close_with(ended).await;
                    return Ending::Closed;
                }
                Err(_elapsed) => {
                    info!(state = self.state.name(), "client timed out");
                    let timeout = reply::timeout(&self.config.hostname);
                    self.close_with(timeout).await;
                    return Ending::Closed;
                }
                Ok(Err(err)) => {
                    debug!(state = self.state.name(), error = %err, "read failed");
                    return Ending::Closed;
                }
                Ok(Ok(0)) => {
                    if !matches!(self.state, State::Command) {
                        info!("client disconnected during DATA; nothing stored");
                    } else {
                        debug!("client disconnected");
                    }
                    return Ending::Closed;
                }
                Ok(Ok(n)) => n,
            };
            match self.ingest(&buf[..n]).await {
                Flow::Continue => {}
                Flow::Close => {
                    self.close_with_queued().await;
                    return Ending::Closed;
                }
                Flow::StartTls => {
                    return match timeout(self.config.command_timeout, self.flush()).await {
                        Ok(Ok(())) => Ending::StartTls(self.stream),
                        _ => Ending::Closed,
                    };
                }
            }
        }
    }

    /// Handles every command and DATA byte in `bytes`, in order.
    pub(super) async fn ingest(&mut self, bytes: &[u8]) -> Flow {
        let mut rest = bytes;
        while !rest.is_empty() {
            let before = rest.len();
            let flow = match self.state {
                State::Command => self.ingest_command(&mut rest).await,
                State::Data { .. } | State::Discard { .. } => self.ingest_data(&mut rest).await,
            };
            if flow != Flow::Continue {
                // Whatever was pipelined after QUIT, a fatal error or
                // STARTTLS is dropped unread (RFC 3207 5).
                return flow;
            }
            if rest.len() == before && matches!(self.state, State::Command) {
                // The parser made no progress; wait for more input rather than spin.
                break;
            }
        }
        Flow::Continue
    }

    async fn ingest_command(&mut self, rest: &mut &[u8]) -> Flow {
        let line_end = rest.iter().position(|&b| b == b'\n');
        if self.skip_line {
            match line_end {
                Some(end) => {
                    *rest = &rest[end + 1..];
                    self.skip_line = false;
                }
                None => *rest = &[],
            }
            return Flow::Continue;
        }
        if self.shutdown.is_cancelled() {
            self.queue(reply::shutting_down());
            return Flow::Close;
        }
        let line_len = self.partial_line + line_end.map_or(rest.len(), |end| end + 1);
        if line_len > MAX_LINE {
            self.receiver = RequestReceiver::default();
            self.partial_line = 0;
            match line_end {
                Some(end) => *rest = &rest[end + 1..],
                None => {
                    *rest = &[];
                    self.skip_line = true;
                }
            }
            return self.answer(reply::line_too_long());
        }

        let before = rest.len();
        let mut bytes = rest.iter();
        let parsed = self.receiver.ingest(&mut bytes).map(Request::into_owned);
        *rest = bytes.as_slice();
        let consumed = before - rest.len();

        match parsed {
            Ok(request) => {
                self.partial_line = 0;
                self.handle(request).await
            }
            Err(ParseError::NeedsMoreData { .. }) => {
                self.partial_line += consumed;
                Flow::Continue
            }
            Err(err) => {
                self.partial_line = 0;
                let answer = match err {
                    ParseError::ResponseTooLong => {
                        self.receiver = RequestReceiver::default();
                        self.skip_line = true;
                        reply::line_too_long()
                    }
                    ParseError::InvalidSenderAddress => reply::invalid_sender_address(),
                    ParseError::InvalidRecipientAddress => reply::invalid_recipient_address(),
                    ParseError::SyntaxError { syntax } => reply::syntax_error(syntax),
                    ParseError::InvalidParameter { param } => reply::invalid_parameter(param),
                    ParseError::UnsupportedParameter { .. } => reply::unsupported_parameter(),
                    ParseError::UnknownCommand
                    | ParseError::NeedsMoreData { .. }
                    | ParseError::InvalidResponse { .. } => reply::unknown_command(),
                };
                self.answer(answer)
            }
        }
    }

    async fn handle(&mut self, request: Request<String>) -> Flow {
        debug!(command = request.name(), "command");
        // Commands that move no mail: a client may send only so many
        // before it queues a message, so it cannot idle here forever.
        if matches!(
            request,
            Request::Noop { .. }
                | Request::Rset
                | Request::Vrfy { .. }
                | Request::Help { .. }
                | Request::Ehlo { .. }
                | Request::Helo { .. }
        ) {
            self.junk_commands += 1;
            if self.junk_commands > self.config.max_junk_commands {
                info!(
                    commands = self.junk_commands,
                    "too many commands without mail"
                );
                self.queue(reply::too_many_commands());
                return Flow::Close;
            }
        }
        match request {
            Request::Ehlo { host } => self.handle_ehlo(host),
            Request::Helo { host } => self.handle_helo(host),
            Request::StartTls => self.handle_starttls(),
            Request::Mail { from } => self.handle_mail(from).await,
            Request::Rcpt { to } => self.handle_rcpt(to).await,
            Request::Data => self.handle_data(),
            Request::Rset => {
                self.transaction = None;
                self.answer(reply::reset())
            }
            Request::Noop { .. } => self.answer(reply::ok()),
            Request::Vrfy { .. } => self.answer(reply::cannot_verify()),
            Request::Help { .. } => self.answer(reply::help()),
            Request::Quit => {
                self.queue(reply::closing(&self.config.hostname));
                Flow::Close
            }
            Request::Lhlo { .. }
            | Request::Bdat { .. }
            | Request::Auth { .. }
            | Request::Expn { .. }
            | Request::Etrn { .. }
            | Request::Atrn { .. }
            | Request::Burl { .. } => self.answer(reply::not_implemented()),
        }
    }

    /// Queues the answer to a command; too many permanent errors end the session.
    pub(super) fn answer(&mut self, reply: SmtpReply) -> Flow {
        let permanent = reply.code() >= 500;
        self.queue(reply);
        if permanent {
            self.errors += 1;
            if self.errors >= MAX_ERRORS {
                info!(errors = self.errors, "too many errors");
                self.queue(reply::too_many_errors());
                return Flow::Close;
            }
        }
        Flow::Continue
    }

    pub(super) fn queue(&mut self, reply: SmtpReply) {
        debug!(code = reply.code(), state = self.state.name(), "reply");
        self.config.metrics.smtp_reply(reply.code());
        reply.write_to(&mut self.out);
    }

    async fn flush(&mut self) -> std::io::Result<()> {
        if self.out.is_empty() {
            return Ok(());
        }
        self.stream.write_all(&self.out).await?;
        self.out.clear();
        self.stream.flush().await
    }

    async fn close_with(&mut self, reply: SmtpReply) {
        self.queue(reply);
        self.close_with_queued().await;
    }

    async fn close_with_queued(&mut self) {
        // The peer may already be gone; there is nobody left to tell.
        let _ = timeout(self.config.command_timeout, async {
            self.flush().await?;
            self.stream.shutdown().await
        })
        .await;
        debug!("session closed");
    }
}
