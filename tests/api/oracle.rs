//! A seller probing for the buyer's real address through the RCPT answer:
//! a guess that names the buyer but cannot prove it gets exactly what a
//! wrong guess gets, and refused guesses are limited per address and alias.

use crate::{
    dns::Zone,
    helpers::{
        Backend, Options, TestApp, buyer_mail, smtp_transcript, spawn_app_with, transaction,
    },
};

/// The buyer's mail domain publishes SPF and DMARC, as large providers do.
fn buyer_domain_zone() -> Zone {
    Zone::default()
        .txt("mail.example", "v=spf1 ip4:192.0.2.80 -all")
        .txt("_dmarc.mail.example", "v=DMARC1; p=reject")
}

/// One whole transaction, every reply but the greeting and QUIT's, with
/// nothing that differs between sessions (ids) left in.
async fn probe(app: &TestApp, guess: &str, alias: &str) -> Vec<String> {
    let raw = buyer_mail(guess, alias, "hello", "is this you?");
    let replies = smtp_transcript(app.smtp, &transaction(guess, alias, &raw)).await;
    replies[1..replies.len() - 1].to_vec()
}

crate::on_both_backends!(
    a_guess_naming_the_buyer_gets_the_same_answer_as_a_wrong_guess,
    two_nodes_on_one_database_share_the_refusal_limits,
);

async fn a_guess_naming_the_buyer_gets_the_same_answer_as_a_wrong_guess(backend: Backend) {
    let app = spawn_app_with(Options::new(backend).zone(buyer_domain_zone())).await;
    let c = app.conversation().await;
    // The seller writes "as" guesses to its own conversation's seller alias.
    let right = probe(&app, &c.buyer_email, &c.seller_alias).await;
    let wrong = probe(&app, "someone.else@mail.example", &c.seller_alias).await;
    assert_eq!(right, wrong, "the answers tell the guesses apart");
    assert!(right[4].starts_with("550 5.7.1"), "{right:?}");
    assert!(right[2].starts_with("250"), "RCPT says nothing: {right:?}");
}

#[tokio::test]
async fn with_on_none_refuse_even_a_domain_without_dns_is_no_oracle() {
    let app =
        spawn_app_with(Options::new(Backend::Sqlite).var("MARKETRELAY_AUTH_ON_NONE", "refuse"))
            .await;
    let c = app.conversation().await;
    let right = probe(&app, &c.buyer_email, &c.seller_alias).await;
    let wrong = probe(&app, "someone.else@mail.example", &c.seller_alias).await;
    assert_eq!(right, wrong);
}

#[tokio::test]
async fn the_default_none_setting_leaves_domains_without_dns_open_to_guessing() {
    // The residual risk docs/security.md names: with on_none = "accept" a
    // domain that publishes nothing cannot be told from its forger.
    let app = spawn_app_with(Options::new(Backend::Sqlite)).await;
    let c = app.conversation().await;
    let right = probe(&app, &c.buyer_email, &c.seller_alias).await;
    let wrong = probe(&app, "someone.else@mail.example", &c.seller_alias).await;
    assert!(right[4].starts_with("250"), "{right:?}");
    assert!(wrong[4].starts_with("550 5.7.1"), "{wrong:?}");
}

#[tokio::test]
async fn refused_guesses_are_limited_per_client_address() {
    let app = spawn_app_with(
        Options::new(Backend::Sqlite)
            .zone(buyer_domain_zone())
            .config("[smtp]\nmax_refusals_per_ip = 3\nmax_refusals_per_alias = 100\n"),
    )
    .await;
    let c = app.conversation().await;
    for n in 0..3 {
        let replies = probe(&app, &format!("guess{n}@mail.example"), &c.seller_alias).await;
        assert!(replies[4].starts_with("550 5.7.1"), "{replies:?}");
    }
    // Now every MAIL from this address waits, whatever it names: the
    // right guess too, so the limit itself tells nothing.
    for guess in [c.buyer_email.as_str(), "guess9@mail.example"] {
        let replies = smtp_transcript(
            app.smtp,
            &[
                "EHLO x".into(),
                format!("MAIL FROM:<{guess}>"),
                "QUIT".into(),
            ],
        )
        .await;
        assert!(replies[2].starts_with("450 4.7.1"), "{guess}: {replies:?}");
    }
}

#[tokio::test]
async fn an_alias_that_refused_too_many_guesses_takes_only_proven_mail() {
    let key = crate::sender_auth::TestKey::generate();
    let zone = crate::sender_auth::strict_shop_zone(&key)
        .txt("mail.example", "v=spf1 ip4:192.0.2.80 -all")
        .txt("_dmarc.mail.example", "v=DMARC1; p=reject");
    let app = spawn_app_with(
        Options::new(Backend::Sqlite)
            .zone(zone)
            .config("[smtp]\nmax_refusals_per_ip = 100\nmax_refusals_per_alias = 2\n"),
    )
    .await;
    let c = app.conversation().await;
    // Someone who knows the buyer alias tries to pass as the seller.
    for n in 0..2 {
        let replies = probe(
            &app,
            &format!("guess{n}@gadgetshop.example"),
            &c.buyer_alias,
        )
        .await;
        assert!(replies[4].starts_with("550 5.7.1"), "{replies:?}");
    }
    for guess in [crate::sender_auth::SELLER, "guess7@gadgetshop.example"] {
        let replies = probe(&app, guess, &c.buyer_alias).await;
        assert!(replies[4].starts_with("451 4.7.1"), "{guess}: {replies:?}");
    }
    // The real seller, DKIM-signed, still gets through.
    let signed = key.sign(
        &crate::sender_auth::seller_mail(&c, "It ships tomorrow."),
        "gadgetshop.example",
    );
    let reply = crate::sender_auth::seller_writes(&app, &c, &signed).await;
    assert!(reply.starts_with("250 2.0.0 queued as"), "{reply}");
}

async fn two_nodes_on_one_database_share_the_refusal_limits(backend: Backend) {
    let limits = "[smtp]\nmax_refusals_per_ip = 3\nmax_refusals_per_alias = 2\n";
    let first = spawn_app_with(
        Options::new(backend)
            .zone(buyer_domain_zone())
            .config(limits),
    )
    .await;
    let mut options = Options::new(backend)
        .zone(buyer_domain_zone())
        .config(limits);
    options.database_url = Some(first.database_url.clone());
    let second = spawn_app_with(options).await;
    let c = first.conversation().await;
    // The alias's allowance is used up on the first node...
    for n in 0..2 {
        let replies = probe(&first, &format!("guess{n}@mail.example"), &c.seller_alias).await;
        assert!(replies[4].starts_with("550 5.7.1"), "{replies:?}");
    }
    // ...so the second takes only proven mail for it too.
    let replies = probe(&second, "guess2@mail.example", &c.seller_alias).await;
    assert!(replies[4].starts_with("451 4.7.1"), "{replies:?}");
    // One more refusal on the second node uses up the client's allowance,
    // and the first node makes it wait.
    let replies = smtp_transcript(
        second.smtp,
        &[
            "EHLO x".into(),
            "MAIL FROM:<guess3@mail.example>".into(),
            "RCPT TO:<nobody@relay.test>".into(),
            "QUIT".into(),
        ],
    )
    .await;
    assert!(replies[3].starts_with("550 5.1.1"), "{replies:?}");
    let replies = smtp_transcript(
        first.smtp,
        &[
            "EHLO x".into(),
            "MAIL FROM:<guess4@mail.example>".into(),
            "QUIT".into(),
        ],
    )
    .await;
    assert!(replies[2].starts_with("450 4.7.1"), "{replies:?}");
}
