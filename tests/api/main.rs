//! End-to-end tests: the real service on random ports, driven over real
//! HTTP and real SMTP sessions, on SQLite and on Postgres.

mod helpers;

mod binary;
mod conversations;
mod delivery;
mod errors;
mod messages;
mod review;
mod smtp;
mod web;
