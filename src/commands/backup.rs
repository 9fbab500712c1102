//! `recall backup` and `recall restore`.

use std::io::Write;
use std::path::Path;

use super::{Context, Output};
use crate::domain::text::escape_line;
use crate::error::{Error, Result};
use crate::storage::restore;

pub fn run(
    ctx: &Context,
    output: Option<&Path>,
    force: bool,
    keep: usize,
    out: &mut dyn Write,
) -> Result<()> {
    let Some(target) = output else {
        let file = ctx.store.backup_into_folder("manual", keep)?;
        writeln!(out, "Saved {}", escape_line(&file.display().to_string()))?;
        return Ok(());
    };
    // Refuse before the copy is made, not after.
    let mut sink = Output::open(Some(target), force)?;
    // SQLite's backup API writes to a database file, so the copy is made in
    // a scratch file and then streamed through `Output`, which puts it in
    // place whole (or not at all) and never replaces a file without --force.
    let mut name = target.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".recall-copy-{}", std::process::id()));
    let scratch = target.with_file_name(name);
    let copied = ctx.store.backup_to(&scratch).and_then(|()| {
        let mut file = std::fs::File::open(&scratch).map_err(|e| Error::io(&scratch, e))?;
        std::io::copy(&mut file, &mut sink).map_err(|e| Error::io(target, e))?;
        sink.finish()
    });
    let _ = std::fs::remove_file(&scratch);
    copied?;
    writeln!(out, "Saved {}", escape_line(&target.display().to_string()))?;
    Ok(())
}

pub fn restore(db: &Path, file: &Path, keep: usize, out: &mut dyn Write) -> Result<()> {
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
