//! `recall backup` and `recall restore`.

use std::io::Write;
use std::path::Path;

use super::{Context, Output};
use crate::cli::{BackupArgs, RestoreArgs};
use crate::domain::text::escape_line;
use crate::error::{Error, Result};
use crate::storage::restore;

/// `recall backup`; `keep`: the backups the folder keeps.
pub fn run(ctx: &Context, args: &BackupArgs, keep: usize, out: &mut dyn Write) -> Result<()> {
    let Some(target) = args.output.as_deref() else {
        let file = ctx.store.backup_into_folder("manual", keep)?;
        writeln!(out, "Saved {}", escape_line(&file.display().to_string()))?;
        return Ok(());
    };
    // Refuse before the copy is made, not after.
    let mut sink = Output::open(Some(target), args.force, &[ctx.store.path()])?;
    // SQLite's backup API writes to a database file, so the copy is made as
    // an ordinary backup in `backups/` and then streamed through `Output`,
    // which puts it in place whole (or not at all). A kill in between leaves
    // only a backup, which rotation deals with like any other of its kind.
    let scratch = ctx.store.backup_into_folder("for-output", keep)?;
    let copied = std::fs::File::open(&scratch)
        .map_err(|e| Error::io(&scratch, e))
        .and_then(|mut file| {
            std::io::copy(&mut file, &mut sink).map_err(|e| Error::io(target, e))?;
            sink.finish()
        });
    let _ = std::fs::remove_file(&scratch);
    copied?;
    writeln!(out, "Saved {}", escape_line(&target.display().to_string()))?;
    Ok(())
}

/// `recall restore FILE` into the database `db`.
pub fn restore(db: &Path, args: &RestoreArgs, keep: usize, out: &mut dyn Write) -> Result<()> {
    let file = args.file.as_path();
    let restored = restore::restore(db, file, keep)?;
    let show = |p: &Path| escape_line(&p.display().to_string()).into_owned();
    match (&restored.previous, restored.previous_damaged) {
        (Some(previous), true) => writeln!(
            out,
            "The damaged database was moved, untouched, to {}.",
            show(previous)
        )?,
        (Some(previous), false) => writeln!(
            out,
            "The database as it was is saved in {}.",
            show(previous)
        )?,
        (None, _) => {}
    }
    writeln!(out, "Restored {} from {}.", show(db), show(file))?;
    Ok(())
}
