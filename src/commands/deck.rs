//! `recall deck rename OLD NEW` and `recall deck delete NAME [--yes]`.

use std::io::{BufRead, IsTerminal, Write};

use super::Context;
use crate::cli::{DeleteArgs, RenameArgs};
use crate::domain::text::{escape_line, forbidden_in_name};
use crate::error::{Error, Result};
use crate::workflows::study;

pub fn rename(ctx: &mut Context, args: &RenameArgs, out: &mut dyn Write) -> Result<()> {
    let (id, old) = ctx.store.resolve_deck(&args.old)?;
    let new = args.new.trim();
    if new.is_empty() {
        return Err(Error::invalid("the new name is empty; nothing was renamed"));
    }
    if let Some(c) = forbidden_in_name(new) {
        return Err(Error::invalid(format!(
            "the new name holds the control character {c}; nothing was renamed"
        )));
    }
    if new == old {
        writeln!(out, "The deck is already named {}.", escape_line(new))?;
        return Ok(());
    }
    ctx.store.rename_deck(id, new)?;
    writeln!(
        out,
        "Renamed {} to {}.",
        escape_line(&old),
        escape_line(new)
    )?;
    Ok(())
}

pub fn delete(
    ctx: &mut Context,
    args: &DeleteArgs,
    keep_backups: usize,
    out: &mut dyn Write,
) -> Result<()> {
    let (id, name) = ctx.store.resolve_deck(&args.name)?;
    if !args.yes && !confirm(ctx, &name, out)? {
        writeln!(out, "Nothing was deleted.")?;
        return Ok(());
    }
    let (backup, deleted) = study::delete_deck(&mut ctx.store, id, keep_backups)?;
    writeln!(
        out,
        "Deleted {} with {} {} and {} {}.\nA backup from just before is {} (`recall restore` brings it back).",
        escape_line(&name),
        deleted.cards,
        if deleted.cards == 1 { "card" } else { "cards" },
        deleted.reviews,
        if deleted.reviews == 1 {
            "answer"
        } else {
            "answers"
        },
        escape_line(&backup.display().to_string()),
    )?;
    Ok(())
}

/// Asks on the terminal; without one, `--yes` is the only way to say yes.
fn confirm(ctx: &Context, name: &str, out: &mut dyn Write) -> Result<bool> {
    if !(std::io::stdin().is_terminal() && std::io::stdout().is_terminal()) {
        return Err(Error::invalid(format!(
            "deleting the deck {name:?} needs --yes when recall cannot ask on a terminal; \
             nothing was deleted"
        )));
    }
    let cards = ctx
        .store
        .deck_summaries(ctx.clock.today())?
        .into_iter()
        .find(|d| d.name == name)
        .map_or(0, |d| d.total);
    write!(
        out,
        "Delete the deck {} with its {cards} {} and their history? A backup is saved first. [y/N] ",
        escape_line(name),
        if cards == 1 { "card" } else { "cards" }
    )?;
    out.flush()?;
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    Ok(matches!(answer.trim(), "y" | "Y" | "yes" | "Yes" | "YES"))
}
