//! EHLO, HELO and STARTTLS: who the client is and how the line is protected.

use tokio::io::{AsyncRead, AsyncWrite};

use super::{
    reply,
    session::{Flow, Session},
};

impl<S> Session<S>
where
    S: AsyncRead + AsyncWrite + Unpin + Send,
{
    /// RFC 5321 4.1.4: EHLO also resets any transaction under way.
    pub(super) fn handle_ehlo(&mut self, host: String) -> Flow {
        self.helo = Some(host);
        self.transaction = None;
        let offer_tls = self.config.tls.is_some() && !self.tls_active;
        self.answer(reply::ehlo(
            &self.config.hostname,
            self.config.max_message_size,
            offer_tls,
        ))
    }

    pub(super) fn handle_helo(&mut self, host: String) -> Flow {
        self.helo = Some(host);
        self.transaction = None;
        self.answer(reply::helo(&self.config.hostname))
    }

    pub(super) fn handle_starttls(&mut self) -> Flow {
        if self.tls_active {
            return self.answer(reply::tls_already_active());
        }
        if self.config.tls.is_none() {
            return self.answer(reply::not_implemented());
        }
        self.queue(reply::ready_to_start_tls());
        Flow::StartTls
    }
}
