//! Markdown decks, for people who write cards in an editor. The README
//! defines the format; in short:
//!
//! ```text
//! # Deck name
//! Optional description.
//!
//! ---
//! ID: memcached-threads
//! Tags: elasticache caching
//! Q: Which ElastiCache engine is multi-threaded?
//! A: Memcached
//! N: notes
//! ---
//! ```
//!
//! Cards are separated by `---` lines. `Q:`, `A:` and `N:` start sections
//! that run to the next marker line; fenced code (``` or ~~~) is kept
//! verbatim, markers inside it included. Outside fences a leading `\` on a
//! continuation line is removed, so `\---` or `\Q:` is text.

use super::{derived_id, normalize_text, push_entry_cards, validate};
use crate::domain::{CardDraft, DeckDraft};
use crate::error::{Error, Result};

/// A parsed Markdown deck, with what `--write-ids` needs.
#[derive(Debug)]
pub struct MarkdownDeck {
    pub deck: DeckDraft,
    /// For each card written without `ID:`: the 0-based line of its `Q:`
    /// and the id it was given.
    pub missing_ids: Vec<(usize, String)>,
}

const MARKERS: [&str; 6] = ["Q:", "A:", "N:", "ID:", "Tags:", "Reverse:"];

/// The marker a line starts with, and the text after it.
fn marker(line: &str) -> Option<(&'static str, &str)> {
    MARKERS.iter().find_map(|m| {
        let rest = line.strip_prefix(m)?;
        Some((*m, rest.strip_prefix(' ').unwrap_or(rest)))
    })
}

fn is_fence(line: &str) -> bool {
    line.starts_with("```") || line.starts_with("~~~")
}

/// One line of the file, classified.
enum Line<'a> {
    Separator,
    Marker(&'static str, &'a str),
    /// Text (unescaped outside fences).
    Text(&'a str),
}

/// Classifies every line, tracking fences. A fence never closed would
/// swallow every card after it: its line (from 0) is the error.
fn classify(text: &str) -> std::result::Result<Vec<Line<'_>>, (usize, &str)> {
    let mut fence: Option<(usize, &str)> = None;
    let lines = text
        .split('\n')
        .enumerate()
        .map(|(i, raw)| {
            let line = raw.strip_suffix('\r').unwrap_or(raw);
            if let Some((_, open)) = fence {
                if line.trim_end() == open {
                    fence = None;
                }
                return Line::Text(line);
            }
            if is_fence(line) {
                fence = Some((i, &line[..3]));
                return Line::Text(line);
            }
            if line.trim_end() == "---" {
                return Line::Separator;
            }
            if let Some((m, rest)) = marker(line) {
                return Line::Marker(m, rest);
            }
            Line::Text(line.strip_prefix('\\').unwrap_or(line))
        })
        .collect();
    match fence {
        Some(open) => Err(open),
        None => Ok(lines),
    }
}

#[derive(Default)]
struct Entry {
    first_line: usize,
    q_line: Option<usize>,
    id: Option<String>,
    tags: Vec<String>,
    reverse: bool,
    q: Vec<String>,
    a: Vec<String>,
    n: Vec<String>,
    /// The section text lines go to.
    section: Option<&'static str>,
}

impl Entry {
    fn is_blank(&self) -> bool {
        self.q_line.is_none()
            && self.id.is_none()
            && self.tags.is_empty()
            && self.a.is_empty()
            && self.n.is_empty()
    }
}

fn joined(lines: &[String]) -> String {
    let start = lines.iter().position(|l| !l.trim().is_empty());
    let end = lines.iter().rposition(|l| !l.trim().is_empty());
    match (start, end) {
        (Some(s), Some(e)) => lines[s..=e].join("\n"),
        _ => String::new(),
    }
}

