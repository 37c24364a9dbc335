//! End-to-end tests: the real service on random ports, driven over real
//! HTTP and real SMTP sessions, on SQLite and on Postgres.

mod dns;
mod helpers;

mod attachments;
mod automatic;
mod binary;
mod browser;
mod consent;
mod conversations;
mod dashboard;
mod delivery;
mod errors;
mod live_preview;
mod messages;
mod moderation;
mod openapi;
mod oracle;
mod policy_reload;
mod reports;
mod review;
mod sender_auth;
mod smtp;
mod smtp_limits;
mod web;
