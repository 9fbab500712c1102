//! hascard decks (github.com/Yvee1/hascard): cards separated by `---`
//! lines, each opening with a `# header`. hascard quizzes five ways; recall
//! shows each as a front and a back:
//!
//! | hascard card | front | back |
//! |---|---|---|
//! | definition (`# word`, then text) | the header | the text |
//! | multiple choice (`- wrong`, `* right`) | header and the choices, lettered | the right choice |
//! | multiple answer (`[*] right`, `[ ] wrong`) | header and the options, unticked | the options, right ones ticked |
//! | open question (text with `_gaps_`, `_a\|b_` alternatives) | header and the text, gaps as `_____` | the text filled in |
//! | reorder (`2. b`, `1. a`) | header and the items as written | the items in order |
//!
//! An image line `![alt](file)` becomes `[image: file]`; a LaTeX block
//! stays as its source. Ids are derived from the header (`-2` for a
//! repeated one).

use super::foreign::DeckBuilder;
use super::{Loaded, derived_id, line_error, normalize_text, trim_blank_lines};
use crate::domain::CardDraft;
use crate::error::Result;

/// Whether text is a hascard deck: `---` lines between blocks, and every
/// block opening with a `# ` header.
pub fn looks_like(text: &str) -> bool {
    let blocks = blocks(text);
    blocks.len() >= 2
        && blocks
            .iter()
            .all(|(_, body)| body.first().is_some_and(|l| l.starts_with("# ")))
}

/// The `---`-separated blocks, each with the line number of its first
/// line and its lines, blank lines at either end left out.
fn blocks(text: &str) -> Vec<(usize, Vec<&str>)> {
    let mut out = Vec::new();
    let mut current: Vec<(usize, &str)> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim_end() == "---" {
            out.extend(trimmed_block(std::mem::take(&mut current)));
        } else {
            current.push((i + 1, line));
        }
    }
    out.extend(trimmed_block(current));
    out
}

/// A block's first line number and lines, without blank lines at its
/// ends; `None` when it is all blank.
fn trimmed_block(lines: Vec<(usize, &str)>) -> Option<(usize, Vec<&str>)> {
    let start = lines.iter().position(|(_, l)| !l.trim().is_empty())?;
    let end = lines.iter().rposition(|(_, l)| !l.trim().is_empty())?;
    Some((
        lines[start].0,
        lines[start..=end].iter().map(|(_, l)| *l).collect(),
    ))
}

/// Parses a hascard deck into one deck named `stem`.
pub fn parse(file: &str, stem: &str, text: &str) -> Result<Loaded> {
    let text = normalize_text(text.strip_prefix('\u{feff}').unwrap_or(text));
    let mut deck = DeckBuilder::new(file, stem)?;
    for (line, body) in blocks(&text) {
        let Some(header) = body[0].strip_prefix("# ") else {
            return Err(line_error(
                file,
                line,
                "a hascard card opens with a \"# \" header line",
            ));
        };
        let (front, back) = card_sides(header.trim(), &body[1..]);
        let card = CardDraft {
            key: derived_id(header.trim()),
            front,
            back,
            notes: String::new(),
            tags: Vec::new(),
            typed: false,
        };
        deck.push(card, line)?;
    }
    deck.finish(Loaded::default(), "no \"# header\" card (hascard)")
}

/// A card's front and back from its header and the lines below it.
fn card_sides(header: &str, lines: &[&str]) -> (String, String) {
    let (external, rest) = external(lines);
    let body: Vec<&str> = rest.to_vec();
    let mut front = header.to_string();
    if let Some(extra) = external {
        front.push_str("\n\n");
        front.push_str(&extra);
    }
    let kind = kind(&body);
    let (question, answer) = match kind {
        Kind::Choice => choices(&body),
        Kind::Options => options(&body),
        Kind::Reorder => reorder(&body),
        Kind::Gaps => gaps(&body.join("\n")),
        Kind::Definition => (String::new(), body.join("\n")),
    };
    if !question.is_empty() {
        front.push_str("\n\n");
        front.push_str(&question);
    }
    (front, trim_blank_lines(&answer).to_string())
}

