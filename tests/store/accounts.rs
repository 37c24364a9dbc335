//! `AccountStore` conformance: invitations, credentials, sessions, sign-in
//! failures and inbox marks, on both engines.

use std::sync::Arc;

use marketrelay::domain::{
    AuditAction, ConversationId, Direction, MessageId, MessageStatus, NewAuditEvent,
};
use marketrelay::store::accounts::{Account, NewWebSession};
use marketrelay::store::{Store, StoreError};

use super::{at, conversation, hash, message, seller, staff};

conformance!(
    an_invitation_is_used_once_and_sets_the_password,
    expired_or_unknown_invitations_sign_nobody_up,
    a_new_invitation_replaces_the_password,
    a_new_invitation_cancels_older_ones_and_a_new_password_ends_sessions,
    one_email_signs_in_to_one_account,
    sessions_are_found_until_they_expire_or_are_deleted,
    login_failures_count_per_key_within_the_window,
    parallel_attempts_reserve_exactly_up_to_each_limit,
    awaiting_reply_needs_an_old_unanswered_buyer_message,
    purging_drops_expired_sessions_and_old_failures_only,
    staff_reads_are_listed_newest_first_without_other_events,
    ;
    raw:
    only_hashes_of_session_ids_and_invitation_tokens_are_stored,
);

async fn an_invitation_is_used_once_and_sets_the_password(store: Arc<dyn Store>) {
    let s = seller(&store, 1).await;
    let accounts = store.accounts();
    let token = hash("invite");
    accounts
        .create_invitation(&token, Account::Seller(s.id), at(0), at(60))
        .await
        .unwrap();
    assert_eq!(
        accounts.open_invitation(&token, at(1)).await.unwrap(),
        Some(Account::Seller(s.id))
    );
    assert_eq!(
        accounts
            .credentials("seller1@shop.example")
            .await
            .unwrap()
            .map(|c| c.0),
        None
    );
    let account = accounts
        .accept_invitation(&token, "$argon2id$first", at(2))
        .await
        .unwrap();
    assert_eq!(account, Account::Seller(s.id));
    assert_eq!(
        accounts.credentials("seller1@shop.example").await.unwrap(),
        Some((Account::Seller(s.id), "$argon2id$first".to_owned()))
    );
    assert_eq!(accounts.open_invitation(&token, at(3)).await.unwrap(), None);
    assert!(matches!(
        accounts
            .accept_invitation(&token, "$argon2id$again", at(3))
            .await,
        Err(StoreError::NotFound)
    ));
}

async fn expired_or_unknown_invitations_sign_nobody_up(store: Arc<dyn Store>) {
    let reviewer = staff(&store).await;
    let accounts = store.accounts();
    let token = hash("invite");
    accounts
        .create_invitation(&token, Account::Staff(reviewer), at(0), at(60))
        .await
        .unwrap();
    assert_eq!(
        accounts.open_invitation(&token, at(60)).await.unwrap(),
        None
    );
    assert!(matches!(
        accounts.accept_invitation(&token, "h", at(61)).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        accounts.accept_invitation(&hash("nope"), "h", at(1)).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        accounts
            .create_invitation(
                &hash("x"),
                Account::Seller(marketrelay::domain::SellerId::new()),
                at(0),
                at(60)
            )
            .await,
        Err(StoreError::NotFound)
    ));
}

async fn a_new_invitation_replaces_the_password(store: Arc<dyn Store>) {
    let reviewer = staff(&store).await;
    let accounts = store.accounts();
    for (n, password) in ["$argon2id$one", "$argon2id$two"].into_iter().enumerate() {
        let token = hash(&format!("invite{n}"));
        accounts
            .create_invitation(&token, Account::Staff(reviewer), at(0), at(60))
            .await
            .unwrap();
        accounts
            .accept_invitation(&token, password, at(1))
            .await
            .unwrap();
    }
    assert_eq!(
        accounts
            .credentials("reviewer@marketplace.example")
            .await
            .unwrap(),
        Some((Account::Staff(reviewer), "$argon2id$two".to_owned()))
    );
}

