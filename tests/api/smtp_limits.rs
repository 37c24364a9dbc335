//! What one client can make the SMTP listener hold: connections per
//! address, a session's lifetime, commands that move no mail, and message
//! bytes in memory.

use std::time::{Duration, Instant};

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

use crate::helpers::{Backend, Options, buyer_mail, smtp_transcript, spawn_app_with, transaction};

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
