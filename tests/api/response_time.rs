//! A seller's response time through the API: buyer mail over SMTP, the
//! seller's replies through the API, their times moved back in the
//! database (the service measures against its own clock), and the
//! "no response needed" mark.

use serde_json::{Value, json};
use time::{Duration, OffsetDateTime, format_description::well_known::Rfc3339};

use crate::helpers::{Backend, Convo, OPERATOR_TOKEN, TestApp, buyer_mail, queued_id, spawn_app};
use crate::web::{csrf, invitation, location, page, post_form, sign_up};

crate::on_both_backends!(
    response_time_counts_answers_within_a_day_and_leaves_out_marked_messages,
    only_the_seller_or_the_operator_marks_and_only_buyer_messages,
    the_inbox_marks_messages_and_shows_the_response_time_as_the_console_does,
);

/// When the test began: every time is set back from this one instant, so
/// the time between two messages is exact however long the test runs.
static START: std::sync::LazyLock<OffsetDateTime> =
    std::sync::LazyLock::new(|| OffsetDateTime::now_utc().replace_nanosecond(0).unwrap());

/// Moves a message's arrival to `hours` before the test began.
pub(crate) async fn backdate(app: &TestApp, backend: Backend, id: &str, hours: f64) {
    let at = *START - Duration::seconds_f64(hours * 3600.0);
    // The stores' own text format, which Postgres also reads as a timestamptz.
    let at = at.format(&Rfc3339).unwrap().replace('Z', ".000000Z");
    let sql = format!("update messages set created_at = '{at}' where id = '{id}'");
    let updated = app.execute_sql(backend, &sql).await;
    assert_eq!(updated, 1, "message {id}");
}

/// The buyer's mail, `hours` old; returns its id.
pub(crate) async fn buyer_wrote(app: &TestApp, backend: Backend, c: &Convo, hours: f64) -> String {
    let raw = buyer_mail(
        &c.buyer_email,
        &c.seller_alias,
        "Parcel",
        "Where is my parcel?",
    );
    let id = queued_id(&app.send_mail(&c.buyer_email, &c.seller_alias, &raw).await);
    backdate(app, backend, &id, hours).await;
    id
}

/// The seller's reply through the API, `hours` old; returns its id.
pub(crate) async fn seller_replied(
    app: &TestApp,
    backend: Backend,
    c: &Convo,
    hours: f64,
) -> String {
    let (status, body) = app
        .post(
            &format!("/api/v1/conversations/{}/messages", c.id),
            &c.seller.token,
            json!({ "body": "It left the warehouse today." }),
        )
        .await;
    assert_eq!(status, 202, "{body}");
    let id = body["id"].as_str().unwrap().to_owned();
    backdate(app, backend, &id, hours).await;
    id
}

async fn response_time(app: &TestApp, seller: &str, token: &str, query: &str) -> (u16, Value) {
    app.get(
        &format!("/api/v1/sellers/{seller}/response-time{query}"),
        token,
    )
    .await
}