/// Parses a Markdown deck; `stem` names the deck when there is no `# ` heading.
pub fn parse(file: &str, stem: &str, text: &str) -> Result<MarkdownDeck> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let at = |line: usize, message: String| Error::Parse {
        file: file.to_string(),
        line: line + 1,
        column: 1,
        message,
    };
    let mut name: Option<String> = None;
    let mut description = Vec::new();
    let mut entries: Vec<Entry> = Vec::new();
    let mut current: Option<Entry> = None;
    let lines = classify(text).map_err(|(line, fence)| {
        at(
            line,
            format!(
                "a code fence ({fence}) opens here and is never closed, so every card after it \
                 would be part of this one; close it with a line of {fence}"
            ),
        )
    })?;
    for (i, line) in lines.into_iter().enumerate() {
        match line {
            Line::Separator => {
                if let Some(done) = current.take() {
                    entries.push(done);
                }
                current = Some(Entry {
                    first_line: i + 1,
                    ..Entry::default()
                });
            }
            Line::Marker(m, rest) => {
                let entry = current.get_or_insert_with(|| Entry {
                    first_line: i,
                    ..Entry::default()
                });
                match m {
                    "ID:" => entry.id = Some(rest.trim().to_string()),
                    "Tags:" => {
                        entry.tags = rest
                            .split([' ', ','])
                            .filter(|t| !t.is_empty())
                            .map(str::to_string)
                            .collect();
                    }
                    "Reverse:" => {
                        entry.reverse = match rest.trim().to_ascii_lowercase().as_str() {
                            "yes" | "true" => true,
                            "no" | "false" => false,
                            other => {
                                return Err(at(
                                    i,
                                    format!("Reverse: takes yes or no, not {other:?}"),
                                ));
                            }
                        }
                    }
                    _ => {
                        if m == "Q:" {
                            if entry.q_line.is_some() {
                                return Err(at(
                                    i,
                                    "a second Q: in one card; separate cards with a --- line"
                                        .into(),
                                ));
                            }
                            entry.q_line = Some(i);
                        }
                        let section = match m {
                            "Q:" => &mut entry.q,
                            "A:" => &mut entry.a,
                            _ => &mut entry.n,
                        };
                        if !section.is_empty() {
                            return Err(at(i, format!("a second {m} in one card")));
                        }
                        section.push(rest.to_string());
                        entry.section = Some(m);
                    }
                }
                if !matches!(m, "Q:" | "A:" | "N:") {
                    entry.section = None;
                }
            }
            Line::Text(t) => match current.as_mut() {
                None => {
                    if name.is_none()
                        && description.is_empty()
                        && let Some(heading) = t.strip_prefix("# ")
                    {
                        name = Some(heading.trim().to_string());
                        continue;
                    }
                    description.push(t.to_string());
                }
                Some(entry) => match entry.section {
                    Some("Q:") => entry.q.push(t.to_string()),
                    Some("A:") => entry.a.push(t.to_string()),
                    Some(_) => entry.n.push(t.to_string()),
                    None if t.trim().is_empty() => {}
                    None if entries.is_empty() && entry.is_blank() && name.is_none() => {
                        // Text after a leading --- and before any card: still the header.
                        if let Some(heading) = t.strip_prefix("# ") {
                            name = Some(heading.trim().to_string());
                        } else {
                            description.push(t.to_string());
                        }
                    }
                    None => {
                        return Err(at(
                            i,
                            "text outside Q:, A: or N: (start a card with Q:)".into(),
                        ));
                    }
                },
            },
        }
    }
    entries.extend(current);

    let mut cards = Vec::new();
    let mut origins = Vec::new();
    let mut missing_ids = Vec::new();
    for entry in entries.iter().filter(|e| !e.is_blank()) {
        let Some(q_line) = entry.q_line else {
            return Err(at(entry.first_line, "this card has no Q: line".into()));
        };
        let front = joined(&entry.q);
        let key = match &entry.id {
            Some(id) => id.clone(),
            None => {
                let id = derived_id(&normalize_text(&front));
                missing_ids.push((q_line, id.clone()));
                id
            }
        };
        let draft = CardDraft {
            key,
            front,
            back: joined(&entry.a),
            notes: joined(&entry.n),
            tags: entry.tags.clone(),
        };
        let n = push_entry_cards(&mut cards, draft, entry.reverse);
        origins.extend(std::iter::repeat_n(q_line, n));
    }
    let deck = DeckDraft {
        name: name.unwrap_or_else(|| stem.to_string()),
        description: joined(&description),
        position: None,
        cards,
    };
    validate(&deck, |i, message| {
        at(origins.get(i).copied().unwrap_or(0), message)
    })?;
    Ok(MarkdownDeck { deck, missing_ids })
}

/// `text` with an `ID:` line written above each `Q:` that had none
/// (`--write-ids`). `None` when every card already has one.
pub fn with_ids(text: &str, missing: &[(usize, String)]) -> Option<String> {
    if missing.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(text.len() + missing.len() * 48);
    let mut next = missing.iter().peekable();
    for (i, line) in text.split_inclusive('\n').enumerate() {
        if let Some((_, id)) = next.next_if(|(at, _)| *at == i) {
            out.push_str("ID: ");
            out.push_str(id);
            out.push('\n');
        }
        out.push_str(line);
    }
    Some(out)
}

