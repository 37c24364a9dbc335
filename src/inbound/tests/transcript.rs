//! Transcript tests: one session over an in-memory stream.

use std::{sync::Arc, time::Duration};

use tokio::{io::DuplexStream, task::JoinHandle, time::timeout};
use tokio_util::sync::CancellationToken;

use super::{Client, FakeSink, Gate, HOST, Outcome, WAIT, config, peer};
use crate::inbound::{SmtpConfig, session::Session};

const BUYER: &str = "buyer@example.net";
const ALIAS: &str = "k3j9x0abc@relay.localhost";

struct Harness {
    client: Client<DuplexStream>,
    sink: Arc<FakeSink>,
    shutdown: CancellationToken,
    task: JoinHandle<()>,
}

impl Harness {
    async fn start() -> Self {
        Self::with(config(), FakeSink::new()).await
    }

    async fn with(config: SmtpConfig, sink: Arc<FakeSink>) -> Self {
        let (client, server) = tokio::io::duplex(64 * 1024);
        let shutdown = CancellationToken::new();
        let session = Session::new(
            server,
            peer(),
            Arc::new(config),
            sink.clone(),
            shutdown.clone(),
        );
        let task = tokio::spawn(async move {
            session.run().await;
        });
        let mut client = Client::new(client);
        client
            .expect(&format!("220 {HOST} ESMTP marketrelay\r\n"))
            .await;
        Self {
            client,
            sink,
            shutdown,
            task,
        }
    }

    /// EHLO, MAIL and one accepted RCPT.
    async fn open_transaction(&mut self) {
        self.client.cmd("EHLO client.example.net", "250-").await;
        self.client
            .cmd(&format!("MAIL FROM:<{BUYER}>"), "250 2.1.0")
            .await;
        self.client
            .cmd(&format!("RCPT TO:<{ALIAS}>"), "250 2.1.5")
            .await;
    }

    /// Waits for the session task to end; fails if it panicked.
    async fn finished(self) -> Arc<FakeSink> {
        timeout(WAIT, self.task)
            .await
            .expect("session ends")
            .expect("session did not panic");
        self.sink
    }
}

const MESSAGE: &str = "Subject: Is it still available?\r\n\r\nHello!\r\n";

#[tokio::test]
async fn greeting_and_ehlo_advertise_the_extensions() {
    let mut h = Harness::start().await;
    let ehlo = h.client.cmd("EHLO client.example.net", "250-").await;
    assert!(ehlo.starts_with(&format!("250-{HOST} ")), "{ehlo}");
    let extensions: Vec<&str> = ehlo.lines().skip(1).map(|line| &line[4..]).collect();
    for extension in ["SIZE 1000", "8BITMIME", "PIPELINING", "ENHANCEDSTATUSCODES"] {
        assert!(
            extensions.contains(&extension),
            "{extension} missing in {ehlo:?}"
        );
    }
    assert!(!ehlo.contains("STARTTLS"), "{ehlo}");
    assert!(!ehlo.contains("you had me"), "{ehlo}");
}

#[tokio::test]
async fn helo_is_answered_with_250() {
    let mut h = Harness::start().await;
    h.client
        .cmd("HELO client.example.net", &format!("250 {HOST}"))
        .await;
    h.client
        .cmd(&format!("MAIL FROM:<{BUYER}>"), "250 2.1.0")
        .await;
}

#[tokio::test]
async fn a_full_transaction_is_queued_only_after_the_sink_stores_it() {
    let mut h = Harness::start().await;
    h.open_transaction().await;
    h.client.cmd("DATA", "354 ").await;
    h.client.send(&format!("{MESSAGE}.\r\n")).await;
    h.client.expect("250 2.0.0 queued as msg-1\r\n").await;
    h.client.cmd("QUIT", "221 2.0.0").await;
    assert!(h.client.closed().await);

    let sink = h.finished().await;
    let stored = sink.stored();
    assert_eq!(stored.len(), 1);
    let (envelope, raw) = &stored[0];
    assert_eq!(envelope.helo, "client.example.net");
    assert_eq!(envelope.mail_from, BUYER);
    assert_eq!(envelope.rcpt_to, vec![ALIAS.to_owned()]);
    assert_eq!(envelope.peer, peer());
    assert_eq!(raw.as_slice(), MESSAGE.as_bytes());
    assert_eq!(*sink.checks.lock().expect("lock"), vec![ALIAS.to_owned()]);
}

