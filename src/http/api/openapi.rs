//! `GET /api/v1/openapi.json`: the OpenAPI document of the whole API,
//! generated from the handlers' annotations (see the module comment of
//! `http::api` for how a route gets documented).

use std::sync::LazyLock;

use axum::{http::header, response::IntoResponse};
use serde_json::json;
use utoipa::{
    OpenApi, ToSchema,
    openapi::{
        ContentBuilder, OpenApi as Document, Ref, RefOr, Required, ResponseBuilder,
        path::{Operation, ParameterIn},
        security::{HttpAuthScheme, HttpBuilder, SecurityScheme},
    },
};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::http::state::AppState;

/// The envelope of every API error.
#[derive(ToSchema)]
#[schema(example = json!({ "error": { "code": "invalid_email", "message": "email: not an email address" } }))]
pub struct Error {
    pub error: ErrorDetail,
}

#[derive(ToSchema)]
pub struct ErrorDetail {
    /// Stable and machine-readable, e.g. `unauthorized`, `forbidden`,
    /// `not_found`, `invalid_json`, `invalid_request`, `conflict`,
    /// `invalid_state`, `unavailable`, `internal`, or one a route names.
    #[schema(example = "not_found")]
    pub code: String,
    /// For people; may change between versions.
    pub message: String,
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "marketrelay",
        description = "Masked buyer-seller inbox: relay addresses, policy filter, consent, \
            moderation, audit. Callers authenticate with `Authorization: Bearer <token>`: \
            the operator (the marketplace backend) with its configured token, sellers and \
            staff with the tokens the operator received when registering them. Errors are \
            `{\"error\":{\"code\",\"message\"}}`."
    ),
    components(schemas(Error)),
    tags(
        (name = "operations", description = "Health and this document"),
        (name = "parties", description = "Sellers and staff, registered by the operator"),
        (name = "conversations", description = "Conversations and their messages"),
        (name = "consent", description = "The buyer's consent to share contact details"),
        (name = "messages", description = "Single messages"),
        (name = "review", description = "The staff review queue"),
        (name = "moderation", description = "Blocking conversations, suspending sellers, warnings and the seller review queue"),
        (name = "policy", description = "The contact-detail filter"),
        (name = "audit", description = "The append-only trail"),
        (name = "reports", description = "Buyers' reports of messages"),
        (name = "links", description = "Signed links in mail that clients call: one-click unsubscription"),
    )
)]
struct ApiDoc;

/// The document's head (info, tags, shared schemas) that routes are merged into.
pub fn base() -> Document {
    ApiDoc::openapi()
}

/// The complete document: every route of [`super::router`], with the
/// errors every route of a kind can give.
pub fn document() -> Document {
    let mut doc = super::router().split_for_parts().1;
    doc.components
        .get_or_insert_with(Default::default)
        .add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "The operator's, a seller's or a staff member's API token",
                    ))
                    .build(),
            ),
        );
    for item in doc.paths.paths.values_mut() {
        for op in [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
        ]
        .into_iter()
        .flatten()
        {
            add_common_errors(op);
            add_error_examples(op);
            // Handler names repeat across modules (`list`); the tag tells them apart.
            if let (Some(id), Some(tag)) = (&mut op.operation_id, op.tags.iter().flatten().next()) {
                *id = format!("{tag}.{id}");
            }
        }
    }
    // The signed links in mail are pages, and answer in HTML, errors too;
    // mail clients call the opt-out link as an endpoint (RFC 8058), so it
    // is documented here, as its handlers describe it.
    doc.merge(
        OpenApiRouter::<AppState>::new()
            .routes(routes!(
                crate::web::report::show_opt_out,
                crate::web::report::set_opt_out
            ))
            .split_for_parts()
            .1,
    );
    doc
}

