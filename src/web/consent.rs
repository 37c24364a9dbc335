//! The buyer's consent pages, reached from the signed links in a consent
//! request mail. Opening a link only shows what it would do; the change
//! happens on the form's POST, so mail scanners that prefetch links change
//! nothing. The signed token in the URL is the authority for the POST (the
//! form posts back to the same URL), so no cookie or session is involved and
//! another site cannot forge the request without the secret token. A grant
//! also asks who is answering: the address the mail went to, which the
//! seller never sees, so a link that leaked to them grants nothing.

use axum::{
    body::Bytes,
    extract::{Path, State},
    http::{StatusCode, header},
    response::{Html, IntoResponse, Response},
    routing::get,
};
use time::{OffsetDateTime, format_description::well_known::Rfc2822};

use crate::{
    domain::{ConsentAction, ConsentActor, ConsentRequest, ConsentStatus, Conversation},
    http::AppState,
    relay::{
        consent::{LinkClaim, LinkError},
        judge::{SELLER, safe_display_name},
        links::{Confirmation, confirm_recipient},
    },
    store::StoreError,
};

pub fn routes() -> super::Pages {
    super::Pages::default().route("/consent/{token}", get(show).post(apply))
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn date(t: OffsetDateTime) -> String {
    t.format(&Rfc2822).unwrap_or_default()
}

/// One small page. Every dynamic value reaching `body` is escaped by the caller.
fn page(status: StatusCode, title: &str, body: &str) -> Response {
    let html = format!(
        r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body{{font-family:system-ui,sans-serif;background:#f5f6f8;margin:0;display:grid;place-items:center;min-height:100vh}}
main{{background:#fff;padding:2rem;border-radius:12px;box-shadow:0 2px 12px #0001;width:min(30rem,90vw)}}
button{{margin-top:1rem;padding:.7rem 1.2rem;border:0;border-radius:6px;background:#1f5eff;color:#fff;font-weight:600}}
</style>
</head>
<body>
<main>
<h1>{title}</h1>
{body}
</main>
</body>
</html>
"#,
        title = escape(title),
    );
    (
        status,
        [
            (header::CACHE_CONTROL, "no-store"),
            // The token in the URL must not travel on in a Referer header.
            (header::REFERRER_POLICY, "no-referrer"),
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
            ),
        ],
        Html(html),
    )
        .into_response()
}

fn link_error(e: LinkError) -> Response {
    match e {
        LinkError::Invalid => page(
            StatusCode::BAD_REQUEST,
            "Link not valid",
            "<p>This link is not valid. Please use the link exactly as it appears in the email.</p>",
        ),
        LinkError::Expired => page(
            StatusCode::GONE,
            "Link expired",
            "<p>This link has expired. Nothing was shared.</p>",
        ),
    }
}

fn internal(e: StoreError) -> Response {
    tracing::error!(error = %e, "consent page failed");
    page(
        StatusCode::SERVICE_UNAVAILABLE,
        "Please try again",
        "<p>Something went wrong on our side. Please try again in a moment.</p>",
    )
}

/// What a consent link opens: the verified claim, the consent it names, its
/// conversation and the seller's name as the buyer sees it.
struct Opened {
    claim: LinkClaim,
    consent: ConsentRequest,
    conversation: Conversation,
    seller: String,
}

async fn load(state: &AppState, token: &str) -> Result<Opened, Response> {
    let now = OffsetDateTime::now_utc();
    let claim = state.links.verify_consent(token, now).map_err(link_error)?;
    let consent = match state.store.consents().get_consent(claim.consent).await {
        Ok(c) => c,
        Err(StoreError::NotFound) => return Err(link_error(LinkError::Invalid)),
        Err(e) => return Err(internal(e)),
    };
    let conversation = match state
        .store
        .conversations()
        .get_conversation(consent.conversation_id)
        .await
    {
        Ok(c) => c,
        Err(e) => return Err(internal(e)),
    };
    // A link names the buyer it was sent to; it answers for no one else.
    if claim
        .recipient
        .is_some_and(|to| to != conversation.buyer.id)
    {
        return Err(link_error(LinkError::Invalid));
    }
    let seller = safe_display_name(
        &state.relay.policy.current(),
        &conversation.seller.name,
        SELLER,
    );
    Ok(Opened {
        claim,
        consent,
        conversation,
        seller,
    })
}

fn already(consent: &ConsentRequest) -> Response {
    let status = consent.status_at(OffsetDateTime::now_utc());
    page(
        StatusCode::CONFLICT,
        "Nothing to do",
        &format!(
            "<p>This request is {}; this link cannot change it any more.</p>",
            escape(status.as_str())
        ),
    )
}

fn form(token: &str, button: &str) -> String {
    form_with(token, button, "")
}

/// A form whose POST goes back to the link, with `fields` before its button.
fn form_with(token: &str, button: &str, fields: &str) -> String {
    format!(
        // Relative, so the page works under a public URL with a path prefix.
        r#"<form method="post" action="{}">{fields}<button type="submit">{}</button></form>"#,
        escape(token),
        escape(button)
    )
}

/// What a grant asks first: who is answering.
const WHO_ANSWERS: &str = r#"<p><label for="email">Your email address (the one this request was sent to)</label><br><input id="email" name="email" type="email" autocomplete="email" required></p>"#;

async fn show(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    let Opened {
        claim,
        consent,
        seller,
        ..
    } = match load(&state, &token).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let now = OffsetDateTime::now_utc();
    let what = format!(
        "<p><strong>{seller}</strong> asks for your {kind} for {purpose}.</p>",
        seller = escape(&seller),
        kind = consent.kind.describe(),
        purpose = consent.purpose.describe(),
    );
    match (claim.action, consent.status_at(now)) {
        (ConsentAction::Grant, ConsentStatus::Requested) => page(
            StatusCode::OK,
            "Share your phone number?",
            &format!(
                "{what}<p>If you agree, {seller} sees your {kind} in this conversation only, for {days} days (until {until}) or until you revoke it.</p>{form}",
                seller = escape(&seller),
                kind = consent.kind.describe(),
                days = consent.valid_for_days,
                until = escape(&date(consent.grant_expiry(now))),
                form = form_with(&token, "Share my phone number", WHO_ANSWERS),
            ),
        ),
        (ConsentAction::Decline, ConsentStatus::Requested) => page(
            StatusCode::OK,
            "Decline the request?",
            &format!(
                "{what}<p>If you decline, nothing is shared.</p>{}",
                form(&token, "Decline")
            ),
        ),
        (ConsentAction::Revoke, ConsentStatus::Granted) => page(
            StatusCode::OK,
            "Stop sharing your phone number?",
            &format!(
                "<p>{} can see your {} until {}.</p>{}",
                escape(&seller),
                consent.kind.describe(),
                escape(&date(consent.expires_at)),
                form(&token, "Stop sharing")
            ),
        ),
        _ => already(&consent),
    }
}

/// The address typed into a form, if any.
fn presented_email(body: &[u8]) -> String {
    url::form_urlencoded::parse(body)
        .find(|(k, _)| k == "email")
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

async fn apply(State(state): State<AppState>, Path(token): Path<String>, body: Bytes) -> Response {
    let Opened {
        claim,
        consent,
        conversation,
        seller,
    } = match load(&state, &token).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let now = OffsetDateTime::now_utc();
    if claim.action == ConsentAction::Grant {
        let confirmed = confirm_recipient(
            state.store.as_ref(),
            &format!("consent:{}", consent.id),
            &presented_email(&body),
            &conversation.buyer.email,
            now,
        )
        .await;
        match confirmed {
            Ok(Confirmation::Confirmed) => {}
            Ok(Confirmation::NotTheRecipient) => {
                tracing::info!(consent_id = %consent.id, "a consent grant was refused: not the recipient's address");
                return page(
                    StatusCode::FORBIDDEN,
                    "Not shared",
                    "<p>That is not the address this request was sent to, so nothing was shared. Only the person who received the request can answer it.</p>",
                );
            }
            Ok(Confirmation::TooManyAttempts) => {
                return page(
                    StatusCode::TOO_MANY_REQUESTS,
                    "Not shared",
                    "<p>This link was answered with the wrong address too often; nothing was shared. Try again tomorrow.</p>",
                );
            }
            Err(e) => return internal(e),
        }
    }
    let result = match claim.action {
        ConsentAction::Grant => {
            state
                .store
                .consents()
                .answer_consent(consent.id, true, ConsentActor::Buyer, now)
                .await
        }
        ConsentAction::Decline => {
            state
                .store
                .consents()
                .answer_consent(consent.id, false, ConsentActor::Buyer, now)
                .await
        }
        ConsentAction::Revoke => {
            state
                .store
                .consents()
                .revoke_consent(consent.id, ConsentActor::Buyer, now)
                .await
        }
    };
    let consent = match result {
        Ok(c) => c,
        Err(StoreError::InvalidState(_)) => return already(&consent),
        Err(e) => return internal(e),
    };
    tracing::info!(consent_id = %consent.id, action = claim.action.as_str(), "buyer answered a consent link");
    match claim.action {
        ConsentAction::Grant => {
            let revoke = state.links.consent_token(
                consent.id,
                ConsentAction::Revoke,
                conversation.buyer.id,
                consent.expires_at,
            );
            page(
                StatusCode::OK,
                "Thank you",
                &format!(
                    "<p>{} can now see your {} until {}.</p><p>You can stop sharing at any time:</p>{}<p>Keep this page's address to come back: <a href=\"{}\">stop sharing</a>.</p>",
                    escape(&seller),
                    consent.kind.describe(),
                    escape(&date(consent.expires_at)),
                    form(&revoke, "Stop sharing"),
                    escape(&revoke),
                ),
            )
        }
        ConsentAction::Decline => page(
            StatusCode::OK,
            "Declined",
            "<p>You declined. Nothing was shared.</p>",
        ),
        ConsentAction::Revoke => page(
            StatusCode::OK,
            "Sharing stopped",
            &format!(
                "<p>{} can no longer see your {}.</p>",
                escape(&seller),
                consent.kind.describe()
            ),
        ),
    }
}