async fn response_time_counts_answers_within_a_day_and_leaves_out_marked_messages(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    let c = app.conversation().await;
    let seller = c.seller.id.clone();
    // Two questions in a row answered after 28 and 27 hours, one answered
    // after 10, one unanswered for 30 hours, an automatic reply, a thanks
    // the seller will mark, one an hour old, and one from 40 days ago.
    buyer_wrote(&app, backend, &c, 80.0).await;
    buyer_wrote(&app, backend, &c, 79.0).await;
    seller_replied(&app, backend, &c, 52.0).await;
    buyer_wrote(&app, backend, &c, 50.0).await;
    seller_replied(&app, backend, &c, 40.0).await;
    buyer_wrote(&app, backend, &c, 30.0).await;
    let automatic = format!(
        "Auto-Submitted: auto-replied\r\n{}",
        buyer_mail(
            &c.buyer_email,
            &c.seller_alias,
            "Out of office",
            "Back Monday."
        )
    );
    let reply = app
        .send_mail(&c.buyer_email, &c.seller_alias, &automatic)
        .await;
    backdate(&app, backend, &queued_id(&reply), 29.5).await;
    let thanks = buyer_wrote(&app, backend, &c, 29.0).await;
    buyer_wrote(&app, backend, &c, 1.0).await;
    buyer_wrote(&app, backend, &c, 40.0 * 24.0).await;

    let (status, before) = response_time(&app, &seller, &c.seller.token, "").await;
    assert_eq!(status, 200, "{before}");
    assert_eq!(before["buyer_messages"], 5, "{before}");
    assert_eq!(before["excluded"], 0, "{before}");

    let (status, mark) = app
        .post(
            &format!("/api/v1/messages/{thanks}/no-response"),
            &c.seller.token,
            json!({}),
        )
        .await;
    assert_eq!(status, 200, "{mark}");
    assert_eq!(mark["marked_by"], "seller");
    assert_eq!(mark["message_id"], thanks.as_str());

    let expected = json!({
        "seller_id": seller,
        "answered_within_24h_share": 0.25,
        // 28, 27 and 10 hours: the middle one.
        "median_first_response_seconds": 27 * 3600,
        "buyer_messages": 4,
        "answered": 3,
        "excluded": 1,
        "window_days": 30,
    });
    let staff = app.create_staff("Tess", "tess@marketplace.example").await;
    for token in [
        c.seller.token.as_str(),
        OPERATOR_TOKEN,
        staff.token.as_str(),
    ] {
        let (status, body) = response_time(&app, &seller, token, "").await;
        assert_eq!((status, &body), (200, &expected));
    }
    let (_, longer) = response_time(&app, &seller, OPERATOR_TOKEN, "?window_days=60").await;
    assert_eq!(
        (
            longer["buyer_messages"].clone(),
            longer["window_days"].clone()
        ),
        (json!(5), json!(60))
    );
    // In the last day only the hour-old message arrived, and it is not due yet.
    let (_, day) = response_time(&app, &seller, OPERATOR_TOKEN, "?window_days=1").await;
    assert_eq!(day["buyer_messages"], 0, "{day}");
    assert_eq!(day["answered_within_24h_share"], Value::Null);
    assert_eq!(day["median_first_response_seconds"], Value::Null);

    // Another seller sees nothing of it; bad windows and ids are refused.
    let other = app.create_seller("Other Shop", "owner@other.example").await;
    let (status, _) = response_time(&app, &seller, &other.token, "").await;
    assert_eq!(status, 404);
    let (status, own) = response_time(&app, &other.id, &other.token, "").await;
    assert_eq!((status, own["buyer_messages"].clone()), (200, json!(0)));
    for bad in [
        "?window_days=0",
        "?window_days=366",
        "?window_days=x",
        "?days=3",
    ] {
        let (status, body) = response_time(&app, &seller, OPERATOR_TOKEN, bad).await;
        assert_eq!(status, 400, "{bad}: {body}");
    }
    let unknown = uuid::Uuid::new_v4();
    let (status, _) = response_time(&app, &unknown.to_string(), OPERATOR_TOKEN, "").await;
    assert_eq!(status, 404);
}

async fn only_the_seller_or_the_operator_marks_and_only_buyer_messages(backend: Backend) {
    let app = spawn_app(backend).await;
    let c = app.conversation().await;
    let question = buyer_wrote(&app, backend, &c, 2.0).await;
    let answer = seller_replied(&app, backend, &c, 1.0).await;
    let mark = |id: String, token: String| {
        let app = &app;
        async move {
            app.post(
                &format!("/api/v1/messages/{id}/no-response"),
                &token,
                json!({}),
            )
            .await
        }
    };

    let other = app.create_seller("Other Shop", "owner@other.example").await;
    let staff = app.create_staff("Tess", "tess@marketplace.example").await;
    assert_eq!(mark(question.clone(), other.token.clone()).await.0, 404);
    assert_eq!(mark(question.clone(), staff.token.clone()).await.0, 403);
    let (status, body) = mark(answer.clone(), c.seller.token.clone()).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (409, Some("invalid_state"))
    );
    let (status, _) = mark(uuid::Uuid::new_v4().to_string(), OPERATOR_TOKEN.into()).await;
    assert_eq!(status, 404);

    let (status, first) = mark(question.clone(), OPERATOR_TOKEN.into()).await;
    assert_eq!(
        (status, first["marked_by"].as_str()),
        (200, Some("operator"))
    );
    // The first mark stands, and is recorded once.
    let (status, again) = mark(question.clone(), c.seller.token.clone()).await;
    assert_eq!((status, &again), (200, &first));
    let event = app
        .audit_event(&question, "message.no_response_needed")
        .await
        .expect("audited");
    assert_eq!(event.actor_kind, "operator");
}