async fn a_new_invitation_cancels_older_ones_and_a_new_password_ends_sessions(
    store: Arc<dyn Store>,
) {
    let s = seller(&store, 1).await;
    let other = seller(&store, 2).await;
    let accounts = store.accounts();
    let (older, newer, elsewhere) = (hash("older"), hash("newer"), hash("elsewhere"));
    for (token, account) in [
        (&older, Account::Seller(s.id)),
        (&elsewhere, Account::Seller(other.id)),
        (&newer, Account::Seller(s.id)),
    ] {
        accounts
            .create_invitation(token, account, at(0), at(60))
            .await
            .unwrap();
    }
    assert_eq!(accounts.open_invitation(&older, at(1)).await.unwrap(), None);
    assert!(matches!(
        accounts
            .accept_invitation(&older, "$argon2id$x", at(1))
            .await,
        Err(StoreError::NotFound)
    ));
    assert!(
        accounts
            .open_invitation(&elsewhere, at(1))
            .await
            .unwrap()
            .is_some()
    );
    let (mine, theirs) = (hash("mine"), hash("theirs"));
    for (id, account) in [
        (&mine, Account::Seller(s.id)),
        (&theirs, Account::Seller(other.id)),
    ] {
        accounts
            .create_session(&NewWebSession {
                id_hash: id.clone(),
                account,
                csrf_token: "t".into(),
                created_at: at(0),
                expires_at: at(600),
            })
            .await
            .unwrap();
    }
    accounts
        .accept_invitation(&newer, "$argon2id$new", at(2))
        .await
        .unwrap();
    assert!(accounts.session(&mine, at(3)).await.unwrap().is_none());
    assert!(accounts.session(&theirs, at(3)).await.unwrap().is_some());
}

async fn one_email_signs_in_to_one_account(store: Arc<dyn Store>) {
    let s = seller(&store, 1).await;
    let reviewer = store
        .parties()
        .create_staff(
            &marketrelay::store::NewStaff {
                name: "Same person".into(),
                email: s.email.clone(),
            },
            &hash("staff"),
        )
        .await
        .unwrap();
    let accounts = store.accounts();
    let first = hash("a");
    let second = hash("b");
    accounts
        .create_invitation(&first, Account::Seller(s.id), at(0), at(60))
        .await
        .unwrap();
    accounts
        .create_invitation(&second, Account::Staff(reviewer.id), at(0), at(60))
        .await
        .unwrap();
    accounts
        .accept_invitation(&first, "h1", at(1))
        .await
        .unwrap();
    match accounts.accept_invitation(&second, "h2", at(1)).await {
        Err(StoreError::Conflict(what)) => assert_eq!(what, "credential_email"),
        other => panic!("expected a conflict, got {other:?}"),
    }
    // All or nothing: the refused invitation is still open.
    assert!(
        accounts
            .open_invitation(&second, at(2))
            .await
            .unwrap()
            .is_some()
    );
}

async fn sessions_are_found_until_they_expire_or_are_deleted(store: Arc<dyn Store>) {
    let s = seller(&store, 1).await;
    let accounts = store.accounts();
    let id = hash("session");
    accounts
        .create_session(&NewWebSession {
            id_hash: id.clone(),
            account: Account::Seller(s.id),
            csrf_token: "csrf-1".into(),
            created_at: at(0),
            expires_at: at(60),
        })
        .await
        .unwrap();
    let found = accounts
        .session(&id, at(59))
        .await
        .unwrap()
        .expect("live session");
    assert_eq!(found.account, Account::Seller(s.id));
    assert_eq!(found.csrf_token, "csrf-1");
    assert_eq!(found.expires_at, at(60));
    assert!(accounts.session(&id, at(60)).await.unwrap().is_none());
    assert!(
        accounts
            .session(&hash("other"), at(1))
            .await
            .unwrap()
            .is_none()
    );
    accounts.delete_session(&id).await.unwrap();
    assert!(accounts.session(&id, at(1)).await.unwrap().is_none());
}

