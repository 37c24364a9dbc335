//! Sending a reply (with files) and "no response needed".

use axum::{
    Form,
    extract::{FromRequest, Multipart, Request, State},
    http::header,
    response::{IntoResponse, Redirect, Response},
};
use serde::Deserialize;

use super::{
    OwnConversation,
    thread::{Draft, render_thread},
};
use crate::web::WebError;
use crate::{
    config::AttachmentSettings,
    domain::{MessageId, MessageSource, MessageStatus},
    http::AppState,
    relay::{
        RelayError,
        attachments::{self, AttachmentError, Upload},
        seller_reply::{MAX_REPLY_CHARS, SellerReply},
    },
    store::response_time::NoResponseMarker,
};

/// The reply form as posted: multipart, since it carries files, or
/// URL-encoded from a client that sends no files.
#[derive(Default)]
pub(super) struct ReplyForm {
    pub(super) csrf_token: String,
    /// With browser CRLF line breaks made LF.
    pub(super) body: String,
    pub(super) uploads: Vec<Upload>,
    /// Set when the files broke a limit while they were read; their bytes
    /// were counted and dropped.
    pub(super) refused: Option<AttachmentError>,
}

#[derive(Deserialize)]
pub(super) struct TextReplyForm {
    #[serde(default)]
    body: String,
    #[serde(default)]
    csrf_token: String,
}

/// Room for the token, the text (four bytes a character at most) and the
/// form's framing.
pub(super) const TEXT_ROOM: usize = MAX_REPLY_CHARS * 4 + 64 * 1024;

impl FromRequest<AppState> for ReplyForm {
    /// A form that cannot be read cannot be verified either.
    type Rejection = WebError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, WebError> {
        if crate::web::is_multipart(&req) {
            let form = Multipart::from_request(req, state)
                .await
                .map_err(|_| WebError::Csrf)?;
            return Ok(read_reply_form(form, &state.settings.attachments).await);
        }
        // The route lifts the body limit for files; text alone stays bounded.
        let (parts, body) = req.into_parts();
        let bytes = axum::body::to_bytes(body, TEXT_ROOM)
            .await
            .map_err(|_| WebError::Csrf)?;
        let Form(form) =
            Form::<TextReplyForm>::from_request(Request::from_parts(parts, bytes.into()), state)
                .await
                .map_err(|_| WebError::Csrf)?;
        Ok(ReplyForm {
            csrf_token: form.csrf_token,
            body: form.body.replace("\r\n", "\n"),
            ..ReplyForm::default()
        })
    }
}

/// Reads the reply form, keeping at most the attachment limits in memory.
/// Past the limits the rest is read and dropped, so the browser gets the
/// page with the draft rather than a broken connection; past twice the
/// limits (plus room for the text) reading stops. A form that breaks off
/// gives what was read so far with `Incomplete`, so nothing is sent
/// without its files; it fails the CSRF check if the token was not among it.
pub(super) async fn read_reply_form(
    mut multipart: Multipart,
    limits: &AttachmentSettings,
) -> ReplyForm {
    let hard_cap = limits.max_total_bytes.saturating_mul(2) + TEXT_ROOM;
    let mut form = ReplyForm::default();
    let mut read = 0usize;
    let mut kept = 0usize;
    loop {
        let mut field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(_) => {
                form.refused = Some(AttachmentError::Incomplete);
                return form;
            }
        };
        let name = field.name().unwrap_or_default().to_owned();
        let filename = field.file_name().map(str::to_owned);
        let room = match filename {
            Some(_) => limits
                .max_file_bytes
                .min(limits.max_total_bytes.saturating_sub(kept)),
            None => TEXT_ROOM,
        };
        let mut data = Vec::new();
        let mut size = 0usize;
        loop {
            let chunk = match field.chunk().await {
                Ok(Some(chunk)) => chunk,
                Ok(None) => break,
                Err(_) => {
                    form.refused = Some(AttachmentError::Incomplete);
                    return form;
                }
            };
            read += chunk.len();
            size += chunk.len();
            if read > hard_cap {
                form.refused.get_or_insert(AttachmentError::TotalTooBig {
                    max: limits.max_total_bytes,
                });
                return form;
            }
            if size <= room {
                data.extend_from_slice(&chunk);
            } else {
                data = Vec::new();
            }
        }
        match (name.as_str(), filename) {
            ("csrf_token", None) => form.csrf_token = String::from_utf8_lossy(&data).into_owned(),
            ("body", None) => {
                form.body = String::from_utf8_lossy(&data).replace("\r\n", "\n");
            }
            // A file input left empty still sends one nameless, empty part.
            ("attachments", Some(filename)) if filename.is_empty() && size == 0 => {}
            ("attachments", Some(filename)) => {
                let refused = if form.uploads.len() >= limits.max_files {
                    Some(AttachmentError::TooMany {
                        max: limits.max_files,
                    })
                } else if size > limits.max_file_bytes {
                    Some(AttachmentError::FileTooBig {
                        name: filename.clone(),
                        max: limits.max_file_bytes,
                    })
                } else if size > room {
                    Some(AttachmentError::TotalTooBig {
                        max: limits.max_total_bytes,
                    })
                } else {
                    None
                };
                match refused {
                    Some(e) => {
                        form.refused.get_or_insert(e);
                    }
                    None => {
                        kept += size;
                        form.uploads.push(Upload { filename, data });
                    }
                }
            }
            _ => {}
        }
    }
    form
}

