//! Crash tool: runs the relay binary under SMTP load with a delivery
//! backlog (a slow smarthost of its own), SIGKILLs it at random moments,
//! restarts it on the same database, and proves that every mail that got
//! `250` is stored, in the audit trail and delivered once (see
//! docs/reliability.md).
//!
//!   cargo build --bin marketrelay --example crash
//!   target/debug/examples/crash --relay-bin target/debug/marketrelay --rounds 20
//!   target/debug/examples/crash --relay-bin target/debug/marketrelay --rounds 20 \
//!       --database-url postgres://postgres@127.0.0.1:5432/crash

#[allow(dead_code)]
#[path = "../load/harness/mod.rs"]
mod harness;

mod chaos;

use clap::Parser;

#[derive(Parser)]
#[command(about = "Crash tool for marketrelay: SIGKILL under load, then account for every 250")]
struct Cli {
    #[command(flatten)]
    crash: chaos::CrashArgs,
    /// Print the result as JSON instead of a line.
    #[arg(long)]
    json: bool,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let verdict = chaos::run_crash(&cli.crash).await?;
    if cli.json {
        println!("{}", serde_json::to_string(&verdict)?);
    } else {
        println!("{}", verdict.line());
    }
    if !verdict.is_clean() {
        std::process::exit(2);
    }
    Ok(())
}
