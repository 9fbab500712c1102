//! recall's cards grouped into Anki notes: a card alone is a "Basic" note
//! ("Basic (type in the answer)" if its answer is typed);
//! a card with its reverse (`KEY` and `KEY:reverse`, the back and front
//! swapped) is one "Basic (and reversed card)" note; the deletions of one
//! cloze text (`KEY:c1`, `KEY:c2`…) are one "Cloze" note, its text rebuilt
//! by `cloze_source` ("Cloze (type in the answer)" if their answers are
//! typed). A group that is not what its keys say (an edited reverse, a
//! cloze text that cannot be rebuilt, typed and untyped deletions of one
//! text) becomes one Basic note per card, each shown as recall shows it.

use std::collections::HashMap;

use super::cloze_source;
use super::html::field;
use crate::domain::CardDraft;
use crate::domain::siblings::note_key;

/// The note types a package holds, in `NoteKind::ALL` order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NoteKind {
    Basic,
    Reversed,
    Cloze,
    /// A card whose answer is typed (issue 21).
    Typed,
    /// The deletions of a cloze text whose answers are typed.
    TypedCloze,
}

impl NoteKind {
    pub const ALL: [NoteKind; 5] = [
        NoteKind::Basic,
        NoteKind::Reversed,
        NoteKind::Cloze,
        NoteKind::Typed,
        NoteKind::TypedCloze,
    ];

    /// Whether Anki makes this type's cards from cloze deletions.
    pub fn is_cloze(self) -> bool {
        matches!(self, NoteKind::Cloze | NoteKind::TypedCloze)
    }
}

/// One note: its type, GUID, fields as HTML (in the note type's order),
/// tags, and the cards it has: each one's ord and recall key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub kind: NoteKind,
    pub guid: String,
    pub fields: Vec<String>,
    pub tags: Vec<String>,
    pub cards: Vec<(u32, String)>,
}

/// A deck's notes, and the note keys of the cloze texts that could not be
/// rebuilt (exported as plain cards: the user hears of them).
#[derive(Debug, Default)]
pub struct Notes {
    pub notes: Vec<Note>,
    pub plain_cloze: Vec<String>,
}

/// The deck's cards as notes, in the order of each note's first card.
pub fn notes(deck: &str, cards: &[CardDraft]) -> Notes {
    let mut groups: Vec<(&str, Vec<&CardDraft>)> = Vec::new();
    let mut index: HashMap<&str, usize> = HashMap::new();
    for card in cards {
        let key = note_key(&card.key);
        let at = *index.entry(key).or_insert_with(|| {
            groups.push((key, Vec::new()));
            groups.len() - 1
        });
        groups[at].1.push(card);
    }
    let mut out = Notes::default();
    for (key, group) in groups {
        let notes = group_notes(deck, key, &group, &mut out.plain_cloze);
        out.notes.extend(notes);
    }
    out
}

fn group_notes(deck: &str, key: &str, group: &[&CardDraft], plain: &mut Vec<String>) -> Vec<Note> {
    if let [card] = group
        && card.key == key
    {
        return vec![basic(deck, card)];
    }
    if let [card, reverse] = group
        && card.key == key
        && reverse.key == format!("{key}:reverse")
        && reverse.front == card.back
        && reverse.back == card.front
        // Anki's reversed type has no box to type into: typed cards go
        // out as a typed note each.
        && !card.typed
        && !reverse.typed
    {
        return vec![Note {
            kind: NoteKind::Reversed,
            cards: vec![(0, card.key.clone()), (1, reverse.key.clone())],
            ..basic(deck, card)
        }];
    }
    let cloze = group.iter().all(|c| c.key.starts_with(&format!("{key}:c")));
    // One note type for the whole text: its deletions typed, or none.
    let typed = group.iter().all(|c| c.typed);
    let one_type = typed || group.iter().all(|c| !c.typed);
    let rebuilt = (cloze && one_type).then(|| cloze_source::rebuild(key, group));
    if let Some(source) = rebuilt.flatten() {
        let card = group[0];
        return vec![Note {
            kind: if typed {
                NoteKind::TypedCloze
            } else {
                NoteKind::Cloze
            },
            guid: guid(deck, key),
            fields: vec![
                field(&source.text),
                field(&source.extra),
                field(&card.notes),
            ],
            tags: card.tags.clone(),
            cards: group
                .iter()
                .filter_map(|c| {
                    let n = c.key.rsplit_once(":c")?.1.parse::<u32>().ok()?;
                    Some((n.saturating_sub(1), c.key.clone()))
                })
                .collect(),
        }];
    }
    if cloze {
        plain.push(key.to_string());
    }
    group.iter().map(|card| basic(deck, card)).collect()
}

