//! Sibling cards: the cards one note gives (a card and its reverse, the
//! deletions of one cloze text, the templates of one Anki note). Their keys
//! are formed by the readers in `formats` (`formats::reversed`,
//! `formats::cloze::expand`, `formats::anki::convert::card_key`): the note's
//! key plus `:reverse`, `:cN` or `:cardN`. This is the one place that reads
//! them back.

/// The key of the note a card comes from: its own key without the suffix
/// that tells the siblings apart. Cards of one deck with the same note key
/// are siblings.
pub fn note_key(card_key: &str) -> &str {
    let Some((note, suffix)) = card_key.rsplit_once(':') else {
        return card_key;
    };
    let numbered = |prefix: &str| {
        suffix
            .strip_prefix(prefix)
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    };
    if !note.is_empty() && (suffix == "reverse" || numbered("card") || numbered("c")) {
        note
    } else {
        card_key
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reverse_cloze_and_anki_template_cards_share_their_notes_key() {
        for (card, note) in [
            ("capital-france-1a2b", "capital-france-1a2b"),
            ("capital-france-1a2b:reverse", "capital-france-1a2b"),
            ("n1:c1", "n1"),
            ("n1:c12", "n1"),
            ("Fk+1_x:card3", "Fk+1_x"),
        ] {
            assert_eq!(note_key(card), note, "{card}");
        }
    }

    #[test]
    fn other_colons_are_part_of_the_key() {
        for key in ["aws:s3", "x:c", "x:card", "x:c1a", ":reverse", "a:b:rev"] {
            assert_eq!(note_key(key), key);
        }
        assert_eq!(note_key("a:b:c2"), "a:b");
    }
}
