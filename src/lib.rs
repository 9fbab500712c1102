//! recall: spaced-repetition flashcards for the terminal.
//!
//! Data flows one way: files → `formats` → `domain` values → `storage`;
//! `storage` → `workflows`/`domain` → commands (and the TUI) → the screen.

pub mod bundled;
pub mod cli;
pub mod clock;
pub mod commands;
pub mod config;
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
use std::path::PathBuf;

use crate::cli::{Cli, Command, DeckCommand, ExportCommand, GlobalArgs};
use crate::clock::Clock;
use crate::config::Config;
use crate::error::{Error, Result};
use crate::formats::LoadOptions;
use crate::storage::{BackupPolicy, CardAction, ImportOptions, OnMissing, Scope, Store};
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
    Ok(Context {
        store,
        clock,
        limits: config.limits.clone(),
        ui: config.ui.clone(),
        notice,
    })
}

pub fn run(cli: Cli) -> Result<()> {
    // A bad config file stops every command (`--no-config` runs anyway).
    let config = Config::resolve(&cli.global)?;
    let db = database_path(&cli.global)?;
    dispatch(cli, &config, &db).map_err(|e| e.in_database(&db))
}

fn dispatch(cli: Cli, config: &Config, db: &std::path::Path) -> Result<()> {
    // Everything printed goes through `Screen`: escaped on a terminal.
    let mut out = terminal::Screen::new(std::io::stdout().lock(), std::io::stdout().is_terminal());
    // Restore works on a database too damaged to open.
    if let Some(Command::Restore { file }) = &cli.command {
        return commands::backup::restore(db, file, config.keep_backups, &mut out);
    }
    if let Some(Command::Config { json }) = &cli.command {
        return commands::config::run(config, db, *json, &mut out);
    }
    let out: &mut dyn Write = &mut out;
    // Linting files needs no database.
    if let Some(Command::Check { files, format }) = &cli.command {
        return commands::check::run(files, *format, out);
    }
    // An import opens the database while its files are already being read.
    if let Some(Command::Import {
        files,
        deck,
        format,
        prune,
        dry_run,
        keep_going,
        with_progress,
        write_ids,
        json,
        reviews: None,
    }) = cli.command
    {
        let flags = commands::import::Flags {
            plan: workflows::import::Plan {
                load: LoadOptions {
                    format,
                    deck,
                    with_progress,
                },
                store: ImportOptions {
                    missing: if prune {
                        OnMissing::Prune
                    } else {
                        OnMissing::Keep
                    },
                    dry_run,
                },
                keep_going,
            },
            write_ids,
            json,
        };
        return commands::import::run(|| open_context(&cli.global, config), &files, &flags, out);
    }
    let mut ctx = open_context(&cli.global, config)?;
    match cli.command {
        None if std::io::stdout().is_terminal() && std::io::stdin().is_terminal() => {
            return tui::run(ctx, tui::Start::Home);
        }
        Some(Command::Review { deck, tag }) => {
            return tui::run(ctx, tui::Start::Review(Scope { deck, tag }));
        }
        None => {
            commands::decks::run(&ctx, false, out)?;
            writeln!(
                out,
                "\nStudy with `recall next` and `recall answer ID GRADE`; `recall --help` lists every command."
            )?;
        }
        Some(Command::Decks { json }) => commands::decks::run(&ctx, json, out)?,
        Some(Command::Import {
            reviews: Some(log),
            json,
            ..
        }) => commands::import_reviews::run(&mut ctx, &log, json, out)?,
        Some(Command::Import { .. }) => unreachable!("imported above"),
        Some(Command::Check { files, format }) => commands::check::run(&files, format, out)?,
        Some(Command::Export { what }) => match what {
            ExportCommand::Deck {
                name,
                format,
                output,
                force,
            } => commands::export::deck(&ctx, &name, format, output.as_deref(), force)?,
            ExportCommand::Progress {
                format,
                deck,
                output,
            } => commands::export_progress::progress(&ctx, format, deck, &output)?,
            ExportCommand::Reviews {
                format,
                since,
                deck,
                output,
            } => commands::export_progress::reviews(&ctx, format, since, deck, &output)?,
        },
        Some(Command::Next { deck, tag, json }) => {
            commands::next::run(&ctx, &Scope { deck, tag }, json, out)?
        }
        Some(Command::Answer {
            id,
            grade,
            deck,
            duration_ms,
            json,
        }) => commands::answer::run(
            &mut ctx,
            &id,
            deck.as_deref(),
            grade,
            duration_ms,
            json,
            out,
        )?,
        Some(Command::Undo { json }) => commands::answer::undo(&mut ctx, json, out)?,
        Some(Command::Backup { output, force }) => {
            commands::backup::run(&ctx, output.as_deref(), force, config.keep_backups, out)?
        }
        Some(Command::Restore { .. } | Command::Config { .. }) => {
            unreachable!("handled before opening")
        }
        Some(Command::Stats {
            deck,
            tag,
            days,
            format,
            table,
            output,
        }) => commands::stats::run(&ctx, &Scope { deck, tag }, days, format, table, &output)?,
        Some(Command::Cards {
            query,
            json,
            limit,
            offset,
        }) => commands::cards::run(&ctx, &query, json, limit, offset, out)?,
        Some(Command::Log { card, json }) => commands::log::run(&ctx, &card, json, out)?,
        Some(Command::Suspend(arg)) => card_command(&mut ctx, CardAction::Suspend, arg, out)?,
        Some(Command::Unsuspend(arg)) => card_command(&mut ctx, CardAction::Unsuspend, arg, out)?,
        Some(Command::Bury(arg)) => card_command(&mut ctx, CardAction::Bury, arg, out)?,
        Some(Command::Unbury(arg)) => card_command(&mut ctx, CardAction::Unbury, arg, out)?,
        Some(Command::Reset(arg)) => card_command(&mut ctx, CardAction::Reset, arg, out)?,
        Some(Command::Deck { what }) => match what {
            DeckCommand::Rename { old, new } => commands::deck::rename(&mut ctx, &old, &new, out)?,
            DeckCommand::Delete { name, yes } => {
                commands::deck::delete(&mut ctx, &name, yes, config.keep_backups, out)?
            }
        },
    }
    out.flush()?;
    Ok(())
}

fn card_command(
    ctx: &mut Context,
    action: CardAction,
    arg: cli::CardsArg,
    out: &mut dyn Write,
) -> Result<()> {
    commands::card_state::run(ctx, action, &arg.cards, arg.query.as_deref(), out)
}