/// Adds the errors that follow from what an operation takes, unless the
/// handler documents that status itself.
fn add_common_errors(op: &mut Operation) {
    let needs_token = serde_json::to_value(&op.security)
        .map(|s| s.to_string().contains("bearer"))
        .unwrap_or(false);
    // An optional body (the buyer's revoke) is read leniently, not as `AppJson`.
    let takes_json = op.request_body.as_ref().is_some_and(|body| match body {
        RefOr::T(body) => body.required == Some(Required::True),
        RefOr::Ref(_) => true,
    });
    let takes_id = op.parameters.iter().flatten().any(|p| match p {
        RefOr::T(p) => p.parameter_in == ParameterIn::Path,
        RefOr::Ref(_) => false,
    });
    let common: [(bool, &str, &str, &str); 8] = [
        (
            needs_token,
            "401",
            "unauthorized",
            "Missing, malformed or unknown bearer token",
        ),
        (
            needs_token,
            "403",
            "forbidden",
            "The token's role may not call this route",
        ),
        (
            takes_json,
            "400",
            "invalid_json",
            "The body is not JSON (`invalid_json`) or does not fit the schema (`invalid_request`), or a field is invalid",
        ),
        (
            takes_json,
            "413",
            "payload_too_large",
            "The body is larger than allowed",
        ),
        (
            takes_json,
            "415",
            "unsupported_media_type",
            "The body was not sent as `Content-Type: application/json`",
        ),
        (
            takes_id,
            "404",
            "not_found",
            "No such record, or one the caller may not see",
        ),
        (
            true,
            "500",
            "internal",
            "An unexpected failure; it is logged",
        ),
        (
            true,
            "503",
            "unavailable",
            "The database is not answering; try again shortly",
        ),
    ];
    for (applies, status, code, description) in common {
        if applies && !op.responses.responses.contains_key(status) {
            op.responses
                .responses
                .insert(status.to_owned(), error_response(code, description).into());
        }
    }
}

/// A handler's own error responses name their codes in backquotes, the
/// first of which becomes the example.
fn add_error_examples(op: &mut Operation) {
    for response in op.responses.responses.values_mut() {
        let RefOr::T(response) = response else {
            continue;
        };
        let Some(code) = response.description.split('`').nth(1).map(str::to_owned) else {
            continue;
        };
        let message = response.description.clone();
        for content in response.content.values_mut() {
            if let RefOr::T(content) = content
                && content.example.is_none()
                && matches!(&content.schema, Some(RefOr::Ref(r)) if r.ref_location.ends_with("/Error"))
            {
                content.example = Some(json!({ "error": { "code": code, "message": message } }));
            }
        }
    }
}

fn error_response(code: &str, description: &str) -> utoipa::openapi::Response {
    ResponseBuilder::new()
        .description(description)
        .content(
            "application/json",
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("Error")))
                .example(Some(
                    json!({ "error": { "code": code, "message": description } }),
                ))
                .build(),
        )
        .build()
}

/// Built once: the routes do not change while the process runs.
static DOCUMENT: LazyLock<String> = LazyLock::new(|| {
    document().to_json().unwrap_or_else(|e| {
        json!({ "error": { "code": "internal", "message": e.to_string() } }).to_string()
    })
});

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(openapi_json))
}

