//! RCPT TO: asks the relay whether this sender may write to this recipient.

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
        let mail_from = transaction.mail_from.clone();
        let verdict = self.sink.check_recipient(&mail_from, &to.address).await;
        debug!(?verdict, "recipient checked");
        match verdict {
            RcptVerdict::Accept => {
                if let Some(transaction) = &mut self.transaction {
                    transaction.rcpt_to.push(to.address);
                }
                self.answer(reply::recipient_ok())
            }
            RcptVerdict::UnknownRecipient => self.answer(reply::unknown_recipient()),
            RcptVerdict::SenderNotAllowed => self.answer(reply::sender_not_allowed()),
            RcptVerdict::TryLater => self.answer(reply::recipient_try_later()),
        }
    }
}
