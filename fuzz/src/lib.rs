//! What every deck-parser target checks, so that a new format (CSV, Anki,
//! Markdown, ...) gets a target with one file of three lines:
//!
//! ```ignore
//! #![no_main]
//! libfuzzer_sys::fuzz_target!(|data: &[u8]| recall_fuzz::deck_parser(data, recall::formats::csv_deck::parse));
//! ```
//! plus a `[[bin]]` entry in fuzz/Cargo.toml.

use recall::domain::DeckDraft;
use recall::error::Result;

/// Feeds arbitrary bytes to a `(file name, text) -> deck` parser the way
/// `formats::load` does (UTF-8 decoding first). It must not panic; what it
/// accepts must pass the shared validation and stay within the field limit.
pub fn deck_parser(data: &[u8], parse: fn(&str, &str) -> Result<DeckDraft>) {
    deck_parser_many(data, |file, text| parse(file, text).map(|d| vec![d]));
}

/// The same for parsers that yield several decks from one file.
pub fn deck_parser_many(data: &[u8], parse: impl Fn(&str, &str) -> Result<Vec<DeckDraft>>) {
    let Ok(text) = recall::formats::decode_utf8("fuzz.input", data) else {
        return;
    };
    match parse("fuzz.input", &text) {
        Ok(decks) => {
            for deck in &decks {
                recall::formats::validate(deck, |_, m| recall::error::Error::invalid(m))
                    .expect("a parsed deck passes validation");
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
