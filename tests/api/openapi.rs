//! The generated OpenAPI document against the running service: every
//! documented route is served, nothing else is served on its paths, real
//! responses fit the documented schemas field by field, and the docs page
//! works with nothing loaded from elsewhere.

use reqwest::Method;
use serde_json::{Map, Value, json};

use crate::helpers::{Backend, OPERATOR_TOKEN, TestApp, buyer_mail, queued_id, spawn_app};

crate::on_both_backends!(real_responses_fit_the_documented_schemas);

const SOME_ID: &str = "0196a5a1-0000-7000-8000-000000000000";

async fn document(app: &TestApp) -> Value {
    crate::helpers::openapi_document(app).await
}

#[tokio::test]
async fn documented_routes_are_served_and_no_others_on_their_paths() {
    let app = spawn_app(Backend::Sqlite).await;
    let doc = document(&app).await;
    assert_eq!(
        doc,
        serde_json::to_value(marketrelay::http::api::openapi::document()).unwrap(),
        "the served document is the one built from the router"
    );
    let paths = doc["paths"].as_object().unwrap();
    for path in [
        "/healthz",
        "/api/v1/conversations/{id}/messages",
        "/api/v1/audit",
    ] {
        assert!(paths.contains_key(path), "{path} is documented");
    }
    for (path, item) in paths {
        let url = app.url(&path.replace("{id}", SOME_ID));
        for method in ["get", "post", "put", "patch", "delete"] {
            let r = app
                .client
                .request(method.to_uppercase().parse().unwrap(), &url)
                .bearer_auth(OPERATOR_TOKEN)
                .json(&json!({}))
                .send()
                .await
                .unwrap();
            let status = r.status().as_u16();
            let body: Value = r.json().await.unwrap_or(Value::Null);
            if item.get(method).is_some() {
                assert_ne!(status, 405, "{method} {path} is documented but not served");
                assert_ne!(
                    body["error"]["message"], "no such endpoint",
                    "{method} {path} is documented but not served"
                );
            } else {
                assert_eq!(status, 405, "{method} {path} is served but not documented");
            }
        }
    }
}

