//! What one client can make the SMTP listener hold: connections per
//! address, a session's lifetime, commands that move no mail, and message
//! bytes in memory.

use std::time::{Duration, Instant};

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

use crate::helpers::{
    Backend, Options, TestApp, buyer_mail, parse_mail, smtp_transcript, spawn_app_with, transaction,
};

#[tokio::test]
async fn connections_beyond_the_per_address_limit_get_421() {
    let app = spawn_app_with(
        Options::new(Backend::Sqlite).var("MARKETRELAY_SMTP_MAX_CONNECTIONS_PER_IP", "2"),
    )
    .await;
    let mut open = Vec::new();
    for _ in 0..2 {
        let stream = tokio::net::TcpStream::connect(app.smtp).await.unwrap();
        let mut reader = BufReader::new(stream);
        let mut greeting = String::new();
        reader.read_line(&mut greeting).await.unwrap();
        assert!(greeting.starts_with("220"), "{greeting}");
        open.push(reader);
    }
    let replies = smtp_transcript(app.smtp, &[]).await;
    assert!(replies[0].starts_with("421 4.7.0"), "{replies:?}");
    drop(open);
    tokio::time::sleep(Duration::from_millis(200)).await;
    let replies = smtp_transcript(app.smtp, &["QUIT".into()]).await;
    assert!(
        replies[0].starts_with("220"),
        "a closed connection frees its place"
    );
}

