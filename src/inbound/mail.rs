//! MAIL FROM: opens a transaction.

use smtp_proto::{MAIL_BODY_BINARYMIME, MailFrom};
use tokio::io::{AsyncRead, AsyncWrite};

use super::{
    limits::Limit,
    reply,
    session::{Flow, Session, Transaction},
};

impl<S> Session<S>
where
    S: AsyncRead + AsyncWrite + Unpin + Send,
{
    pub(super) async fn handle_mail(&mut self, from: MailFrom<String>) -> Flow {
        if self.helo.is_none() {
            return self.answer(reply::need_helo_first());
        }
        if self.transaction.is_some() {
            return self.answer(reply::sender_already_given());
        }
        // BINARYMIME needs BDAT, which we do not offer; 7BIT and 8BITMIME are fine.
        if from.flags & MAIL_BODY_BINARYMIME != 0 {
            return self.answer(reply::unsupported_parameter());
        }
        // A client whose messages were refused too often lately waits out
        // the window, whoever it now claims to be.
        match self.sink.client_throttled(self.peer.ip()).await {
            Limit::Clear => {}
            Limit::Locked => return self.answer(reply::too_many_refusals()),
            // Fails closed: a limit that cannot be read is not taken as clear.
            Limit::Unknown => return self.answer(reply::refusals_unknown()),
        }
        // RFC 1870: refuse early when the declared size is already too big.
        if from.size > self.config.max_message_size {
            return self.answer(reply::message_too_large());
        }
        self.transaction = Some(Transaction {
            mail_from: from.address,
            rcpt_to: Vec::new(),
        });
        self.answer(reply::sender_ok())
    }
}