pub(super) async fn reply(
    OwnConversation { me, conversation }: OwnConversation,
    State(state): State<AppState>,
    form: ReplyForm,
) -> Result<Response, WebError> {
    me.session.check_csrf(&form.csrf_token)?;
    let back = |notice: &str| {
        Redirect::to(&format!("/inbox/{}?notice={notice}", conversation.id)).into_response()
    };
    let body = form.body;
    if body.trim().is_empty() {
        return Ok(back("empty"));
    }
    if body.chars().count() > MAX_REPLY_CHARS {
        return Ok(back("too_long"));
    }
    let accepted = match form.refused {
        Some(e) => Err(e),
        None => attachments::accept(&state.settings.attachments, form.uploads),
    };
    let files = match accepted {
        Ok(files) => files,
        Err(e) => {
            // Nothing is sent; the seller gets the form back with the text.
            let draft = Draft {
                text: body,
                preview: None,
                attachment_error: Some(e.to_string()),
                ..Default::default()
            };
            let page = render_thread(&state, &me, &conversation, None, draft).await?;
            return Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    let sent = state
        .relay
        .seller_reply(
            me.seller,
            &conversation,
            SellerReply {
                subject: None,
                body: body.clone(),
                order_id: None,
                attachments: files,
                source: MessageSource::Web,
            },
        )
        .await;
    let stored = match sent {
        Err(RelayError::RateLimited(limited)) => {
            // Nothing was stored: the seller gets the form back with the text.
            let draft = Draft {
                text: body,
                reply_error: Some(limited.to_string()),
                ..Default::default()
            };
            let page = render_thread(&state, &me, &conversation, None, draft).await?;
            let retry_after = limited.retry_after_secs(time::OffsetDateTime::now_utc());
            return Ok((
                axum::http::StatusCode::TOO_MANY_REQUESTS,
                [(header::RETRY_AFTER, retry_after.to_string())],
                page,
            )
                .into_response());
        }
        other => other?,
    };
    Ok(back(match stored.status {
        MessageStatus::Held => "held",
        MessageStatus::Blocked | MessageStatus::Rejected => "blocked",
        _ => "queued",
    }))
}

/// "No response needed": for one buyer message (`message_id`), or for
/// the thread, every buyer message still unanswered.
#[derive(Deserialize)]
pub(super) struct NoResponseForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    message_id: String,
}

pub(super) async fn no_response(
    OwnConversation { me, conversation }: OwnConversation,
    State(state): State<AppState>,
    Form(form): Form<NoResponseForm>,
) -> Result<Redirect, WebError> {
    me.session.check_csrf(&form.csrf_token)?;
    if form.message_id.is_empty() {
        state
            .relay
            .mark_no_response_needed(me.seller, &conversation)
            .await?;
        return Ok(Redirect::to("/inbox?notice=closed"));
    }
    let message: MessageId = crate::web::parse_id(&form.message_id)?;
    // Only a message of the thread the form belongs to.
    let stored = state.store.messages().get_message(message).await?;
    if stored.conversation_id != conversation.id {
        return Err(WebError::NotFound);
    }
    state
        .relay
        .mark_no_response(NoResponseMarker::Seller(me.seller), message)
        .await?;
    Ok(Redirect::to(&format!(
        "/inbox/{}?notice=no_response",
        conversation.id
    )))
}
