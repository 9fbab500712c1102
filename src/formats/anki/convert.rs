//! A collection's notes as recall's cards: one card for each card Anki has,
//! rendered through its note type's templates, in the deck Anki has it in;
//! what cannot be shown is skipped with its reason. Card ids are the note's
//! GUID and the card's template (see `card_key`), so a re-import finds the
//! same cards and keeps their progress.

use std::collections::{HashMap, HashSet};

use super::collection::{AnkiCard, AnkiCollection, AnkiNote, AnkiReview};
use super::notetype::NoteType;
use super::progress::{foreign_answer, schedule_of};
use super::render::Renderer;
use crate::domain::{CardDraft, DeckDraft, ImportedProgress, Schedule};
use crate::error::Result;
use crate::formats::{Loaded, MAX_FIELD_BYTES, file_error, html, validate_foreign};

/// The warning for a collection's media references, which a package
/// whose media came along takes back (`package`).
pub(super) const MEDIA_AS_TEXT: &str = "media reference(s) kept as text";

/// The most card text a collection may render to. A note's text is repeated
/// on each of its cards (a cloze note may have 500), so a small package
/// could otherwise make gigabytes; all of it is in memory until written.
/// 100 000 cards of 1 KiB of HTML each fit.
pub(super) const MAX_TEXT_BYTES: usize = 128 << 20;

/// recall's id for card `ord` of a note: the GUID for the first template,
/// `GUID:reverse` for the second (the reverse card of Anki's stock types),
/// `GUID:card3`, `GUID:card4`… after that; `GUID:c1`, `GUID:c2`… (the
/// deletion number) for cloze note types.
pub fn card_key(guid: &str, cloze: bool, ord: u32) -> String {
    match (cloze, ord) {
        (true, n) => format!("{guid}:c{}", n + 1),
        (false, 0) => guid.to_string(),
        (false, 1) => format!("{guid}:reverse"),
        (false, n) => format!("{guid}:card{}", n + 1),
    }
}

/// Refuses a note with a field over `MAX_FIELD_BYTES` (the whole file:
/// such a field is no mistake of one card but a hostile or broken file).
pub(super) fn no_field_too_big(guid: &str, fields: &[&str]) -> std::result::Result<(), String> {
    match fields.iter().find(|f| f.len() > MAX_FIELD_BYTES) {
        Some(big) => Err(format!(
            "note {guid:?}: a field is {} bytes, over the limit of {MAX_FIELD_BYTES}",
            big.len()
        )),
        None => Ok(()),
    }
}

/// Everything a collection gives recall. `with_progress`: schedules and
/// the review log too.
pub fn convert(file: &str, col: &AnkiCollection, with_progress: bool) -> Result<Loaded> {
    let fail = |message: String| file_error(file, message);
    if col.notes.is_empty() {
        return Err(fail("no notes: the collection is empty".into()));
    }
    let mut by_note: HashMap<i64, Vec<&AnkiCard>> = HashMap::new();
    for card in &col.cards {
        by_note.entry(card.note).or_default().push(card);
    }
    let mut log: HashMap<i64, Vec<&AnkiReview>> = HashMap::new();
    if with_progress {
        for review in &col.reviews {
            log.entry(review.card).or_default().push(review);
        }
    }
    let mut out = Converter {
        col,
        with_progress,
        log,
        loaded: Loaded::default(),
        decks: Vec::new(),
        deck_index: HashMap::new(),
        text_bytes: 0,
        guids: HashMap::new(),
        media: 0,
        scheduled: 0,
    };
    for note in &col.notes {
        out.note(note, by_note.get(&note.id).map_or(&[][..], Vec::as_slice))
            .map_err(fail)?;
        if out.text_bytes > MAX_TEXT_BYTES {
            return Err(fail(format!(
                "its cards come to more than {MAX_TEXT_BYTES} bytes of text (each cloze card \
                 repeats its note's text): no real deck is this big"
            )));
        }
    }
    out.finish(file)
}

struct Converter<'a> {
    col: &'a AnkiCollection,
    with_progress: bool,
    log: HashMap<i64, Vec<&'a AnkiReview>>,
    loaded: Loaded,
    decks: Vec<DeckDraft>,
    deck_index: HashMap<String, usize>,
    /// The text of the cards so far: see `MAX_TEXT_BYTES`.
    text_bytes: usize,
    /// How many notes so far had each GUID.
    guids: HashMap<&'a str, u32>,
    media: usize,
    scheduled: usize,
}

impl<'a> Converter<'a> {
    fn note(&mut self, note: &'a AnkiNote, rows: &[&AnkiCard]) -> std::result::Result<(), String> {
        let guid = note.guid.as_str();
        let fields: Vec<&str> = note.fields.split('\u{1f}').collect();
        no_field_too_big(guid, &fields)?;
        let Some(notetype) = self.col.notetypes.get(&note.notetype) else {
            self.skip(guid, format!("unknown note type {}", note.notetype));
            return Ok(());
        };
        if rows.is_empty() {
            self.skip(guid, "has no cards".into());
            return Ok(());
        }
        if notetype.cloze && fields.iter().any(|f| f.contains("image-occlusion:")) {
            self.skip(
                guid,
                "image occlusion (needs its image; recall shows text only)".into(),
            );
            return Ok(());
        }
        self.media += fields
            .iter()
            .map(|f| html::media_references(f))
            .sum::<usize>();
        let base = self.key_base(guid);
        let notes = notetype
            .notes_field()
            .and_then(|i| fields.get(i))
            .map_or_else(String::new, |f| html::to_text(f));
        let mut renderer = Renderer::new(notetype, &fields, &note.tags);
        let mut done: HashSet<i64> = HashSet::new();
        for row in rows {
            // A second card of one template (a damaged file) is the first again.
            if !done.insert(row.ord) {
                continue;
            }
            self.card(note, notetype, &mut renderer, row, (&base, &notes));
        }
        Ok(())
    }

