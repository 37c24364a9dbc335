//! End-to-end tests: the real service on random ports, driven over real
//! HTTP and real SMTP sessions, on SQLite and on Postgres.

mod dns;
mod helpers;

mod attachments;
mod authorization;
mod automatic;
mod binary;
mod bounces;
mod browser;
mod claim_lease;
mod consent;
mod consent_limits;
mod conversations;
mod cpu_pool;
mod credentials;
mod dashboard;
mod delivered_golden;
mod delivery;
mod errors;
mod file_types;
mod held_notice_race;
mod insiders;
mod judged_once;
mod lifecycle;
mod live_preview;
mod messages;
mod metrics;
mod moderation;
mod names;
mod notices;
mod openapi;
mod oracle;
mod policy_reload;
mod reports;
mod resources;
mod review;
mod seller_limits;
mod sender_auth;
mod service_links;
mod sign_in;
mod smtp;
mod smtp_limits;
mod unsubscribe;
mod web;
mod withheld;