async fn login_failures_count_per_key_within_the_window(store: Arc<dyn Store>) {
    let accounts = store.accounts();
    let key = hash("key");
    for (n, minute) in [0, 5, 10].into_iter().enumerate() {
        let limits = [(key.clone(), 100)];
        let reserved = accounts
            .reserve_attempt(&format!("a{n}"), &limits, at(minute), at(0))
            .await
            .unwrap();
        assert!(reserved);
    }
    let other = [(hash("other"), 100)];
    accounts
        .reserve_attempt("b", &other, at(10), at(0))
        .await
        .unwrap();
    assert_eq!(accounts.login_failures_since(&key, at(0)).await.unwrap(), 3);
    assert_eq!(accounts.login_failures_since(&key, at(5)).await.unwrap(), 2);
    assert_eq!(
        accounts.login_failures_since(&key, at(11)).await.unwrap(),
        0
    );
    accounts.clear_login_failures(&key).await.unwrap();
    assert_eq!(accounts.login_failures_since(&key, at(0)).await.unwrap(), 0);
}

async fn parallel_attempts_reserve_exactly_up_to_each_limit(store: Arc<dyn Store>) {
    let key = hash("email+address");
    let wide = hash("address");
    let tries = (0..20).map(|i| {
        let store = store.clone();
        let limits = vec![(key.clone(), 5), (wide.clone(), 8)];
        let id = format!("attempt-{i}");
        tokio::spawn(async move {
            let reserved = store
                .accounts()
                .reserve_attempt(&id, &limits, at(1), at(0))
                .await
                .unwrap();
            reserved.then_some(id)
        })
    });
    let mut reserved = Vec::new();
    for t in tries.collect::<Vec<_>>() {
        reserved.extend(t.await.unwrap());
    }
    assert_eq!(reserved.len(), 5, "exactly the tighter limit");
    let accounts = store.accounts();
    assert_eq!(accounts.login_failures_since(&key, at(0)).await.unwrap(), 5);
    assert_eq!(
        accounts.login_failures_since(&wide, at(0)).await.unwrap(),
        5
    );
    // An attempt that succeeds is taken back, under every key.
    accounts.release_attempt(&reserved[0]).await.unwrap();
    assert_eq!(accounts.login_failures_since(&key, at(0)).await.unwrap(), 4);
    assert_eq!(
        accounts.login_failures_since(&wide, at(0)).await.unwrap(),
        4
    );
    // Outside the window nothing counts.
    let later = vec![(key.clone(), 5)];
    assert!(
        accounts
            .reserve_attempt("late", &later, at(30), at(16))
            .await
            .unwrap()
    );
}

async fn awaiting_reply_needs_an_old_unanswered_buyer_message(store: Arc<dyn Store>) {
    let s = seller(&store, 1).await;
    let waiting = conversation(&store, s.id, 1).await;
    let replied = conversation(&store, s.id, 2).await;
    let closed = conversation(&store, s.id, 3).await;
    let recent = conversation(&store, s.id, 4).await;
    let held_only = conversation(&store, s.id, 5).await;
    let other_seller = seller(&store, 2).await;
    let elsewhere = conversation(&store, other_seller.id, 6).await;
    for c in [waiting, replied, closed, elsewhere] {
        store
            .messages()
            .store_message(&message(c, at(0)))
            .await
            .unwrap();
    }
    store
        .messages()
        .store_message(&message(recent, at(30)))
        .await
        .unwrap();
    let mut held = message(held_only, at(0));
    held.status = MessageStatus::Held;
    held.enqueue = None;
    store.messages().store_message(&held).await.unwrap();
    let mut reply = message(replied, at(5));
    reply.direction = Direction::SellerToBuyer;
    store.messages().store_message(&reply).await.unwrap();
    store
        .accounts()
        .mark_no_response_needed(closed, s.id, at(6))
        .await
        .unwrap();
    // Marking twice keeps the latest time.
    store
        .accounts()
        .mark_no_response_needed(closed, s.id, at(7))
        .await
        .unwrap();
    // Each mark is audited with the seller, in the same transaction.
    let marks = store
        .audit()
        .audit_events(Some(&closed.to_string()), 50)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.action == AuditAction::ConversationNoResponseNeeded.as_str())
        .count();
    assert_eq!(marks, 2);
    assert!(matches!(
        store
            .accounts()
            .mark_no_response_needed(ConversationId::new(), s.id, at(7))
            .await,
        Err(StoreError::NotFound)
    ));

    let found = store.accounts().awaiting_reply(s.id, at(10)).await.unwrap();
    assert_eq!(found, vec![waiting]);

    // A new buyer message after the mark asks again.
    store
        .messages()
        .store_message(&message(closed, at(8)))
        .await
        .unwrap();
    let mut found = store.accounts().awaiting_reply(s.id, at(10)).await.unwrap();
    found.sort();
    let mut expected = vec![waiting, closed];
    expected.sort();
    assert_eq!(found, expected);
}