#[derive(Debug, PartialEq)]
enum Kind {
    Definition,
    Choice,
    Options,
    Reorder,
    Gaps,
}

fn kind(body: &[&str]) -> Kind {
    let first = body
        .iter()
        .find(|l| !l.trim().is_empty())
        .copied()
        .unwrap_or("");
    if first.starts_with("- ") || first.starts_with("* ") {
        Kind::Choice
    } else if ["[*] ", "[x] ", "[ ] "]
        .iter()
        .any(|p| first.starts_with(p))
    {
        Kind::Options
    } else if reorder_item(first).is_some() {
        Kind::Reorder
    } else if body.iter().any(|l| l.contains('_')) && gaps(&body.join("\n")).0.contains("_____") {
        Kind::Gaps
    } else {
        Kind::Definition
    }
}

/// An image line or a ``` LaTeX block right under the header, as text, and
/// the lines after it.
fn external<'a, 'b>(lines: &'b [&'a str]) -> (Option<String>, &'b [&'a str]) {
    let skip = lines.iter().take_while(|l| l.trim().is_empty()).count();
    let lines = &lines[skip..];
    let Some(first) = lines.first() else {
        return (None, lines);
    };
    if let Some(rest) = first.strip_prefix("![")
        && let Some((_, src)) = rest.split_once("](")
    {
        let src = src.trim_end().trim_end_matches(')');
        return (Some(format!("[image: {src}]")), &lines[1..]);
    }
    if first.starts_with("```")
        && let Some(end) = lines
            .iter()
            .skip(1)
            .position(|l| l.trim_end().ends_with("```"))
    {
        return (Some(lines[..=end + 1].join("\n")), &lines[end + 2..]);
    }
    (None, lines)
}

