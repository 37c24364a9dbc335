//! The buyer's pages behind the footer links of a seller's mail: report
//! one message, and opt out of (or back into) the seller's messages that
//! are not about an order. As with the consent pages, opening a link only
//! shows what it would do; the change happens on the form's POST back to
//! the same URL, whose signed token is the authority. No cookie or session
//! is involved, so another site cannot forge the request without the token.

use askama::Template;
use axum::{
    Form,
    extract::{FromRequest, Multipart, Path, Request, State},
    http::StatusCode,
    response::{IntoResponse, Response},
    routing::get,
};
use serde::Deserialize;
use time::OffsetDateTime;

use super::{Layout, Page, WebError, display_time, iso_time, link_error};
use crate::{
    catalogue::Words,
    domain::{Conversation, ReportReason, StoredMessage},
    http::AppState,
    relay::{
        judge::{SELLER, safe_display_name},
        links::{Confirmation, LinkError, confirm_recipient},
    },
};

/// The seller's name as the buyer saw it in the mail: a name that carries
/// contact details shows as "Seller".
fn seller_name(state: &AppState, conversation: &Conversation) -> String {
    safe_display_name(
        &state.relay.policy.current(),
        &conversation.seller.name,
        SELLER,
    )
}

/// What a report or opt-out link that cannot be used changed: nothing.
const NOTHING_CHANGED: &str = "Nothing was changed.";

pub fn routes() -> super::Pages {
    super::Pages::default()
        .route("/report/{token}", get(show_report).post(file_report))
        .route("/opt-out/{token}", get(show_opt_out).post(set_opt_out))
}

#[derive(Template)]
#[template(path = "report.html")]
struct ReportPage {
    layout: Layout,
    token: String,
    heading: String,
    seller: String,
    subject: String,
    sent: String,
    sent_iso: String,
    reasons: Vec<(&'static str, String)>,
    filed: bool,
    outcome: String,
}

impl ReportPage {
    /// The page in the words of the buyer of `conversation`.
    fn new(
        token: &str,
        message: &StoredMessage,
        conversation: &Conversation,
        seller: String,
    ) -> Self {
        let words = Words(conversation.buyer.reads());
        Self {
            layout: Layout::reader(words.language()),
            token: token.to_owned(),
            heading: words.get("report-title"),
            seller,
            subject: message.subject.clone(),
            sent: display_time(message.created_at),
            sent_iso: iso_time(message.created_at),
            reasons: ReportReason::ALL
                .iter()
                .map(|r| (r.as_str(), words.get(r.message_id())))
                .collect(),
            filed: false,
            outcome: String::new(),
        }
    }