async fn purging_drops_expired_sessions_and_old_failures_only(store: Arc<dyn Store>) {
    let s = seller(&store, 1).await;
    let accounts = store.accounts();
    let (old, live) = (hash("old"), hash("live"));
    for (id, expires) in [(&old, at(10)), (&live, at(60))] {
        accounts
            .create_session(&NewWebSession {
                id_hash: id.clone(),
                account: Account::Seller(s.id),
                csrf_token: "csrf".into(),
                created_at: at(0),
                expires_at: expires,
            })
            .await
            .unwrap();
    }
    let key = hash("key");
    for (id, minute) in [("early", 0), ("late", 20)] {
        let limits = [(key.clone(), 100)];
        accounts
            .reserve_attempt(id, &limits, at(minute), at(0))
            .await
            .unwrap();
    }
    accounts.purge_expired(at(30), at(15)).await.unwrap();
    assert!(accounts.session(&old, at(0)).await.unwrap().is_none());
    assert!(accounts.session(&live, at(30)).await.unwrap().is_some());
    assert_eq!(accounts.login_failures_since(&key, at(0)).await.unwrap(), 1);
}

async fn staff_reads_are_listed_newest_first_without_other_events(store: Arc<dyn Store>) {
    let reviewer = staff(&store).await;
    let (first, second) = (MessageId::new(), MessageId::new());
    for (action, message, by_staff) in [
        (AuditAction::MessageRead, first, true),
        (AuditAction::MessageReleased, first, true),
        (AuditAction::MessageRead, second, false),
        (AuditAction::MessageRead, second, true),
    ] {
        let event = if by_staff {
            NewAuditEvent::by_staff(reviewer, action, "message", message, serde_json::json!({}))
        } else {
            NewAuditEvent::system(action, "message", message, serde_json::json!({}))
        };
        store.audit().record_audit(&event).await.unwrap();
    }
    let reads = store.accounts().staff_reads(10).await.unwrap();
    let subjects: Vec<String> = reads.iter().map(|e| e.subject_id.clone()).collect();
    assert_eq!(subjects, vec![second.to_string(), first.to_string()]);
    assert!(
        reads
            .iter()
            .all(|e| e.action == "message.read" && e.actor_kind == "staff")
    );
    assert_eq!(store.accounts().staff_reads(1).await.unwrap().len(), 1);
}

async fn only_hashes_of_session_ids_and_invitation_tokens_are_stored(
    store: Arc<dyn Store>,
    raw: super::Raw,
) {
    let s = seller(&store, 1).await;
    let accounts = store.accounts();
    let token = hash("invite");
    accounts
        .create_invitation(&token, Account::Seller(s.id), at(0), at(60))
        .await
        .unwrap();
    accounts
        .create_session(&NewWebSession {
            id_hash: hash("session"),
            account: Account::Seller(s.id),
            csrf_token: "csrf".into(),
            created_at: at(0),
            expires_at: at(60),
        })
        .await
        .unwrap();
    // Every stored secret is a 64-character hex digest.
    assert_eq!(
        raw.count("select count(*) from invitations where length(token_hash) <> 64")
            .await,
        0
    );
    assert_eq!(
        raw.count("select count(*) from web_sessions where length(id_hash) <> 64")
            .await,
        0
    );
    // Exactly one owner per row, enforced by the schema.
    let both = raw
        .execute(&format!(
            "insert into web_sessions (id_hash, seller_id, staff_id, csrf_token, created_at, expires_at) \
             values ('{}', null, null, 'x', '2026-03-01T10:00:00.000000Z', '2026-03-01T11:00:00.000000Z')",
            hash("orphan")
        ))
        .await;
    assert!(both.is_err(), "a session must belong to someone");
}
