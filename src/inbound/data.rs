//! DATA: collects the message within the size limit and hands it to the sink.

use smtp_proto::request::receiver::{DataReceiver, DummyDataReceiver};
use tokio::io::{AsyncRead, AsyncWrite};
use tracing::{info, warn};

use super::{
    Envelope, SinkError, reply,
    session::{Flow, Session, State},
};

/// Where one slice of DATA input left the message.
enum Progress {
    More,
    Complete(Vec<u8>),
    TooLarge,
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
            message: Vec::new(),
        };
        self.answer(reply::start_data())
    }

    /// Feeds DATA bytes from `rest`, leaving whatever follows the final dot.
    pub(super) async fn ingest_data(&mut self, rest: &mut &[u8]) -> Flow {
        let max = self.config.max_message_size;
        let progress = match &mut self.state {
            State::Data { receiver, message } => {
                // Dot-unstuffing never grows the input and the receiver holds
                // back at most one CR, so feeding no more than this keeps the
                // buffer within max + 2 bytes.
                let room = (max + 2).saturating_sub(message.len()).max(1);
                let take = rest.len().min(room);
                let mut bytes = rest[..take].iter();
                let done = receiver.ingest(&mut bytes, message);
                *rest = &rest[take - bytes.len()..];
                if done {
                    Progress::Complete(std::mem::take(message))
                } else if message.len() > max + 1 {
                    self.state = State::DataTooLarge {
                        receiver: DummyDataReceiver::new_data(receiver),
                    };
                    Progress::More
                } else {
                    Progress::More
                }
            }
            State::DataTooLarge { receiver } => {
                let mut bytes = rest.iter();
                let done = receiver.ingest(&mut bytes);
                *rest = bytes.as_slice();
                if done {
                    Progress::TooLarge
                } else {
                    Progress::More
                }
            }
            State::Command => Progress::More,
        };
        match progress {
            Progress::More => Flow::Continue,
            Progress::Complete(message) if message.len() <= max => {
                self.state = State::Command;
                self.deliver(message).await
            }
            Progress::Complete(_) | Progress::TooLarge => {
                self.state = State::Command;
                self.transaction = None;
                info!(limit = max, "message over the size limit; nothing stored");
                self.answer(reply::message_too_large())
            }
        }
    }

    /// The `250` goes out only after the sink has stored the message.
    async fn deliver(&mut self, message: Vec<u8>) -> Flow {
        let Some(transaction) = self.transaction.take() else {
            return self.answer(reply::need_mail_first());
        };
        let envelope = Envelope {
            peer: self.peer,
            helo: self.helo.clone().unwrap_or_default(),
            mail_from: transaction.mail_from,
            rcpt_to: transaction.rcpt_to,
        };
        let size = message.len();
        let recipients = envelope.rcpt_to.len();
        match self.sink.accept(&envelope, &message).await {
            Ok(ids) => {
                info!(size, recipients, message_ids = ?ids, "message queued");
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
        }
    }
}