    fn done(self, first: bool) -> Self {
        let words = self.layout.words;
        let (heading, outcome) = match first {
            true => ("report-title-thanks", "report-filed"),
            false => ("report-title-already", "report-already"),
        };
        Self {
            heading: words.get(heading),
            filed: true,
            outcome: words.get(outcome),
            ..self
        }
    }
}

/// The message and conversation a report token names, or the page to show instead.
async fn reported(
    state: &AppState,
    token: &str,
) -> Result<(StoredMessage, Conversation), Response> {
    let id = state
        .links
        .verify_report(token, OffsetDateTime::now_utc())
        .map_err(|e| link_error(e, NOTHING_CHANGED))?;
    let message = match state.store.messages().get_message(id).await {
        Ok(m) => m,
        // Signed by us but gone: as good as an invalid link.
        Err(crate::store::StoreError::NotFound) => {
            return Err(link_error(LinkError::Invalid, NOTHING_CHANGED));
        }
        Err(e) => return Err(WebError::from(e).into_response()),
    };
    let conversation = state
        .store
        .conversations()
        .get_conversation(message.conversation_id)
        .await
        .map_err(|e| WebError::from(e).into_response())?;
    Ok((message, conversation))
}

async fn show_report(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    let (message, conversation) = match reported(&state, &token).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let page = ReportPage::new(
        &token,
        &message,
        &conversation,
        seller_name(&state, &conversation),
    );
    match state.store.reports().report_for_message(message.id).await {
        Ok(Some(_)) => Page(page.done(false)).into_response(),
        Ok(None) => Page(page).into_response(),
        Err(e) => WebError::from(e).into_response(),
    }
}

#[derive(Deserialize)]
struct ReportForm {
    #[serde(default)]
    reason: String,
    #[serde(default)]
    comment: String,
}

async fn file_report(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Form(form): Form<ReportForm>,
) -> Response {
    let (message, conversation) = match reported(&state, &token).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    match state
        .relay
        .file_report(message.id, &form.reason, &form.comment)
        .await
    {
        Ok((_, first)) => {
            let seller = seller_name(&state, &conversation);
            Page(ReportPage::new(&token, &message, &conversation, seller).done(first))
                .into_response()
        }
        Err(e) => WebError::from(e).into_response(),
    }
}

#[derive(Template)]
#[template(path = "opt_out.html")]
struct OptOutPage {
    layout: Layout,
    token: String,
    seller: String,
    opted_out: bool,
    notice: Option<String>,
    error: Option<String>,
}

impl OptOutPage {
    /// The page in the words of the buyer of `conversation`; `notice` and
    /// `error` are message ids.
    fn new(
        state: &AppState,
        token: String,
        conversation: &Conversation,
        opted_out: bool,
        (notice, error): (Option<&str>, Option<&str>),
    ) -> Self {
        let words = Words(conversation.buyer.reads());
        Self {
            layout: Layout::reader(words.language()),
            token,
            seller: seller_name(state, conversation),
            opted_out,
            notice: notice.map(|id| words.get(id)),
            error: error.map(|id| words.get(id)),
        }
    }
}

async fn opt_out_conversation(state: &AppState, token: &str) -> Result<Conversation, Response> {
    let id = state
        .links
        .verify_opt_out(token, OffsetDateTime::now_utc())
        .map_err(|e| link_error(e, NOTHING_CHANGED))?;
    match state.store.conversations().get_conversation(id).await {
        Ok(c) => Ok(c),
        Err(crate::store::StoreError::NotFound) => {
            Err(link_error(LinkError::Invalid, NOTHING_CHANGED))
        }
        Err(e) => Err(WebError::from(e).into_response()),
    }
}

/// The opt-out form: URL-encoded from the page, or `multipart/form-data`,
/// which RFC 8058 asks mail clients to send their one-click POST as.
pub(crate) struct OptOutBody(OptOutForm);

impl FromRequest<AppState> for OptOutBody {
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Response> {
        if !super::is_multipart(&req) {
            let Form(form) = Form::<OptOutForm>::from_request(req, state)
                .await
                .map_err(IntoResponse::into_response)?;
            return Ok(Self(form));
        }
        let mut parts = Multipart::from_request(req, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let mut form = OptOutForm::default();
        while let Some(field) = parts
            .next_field()
            .await
            .map_err(IntoResponse::into_response)?
        {
            let name = field.name().unwrap_or_default().to_owned();
            let value = field.text().await.map_err(IntoResponse::into_response)?;
            match name.as_str() {
                "choice" => form.choice = value,
                "email" => form.email = value,
                "List-Unsubscribe" => form.list_unsubscribe = value,
                _ => {}
            }
        }
        Ok(Self(form))
    }
}

/// The opt-out page
///
/// Roles: anyone holding the signed link from the footer (and the
/// `List-Unsubscribe` field) of a seller's mail; no token. Shows whether
/// the buyer is opted out of the seller's messages that are not about an
/// order, with a form to change it. Opening it changes nothing.
#[utoipa::path(
    get,
    path = "/opt-out/{token}",
    tag = "links",
    params(("token" = String, Path, description = "The signed opt-out token of the link")),
    responses(
        (status = 200, description = "The confirmation page", content_type = "text/html", body = String),
        (status = 404, description = "The link is not one this service signed, or it expired (an HTML page)", content_type = "text/html", body = String),
    )
)]
pub(crate) async fn show_opt_out(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Response {
    let conversation = match opt_out_conversation(&state, &token).await {
        Ok(c) => c,
        Err(response) => return response,
    };
    match state.store.reports().buyer_opted_out(conversation.id).await {
        Ok(since) => Page(OptOutPage::new(
            &state,
            token,
            &conversation,
            since.is_some(),
            (None, None),
        ))
        .into_response(),
        Err(e) => WebError::from(e).into_response(),
    }
}

#[derive(Default, Deserialize)]
pub(crate) struct OptOutForm {
    #[serde(default)]
    choice: String,
    /// `One-Click` from a mail client's unsubscribe button (RFC 8058),
    /// which posts to the `List-Unsubscribe` link: the same as `stop`.
    #[serde(default, rename = "List-Unsubscribe")]
    list_unsubscribe: String,
    /// Who is answering; asked before messages are let through again.
    #[serde(default)]
    email: String,
}

/// Opting out, one-click unsubscription (RFC 8058), undoing it
///
/// Roles: anyone holding the signed link; no token, no session, no form
/// token. A mail client's unsubscribe button posts
/// `List-Unsubscribe=One-Click` here (the URL of the seller mail's
/// `List-Unsubscribe` field, signed by DKIM with `List-Unsubscribe-Post`),
/// as does the page's form with `choice=stop`: the buyer is opted out of
/// the seller's messages that are not about an order (audited as
/// `conversation.opted_out`) and the answer is 200. `choice=resume` with
/// `email`, the buyer's own address, opts them back in.
#[utoipa::path(
    post,
    path = "/opt-out/{token}",
    tag = "links",
    params(("token" = String, Path, description = "The signed opt-out token of the link")),
    request_body(
        content(
            (Option<String> = "application/x-www-form-urlencoded"),
            (Option<String> = "multipart/form-data"),
        ),
        description = "`List-Unsubscribe=One-Click`, or `choice=stop`, or `choice=resume&email=...`"
    ),
    responses(
        (status = 200, description = "Done: the page showing the new state", content_type = "text/html", body = String),
        (status = 403, description = "`choice=resume` with an address that is not the buyer's (an HTML page)", content_type = "text/html", body = String),
        (status = 404, description = "The link is not one this service signed, it expired, or the form chose nothing (an HTML page)", content_type = "text/html", body = String),
        (status = 429, description = "`choice=resume` answered with wrong addresses too often (an HTML page)", content_type = "text/html", body = String),
    )
)]
pub(crate) async fn set_opt_out(
    State(state): State<AppState>,
    Path(token): Path<String>,
    OptOutBody(form): OptOutBody,
) -> Response {
    let conversation = match opt_out_conversation(&state, &token).await {
        Ok(c) => c,
        Err(response) => return response,
    };
    let stop = match form.choice.as_str() {
        _ if form.list_unsubscribe == "One-Click" => true,
        "stop" => true,
        "resume" => false,
        _ => return WebError::NotFound.into_response(),
    };
    // Letting the seller's messages through again is the buyer's choice
    // alone: a link that leaked to the seller must not undo it.
    if !stop {
        let refused = match confirm_recipient(
            state.store.as_ref(),
            &format!("opt-out:{}", conversation.id),
            &form.email,
            &conversation.buyer.email,
            OffsetDateTime::now_utc(),
        )
        .await
        {
            Ok(Confirmation::Confirmed) => None,
            Ok(Confirmation::NotTheRecipient) => {
                Some((StatusCode::FORBIDDEN, "opt-out-wrong-address"))
            }
            Ok(Confirmation::TooManyAttempts) => {
                Some((StatusCode::TOO_MANY_REQUESTS, "opt-out-too-many"))
            }
            Err(e) => return WebError::from(e).into_response(),
        };
        if let Some((status, error)) = refused {
            let page = Page(OptOutPage::new(
                &state,
                token,
                &conversation,
                true,
                (None, Some(error)),
            ));
            return (status, page).into_response();
        }
    }
    match state.relay.set_buyer_opt_out(conversation.id, stop).await {
        Ok(since) => Page(OptOutPage::new(
            &state,
            token,
            &conversation,
            since.is_some(),
            (
                Some(match stop {
                    true => "opt-out-done-stop",
                    false => "opt-out-done-resume",
                }),
                None,
            ),
        ))
        .into_response(),
        Err(e) => WebError::from(e).into_response(),
    }
}
