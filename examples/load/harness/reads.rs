//! The read paths people wait on, through HTTP: the seller's conversation
//! list and a thread, the staff review queue and dashboard, and their API twins.

use std::{
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    time::{Duration, Instant},
};

use anyhow::{Context, bail};
use reqwest::{header, redirect};
use serde::Serialize;
use serde_json::json;
use tokio::task::JoinSet;

use super::{ledger::percentile, relay::Api};

#[derive(clap::Args, Clone, Debug)]
pub struct ReadArgs {
    /// The seller whose inbox is read (default: a new seller with one conversation).
    #[arg(long)]
    pub seller_id: Option<String>,
    /// Requests per route at most.
    #[arg(long, default_value_t = 200)]
    pub requests: usize,
    /// Seconds per route at most.
    #[arg(long, default_value_t = 20)]
    pub route_seconds: u64,
    /// Requests in flight at once.
    #[arg(long, default_value_t = 8)]
    pub concurrency: usize,
    /// The dashboard's period in days.
    #[arg(long, default_value_t = 30)]
    pub dashboard_days: u32,
}

#[derive(Clone, Debug, Serialize)]
pub struct RouteReport {
    pub route: String,
    pub path: String,
    pub requests: usize,
    pub errors: usize,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
}

impl RouteReport {
    pub fn line(&self) -> String {
        format!(
            "{:<28} {:>5} requests {:>3} errors  p50 {:>8.1} ms  p99 {:>8.1} ms  max {:>8.1} ms",
            self.route, self.requests, self.errors, self.p50_ms, self.p99_ms, self.max_ms
        )
    }
}

enum Auth {
    Cookie(String),
    Bearer(String),
}

/// Signs a seller and a staff member in (through invitation links, as
/// people do) and times each route.
pub async fn run_reads(api: &Api, http: &str, args: &ReadArgs) -> anyhow::Result<Vec<RouteReport>> {
    let run = uuid::Uuid::new_v4().simple().to_string();
    let seller_id = match &args.seller_id {
        Some(id) => id.clone(),
        None => {
            let seller = api
                .post("/sellers", json!({ "name": "Read Shop", "email": format!("reads-{run}@sellers.load.example") }))
                .await?;
            let id = seller["id"].as_str().context("seller id")?.to_owned();
            api.post(
                "/conversations",
                json!({ "seller_id": id, "buyer": { "email": format!("reads-{run}@buyers.load.example"), "name": "Reader" } }),
            )
            .await?;
            id
        }
    };
    let staff = api
        .post(
            "/staff",
            json!({ "name": "Load Staff", "email": format!("staff-{run}@staff.load.example") }),
        )
        .await?;
    let staff_id = staff["id"].as_str().context("staff id")?;
    let staff_token = staff["api_token"]
        .as_str()
        .context("staff token")?
        .to_owned();
    let seller_cookie = sign_in(api, http, &format!("/sellers/{seller_id}/invitations")).await?;
    let staff_cookie = sign_in(api, http, &format!("/staff/{staff_id}/invitations")).await?;

    let client = reqwest::Client::builder()
        .redirect(redirect::Policy::none())
        .build()?;
    let inbox = client
        .get(format!("http://{http}/inbox"))
        .header(header::COOKIE, &seller_cookie)
        .send()
        .await?
        .text()
        .await?;
    let thread = first_thread(&inbox).context("the seller's inbox lists no conversation")?;

    let routes = [
        (
            "seller conversation list",
            "/inbox".to_owned(),
            Auth::Cookie(seller_cookie.clone()),
        ),
        (
            "seller thread",
            format!("/inbox/{thread}"),
            Auth::Cookie(seller_cookie),
        ),
        (
            "staff review queue",
            "/console".to_owned(),
            Auth::Cookie(staff_cookie.clone()),
        ),
        (
            "staff dashboard",
            format!("/console/dashboard?days={}", args.dashboard_days),
            Auth::Cookie(staff_cookie),
        ),
        (
            "API review queue (staff)",
            "/api/v1/review".to_owned(),
            Auth::Bearer(staff_token.clone()),
        ),
        (
            "API thread (staff)",
            format!("/api/v1/conversations/{thread}/messages"),
            Auth::Bearer(staff_token),
        ),
    ];
    let mut reports = Vec::new();
    for (name, path, auth) in routes {
        reports.push(time_route(&client, http, name, &path, &auth, args).await);
    }
    Ok(reports)
}

