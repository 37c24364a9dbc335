//! A seller's help domains in the console (`/console/sellers/{id}/help-domains`):
//! the domains whose links pass in that seller's messages to buyers, who
//! added each and when, and the forms that add one and remove one. Any
//! staff member may change them (there is no finer staff role); each change
//! is audited with their id, as the operator's through the API is. Each
//! form carries the version of the list the page showed: a change made
//! from a page older than the list is refused and the page shown again.

use askama::Template;
use axum::{
    Form,
    extract::{Path, Query, State},
    response::Redirect,
    routing::get,
};
use serde::Deserialize;
use time::OffsetDateTime;

use super::{
    Layout, Page, WebError, console::NoticeQuery, display_time, iso_time, parse_id,
    session::StaffSession,
};
use crate::{
    domain::{HelpDomain, MAX_HELP_DOMAINS, SellerId},
    http::AppState,
};

pub fn routes() -> super::Pages {
    super::Pages::default().route("/console/sellers/{id}/help-domains", get(show).post(change))
}

pub struct DomainRow {
    pub domain: String,
    pub added_by: String,
    pub added: String,
    pub added_iso: String,
}

#[derive(Template)]
#[template(path = "console/help_domains.html")]
struct HelpDomainsPage {
    layout: Layout,
    id: String,
    name: String,
    domains: Vec<DomainRow>,
    max_domains: usize,
    /// The version of the list shown, sent back by every form.
    version: i64,
    notice: Option<&'static str>,
}

async fn show(
    me: StaffSession,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(query): Query<NoticeQuery>,
) -> Result<Page<HelpDomainsPage>, WebError> {
    let id: SellerId = parse_id(&id)?;
    let seller = state.store.parties().get_seller(id).await?;
    let list = state.store.help_domains().help_domain_list(id).await?;
    Ok(Page(HelpDomainsPage {
        layout: me.layout(&state).await?,
        id: id.to_string(),
        name: seller.name,
        version: list.version,
        domains: list
            .domains
            .into_iter()
            .map(|d| DomainRow {
                domain: d.domain.to_string(),
                added_by: d.added_by,
                added: display_time(d.added_at),
                added_iso: iso_time(d.added_at),
            })
            .collect(),
        max_domains: MAX_HELP_DOMAINS,
        notice: match query.notice.as_str() {
            "added" => {
                Some("Added: links to it and its subdomains pass in this seller's messages.")
            }
            "removed" => {
                Some("Removed: links to it are judged like any other from the next message.")
            }
            "invalid" => Some(
                "Not added: give a bare domain such as help.example.com; schemes, paths, \
                 addresses and public suffixes such as co.uk are refused.",
            ),
            "too_many" => Some("Not added: the seller has as many help domains as allowed."),
            "stale" => Some(
                "Not saved: someone else changed this seller's help domains since you opened \
                 the page. Here is the list as it is now; make your change again if it is \
                 still needed.",
            ),
            _ => None,
        },
    }))
}

#[derive(Deserialize)]
struct ChangeForm {
    #[serde(default)]
    action: String,
    #[serde(default)]
    domain: String,
    #[serde(default)]
    csrf_token: String,
    /// The version of the list the page showed; a form without one saves
    /// over whatever is there.
    #[serde(default)]
    version: Option<i64>,
}

async fn change(
    me: StaffSession,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Form(form): Form<ChangeForm>,
) -> Result<Redirect, WebError> {
    me.session.check_csrf(&form.csrf_token)?;
    let id: SellerId = parse_id(&id)?;
    let back = |notice: &str| {
        Redirect::to(&format!(
            "/console/sellers/{id}/help-domains?notice={notice}"
        ))
    };
    let suffixes = state.public_suffixes.current();
    let Ok(domain) = HelpDomain::parse_with(&form.domain, suffixes.get()) else {
        return Ok(back("invalid"));
    };
    let list = state.store.help_domains().help_domain_list(id).await?;
    if form.version.is_some_and(|read| read != list.version) {
        return Ok(back("stale"));
    }
    let mut domains: Vec<HelpDomain> = list.domains.into_iter().map(|d| d.domain).collect();
    let notice = match form.action.as_str() {
        "add" if domains.contains(&domain) => "added",
        "add" if domains.len() >= MAX_HELP_DOMAINS => return Ok(back("too_many")),
        "add" => {
            domains.push(domain);
            "added"
        }
        "remove" => {
            domains.retain(|d| d != &domain);
            "removed"
        }
        _ => return Err(WebError::NotFound),
    };
    // The list is replaced only if it is still the one read here: a save
    // landing in between makes this one stale too.
    let saved = state
        .store
        .help_domains()
        .replace_help_domains(
            id,
            &domains,
            ("staff", Some(me.staff.to_string())),
            OffsetDateTime::now_utc(),
            Some(list.version),
        )
        .await?;
    if saved.is_err() {
        return Ok(back("stale"));
    }
    tracing::info!(seller_id = %id, staff_id = %me.staff, domains = domains.len(), "help domains changed in the console");
    Ok(back(notice))
}
