//! `GET` and `PUT /api/v1/sellers/{id}/allowed-domains`: the operator keeps
//! each seller's help domains, the domains whose links (subdomains
//! included) pass in that seller's messages to buyers: manuals and
//! troubleshooting guides. A buyer's messages and other sellers' are
//! judged without them.

use axum::extract::{Path, State};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use super::parse_id;
use crate::{
    domain::{HelpDomain, MAX_HELP_DOMAINS, PublicSuffixes, SellerHelpDomain, SellerId},
    http::{
        auth::Operator,
        error::{ApiError, AppJson},
        state::AppState,
    },
    store::help_domains::{HelpDomainList, StaleHelpDomains},
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(allowed_domains, replace_allowed_domains))
}

/// The seller's whole list.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct ReplaceAllowedDomains {
    /// Bare domains ("manuals.acme.de", "acme.co.uk"), at most 20. Each
    /// covers its subdomains. Upper case and Unicode names are accepted and
    /// stored lower-case in punycode; a repeated domain counts once. An
    /// empty list removes them all.
    #[schema(example = json!(["manuals.acme.de"]))]
    domains: Vec<String>,
    /// The `version` of the list this one was made from (as `GET` gave
    /// it): the list is replaced only if it is still at that version, else
    /// 409 `stale_version` and nothing changes. Without it the list given
    /// replaces whatever is there.
    #[serde(default)]
    #[schema(example = 3)]
    version: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub(super) struct AllowedDomain {
    /// Lower-case, punycode for international names.
    #[schema(example = "manuals.acme.de")]
    domain: String,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    added_at: OffsetDateTime,
    /// Who added it: `operator`.
    added_by: String,
}

#[derive(Serialize, ToSchema)]
struct AllowedDomains {
    seller_id: Uuid,
    /// In alphabetical order.
    domains: Vec<AllowedDomain>,
    /// How many domains a seller may have.
    #[schema(example = 20)]
    max_domains: usize,
    /// The list's version, raised by every change to it; send it back with
    /// `PUT` so that a save made from an older list is refused.
    #[schema(example = 3)]
    version: i64,
}

impl From<SellerHelpDomain> for AllowedDomain {
    fn from(d: SellerHelpDomain) -> Self {
        Self {
            domain: d.domain.to_string(),
            added_at: d.added_at,
            added_by: d.added_by,
        }
    }
}

fn view(seller: SellerId, list: HelpDomainList) -> AppJson<AllowedDomains> {
    AppJson(AllowedDomains {
        seller_id: seller.0,
        domains: list.domains.into_iter().map(AllowedDomain::from).collect(),
        max_domains: MAX_HELP_DOMAINS,
        version: list.version,
    })
}

/// What a save made from an older list is told, by the API and the console.
pub(crate) fn stale_message(read: i64, stale: StaleHelpDomains) -> String {
    format!(
        "the seller's help domains changed since version {read} was read (now version {}): \
         nothing was saved; read them again and retry",
        stale.current
    )
}

/// Each entry parsed against the Public Suffix List in force, in order,
/// repeats dropped; the first bad one named. The API's and the console's.
pub(crate) fn parse_domains(
    raw: &[String],
    suffixes: &PublicSuffixes,
) -> Result<Vec<HelpDomain>, ApiError> {
    let mut domains: Vec<HelpDomain> = Vec::new();
    for entry in raw {
        let domain = HelpDomain::parse_with(entry, suffixes).map_err(|e| {
            ApiError::invalid(
                "invalid_domain",
                format!(
                    "domains: {:?} is refused: {e}",
                    entry.chars().take(100).collect::<String>()
                ),
            )
        })?;
        if !domains.contains(&domain) {
            domains.push(domain);
        }
    }
    if domains.len() > MAX_HELP_DOMAINS {
        return Err(ApiError::invalid(
            "too_many_domains",
            format!("domains: at most {MAX_HELP_DOMAINS} per seller"),
        ));
    }
    Ok(domains)
}

/// A seller's help domains
///
/// Roles: operator. The domains whose links pass in the seller's messages
/// to buyers, besides the marketplace's own (`[allowlist]` in the policy).
#[utoipa::path(
    get,
    path = "/api/v1/sellers/{id}/allowed-domains",
    tag = "parties",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The seller's id")),
    responses((status = 200, description = "The seller's list", body = AllowedDomains))
)]
async fn allowed_domains(
    _: Operator,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<AppJson<AllowedDomains>, ApiError> {
    let id: SellerId = parse_id(&id)?;
    let list = state.store.help_domains().help_domain_list(id).await?;
    Ok(view(id, list))
}

/// Replace a seller's help domains
///
/// Roles: operator. The list given becomes the seller's: links to these
/// domains and their subdomains pass in the seller's messages to buyers
/// from the next message on; a buyer's messages and other sellers' are
/// judged without them. They excuse links only: an email address on such a
/// domain is still removed, and a message asking for card details or a
/// code is still blocked. A domain already listed keeps when it was added.
/// Audited as `seller.help_domains_changed` when the list changes. Send
/// the `version` the list was read at so that two saves racing cannot
/// overwrite each other unseen: the later one gets 409 `stale_version`.
#[utoipa::path(
    put,
    path = "/api/v1/sellers/{id}/allowed-domains",
    tag = "parties",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The seller's id")),
    request_body = ReplaceAllowedDomains,
    responses(
        (status = 200, description = "The seller's new list", body = AllowedDomains),
        (status = 400, description = "`invalid_domain`: an entry is not a bare registrable domain (a scheme, path, port, wildcard, IP address, public suffix such as `com` or `co.uk`, or unknown top-level domain), or `too_many_domains`: more than 20", body = super::openapi::Error),
        (status = 409, description = "`stale_version`: the list changed since the `version` given was read; nothing was saved", body = super::openapi::Error),
    )
)]
async fn replace_allowed_domains(
    _: Operator,
    State(state): State<AppState>,
    Path(id): Path<String>,
    AppJson(body): AppJson<ReplaceAllowedDomains>,
) -> Result<AppJson<AllowedDomains>, ApiError> {
    let id: SellerId = parse_id(&id)?;
    let domains = parse_domains(&body.domains, state.public_suffixes.current().get())?;
    let stored = state
        .store
        .help_domains()
        .replace_help_domains(
            id,
            &domains,
            ("operator", None),
            OffsetDateTime::now_utc(),
            body.version,
        )
        .await?
        .map_err(|stale| ApiError::Conflict {
            code: "stale_version",
            message: stale_message(body.version.unwrap_or_default(), stale),
        })?;
    tracing::info!(seller_id = %id, domains = stored.domains.len(), version = stored.version, "help domains replaced");
    Ok(view(id, stored))
}
