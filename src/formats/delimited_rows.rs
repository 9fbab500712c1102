//! The records of a delimited file becoming cards, one at a time: which
//! field is which, the checks (strict for a file that names its columns,
//! as Anki reads it otherwise: see `delimited`), the decks the cards go to
//! and the pieces handed to the sink, and what the report will say.

use super::delimited_headers::{Columns, Headers, Role};
use super::ids::UniqueIds;
use super::{
    DeckCheck, Loaded, MAX_FIELD_BYTES, Sink, derived_id, file_error, html, line_error,
    push_entry_cards,
};
use crate::domain::{CardDraft, DeckDraft};
use crate::error::Result;

/// The records of a file becoming decks, and what the report will say.
pub(super) struct Rows<'a> {
    file: &'a str,
    stem: &'a str,
    /// `--deck`: the one deck every card goes to. Named here, not by
    /// renaming the pieces after: one deck is checked once (ids unique
    /// over the whole file), and a second check of every card was a tenth
    /// of re-importing 100 000 cards.
    into: Option<&'a str>,
    headers: &'a Headers,
    columns: Columns,
    fields: Fields,
    /// The first row's width.
    width: usize,
    decks: Vec<Building>,
    loaded: Loaded,
    media: usize,
    short_rows: usize,
    long_rows: usize,
}

impl<'a> Rows<'a> {
    pub(super) fn new(
        file: &'a str,
        stem: &'a str,
        into: Option<&'a str>,
        headers: &'a Headers,
        columns: Columns,
        width: usize,
    ) -> Self {
        let fields = Fields {
            front: columns.of(Role::Front),
            back: columns.of(Role::Back),
            notes: columns.of(Role::Notes),
            html: headers.html,
        };
        Rows {
            file,
            stem,
            into,
            headers,
            columns,
            fields,
            width,
            decks: Vec::new(),
            loaded: Loaded::default(),
            media: 0,
            short_rows: 0,
            long_rows: 0,
        }
    }

    /// Record `number` (1-based, the header row counted) as cards.
    pub(super) fn add(
        &mut self,
        record: &csv::StringRecord,
        number: usize,
        sink: &mut Sink<'_>,
    ) -> Result<()> {
        let line = self.headers.lines
            + usize::try_from(record.position().map_or(0, csv::Position::line)).unwrap_or(0);
        let at = |message: String| line_error(self.file, line, message);
        self.measure(record, number).map_err(at)?;
        let Some((mut entry, reverse, deck_name)) = self.entry(record, line) else {
            return Ok(());
        };
        let strict = self.columns.named;
        let deck = self.deck(&deck_name, sink).map_err(at)?;
        if entry.key.is_empty() {
            // recall's own CSV refuses a repeated front; Anki keeps both.
            entry.key = if strict {
                derived_id(&entry.front)
            } else {
                deck.ids.derive(&entry.front)
            };
        }
        let start = deck.cards.len();
        push_entry_cards(&mut deck.cards, entry, reverse);
        for card in &deck.cards[start..] {
            deck.check.card(card).map_err(at)?;
        }
        if deck.cards.len() >= PIECE_CARDS {
            let cards = std::mem::take(&mut deck.cards);
            sink(piece(&deck.name, cards))?;
        }
        Ok(())
    }

    /// Refuses a field over the limit, and a row of another width than the
    /// first in a strict file; counts short and long rows otherwise.
    fn measure(
        &mut self,
        record: &csv::StringRecord,
        number: usize,
    ) -> std::result::Result<(), String> {
        if let Some(message) = oversized(record) {
            return Err(format!("record {number}: {message}"));
        }
        if self.columns.named && record.len() != self.width {
            return Err(format!(
                "record {number} has {} field(s), but the first row has {} \
                 (ragged row; check the separator and quotes)",
                record.len(),
                self.width
            ));
        }
        self.short_rows += usize::from(record.len() < self.width);
        self.long_rows += usize::from(record.len() > self.width);
        Ok(())
    }

    /// The record as an entry (its key empty if the file gives none),
    /// whether it is reversed, and its deck's name; `None` for a row of a
    /// lenient file with an empty first field (skipped, as Anki does).
    fn entry(
        &mut self,
        record: &csv::StringRecord,
        line: usize,
    ) -> Option<(CardDraft, bool, String)> {
        let (front, back, mut notes) = self.fields.read(record, self.width, &mut self.media);
        if !self.columns.named {
            if front.trim().is_empty() {
                self.loaded.skipped.push(format!(
                    "line {line}: the first field is empty (Anki makes no card of such a row)"
                ));
                return None;
            }
            let extra = self.fields.extra(record, self.width, &mut self.media);
            if !extra.is_empty() {
                notes = if notes.is_empty() {
                    extra
                } else {
                    format!("{notes}\n{extra}")
                };
            }
        }
        let raw = |role: Role| {
            self.columns
                .of(role)
                .and_then(|i| record.get(i))
                .unwrap_or("")
        };
        let mut tags = self.headers.tags.clone();
        tags.extend(raw(Role::Tags).split_whitespace().map(str::to_string));
        let is_reverse = |notetype: &str| notetype.to_ascii_lowercase().contains("reverse");
        let reverse = match raw(Role::Notetype) {
            "" => self.headers.notetype.as_deref().is_some_and(is_reverse),
            notetype => is_reverse(notetype),
        };
        let deck = self
            .into
            .or(Some(raw(Role::Deck).trim()))
            .filter(|d| !d.is_empty())
            .or(self.headers.deck.as_deref())
            .unwrap_or(self.stem)
            .to_string();
        let entry = CardDraft {
            key: raw(Role::Id).trim().to_string(),
            front,
            back,
            notes,
            tags,
            typed: false,
        };
        Some((entry, reverse, deck))
    }

