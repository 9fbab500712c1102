//! `recall sync [DIR]`, `recall sync init DIR [--git]`, `recall sync status`:
//! thin over `workflows::sync`. What a sync did goes to stdout, each fault
//! and git failure to stderr as a warning; only a failed local merge is an
//! error (exit status 1), since offline is normal for git.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use super::print_json;
use crate::Env;
use crate::cli::{SyncArgs, SyncCommand, SyncInitArgs, SyncStatusArgs};
use crate::clock::Clock;
use crate::config::Source;
use crate::domain::plural::{plural, plural_as};
use crate::domain::text::{escape_controls, escape_line};
use crate::error::{Error, Result};
use crate::workflows::sync::{self, Options, Report, Status};

pub fn run(env: &Env, args: &SyncArgs, out: &mut dyn Write) -> Result<()> {
    match &args.command {
        Some(SyncCommand::Init(init)) => run_init(env, init, out),
        Some(SyncCommand::Status(status)) => run_status(env, status, out),
        None => {
            let dir = folder(env, args.dir.as_deref())?;
            run_sync(env, &dir, args.json, out)
        }
    }
}

/// DIR as given, else the config file's `[sync] dir`.
fn folder(env: &Env, given: Option<&Path>) -> Result<PathBuf> {
    given
        .map(Path::to_path_buf)
        .or_else(|| env.config.sync.dir.clone())
        .ok_or_else(|| {
            Error::invalid(
                "no sync folder: give one (`recall sync DIR`), or set it up once with \
                 `recall sync init DIR [--git]`",
            )
        })
}

fn run_sync(env: &Env, dir: &Path, json: bool, out: &mut dyn Write) -> Result<()> {
    let mut ctx = env.open()?;
    let options = Options {
        interactive: std::io::stdin().is_terminal(),
        ..Options::default()
    };
    let report = sync::sync(&mut ctx, dir, options)?;
    warn(&report);
    if json {
        return print_json(out, &report);
    }
    print_report(dir, &report, out)
}

/// Every fault and git failure, on stderr.
fn warn(report: &Report) {
    let git = report.git.iter().flat_map(|g| g.warnings.iter());
    for warning in report.warnings.iter().chain(git) {
        eprintln!("recall: warning: {}", escape_controls(warning));
    }
}

fn print_report(dir: &Path, report: &Report, out: &mut dyn Write) -> Result<()> {
    let settled = &report.settled;
    writeln!(
        out,
        "synced with {} as device {}",
        escape_line(&dir.display().to_string()),
        report.device
    )?;
    writeln!(
        out,
        "  read {} from the other devices: {} merged, {} undone, {} waiting for their cards",
        plural(report.read, "change"),
        plural(settled.added, "answer"),
        settled.undone,
        settled.pending
    )?;
    if settled.reset + settled.deleted > 0 {
        writeln!(
            out,
            "  cards: {} reset, {} deleted by the other devices",
            settled.reset, settled.deleted
        )?;
    }
    writeln!(
        out,
        "  wrote {} to {}",
        plural(report.written, "line"),
        escape_line(&report.log)
    )?;
    let decks = &report.decks;
    if !decks.imported.is_empty() || !decks.written.is_empty() {
        let names: Vec<String> = decks
            .imported
            .iter()
            .map(|d| escape_line(d).into_owned())
            .collect();
        let imported = if names.is_empty() {
            "none".to_string()
        } else {
            names.join(", ")
        };
        writeln!(
            out,
            "  decks: imported {imported}; wrote {}",
            plural(decks.written.len(), "snapshot")
        )?;
    }
    if let Some(git) = &report.git {
        let done = |flag: bool, what: &'static str| flag.then_some(what);
        let steps: Vec<&str> = [
            done(git.pulled, "pulled"),
            done(git.committed, "committed"),
            done(git.pushed, "pushed"),
        ]
        .into_iter()
        .flatten()
        .collect();
        let steps = if steps.is_empty() {
            "nothing to do".to_string()
        } else {
            steps.join(", ")
        };
        let failed = if git.warnings.is_empty() {
            ""
        } else {
            " (see the warnings; the next sync catches up)"
        };
        writeln!(out, "  git: {steps}{failed}")?;
    }
    Ok(())
}