#[tokio::test]
async fn commands_are_case_insensitive() {
    let mut h = Harness::start().await;
    h.client.cmd("ehlo client.example.net", "250").await;
    h.client
        .cmd(&format!("mail from:<{BUYER}>"), "250 2.1.0")
        .await;
    h.client
        .cmd(&format!("Rcpt To:<{ALIAS}>"), "250 2.1.5")
        .await;
    h.client.cmd("NoOp", "250 2.0.0").await;
    h.client.cmd("data", "354").await;
    h.client.send(&format!("{MESSAGE}.\r\n")).await;
    h.client.expect("250 2.0.0 queued as").await;
    h.client.cmd("quit", "221").await;
}

#[tokio::test]
async fn every_recipient_gets_an_id_in_the_reply() {
    let mut h = Harness::start().await;
    h.open_transaction().await;
    h.client
        .cmd("RCPT TO:<second@relay.localhost>", "250 2.1.5")
        .await;
    h.client.cmd("DATA", "354").await;
    h.client.send(&format!("{MESSAGE}.\r\n")).await;
    h.client.expect("250 2.0.0 queued as msg-1 msg-2\r\n").await;
}

#[tokio::test]
async fn recipient_verdicts_map_to_their_codes() {
    let mut h = Harness::start().await;
    h.client.cmd("EHLO c", "250").await;
    h.client
        .cmd(&format!("MAIL FROM:<{BUYER}>"), "250 2.1.0")
        .await;
    h.client
        .cmd("RCPT TO:<unknown@relay.localhost>", "550 5.1.1")
        .await;
    h.client
        .cmd("RCPT TO:<someone@elsewhere.example>", "250 2.1.5")
        .await;
    // Who may write is decided after DATA: RCPT says nothing about it.
    h.client
        .cmd("RCPT TO:<private@relay.localhost>", "250 2.1.5")
        .await;
    h.client
        .cmd("RCPT TO:<later@relay.localhost>", "451 4.3.0")
        .await;
    h.client.cmd("RCPT TO:<>", "550 5.1.1").await;
    assert_eq!(
        h.sink.check_count(),
        4,
        "the empty path never reaches the sink"
    );
}

#[tokio::test]
async fn recipients_beyond_the_limit_get_452() {
    let mut h = Harness::start().await;
    h.open_transaction().await;
    h.client
        .cmd("RCPT TO:<b@relay.localhost>", "250 2.1.5")
        .await;
    h.client
        .cmd("RCPT TO:<c@relay.localhost>", "250 2.1.5")
        .await;
    h.client
        .cmd("RCPT TO:<d@relay.localhost>", "452 4.5.3")
        .await;
    h.client.cmd("DATA", "354").await;
    h.client.send(&format!("{MESSAGE}.\r\n")).await;
    h.client
        .expect("250 2.0.0 queued as msg-1 msg-2 msg-3\r\n")
        .await;
}

#[tokio::test]
async fn duplicate_recipient_is_kept_once() {
    let mut h = Harness::start().await;
    h.open_transaction().await;
    h.client
        .cmd(&format!("RCPT TO:<{ALIAS}>"), "250 2.1.5")
        .await;
    h.client.cmd("DATA", "354").await;
    h.client.send(&format!("{MESSAGE}.\r\n")).await;
    h.client.expect("250 2.0.0 queued as msg-1\r\n").await;
}

#[tokio::test]
async fn commands_out_of_sequence_get_503() {
    let mut h = Harness::start().await;
    h.client
        .cmd(&format!("MAIL FROM:<{BUYER}>"), "503 5.5.1")
        .await;
    h.client.cmd("EHLO c", "250").await;
    h.client
        .cmd(&format!("RCPT TO:<{ALIAS}>"), "503 5.5.1")
        .await;
    h.client.cmd("DATA", "503 5.5.1").await;
    h.client
        .cmd(&format!("MAIL FROM:<{BUYER}>"), "250 2.1.0")
        .await;
    h.client
        .cmd(&format!("MAIL FROM:<{BUYER}>"), "503 5.5.1")
        .await;
    assert_eq!(h.sink.check_count(), 0);
}