#[tokio::test]
async fn a_session_that_only_sends_noop_ends_at_its_lifetime() {
    let app =
        spawn_app_with(Options::new(Backend::Sqlite).var("MARKETRELAY_SMTP_MAX_SESSION_SECS", "1"))
            .await;
    let stream = tokio::net::TcpStream::connect(app.smtp).await.unwrap();
    let (read, mut write) = stream.into_split();
    let mut reader = BufReader::new(read);
    let mut line = String::new();
    reader.read_line(&mut line).await.unwrap();
    let started = Instant::now();
    let mut last = String::new();
    while started.elapsed() < Duration::from_secs(5) {
        if write.write_all(b"NOOP\r\n").await.is_err() {
            break;
        }
        line.clear();
        if reader.read_line(&mut line).await.unwrap_or(0) == 0 {
            break;
        }
        last = line.clone();
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert!(last.starts_with("421 4.4.2"), "{last}");
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn commands_that_move_no_mail_are_bounded_per_session() {
    let app =
        spawn_app_with(Options::new(Backend::Sqlite).config("[smtp]\nmax_junk_commands = 5\n"))
            .await;
    let mut commands = vec!["EHLO x".to_string()];
    commands.extend(["NOOP", "RSET", "VRFY x", "NOOP", "NOOP"].map(String::from));
    let replies = smtp_transcript(app.smtp, &commands).await;
    assert!(replies[5].starts_with("250"), "{replies:?}");
    assert!(replies[6].starts_with("421 4.7.0"), "{replies:?}");

    // A session that delivers mail starts counting again.
    let c = app.conversation().await;
    let raw = buyer_mail(&c.buyer_email, &c.seller_alias, "hi", "hello");
    let replies = smtp_transcript(
        app.smtp,
        &[
            "EHLO x".into(),
            "NOOP".into(),
            "NOOP".into(),
            "NOOP".into(),
            format!("MAIL FROM:<{}>", c.buyer_email),
            format!("RCPT TO:<{}>", c.seller_alias),
            "DATA".into(),
            format!("{raw}\r\n."),
            "NOOP".into(),
            "NOOP".into(),
            "QUIT".into(),
        ],
    )
    .await;
    assert!(replies[8].starts_with("250 2.0.0 queued"), "{replies:?}");
    assert!(replies[10].starts_with("250"), "{replies:?}");
}

#[tokio::test]
async fn large_messages_spool_to_disk_and_pass_through_a_budget_of_one_message() {
    // Room in memory for one message at a time, spooled beyond 4 KiB: five
    // concurrent 200 KiB messages all arrive intact, none waits forever.
    let dir = tempfile::tempdir().unwrap();
    let spool = dir.path().join("spool");
    std::fs::create_dir(&spool).unwrap();
    let app = spawn_app_with(
        Options::new(Backend::Sqlite)
            .config(&format!(
                "[smtp]\nmax_message_size = 262144\nmax_bytes_in_flight = 262144\nspool_threshold_bytes = 4096\nspool_dir = \"{}\"\n",
                spool.display()
            )),
    )
    .await;
    let c = app.conversation().await;
    let mut tasks = Vec::new();
    for i in 0..5 {
        let (from, to, smtp) = (c.buyer_email.clone(), c.seller_alias.clone(), app.smtp);
        tasks.push(tokio::spawn(async move {
            let line = format!("line {i} of a long message, nothing to redact here\r\n");
            let body = line.repeat(200 * 1024 / line.len());
            let raw = buyer_mail(&from, &to, &format!("big {i}"), &body);
            smtp_transcript(smtp, &transaction(&from, &to, &raw)).await
        }));
    }
    for task in tasks {
        let replies = task.await.unwrap();
        assert!(
            replies[5].starts_with("250 2.0.0 queued"),
            "{:?}",
            &replies[5]
        );
    }
    let (_, list) = app
        .get(
            &format!("/api/v1/conversations/{}/messages", c.id),
            &c.seller.token,
        )
        .await;
    let messages = list["messages"].as_array().unwrap();
    assert_eq!(messages.len(), 5);
    for m in messages {
        assert!(m["body"].as_str().unwrap().len() > 150 * 1024);
    }
    assert_eq!(
        std::fs::read_dir(&spool).unwrap().count(),
        0,
        "nothing left in the spool"
    );
}

/// A buyer's mail carrying one PNG of about `size` bytes that do not
/// compress, base64 in lines of 76, as the load tool sends them.
fn mail_with_png(from: &str, to: &str, subject: &str, size: usize) -> String {
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut state = 0x2545_f491_4f6c_dd1du64 ^ size as u64;
    while png.len() < size {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        png.push(state as u8);
    }
    let encoded = data_encoding::BASE64_MIME
        .encode(&png)
        .replace("\r\n", "\n")
        .replace('\n', "\r\n");
    format!(
        "From: Jane Buyer <{from}>\r\nTo: <{to}>\r\nSubject: {subject}\r\n\
         MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n\
         --b\r\nContent-Type: text/plain\r\n\r\nThe photo.\r\n\
         --b\r\nContent-Type: image/png\r\nContent-Disposition: attachment; filename=\"scratch.png\"\r\n\
         Content-Transfer-Encoding: base64\r\n\r\n{encoded}\r\n--b--\r\n"
    )
}

/// Sends `count` mails of `size` at once over as many sessions, each with
/// its own subject; waits until all are in the outbox and checks that each
/// arrived once, with its file.
async fn all_arrive_once(app: &TestApp, count: usize, size: usize) {
    let c = app.conversation().await;
    let mut tasks = Vec::new();
    for i in 0..count {
        let (from, to, smtp) = (c.buyer_email.clone(), c.seller_alias.clone(), app.smtp);
        tasks.push(tokio::spawn(async move {
            let raw = mail_with_png(&from, &to, &format!("photo {i}"), size);
            smtp_transcript(smtp, &transaction(&from, &to, &raw)).await
        }));
    }
    for task in tasks {
        let replies = task.await.unwrap();
        assert!(replies[5].starts_with("250 2.0.0 queued"), "{replies:?}");
    }
    let deadline = Instant::now() + Duration::from_secs(120);
    while app.delivered().len() < count && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let delivered = app.delivered();
    let mut subjects: Vec<String> = delivered
        .iter()
        .map(|bytes| {
            let mail = parse_mail(bytes);
            let file = mail.attachments().next().expect("the photo");
            assert_eq!(file.contents().len(), size, "the whole file");
            mail.subject().unwrap_or_default().to_owned()
        })
        .collect();
    subjects.sort();
    let mut expected: Vec<String> = (0..count).map(|i| format!("photo {i}")).collect();
    expected.sort();
    assert_eq!(subjects, expected, "each mail delivered exactly once");
}

fn with_budget(backend: Backend, max_message: usize, budget: usize) -> Options {
    let mut options = Options::new(backend).config(&format!(
        "[smtp]\nmax_message_size = {max_message}\nmax_bytes_in_flight = {budget}\nspool_threshold_bytes = 4096\n"
    ));
    options.worker = true;
    options
}

async fn large_mails_in_and_out_take_shares_of_one_memory_budget(backend: Backend) {
    // Each mail is about 270 KB: accepting one takes five times that,
    // delivering one three times. Eight at once over eight sessions and
    // four delivery lanes fit two or three at a time.
    let budget = 3 * 1024 * 1024;
    let mut app = spawn_app_with(with_budget(backend, 512 * 1024, budget)).await;
    let size = 200 * 1024;
    all_arrive_once(&app, 8, size).await;
    let shares = &app.outbound.budget;
    assert_eq!(shares.total(), budget);
    assert!(
        shares.high_water() <= budget,
        "lent {} of {budget}",
        shares.high_water()
    );
    // Every mail took a share to be accepted and its letter one to be sent.
    assert!(shares.grants() >= 16, "{} shares lent", shares.grants());
    // A share counts the working copies, not only the mail's own bytes.
    assert!(
        shares.high_water() >= 5 * size,
        "the largest moment lent only {}",
        shares.high_water()
    );
    assert_eq!(shares.available(), budget, "every share returned");
    app.stop().await;
}

async fn a_mail_larger_than_its_share_of_the_budget_takes_all_of_it_alone(backend: Backend) {
    // The budget only just holds the largest mail the listener takes; its
    // working copies need more, so it waits for the whole budget and then
    // goes through alone.
    let budget = 512 * 1024;
    let mut app = spawn_app_with(with_budget(backend, budget, budget)).await;
    all_arrive_once(&app, 3, 300 * 1024).await;
    let shares = &app.outbound.budget;
    assert_eq!(shares.high_water(), budget, "one mail held all of it");
    assert!(shares.grants() >= 6, "{} shares lent", shares.grants());
    assert_eq!(shares.available(), budget, "every share returned");
    app.stop().await;
}

crate::on_both_backends!(
    large_mails_in_and_out_take_shares_of_one_memory_budget,
    a_mail_larger_than_its_share_of_the_budget_takes_all_of_it_alone,
);
