//! "Request phone number" on a thread: the same `relay.request_consent` as
//! the API, so the same order, purpose and pressure rules.

use axum::{
    Form,
    extract::State,
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};
use serde::Deserialize;

use super::{
    OwnConversation,
    thread::{Draft, render_thread},
};
use crate::{
    domain::{ConsentPurpose, ContactKind, consent::DEFAULT_VALID_FOR_DAYS},
    http::AppState,
    relay::{
        RelayError,
        consent::{AskError, ConsentAsk},
    },
    web::WebError,
};

#[derive(Deserialize)]
pub(super) struct ConsentForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    order_id: String,
    #[serde(default)]
    purpose: String,
}

pub(super) async fn request_phone(
    OwnConversation { me, conversation }: OwnConversation,
    State(state): State<AppState>,
    Form(form): Form<ConsentForm>,
) -> Result<Response, WebError> {
    me.session.check_csrf(&form.csrf_token)?;
    let asked = match ConsentPurpose::parse(&form.purpose) {
        None => Err((
            StatusCode::BAD_REQUEST,
            "Choose a purpose from the list.".to_owned(),
        )),
        Some(purpose) => {
            let ask = ConsentAsk {
                kind: ContactKind::Phone,
                purpose,
                order_id: form.order_id,
                valid_for_days: DEFAULT_VALID_FOR_DAYS,
            };
            match state
                .relay
                .request_consent(me.seller, &conversation, ask)
                .await
            {
                Ok(_) => Ok(()),
                Err(e @ (AskError::OrderRequired | AskError::UnknownOrder)) => {
                    Err((StatusCode::BAD_REQUEST, e.to_string()))
                }
                Err(AskError::Refused(refusal)) => Err((StatusCode::CONFLICT, refusal.to_string())),
                Err(AskError::Relay(RelayError::Conflict(_))) => Err((
                    StatusCode::CONFLICT,
                    "A request for this purpose is already open or granted.".to_owned(),
                )),
                Err(AskError::Relay(RelayError::InvalidState(why))) => {
                    Err((StatusCode::CONFLICT, why))
                }
                Err(AskError::Relay(other)) => return Err(other.into()),
            }
        }
    };
    match asked {
        Ok(()) => Ok(Redirect::to(&format!(
            "/inbox/{}?notice=consent_requested",
            conversation.id
        ))
        .into_response()),
        Err((status, why)) => {
            let draft = Draft {
                consent_error: Some(why),
                ..Default::default()
            };
            let page = render_thread(&state, &me, &conversation, None, draft).await?;
            Ok((status, page).into_response())
        }
    }
}
