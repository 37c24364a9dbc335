//! End-to-end tests: the real service on random ports, driven over real
//! HTTP and real SMTP sessions, on SQLite and on Postgres.

mod helpers;

mod binary;
mod browser;
mod consent;
mod conversations;
mod delivery;
mod errors;
mod live_preview;
mod messages;
mod moderation;
mod policy_reload;
mod review;
mod smtp;
mod web;