fn first_thread(page: &str) -> Option<String> {
    let at = page.find("href=\"/inbox/")? + "href=\"/inbox/".len();
    let id: String = page[at..]
        .chars()
        .take_while(|c| c.is_ascii_hexdigit() || *c == '-')
        .collect();
    (id.len() == 36).then_some(id)
}

/// Accepts an invitation from `path` with a password, returning the session cookie.
async fn sign_in(api: &Api, http: &str, path: &str) -> anyhow::Result<String> {
    let invitation = api.post(path, json!({})).await?;
    let url = invitation["url"].as_str().context("invitation url")?;
    let token = url.rsplit("/invite/").next().context("invitation token")?;
    // The form is checked against a cookie of the same value (double submit).
    let csrf: String = uuid::Uuid::new_v4().simple().to_string() + "abcdefghijk";
    let client = reqwest::Client::builder()
        .redirect(redirect::Policy::none())
        .build()?;
    let password = "load-password-0001";
    let response = client
        .post(format!("http://{http}/invite/{token}"))
        .header(header::COOKIE, format!("mr_csrf={csrf}"))
        .form(&[
            ("password", password),
            ("password_confirm", password),
            ("csrf_token", &csrf),
        ])
        .send()
        .await?;
    let session = response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("mr_session="))
        .and_then(|c| c.split(';').next())
        .map(str::to_owned);
    match session {
        Some(cookie) => Ok(cookie),
        None => bail!("signing in through {path} gave {}", response.status()),
    }
}

async fn time_route(
    client: &reqwest::Client,
    http: &str,
    name: &str,
    path: &str,
    auth: &Auth,
    args: &ReadArgs,
) -> RouteReport {
    let url = format!("http://{http}{path}");
    let request = {
        let (client, url) = (client.clone(), url.clone());
        let auth = match auth {
            Auth::Cookie(c) => (header::COOKIE, c.clone()),
            Auth::Bearer(t) => (header::AUTHORIZATION, format!("Bearer {t}")),
        };
        Arc::new(move || client.get(&url).header(auth.0.clone(), &auth.1))
    };
    // One request first, so that caches are warm as they are in use.
    let _ = request().send().await;
    let deadline = Instant::now() + Duration::from_secs(args.route_seconds);
    let issued = Arc::new(AtomicUsize::new(0));
    let mut workers = JoinSet::new();
    for _ in 0..args.concurrency.max(1) {
        let (request, issued, limit) = (request.clone(), issued.clone(), args.requests);
        workers.spawn(async move {
            let mut samples = Vec::new();
            let mut errors = 0;
            while issued.fetch_add(1, Ordering::Relaxed) < limit && Instant::now() < deadline {
                let start = Instant::now();
                let ok = match request().send().await {
                    Ok(r) => r.status().is_success() && r.bytes().await.is_ok(),
                    Err(_) => false,
                };
                samples.push(start.elapsed().as_secs_f64() * 1e3);
                errors += usize::from(!ok);
            }
            (samples, errors)
        });
    }
    let mut samples = Vec::new();
    let mut errors = 0;
    while let Some(Ok((s, e))) = workers.join_next().await {
        samples.extend(s);
        errors += e;
    }
    RouteReport {
        route: name.to_owned(),
        path: path.to_owned(),
        requests: samples.len(),
        errors,
        p50_ms: percentile(&mut samples, 0.50),
        p99_ms: percentile(&mut samples, 0.99),
        max_ms: samples.iter().copied().fold(0.0, f64::max),
    }
}