fn run_init(env: &Env, args: &SyncInitArgs, out: &mut dyn Write) -> Result<()> {
    let file = match &env.config.source {
        Source::Read(path) | Source::Missing(Some(path)) => path.clone(),
        Source::Missing(None) => {
            return Err(Error::invalid(
                "no config directory to write the sync folder into; pass --config PATH",
            ));
        }
        Source::Skipped => {
            return Err(Error::invalid(
                "--no-config: no config file to write the sync folder into",
            ));
        }
    };
    std::fs::create_dir_all(&args.dir).map_err(|e| Error::io(&args.dir, e))?;
    let dir = std::path::absolute(&args.dir).map_err(|e| Error::io(&args.dir, e))?;
    if args.git && sync::init_repo(&dir).map_err(Error::invalid)? {
        writeln!(
            out,
            "git init {}: add a remote with `git -C DIR remote add origin URL` and push once \
             with `git -C DIR push -u origin HEAD`",
            escape_line(&dir.display().to_string())
        )?;
    }
    let line = crate::config::edit::set_sync_dir(&file, &dir.display().to_string())?;
    writeln!(
        out,
        "sync folder: {} (set in {}:{line})",
        escape_line(&dir.display().to_string()),
        escape_line(&file.display().to_string())
    )?;
    run_sync(env, &dir, false, out)
}

fn run_status(env: &Env, args: &SyncStatusArgs, out: &mut dyn Write) -> Result<()> {
    let mut ctx = env.open()?;
    let dir = args.dir.clone().or_else(|| env.config.sync.dir.clone());
    let status = sync::status(&mut ctx.store, dir.as_deref())?;
    if args.json {
        return print_json(out, &status);
    }
    print_status(&ctx.clock, dir.as_deref(), &status, out)
}

fn print_status(
    clock: &Clock,
    dir: Option<&Path>,
    status: &Status,
    out: &mut dyn Write,
) -> Result<()> {
    let when = |ms: Option<i64>| {
        ms.and_then(chrono::DateTime::from_timestamp_millis)
            .map_or("never".to_string(), |t| {
                t.with_timezone(clock.now().offset())
                    .format("%Y-%m-%d %H:%M")
                    .to_string()
            })
    };
    let folder = dir.map_or("none set".to_string(), |d| d.display().to_string());
    writeln!(out, "sync folder: {}", escape_line(&folder))?;
    match &status.device {
        Some(device) => writeln!(
            out,
            "this device: {device} (last sync {}, {} in its log)",
            when(status.last_sync_ms),
            plural(status.own_lines, "line")
        )?,
        None => writeln!(out, "this device: not synced yet")?,
    }
    writeln!(
        out,
        "unsent:      {} made here since the last sync",
        plural_as(status.unsent, "answer or undo", "answers and undos")
    )?;
    if status.unsent_card_events > 0 {
        writeln!(
            out,
            "             {} (resets, deletions, deck renames)",
            plural(status.unsent_card_events, "card event")
        )?;
    }
    writeln!(
        out,
        "pending:     {} of cards this database does not have",
        plural(status.pending, "answer")
    )?;
    writeln!(out, "devices:     {}", status.devices.len())?;
    for d in &status.devices {
        let unread = match d.unread_bytes {
            Some(0) => "all read".to_string(),
            Some(n) => format!("{n} bytes unread"),
            None => "no log in the folder".to_string(),
        };
        writeln!(
            out,
            "  {}  {}, last {}, {unread}",
            d.device,
            plural(d.events, "change"),
            when(d.last_event_ms)
        )?;
    }
    Ok(())
}
