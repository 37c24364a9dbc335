//! DATA: collects the message within the size limit, spooling it beyond a
//! small threshold, then authenticates the sender and hands it to the sink.

use smtp_proto::request::receiver::{DataReceiver, DummyDataReceiver};
use tokio::io::{AsyncRead, AsyncWrite};
use tracing::{info, warn};

use super::{
    Envelope, SinkError,
    reply::{self, SmtpReply},
    session::{Flow, Session, State},
    spool::Spool,
};
use crate::domain::AuthVerdict;

/// Input bytes handed to the dot-unstuffer at a time; bounds the chunk a
/// session holds besides its spool.
const CHUNK: usize = 64 * 1024;

/// Where one slice of DATA input left the message.
enum Progress {
    More,
    Complete,
    /// Read to the final dot and kept nothing; answer with this.
    Discarded(SmtpReply),
}

impl<S> Session<S>
where
    S: AsyncRead + AsyncWrite + Unpin + Send,
{
    pub(super) fn handle_data(&mut self) -> Flow {
        let Some(transaction) = &self.transaction else {
            return self.answer(reply::need_mail_first());
        };
        if transaction.rcpt_to.is_empty() {
            return self.answer(reply::no_valid_recipients());
        }
        let mut receiver = DataReceiver::new();
        // The receiver only sees a dot as special after CRLF; the message
        // starts at the beginning of a line, so tell it one just ended.
        receiver.ingest(&mut b"\r\n".iter(), &mut Vec::new());
        self.state = State::Data {
            receiver,
            spool: Spool::new(self.config.spool_threshold, self.config.spool_dir.clone()),
            pending: Vec::new(),
        };
        self.answer(reply::start_data())
    }

    /// Feeds DATA bytes from `rest`, leaving whatever follows the final dot.
    pub(super) async fn ingest_data(&mut self, rest: &mut &[u8]) -> Flow {
        let max = self.config.max_message_size;
        let progress = match &mut self.state {
            State::Data {
                receiver,
                spool,
                pending,
            } => {
                // Dot-unstuffing never grows the input and the receiver holds
                // back at most one CR, so feeding no more than this keeps the
                // message within max + 2 bytes.
                let room = (max + 2).saturating_sub(spool.len() + pending.len()).max(1);
                let take = rest.len().min(room).min(CHUNK);
                let mut bytes = rest[..take].iter();
                let mut chunk = std::mem::take(pending);
                let done = receiver.ingest(&mut bytes, &mut chunk);
                *rest = &rest[take - bytes.len()..];
                // The receiver takes back a CR it wrote when the next byte
                // ends the message, so a trailing CR waits for that byte.
                if !done && chunk.last() == Some(&b'\r') {
                    pending.push(b'\r');
                    chunk.pop();
                }
                let written = spool.write(&chunk).await;
                if let Err(err) = written {
                    warn!(error = %err, "cannot spool DATA");
                    let receiver = DummyDataReceiver::new_data(receiver);
                    self.state = State::Discard {
                        receiver,
                        reply: reply::temporary_failure(),
                    };
                    if done {
                        Progress::Discarded(reply::temporary_failure())
                    } else {
                        Progress::More
                    }
                } else if done {
                    Progress::Complete
                } else if spool.len() + pending.len() > max + 1 {
                    info!(limit = max, "message over the size limit; nothing stored");
                    self.state = State::Discard {
                        receiver: DummyDataReceiver::new_data(receiver),
                        reply: reply::message_too_large(),
                    };
                    Progress::More
                } else {
                    Progress::More
                }
            }
            State::Discard { receiver, reply } => {
                let mut bytes = rest.iter();
                let done = receiver.ingest(&mut bytes);
                *rest = bytes.as_slice();
                if done {
                    Progress::Discarded(reply.clone())
                } else {
                    Progress::More
                }
            }
            State::Command => Progress::More,
        };
        match progress {
            Progress::More => Flow::Continue,
            Progress::Complete => {
                let State::Data { spool, .. } = std::mem::replace(&mut self.state, State::Command)
                else {
                    return Flow::Continue;
                };
                if spool.len() > max {
                    self.transaction = None;
                    info!(limit = max, "message over the size limit; nothing stored");
                    return self.answer(reply::message_too_large());
                }
                self.deliver(spool).await
            }
            Progress::Discarded(answer) => {
                self.state = State::Command;
                self.transaction = None;
                self.answer(answer)
            }
        }
    }

    /// The `250` goes out only after the sink has stored the message.
    async fn deliver(&mut self, spool: Spool) -> Flow {
        let Some(transaction) = self.transaction.take() else {
            return self.answer(reply::need_mail_first());
        };
        let size = spool.len();
        // Held until the message is stored or refused, for the message and
        // the copies accepting it makes: the relay never holds more than
        // the budget, however many sessions end their DATA at once. A
        // session that cannot get its share in time says so with a
        // temporary reply; nothing is stored, so nothing is lost.
        let wait = self.config.data_timeout;
        let budget = &self.config.bytes_in_flight;
        let Some(_share) = budget.acquire(size, super::ACCEPT_COPIES, wait).await else {
            warn!(size, "no room for the message in the byte budget");
            return self.answer(reply::insufficient_resources());
        };
        let message = match spool.into_bytes().await {
            // Shared with the CPU pool's jobs without a copy.
            Ok(message) => std::sync::Arc::new(message),
            Err(err) => {
                warn!(error = %err, "cannot read the spooled message");
                return self.answer(reply::temporary_failure());
            }
        };
        let helo = self.helo.clone().unwrap_or_default();
        let auth = match self
            .config
            .auth
            .authenticate(self.peer.ip(), &helo, &transaction.mail_from, &message)
            .await
        {
            Ok(auth) => auth,
            Err(err) => {
                warn!(error = %err, "no capacity to authenticate the sender");
                return self.answer(reply::temporary_failure());
            }
        };
        let envelope = Envelope {
            peer: self.peer,
            helo,
            mail_from: transaction.mail_from,
            rcpt_to: transaction.rcpt_to,
            auth,
        };
        let recipients = envelope.rcpt_to.len();
        let verdict = envelope.auth.verdict;
        match self.sink.accept(&envelope, &message).await {
            Ok(ids) => {
                info!(size, recipients, auth = verdict.as_str(), message_ids = ?ids, "message queued");
                self.junk_commands = 0;
                self.answer(reply::queued(&ids))
            }
            Err(SinkError::Temporary(_)) => {
                warn!(size, recipients, "sink failed temporarily");
                self.answer(reply::temporary_failure())
            }
            Err(SinkError::Permanent(reason)) => {
                info!(size, recipients, "sink refused message");
                self.answer(reply::rejected(&reason))
            }
            Err(SinkError::SenderNotAllowed) => {
                info!(size, recipients, auth = verdict.as_str(), "sender refused");
                // Refusals of senders who did not prove who they are are
                // guesses; a client that guesses too often is told to wait.
                if verdict != AuthVerdict::Pass {
                    self.sink.client_refused(self.peer.ip()).await;
                }
                self.answer(reply::sender_not_allowed())
            }
            Err(SinkError::AuthUnavailable) => {
                info!(size, recipients, "sender authentication unavailable");
                self.answer(reply::auth_unavailable())
            }
            Err(SinkError::RecipientThrottled) => {
                info!(size, recipients, "recipient throttled");
                self.answer(reply::recipient_throttled())
            }
        }
    }
}
