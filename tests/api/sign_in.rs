//! Sign-in limits hold under parallel attempts: each attempt is counted
//! before its password is hashed, per email and client address and per
//! client address alone.

use reqwest::Client;

use crate::{
    helpers::{Backend, TestApp, spawn_app},
    web::{browser, csrf, invitation, page, sign_up},
};

crate::on_both_backends!(
    parallel_wrong_passwords_get_five_tries_not_more,
    a_new_email_every_attempt_is_limited_per_address,
);

const PASSWORD: &str = "correct horse battery";

/// Sends `attempts` sign-ins at once from one browser; returns their statuses.
async fn at_once(app: &TestApp, b: &Client, attempts: Vec<(String, String)>) -> Vec<u16> {
    let (_, login) = page(b, app, "/login").await;
    let token = csrf(&login);
    let url = app.url("/login");
    let sends = attempts.into_iter().map(|(email, password)| {
        let request = b.post(&url).form(&[
            ("email", email.as_str()),
            ("password", password.as_str()),
            ("csrf_token", token.as_str()),
        ]);
        tokio::spawn(async move { request.send().await.unwrap().status().as_u16() })
    });
    let mut statuses = Vec::new();
    for send in sends.collect::<Vec<_>>() {
        statuses.push(send.await.unwrap());
    }
    statuses
}

fn count(statuses: &[u16], status: u16) -> usize {
    statuses.iter().filter(|s| **s == status).count()
}

async fn parallel_wrong_passwords_get_five_tries_not_more(backend: Backend) {
    let app = spawn_app(backend).await;
    let seller = app
        .create_seller("Gadget Shop", "owner@gadgetshop.example")
        .await;
    sign_up(&invitation(&app, "sellers", &seller.id).await).await;
    let b = browser();
    let wrong = (0..20)
        .map(|i| {
            (
                "owner@gadgetshop.example".to_owned(),
                format!("guess number {i}"),
            )
        })
        .collect();
    let statuses = at_once(&app, &b, wrong).await;
    assert_eq!(count(&statuses, 401), 5, "{statuses:?}");
    assert_eq!(count(&statuses, 429), 15, "{statuses:?}");
    let right = vec![("owner@gadgetshop.example".to_owned(), PASSWORD.to_owned())];
    assert_eq!(
        at_once(&app, &b, right).await,
        [429],
        "even the right password waits"
    );
}

async fn a_new_email_every_attempt_is_limited_per_address(backend: Backend) {
    let app = spawn_app(backend).await;
    let b = browser();
    let strangers = (0..40)
        .map(|i| {
            (
                format!("stranger{i}@mail.example"),
                "whatever it is".to_owned(),
            )
        })
        .collect();
    let statuses = at_once(&app, &b, strangers).await;
    assert_eq!(count(&statuses, 401), 30, "{statuses:?}");
    assert_eq!(count(&statuses, 429), 10, "{statuses:?}");
}
