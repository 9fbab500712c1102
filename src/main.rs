use std::io::Write;
use std::process::ExitCode;

use clap::builder::styling::Styles;
use clap::{CommandFactory, FromArgMatches};
use recall::cli::Cli;
use recall::domain::text::escape_controls;
use recall::error::Error;
use recall::terminal::Screen;

fn main() -> ExitCode {
    // Plain styles: clap's messages then hold no escape of clap's own, and
    // every escape left in them is the user's, to be made visible.
    let command = Cli::command().styles(Styles::plain());
    let cli = match command.try_get_matches().and_then(|m| {
        let mut cli = Cli::from_arg_matches(&m)?;
        cli.global.note_sources(&m);
        Ok(cli)
    }) {
        Ok(cli) => cli,
        Err(e) => return clap_exit(&e),
    };
    match recall::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        // `recall decks | head` closing the pipe early is not an error.
        Err(Error::Output(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(err) => {
            // Messages are for people, even in a log: escaped wherever they go.
            let _ = writeln!(
                Screen::stderr(),
                "recall: {}",
                escape_controls(&err.to_string())
            );
            ExitCode::FAILURE
        }
    }
}

/// clap's errors quote what was typed (an argument, a `RECALL_*` value):
/// rendered without clap's colours, they are escaped like any other message. `--help` and `--version` come here too,
/// for stdout and exit code 0; errors keep clap's exit code 2.
fn clap_exit(e: &clap::Error) -> ExitCode {
    let text = e.render().ansi().to_string();
    let shown = escape_controls(&text);
    let written = if e.use_stderr() {
        write!(Screen::stderr(), "{shown}")
    } else {
        let mut out = Screen::stdout();
        write!(out, "{shown}").and_then(|()| out.flush())
    };
    // A closed pipe (`recall --help | head`) is not worth another message.
    drop(written);
    ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2))
}
