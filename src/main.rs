//! The `marketrelay` binary: everything happens in `cli::run`; a failure is
//! one line on stderr and a non-zero exit.

use std::process::ExitCode;

fn main() -> ExitCode {
    match marketrelay::cli::run() {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