#[tokio::test]
async fn data_without_a_valid_recipient_gets_554() {
    let mut h = Harness::start().await;
    h.client.cmd("EHLO c", "250").await;
    h.client
        .cmd(&format!("MAIL FROM:<{BUYER}>"), "250 2.1.0")
        .await;
    h.client
        .cmd("RCPT TO:<unknown@relay.localhost>", "550 5.1.1")
        .await;
    h.client.cmd("DATA", "554 5.5.1").await;
    h.client.cmd("NOOP", "250").await;
}

#[tokio::test]
async fn rset_drops_the_transaction() {
    let mut h = Harness::start().await;
    h.open_transaction().await;
    h.client.cmd("RSET", "250 2.0.0").await;
    h.client.cmd("DATA", "503 5.5.1").await;
    h.client
        .cmd(&format!("MAIL FROM:<{BUYER}>"), "250 2.1.0")
        .await;
}

#[tokio::test]
async fn noop_vrfy_help_and_quit() {
    let mut h = Harness::start().await;
    h.client.cmd("NOOP", "250 2.0.0").await;
    h.client.cmd("VRFY someone", "252 2.5.0").await;
    h.client.cmd("HELP", "214 2.0.0").await;
    h.client.cmd("QUIT", &format!("221 2.0.0 {HOST}")).await;
    assert!(h.client.closed().await);
    h.finished().await;
}

#[tokio::test]
async fn unknown_and_unsupported_commands_are_refused() {
    let mut h = Harness::start().await;
    h.client.cmd("FROB nicate", "500 5.5.2").await;
    h.client.cmd("STARTTLS", "502 5.5.1").await;
    h.client.cmd("AUTH PLAIN", "502 5.5.1").await;
    h.client.cmd("BDAT 10 LAST", "502 5.5.1").await;
    h.client.cmd("NOOP", "250").await;
}

#[tokio::test]
async fn syntax_errors_get_501() {
    let mut h = Harness::start().await;
    h.client.cmd("EHLO", "501 5.5.2").await;
    h.client.cmd("EHLO c", "250").await;
    h.client
        .cmd("MAIL FROM buyer@example.net", "501 5.5.2")
        .await;
    h.client.cmd("MAIL FROM:<not an address>", "501").await;
    h.client.cmd("MAIL FROM:<a@b> SIZE=lots", "501 5.5.4").await;
    h.client
        .cmd(&format!("MAIL FROM:<{BUYER}>"), "250 2.1.0")
        .await;
    h.client.cmd("RCPT TO:<bad address@x>", "501").await;
    h.client.cmd("VRFY", "501").await;
}

#[tokio::test]
async fn too_many_errors_end_the_session_with_421() {
    let mut h = Harness::start().await;
    for _ in 0..9 {
        h.client.cmd("BOGUS", "500 5.5.2").await;
    }
    h.client.send("BOGUS\r\n").await;
    h.client.expect("500 5.5.2").await;
    h.client.expect("421 4.7.0").await;
    assert!(h.client.closed().await);
    h.finished().await;
}

#[tokio::test]
async fn pipelined_commands_are_answered_in_order() {
    let mut h = Harness::start().await;
    h.client.cmd("EHLO c", "250").await;
    h.client
        .send(&format!(
            "MAIL FROM:<{BUYER}>\r\nRCPT TO:<unknown@relay.localhost>\r\nRCPT TO:<{ALIAS}>\r\n\
             RCPT TO:<later@relay.localhost>\r\nNOOP\r\nDATA\r\n"
        ))
        .await;
    for code in [
        "250 2.1.0",
        "550 5.1.1",
        "250 2.1.5",
        "451 4.3.0",
        "250 2.0.0",
        "354",
    ] {
        h.client.expect(code).await;
    }
    h.client
        .send(&format!(
            "{MESSAGE}.\r\nMAIL FROM:<{BUYER}>\r\nRSET\r\nQUIT\r\n"
        ))
        .await;
    for code in ["250 2.0.0 queued as msg-1", "250 2.1.0", "250 2.0.0", "221"] {
        h.client.expect(code).await;
    }
    assert!(h.client.closed().await);
    assert_eq!(h.finished().await.stored_count(), 1);
}