    /// The deck named `name`, begun (and announced to the sink) if new.
    fn deck(
        &mut self,
        name: &str,
        sink: &mut Sink<'_>,
    ) -> std::result::Result<&mut Building, String> {
        let index = match self.decks.iter().position(|d| d.name == name) {
            Some(i) => i,
            None => {
                let check = if self.columns.named {
                    DeckCheck::new(name)?
                } else {
                    DeckCheck::foreign(name)?
                };
                // An empty first piece: decks reach the sink in file order.
                sink(piece(name, Vec::new())).map_err(|e| e.to_string())?;
                self.decks.push(Building {
                    name: name.to_string(),
                    check,
                    ids: UniqueIds::default(),
                    cards: Vec::new(),
                });
                self.decks.len() - 1
            }
        };
        Ok(&mut self.decks[index])
    }

    /// Hands over the last pieces; says what was padded, moved or kept.
    pub(super) fn finish(mut self, sink: &mut Sink<'_>) -> Result<Loaded> {
        if self.decks.is_empty() {
            let message = match self.loaded.skipped.len() {
                0 => "no cards: the file has no data rows".to_string(),
                n => format!("no cards: the first field of all {n} row(s) is empty"),
            };
            return Err(file_error(self.file, message));
        }
        let repeats: usize = self.decks.iter().map(|d| d.ids.repeats()).sum();
        for deck in self.decks {
            if !deck.cards.is_empty() {
                sink(piece(&deck.name, deck.cards))?;
            }
        }
        let warnings = &mut self.loaded.warnings;
        if repeats > 0 {
            warnings.push(format!(
                "{repeats} card(s) with a front that an earlier row has: imported too, as Anki \
                 does, with ids numbered -2, -3, …"
            ));
        }
        if self.short_rows > 0 {
            warnings.push(format!(
                "{} short row(s) padded with empty fields, as Anki does",
                self.short_rows
            ));
        }
        if self.long_rows > 0 {
            warnings.push(format!(
                "{} long row(s): the fields past the first row's {} kept in the notes",
                self.long_rows, self.width
            ));
        }
        if self.media > 0 {
            warnings.push(format!(
                "{} media reference(s) kept as text; recall shows no images or sound",
                self.media
            ));
        }
        Ok(self.loaded)
    }
}

/// Cards per piece handed to the sink: enough to keep the writer busy,
/// few enough that writing starts soon after reading does.
const PIECE_CARDS: usize = 2048;

/// A deck while its cards are read.
struct Building {
    name: String,
    check: DeckCheck,
    ids: UniqueIds,
    /// Cards read since the last piece was handed over.
    cards: Vec<CardDraft>,
}

fn piece(name: &str, cards: Vec<CardDraft>) -> DeckDraft {
    DeckDraft {
        name: name.to_string(),
        description: String::new(),
        position: None,
        cards,
    }
}

/// Where a card's texts are, and how to read them.
struct Fields {
    front: Option<usize>,
    back: Option<usize>,
    notes: Option<usize>,
    /// `#html:true`: the texts are HTML, turned into plain text.
    html: bool,
}

impl Fields {
    fn text(&self, raw: &str, media: &mut usize) -> String {
        if self.html {
            *media += html::media_references(raw);
            html::to_text(raw)
        } else {
            raw.to_string()
        }
    }

    /// Front, back and notes of one record (of the first row's `width`
    /// columns); counts media references.
    fn read(
        &self,
        record: &csv::StringRecord,
        width: usize,
        media: &mut usize,
    ) -> (String, String, String) {
        let mut text = |i: Option<usize>| {
            let raw = i.filter(|&i| i < width).and_then(|i| record.get(i));
            self.text(raw.unwrap_or(""), media)
        };
        (text(self.front), text(self.back), text(self.notes))
    }

    /// The non-empty fields past the first row's `width`, one a line.
    fn extra(&self, record: &csv::StringRecord, width: usize, media: &mut usize) -> String {
        let extra: Vec<String> = record
            .iter()
            .skip(width)
            .filter(|f| !f.trim().is_empty())
            .map(|f| self.text(f, media))
            .collect();
        extra.join("\n")
    }
}

/// The first field of a record over the size limit, as a message.
fn oversized(record: &csv::StringRecord) -> Option<String> {
    let (i, field) = record
        .iter()
        .enumerate()
        .find(|(_, f)| f.len() > MAX_FIELD_BYTES)?;
    Some(format!(
        "column {} is {} bytes, over the limit of {MAX_FIELD_BYTES}",
        i + 1,
        field.len()
    ))
}