/// Real answers, each checked against the schema documented for its
/// method, path and status.
async fn real_responses_fit_the_documented_schemas(backend: Backend) {
    let app = spawn_app(backend).await;
    let doc = document(&app).await;
    let api = Api {
        app: &app,
        doc: &doc,
    };
    let op = OPERATOR_TOKEN;
    let seller =
        json!({ "name": "Gadget Shop", "email": "owner@gadgetshop.example", "country": "DE" });
    let seller = api
        .call("post", "/api/v1/sellers", "", op, Some(seller), 201)
        .await;
    let staff = json!({ "name": "Mo Derator", "email": "mo@marketplace.example" });
    let staff = api
        .call("post", "/api/v1/staff", "", op, Some(staff), 201)
        .await;
    let (seller_id, seller) = (text(&seller["id"]), text(&seller["api_token"]));
    let (staff_id, staff) = (text(&staff["id"]), text(&staff["api_token"]));
    let new = json!({
        "seller_id": seller_id,
        "buyer": { "email": "jane@mail.example", "name": "Jane", "phone": "+491701234567" },
        "order_id": "123-1234567-1234567",
    });
    let conversation = api
        .call(
            "post",
            "/api/v1/conversations",
            "",
            op,
            Some(new.clone()),
            201,
        )
        .await;
    let id = text(&conversation["id"]);
    // Mail from the buyer, so staff views carry sender authentication results.
    let seller_alias = text(&conversation["seller_alias"]);
    let mail = buyer_mail("jane@mail.example", &seller_alias, "Hello", "Still there?");
    let queued = app
        .send_mail("jane@mail.example", &seller_alias, &mail)
        .await;
    assert!(queued.starts_with("250"), "{queued}");
    let buyer_message_id = queued_id(&queued);
    // Asking for the phone number in free text also brings the reply's `notice`.
    let reply = json!({ "body": "Thanks! What is your phone number? Call me on +49 170 7654321." });
    let reply = api
        .call(
            "post",
            "/api/v1/conversations/{id}/messages",
            &id,
            &seller,
            Some(reply),
            202,
        )
        .await;
    assert!(reply["notice"].is_string(), "{reply}");
    let message_id = text(&reply["id"]);
    let request = json!({ "kind": "phone", "purpose": "delivery_scheduling", "order_id": "123-1234567-1234567" });
    let consent = api
        .call(
            "post",
            "/api/v1/conversations/{id}/consent-requests",
            &id,
            &seller,
            Some(request),
            201,
        )
        .await;
    let consent_id = text(&consent["id"]);

    let mut steps: Vec<Step> = vec![
        ("get", "/healthz", "", "", None, 200),
        ("get", "/readyz", "", "", None, 200),
        (
            "post",
            "/api/v1/staff/{id}/invitations",
            &staff_id,
            op,
            None,
            201,
        ),
        (
            "post",
            "/api/v1/sellers/{id}/invitations",
            &seller_id,
            op,
            None,
            201,
        ),
        ("post", "/api/v1/conversations", "", op, Some(new), 200),
        (
            "post",
            "/api/v1/conversations/{id}/orders",
            &id,
            op,
            Some(json!({ "order_id": "123-7654321-7654321" })),
            201,
        ),
        (
            "post",
            "/api/v1/conversations/{id}/orders",
            &id,
            op,
            Some(json!({ "order_id": "123-7654321-7654321" })),
            200,
        ),
        ("get", "/api/v1/review", "", &staff, None, 200),
        (
            "post",
            "/api/v1/messages/{id}/no-response",
            &buyer_message_id,
            &seller,
            None,
            200,
        ),
        (
            "post",
            "/api/v1/messages/{id}/no-response",
            &message_id,
            op,
            None,
            409,
        ),
        (
            "get",
            "/api/v1/sellers/{id}/response-time",
            &seller_id,
            &staff,
            None,
            200,
        ),
        (
            "get",
            "/api/v1/conversations/{id}/consents",
            &id,
            &staff,
            None,
            200,
        ),
        (
            "get",
            "/api/v1/conversations/{id}/contact",
            &id,
            &seller,
            None,
            403,
        ),
        (
            "post",
            "/api/v1/consents/{id}/revoke",
            &consent_id,
            &staff,
            None,
            200,
        ),
        (
            "post",
            "/api/v1/policy/evaluate",
            "",
            &seller,
            Some(json!({ "text": "mail me at jane@example.com", "direction": "seller_to_buyer" })),
            200,
        ),
        (
            "post",
            "/api/v1/conversations/{id}/block",
            &id,
            &staff,
            Some(json!({ "note": "spam" })),
            200,
        ),
        (
            "post",
            "/api/v1/conversations/{id}/unblock",
            &id,
            &staff,
            Some(json!({})),
            200,
        ),
        (
            "post",
            "/api/v1/sellers/{id}/suspend",
            &seller_id,
            &staff,
            Some(json!({})),
            200,
        ),
        ("get", "/api/v1/audit", "", &staff, None, 200),
        ("get", "/api/v1/reports", "", &staff, None, 200),
        (
            "post",
            "/api/v1/buyers/export",
            "",
            op,
            Some(json!({ "conversation_id": id })),
            200,
        ),
        (
            "post",
            "/api/v1/buyers/export",
            "",
            op,
            Some(json!({ "email": "nobody@mail.example" })),
            404,
        ),
        (
            "post",
            "/api/v1/buyers/export",
            "",
            op,
            Some(json!({})),
            400,
        ),
        (
            "get",
            "/api/v1/sellers/{id}/export",
            &seller_id,
            op,
            None,
            200,
        ),
        (
            "put",
            "/api/v1/sellers/{id}/allowed-domains",
            &seller_id,
            op,
            Some(json!({ "domains": ["manuals.gadget-shop.de"] })),
            200,
        ),
        (
            "put",
            "/api/v1/sellers/{id}/allowed-domains",
            &seller_id,
            op,
            Some(json!({ "domains": ["co.uk"] })),
            400,
        ),
        (
            "get",
            "/api/v1/sellers/{id}/allowed-domains",
            &seller_id,
            op,
            None,
            200,
        ),
        (
            "post",
            "/api/v1/reports/{id}/resolve",
            SOME_ID,
            &staff,
            Some(json!({})),
            404,
        ),
        (
            "post",
            "/api/v1/conversations/{id}/messages",
            &id,
            &seller,
            Some(json!({
                "body": "The manual is attached.",
                "attachments": [{
                    "filename": "manual.txt",
                    "content_type": "text/plain",
                    "content_base64": "VXNlIHRoZSBibHVlIGNhYmxlLg==",
                }],
            })),
            202,
        ),
        // Errors have the documented envelope under their documented status.
        ("get", "/api/v1/conversations", "", "wrong", None, 401),
        ("get", "/api/v1/review", "", &seller, None, 403),
        (
            "get",
            "/api/v1/conversations/{id}",
            SOME_ID,
            &staff,
            None,
            404,
        ),
        (
            "post",
            "/api/v1/sellers",
            "",
            op,
            Some(json!({ "name": "Gadget Shop", "email": "owner@gadgetshop.example" })),
            409,
        ),
        (
            "post",
            "/api/v1/sellers",
            "",
            op,
            Some(json!({ "name": "X", "email": "x@example.com", "nickname": "y" })),
            400,
        ),
    ];
    // Sellers and staff see different shapes of the same records.
    for reader in [&seller, &staff] {
        steps.extend([
            (
                "get",
                "/api/v1/conversations",
                "",
                reader.as_str(),
                None,
                200,
            ),
            ("get", "/api/v1/conversations/{id}", &id, reader, None, 200),
            (
                "get",
                "/api/v1/conversations/{id}/messages",
                &id,
                reader,
                None,
                200,
            ),
            (
                "get",
                "/api/v1/messages/{id}",
                &message_id,
                reader,
                None,
                200,
            ),
        ]);
    }
    for (method, template, id, token, body, status) in steps {
        api.call(method, template, id, token, body, status).await;
    }

    // The seller is suspended now: its reply is held, and staff decide once.
    let later = json!({ "body": "Is the parcel there yet?" });
    let held = api
        .call(
            "post",
            "/api/v1/conversations/{id}/messages",
            &id,
            &seller,
            Some(later),
            202,
        )
        .await;
    assert_eq!(held["status"], "held", "{held}");
    let held_id = text(&held["id"]);
    // Staff warn the seller about it; the record and the review queue show it.
    let warning = "/api/v1/messages/{id}/warning";
    let why = json!({ "reason": "Asking to pay outside the marketplace" });
    api.call("post", warning, &held_id, &staff, Some(why.clone()), 201)
        .await;
    api.call("post", warning, &held_id, &staff, Some(why), 409)
        .await;
    let empty = json!({ "reason": "" });
    api.call("post", warning, &held_id, &staff, Some(empty), 400)
        .await;
    let record = "/api/v1/sellers/{id}/record";
    let shown = api.call("get", record, &seller_id, &staff, None, 200).await;
    assert_eq!(shown["warnings"].as_array().unwrap().len(), 1, "{shown}");
    api.call("get", "/api/v1/seller-reviews", "", &staff, None, 200)
        .await;
    let clear = "/api/v1/sellers/{id}/review/clear";
    api.call("post", clear, &seller_id, &staff, Some(json!({})), 409)
        .await;
    let queue = api
        .call("get", "/api/v1/review", "", &staff, None, 200)
        .await;
    assert!(!queue["messages"].as_array().unwrap().is_empty(), "{queue}");
    let release = json!({ "decision": "release", "note": "harmless" });
    let review = "/api/v1/messages/{id}/review";
    api.call("post", review, &held_id, &staff, Some(release.clone()), 200)
        .await;
    api.call("post", review, &held_id, &staff, Some(release), 409)
        .await;
    api.call(
        "get",
        "/api/v1/messages/{id}/raw",
        &held_id,
        &staff,
        None,
        404,
    )
    .await;
    let reinstate = "/api/v1/sellers/{id}/reinstate";
    api.call("post", reinstate, &seller_id, &staff, Some(json!({})), 200)
        .await;

    // Erasure, then the message's content is gone for good.
    let erase = json!({ "email": "jane@mail.example" });
    api.call("post", "/api/v1/buyers/erase", "", op, Some(erase), 200)
        .await;
    let raw = "/api/v1/messages/{id}/raw";
    api.call("get", raw, &message_id, &staff, None, 410).await;

    // Last, as they end the seller's and staff member's tokens.
    for kind in ["sellers", "staff"] {
        let id = if kind == "sellers" {
            &seller_id
        } else {
            &staff_id
        };
        let rotate = format!("/api/v1/{kind}/{{id}}/token");
        let revoke = format!("/api/v1/{kind}/{{id}}/token/revoke");
        api.call("post", &rotate, id, op, None, 200).await;
        api.call("post", &revoke, id, op, None, 200).await;
    }
    // An erased seller gets no token again.
    let erase = "/api/v1/sellers/{id}/erase";
    api.call("post", erase, &seller_id, op, None, 200).await;
    let rotate = "/api/v1/sellers/{id}/token";
    api.call("post", rotate, &seller_id, op, None, 404).await;
}