#[tokio::test]
async fn commands_split_into_single_bytes_still_parse() {
    let mut h = Harness::start().await;
    for byte in format!("EHLO c\r\nMAIL FROM:<{BUYER}>\r\n").bytes() {
        h.client.send_bytes(&[byte]).await;
    }
    h.client.expect("250-").await;
    h.client.expect("250 2.1.0").await;
}

#[tokio::test]
async fn declared_size_over_the_limit_gets_552_and_8bitmime_is_accepted() {
    let mut h = Harness::start().await;
    h.client.cmd("EHLO c", "250").await;
    h.client
        .cmd(&format!("MAIL FROM:<{BUYER}> SIZE=1001"), "552 5.3.4")
        .await;
    h.client
        .cmd(&format!("MAIL FROM:<{BUYER}> BODY=BINARYMIME"), "555 5.5.4")
        .await;
    h.client
        .cmd(
            &format!("MAIL FROM:<{BUYER}> SIZE=1000 BODY=8BITMIME"),
            "250 2.1.0",
        )
        .await;
}

#[tokio::test]
async fn oversized_data_gets_552_and_nothing_is_stored() {
    let mut h = Harness::start().await;
    h.open_transaction().await;
    h.client.cmd("DATA", "354").await;
    let line = format!("{}\r\n", "x".repeat(98));
    for _ in 0..50 {
        h.client.send(&line).await;
    }
    h.client.send(".\r\n").await;
    h.client.expect("552 5.3.4").await;
    assert_eq!(h.sink.stored_count(), 0);
    // The session is usable afterwards and the transaction is gone.
    h.client.cmd("DATA", "503 5.5.1").await;
    h.client
        .cmd(&format!("MAIL FROM:<{BUYER}>"), "250 2.1.0")
        .await;
    h.client
        .cmd(&format!("RCPT TO:<{ALIAS}>"), "250 2.1.5")
        .await;
    h.client.cmd("DATA", "354").await;
    h.client.send(&format!("{MESSAGE}.\r\n")).await;
    h.client.expect("250 2.0.0 queued").await;
}

#[tokio::test]
async fn oversized_data_in_one_packet_with_pipelined_quit() {
    let mut h = Harness::start().await;
    h.open_transaction().await;
    h.client.cmd("DATA", "354").await;
    h.client
        .send(&format!("{}\r\n.\r\nQUIT\r\n", "y".repeat(20_000)))
        .await;
    h.client.expect("552 5.3.4").await;
    h.client.expect("221").await;
    assert_eq!(h.finished().await.stored_count(), 0);
}

#[tokio::test]
async fn a_message_of_exactly_the_limit_is_accepted() {
    let mut h = Harness::start().await;
    h.open_transaction().await;
    h.client.cmd("DATA", "354").await;
    // 998 bytes of text plus CRLF plus "." stuffing none: 1000 bytes stored.
    let body = format!("{}\r\n", "z".repeat(998));
    h.client.send(&format!("{body}.\r\n")).await;
    h.client.expect("250 2.0.0 queued").await;
    let stored = h.sink.stored();
    assert_eq!(stored[0].1.len(), 1000);

    h.client.cmd(&format!("MAIL FROM:<{BUYER}>"), "250").await;
    h.client.cmd(&format!("RCPT TO:<{ALIAS}>"), "250").await;
    h.client.cmd("DATA", "354").await;
    h.client.send(&format!("z{body}.\r\n")).await;
    h.client.expect("552 5.3.4").await;
    assert_eq!(h.sink.stored_count(), 1);
}

#[tokio::test]
async fn disconnect_during_data_stores_nothing() {
    let mut h = Harness::start().await;
    h.open_transaction().await;
    h.client.cmd("DATA", "354").await;
    h.client
        .send("Subject: half\r\n\r\nthe first half\r\n")
        .await;
    let Harness {
        client, sink, task, ..
    } = h;
    drop(client);
    timeout(WAIT, task).await.expect("ends").expect("no panic");
    assert_eq!(sink.stored_count(), 0);
}

#[tokio::test]
async fn dot_stuffed_lines_are_unstuffed() {
    let mut h = Harness::start().await;
    h.open_transaction().await;
    h.client.cmd("DATA", "354").await;
    h.client
        .send("..leading dot at the start\r\nSubject: x\r\n\r\n..\r\n...two\r\nend.\r\n.\r\n")
        .await;
    h.client.expect("250 2.0.0 queued").await;
    let stored = h.sink.stored();
    assert_eq!(
        String::from_utf8_lossy(&stored[0].1),
        ".leading dot at the start\r\nSubject: x\r\n\r\n.\r\n..two\r\nend.\r\n"
    );
}

