//! `recall check`: lints deck files without touching the database.

use std::collections::HashMap;
use std::io::Write;

use crate::cli::CheckArgs;
use crate::domain::DeckDraft;
use crate::domain::plural::plural;
use crate::domain::text::{escape_controls, escape_line};
use crate::error::{Error, Result};
use crate::formats::{self, LoadOptions, cloze};
use crate::storage::Store;

/// Past these, a card is hard to answer in one go: worth splitting.
pub const LONG_FRONT_CHARS: usize = 300;
pub const LONG_BACK_CHARS: usize = 1500;

/// Problems in one deck, as messages (pure, so unit-tested directly).
pub fn lint(deck: &DeckDraft) -> Vec<String> {
    let mut found = Vec::new();
    let mut fronts: HashMap<&str, &str> = HashMap::new();
    let mut folded: HashMap<String, &str> = HashMap::new();
    for card in &deck.cards {
        let id = card.key.as_str();
        if let Some(other) = fronts.insert(card.front.trim(), id) {
            found.push(format!("cards {other:?} and {id:?} have the same front"));
        }
        if let Some(other) = folded.insert(card.key.to_lowercase(), id)
            && other != id
        {
            found.push(format!("ids {other:?} and {id:?} differ only in case"));
        }
        for (side, text) in [("front", &card.front), ("back", &card.back)] {
            if text.trim().is_empty() {
                found.push(format!("card {id:?}: the {side} is empty"));
            }
            if cloze::looks_broken(text) {
                found.push(format!(
                    "card {id:?}: the {side} has {{{{c… but no valid cloze deletion \
                     (write {{{{c1::answer}}}} or {{{{c1::answer::hint}}}})"
                ));
            }
        }
        let (front, back) = (card.front.chars().count(), card.back.chars().count());
        if front > LONG_FRONT_CHARS || back > LONG_BACK_CHARS {
            found.push(format!(
                "card {id:?} is long ({front} characters in front, {back} in back; \
                 over {LONG_FRONT_CHARS}/{LONG_BACK_CHARS}): consider splitting it"
            ));
        }
    }
    found
}

pub fn run(args: &CheckArgs, out: &mut dyn Write) -> Result<()> {
    let files = &args.files;
    let options = LoadOptions {
        format: args.format.format,
        ..LoadOptions::default()
    };
    let mut problems = 0;
    // (deck, id) → the file that has it, to find ids colliding across files.
    let mut owners: HashMap<(String, String), String> = HashMap::new();
    for file in files {
        let name = file.display().to_string();
        let shown = escape_line(&name).into_owned();
        let loaded = match formats::load(file, &options) {
            Ok(loaded) => loaded,
            Err(e) => {
                problems += 1;
                writeln!(out, "{}", escape_controls(&e.to_string()))?;
                continue;
            }
        };
        let mut found = Vec::new();
        for deck in &loaded.decks {
            for problem in lint(deck) {
                found.push(format!("{}: {problem}", deck.name));
            }
            for card in &deck.cards {
                let slot = (deck.name.clone(), card.key.clone());
                if let Some(other) = owners.insert(slot, name.clone())
                    && other != name
                {
                    found.push(format!(
                        "{}: id {:?} is also in {other}",
                        deck.name, card.key
                    ));
                }
            }
        }
        found.extend(loaded.skipped.iter().map(|s| format!("skipped {s}")));
        found.extend(loaded.media_problems.iter().cloned());
        let cards: usize = loaded.decks.iter().map(|d| d.cards.len()).sum();
        if found.is_empty() {
            writeln!(out, "{shown}: ok ({})", plural(cards, "card"))?;
        }
        for problem in &found {
            writeln!(out, "{shown}: {}", escape_line(problem))?;
        }
        problems += found.len();
    }
    if problems > 0 {
        return Err(Error::invalid(format!(
            "{} found",
            plural(problems, "problem")
        )));
    }
    Ok(())
}

/// `recall check --media`: each card's media that has no file, then (with
/// `fix`) the files no deck names, deleted.
pub fn media(store: &Store, fix: bool, out: &mut dyn Write) -> Result<()> {
    let missing = store.missing_media()?;
    for m in &missing {
        let why = if m.file_lost {
            "its file is gone from media/ (import the deck again)"
        } else {
            "not imported"
        };
        writeln!(
            out,
            "{}: card {}: {} {why}",
            escape_line(&m.deck),
            escape_line(&m.card),
            escape_line(&m.name)
        )?;
    }
    let stray = store.unreferenced_media(fix)?;
    let (names, files) = store.media_counts()?;
    writeln!(
        out,
        "media: {} named by decks, {} file(s); {} missing; {} unreferenced{}",
        names,
        files,
        missing.len(),
        stray.len(),
        if fix && !stray.is_empty() {
            " (deleted)"
        } else if stray.is_empty() {
            ""
        } else {
            " (--fix deletes them)"
        }
    )?;
    if missing.is_empty() {
        return Ok(());
    }
    Err(Error::invalid(format!(
        "{} missing",
        plural(missing.len(), "media file")
    )))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::CardDraft;

    fn card(key: &str, front: &str, back: &str) -> CardDraft {
        CardDraft {
            key: key.into(),
            front: front.into(),
            back: back.into(),
            notes: String::new(),
            tags: vec![],
            typed: false,
        }
    }

    #[test]
    fn finds_each_kind_of_problem() {
        let deck = DeckDraft {
            name: "d".into(),
            description: String::new(),
            position: None,
            cards: vec![
                card("a", "same", "x"),
                card("A", "same", " "),
                card("c", "{{c1:oops}}", "x"),
                card("d", &"long ".repeat(100), "x"),
            ],
        };
        let found = lint(&deck);
        assert_eq!(found.len(), 5, "{found:#?}");
        assert!(found[0].contains("same front"));
        assert!(found[1].contains("differ only in case"));
        assert!(found[2].contains("back is empty"));
        assert!(found[3].contains("no valid cloze"));
        assert!(found[4].contains("is long"));
    }

    #[test]
    fn a_clean_deck_has_nothing() {
        let deck = DeckDraft {
            name: "d".into(),
            description: String::new(),
            position: None,
            cards: vec![card("a", "q", "a"), card("b", "q2", "a")],
        };
        assert!(lint(&deck).is_empty());
    }
}