/// Method, path template, id for `{id}`, token, body, expected status.
type Step<'a> = (&'a str, &'a str, &'a str, &'a str, Option<Value>, u16);

fn text(value: &Value) -> String {
    value.as_str().expect("a string").to_owned()
}

struct Api<'a> {
    app: &'a TestApp,
    doc: &'a Value,
}

impl Api<'_> {
    /// Sends a request, expects `status`, and checks the body against the
    /// schema documented for that status.
    async fn call(
        &self,
        method: &str,
        template: &str,
        id: &str,
        token: &str,
        body: Option<Value>,
        status: u16,
    ) -> Value {
        let path = template.replace("{id}", id);
        let mut request = self
            .app
            .client
            .request(
                method.to_uppercase().parse::<Method>().unwrap(),
                self.app.url(&path),
            )
            .bearer_auth(token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let r = request.send().await.unwrap();
        let actual = r.status().as_u16();
        let value: Value = r.json().await.unwrap_or(Value::Null);
        assert_eq!(actual, status, "{method} {path}: {value}");
        let response = &self.doc["paths"][template][method]["responses"][status.to_string()];
        assert!(
            response.is_object(),
            "{method} {template} answered {status}, which is not documented"
        );
        let schema = &response["content"]["application/json"]["schema"];
        if let Err(e) = conforms(self.doc, schema, &value) {
            panic!("{method} {path} {status}: {e}\n{value:#}");
        }
        value
    }
}