#[tokio::test]
async fn an_empty_message_ends_at_the_first_dot() {
    let mut h = Harness::start().await;
    h.open_transaction().await;
    h.client.cmd("DATA", "354").await;
    h.client.send(".\r\n").await;
    h.client.expect("250 2.0.0 queued").await;
    assert!(h.sink.stored()[0].1.is_empty());
}

#[tokio::test]
async fn bare_lf_dot_does_not_end_the_message() {
    // SMTP smuggling: only CRLF.CRLF ends DATA.
    let mut h = Harness::start().await;
    h.open_transaction().await;
    h.client.cmd("DATA", "354").await;
    h.client
        .send(&format!(
            "Subject: a\r\n\r\nbody\n.\nMAIL FROM:<evil@example.org>\r\nRCPT TO:<{ALIAS}>\r\nDATA\r\n\r\n.\r\n"
        ))
        .await;
    h.client.expect("250 2.0.0 queued as msg-1\r\n").await;
    h.client.cmd("NOOP", "250").await;
    assert_eq!(h.sink.stored_count(), 1);
    assert_eq!(h.sink.check_count(), 1);
}

#[tokio::test]
async fn message_split_across_packets_keeps_its_bytes() {
    let mut h = Harness::start().await;
    h.open_transaction().await;
    h.client.cmd("DATA", "354").await;
    for part in [
        "Subject: x\r",
        "\n\r\nline\r\n.",
        ".dots\r\n",
        "\r",
        "\n.",
        "\r",
        "\n",
    ] {
        h.client.send(part).await;
    }
    h.client.expect("250 2.0.0 queued").await;
    assert_eq!(
        String::from_utf8_lossy(&h.sink.stored()[0].1),
        "Subject: x\r\n\r\nline\r\n.dots\r\n\r\n"
    );
}

#[tokio::test]
async fn sink_temporary_failure_gets_451() {
    let mut h = Harness::with(config(), FakeSink::with(Outcome::Temporary, None)).await;
    h.open_transaction().await;
    h.client.cmd("DATA", "354").await;
    h.client.send(&format!("{MESSAGE}.\r\n")).await;
    h.client.expect("451 4.3.0").await;
    // The transaction is over either way.
    h.client.cmd("DATA", "503 5.5.1").await;
}

#[tokio::test]
async fn sink_permanent_failure_gets_554_with_a_clean_reason() {
    let outcome = Outcome::Permanent("blocked by policy\r\n250 2.0.0 fake".to_owned());
    let mut h = Harness::with(config(), FakeSink::with(outcome, None)).await;
    h.open_transaction().await;
    h.client.cmd("DATA", "354").await;
    h.client.send(&format!("{MESSAGE}.\r\n")).await;
    let reply = h.client.expect("554 5.6.0 blocked by policy").await;
    assert!(!reply.contains("\r\n250"), "{reply:?}");
    h.client.cmd("NOOP", "250 2.0.0 OK").await;
}

#[tokio::test]
async fn the_session_resets_after_a_transaction() {
    let mut h = Harness::start().await;
    h.open_transaction().await;
    h.client.cmd("DATA", "354").await;
    h.client.send(&format!("{MESSAGE}.\r\n")).await;
    h.client.expect("250 2.0.0 queued").await;
    h.client
        .cmd(&format!("RCPT TO:<{ALIAS}>"), "503 5.5.1")
        .await;
    h.client
        .cmd("MAIL FROM:<second@example.net>", "250 2.1.0")
        .await;
    h.client
        .cmd("RCPT TO:<other@relay.localhost>", "250 2.1.5")
        .await;
    h.client.cmd("DATA", "354").await;
    h.client.send("Subject: again\r\n\r\n.\r\n").await;
    h.client.expect("250 2.0.0 queued as msg-2").await;
    let stored = h.sink.stored();
    assert_eq!(stored[1].0.mail_from, "second@example.net");
    assert_eq!(
        stored[1].0.rcpt_to,
        vec!["other@relay.localhost".to_owned()]
    );
}

