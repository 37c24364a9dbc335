//! The buyer's consent pages, reached from the signed links in a consent
//! request mail. Opening a link only shows what it would do; the change
//! happens on the form's POST, so mail scanners that prefetch links change
//! nothing. The signed token in the URL is the authority for the POST (the
//! form posts back to the same URL), so no cookie or session is involved and
//! another site cannot forge the request without the secret token. A grant
//! also asks who is answering: the address the mail went to, which the
//! seller never sees, so a link that leaked to them grants nothing.

use askama::Template;
use axum::{
    body::Bytes,
    extract::{Path, State},
    http::StatusCode,
    response::{IntoResponse, Response},
    routing::get,
};
use time::{OffsetDateTime, format_description::well_known::Rfc2822};

use super::{Layout, Page, WebError, link_error};
use crate::{
    domain::{ConsentAction, ConsentActor, ConsentRequest, ConsentStatus, Conversation},
    http::AppState,
    relay::RelayError,
    relay::{
        consent::{LinkClaim, LinkError},
        judge::{SELLER, safe_display_name},
        links::{Confirmation, confirm_recipient},
    },
    store::StoreError,
};

/// What a consent link that cannot be used changed: nothing.
const NOTHING_SHARED: &str = "Nothing was shared.";

pub fn routes() -> super::Pages {
    super::Pages::default().route("/consent/{token}", get(show).post(apply))
}

fn date(t: OffsetDateTime) -> String {
    t.format(&Rfc2822).unwrap_or_default()
}

/// Who asks for what, as the page's first line says it.
struct Ask {
    seller: String,
    kind: &'static str,
    purpose: &'static str,
}

/// A form posting back to the link; a grant's also asks who is answering.
struct ConsentForm {
    /// The token: relative, so the page works under a public URL with a path prefix.
    action: String,
    button: &'static str,
    ask_email: bool,
}

#[derive(Template)]
#[template(path = "consent.html")]
struct ConsentPage {
    layout: Layout,
    title: &'static str,
    ask: Option<Ask>,
    paragraphs: Vec<String>,
    form: Option<ConsentForm>,
    keep_link: Option<String>,
}

impl ConsentPage {
    fn new(title: &'static str, paragraphs: Vec<String>) -> Self {
        Self {
            layout: Layout::signed_out(),
            title,
            ask: None,
            paragraphs,
            form: None,
            keep_link: None,
        }
    }

    fn with_form(mut self, token: &str, button: &'static str) -> Self {
        self.form = Some(ConsentForm {
            action: token.to_owned(),
            button,
            ask_email: false,
        });
        self
    }

    fn respond(self, status: StatusCode) -> Response {
        (status, Page(self)).into_response()
    }
}

fn internal(e: StoreError) -> Response {
    WebError::from(e).into_response()
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
    let claim = state
        .links
        .verify_consent(token, now)
        .map_err(|e| link_error(e, NOTHING_SHARED))?;
    let consent = match state.store.consents().get_consent(claim.consent).await {
        Ok(c) => c,
        Err(StoreError::NotFound) => return Err(link_error(LinkError::Invalid, NOTHING_SHARED)),
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
        return Err(link_error(LinkError::Invalid, NOTHING_SHARED));
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
    ConsentPage::new(
        "Nothing to do",
        vec![format!(
            "This request is {}; this link cannot change it any more.",
            status.as_str()
        )],
    )
    .respond(StatusCode::CONFLICT)
}

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
    let kind = consent.kind.describe();
    let ask = || Ask {
        seller: seller.clone(),
        kind,
        purpose: consent.purpose.describe(),
    };
    let page = match (claim.action, consent.status_at(now)) {
        (ConsentAction::Grant, ConsentStatus::Requested) => {
            let mut page = ConsentPage::new(
                "Share your phone number?",
                vec![
                    format!(
                        "If you agree, {seller} sees your {kind} in this conversation only, for {days} days (until {until}) or until you revoke it.",
                        days = consent.valid_for_days,
                        until = date(consent.grant_expiry(now)),
                    ),
                    format!(
                        "It may be used only for {}, never for marketing, and is never shared with anyone else. Your order goes ahead whether you agree or not.",
                        consent.purpose.describe()
                    ),
                ],
            )
            .with_form(&token, "Share my phone number");
            page.ask = Some(ask());
            if let Some(form) = &mut page.form {
                form.ask_email = true;
            }
            page
        }
        (ConsentAction::Decline, ConsentStatus::Requested) => {
            let mut page = ConsentPage::new(
                "Decline the request?",
                vec!["If you decline, nothing is shared.".into()],
            )
            .with_form(&token, "Decline");
            page.ask = Some(ask());
            page
        }
        (ConsentAction::Revoke, ConsentStatus::Granted) => ConsentPage::new(
            "Stop sharing your phone number?",
            vec![format!(
                "{seller} can see your {kind} until {}.",
                date(consent.expires_at)
            )],
        )
        .with_form(&token, "Stop sharing"),
        // The revoke link in the request mail, before any answer: nothing
        // is shared, and stopping means declining.
        (ConsentAction::Revoke, ConsentStatus::Requested) => {
            let mut page = ConsentPage::new(
                "Nothing is shared",
                vec![format!(
                    "You have not shared your {kind}. If you do not want to, decline the request."
                )],
            )
            .with_form(&token, "Decline");
            page.ask = Some(ask());
            page
        }
        _ => return already(&consent),
    };
    page.respond(StatusCode::OK)
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
    let action = consent.buyer_action(claim.action, now);
    if action == ConsentAction::Grant {
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
                return ConsentPage::new(
                    "Not shared",
                    vec!["That is not the address this request was sent to, so nothing was shared. Only the person who received the request can answer it.".into()],
                )
                .respond(StatusCode::FORBIDDEN);
            }
            Ok(Confirmation::TooManyAttempts) => {
                return ConsentPage::new(
                    "Not shared",
                    vec!["This link was answered with the wrong address too often; nothing was shared. Try again tomorrow.".into()],
                )
                .respond(StatusCode::TOO_MANY_REQUESTS);
            }
            Err(e) => return internal(e),
        }
    }
    let consent = match state
        .relay
        .answer_consent(consent.id, action, ConsentActor::Buyer)
        .await
    {
        Ok(c) => c,
        Err(RelayError::InvalidState(_)) => return already(&consent),
        Err(e) => return WebError::from(e).into_response(),
    };
    let kind = consent.kind.describe();
    let page = match action {
        ConsentAction::Grant => {
            let revoke = state.links.consent_token(
                consent.id,
                ConsentAction::Revoke,
                conversation.buyer.id,
                consent.expires_at,
            );
            let mut page = ConsentPage::new(
                "Thank you",
                vec![
                    format!(
                        "{seller} can now see your {kind} until {}.",
                        date(consent.expires_at)
                    ),
                    "You can stop sharing at any time:".into(),
                ],
            )
            .with_form(&revoke, "Stop sharing");
            page.keep_link = Some(revoke);
            page
        }
        ConsentAction::Decline => {
            ConsentPage::new("Declined", vec!["You declined. Nothing was shared.".into()])
        }
        ConsentAction::Revoke => ConsentPage::new(
            "Sharing stopped",
            vec![format!("{seller} can no longer see your {kind}.")],
        ),
    };
    page.respond(StatusCode::OK)
}
