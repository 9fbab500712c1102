//! What every deck-parser target checks, so that a new format (CSV, Anki,
//! Markdown, ...) gets a target with one file of three lines:
//!
//! ```ignore
//! #![no_main]
//! libfuzzer_sys::fuzz_target!(|data: &[u8]| recall_fuzz::deck_parser(data, recall::formats::csv_deck::parse));
//! ```
//! plus a `[[bin]]` entry in fuzz/Cargo.toml.

use recall::domain::DeckDraft;
use recall::error::{Error, Result};

/// Feeds arbitrary bytes to a `(file name, text) -> deck` parser the way
/// `formats::load` does (UTF-8 decoding first). It must not panic; what it
/// accepts must pass the shared validation and stay within the field limit.
pub fn deck_parser(data: &[u8], parse: fn(&str, &str) -> Result<DeckDraft>) {
    let strict = |d: &DeckDraft| recall::formats::validate(d, |_, m| Error::invalid(m));
    check_decks(data, strict, |file, text| {
        parse(file, text).map(|d| vec![d])
    });
}

/// The same for parsers of other programs' files that yield several decks
/// (their cards may have an empty back, as Anki's do).
pub fn deck_parser_many(data: &[u8], parse: impl Fn(&str, &str) -> Result<Vec<DeckDraft>>) {
    let foreign = |d: &DeckDraft| recall::formats::validate_foreign(d, |_, m| Error::invalid(m));
    check_decks(data, foreign, parse);
}

fn check_decks(
    data: &[u8],
    validate: impl Fn(&DeckDraft) -> Result<()>,
    parse: impl Fn(&str, &str) -> Result<Vec<DeckDraft>>,
) {
    let Ok(text) = recall::formats::decode_utf8("fuzz.input", data) else {
        return;
    };
    match parse("fuzz.input", &text) {
        Ok(decks) => {
            for deck in &decks {
                validate(deck).expect("a parsed deck passes validation");
                for card in &deck.cards {
                    assert!(card.front.len() <= recall::formats::MAX_FIELD_BYTES);
                }
            }
        }
        Err(e) => {
            // Errors are shown to people: they must render and name the file.
            let message = e.to_string();
            assert!(message.starts_with("fuzz.input"), "{message}");
        }
    }
}

/// The sanitizer's contract: nothing a terminal would act on survives.
pub fn sanitizer(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let out = recall::domain::text::escape_controls(&text);
    for c in out.chars() {
        let unsafe_char = matches!(c, '\u{0}'..='\u{8}' | '\u{b}'..='\u{1f}' | '\u{7f}'..='\u{9f}')
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
        assert!(!unsafe_char, "{c:?} survived escaping");
    }
    if out == text {
        return;
    }
    assert!(out.len() > text.len(), "escaping only ever adds");
}

/// The error contract for parsers that are not deck parsers: the message
/// renders and names the file.
fn names_the_file(e: &recall::error::Error) {
    let message = e.to_string();
    assert!(message.starts_with("fuzz.input"), "{message}");
}

/// HTML to text: linear whatever the markup. Tags and entities mostly
/// shrink; what grows is bounded: a list item's marker and indentation (8
/// levels at most) on each line, `[image: src]` for each `<img>`, and
/// `&nLt;`/`&nGt;` (5 bytes, 6 decoded).
pub fn html(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let out = recall::formats::html::to_text(&text);
    let images = recall::formats::html::media_references(&text);
    assert!(
        out.len() <= 10 * text.len() + 16 * (images + 1),
        "{} -> {}",
        text.len(),
        out.len()
    );
    let decoded = recall::formats::html::decode_entities(&text);
    assert!(decoded.len() <= text.len() + text.len() / 5);
}

/// Cloze expansion of one entry (front = the input, back = its reverse
/// halves): one card per deletion number, ids unique, no panic.
pub fn cloze(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let numbers = recall::formats::cloze::numbers(&text);
    let _ = recall::formats::cloze::looks_broken(&text);
    let card = recall::domain::CardDraft {
        key: "k".into(),
        front: text.clone().into_owned(),
        back: "extra".into(),
        notes: String::new(),
        tags: Vec::new(),
        typed: false,
    };
    match recall::formats::cloze::expand(&card) {
        None => assert!(numbers.is_empty()),
        Some(cards) => {
            assert_eq!(cards.len(), numbers.len());
            let keys: std::collections::HashSet<_> = cards.iter().map(|c| &c.key).collect();
            assert_eq!(keys.len(), cards.len());
        }
    }
}