#[tokio::test]
async fn an_idle_client_is_dropped_with_421() {
    let config = SmtpConfig {
        command_timeout: Duration::from_millis(200),
        ..config()
    };
    let mut h = Harness::with(config, FakeSink::new()).await;
    h.client.expect("421 4.4.2").await;
    assert!(h.client.closed().await);
    h.finished().await;
}

#[tokio::test]
async fn a_stalled_data_transfer_is_dropped_with_421() {
    let config = SmtpConfig {
        data_timeout: Duration::from_millis(200),
        ..config()
    };
    let mut h = Harness::with(config, FakeSink::new()).await;
    h.open_transaction().await;
    h.client.cmd("DATA", "354").await;
    h.client.send("Subject: slow\r\n").await;
    h.client.expect("421 4.4.2").await;
    assert!(h.client.closed().await);
    assert_eq!(h.finished().await.stored_count(), 0);
}

#[tokio::test]
async fn shutdown_closes_an_idle_session_with_421() {
    let mut h = Harness::start().await;
    h.client.cmd("EHLO c", "250").await;
    h.shutdown.cancel();
    h.client.expect("421 4.3.2 shutting down").await;
    assert!(h.client.closed().await);
    h.finished().await;
}

#[tokio::test]
async fn shutdown_during_data_finishes_the_transaction_first() {
    let mut h = Harness::start().await;
    h.open_transaction().await;
    h.client.cmd("DATA", "354").await;
    h.client.send("Subject: x\r\n\r\nfirst half\r\n").await;
    h.shutdown.cancel();
    tokio::time::sleep(Duration::from_millis(50)).await;
    h.client.send("second half\r\n.\r\n").await;
    h.client.expect("250 2.0.0 queued as msg-1").await;
    h.client.expect("421 4.3.2").await;
    assert!(h.client.closed().await);
    assert_eq!(h.finished().await.stored_count(), 1);
}

#[tokio::test]
async fn shutdown_while_the_sink_stores_still_answers_250() {
    let gate = Arc::new(Gate::default());
    let mut h = Harness::with(config(), FakeSink::with(Outcome::Store, Some(gate.clone()))).await;
    h.open_transaction().await;
    h.client.cmd("DATA", "354").await;
    h.client.send(&format!("{MESSAGE}.\r\nNOOP\r\n")).await;
    timeout(WAIT, gate.entered.notified())
        .await
        .expect("sink called");
    h.shutdown.cancel();
    gate.open();
    h.client.expect("250 2.0.0 queued as msg-1").await;
    // The pipelined NOOP comes after shutdown: the session says goodbye.
    h.client.expect("421 4.3.2").await;
    assert!(h.client.closed().await);
    h.finished().await;
}

#[tokio::test]
async fn an_overlong_line_gets_500_and_the_session_goes_on() {
    let mut h = Harness::start().await;
    h.client
        .send(&format!("NOOP {}\r\n", "a".repeat(10_000)))
        .await;
    h.client.expect("500 5.5.2 line too long").await;
    h.client.cmd("NOOP", "250 2.0.0").await;
    // Overlong but arriving in one piece with its LF.
    h.client
        .send(&format!("NOOP {}\r\nNOOP\r\n", "b".repeat(4_500)))
        .await;
    h.client.expect("500 5.5.2 line too long").await;
    h.client.expect("250 2.0.0").await;
    // The tail of an overlong line is never read as a command.
    h.client.send(&"c".repeat(5_000)).await;
    h.client.send(" QUIT\r\nNOOP\r\n").await;
    h.client.expect("500 5.5.2 line too long").await;
    h.client.expect("250 2.0.0").await;
}

#[tokio::test]
async fn nul_bytes_and_binary_garbage_do_not_break_the_session() {
    let mut h = Harness::start().await;
    h.client.send_bytes(b"\0\0\0\r\n").await;
    h.client.expect("500 5.5.2").await;
    h.client.send_bytes(b"EHLO \xff\xfe\0host\r\n").await;
    h.client.expect("250").await;
    h.client.send_bytes(b"MAIL FROM:<\xc3\x28@\0x>\r\n").await;
    h.client.reply().await;
    h.client.send_bytes(b"RSET\r\n").await;
    h.client.expect("250").await;
}

