use std::process::ExitCode;

use clap::Parser;
use recall::cli::Cli;
use recall::error::Error;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match recall::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        // `recall decks | head` closing the pipe early is not an error.
        Err(Error::Output(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!(
                "recall: {}",
                recall::domain::text::escape_controls(&err.to_string())
            );
            ExitCode::FAILURE
        }
    }
}
