//! Reliability: the relay binary SIGKILLed under load and restarted on the
//! same database, its Postgres stopped and started under load, and three
//! nodes on one Postgres with one killed mid-run. Every `250` must be
//! stored, audited and delivered, and no mail sent twice but for a send a
//! kill cut off (see docs/reliability.md).

#[allow(dead_code)]
#[path = "../api/dns.rs"]
mod dns;

#[allow(dead_code)]
#[path = "../api/helpers.rs"]
mod helpers;

#[allow(dead_code)]
#[path = "../../examples/load/harness/mod.rs"]
mod harness;

#[allow(dead_code)]
#[path = "../../examples/crash/chaos.rs"]
mod chaos;

mod concurrent_delivery;
mod crash;
mod nodes;
mod postgres_restart;
mod private_postgres;

use std::path::PathBuf;

fn relay_bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_marketrelay"))
}