/// Writes a section's text so that `parse` reads it back unchanged:
/// lines that would read as markup get a leading `\`, except inside
/// balanced fences, which are kept verbatim. The first line follows its
/// marker (`A: …`) unless `first_is_line` says it stands on its own.
pub fn escape_section(text: &str, first_is_line: bool) -> String {
    let lines: Vec<&str> = text.split('\n').collect();
    let own_line = |i: usize| i > 0 || first_is_line;
    // Fences are kept only if `parse` would see each one closed.
    let mut open: Option<&str> = None;
    for (_, line) in lines.iter().enumerate().filter(|&(i, _)| own_line(i)) {
        match open {
            Some(o) if line.trim_end() == o => open = None,
            Some(_) => {}
            None if is_fence(line) => open = Some(&line[..3]),
            None => {}
        }
    }
    let keep_fences = open.is_none();
    let mut out = String::with_capacity(text.len());
    let mut fence: Option<&str> = None;
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        if !own_line(i) {
            out.push_str(line);
            continue;
        }
        if let Some(o) = fence {
            if line.trim_end() == o {
                fence = None;
            }
            out.push_str(line);
            continue;
        }
        if keep_fences && is_fence(line) {
            fence = Some(&line[..3]);
            out.push_str(line);
            continue;
        }
        let risky = line.starts_with('\\')
            || is_fence(line)
            || line.trim_end() == "---"
            || marker(line).is_some();
        if risky {
            out.push('\\');
        }
        out.push_str(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const DECK: &str = "# Caching\nEngines compared.\n\n---\nID: mc\nTags: a b\n\
        Q: Which engine is multi-threaded?\nA: Memcached\n\nRedis is not.\nN: a note\n---\n\
        Q: Draw it\nA:\n```\nQ: kept\n---\n```\nReverse: yes\n---\n";

    #[test]
    fn parses_the_documented_shape() {
        let md = parse("d.md", "d", DECK).unwrap();
        let deck = md.deck;
        assert_eq!(deck.name, "Caching");
        assert_eq!(deck.description, "Engines compared.");
        assert_eq!(deck.cards.len(), 3);
        assert_eq!(deck.cards[0].key, "mc");
        assert_eq!(deck.cards[0].tags, ["a", "b"]);
        assert_eq!(deck.cards[0].back, "Memcached\n\nRedis is not.");
        assert_eq!(deck.cards[0].notes, "a note");
        assert_eq!(deck.cards[1].back, "```\nQ: kept\n---\n```");
        assert_eq!(deck.cards[2].front, deck.cards[1].back);
        assert_eq!(md.missing_ids.len(), 1);
        assert_eq!(md.missing_ids[0].0, 12);
    }

    #[test]
    fn write_ids_inserts_above_the_question() {
        let md = parse("d.md", "d", DECK).unwrap();
        let written = with_ids(DECK, &md.missing_ids).unwrap();
        let again = parse("d.md", "d", &written).unwrap();
        assert!(again.missing_ids.is_empty());
        assert_eq!(again.deck, md.deck);
    }

    #[test]
    fn errors_name_the_line() {
        let e = parse("d.md", "d", "# D\n---\nA: no question\n").unwrap_err();
        assert_eq!(e.to_string(), "d.md:3:1: this card has no Q: line");
        let e = parse("d.md", "d", "# D\n---\nQ: a\nQ: b\n").unwrap_err();
        assert!(e.to_string().starts_with("d.md:4:1: a second Q:"), "{e}");
        let e = parse("d.md", "d", "# D\n---\nQ: x\nA: y\n---\nQ: x\nA: z\n").unwrap_err();
        assert!(e.to_string().starts_with("d.md:6:1: duplicate id"), "{e}");
    }

    #[test]
    fn an_unclosed_code_fence_is_an_error_at_the_line_it_opens() {
        let text = "# D\n---\nQ: a\nA:\n~~~\ncode\n---\nQ: b\nA: c\n";
        let e = parse("d.md", "d", text).unwrap_err().to_string();
        assert!(
            e.starts_with("d.md:5:1: a code fence (~~~) opens here and is never closed"),
            "{e}"
        );
        // A fence of the other kind does not close it.
        let e = parse("d.md", "d", "Q: a\nA:\n```\n~~~\n")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("d.md:3:1: a code fence (```)"), "{e}");
    }

    #[test]
    fn escaped_sections_read_back() {
        for text in [
            "a\n---\nQ: b\n\\c",
            "x\n```\nQ: in fence\n```\ny",
            "a\n```\nopen",
        ] {
            let md = format!(
                "# D\n---\nID: i\nQ: q\nA: {}\n",
                escape_section(text, false)
            );
            let deck = parse("d.md", "d", &md).unwrap().deck;
            assert_eq!(deck.cards[0].back, text);
        }
    }
}