    /// The GUID, or for a second note with the same GUID (a bug of some
    /// generators) the GUID and `:dup2`, `:dup3`…: Anki imports them all.
    fn key_base(&mut self, guid: &'a str) -> String {
        let seen = self.guids.entry(guid).or_insert(0);
        *seen += 1;
        if *seen == 1 {
            return guid.to_string();
        }
        self.loaded.warnings.push(format!(
            "duplicate GUID: note {guid:?} is in the file {seen} times (a bug of the program \
             that made it); Anki imports every copy, and so does recall: this one as {guid}:dup{seen}"
        ));
        format!("{guid}:dup{seen}")
    }

    fn card(
        &mut self,
        note: &AnkiNote,
        notetype: &NoteType,
        renderer: &mut Renderer<'_>,
        row: &AnkiCard,
        (base, notes): (&str, &str),
    ) {
        let deck = self.deck_of(row);
        let Ok(ord) = u32::try_from(row.ord) else {
            self.skip(&note.guid, format!("card with template number {}", row.ord));
            return;
        };
        let rendered = match renderer.render(&deck, row.id, ord) {
            Ok(r) if r.front.trim().is_empty() => {
                self.skip(
                    &note.guid,
                    format!("card {}: its front shows no text", ord + 1),
                );
                return;
            }
            Ok(r) => r,
            Err(e) => {
                self.skip(
                    &note.guid,
                    format!("card {} of {:?}: {e}", ord + 1, notetype.name),
                );
                return;
            }
        };
        let key = card_key(base, notetype.cloze, ord);
        self.progress(row, &deck, &key);
        let card = CardDraft {
            key,
            front: rendered.front,
            back: rendered.back,
            notes: notes.to_string(),
            tags: note.tags.split_whitespace().map(str::to_string).collect(),
            typed: rendered.typed,
        };
        self.text_bytes += card.front.len() + card.back.len();
        match self.deck_index.get(&deck) {
            Some(&i) => self.decks[i].cards.push(card),
            None => {
                self.deck_index.insert(deck.clone(), self.decks.len());
                self.decks.push(DeckDraft {
                    name: deck,
                    description: String::new(),
                    position: None,
                    cards: vec![card],
                });
            }
        }
    }

    /// Suspended and buried always come along (the user chose them); the
    /// schedule and the log with `--with-progress`.
    fn progress(&mut self, row: &AnkiCard, deck: &str, key: &str) {
        if row.reps > 0 {
            self.scheduled += 1;
        }
        let schedule = (self.with_progress)
            .then(|| schedule_of(row, self.col.created.div_euclid(86_400)))
            .filter(|s| *s != Schedule::NEW);
        let suspended = row.queue == -1;
        let buried = matches!(row.queue, -2 | -3);
        if schedule.is_some() || suspended || buried {
            self.loaded.progress.push(ImportedProgress {
                deck: deck.to_string(),
                key: key.to_string(),
                schedule,
                suspended,
                buried,
            });
        }
        if let Some(reviews) = self.log.get(&row.id) {
            let answers = reviews.iter().filter_map(|r| foreign_answer(r, deck, key));
            self.loaded.history.extend(answers);
        }
    }

    /// A card in a filtered deck belongs to its home deck.
    fn deck_of(&self, row: &AnkiCard) -> String {
        let id = if row.original_deck != 0 {
            row.original_deck
        } else {
            row.deck
        };
        self.col
            .decks
            .get(&id)
            .cloned()
            .unwrap_or_else(|| format!("Anki deck {id}"))
    }

    fn skip(&mut self, guid: &str, reason: String) {
        self.loaded.skipped.push(format!("note {guid:?}: {reason}"));
    }

    fn finish(mut self, file: &str) -> Result<Loaded> {
        checked(file, &self.decks, &self.loaded.skipped, "no note")?;
        if self.media > 0 {
            self.loaded.warnings.push(format!(
                "{} {MEDIA_AS_TEXT}; recall shows no images or sound",
                self.media
            ));
        }
        if self.scheduled > 0 && !self.with_progress {
            self.loaded.warnings.push(format!(
                "{} card(s) have Anki review history, not imported; --with-progress brings it",
                self.scheduled
            ));
        }
        self.loaded.decks = self.decks;
        Ok(self.loaded)
    }
}

/// The decks of an Anki file, checked; none at all is an error that says
/// why (`what` made no card: "no note", …) with the first reason skipped.
pub(super) fn checked(
    file: &str,
    decks: &[DeckDraft],
    skipped: &[String],
    what: &str,
) -> Result<()> {
    let fail = |message: String| file_error(file, message);
    if decks.is_empty() {
        return Err(fail(format!(
            "no cards: {what} makes a card that recall can show ({} skipped{})",
            skipped.len(),
            skipped.first().map_or(String::new(), |s| format!(": {s}"))
        )));
    }
    for deck in decks {
        validate_foreign(deck, |i, message| {
            fail(format!(
                "deck {:?}, card {:?}: {message}",
                deck.name,
                deck.cards.get(i).map_or("", |c| c.key.as_str())
            ))
        })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_keep_the_ids_recall_gave_before() {
        assert_eq!(card_key("G", false, 0), "G");
        assert_eq!(card_key("G", false, 1), "G:reverse");
        assert_eq!(card_key("G", false, 2), "G:card3");
        assert_eq!(card_key("G", true, 0), "G:c1");
        assert_eq!(card_key("G", true, 11), "G:c12");
    }
}