/// A card as a note of its own, its GUID from its own key.
fn basic(deck: &str, card: &CardDraft) -> Note {
    Note {
        kind: if card.typed {
            NoteKind::Typed
        } else {
            NoteKind::Basic
        },
        guid: guid(deck, &card.key),
        fields: vec![field(&card.front), field(&card.back), field(&card.notes)],
        tags: card.tags.clone(),
        cards: vec![(0, card.key.clone())],
    }
}

/// The note's GUID: deck name and note key hashed (FNV-1a, stable across
/// releases), in base 62. The same card exported again has the same GUID,
/// so Anki updates the note instead of adding a copy. Letters and digits
/// only: recall reads a GUID back as a card key, where `:` means a sibling.
pub fn guid(deck: &str, key: &str) -> String {
    const DIGITS: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let mut n = crate::fnv::fnv1a(format!("{deck}\u{1f}{key}").as_bytes());
    let mut out = Vec::with_capacity(11);
    for _ in 0..11 {
        out.push(DIGITS[(n % 62) as usize]);
        n /= 62;
    }
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::push_entry_cards;

    fn entry(key: &str, front: &str, back: &str) -> CardDraft {
        CardDraft {
            key: key.into(),
            front: front.into(),
            back: back.into(),
            notes: String::new(),
            tags: vec!["t".into()],
            typed: false,
        }
    }

    #[test]
    fn plain_reversed_and_cloze_cards_become_one_note_each() {
        let mut cards = Vec::new();
        push_entry_cards(&mut cards, entry("plain", "Q", "A"), false);
        push_entry_cards(&mut cards, entry("rev", "chat", "cat"), true);
        push_entry_cards(&mut cards, entry("cl", "{{c1::a}} {{c2::b}}", ""), false);
        let notes = notes("D", &cards).notes;
        let kinds: Vec<_> = notes
            .iter()
            .map(|n| (n.kind, n.cards.iter().map(|c| c.0).collect::<Vec<_>>()))
            .collect();
        assert_eq!(
            kinds,
            [
                (NoteKind::Basic, vec![0]),
                (NoteKind::Reversed, vec![0, 1]),
                (NoteKind::Cloze, vec![0, 1])
            ]
        );
        assert_eq!(notes[2].fields[0], "{{c1::a}} {{c2::b}}");
        assert_eq!(notes[1].cards[1].1, "rev:reverse");
        assert_eq!(notes[2].cards[1].1, "cl:c2");
    }

    #[test]
    fn a_typed_cloze_text_is_one_typed_cloze_note_unless_only_some_are_typed() {
        let mut cards = Vec::new();
        let mut typed = entry("cl", "{{c1::a}} {{c2::b}}", "");
        typed.typed = true;
        push_entry_cards(&mut cards, typed, false);
        let out = notes("D", &cards);
        assert_eq!(out.notes.len(), 1);
        assert_eq!(out.notes[0].kind, NoteKind::TypedCloze);
        cards[1].typed = false;
        let out = notes("D", &cards);
        let kinds: Vec<_> = out.notes.iter().map(|n| n.kind).collect();
        assert_eq!(kinds, [NoteKind::Typed, NoteKind::Basic]);
        assert_eq!(out.plain_cloze, ["cl"]);
    }

    #[test]
    fn an_edited_reverse_is_two_basic_notes() {
        let mut cards = Vec::new();
        push_entry_cards(&mut cards, entry("rev", "chat", "cat"), true);
        cards[1].back = "edited".into();
        let notes = notes("D", &cards).notes;
        assert_eq!(notes.len(), 2);
        assert!(notes.iter().all(|n| n.kind == NoteKind::Basic));
        assert_ne!(notes[0].guid, notes[1].guid);
    }

    #[test]
    fn a_cloze_text_that_cannot_be_rebuilt_is_plain_cards_and_said() {
        let mut cards = Vec::new();
        push_entry_cards(
            &mut cards,
            entry("nest", "{{c1::a {{c2::b}} c}}", ""),
            false,
        );
        let out = notes("D", &cards);
        assert_eq!(out.notes.len(), 2);
        assert!(out.notes.iter().all(|n| n.kind == NoteKind::Basic));
        assert_eq!(out.plain_cloze, ["nest"]);
    }

    #[test]
    fn guids_are_stable_short_and_differ_by_deck_and_key() {
        let g = guid("Lang::French", "chat");
        assert_eq!(g, guid("Lang::French", "chat"));
        assert_eq!(g.len(), 11);
        assert!(g.bytes().all(|b| b.is_ascii_alphanumeric()));
        assert_ne!(g, guid("Lang::French", "chien"));
        assert_ne!(g, guid("Lang::Spanish", "chat"));
    }
}
