//! recall: spaced-repetition flashcards for the terminal.
//!
//! Data flows one way: files → `formats` → `domain` values → `storage`;
//! `storage` → `workflows`/`domain` → commands (and the TUI) → the screen.

pub mod bundled;
pub mod cli;
pub mod clock;
pub mod commands;
pub mod config;
mod digest;
pub mod domain;
pub mod error;
pub mod file_kind;
mod fnv;
pub mod formats;
pub mod storage;
pub mod terminal;
pub mod tui;
pub mod workflows;

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use crate::cli::{Cli, Command, DeckCommand, GlobalArgs, ImportJob, TargetCards};
use crate::clock::Clock;
use crate::config::Config;
use crate::error::{Error, Result};
use crate::storage::{BackupPolicy, CardAction, Store};
use crate::workflows::Context;

/// The database path: `--db`/`RECALL_DB`, else the platform's data directory.
pub fn database_path(global: &GlobalArgs) -> Result<PathBuf> {
    if let Some(path) = &global.db {
        return Ok(path.clone());
    }
    directories::ProjectDirs::from("", "", "recall")
        .map(|dirs| dirs.data_dir().join("recall.db"))
        .ok_or_else(|| {
            Error::invalid("cannot find a home directory for the database; pass --db PATH")
        })
}

/// Opens the database with the bundled decks installed, ready for a command.
pub fn open_context(global: &GlobalArgs, config: &Config) -> Result<Context> {
    let clock = Clock::from_env(config.day_starts_at)?;
    let policy = BackupPolicy {
        keep: config.keep_backups,
        today: Some(clock.today()),
    };
    let mut store = Store::open_with(&database_path(global)?, policy)?;
    store.set_leech_policy(config.leech);
    store.set_scheduling_defaults(config.scheduling);
    // On stderr, so that --json output stays clean; before the TUI starts,
    // so that it is seen when the TUI's screen is gone.
    if let Some(warning) = store.take_warning() {
        eprintln!(
            "recall: warning: {}",
            domain::text::escape_controls(&warning)
        );
    }
    let update = bundled::install(&mut store, clock.now().timestamp_millis())?;
    // The same way as the warning, for the same reasons; the home screen
    // repeats it in its status line.
    let notice = update.map(|update| update.to_string());
    if let Some(notice) = &notice {
        eprintln!("recall: {notice}");
    }
    // A deck whose algorithm changed with the config file's default is
    // replayed into that algorithm's states before anything reads them.
    for deck in workflows::scheduling::reconcile(&mut store)? {
        eprintln!(
            "recall: deck {} now follows the config file's scheduler; its log was replayed",
            domain::text::escape_line(&deck)
        );
    }
    // Card-state changes are stamped with the command's clock (RECALL_NOW).
    store.set_clock(clock);
    Ok(Context {
        store,
        clock,
        limits: config.limits.clone(),
        ui: config.ui.clone(),
        typed: config.typed,
        notice,
    })
}

pub fn run(cli: Cli) -> Result<()> {
    // A bad config file stops every command (`--no-config` runs anyway).
    let config = Config::resolve(&cli.global)?;
    let db = database_path(&cli.global)?;
    let env = Env {
        global: &cli.global,
        config: &config,
        db: &db,
    };
    // Everything printed goes through `Screen`: escaped on a terminal.
    // Not `stdout().lock()` for the whole command: the TUI's start-up asks
    // the terminal for its graphics protocol from a thread of the image
    // crate, which writes to stdout and would wait for that lock forever.
    let mut out = terminal::Screen::new(std::io::stdout(), std::io::stdout().is_terminal());
    let ran = match cli.command {
        Some(command) => command.run(&env, &mut out),
        None => home(&env, &mut out),
    };
    ran.and_then(|()| Ok(out.flush()?))
        .map_err(|e| e.in_database(&db))
}

