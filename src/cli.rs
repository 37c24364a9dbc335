//! Command line: `serve` (the default), `migrate`, `policy check`.

use std::{io::Read, process::ExitCode};

use anyhow::Context;
use clap::{Parser, Subcommand};
use tokio_util::sync::CancellationToken;

use crate::{app::App, config::Settings, domain::Direction, policy::Policy};

#[derive(Parser)]
#[command(
    name = "marketrelay",
    version,
    about = "Masked buyer-seller inbox: relay addresses, SMTP in and out, policy filter, audit"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the SMTP listener, HTTP API and delivery worker (the default).
    Serve,
    /// Apply database migrations and exit.
    Migrate,
    /// Policy tools.
    Policy {
        #[command(subcommand)]
        command: PolicyCommand,
    },
}

#[derive(Subcommand)]
enum PolicyCommand {
    /// Read text on stdin, print the policy decision as JSON.
    Check {
        /// buyer_to_seller or seller_to_buyer.
        #[arg(long, default_value = "buyer_to_seller")]
        direction: String,
        /// ISO 3166 region hint for national phone formats (repeatable).
        #[arg(long = "region")]
        regions: Vec<String>,
    },
}

pub fn run() -> anyhow::Result<ExitCode> {
    let cli = Cli::parse();
    let settings = Settings::load()?;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => runtime()?.block_on(serve(settings)),
        Command::Migrate => runtime()?.block_on(async {
            crate::store::connect(&settings.database)
                .await
                .context("cannot migrate the database")?;
            eprintln!("migrations applied");
            Ok(ExitCode::SUCCESS)
        }),
        Command::Policy {
            command: PolicyCommand::Check { direction, regions },
        } => {
            let direction = Direction::parse(&direction).with_context(|| {
                format!(
                    "invalid --direction {direction:?}: expected buyer_to_seller or seller_to_buyer"
                )
            })?;
            let policy = settings.load_policy()?;
            let mut text = String::new();
            std::io::stdin()
                .read_to_string(&mut text)
                .context("stdin is not valid UTF-8 text")?;
            print_decision(&policy, &text, direction, &regions)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn print_decision(
    policy: &Policy,
    text: &str,
    direction: Direction,
    regions: &[String],
) -> anyhow::Result<()> {
    let regions: Vec<String> = regions.iter().map(|r| r.to_ascii_uppercase()).collect();
    let decision = policy.evaluate(text, direction, &regions);
    println!("{}", serde_json::to_string_pretty(&decision)?);
    Ok(())
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}

async fn serve(settings: Settings) -> anyhow::Result<ExitCode> {
    crate::telemetry::init(settings.log_format);
    let shutdown = CancellationToken::new();
    crate::shutdown::cancel_on_signal(shutdown.clone());
    let app = App::build(settings).await?;
    app.run_until_stopped(shutdown).await?;
    Ok(ExitCode::SUCCESS)
}
