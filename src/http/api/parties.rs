//! `POST /api/v1/sellers` and `POST /api/v1/staff`: the operator registers
//! the people who use marketrelay and receives their API tokens once.

use axum::{extract::State, http::StatusCode};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::{
    domain::{ApiToken, EmailAddress, LanguageTag},
    http::{
        auth::Operator,
        error::{ApiError, AppJson, single_line},
        state::AppState,
    },
    store::{NewSeller, NewStaff, StoreError},
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_seller))
        .routes(routes!(create_staff))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct CreateSeller {
    /// One line, at most 200 characters.
    name: String,
    /// The seller's real mailbox; never shown to buyers.
    #[schema(format = "email", example = "shop@example.com")]
    email: String,
    /// The marketplace's own id for the seller; unique when given.
    external_id: Option<String>,
    /// ISO 3166 alpha-2 country, a hint for reading national phone numbers.
    #[schema(example = "DE")]
    country: Option<String>,
    /// BCP 47 tag of the language the seller reads (`de`, `pt-BR`): notices and warnings to the seller
    /// are written in it. A language without a catalogue, or none, falls
    /// back to the country's language, then English.
    #[schema(example = "de")]
    language: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct CreateStaff {
    /// One line, at most 200 characters.
    name: String,
    #[schema(format = "email", example = "moderator@example.com")]
    email: String,
}

/// A registered seller or staff member and their API token.
#[derive(Serialize, ToSchema)]
struct Created {
    id: Uuid,
    /// Shown once; only its hash is stored.
    api_token: String,
}

pub fn parse_name(name: &str) -> Result<String, ApiError> {
    let name = single_line("name", "invalid_name", name, 200)?;
    if name.is_empty() {
        return Err(ApiError::invalid("invalid_name", "name must not be empty"));
    }
    Ok(name)
}

pub fn parse_email(email: &str, relay_domain: &str) -> Result<EmailAddress, ApiError> {
    let email = EmailAddress::parse(email)
        .map_err(|e| ApiError::invalid("invalid_email", format!("email: {e}")))?;
    // A relay address as a party's real address would make mail loop.
    if email.domain() == relay_domain {
        return Err(ApiError::invalid(
            "invalid_email",
            "email must be a real mailbox, not an address in the relay domain",
        ));
    }
    Ok(email)
}

/// An ISO 3166 alpha-2 code, uppercased; an empty value means unknown.
pub fn parse_country(country: Option<&str>) -> Result<Option<String>, ApiError> {
    let Some(c) = country.map(str::trim).filter(|c| !c.is_empty()) else {
        return Ok(None);
    };
    let c = c.to_ascii_uppercase();
    if c.len() != 2 || !c.chars().all(|ch| ch.is_ascii_uppercase()) {
        return Err(ApiError::invalid(
            "invalid_country",
            format!("{c:?} is not a two-letter ISO 3166 country code"),
        ));
    }
    Ok(Some(c))
}

/// A well-formed BCP 47 tag, in canonical case; an empty value means unknown.
pub fn parse_language(language: Option<&str>) -> Result<Option<String>, ApiError> {
    let Some(tag) = language.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    LanguageTag::parse(tag)
        .map(|t| Some(t.as_str().to_owned()))
        .map_err(|e| ApiError::invalid("invalid_language", e.to_string()))
}

pub fn parse_external_id(id: Option<&str>) -> Result<Option<String>, ApiError> {
    id.map(|v| single_line("external_id", "invalid_external_id", v, 200))
        .transpose()
        .map(|v| v.filter(|s| !s.is_empty()))
}

/// Register a seller
///
/// Roles: operator. The seller's API token is in the answer and nowhere else.
#[utoipa::path(
    post,
    path = "/api/v1/sellers",
    tag = "parties",
    security(("bearer" = [])),
    request_body = CreateSeller,
    responses(
        (status = 201, description = "Registered", body = Created),
        (status = 400, description = "`invalid_name`, `invalid_email`, `invalid_external_id`, `invalid_country`, `invalid_language`, `invalid_json` or `invalid_request`", body = super::openapi::Error),
        (status = 409, description = "`seller_exists`: the email or external id is taken", body = super::openapi::Error),
    )
)]
async fn create_seller(
    _: Operator,
    State(state): State<AppState>,
    AppJson(body): AppJson<CreateSeller>,
) -> Result<(StatusCode, AppJson<Created>), ApiError> {
    let new = NewSeller {
        name: parse_name(&body.name)?,
        email: parse_email(&body.email, &state.settings.relay_domain)?,
        external_id: parse_external_id(body.external_id.as_deref())?,
        country: parse_country(body.country.as_deref())?,
        language: parse_language(body.language.as_deref())?,
    };
    let token = ApiToken::generate();
    let seller = state
        .store
        .parties()
        .create_seller(&new, &token.hash())
        .await
        .map_err(|e| match e {
            StoreError::Conflict(what) => ApiError::Conflict {
                code: "seller_exists",
                message: format!(
                    "a seller with this {} already exists",
                    conflict_field(&what)
                ),
            },
            other => other.into(),
        })?;
    tracing::info!(seller_id = %seller.id, "seller registered");
    Ok((
        StatusCode::CREATED,
        AppJson(Created {
            id: seller.id.0,
            api_token: token.expose().to_owned(),
        }),
    ))
}

/// Register a trust-and-safety staff member
///
/// Roles: operator. The staff member's API token is in the answer and nowhere else.
#[utoipa::path(
    post,
    path = "/api/v1/staff",
    tag = "parties",
    security(("bearer" = [])),
    request_body = CreateStaff,
    responses(
        (status = 201, description = "Registered", body = Created),
        (status = 400, description = "`invalid_name`, `invalid_email`, `invalid_json` or `invalid_request`", body = super::openapi::Error),
        (status = 409, description = "`staff_exists`: the email is taken", body = super::openapi::Error),
    )
)]
async fn create_staff(
    _: Operator,
    State(state): State<AppState>,
    AppJson(body): AppJson<CreateStaff>,
) -> Result<(StatusCode, AppJson<Created>), ApiError> {
    let new = NewStaff {
        name: parse_name(&body.name)?,
        email: parse_email(&body.email, &state.settings.relay_domain)?,
    };
    let token = ApiToken::generate();
    let staff = state
        .store
        .parties()
        .create_staff(&new, &token.hash())
        .await
        .map_err(|e| match e {
            StoreError::Conflict(_) => ApiError::Conflict {
                code: "staff_exists",
                message: "a staff member with this email already exists".into(),
            },
            other => other.into(),
        })?;
    tracing::info!(staff_id = %staff.id, "staff member registered");
    Ok((
        StatusCode::CREATED,
        AppJson(Created {
            id: staff.id.0,
            api_token: token.expose().to_owned(),
        }),
    ))
}

fn conflict_field(what: &str) -> &'static str {
    if what.contains("external") {
        "external_id"
    } else {
        "email"
    }
}
