//! Load tool: drives the relay over real SMTP and HTTP and reports
//! throughput, latency, losses and peak memory (see docs/performance.md).
//!
//!   cargo run --release --example load -- relay --relay-bin target/release/marketrelay
//!   cargo run --release --example load -- sink --smtp 127.0.0.1:2526 --messages 3200
//!   cargo run --release --example load -- reads --relay-bin target/release/marketrelay --database-url sqlite://seeded.db --seller-id ID
//!   cargo run --release --example load -- sqlite-ceiling --path /var/tmp/ceiling.db

mod harness;

use clap::{Parser, Subcommand};
use harness::{LoadArgs, RelayTarget, reads::ReadArgs, sqlite_ceiling::CeilingArgs};

#[derive(Parser)]
#[command(about = "Load tool for marketrelay: SMTP in, delivery out, HTTP reads")]
struct Cli {
    #[command(subcommand)]
    mode: Mode,
    /// Print the result as JSON instead of a line.
    #[arg(long, global = true)]
    json: bool,
}

#[derive(Subcommand)]
enum Mode {
    /// Buyers' mails through the relay to the capture server, every one accounted for.
    Relay {
        #[command(flatten)]
        target: RelayTarget,
        #[command(flatten)]
        load: LoadArgs,
    },
    /// The same mails to an accept-and-discard SMTP server (the protocol's ceiling).
    Sink {
        /// The sink's address.
        #[arg(long)]
        smtp: String,
        #[command(flatten)]
        load: LoadArgs,
    },
    /// p50/p99 of the seller's and staff's pages and their API twins.
    Reads {
        #[command(flatten)]
        target: RelayTarget,
        #[command(flatten)]
        reads: ReadArgs,
    },
    /// SQLite's one-row-per-transaction insert rate on this disk.
    SqliteCeiling {
        #[command(flatten)]
        args: CeilingArgs,
    },
}

#[tokio::main]
async fn main() {
    let cli = Cli::parse();
    match run(cli).await {
        Ok(clean) => std::process::exit(if clean { 0 } else { 2 }),
        Err(e) => {
            eprintln!("load: {e:#}");
            std::process::exit(1);
        }
    }
}

/// Prints the result; false when mail was lost, doubled or damaged.
async fn run(cli: Cli) -> anyhow::Result<bool> {
    let print = |json: serde_json::Value, line: String| {
        println!("{}", if cli.json { json.to_string() } else { line });
    };
    match &cli.mode {
        Mode::Relay { target, load } => {
            let report = harness::run_relay_load(target, load).await?;
            print(serde_json::to_value(&report)?, report.line());
            Ok(report.is_clean())
        }
        Mode::Sink { smtp, load } => {
            let report = harness::run_sink(smtp, load).await?;
            print(serde_json::to_value(&report)?, report.line());
            Ok(report.is_clean())
        }
        Mode::Reads { target, reads } => {
            let run = format!("reads-{}", uuid::Uuid::new_v4().simple());
            // Nothing is delivered while reading; a folder keeps the relay from needing a smarthost.
            let outbox = std::env::temp_dir().join(&run);
            let mut relay = target
                .relay(&run, &format!("file://{}", outbox.display()))
                .await?;
            let routes = harness::reads::run_reads(&relay.api(), &relay.http, reads).await;
            let rss = relay.peak_rss_mb();
            relay.stop().await?;
            let _ = std::fs::remove_dir_all(outbox);
            let routes = routes?;
            let lines: Vec<String> = routes.iter().map(|r| r.line()).collect();
            print(
                serde_json::json!({ "routes": routes, "peak_rss_mb": rss }),
                lines.join("\n"),
            );
            Ok(routes.iter().all(|r| r.errors == 0))
        }
        Mode::SqliteCeiling { args } => {
            let report = harness::sqlite_ceiling::run(args).await?;
            print(
                serde_json::to_value(&report)?,
                format!(
                    "{} rows in {:.1} s: {:.0} one-row transactions/s (WAL, synchronous={}, {} tasks over {} connections)",
                    report.rows,
                    report.seconds,
                    report.rows_per_sec,
                    report.synchronous,
                    report.concurrency,
                    report.connections
                ),
            );
            Ok(true)
        }
    }
}
