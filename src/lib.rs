//! marketrelay: a masked buyer-seller inbox for online marketplaces.
//!
//! Modules in architecture order: pure types, the policy filter and MIME
//! handling, the store, the use cases that judge, store and queue a message,
//! and the edges (SMTP in, mail out, HTTP API and web pages).

/// Wiring: binds listeners, connects the store, runs until stopped.
pub mod app;
/// Append-only audit events.
pub mod audit;
/// What the relay says to buyers and sellers, per language.
pub mod catalogue;
/// Command line.
pub mod cli;
/// Layered settings.
pub mod config;
/// A bounded pool for CPU-heavy work, off the async workers.
pub mod cpu;
/// Parsed values and records shared by every layer; no I/O.
pub mod domain;
/// Entry points of the fuzz targets and their replayed regression corpus.
#[cfg(any(test, fuzzing))]
pub mod fuzz;
/// JSON API under `/api/v1` and `/healthz`.
pub mod http;
/// Inbound SMTP listener.
pub mod inbound;
/// Reads inbound MIME and builds outbound mail.
pub mod mime;
/// Outbound delivery queue worker and transports.
pub mod outbound;
/// Finds and redacts contact details, holds off-platform intent.
pub mod policy;
/// Use cases: inbound mail, seller replies, staff review.
pub mod relay;
/// Ctrl-C / SIGTERM handling.
pub mod shutdown;
/// The `Store` trait and its Postgres and SQLite backends.
pub mod store;
/// Logging setup and the metrics `/metrics` reports.
pub mod telemetry;
/// Server-rendered pages.
pub mod web;