#[tokio::test]
async fn random_bytes_never_panic_the_session() {
    use rand::{Rng, SeedableRng, rngs::StdRng};
    let mut rng = StdRng::seed_from_u64(0x5eed);
    for round in 0..100 {
        let (client, server) = tokio::io::duplex(1 << 20);
        let session = Session::new(
            server,
            peer(),
            Arc::new(config()),
            FakeSink::new(),
            CancellationToken::new(),
        );
        let task = tokio::spawn(session.run());
        let mut client = Client::new(client);
        let mut garbage = Vec::new();
        for _ in 0..rng.random_range(1..40) {
            match rng.random_range(0..4) {
                0 => garbage.extend_from_slice(b"\r\n"),
                1 => garbage.extend_from_slice(b"MAIL FROM:<a@b> "),
                2 => garbage.extend_from_slice(b"DATA\r\n"),
                _ => {
                    let n = rng.random_range(1..200);
                    garbage.extend((0..n).map(|_| rng.random::<u8>()));
                }
            }
        }
        client.send_bytes(&garbage).await;
        drop(client);
        let ended = timeout(WAIT, task).await.expect("session ends");
        assert!(ended.is_ok(), "session panicked in round {round}");
    }
}

#[tokio::test]
async fn a_client_that_never_reads_replies_is_dropped() {
    let config = SmtpConfig {
        command_timeout: Duration::from_millis(300),
        ..config()
    };
    // A tiny pipe fills up at once when the client does not read.
    let (client, server) = tokio::io::duplex(64);
    let session = Session::new(
        server,
        peer(),
        Arc::new(config),
        FakeSink::new(),
        CancellationToken::new(),
    );
    let task = tokio::spawn(session.run());
    let mut client = Client::new(client);
    client.send(&"EHLO c\r\n".repeat(4)).await;
    timeout(WAIT, task)
        .await
        .expect("session ends")
        .expect("no panic");
}

#[tokio::test]
async fn sessions_share_one_byte_budget_and_a_message_waits_for_room() {
    // Room for one message in memory: the second waits until the first is
    // stored, then goes through.
    let config = SmtpConfig {
        bytes_in_flight: crate::inbound::ByteBudget::new(1000),
        ..config()
    };
    let gate = Arc::new(Gate::default());
    let sink = FakeSink::with(Outcome::Store, Some(gate.clone()));
    let mut first = Harness::with(config.clone(), sink.clone()).await;
    let mut second = Harness::with(config.clone(), sink.clone()).await;
    let body = format!("Subject: big\r\n\r\n{}\r\n", "x".repeat(600));
    for h in [&mut first, &mut second] {
        h.open_transaction().await;
        h.client.cmd("DATA", "354").await;
    }
    first.client.send(&format!("{body}.\r\n")).await;
    timeout(WAIT, gate.entered.notified())
        .await
        .expect("first reaches the sink");
    assert!(
        config.bytes_in_flight.available() < 400,
        "the first holds its size"
    );
    second.client.send(&format!("{body}.\r\n")).await;
    // The second cannot take its size while the first holds it.
    assert!(
        timeout(Duration::from_millis(300), gate.entered.notified())
            .await
            .is_err(),
        "the second message reached the sink while the budget was full"
    );
    gate.open();
    first.client.expect("250 2.0.0 queued").await;
    timeout(WAIT, gate.entered.notified())
        .await
        .expect("second reaches the sink");
    gate.open();
    second.client.expect("250 2.0.0 queued").await;
    assert_eq!(sink.stored_count(), 2);
    assert_eq!(config.bytes_in_flight.available(), 1000, "all returned");
}

/// MAIL waits out a client's used-up refusals, and fails closed while the
/// store cannot say whether they are: `451 4.3.0`, not `250`.
#[tokio::test]
async fn mail_is_deferred_while_the_clients_refusals_cannot_be_read() {
    use crate::inbound::limits::Limit;
    let mut h = Harness::start().await;
    h.client.cmd("EHLO client.example.net", "250-").await;
    for (limit, expected) in [
        (Limit::Unknown, "451 4.3.0"),
        (Limit::Locked, "450 4.7.1"),
        (Limit::Clear, "250 2.1.0"),
    ] {
        *h.sink.client_limit.lock().expect("lock") = limit;
        h.client
            .cmd(&format!("MAIL FROM:<{BUYER}>"), expected)
            .await;
    }
}