async fn the_inbox_marks_messages_and_shows_the_response_time_as_the_console_does(
    backend: Backend,
) {
    let app = spawn_app(backend).await;
    let c = app.conversation().await;
    // Answered after 4 hours; unanswered for 25 hours; unanswered for 20.
    buyer_wrote(&app, backend, &c, 30.0).await;
    seller_replied(&app, backend, &c, 26.0).await;
    let waiting = buyer_wrote(&app, backend, &c, 25.0).await;
    buyer_wrote(&app, backend, &c, 20.0).await;
    let elsewhere = app
        .conversation_with(&c.seller, "bob@mail.example", "Bob Buyer")
        .await;
    let bobs = buyer_wrote(&app, backend, &elsewhere, 2.0).await;
    let (b, _) = sign_up(&invitation(&app, "sellers", &c.seller.id).await).await;

    let (_, inbox) = page(&b, &app, "/inbox").await;
    assert!(inbox.contains("Response time, last 30 days"), "{inbox}");
    // Measured where the seller lands, not again for a search.
    let (_, searched) = page(&b, &app, "/inbox?q=nothing-matches").await;
    assert!(!searched.contains("Response time"), "{searched}");
    assert!(
        inbox.contains("<strong>50 %</strong> of 2 buyer messages answered within 24 hours"),
        "{inbox}"
    );
    assert!(
        inbox.contains("median first response <strong>4 h</strong>"),
        "{inbox}"
    );

    // One button per buyer message of the thread.
    let thread_path = format!("/inbox/{}", c.id);
    let (_, thread) = page(&b, &app, &thread_path).await;
    assert_eq!(thread.matches("name=\"message_id\"").count(), 3, "{thread}");
    let mark = |message: String| {
        let (b, app, path, token) = (
            &b,
            &app,
            format!("{thread_path}/no-response"),
            csrf(&thread),
        );
        async move {
            post_form(
                b,
                app,
                &path,
                &[("csrf_token", &token), ("message_id", &message)],
            )
            .await
        }
    };
    let r = mark(waiting.clone()).await;
    assert_eq!(location(&r), format!("{thread_path}?notice=no_response"));
    let (_, thread) = page(&b, &app, &format!("{thread_path}?notice=no_response")).await;
    assert!(thread.contains("no longer counts toward your response time"));
    assert_eq!(
        thread.matches("no response needed</span>").count(),
        1,
        "{thread}"
    );
    assert_eq!(thread.matches("name=\"message_id\"").count(), 2);
    // Another conversation's message is not this thread's to mark.
    assert_eq!(mark(bobs).await.status().as_u16(), 404);

    let (_, measured) = response_time(&app, &c.seller.id, OPERATOR_TOKEN, "").await;
    assert_eq!(
        (
            measured["buyer_messages"].clone(),
            measured["excluded"].clone()
        ),
        (json!(1), json!(1)),
        "{measured}"
    );
    let mark = app
        .audit_event(&waiting, "message.no_response_needed")
        .await
        .expect("audited");
    assert_eq!(mark.actor_id.as_deref(), Some(c.seller.id.as_str()));

    // The thread's own button marks what is still unanswered.
    let r = post_form(
        &b,
        &app,
        &format!("{thread_path}/no-response"),
        &[("csrf_token", &csrf(&thread))],
    )
    .await;
    assert_eq!(location(&r), "/inbox?notice=closed");
    let (_, measured) = response_time(&app, &c.seller.id, OPERATOR_TOKEN, "").await;
    assert_eq!(measured["excluded"], 2, "{measured}");
    assert_eq!(measured["answered_within_24h_share"], 1.0, "{measured}");

    let staff = app.create_staff("Tess", "tess@marketplace.example").await;
    let (console, _) = sign_up(&invitation(&app, "staff", &staff.id).await).await;
    let (status, conversation) =
        page(&console, &app, &format!("/console/conversations/{}", c.id)).await;
    assert_eq!(status, 200);
    assert!(
        conversation
            .contains("<strong>100 %</strong> of 1 buyer messages answered within 24 hours"),
        "{conversation}"
    );
    assert!(conversation.contains("are left out (2)"), "{conversation}");
}
