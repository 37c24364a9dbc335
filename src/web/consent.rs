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
    catalogue::{Arg, Words},
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

/// Who asks for what, as the page's first line says it: the sentence
/// around the seller's name, which the page shows in bold.
struct Ask {
    before: String,
    seller: String,
    after: String,
}

impl Ask {
    fn new(words: Words, args: &[(&'static str, Arg<'_>)], seller: &str) -> Self {
        // A private-use character stands for the name, so each language
        // places it where its grammar wants it.
        const NAME: &str = "\u{E000}";
        let mut args = args.to_vec();
        args.retain(|(name, _)| *name != "seller");
        args.push(("seller", NAME.into()));
        let line = words.with("consent-asks", &args);
        let (before, after) = line.split_once(NAME).unwrap_or((&line, ""));
        Self {
            before: before.to_owned(),
            seller: seller.to_owned(),
            after: after.to_owned(),
        }
    }
}

/// A form posting back to the link; a grant's also asks who is answering.
struct ConsentForm {
    /// The token: relative, so the page works under a public URL with a path prefix.
    action: String,
    button: String,
    ask_email: bool,
}

#[derive(Template)]
#[template(path = "consent.html")]
struct ConsentPage {
    layout: Layout,
    title: String,
    ask: Option<Ask>,
    paragraphs: Vec<String>,
    form: Option<ConsentForm>,
    keep_link: Option<String>,
}

impl ConsentPage {
    /// A page in the buyer's words: its title and paragraphs are message ids.
    fn new(words: Words, title: &str, paragraphs: Vec<String>) -> Self {
        Self {
            layout: Layout::reader(words.language()),
            title: words.get(title),
            ask: None,
            paragraphs,
            form: None,
            keep_link: None,
        }
    }

    fn with_form(mut self, token: &str, button: &str) -> Self {
        self.form = Some(ConsentForm {
            action: token.to_owned(),
            button: self.layout.words.get(button),
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

fn already(words: Words, consent: &ConsentRequest) -> Response {
    let status = consent.status_at(OffsetDateTime::now_utc());
    ConsentPage::new(
        words,
        "consent-title-nothing-to-do",
        vec![words.with("consent-already", &[("status", status.as_str().into())])],
    )
    .respond(StatusCode::CONFLICT)
}

/// The placeables the consent pages share: the seller's name, what is
/// asked for and why, and how long a grant holds.
fn consent_args<'a>(
    seller: &'a str,
    kind: &'a String,
    purpose: &'a String,
    days: i64,
) -> [(&'static str, Arg<'a>); 4] {
    [
        ("seller", seller.into()),
        ("kind", kind.into()),
        ("purpose", purpose.into()),
        ("days", days.into()),
    ]
}

async fn show(State(state): State<AppState>, Path(token): Path<String>) -> Response {
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
    let words = Words(conversation.buyer.reads());
    let kind = words.get(consent.kind.message_id());
    let purpose = words.get(consent.purpose.message_id());
    let args = consent_args(&seller, &kind, &purpose, consent.valid_for_days);
    let ask = || Some(Ask::new(words, &args, &seller));
    let page = match (claim.action, consent.status_at(now)) {
        (ConsentAction::Grant, ConsentStatus::Requested) => {
            let until = date(consent.grant_expiry(now));
            let mut terms = args.to_vec();
            terms.push(("until", (&until).into()));
            let mut page = ConsentPage::new(
                words,
                "consent-title-share",
                vec![
                    words.with("consent-grant-terms", &terms),
                    words.with("consent-grant-use", &args),
                ],
            )
            .with_form(&token, "consent-button-share");
            page.ask = ask();
            if let Some(form) = &mut page.form {
                form.ask_email = true;
            }
            page
        }
        (ConsentAction::Decline, ConsentStatus::Requested) => {
            let mut page = ConsentPage::new(
                words,
                "consent-title-decline",
                vec![words.get("consent-decline-nothing")],
            )
            .with_form(&token, "consent-button-decline");
            page.ask = ask();
            page
        }
        (ConsentAction::Revoke, ConsentStatus::Granted) => {
            let until = date(consent.expires_at);
            let mut terms = args.to_vec();
            terms.push(("date", (&until).into()));
            ConsentPage::new(
                words,
                "consent-title-revoke",
                vec![words.with("consent-can-see-until", &terms)],
            )
            .with_form(&token, "consent-button-stop")
        }
        // The revoke link in the request mail, before any answer: nothing
        // is shared, and stopping means declining.
        (ConsentAction::Revoke, ConsentStatus::Requested) => {
            let mut page = ConsentPage::new(
                words,
                "consent-title-nothing-shared",
                vec![words.with("consent-not-shared-yet", &args)],
            )
            .with_form(&token, "consent-button-decline");
            page.ask = ask();
            page
        }
        _ => return already(words, &consent),
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
    let words = Words(conversation.buyer.reads());
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
                    words,
                    "consent-title-not-shared",
                    vec![words.get("consent-wrong-address")],
                )
                .respond(StatusCode::FORBIDDEN);
            }
            Ok(Confirmation::TooManyAttempts) => {
                return ConsentPage::new(
                    words,
                    "consent-title-not-shared",
                    vec![words.get("consent-too-many")],
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
        Err(RelayError::InvalidState(_)) => return already(words, &consent),
        Err(e) => return WebError::from(e).into_response(),
    };
    let kind = words.get(consent.kind.message_id());
    let purpose = words.get(consent.purpose.message_id());
    let args = consent_args(&seller, &kind, &purpose, consent.valid_for_days);
    let until = date(consent.expires_at);
    let page = match action {
        ConsentAction::Grant => {
            let revoke = state.links.consent_token(
                consent.id,
                ConsentAction::Revoke,
                conversation.buyer.id,
                consent.expires_at,
            );
            let mut terms = args.to_vec();
            terms.push(("date", (&until).into()));
            let mut page = ConsentPage::new(
                words,
                "consent-title-thanks",
                vec![
                    words.with("consent-now-see-until", &terms),
                    words.get("consent-stop-any-time"),
                ],
            )
            .with_form(&revoke, "consent-button-stop");
            page.keep_link = Some(revoke);
            page
        }
        ConsentAction::Decline => ConsentPage::new(
            words,
            "consent-title-declined",
            vec![words.get("consent-declined")],
        ),
        ConsentAction::Revoke => ConsentPage::new(
            words,
            "consent-title-stopped",
            vec![words.with("consent-no-longer", &args)],
        ),
    };
    page.respond(StatusCode::OK)
}