/// Whether `value` fits `schema`, treating every object as closed: a field
/// the document does not name is an error, and so is a missing required one.
fn conforms(doc: &Value, schema: &Value, value: &Value) -> Result<(), String> {
    let schema = resolve(doc, schema);
    if let Some(branches) = schema["oneOf"].as_array() {
        let errors: Vec<String> = branches
            .iter()
            .filter_map(|b| conforms(doc, b, value).err())
            .collect();
        return if errors.len() < branches.len() {
            Ok(())
        } else {
            Err(format!("fits no branch of oneOf: {errors:?}"))
        };
    }
    if let Some(allowed) = schema["enum"].as_array()
        && !allowed.contains(value)
    {
        return Err(format!("{value} is not one of {allowed:?}"));
    }
    let types: Vec<&str> = match &schema["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
        _ if schema["allOf"].is_array() => vec!["object"],
        _ => vec![],
    };
    let actual = match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    };
    if !types.is_empty()
        && !types
            .iter()
            .any(|t| *t == actual || (*t == "number" && actual == "integer"))
    {
        return Err(format!("{value} is a {actual}, documented as {types:?}"));
    }
    match value {
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                conforms(doc, &schema["items"], item).map_err(|e| format!("[{i}]: {e}"))?;
            }
        }
        Value::Object(fields) if types.contains(&"object") => {
            let (properties, required) = object_shape(doc, schema);
            if properties.is_empty() && schema["allOf"].is_null() {
                // A free-form object (audit details).
                return Ok(());
            }
            for name in &required {
                if !fields.contains_key(name) {
                    return Err(format!("required field {name} is missing"));
                }
            }
            for (name, field) in fields {
                let Some(field_schema) = properties.get(name) else {
                    return Err(format!("field {name} is not documented"));
                };
                conforms(doc, field_schema, field).map_err(|e| format!("{name}: {e}"))?;
            }
        }
        Value::String(s) if schema["format"] == "date-time" => {
            time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339)
                .map_err(|e| format!("{s:?} is not RFC 3339: {e}"))?;
        }
        Value::String(s) if schema["format"] == "uuid" => {
            uuid::Uuid::parse_str(s).map_err(|e| format!("{s:?} is not a UUID: {e}"))?;
        }
        _ => {}
    }
    Ok(())
}

fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    match schema["$ref"].as_str() {
        Some(reference) => {
            let name = reference.trim_start_matches("#/components/schemas/");
            resolve(doc, &doc["components"]["schemas"][name])
        }
        None => schema,
    }
}

/// The properties and required fields of an object schema, through `allOf`.
fn object_shape(doc: &Value, schema: &Value) -> (Map<String, Value>, Vec<String>) {
    let schema = resolve(doc, schema);
    let mut properties = schema["properties"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    let mut required: Vec<String> = schema["required"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r.as_str().map(str::to_owned))
        .collect();
    for part in schema["allOf"].as_array().into_iter().flatten() {
        let (p, r) = object_shape(doc, part);
        properties.extend(p);
        required.extend(r);
    }
    (properties, required)
}

/// A checker that accepts everything would make the test above worthless.
#[test]
fn the_checker_rejects_undocumented_missing_and_mistyped_fields() {
    let doc = serde_json::to_value(marketrelay::http::api::openapi::document()).unwrap();
    let conversation = json!({ "$ref": "#/components/schemas/Conversation" });
    let good = json!({
        "id": SOME_ID, "seller_id": SOME_ID, "buyer_alias": "a@relay.test",
        "seller_alias": "b@relay.test", "buyer_name": "Jane", "order_id": null,
        "blocked": false, "seller_suspended": false, "created_at": "2026-11-25T18:00:00Z",
    });
    conforms(&doc, &conversation, &good).unwrap();
    let mut extra = good.clone();
    extra["buyer_email"] = json!("jane@mail.example");
    assert!(conforms(&doc, &conversation, &extra).is_err());
    let mut missing = good.clone();
    missing.as_object_mut().unwrap().remove("blocked");
    assert!(conforms(&doc, &conversation, &missing).is_err());
    let mut mistyped = good.clone();
    mistyped["blocked"] = json!("no");
    assert!(conforms(&doc, &conversation, &mistyped).is_err());
    let message = json!({ "$ref": "#/components/schemas/Message" });
    let bad_enum = json!({
        "id": SOME_ID, "conversation_id": SOME_ID, "direction": "sideways", "subject": "",
        "body": "", "action": "deliver", "status": "sent", "created_at": "2026-11-25T18:00:00Z",
    });
    assert!(conforms(&doc, &message, &bad_enum).is_err());
}

#[tokio::test]
async fn docs_page_and_its_assets_are_served_from_the_binary() {
    let app = spawn_app(Backend::Sqlite).await;
    let no_redirect = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let r = no_redirect.get(app.url("/api/docs")).send().await.unwrap();
    assert!(r.status().is_redirection());
    assert_eq!(r.headers()["location"], "/api/docs/");

    let r = app.client.get(app.url("/api/docs/")).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let csp = r.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        csp.contains("script-src 'self'") && csp.contains("default-src 'none'"),
        "{csp}"
    );
    let html = r.text().await.unwrap();
    let mut assets = Vec::new();
    for attribute in ["src=\"", "href=\""] {
        for part in html.split(attribute).skip(1) {
            let target = &part[..part.find('"').unwrap()];
            assert!(
                !target.contains("//"),
                "the docs page loads {target} from elsewhere"
            );
            assets.push(target.trim_start_matches("./").to_owned());
        }
    }
    assert!(assets.iter().any(|a| a.ends_with(".js")), "{html}");
    assert!(assets.iter().any(|a| a.ends_with(".css")), "{html}");
    assert!(
        assets.iter().any(|a| a == "swagger-initializer.js"),
        "{html}"
    );
    for asset in &assets {
        let r = app
            .client
            .get(app.url(&format!("/api/docs/{asset}")))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 200, "{asset}");
        if asset == "swagger-initializer.js" {
            let script = r.text().await.unwrap();
            assert!(script.contains("/api/v1/openapi.json"), "{script}");
            assert!(
                !script.contains("https://") && !script.contains("http://"),
                "{script}"
            );
        }
    }

    // The looser policy is the docs page's alone.
    let r = app.client.get(app.url("/login")).send().await.unwrap();
    let csp = r.headers()["content-security-policy"].to_str().unwrap();
    assert!(
        !csp.contains("unsafe-inline") && csp.contains("script-src 'self';"),
        "{csp}"
    );
}