/// What a command runs with: the settings, and the database to open when
/// (and if) it needs one.
pub struct Env<'a> {
    pub global: &'a GlobalArgs,
    pub config: &'a Config,
    pub db: &'a Path,
}

impl Env<'_> {
    pub fn open(&self) -> Result<Context> {
        open_context(self.global, self.config)
    }
}

/// `recall` alone: the home screen on a terminal, else the deck list.
fn home(env: &Env, out: &mut dyn Write) -> Result<()> {
    let ctx = env.open()?;
    if std::io::stdout().is_terminal() && std::io::stdin().is_terminal() {
        return tui::run_with(ctx, tui::Start::Home, &env.config.sync);
    }
    commands::decks::run(&ctx, &cli::DecksArgs::default(), out)?;
    writeln!(
        out,
        "\nStudy with `recall next` and `recall answer ID GRADE`; `recall --help` lists every command."
    )?;
    Ok(())
}

impl Command {
    /// Runs the command: each opens the database only if it needs one.
    pub fn run(self, env: &Env, out: &mut dyn Write) -> Result<()> {
        let keep = env.config.keep_backups;
        match self {
            // Restore works on a database too damaged to open.
            Command::Restore(args) => commands::backup::restore(env.db, &args, keep, out),
            Command::Config(args) => commands::config::run(env.config, env.db, &args, out),
            Command::Sync(args) => commands::sync::run(env, &args, out),
            // Linting files needs no database; checking its media does.
            Command::Check(args) if args.media => {
                commands::check::media(&env.open()?.store, args.fix, out)
            }
            Command::Check(args) => commands::check::run(&args, out),
            Command::Import(args) => match args.job() {
                // The database opens while the files are already being read.
                ImportJob::Decks(job) => commands::import::run(|| env.open(), &job, out),
                ImportJob::Reviews(job) => {
                    commands::import_reviews::run(&mut env.open()?, &job, out)
                }
            },
            Command::Review(args) => tui::run_with(
                env.open()?,
                tui::Start::Review(args.scope.scope()),
                &env.config.sync,
            ),
            Command::Decks(args) => commands::decks::run(&env.open()?, &args, out),
            Command::Export(args) => commands::export::run(&env.open()?, &args.what),
            Command::Next(args) => commands::next::run(&env.open()?, &args, out),
            Command::Answer(args) => commands::answer::run(&mut env.open()?, &args, out),
            Command::Undo(args) => commands::answer::undo(&mut env.open()?, &args, out),
            Command::Backup(args) => commands::backup::run(&env.open()?, &args, keep, out),
            Command::Stats(args) => commands::stats::run(&env.open()?, &args),
            Command::Cards(args) => commands::cards::run(&env.open()?, &args, out),
            Command::Log(args) => commands::log::run(&env.open()?, &args, out),
            Command::Suspend(cards) => card_command(env, CardAction::Suspend, &cards, out),
            Command::Unsuspend(cards) => card_command(env, CardAction::Unsuspend, &cards, out),
            Command::Bury(cards) => card_command(env, CardAction::Bury, &cards, out),
            Command::Unbury(cards) => card_command(env, CardAction::Unbury, &cards, out),
            Command::Reset(cards) => card_command(env, CardAction::Reset, &cards, out),
            Command::Scheduler(args) => commands::scheduler::run(&mut env.open()?, &args, out),
            Command::Fsrs(args) => commands::fsrs::run(&mut env.open()?, &args, out),
            Command::Deck(args) => match args.what {
                DeckCommand::Rename(args) => commands::deck::rename(&mut env.open()?, &args, out),
                DeckCommand::Delete(args) => {
                    commands::deck::delete(&mut env.open()?, &args, keep, out)
                }
            },
        }
    }
}

fn card_command(
    env: &Env,
    action: CardAction,
    cards: &TargetCards,
    out: &mut dyn Write,
) -> Result<()> {
    commands::card_state::run(&mut env.open()?, action, cards, out)
}
