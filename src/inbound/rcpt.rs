//! RCPT TO: asks the relay whether the recipient exists. Whether this
//! sender may write to it is decided after DATA, with the sender's
//! authentication, so a guessed sender learns nothing here.

use smtp_proto::RcptTo;
use tokio::io::{AsyncRead, AsyncWrite};
use tracing::debug;

use super::{
    RcptVerdict, reply,
    session::{Flow, Session},
};

impl<S> Session<S>
where
    S: AsyncRead + AsyncWrite + Unpin + Send,
{
    pub(super) async fn handle_rcpt(&mut self, to: RcptTo<String>) -> Flow {
        let Some(transaction) = &self.transaction else {
            return self.answer(reply::need_mail_first());
        };
        if transaction.rcpt_to.len() >= self.config.max_recipients {
            return self.answer(reply::too_many_recipients());
        }
        // `<>` and `<postmaster>` both parse to "": no relay address is empty.
        if to.address.is_empty() {
            return self.answer(reply::unknown_recipient());
        }
        if transaction.rcpt_to.contains(&to.address) {
            return self.answer(reply::recipient_ok());
        }
        let null_sender = transaction.mail_from.is_empty();
        let bounce_sender = super::is_bounce_sender(&transaction.mail_from);
        let verdict = self.sink.check_recipient(&to.address).await;
        debug!(?verdict, "recipient checked");
        match verdict {
            // A null sender (a bounce) writes as nobody, so it may write to
            // no alias; saying so now reveals nothing about the parties.
            RcptVerdict::Accept if null_sender => self.answer(reply::sender_not_allowed()),
            // A return path takes bounces only; to anyone else it does not exist.
            RcptVerdict::ReturnPath | RcptVerdict::ExpiredReturnPath if !bounce_sender => {
                self.answer(reply::unknown_recipient())
            }
            // Signed by the relay, so not a guess: not counted as a refusal.
            RcptVerdict::ExpiredReturnPath => self.answer(reply::return_path_expired()),
            RcptVerdict::Accept | RcptVerdict::ReturnPath => {
                if let Some(transaction) = &mut self.transaction {
                    transaction.rcpt_to.push(to.address);
                }
                self.answer(reply::recipient_ok())
            }
            RcptVerdict::UnknownRecipient => {
                // Guessing aliases costs the client its refusals too.
                self.sink.client_refused(self.peer.ip()).await;
                self.answer(reply::unknown_recipient())
            }
            RcptVerdict::TryLater => self.answer(reply::recipient_try_later()),
        }
    }
}
