//! What the policy would do with a draft: the form's Preview button and
//! the live preview the script asks for while the seller types.

use axum::{extract::State, http::HeaderMap};
use serde::{Deserialize, Serialize};

use super::{
    OwnConversation,
    reply::ReplyForm,
    thread::{Draft, ThreadPage, render_thread},
};
use crate::web::{Page, Segment, WebError, marked_segments};
use crate::{
    domain::{Action, Conversation},
    http::{
        AppState,
        error::{ApiError, AppJson},
    },
    mime::Attachment,
    policy::FindingKind,
    relay::{
        attachments::{self},
        judge::Judgement,
        seller_reply::MAX_REPLY_CHARS,
    },
};

/// What the policy would do with a draft, shown before sending.
pub struct Preview {
    pub verdict: &'static str,
    pub held: bool,
    pub marked: Vec<Segment>,
    pub delivered: String,
    pub rules: Vec<String>,
}

impl Preview {
    pub fn new(draft: &str, judged: &Judgement) -> Self {
        Self {
            verdict: verdict(judged.action),
            held: judged.action >= Action::Hold,
            marked: marked_segments(draft, &judged.findings),
            delivered: judged.text.clone(),
            rules: judged.rules(),
        }
    }
}

pub(super) fn verdict(action: Action) -> &'static str {
    match action {
        Action::Deliver => "Nothing would be changed: the buyer gets your text as written.",
        Action::Redact => "The marked parts would be removed before delivery.",
        Action::Hold => "This reply would be held for review by the marketplace before delivery.",
        Action::Block => "This reply would be blocked and not delivered.",
    }
}

/// What the policy would do with a draft reply and its files: the same
/// evaluation as sending it (`Relay::judge_seller_reply`), with nothing
/// stored; the files' names and text count towards the verdict.
pub(super) async fn judge_draft(
    state: &AppState,
    conversation: &Conversation,
    draft: &str,
    files: Vec<Attachment>,
) -> Result<Judgement, WebError> {
    let (judged, _) = state
        .relay
        .judge_seller_reply(conversation, String::new(), draft.to_owned(), files)
        .await?;
    Ok(judged)
}

/// Shows what the policy would remove or hold in a draft, without sending
/// it: the server-rendered preview that works without JavaScript. Files
/// are checked against the limits but not kept: the browser sends them
/// again with the reply.
pub(super) async fn preview(
    OwnConversation { me, conversation }: OwnConversation,
    State(state): State<AppState>,
    form: ReplyForm,
) -> Result<Page<ThreadPage>, WebError> {
    me.session.check_csrf(&form.csrf_token)?;
    let text: String = form.body.chars().take(MAX_REPLY_CHARS).collect();
    let accepted = match form.refused {
        Some(e) => Err(e),
        None => attachments::accept(&state.settings.attachments, form.uploads),
    };
    let (files, attachment_error) = match accepted {
        Ok(files) => (files, None),
        Err(e) => (Vec::new(), Some(e.to_string())),
    };
    let judged = judge_draft(&state, &conversation, &text, files).await?;
    let draft = Draft {
        preview: Some(Preview::new(&text, &judged)),
        text,
        attachment_error,
        ..Default::default()
    };
    render_thread(&state, &me, &conversation, None, draft).await
}

/// The header the live preview script sends the session's CSRF token in,
/// copied from the reply form's hidden field.
pub const CSRF_HEADER: &str = "x-csrf-token";

#[derive(Deserialize)]
pub(super) struct LivePreviewRequest {
    body: String,
}

/// One finding in the draft, at character offsets (Unicode scalar values).
#[derive(Serialize)]
pub(super) struct LiveFinding {
    rule: String,
    kind: FindingKind,
    action: Action,
    start: usize,
    end: usize,
    text: String,
    removed: bool,
}

/// A run of the draft: findings carry their rule, so a script can mark them
/// without counting characters itself.
#[derive(Serialize)]
pub(super) struct LiveSegment {
    text: String,
    rule: Option<String>,
}

#[derive(Serialize)]
pub(super) struct LivePreview {
    action: Action,
    verdict: &'static str,
    held: bool,
    rules: Vec<String>,
    findings: Vec<LiveFinding>,
    marked: Vec<LiveSegment>,
    delivered: String,
}

/// The preview as JSON for the reply form's script, checked while the seller
/// types: same session, CSRF token and evaluation as the form's preview.
pub(super) async fn live_preview(
    own: Result<OwnConversation, WebError>,
    State(state): State<AppState>,
    headers: HeaderMap,
    request: Result<AppJson<LivePreviewRequest>, ApiError>,
) -> Result<AppJson<LivePreview>, ApiError> {
    let OwnConversation { me, conversation } = own?;
    let presented = headers
        .get(CSRF_HEADER)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    me.session.check_csrf(presented)?;
    let AppJson(request) = request?;
    if request.body.chars().count() > MAX_REPLY_CHARS {
        return Err(ApiError::invalid(
            "too_long",
            format!("a reply is at most {MAX_REPLY_CHARS} characters"),
        ));
    }
    let draft = request.body;
    let judged = judge_draft(&state, &conversation, &draft, Vec::new()).await?;
    let preview = Preview::new(&draft, &judged);
    let chars: Vec<char> = draft.chars().collect();
    let findings = judged
        .findings
        .iter()
        .filter(|f| f.field == crate::domain::FindingField::Text)
        .map(|f| {
            // Clamped like the marked runs: offsets are never trusted to index.
            let end = f.finding.end.min(chars.len());
            let span = f.finding.start.min(end)..end;
            LiveFinding {
                rule: f.finding.rule.clone(),
                kind: f.finding.kind,
                action: f.finding.action,
                start: f.finding.start,
                end: f.finding.end,
                text: chars[span].iter().collect(),
                removed: f.removed,
            }
        })
        .collect();
    Ok(AppJson(LivePreview {
        action: judged.action,
        verdict: preview.verdict,
        held: preview.held,
        rules: preview.rules,
        findings,
        marked: preview
            .marked
            .into_iter()
            .map(|s| LiveSegment {
                text: s.text,
                rule: s.finding,
            })
            .collect(),
        delivered: preview.delivered,
    }))
}