/// An Anki package from arbitrary bytes. The collection goes through a
/// temporary file unlinked before it is written (`anki::Unnamed`), so nothing
/// can be left in /tmp; the README's "Fuzzing" says how that was checked.
pub fn apkg(data: &[u8]) {
    for with_progress in [false, true] {
        match recall::formats::anki::parse_package("fuzz.input", data, with_progress) {
            Ok(loaded) => {
                for deck in &loaded.decks {
                    recall::formats::validate_foreign(deck, |_, m| {
                        recall::error::Error::invalid(m)
                    })
                    .expect("a parsed deck passes validation");
                }
            }
            Err(e) => names_the_file(&e),
        }
        // Only zip archives reach the SQLite step; one pass is enough for the rest.
        if !data.starts_with(b"PK") {
            break;
        }
    }
}

/// The review-log reader (`import --reviews`), as CSV and as JSON.
pub fn review_log(data: &[u8]) {
    use recall::formats::records::{Format, read_reviews};
    for format in [Format::Csv, Format::Json] {
        let mut seen = 0usize;
        let result = read_reviews("fuzz.input", format, data, |record, parsed| {
            assert!(parsed.grade.value() <= 5);
            assert!(!record.reviewed_at.is_empty());
            seen += 1;
            Ok(())
        });
        if let Err(e) = result {
            names_the_file(&e);
        }
        assert!(seen <= data.len());
    }
}

/// The card edited in `$EDITOR`: a card that passes validation or an error.
pub fn card_snippet(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let card = recall::domain::Card {
        id: 1,
        deck: "Deck".into(),
        key: "key".into(),
        front: "f".into(),
        back: "b".into(),
        notes: String::new(),
        tags: Vec::new(),
        schedule: recall::domain::Schedule::default(),
        suspended: false,
        last_review: None,
    };
    match recall::formats::card_snippet::parse("fuzz.input", text, &card) {
        Ok(draft) => {
            assert_eq!(draft.key, "key");
            let deck = recall::domain::DeckDraft {
                name: "Deck".into(),
                description: String::new(),
                position: None,
                cards: vec![draft],
            };
            recall::formats::validate(&deck, |_, m| recall::error::Error::invalid(m))
                .expect("an accepted snippet passes validation");
        }
        Err(e) => names_the_file(&e),
    }
}

/// Bytes to text: BOMs, UTF-16 and broken UTF-8 give text or a named error.
pub fn decode(data: &[u8]) {
    match recall::formats::decode_text("fuzz.input", data) {
        // UTF-16 can grow (two bytes to three), never past 3/2.
        Ok(text) => assert!(text.len() <= data.len() / 2 * 3 + 3),
        Err(e) => names_the_file(&e),
    }
    match recall::formats::decode_utf8("fuzz.input", data) {
        Ok(text) => assert!(text.len() <= data.len()),
        Err(e) => names_the_file(&e),
    }
}

/// A note rendered through arbitrary templates: the input, split at 0x1f,
/// is the front template, the back template and the fields; its first byte
/// says cloze or not and which card. No panic, no hang.
pub fn anki_template(data: &[u8]) {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let mut parts = text.split('\u{1f}');
    let front = parts.next().unwrap_or_default();
    let back = parts.next().unwrap_or_default();
    let fields: Vec<&str> = parts.take(8).collect();
    let cloze = flags & 1 == 1;
    let ord = u32::from(flags >> 1) % 4;
    let _ = recall::formats::anki::render_card(front, back, cloze, &fields, ord);
}

/// The readers of other tools' files; the first byte picks the reader.
pub fn tools(data: &[u8]) {
    use recall::formats::{carddown, hascard, hashcards, ki, vocage};
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let parse = match pick % 6 {
        0 => hashcards::parse,
        1 => carddown::parse,
        2 => ki::parse,
        3 => hascard::parse,
        4 => vocage::parse,
        _ => |file: &str, _: &str, text: &str| recall::formats::anki::crowdanki::parse(file, text),
    };
    deck_parser_many(rest, |file, text| {
        parse(file, "stem", text).map(|l| l.decks)
    });
}