/// Items that start with one of `prefixes`; a line without one continues
/// the item before it.
fn items<'a>(
    body: &[&'a str],
    prefix: impl Fn(&'a str) -> Option<(&'a str, &'a str)>,
) -> Vec<(&'a str, String)> {
    let mut out: Vec<(&str, String)> = Vec::new();
    for line in body {
        match prefix(line) {
            Some((mark, text)) => out.push((mark, text.trim_end().to_string())),
            None => match out.last_mut() {
                Some((_, text)) if !line.trim().is_empty() => {
                    text.push('\n');
                    text.push_str(line.trim_end());
                }
                _ => {}
            },
        }
    }
    out
}

fn choices(body: &[&str]) -> (String, String) {
    let items = items(body, |l| {
        l.strip_prefix("- ")
            .map(|t| ("-", t))
            .or_else(|| l.strip_prefix("* ").map(|t| ("*", t)))
    });
    let letter = |i: usize| char::from(b'a' + u8::try_from(i % 26).unwrap_or(0));
    let listed: Vec<String> = items
        .iter()
        .enumerate()
        .map(|(i, (_, t))| format!("{}) {t}", letter(i)))
        .collect();
    let right: Vec<String> = items
        .iter()
        .enumerate()
        .filter(|(_, (mark, _))| *mark == "*")
        .map(|(i, (_, t))| format!("{}) {t}", letter(i)))
        .collect();
    (listed.join("\n"), right.join("\n"))
}

fn options(body: &[&str]) -> (String, String) {
    let items = items(body, |l| {
        ["[*] ", "[x] ", "[ ] "]
            .iter()
            .find_map(|p| l.strip_prefix(p).map(|t| (&p[1..2], t)))
    });
    let listed: Vec<String> = items.iter().map(|(_, t)| format!("[ ] {t}")).collect();
    let ticked: Vec<String> = items
        .iter()
        .map(|(mark, t)| format!("[{}] {t}", if *mark == " " { " " } else { "x" }))
        .collect();
    (listed.join("\n"), ticked.join("\n"))
}

fn reorder_item(line: &str) -> Option<(&str, &str)> {
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    let rest = line[digits..].strip_prefix(". ")?;
    (digits > 0).then(|| (&line[..digits], rest))
}

fn reorder(body: &[&str]) -> (String, String) {
    let items = items(body, reorder_item);
    let listed: Vec<String> = items.iter().map(|(_, t)| format!("• {t}")).collect();
    let mut ordered: Vec<(u64, &String)> = items
        .iter()
        .map(|(n, t)| (n.parse().unwrap_or(u64::MAX), t))
        .collect();
    ordered.sort_by_key(|(n, _)| *n);
    let answer: Vec<String> = ordered.iter().map(|(n, t)| format!("{n}. {t}")).collect();
    (listed.join("\n"), answer.join("\n"))
}

/// An open question: `_gap_` (or `_one|other_`) blanked on the front and
/// filled in on the back; `\_` is a literal underscore.
fn gaps(text: &str) -> (String, String) {
    let (mut front, mut back) = (String::new(), String::new());
    let mut rest = text;
    loop {
        let Some(open) = find_unescaped(rest) else {
            let plain = rest.replace("\\_", "_");
            front.push_str(&plain);
            back.push_str(&plain);
            break;
        };
        let Some(close) = find_unescaped(&rest[open + 1..]) else {
            let plain = rest.replace("\\_", "_");
            front.push_str(&plain);
            back.push_str(&plain);
            break;
        };
        let before = rest[..open].replace("\\_", "_");
        let gap = &rest[open + 1..open + 1 + close];
        front.push_str(&before);
        front.push_str("_____");
        back.push_str(&before);
        back.push_str(&gap.split('|').collect::<Vec<_>>().join(" / "));
        rest = &rest[open + close + 2..];
    }
    (front, back)
}

fn find_unescaped(text: &str) -> Option<usize> {
    text.match_indices('_')
        .map(|(i, _)| i)
        .find(|&i| i == 0 || text.as_bytes()[i - 1] != b'\\')
}

#[cfg(test)]
mod tests {
    use super::*;

    const DECK: &str = "# Peak near\n- 400 nm\n- 500 nm\n* 550 nm\n\n---\n# LGN stands for\n_lateral geniculate_\n\n\
        ---\n# ipRGC\nintrinsically photosensitive\n\n---\n# Eye\nLight falls on the _retina_ behind the _lens|cornea_.\n\n\
        ---\n# Pick\n[*] Optic nerve\n[ ] RHP axis\n[x] LGN\n\n---\n# Order\n2. Yellow\n1. Red\n\n---\n# Fruit?\n![pear](pear.jpeg)\npear\n";

    #[test]
    fn every_kind_becomes_a_front_and_a_back() {
        assert!(looks_like(DECK));
        let deck = parse("h.txt", "h", DECK).unwrap().decks.remove(0);
        let sides: Vec<(&str, &str)> = deck
            .cards
            .iter()
            .map(|c| (c.front.as_str(), c.back.as_str()))
            .collect();
        assert_eq!(
            sides[0],
            ("Peak near\n\na) 400 nm\nb) 500 nm\nc) 550 nm", "c) 550 nm")
        );
        assert_eq!(sides[1], ("LGN stands for\n\n_____", "lateral geniculate"));
        assert_eq!(sides[2], ("ipRGC", "intrinsically photosensitive"));
        assert_eq!(
            sides[3].0,
            "Eye\n\nLight falls on the _____ behind the _____."
        );
        assert_eq!(
            sides[3].1,
            "Light falls on the retina behind the lens / cornea."
        );
        assert_eq!(
            sides[4],
            (
                "Pick\n\n[ ] Optic nerve\n[ ] RHP axis\n[ ] LGN",
                "[x] Optic nerve\n[ ] RHP axis\n[x] LGN"
            )
        );
        assert_eq!(sides[5], ("Order\n\n• Yellow\n• Red", "1. Red\n2. Yellow"));
        assert_eq!(sides[6], ("Fruit?\n\n[image: pear.jpeg]", "pear"));
    }

    #[test]
    fn anki_text_and_markdown_are_not_hascard() {
        assert!(!looks_like("# a comment\nq\ta\n"));
        assert!(!looks_like("# Deck\n---\nQ: a\nA: b\n"));
        let e = parse("h.txt", "h", "---\nno header\n")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("h.txt:2:1: a hascard card opens"), "{e}");
    }
}