/// This document
///
/// No token needed. The page at `/api/docs` renders it.
#[utoipa::path(
    get,
    path = "/api/v1/openapi.json",
    tag = "operations",
    responses((status = 200, description = "OpenAPI 3.1 document", content_type = "application/json", body = Object))
)]
async fn openapi_json() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "application/json")],
        DOCUMENT.as_str(),
    )
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    fn doc() -> Value {
        serde_json::from_str(&super::DOCUMENT).expect("valid JSON")
    }

    fn operations(doc: &Value) -> Vec<(String, String, Value)> {
        let mut ops = Vec::new();
        for (path, item) in doc["paths"].as_object().unwrap() {
            for (method, op) in item.as_object().unwrap() {
                ops.push((method.clone(), path.clone(), op.clone()));
            }
        }
        ops
    }

    /// Every route says what it does, who may call it, and what it answers.
    #[test]
    fn every_operation_has_summary_roles_and_responses() {
        let doc = doc();
        assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
        let ops = operations(&doc);
        assert!(ops.len() >= 25, "only {} operations", ops.len());
        let public = [
            "/healthz",
            "/readyz",
            "/api/v1/openapi.json",
            "/opt-out/{token}",
        ];
        // The signed link that mail clients call is a page.
        let pages = ["/opt-out/{token}"];
        // Probes answer 503 with their own report, not an error envelope.
        let probes = ["/healthz", "/readyz"];
        for (method, path, op) in &ops {
            let what = format!("{method} {path}");
            assert!(
                op["summary"].as_str().is_some_and(|s| !s.is_empty()),
                "{what}: summary"
            );
            let description = op["description"].as_str().unwrap_or_default();
            let security = op["security"].to_string();
            if public.contains(&path.as_str()) {
                assert_eq!(op["security"], Value::Null, "{what} needs no token");
            } else {
                assert!(security.contains("bearer"), "{what}: bearer security");
                assert!(
                    description.contains("Role"),
                    "{what}: say which roles may call it"
                );
                for status in ["401", "403"] {
                    assert!(op["responses"][status].is_object(), "{what}: {status}");
                }
            }
            assert!(
                op["responses"]
                    .as_object()
                    .unwrap()
                    .keys()
                    .any(|s| s.starts_with('2')),
                "{what}: a success response"
            );
            if path.contains("{id}") {
                let params = op["parameters"].to_string();
                assert!(params.contains("\"in\":\"path\""), "{what}: path parameter");
                assert!(op["responses"]["404"].is_object(), "{what}: 404");
            }
            for (status, response) in op["responses"].as_object().unwrap() {
                if pages.contains(&path.as_str()) {
                    // A page answers in HTML, errors too.
                    assert!(
                        response["content"]["text/html"].is_object(),
                        "{what} {status}"
                    );
                } else if status.starts_with('4')
                    || status.starts_with('5') && !probes.contains(&path.as_str())
                {
                    let schema = response["content"]["application/json"]["schema"]["$ref"].as_str();
                    assert_eq!(
                        schema,
                        Some("#/components/schemas/Error"),
                        "{what} {status}"
                    );
                }
            }
        }
    }

    /// Clients generate method names from operation ids.
    #[test]
    fn operation_ids_are_unique() {
        let doc = doc();
        let mut ids: Vec<String> = operations(&doc)
            .iter()
            .map(|(_, _, op)| op["operationId"].as_str().unwrap().to_owned())
            .collect();
        let count = ids.len();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), count, "{ids:?}");
    }

    /// Every error response shows an example with a code.
    #[test]
    fn every_error_response_has_an_example_code() {
        let doc = doc();
        for (method, path, op) in operations(&doc) {
            for (status, response) in op["responses"].as_object().unwrap() {
                let content = &response["content"]["application/json"];
                if content["schema"]["$ref"] == "#/components/schemas/Error" {
                    let code = content["example"]["error"]["code"]
                        .as_str()
                        .unwrap_or_default();
                    assert!(
                        !code.is_empty() && !code.contains(' '),
                        "{method} {path} {status}: example code {code:?}"
                    );
                }
            }
        }
    }

    /// Every `$ref` names a schema the document defines.
    #[test]
    fn every_reference_resolves() {
        let doc = doc();
        let text = doc.to_string();
        let schemas = doc["components"]["schemas"].as_object().unwrap();
        for part in text.split("\"#/components/schemas/").skip(1) {
            let name = &part[..part.find('"').unwrap()];
            assert!(schemas.contains_key(name), "dangling $ref to {name}");
        }
    }

    /// Routes reach the router only through `routes!`, which documents them;
    /// a plain `.route(` in an API module would serve an undocumented route.
    #[test]
    fn api_modules_register_routes_only_through_routes_macro() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/http/api");
        let mut checked = 0;
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "rs") {
                let source = std::fs::read_to_string(&path).unwrap();
                for method in [".route", ".route_service", ".nest"] {
                    let forbidden = format!("{method}(\"/");
                    let found = source
                        .lines()
                        .filter(|l| !l.trim_start().starts_with("//"))
                        .any(|l| l.contains(&forbidden));
                    assert!(
                        !found,
                        "{} uses {forbidden}; register routes with routes! (see http::api)",
                        path.display()
                    );
                }
                checked += 1;
            }
        }
        assert!(checked >= 12);
    }
}
